"""The outbox: written in the change's transaction, delivered once, retried while the server
refuses, failed with the reason when it refuses for good; headers that cannot be injected."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import MailError
from app.extensions import db
from app.mail import delivery
from app.mail.models import MessageState, OutboxMessage
from app.mail.notices import notify, send_to_address
from app.models_base import utcnow


def _all() -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_committed_notice_is_delivered_in_text_and_html(make_user, smtp_server):
    user = make_user("ana@example.org", name="Ana Reyes")
    notify(user, "password_changed", kind="account", essential=True)
    db.session.commit()
    report = delivery.deliver_due()
    assert report.sent == 1
    [message] = smtp_server.to("ana@example.org")
    assert "password" in message["Subject"].lower()
    assert message["To"] == "Ana Reyes <ana@example.org>"
    assert "was just changed" in smtp_server.text_of(message)
    assert message.get_body(("html",)) is not None
    assert _all()[0].state == MessageState.SENT
    # Nothing is sent twice: a second pass finds nothing due.
    assert delivery.deliver_due().handled == 0
    assert len(smtp_server.received) == 1


def test_a_rolled_back_change_sends_nothing(make_user, smtp_server):
    user = make_user("ana@example.org")
    db.session.commit()
    notify(user, "password_changed", kind="account", essential=True)
    db.session.rollback()
    assert delivery.deliver_due().handled == 0
    assert smtp_server.received == []
    assert _all() == []


def test_a_server_that_refuses_then_accepts_loses_nothing(make_user, smtp_server):
    users = [make_user(f"p{i}@example.org") for i in range(3)]
    for user in users:
        notify(user, "password_changed", kind="account", essential=True)
    db.session.commit()
    smtp_server.refusing = True
    report = delivery.deliver_due()
    assert report.sent == 0 and report.retrying >= 1
    assert all(m.state == MessageState.QUEUED for m in _all())
    assert "451" in _all()[0].last_error
    smtp_server.refusing = False
    # MAIL_RETRY_SECONDS is 0 in testing: the retry is due at once.
    assert delivery.deliver_due().sent == 3
    assert sorted(r.recipients[0] for r in smtp_server.received) == [u.email for u in users]
    assert all(m.state == MessageState.SENT for m in _all())


def test_a_server_that_is_away_keeps_the_messages_queued(app, make_user):
    user = make_user("ana@example.org")
    notify(user, "password_changed", kind="account", essential=True)
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    try:
        report = delivery.deliver_due()
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    assert report.retrying == 1
    [message] = _all()
    assert message.state == MessageState.QUEUED and message.attempts == 1
    assert "did not answer" in message.last_error


def test_a_bouncing_address_fails_with_the_reason_and_the_rest_go(make_user, smtp_server):
    send_to_address("bounce@example.org", "password_changed", language="en", recipient=None)
    notify(make_user("ok@example.org"), "password_changed", kind="account", essential=True)
    db.session.commit()
    report = delivery.deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    bounced, ok = _all()
    assert bounced.state == MessageState.FAILED
    assert "550" in bounced.last_error and "No such mailbox" in bounced.last_error
    assert ok.state == MessageState.SENT


def test_retries_back_off_and_end_in_failure(app, make_user, smtp_server):
    app.config["MAIL_RETRY_SECONDS"] = 60
    try:
        notify(make_user("ana@example.org"), "password_changed", kind="account", essential=True)
        db.session.commit()
        smtp_server.refusing = True
        delivery.deliver_due()
        [message] = _all()
        wait = message.next_attempt_at - utcnow()
        assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
        assert delivery.deliver_due().handled == 0  # not due yet
        assert delivery.backoff(3) == timedelta(seconds=240)
    finally:
        app.config["MAIL_RETRY_SECONDS"] = 0
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    try:
        message.next_attempt_at = utcnow()
        db.session.commit()
        delivery.deliver_due()
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 12
    [message] = _all()
    assert message.state == MessageState.FAILED and "451" in message.last_error


@pytest.mark.parametrize(
    "address", ["ana@example.org\r\nBcc: all@example.org", "a@b.org, c@d.org", "not-an-address"]
)
def test_an_address_with_a_header_in_it_is_refused(address):
    with pytest.raises(MailError):
        send_to_address(address, "password_changed", language="en", recipient=None)
    assert _all() == []


def test_a_name_or_subject_with_line_breaks_cannot_add_a_header(make_user, smtp_server):
    user = make_user("ana@example.org", name="Ana\r\nBcc: everyone@example.org")
    notify(user, "password_changed", kind="account", essential=True)
    db.session.commit()
    delivery.deliver_due()
    [received] = smtp_server.received
    assert received.recipients == ["ana@example.org"]
    assert received.message["Bcc"] is None
    assert "\n" not in received.message["To"]


def test_a_non_essential_notice_turned_off_is_not_written(make_user):
    user = make_user("ana@example.org")
    user.notices_off = "reminders"
    assert notify(user, "password_changed", kind="reminders", essential=False) is None
    message = notify(user, "password_changed", kind="messages", essential=False)
    assert message.headers["List-Unsubscribe"].startswith("<http")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/account/unsubscribe/" in message.body_text


def test_a_notice_is_written_in_the_recipients_language(make_user):
    user = make_user("ana@example.org")
    user.language = "fr"
    message = notify(user, "password_changed", kind="account", essential=True)
    english = notify(
        make_user("bo@example.org"), "password_changed", kind="account", essential=True
    )
    assert english.subject.startswith("Your password")
    # Without a French catalogue entry the text stays English; the HTML says it is French.
    assert 'lang="fr"' in message.body_html


def test_a_worker_pass_in_development_prints_to_the_terminal(make_user, capsys):
    notify(make_user("ana@example.org"), "password_changed", kind="account", essential=True)
    db.session.commit()
    assert delivery.deliver_due().sent == 1
    assert "Subject: Your password" in capsys.readouterr().out

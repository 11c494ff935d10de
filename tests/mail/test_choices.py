"""Each person chooses the non-essential notices they get; one click (RFC 8058) turns a kind
off from the message itself; a dead worker's claim comes back when its lease ends."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.mail import delivery
from app.mail.models import MessageState, OutboxMessage
from app.mail.notices import notify, unsubscribe_token
from app.models_base import utcnow


def test_the_account_page_saves_the_choices(client, sign_in, post_form, make_user):
    user = make_user("ana@example.org")
    db.session.commit()
    sign_in(user)
    page = client.get("/account/notices").get_data(as_text=True)
    # Every optional notice is on until the person turns it off.
    assert page.count(" checked") == 5
    answer = post_form("/account/notices", {"kinds": ["reminders", "messages"]})
    assert answer.status_code == 302
    db.session.refresh(user)
    assert user.wants("reminders") and user.wants("messages")
    assert not user.wants("programme_changes") and not user.wants("submissions")


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(client, make_user):
    user = make_user("ana@example.org")
    db.session.commit()
    url = f"/account/unsubscribe/{unsubscribe_token(user, 'messages')}"
    assert "Stop these notices" in client.get(url).get_data(as_text=True)
    assert user.wants("messages")
    answer = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    db.session.refresh(user)
    assert not user.wants("messages") and user.wants("reminders")
    forged = client.post(url[:-4] + "abcd", data={"List-Unsubscribe": "One-Click"})
    assert forged.status_code == 400
    assert "not valid" in forged.get_data(as_text=True)


def test_a_claim_whose_worker_died_is_delivered_after_its_lease(make_user, smtp_server):
    notify(make_user("ana@example.org"), "password_changed", kind="account", essential=True)
    db.session.commit()
    token = delivery.claim(OutboxMessage, 10, delivery.MESSAGE_LEASE)
    assert token is not None
    # The worker that claimed it dies: nothing is due until the lease ends.
    assert delivery.deliver_due().handled == 0
    db.session.execute(
        sa.update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert delivery.deliver_due().sent == 1
    assert db.session.scalar(sa.select(OutboxMessage.state)) == MessageState.SENT
    assert len(smtp_server.received) == 1

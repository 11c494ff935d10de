"""Messages to a filtered group of participants: counted and previewed, queued in one request
with a bounded number of statements, each copy with its own unsubscribe link; the outbox page
shows every message's state and sends a failed one again."""

import sqlalchemy as sa

from app.extensions import db
from app.mail import delivery
from app.mail.models import MessageState, OutboxMessage
from app.registration.models import AttendanceCategory, RegistrationStatus
from tests.querycount import count_queries


def _setup(make_meeting, make_user, make_registration, grant_role, n=5):
    organiser = make_user("org@example.org")
    meeting = make_meeting(organiser=organiser)
    for i in range(n):
        make_registration(meeting, make_user(f"p{i}@example.org", name=f"Participant {i}"))
    make_registration(
        meeting, make_user("youth@example.org", name="Young"), category=AttendanceCategory.YOUTH
    )
    make_registration(meeting, make_user("pending@example.org"), status=RegistrationStatus.PENDING)
    db.session.commit()
    return meeting, organiser


def _url(meeting) -> str:
    return f"/meetings/{meeting.slug}/manage/messages/new"


def test_preview_counts_and_send_queues_one_copy_each(
    client,
    sign_in,
    post_form,
    make_meeting,
    make_user,
    make_registration,
    grant_role,
    smtp_server,
):
    meeting, organiser = _setup(make_meeting, make_user, make_registration, grant_role)
    opted_out = make_user("quiet@example.org")
    opted_out.notices_off = "messages"
    make_registration(meeting, opted_out)
    db.session.commit()
    sign_in(organiser)
    form = {"status": "approved", "subject": "Room change", "body": "Meet in Hall B.\n\nThanks."}
    page = post_form(_url(meeting), {**form, "preview": "Preview"}).get_data(as_text=True)
    assert "It goes to 6 participants." in page
    assert "1 more matches but turned" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    with count_queries() as statements:
        answer = post_form(_url(meeting), {**form, "send": "Send"})
    assert answer.status_code == 302
    assert len(statements) < 20
    delivery.deliver_due()
    assert len(smtp_server.received) == 6
    [copy] = smtp_server.to("p0@example.org")
    assert "Dear Participant 0," in smtp_server.text_of(copy)
    assert copy["List-Unsubscribe"].startswith("<http")
    assert copy["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp_server.to("quiet@example.org") == []
    assert smtp_server.to("pending@example.org") == []


def test_a_youth_forum_message_reaches_the_youth_only(
    client, sign_in, post_form, make_meeting, make_user, make_registration, grant_role
):
    meeting, organiser = _setup(make_meeting, make_user, make_registration, grant_role)
    sign_in(organiser)
    post_form(
        _url(meeting),
        {
            "status": "approved",
            "youth_forum": "y",
            "subject": "Workshop",
            "body": "Bring a laptop.",
            "send": "Send",
        },
    )
    assert db.session.scalars(sa.select(OutboxMessage.recipient)).all() == ["youth@example.org"]


def test_bad_messages_are_refused_with_a_reason(
    client, sign_in, post_form, make_meeting, make_user, make_registration, grant_role
):
    meeting, organiser = _setup(make_meeting, make_user, make_registration, grant_role)
    sign_in(organiser)
    empty = post_form(
        _url(meeting), {"status": "approved", "subject": "Hello", "body": "  ", "send": "Send"}
    )
    assert empty.status_code == 200 and "text is empty" in empty.get_data(as_text=True)
    nobody = post_form(
        _url(meeting),
        {
            "status": "approved",
            "delegation": "Atlantis",
            "subject": "Hello",
            "body": "Hi",
            "send": "Send",
        },
    )
    assert "No participant matches" in nobody.get_data(as_text=True)
    injected = post_form(
        _url(meeting),
        {"status": "approved", "subject": "Hi\r\nBcc: x@y.org", "body": "Hi", "send": "Send"},
    )
    assert injected.status_code == 302
    subjects = set(db.session.scalars(sa.select(OutboxMessage.subject)).all())
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 6


def test_the_outbox_shows_a_bounce_and_sends_it_again(
    client,
    sign_in,
    post_form,
    make_meeting,
    make_user,
    make_registration,
    grant_role,
    smtp_server,
):
    meeting, organiser = _setup(make_meeting, make_user, make_registration, grant_role, n=1)
    make_registration(meeting, make_user("bounce@example.org"))
    db.session.commit()
    sign_in(organiser)
    post_form(
        _url(meeting), {"status": "approved", "subject": "Hi", "body": "Hello", "send": "Send"}
    )
    delivery.deliver_due()
    page = client.get(f"/meetings/{meeting.slug}/manage/outbox").get_data(as_text=True)
    assert "No such mailbox" in page and "Send again" in page
    failed = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.state == MessageState.FAILED)
    )
    answer = post_form(f"/meetings/{meeting.slug}/manage/outbox/{failed.id}/retry")
    assert answer.status_code == 302
    db.session.refresh(failed)
    assert failed.state == MessageState.QUEUED
    again = post_form(f"/meetings/{meeting.slug}/manage/outbox/{failed.id}/retry")
    assert again.status_code == 302
    assert "Only a failed message" in client.get(
        f"/meetings/{meeting.slug}/manage/outbox"
    ).get_data(as_text=True)


def test_the_outbox_page_costs_the_same_queries_with_ten_or_three_hundred_messages(
    client, sign_in, make_meeting, make_user, make_registration
):
    from app.mail.notices import notify

    organiser = make_user("org@example.org")
    meeting = make_meeting(organiser=organiser)
    user = make_user("ana@example.org")
    counts = []
    for total in (10, 300):
        while db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) < total:
            notify(user, "password_changed", kind="account", essential=True, meeting=meeting)
        db.session.commit()
        sign_in(organiser)
        with count_queries() as statements:
            page = client.get(f"/meetings/{meeting.slug}/manage/outbox")
        assert page.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_worker_command_delivers_what_is_due(app, make_user, smtp_server):
    from app.mail.notices import notify

    notify(make_user("ana@example.org"), "password_changed", kind="account", essential=True)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp_server.to("ana@example.org")) == 1

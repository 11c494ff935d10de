"""The people in a session hear when it moves, changes room or is cancelled, with the updated
event as an .ics attachment whose UID and SEQUENCE update the event they hold."""

import base64

import sqlalchemy as sa
from icalendar import Calendar

from app.extensions import db
from app.mail.models import OutboxMessage
from app.programme.models import SpeakerRole
from app.programme.moves import current_input
from app.programme.sessions import cancel_session, update_session
from app.registration.places import take_place


def _session_messages() -> list[OutboxMessage]:
    return db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind.like("session_%"))
        .order_by(OutboxMessage.id)
    ).all()


def test_holders_and_speakers_hear_of_a_cancellation_with_the_event(
    breakouts, make_registration, make_user, make_person
):
    meeting, sessions, _ = breakouts(capacity=5, slots=1)
    session_ = sessions[(1, 1)]
    holder = make_registration(meeting, make_user("holder@example.org"))
    take_place(holder, session_)
    speaker_account = make_user("speaker@example.org")
    speaker = make_person(meeting, "Speaker", user_id=speaker_account.id)
    from app.programme.sessions import add_session_person

    add_session_person(session_, speaker.id, SpeakerRole.MODERATOR)
    make_registration(meeting, make_user("bystander@example.org"))
    cancel_session(session_)
    messages = _session_messages()
    assert sorted(m.recipient for m in messages) == ["holder@example.org", "speaker@example.org"]
    assert all(m.kind == "session_cancelled" for m in messages)
    [attachment] = messages[0].attachments
    calendar = Calendar.from_ical(base64.b64decode(attachment["data"]))
    [event] = calendar.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == session_.sequence
    assert f"plenary-session-{session_.id}-" in str(event["uid"])


def test_a_move_is_told_and_a_title_change_is_not(breakouts, make_registration, make_user):
    meeting, sessions, _ = breakouts(capacity=5, slots=1)
    session_ = sessions[(1, 1)]
    take_place(make_registration(meeting, make_user("holder@example.org")), session_)
    data = current_input(session_)
    data.title = "Breakout renamed"
    update_session(session_, data)
    assert _session_messages() == []
    data = current_input(session_)
    data.start_time = data.start_time.replace(hour=data.start_time.hour - 1)
    data.end_time = data.end_time.replace(hour=data.end_time.hour - 1)
    update_session(session_, data)
    [message] = _session_messages()
    assert message.kind == "session_moved" and "Breakout renamed" in message.subject

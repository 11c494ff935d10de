"""The reminder the day before a meeting, with the participant's own agenda, once."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.mail.models import OutboxMessage
from app.registration.places import take_place
from app.registration.reminders import meetings_starting_tomorrow, send_reminders


def test_the_day_before_each_participant_gets_their_agenda_once(
    app, breakouts, make_registration, make_user
):
    meeting, sessions, _ = breakouts(capacity=5, slots=1)
    ana = make_registration(meeting, make_user("ana@example.org", name="Ana"))
    take_place(ana, sessions[(2, 1)])
    quiet = make_user("quiet@example.org")
    quiet.notices_off = "reminders"
    make_registration(meeting, quiet)
    # The evening before, in the meeting's zone.
    day_before = datetime.combine(meeting.first_day - timedelta(days=1), datetime.min.time())
    now = day_before.replace(hour=12, tzinfo=UTC)
    assert meetings_starting_tomorrow(now) == [meeting]
    assert meetings_starting_tomorrow(now + timedelta(days=1)) == []
    assert send_reminders(meeting) == 1
    assert send_reminders(meeting) == 0
    [message] = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "reminder")
    ).all()
    assert message.recipient == "ana@example.org"
    assert "Breakout 1: cluster 2" in message.body_text
    assert "Breakout 1: cluster 1" not in message.body_text
    assert message.headers["List-Unsubscribe"]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["remind"]).exit_code == 0

"""The reminder the day before a meeting, with the participant's own agenda: written by
`flask --app wsgi remind` (run it daily, e.g. from cron or a systemd timer). Running it again
the same day writes nothing twice."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.notices import notify
from app.meetings.models import Meeting, MeetingStatus
from app.models_base import utcnow
from app.registration.models import Registration, RegistrationStatus
from app.registration.notices import user_of
from app.registration.queries import personal_agenda
from app.timezones import to_local


def meetings_starting_tomorrow(now: datetime | None = None) -> list[Meeting]:
    """Published meetings whose first day is tomorrow in their own time zone."""
    now = now or utcnow()
    today = now.date()
    candidates = db.session.scalars(
        select(Meeting).where(
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.first_day.between(today, today + timedelta(days=2)),
        )
    ).all()
    return [
        m for m in candidates if m.first_day == to_local(now, m.timezone).date() + timedelta(days=1)
    ]


def send_reminders(meeting: Meeting) -> int:
    """A reminder to every approved participant not reminded yet; how many were written."""
    reminded = set(
        db.session.scalars(
            select(OutboxMessage.user_id).where(
                OutboxMessage.meeting_id == meeting.id, OutboxMessage.kind == "reminder"
            )
        )
    )
    registrations = db.session.scalars(
        select(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .order_by(Registration.id)
    ).all()
    written = 0
    for registration in registrations:
        # A member without an account has no notice preferences, so no optional reminder.
        if registration.user_id is None or registration.user_id in reminded:
            continue
        message = notify(
            user_of(registration),
            "reminder",
            kind="reminders",
            essential=False,
            meeting=meeting,
            agenda=personal_agenda(registration),
            first_day=meeting.first_day,
        )
        written += message is not None
    db.session.flush()
    return written

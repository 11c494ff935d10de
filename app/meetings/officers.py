"""Officer rules: the Chair, Vice-Chairs and Rapporteur a meeting elects (flush, never commit)."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import MeetingError, flush_or_fail
from app.extensions import db
from app.limits import MAX_OFFICERS, check_room_for_one_more
from app.meetings.models import (
    Meeting,
    Office,
    Officer,
    Person,
)
from app.meetings.queries import record_of


def create_officer(
    meeting: Meeting, *, person_id: int, office: Office, elected_on: date | None = None
) -> Officer:
    """Record a person of the meeting as an officer, elected no later than its last day."""
    check_room_for_one_more(
        Officer,
        meeting.id,
        MAX_OFFICERS,
        _("A meeting has at most %(n)d officers.", n=MAX_OFFICERS),
        error=MeetingError,
    )
    person = record_of(Person, meeting, person_id)
    if person is None:
        raise MeetingError(_("Choose a person of this meeting."), "person_id")
    if not isinstance(office, Office):
        raise MeetingError(_("Choose an office."), "office")
    if elected_on is not None and elected_on > meeting.last_day:
        raise MeetingError(_("The election cannot be after the meeting's last day."), "elected_on")
    message = _("%(name)s is %(office)s already.", name=person.display_name, office=office.label)
    taken = db.session.scalar(
        select(func.count())
        .select_from(Officer)
        .where(
            Officer.meeting_id == meeting.id,
            Officer.person_id == person.id,
            Officer.office == office,
        )
    )
    if taken:
        raise MeetingError(message, "person_id")
    officer = Officer(meeting_id=meeting.id, person=person, office=office, elected_on=elected_on)
    db.session.add(officer)
    flush_or_fail(MeetingError(message, "person_id"))
    return officer


def delete_officer(officer: Officer) -> None:
    db.session.delete(officer)
    db.session.flush()

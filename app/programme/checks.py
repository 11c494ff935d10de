"""The checks every programme rule shares: text within its bound, a number of places, and a
record that belongs to the meeting (ids come from forms: never one of another meeting)."""

from flask_babel import gettext as _

from app.errors import ProgrammeError
from app.extensions import db
from app.limits import MAX_PLACES, check_text
from app.meetings.models import Meeting, MeetingStatus
from app.models_base import MAX_ID


def check_programme_text(value: str | None, limit: int, field: str, required: bool = True) -> str:
    """The text without surrounding spaces, or a ProgrammeError beside `field`."""
    return check_text(value, limit, field, required=required, error=ProgrammeError)


def check_places(value: int | None, field_name: str = "capacity") -> int | None:
    """A number of places from 0 to MAX_PLACES (None: no limit of its own)."""
    if value is not None and value < 0:
        raise ProgrammeError(_("The capacity cannot be below zero."), field_name)
    if value is not None and value > MAX_PLACES:
        raise ProgrammeError(_("At most %(max)d places.", max=MAX_PLACES), field_name)
    return value


def belonging(model, record_id: int | None, meeting: Meeting, field_name: str, message: str):
    """The record of this meeting with this id (None for no id), else a ProgrammeError."""
    if record_id is None:
        return None
    if not 0 < record_id <= MAX_ID:
        raise ProgrammeError(message, field_name)
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        raise ProgrammeError(message, field_name)
    return record


def check_not_concluded(meeting: Meeting) -> None:
    """A concluded meeting's programme is frozen: what happened stays as it happened."""
    if meeting.status == MeetingStatus.CONCLUDED:
        raise ProgrammeError(
            _("This meeting has concluded; its programme is frozen. Reopen the meeting first.")
        )

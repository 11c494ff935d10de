"""Publishing a meeting and its programme: refused while people or rooms are double-booked,
unless the organiser overrides it.
"""

from flask_babel import ngettext

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.programme.conflicts import Conflict, find_conflicts


class PublishBlocked(ProgrammeError):
    """Publishing was refused because people or rooms are double-booked."""

    def __init__(self, message: str, conflicts: list["Conflict"]):
        super().__init__(message, field="override")
        self.conflicts = conflicts

    def messages(self) -> list[str]:
        """The refusal, then each double-booking: the conflicts page lists them again."""
        return [self.message, *(conflict.message for conflict in self.conflicts)]


def publish_meeting(meeting: Meeting, *, override: bool = False) -> list[Conflict]:
    """Publish the meeting; refused while people or rooms are double-booked, unless overridden.

    Returns the blocking conflicts that were overridden (empty when there were none).
    """
    blocking = [c for c in find_conflicts(meeting) if c.is_blocking]
    if blocking and not override:
        raise PublishBlocked(
            ngettext(
                "The programme has %(num)d double-booking. Resolve it, or publish "
                "despite it by ticking the box.",
                "The programme has %(num)d double-bookings. Resolve them, or publish "
                "despite them by ticking the box.",
                len(blocking),
            ),
            blocking,
        )
    if meeting.status != MeetingStatus.PUBLISHED:
        meeting.status = MeetingStatus.PUBLISHED
        db.session.flush()
    return blocking


def unpublish_meeting(meeting: Meeting) -> None:
    """Take the meeting back to draft: the public no longer sees it."""
    if meeting.status != MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.DRAFT
        db.session.flush()

"""Publishing a meeting and its programme: refused while people or rooms are double-booked,
unless the organiser overrides it. Each publication after changes records a programme version
with its change list ("Version 3: 4 sessions moved, 1 cancelled"), as pretalx does with its
schedule versions: the public change log and the participants' "changed since you last looked"
marks read them.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.programme import changes
from app.programme.conflicts import Conflict, find_conflicts
from app.programme.models import ProgrammeChange, ProgrammeVersion


class PublishBlocked(ProgrammeError):
    """Publishing was refused because people or rooms are double-booked."""

    def __init__(self, message: str, conflicts: list["Conflict"]):
        super().__init__(message, field="override")
        self.conflicts = conflicts

    def messages(self) -> list[str]:
        """The refusal, then each double-booking: the conflicts page lists them again."""
        return [self.message, *(conflict.message for conflict in self.conflicts)]


def publish_meeting(
    meeting: Meeting, *, override: bool = False, actor_id: int | None = None
) -> list[Conflict]:
    """Publish the meeting; refused while people or rooms are double-booked, unless overridden.
    The first publication is version 1 of the programme; publishing again after changes
    records the next version with what changed.

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
    record_version(meeting, actor_id=actor_id)
    return blocking


def latest_version(meeting: Meeting) -> int:
    """The number of the meeting's latest published programme version (0: none yet)."""
    return db.session.scalar(
        select(func.coalesce(func.max(ProgrammeVersion.number), 0)).where(
            ProgrammeVersion.meeting_id == meeting.id
        )
    )


def record_version(meeting: Meeting, *, actor_id: int | None) -> ProgrammeVersion | None:
    """Record the next programme version with the changes no version lists yet: version 1 at
    the first publication (its changes are the planning, not news), later ones only when
    something changed on balance (a move and its undo are no news)."""
    pending = changes.unpublished(meeting.id)
    number = latest_version(meeting) + 1
    counts = changes.net_counts(pending) if number > 1 else {}
    if number > 1 and not counts:
        return None
    version = ProgrammeVersion(
        meeting_id=meeting.id, number=number, published_by_id=actor_id, counts=counts
    )
    db.session.add(version)
    db.session.flush()
    if pending:
        db.session.execute(
            ProgrammeChange.__table__.update()
            .where(ProgrammeChange.id.in_([change.id for change in pending]))
            .values(version_id=version.id)
        )
        for change in pending:
            db.session.expire(change, ["version_id"])
    return version


def unpublish_meeting(meeting: Meeting) -> None:
    """Take the meeting back to draft: the public no longer sees it."""
    if meeting.status != MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.DRAFT
        db.session.flush()


def conclude_meeting(meeting: Meeting) -> None:
    """The meeting is over: registration and places close and the programme freezes; its
    public pages stay. Only a published meeting concludes."""
    if meeting.status == MeetingStatus.CONCLUDED:
        raise ProgrammeError(_("This meeting has concluded already."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise ProgrammeError(_("Publish the meeting before concluding it."))
    meeting.status = MeetingStatus.CONCLUDED
    db.session.flush()


def reopen_meeting(meeting: Meeting) -> None:
    """Back to published: the programme may change and places move again."""
    if meeting.status != MeetingStatus.CONCLUDED:
        raise ProgrammeError(_("Only a concluded meeting can be reopened."))
    meeting.status = MeetingStatus.PUBLISHED
    db.session.flush()

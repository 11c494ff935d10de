"""Checking a participant in at the door: one check-in per participant per day (and per
session, at a breakout room's door), whatever number of desks scan the badge at once.

Plain functions: they flush, never commit. Two desks that insert the same check-in meet in the
database's unique index; the one that comes second hears "already checked in", with the time
and desk of the first.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.errors import VenueError
from app.extensions import db
from app.meetings.models import Meeting
from app.models_base import utcnow
from app.programme.models import AgendaSession
from app.registration.models import RegistrationStatus
from app.timezones import format_local_day, local_date, local_time
from app.venue import queries
from app.venue.models import CheckIn, VenueSettings
from app.venue.queries import Participant

# A desk that was offline sends its scans later: a scan may be this old when it arrives, and a
# phone's clock this far ahead of the server's.
SCAN_MAX_AGE = timedelta(days=2)
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class CheckInResult:
    """What the desk's screen says: who, and whether this scan checked them in."""

    participant: Participant
    check_in: CheckIn
    created: bool

    def message(self, zone: str) -> str:
        """ "Checked in." or "Already checked in at 09:12 at desk 2." """
        if self.created:
            return _("Checked in.")
        return already_message(self.check_in, zone)


def already_message(check_in: CheckIn, zone: str) -> str:
    """ "Already checked in at 09:12 at desk 2." in the meeting's time."""
    at = local_time(check_in.checked_in_at, zone)
    if check_in.desk:
        return _("Already checked in at %(time)s at %(desk)s.", time=at, desk=check_in.desk)
    return _("Already checked in at %(time)s.", time=at)


def check_in(
    meeting: Meeting,
    registration_id: int,
    *,
    desk: str = "",
    by: User | None = None,
    session_id: int | None = None,
    scanned_at: datetime | None = None,
    client_id: str = "",
) -> CheckInResult:
    """Record that a live participant came, on the meeting's local day of the scan."""
    now = utcnow()
    moment = scanned_at or now
    if moment > now + CLOCK_SKEW or moment < now - SCAN_MAX_AGE:
        raise VenueError(_("This scan's time is not believable; scan the badge again."))
    day = local_date(moment, meeting.timezone)
    if day < meeting.first_day or day > meeting.last_day:
        raise VenueError(
            _(
                "The meeting does not run on %(day)s. Nothing was recorded.",
                day=format_local_day(moment, meeting.timezone),
            )
        )
    person = queries.participant(meeting, registration_id)
    if person is None:
        status = queries.registration_status(meeting, registration_id)
        if status is None:
            raise VenueError(_("This is not a badge of this meeting."))
        if status == RegistrationStatus.PENDING:
            raise VenueError(_("This registration awaits approval. Nothing was recorded."))
        raise VenueError(_("This registration was withdrawn or declined. Nothing was recorded."))
    if session_id is not None:
        _check_door(meeting, session_id, day)
    existing = queries.check_ins_on(meeting, day, [registration_id], session_id).get(
        registration_id
    )
    if existing is not None:
        return CheckInResult(person, existing, _same_scan(existing, client_id))
    row = CheckIn(
        meeting_id=meeting.id,
        registration_id=registration_id,
        day=day,
        session_id=session_id,
        checked_in_at=moment,
        recorded_at=now,
        desk=desk,
        recorded_by_id=by.id if by is not None else None,
        client_id=client_id,
    )
    # Another desk may insert the same check-in between our read and our insert: the unique
    # index catches it, the savepoint keeps the rest of the transaction, and theirs is the one.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = queries.check_ins_on(meeting, day, [registration_id], session_id).get(
            registration_id
        )
        if existing is None:
            raise
        return CheckInResult(person, existing, _same_scan(existing, client_id))
    return CheckInResult(person, row, True)


def _same_scan(existing: CheckIn, client_id: str) -> bool:
    """A desk resending a scan the server already has: it was this scan that checked them in."""
    return bool(client_id) and existing.client_id == client_id


def _check_door(meeting: Meeting, session_id: int, day) -> None:
    if not queries.settings_of(meeting).check_in_per_session:
        raise VenueError(_("This meeting checks people in at the venue's door only."), "session")
    session_ = db.session.get(AgendaSession, session_id)
    if session_ is None or session_.meeting_id != meeting.id or session_.is_cancelled:
        raise VenueError(_("Choose a session of this meeting."), "session")
    if local_date(session_.starts_at, meeting.timezone) != day:
        raise VenueError(_("This session does not take place today. Nothing was recorded."))


def save_settings(
    meeting: Meeting, *, check_in_per_session: bool, attendance_from_presence: bool
) -> VenueSettings:
    """Keep the organiser's choices for the doors and for the report's attendance section."""
    settings = db.session.get(VenueSettings, meeting.id)
    if settings is None:
        settings = VenueSettings(meeting_id=meeting.id)
        db.session.add(settings)
    settings.check_in_per_session = bool(check_in_per_session)
    settings.attendance_from_presence = bool(attendance_from_presence)
    db.session.flush()
    return settings

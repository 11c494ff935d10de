"""The registration window: when registration opens and closes, and the cap on a delegation's
members. The deadline is the end of the closing day in the meeting's time zone; a meeting with
no closing day set keeps registration open (as before there was a window), and its links
expire at the end of the meeting. Rules flush but never commit."""

from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from app.delegations.models import RegistrationWindow
from app.errors import DelegationError
from app.extensions import db
from app.meetings.models import Meeting
from app.models_base import utcnow
from app.timezones import day_bounds_utc, local_date

# A delegation of more than this is a data error, not a delegation (a congress's largest is ~60).
MAX_MEMBERS_PER_DELEGATION = 500


def window_of(meeting: Meeting) -> RegistrationWindow | None:
    return db.session.get(RegistrationWindow, meeting.id)


def deadline(meeting: Meeting, window: RegistrationWindow | None = None) -> datetime:
    """The moment registration closes (UTC): the end of the closing day, else of the meeting."""
    window = window if window is not None else window_of(meeting)
    last = window.closes_on if window is not None and window.closes_on else meeting.last_day
    return day_bounds_utc(last, meeting.timezone)[1]


def closed_reason(
    meeting: Meeting, now: datetime | None = None, window: RegistrationWindow | None = None
) -> str:
    """Why registration is closed at `now`, or "" when it is open."""
    window = window if window is not None else window_of(meeting)
    now = now or utcnow()
    today = local_date(now, meeting.timezone)
    if window is not None and window.opens_on and today < window.opens_on:
        return _("Registration opens on %(day)s.", day=format_date(window.opens_on, format="long"))
    if window is not None and window.closes_on and now >= deadline(meeting, window):
        return _(
            "Registration closed on %(day)s. Write to the secretariat to change a delegation.",
            day=format_date(window.closes_on, format="long"),
        )
    return ""


def check_open(meeting: Meeting, now: datetime | None = None) -> None:
    reason = closed_reason(meeting, now)
    if reason:
        raise DelegationError(reason)


def cap(meeting: Meeting) -> int | None:
    window = window_of(meeting)
    return window.members_per_delegation if window is not None else None


def save_window(
    meeting: Meeting,
    *,
    opens_on: date | None,
    closes_on: date | None,
    members_per_delegation: int | None,
) -> RegistrationWindow:
    if opens_on and closes_on and closes_on < opens_on:
        raise DelegationError(_("Registration cannot close before it opens."), "closes_on")
    if closes_on and closes_on > meeting.last_day + timedelta(days=366):
        raise DelegationError(_("Close registration within a year of the meeting."), "closes_on")
    if members_per_delegation is not None and not (
        1 <= members_per_delegation <= MAX_MEMBERS_PER_DELEGATION
    ):
        raise DelegationError(
            _("Give a number from 1 to %(n)d.", n=MAX_MEMBERS_PER_DELEGATION),
            "members_per_delegation",
        )
    window = window_of(meeting)
    if window is None:
        window = RegistrationWindow(meeting_id=meeting.id)
        db.session.add(window)
    window.opens_on, window.closes_on = opens_on, closes_on
    window.members_per_delegation = members_per_delegation
    db.session.flush()
    return window

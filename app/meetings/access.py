"""Who may see and change a meeting: loaded once per request, used by every area's views."""

from flask import abort, g
from flask_babel import refresh
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db, login_manager
from app.meetings.models import Meeting, MeetingRole, RoleName


def roles_in(meeting: Meeting) -> frozenset[RoleName]:
    """The current account's roles in a meeting (cached for the request)."""
    cache = g.setdefault("_meeting_roles", {})
    if meeting.id not in cache:
        if not current_user.is_authenticated:
            cache[meeting.id] = frozenset()
        else:
            cache[meeting.id] = frozenset(
                db.session.scalars(
                    select(MeetingRole.role).where(
                        MeetingRole.meeting_id == meeting.id,
                        MeetingRole.user_id == current_user.id,
                    )
                )
            )
    return cache[meeting.id]


def has_role(meeting: Meeting, *roles: RoleName) -> bool:
    """True if the current account holds one of `roles` in the meeting, or is a site admin."""
    if current_user.is_authenticated and current_user.is_admin:
        return True
    return bool(roles_in(meeting) & set(roles))


def can_manage(meeting: Meeting) -> bool:
    """Only a meeting's organisers (and site administrators) change its programme."""
    return has_role(meeting, RoleName.ORGANISER)


def can_see(meeting: Meeting) -> bool:
    """A published meeting is public; a draft only to its own organisers (and site
    administrators): its Chair, rapporteurs and participants see it once it is published."""
    if meeting.is_published:
        return True
    return can_manage(meeting)


def load_meeting(slug: str) -> Meeting:
    """The meeting for a URL, or 404 when it does not exist or is a draft the visitor can't see."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == slug))
    if meeting is None or not can_see(meeting):
        abort(404)
    # The meeting's own language is the page's, for a reader whose browser asks for none
    # that Plenary speaks (app/i18n.py).
    g.meeting_language = meeting.language
    refresh()
    return meeting


def require_manager(slug: str) -> Meeting:
    """The meeting, if the current account organises it: sign-in first, then 403 for others."""
    if not current_user.is_authenticated:
        # Do not reveal drafts: an anonymous visitor of a draft gets 404 like everyone else.
        meeting = load_meeting(slug)
        abort(login_manager.unauthorized())
    meeting = load_meeting(slug)
    if not can_manage(meeting):
        abort(403)
    return meeting


def require_role(slug: str, *roles: RoleName) -> Meeting:
    """The meeting, if the current account holds one of `roles` in it."""
    if not current_user.is_authenticated:
        load_meeting(slug)
        abort(login_manager.unauthorized())
    meeting = load_meeting(slug)
    if not has_role(meeting, *roles):
        abort(403)
    return meeting


def is_current(record, submitted: str | int | None) -> bool:
    """False when a form was opened on an older version of the record than the one stored
    (the view answers 409); a form that names no version is not refused here."""
    try:
        expected = int(submitted) if submitted not in (None, "") else None
    except (TypeError, ValueError):
        expected = None
    return expected is None or expected == record.version

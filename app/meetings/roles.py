"""Role rules: who organises, chairs, reports or takes part in a meeting (flush, never commit)."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.errors import MeetingError, flush_or_fail
from app.extensions import db
from app.meetings.models import (
    Meeting,
    MeetingRole,
    RoleName,
)


def grant_role(meeting: Meeting, email: str, role: RoleName) -> tuple[MeetingRole, bool]:
    """Give an existing account a role; returns (row, created) and changes nothing if held."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise MeetingError(_("No account with this email address."), "email")
    if not isinstance(role, RoleName):
        raise MeetingError(_("Choose a role."), "role")
    existing = db.session.scalar(
        select(MeetingRole).where(
            MeetingRole.meeting_id == meeting.id,
            MeetingRole.user_id == user.id,
            MeetingRole.role == role,
        )
    )
    if existing is not None:
        return existing, False
    row = MeetingRole(meeting_id=meeting.id, user_id=user.id, role=role)
    db.session.add(row)
    flush_or_fail(MeetingError(_("%(name)s holds this role already.", name=user.name), "email"))
    return row, True


def revoke_role(meeting: Meeting, row: MeetingRole) -> None:
    """Take a role away; a meeting always keeps at least one organiser."""
    if row.role == RoleName.ORGANISER:
        organisers = db.session.scalar(
            select(func.count())
            .select_from(MeetingRole)
            .where(MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleName.ORGANISER)
        )
        if organisers <= 1:
            raise MeetingError(
                _(
                    "%(name)s is the meeting's last organiser. Make someone else an organiser "
                    "first.",
                    name=row.user.name,
                )
            )
    db.session.delete(row)
    db.session.flush()

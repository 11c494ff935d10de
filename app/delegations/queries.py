"""Reads of the delegations area: a meeting's delegations, in the UN order of the lists."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.delegations.models import AttendanceCategory, Delegation
from app.extensions import db
from app.meetings.models import Meeting

CATEGORY_ORDER = {category: rank for rank, category in enumerate(AttendanceCategory)}


def delegations(meeting: Meeting) -> list[Delegation]:
    """The meeting's delegations by category in the UN order, then by name (one query)."""
    rows = db.session.scalars(
        select(Delegation)
        .where(Delegation.meeting_id == meeting.id)
        .options(joinedload(Delegation.focal_point))
    ).all()
    return sorted(rows, key=lambda d: (CATEGORY_ORDER[d.category], d.name.casefold()))


def get_delegation(meeting: Meeting, delegation_id: int) -> Delegation | None:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.meeting_id != meeting.id:
        return None
    return delegation


def focal_point_of(meeting: Meeting, user) -> list[Delegation]:
    """The delegations an account is focal point of in a meeting."""
    return list(
        db.session.scalars(
            select(Delegation).where(
                Delegation.meeting_id == meeting.id, Delegation.focal_point_user_id == user.id
            )
        )
    )

"""Delegation rules: an organiser records a delegation (a State or an organisation, its
category and qualifier) without anyone needing an account. They flush but never commit."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.delegations.models import (
    STANDARD_QUALIFIERS,
    AttendanceCategory,
    Delegation,
    DelegationKind,
)
from app.errors import DelegationError, flush_or_fail
from app.extensions import db
from app.limits import MAX_DELEGATIONS, NAME_MAX, check_room_for_one_more, check_text
from app.meetings.models import Meeting


def find_by_name(meeting: Meeting, name: str) -> Delegation | None:
    """The meeting's delegation of this name, whatever its case ("thailand" is Thailand)."""
    return db.session.scalar(
        select(Delegation).where(
            Delegation.meeting_id == meeting.id,
            func.lower(Delegation.name) == (name or "").strip().lower(),
        )
    )


def standard_qualifier(category: AttendanceCategory) -> str:
    text = STANDARD_QUALIFIERS.get(category)
    return str(text) if text is not None else ""


def save_delegation(
    meeting: Meeting,
    *,
    delegation: Delegation | None = None,
    name: str,
    category: AttendanceCategory,
    kind: DelegationKind | None = None,
    qualifier: str | None = None,
) -> Delegation:
    """Create a delegation, or change `delegation`; names are unique in a meeting (any case)."""
    name = check_text(name, NAME_MAX, "name", error=DelegationError)
    if not isinstance(category, AttendanceCategory):
        raise DelegationError(_("Choose an attendance category."), "category")
    same = find_by_name(meeting, name)
    taken = _("%(name)s is a delegation of this meeting already.", name=name)
    if same is not None and same is not delegation:
        raise DelegationError(taken, "name")
    if delegation is None:
        check_room_for_one_more(
            Delegation,
            meeting.id,
            MAX_DELEGATIONS,
            _("A meeting has at most %(n)d delegations.", n=MAX_DELEGATIONS),
            error=DelegationError,
        )
        delegation = Delegation(meeting_id=meeting.id, invitation_version=0)
        db.session.add(delegation)
        if qualifier is None:
            qualifier = standard_qualifier(category)
    delegation.name = name
    delegation.category = category
    delegation.kind = kind or (
        DelegationKind.STATE if category.is_state else DelegationKind.ORGANISATION
    )
    if qualifier is not None:
        delegation.qualifier = check_text(
            qualifier, 300, "qualifier", required=False, error=DelegationError
        )
    flush_or_fail(DelegationError(taken, "name"))
    return delegation


def delete_delegation(delegation: Delegation, members: int) -> None:
    """Remove a delegation that has no members (`members`: how many it has)."""
    if members:
        raise DelegationError(
            _(
                "%(name)s has members. Withdraw them first: their registrations are kept.",
                name=delegation.name,
            )
        )
    db.session.delete(delegation)
    db.session.flush()

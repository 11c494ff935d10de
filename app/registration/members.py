"""A delegation's members: a member is a registration of the delegation, entered by an
organiser or nominated by the delegation's focal point, with no account until the person
claims one through the link sent to them. Rules flush but never commit.

A focal point works only until the registration deadline and within the cap on members; an
organiser may enter members at any time (a note verbale arrives late). A member a focal point
nominates waits for the organiser's approval when the meeting asks for it; one the organiser
enters is approved.
"""

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.delegations import invitations
from app.delegations import window as windows
from app.delegations.models import Delegation, MemberRole
from app.errors import DelegationError, MeetingError, RegistrationError
from app.extensions import db
from app.limits import MAX_REGISTRATIONS, check_room_for_one_more
from app.meetings.models import Meeting, Person
from app.meetings.people import save_person
from app.models_base import utcnow
from app.registration.models import Registration, RegistrationStatus
from app.registration.registrations import LIVE, check_cap, withdraw

MEMBER_FIELDS = ("honorific", "name", "position", "organisation", "nationality")


def normal_email(email: str, field: str = "email") -> str:
    """An address as stored ("" when none is given); refused when it is not one."""
    email = (email or "").strip()
    if not email:
        return ""
    try:
        address = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise DelegationError(_("Enter a valid e-mail address."), field) from None
    if len(address) > 254:
        raise DelegationError(_("Enter a valid e-mail address."), field)
    return address.lower()


def member_with_email(meeting: Meeting, email: str) -> Registration | None:
    """The registration of the meeting entered with this address, or whose account has it."""
    if not email:
        return None
    return db.session.scalar(
        select(Registration)
        .outerjoin(User, User.id == Registration.user_id)
        .where(
            Registration.meeting_id == meeting.id,
            (func.lower(Registration.email) == email) | (func.lower(User.email) == email),
        )
        .limit(1)
    )


def _check_focal_point_may_change(delegation: Delegation, now: datetime | None) -> None:
    windows.check_open(delegation.meeting, now)


def _person_values(fields: dict) -> dict:
    return {
        "honorific": fields.get("honorific") or "",
        "name": fields.get("name") or "",
        "position": fields.get("position") or "",
        "organisation": fields.get("organisation") or "",
        "country": fields.get("nationality") or "",
    }


def _save_person(meeting: Meeting, person: Person | None, fields: dict) -> Person:
    try:
        return save_person(meeting, person=person, **_person_values(fields))
    except MeetingError as error:  # same message, beside the member form's own field
        field = "nationality" if error.field == "country" else error.field
        raise DelegationError(error.message, field) from error


def add_member(
    delegation: Delegation,
    *,
    by_focal_point: bool,
    role: MemberRole = MemberRole.MEMBER,
    email: str = "",
    now: datetime | None = None,
    **fields,
) -> Registration:
    """Enter a member of the delegation (no account needed)."""
    meeting = delegation.meeting
    if by_focal_point:
        _check_focal_point_may_change(delegation, now)
    if not isinstance(role, MemberRole):
        raise DelegationError(_("Choose the member's role."), "role")
    email = normal_email(email)
    if member_with_email(meeting, email) is not None:
        raise DelegationError(
            _("%(email)s is a participant of this meeting already.", email=email), "email"
        )
    if by_focal_point:  # the secretariat may enter more than a focal point can
        check_cap(delegation)
    check_room_for_one_more(
        Registration,
        meeting.id,
        MAX_REGISTRATIONS,
        _("This meeting has reached its number of registrations."),
        error=DelegationError,
    )
    person = _save_person(meeting, None, fields)
    last = db.session.scalar(
        select(func.max(Registration.list_order)).where(Registration.delegation_id == delegation.id)
    )
    status = RegistrationStatus.APPROVED
    if by_focal_point and meeting.registration_needs_approval:
        status = RegistrationStatus.PENDING
    member = Registration(
        meeting_id=meeting.id,
        user_id=None,
        person_id=person.id,
        delegation=delegation.name,
        delegation_id=delegation.id,
        category=delegation.category,
        member_role=role,
        list_order=(last or 0) + 1,
        email=email,
        status=status,
    )
    db.session.add(member)
    db.session.flush()
    return member


def update_member(
    member: Registration,
    *,
    by_focal_point: bool,
    role: MemberRole,
    email: str = "",
    now: datetime | None = None,
    **fields,
) -> Registration:
    """Change a member's details (the person as printed, role, address)."""
    delegation = member.delegation_record
    if by_focal_point:
        _check_focal_point_may_change(delegation, now)
    if not isinstance(role, MemberRole):
        raise DelegationError(_("Choose the member's role."), "role")
    if member.user_id is None:
        email = normal_email(email)
        other = member_with_email(member.meeting, email)
        if other is not None and other.id != member.id:
            raise DelegationError(
                _("%(email)s is a participant of this meeting already.", email=email), "email"
            )
        member.email = email
    _save_person(member.meeting, member.person, fields)
    member.member_role = role
    db.session.flush()
    return member


def withdraw_member(
    member: Registration, *, by_focal_point: bool, now: datetime | None = None
) -> None:
    """The focal point (or an organiser) withdraws a member: the registration is cancelled."""
    if by_focal_point:
        _check_focal_point_may_change(member.delegation_record, now)
    try:
        withdraw(member)
    except RegistrationError as error:
        raise DelegationError(_("This member is withdrawn already.")) from error


def move_up(member: Registration, *, by_focal_point: bool, now: datetime | None = None) -> None:
    """Print a member before the one above them in the same role (the head stays first)."""
    if by_focal_point:
        _check_focal_point_may_change(member.delegation_record, now)
    same_role = sorted(
        db.session.scalars(
            select(Registration).where(
                Registration.delegation_id == member.delegation_id,
                Registration.member_role == member.member_role,
                Registration.status.in_(LIVE),
            )
        ),
        key=lambda r: (r.list_order, r.id),
    )
    at = next((i for i, r in enumerate(same_role) if r.id == member.id), None)
    if not at:  # first of its role already, or withdrawn
        raise DelegationError(_("This member is listed first of their role already."))
    above = same_role[at - 1]
    # Number the role's members afresh, so equal orders (an import) cannot stall the move.
    same_role[at - 1], same_role[at] = member, above
    for position, r in enumerate(same_role, start=1):
        r.list_order = position
    db.session.flush()


def claim_link_token(member: Registration) -> str:
    """The token of the member's "claim your account" link; records when it was issued."""
    if member.user_id is not None:
        raise DelegationError(_("This member has an account already."))
    if not member.email:
        raise DelegationError(_("Enter the member's e-mail address first."))
    member.claim_issued_at = utcnow()
    db.session.flush()
    return invitations.sign(
        invitations.MEMBER_CLAIM,
        {
            "m": member.meeting_id,
            "d": member.delegation_id,
            "r": member.id,
            "e": member.email,
        },
    )


def claim_member(meeting: Meeting, token: str, user: User) -> Registration:
    """The account that follows a member's link becomes that member: their registration is the
    account's, for cluster places and a personal agenda."""
    payload = invitations.read(invitations.MEMBER_CLAIM, token, meeting)
    member = db.session.get(Registration, payload.get("r"))
    if (
        member is None
        or member.meeting_id != meeting.id
        or member.delegation_id != payload.get("d")
        or (member.email or "") != payload.get("e")
        or member.status not in LIVE
    ):
        raise DelegationError(
            _("This link is not valid. Ask the secretariat for a new invitation.")
        )
    if member.user_id == user.id:
        return member
    if member.user_id is not None:
        raise DelegationError(_("Another account has claimed this place already."))
    own = db.session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == user.id
        )
    )
    if own is not None:
        raise DelegationError(
            _(
                "Your account is registered for this meeting already (%(delegation)s). "
                "Ask the secretariat to merge the two.",
                delegation=own.delegation,
            )
        )
    member.user_id = user.id
    has_person = db.session.scalar(
        select(Person.id).where(Person.meeting_id == meeting.id, Person.user_id == user.id)
    )
    if has_person is None:
        member.person.user_id = user.id
    db.session.flush()
    return member


def nominations_of(user: User) -> list[Registration]:
    """Members entered with the account's address and not yet claimed, in every meeting."""
    return list(
        db.session.scalars(
            select(Registration).where(
                Registration.user_id.is_(None),
                func.lower(Registration.email) == user.email.lower(),
                Registration.status.in_(LIVE),
            )
        )
    )

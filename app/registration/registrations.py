"""Registration rules: registering for a meeting, the organiser's decisions, withdrawing, and
the secret address of a participant's calendar feed. They flush but never commit.
"""

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.delegations import window as windows
from app.delegations.delegations import find_by_name, save_delegation
from app.delegations.models import Delegation
from app.errors import DelegationError, RegistrationError
from app.extensions import db
from app.limits import MAX_REGISTRATIONS, NAME_MAX, check_room_for_one_more, check_text
from app.meetings.models import Meeting, MeetingStatus, Person
from app.registration.models import (
    AttendanceCategory,
    Registration,
    RegistrationStatus,
)
from app.registration.notices import registration_news
from app.registration.places import lock_registration, release_all_places, titles_of_places


def register(
    meeting: Meeting,
    user: User,
    *,
    delegation: str,
    category: AttendanceCategory,
    honorific: str = "",
    position: str = "",
) -> Registration:
    """Register an account for a published meeting; approved at once unless approval is needed.
    The honorific and position, when given, are the person's as the list of participants
    prints them."""
    if meeting.status != MeetingStatus.PUBLISHED:
        raise RegistrationError(_("This meeting is not open for registration."))
    delegation = (delegation or "").strip()
    if not delegation:
        raise RegistrationError(
            _("Name your delegation (a State or an organisation)."), "delegation"
        )
    delegation = check_text(delegation, NAME_MAX, "delegation", error=RegistrationError)
    reason = windows.closed_reason(meeting)
    if reason:
        raise RegistrationError(reason)
    existing = db.session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == user.id
        )
    )
    status = (
        RegistrationStatus.PENDING
        if meeting.registration_needs_approval
        else RegistrationStatus.APPROVED
    )
    honorific = check_text(honorific, 60, "honorific", required=False, error=RegistrationError)
    position = check_text(position, 300, "position", required=False, error=RegistrationError)
    record = _delegation_record(meeting, delegation, category)
    delegation = record.name
    if existing is None:
        check_room_for_one_more(
            Registration,
            meeting.id,
            MAX_REGISTRATIONS,
            _("This meeting has reached its number of registrations."),
            error=RegistrationError,
        )
    if existing is not None:
        if existing.status != RegistrationStatus.CANCELLED:
            raise RegistrationError(_("You are registered for this meeting already."))
        # A participant who withdrew may register again: same record, fresh decision.
        existing.delegation, existing.category, existing.status = delegation, category, status
        existing.delegation_id = record.id
        existing.organiser_note = ""
        _describe(existing.person, honorific, position)
        db.session.flush()
        registration_news(existing)
        return existing
    registration = Registration(
        meeting_id=meeting.id,
        user_id=user.id,
        person_id=person_for(meeting, user).id,
        delegation=delegation,
        delegation_id=record.id,
        category=category,
        status=status,
    )
    db.session.add(registration)
    _describe(registration.person or db.session.get(Person, registration.person_id), honorific,
              position)  # fmt: skip
    db.session.flush()
    registration_news(registration)
    return registration


def _describe(person: Person, honorific: str, position: str) -> None:
    if honorific:
        person.honorific = honorific
    if position:
        person.position = position


# Members who count against the cap and appear in a delegation's list.
LIVE = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


def live_members(delegation: Delegation) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.delegation_id == delegation.id, Registration.status.in_(LIVE))
    )


def check_cap(delegation: Delegation, adding: int = 1) -> None:
    cap = windows.cap(delegation.meeting)
    if cap is not None and live_members(delegation) + adding > cap:
        raise DelegationError(
            _(
                "A delegation has at most %(n)d members at this meeting. Withdraw a member "
                "first, or ask the secretariat.",
                n=cap,
            )
        )


def _delegation_record(meeting: Meeting, name: str, category: AttendanceCategory):
    """The delegation a participant names, recorded when it is new, within its cap."""
    record = find_by_name(meeting, name)
    try:
        if record is None:
            record = save_delegation(meeting, name=name, category=category)
        else:
            check_cap(record)
    except DelegationError as error:
        raise RegistrationError(error.message, "delegation") from error
    return record


def person_for(meeting: Meeting, user: User) -> Person:
    """The meeting's person record for an account, made from the account when missing."""
    person = db.session.scalar(
        select(Person).where(Person.meeting_id == meeting.id, Person.user_id == user.id)
    )
    if person is None:
        person = Person(meeting_id=meeting.id, user_id=user.id, name=user.name)
        db.session.add(person)
        db.session.flush()
    return person


_DECISIONS = {
    RegistrationStatus.APPROVED: {RegistrationStatus.PENDING, RegistrationStatus.DECLINED},
    RegistrationStatus.DECLINED: {RegistrationStatus.PENDING, RegistrationStatus.APPROVED},
    RegistrationStatus.CANCELLED: {RegistrationStatus.PENDING, RegistrationStatus.APPROVED},
}


def decide(registration: Registration, status: RegistrationStatus, note: str = "") -> None:
    """An organiser approves, declines or cancels a registration; places are freed if it ends."""
    lock_registration(registration)
    allowed_from = _DECISIONS.get(status)
    if allowed_from is None or registration.status not in allowed_from:
        raise RegistrationError(
            _(
                "A registration that is %(current)s cannot be set to %(new)s.",
                current=registration.status.label,
                new=status.label,
            )
        )
    registration.status = status
    registration.organiser_note = note.strip()
    lost: list[str] = []
    if status != RegistrationStatus.APPROVED:
        lost = titles_of_places(registration)
        release_all_places(registration)
    db.session.flush()
    registration_news(registration, lost=lost)


def decision_applies(registration: Registration, status: RegistrationStatus) -> bool:
    """Whether `decide` would accept this decision for the registration as it stands."""
    return registration.status in _DECISIONS.get(status, ())


def decide_many(
    registrations: list[Registration], status: RegistrationStatus, note: str = ""
) -> tuple[int, int]:
    """The same decision for many registrations, one `decide` each (so each person's notice
    goes out); those it does not apply to (already declined, say) are left as they are.
    Returns (decided, left)."""
    decided = left = 0
    for registration in registrations:
        if decision_applies(registration, status):
            decide(registration, status, note)
            decided += 1
        else:
            left += 1
    return decided, left


def withdraw(registration: Registration) -> None:
    """The participant withdraws: the registration is cancelled and every place freed."""
    if lock_registration(registration) == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("You have withdrawn from this meeting already."))
    registration.status = RegistrationStatus.CANCELLED
    release_all_places(registration)
    db.session.flush()
    registration_news(registration, by_participant=True)


def regenerate_feed_token(registration: Registration) -> str:
    """Give the participant's calendar feed a new secret URL; the old one stops working."""
    # 32 random bytes, URL-safe base64: 43 characters, unguessable.
    registration.feed_token = secrets.token_urlsafe(32)
    db.session.flush()
    return registration.feed_token

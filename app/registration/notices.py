"""What the registration area tells participants, written into the outbox in the transaction
of the change (app/mail/notices.py): decisions on a registration, places and waiting lists."""

from app.mail.notices import notify
from app.registration.models import ClusterPlace, Registration, RegistrationStatus

_DECISION_TEMPLATES = {
    RegistrationStatus.PENDING: "registration_received",
    RegistrationStatus.APPROVED: "registration_approved",
    RegistrationStatus.DECLINED: "registration_declined",
    RegistrationStatus.CANCELLED: "registration_cancelled",
}


def registration_news(
    registration: Registration, *, lost: list[str] = (), by_participant: bool = False
) -> None:
    """The participant hears of their registration's present status (always sent)."""
    notify(
        registration.user,
        _DECISION_TEMPLATES[registration.status],
        kind="registration",
        essential=True,
        meeting=registration.meeting,
        registration=registration,
        note=registration.organiser_note,
        lost=list(lost),
        by_participant=by_participant,
    )


def place_taken(place: ClusterPlace) -> None:
    """A place the participant asked for: confirmed, or on the waiting list at a position."""
    template = "place_confirmed" if place.waitlist_position is None else "place_waitlisted"
    registration = place.registration
    notify(
        registration.user,
        template,
        kind="place_confirmations",
        essential=False,
        meeting=registration.meeting,
        session=place.session_,
        position=place.waitlist_position,
    )


def promoted(place: ClusterPlace, given_up: str | None) -> None:
    """A seat came free: the first in line has it now (always sent, once per promotion)."""
    registration = place.registration
    notify(
        registration.user,
        "place_promoted",
        kind="places",
        essential=True,
        meeting=registration.meeting,
        session=place.session_,
        given_up=given_up,
    )

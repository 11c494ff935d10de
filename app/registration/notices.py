"""What the registration area tells participants, written into the outbox in the transaction
of the change (app/mail/notices.py): decisions on a registration, places and waiting lists."""

from app.auth.models import User
from app.extensions import db
from app.mail.notices import notify, send_to_address
from app.meetings.models import Meeting, Person
from app.programme.models import AgendaSession
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
    _tell(
        registration,
        _DECISION_TEMPLATES[registration.status],
        kind="registration",
        essential=True,
        meeting=_meeting(registration),
        registration=registration,
        note=registration.organiser_note,
        lost=list(lost),
        by_participant=by_participant,
    )


def place_taken(place: ClusterPlace) -> None:
    """A place the participant asked for: confirmed, or on the waiting list at a position."""
    template = "place_confirmed" if place.waitlist_position is None else "place_waitlisted"
    registration = db.session.get(Registration, place.registration_id)
    _tell(
        registration,
        template,
        kind="place_confirmations",
        essential=False,
        meeting=_meeting(registration),
        session=db.session.get(AgendaSession, place.session_id),
        position=place.waitlist_position,
    )


def promoted(place: ClusterPlace, given_up: str | None) -> None:
    """A seat came free: the first in line has it now (always sent, once per promotion)."""
    registration = db.session.get(Registration, place.registration_id)
    _tell(
        registration,
        "place_promoted",
        kind="places",
        essential=True,
        meeting=_meeting(registration),
        session=db.session.get(AgendaSession, place.session_id),
        given_up=given_up,
    )


def _tell(whose: Registration, template: str, *, kind: str, essential: bool, **ctx) -> None:
    """To the participant's account; a member a focal point nominated who has no account yet
    hears of decisions at the address the focal point gave (the essential ones only: they have
    no notice preferences to honour), and someone with neither hears nothing."""
    user = user_of(whose)
    if user is not None:
        notify(user, template, kind=kind, essential=essential, **ctx)
    elif essential and whose.email:
        meeting = ctx.pop("meeting")
        person = db.session.get(Person, whose.person_id)
        send_to_address(
            whose.email,
            template,
            language=meeting.language,
            name=person.display_name if person is not None else "",
            meeting=meeting,
            **ctx,
        )


# Through the identity map, not the relationships: callers may load registrations with
# lazy="raise" options, and the objects are in the session already.


def user_of(registration: Registration) -> User | None:
    if registration.user_id is None:
        return None
    return db.session.get(User, registration.user_id)


def _meeting(registration: Registration) -> Meeting:
    return db.session.get(Meeting, registration.meeting_id)

"""Reads the venue's pages and documents share: who a badge, a certificate or a check-in names,
today's check-ins, and the live counts.

`participants` is the ONE place that reads a participant's person data (honorific, name,
delegation, category): badges, certificates and the desk all go through it. The delegation's
name and category come from its record (renamed by the organiser or an import), the
registration's own text only for a registration without one: the same `listed_delegation` and
`listed_category` (app/registration/queries.py) the report's attendance reads.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Meeting, Office, Officer, Person
from app.programme.models import AgendaSession
from app.registration.models import AttendanceCategory, Registration, RegistrationStatus
from app.registration.queries import listed_category, listed_delegation, with_delegation_record
from app.venue.models import CheckIn, VenueSettings

# Only a live registration gets a badge, a check-in or a certificate: approved, never a
# pending, declined or cancelled (withdrawn) one.
LIVE = RegistrationStatus.APPROVED


@dataclass(frozen=True)
class Participant:
    """A participant as badges, certificates and the desk show them."""

    registration_id: int
    honorific: str
    name: str
    delegation: str
    category: AttendanceCategory

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


def participants(
    meeting: Meeting,
    *,
    registration_ids: list[int] | None = None,
    delegation: str | None = None,
    category: AttendanceCategory | None = None,
    name: str | None = None,
    present_only: bool = False,
    limit: int | None = None,
) -> list[Participant]:
    """The meeting's live participants, by delegation then name, filtered as asked: one query."""
    query = with_delegation_record(
        select(Registration.id, Person.honorific, Person.name, listed_delegation, listed_category)
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
    ).where(Registration.meeting_id == meeting.id, Registration.status == LIVE)
    if registration_ids is not None:
        query = query.where(Registration.id.in_(registration_ids))
    if delegation:
        query = query.where(listed_delegation == delegation)
    if category is not None:
        query = query.where(listed_category == category)
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Person.name.ilike(pattern, escape="\\"))
    if present_only:
        present = select(CheckIn.registration_id).where(CheckIn.meeting_id == meeting.id)
        query = query.where(Registration.id.in_(present))
    query = query.order_by(listed_delegation, Person.name, Registration.id)
    if limit is not None:
        query = query.limit(limit)
    return [Participant(*row) for row in db.session.execute(query)]


def participant(meeting: Meeting, registration_id: int) -> Participant | None:
    """One live participant of the meeting, or None."""
    found = participants(meeting, registration_ids=[registration_id])
    return found[0] if found else None


def registration_status(meeting: Meeting, registration_id: int) -> RegistrationStatus | None:
    """A registration's status in this meeting (None: not one of its registrations)."""
    return db.session.scalar(
        select(Registration.status).where(
            Registration.id == registration_id, Registration.meeting_id == meeting.id
        )
    )


def delegations(meeting: Meeting) -> list[str]:
    """The delegations of the meeting's live participants, in order (the badge page's choice)."""
    return list(
        db.session.scalars(
            with_delegation_record(select(listed_delegation).select_from(Registration))
            .where(Registration.meeting_id == meeting.id, Registration.status == LIVE)
            .distinct()
            .order_by(listed_delegation)
        )
    )


def settings_of(meeting: Meeting) -> VenueSettings:
    """The meeting's venue settings (the defaults, unsaved, when it has none yet)."""
    settings = db.session.get(VenueSettings, meeting.id)
    if settings is None:
        settings = VenueSettings(
            meeting_id=meeting.id, check_in_per_session=False, attendance_from_presence=False
        )
    return settings


def check_ins_on(
    meeting: Meeting, day: date, registration_ids: list[int], session_id: int | None = None
) -> dict[int, CheckIn]:
    """The day's check-ins (at the venue's door, or at one session's) of these participants."""
    if not registration_ids:
        return {}
    query = select(CheckIn).where(
        CheckIn.meeting_id == meeting.id,
        CheckIn.day == day,
        CheckIn.registration_id.in_(registration_ids),
    )
    query = query.where(
        CheckIn.session_id.is_(None) if session_id is None else CheckIn.session_id == session_id
    )
    return {row.registration_id: row for row in db.session.scalars(query)}


def door_sessions(meeting: Meeting) -> list[AgendaSession]:
    """The sessions a desk may stand at the door of: the meeting's, not cancelled, in order."""
    return list(
        db.session.scalars(
            select(AgendaSession)
            .where(AgendaSession.meeting_id == meeting.id, AgendaSession.is_cancelled.is_(False))
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        )
    )


@dataclass
class Counts:
    """Who was present, for the organiser: by day, by day and category, by session."""

    registered: int
    by_day: dict[date, int]
    by_day_category: dict[tuple[date, AttendanceCategory], int]
    by_session: dict[int, int]
    delegations_present: int


def presence_counts(meeting: Meeting) -> Counts:
    """Live counts of presence, in four queries at any number of participants."""
    registered = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == LIVE)
    )
    rows = db.session.execute(
        with_delegation_record(
            select(CheckIn.day, listed_category, func.count(CheckIn.registration_id.distinct()))
            .select_from(CheckIn)
            .join(Registration, Registration.id == CheckIn.registration_id)
        )
        .where(CheckIn.meeting_id == meeting.id)
        .group_by(CheckIn.day, listed_category)
    ).all()
    by_day_category = {(day, category): n for day, category, n in rows}
    by_day = dict(
        db.session.execute(
            select(CheckIn.day, func.count(CheckIn.registration_id.distinct()))
            .where(CheckIn.meeting_id == meeting.id)
            .group_by(CheckIn.day)
        ).all()
    )
    by_session = dict(
        db.session.execute(
            select(CheckIn.session_id, func.count())
            .where(CheckIn.meeting_id == meeting.id, CheckIn.session_id.is_not(None))
            .group_by(CheckIn.session_id)
        ).all()
    )
    delegations_present = db.session.scalar(
        with_delegation_record(
            select(func.count(listed_delegation.distinct())).select_from(Registration)
        ).where(
            Registration.id.in_(
                select(CheckIn.registration_id).where(CheckIn.meeting_id == meeting.id)
            )
        )
    )
    return Counts(registered, by_day, by_day_category, by_session, delegations_present)


def present_delegations(meeting: Meeting) -> list[tuple[AttendanceCategory, str]]:
    """(category, delegation) of every delegation with at least one live member checked in."""
    return list(
        db.session.execute(
            with_delegation_record(
                select(listed_category, listed_delegation).select_from(Registration)
            )
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status == LIVE,
                Registration.id.in_(
                    select(CheckIn.registration_id).where(CheckIn.meeting_id == meeting.id)
                ),
            )
            .distinct()
        ).all()
    )


def is_present(meeting: Meeting, registration_id: int) -> bool:
    """True when the participant was checked in on at least one day."""
    return (
        db.session.scalar(
            select(CheckIn.id)
            .where(CheckIn.meeting_id == meeting.id, CheckIn.registration_id == registration_id)
            .limit(1)
        )
        is not None
    )


@dataclass(frozen=True)
class Signatory:
    """Who signs a certificate: the meeting's Chair, with their title."""

    name: str
    title: str


def chair_of(meeting: Meeting) -> Signatory | None:
    """The meeting's Chair from its officers (the first elected, when there were several)."""
    person = db.session.scalar(
        select(Person)
        .join(Officer, Officer.person_id == Person.id)
        .where(Officer.meeting_id == meeting.id, Officer.office == Office.CHAIR)
        .order_by(Officer.elected_on.is_(None), Officer.elected_on, Officer.id)
        .limit(1)
    )
    if person is None:
        return None
    return Signatory(name=person.display_name, title=person.position)


def present_days(meeting: Meeting, registration_ids: list[int]) -> dict[int, list[date]]:
    """The days each participant was present, in order, for their certificates."""
    if not registration_ids:
        return {}
    out: dict[int, list] = {}
    for registration_id, day in db.session.execute(
        select(CheckIn.registration_id, CheckIn.day)
        .where(CheckIn.meeting_id == meeting.id, CheckIn.registration_id.in_(registration_ids))
        .distinct()
        .order_by(CheckIn.registration_id, CheckIn.day)
    ):
        out.setdefault(registration_id, []).append(day)
    return out

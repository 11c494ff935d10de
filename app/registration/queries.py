"""Reads of the registration area that more than one place needs: a participant's registration,
the sessions that take places and how full they are, the personal agenda, the organiser's
lists and rosters. Each costs a fixed number of queries whatever the meeting's size.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import User
from app.delegations.models import Delegation
from app.extensions import db
from app.meetings.models import Meeting, Person
from app.programme.models import AgendaSession, Cluster, SessionPerson, Track, TrackKind
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)

# The delegation and category a participant is listed under (the report's attendance, badges,
# the desk): the delegation record's, else the registration's own text for one without a
# record; youth stay youth whatever delegation they come from.
listed_delegation = func.coalesce(Delegation.name, Registration.delegation)
listed_category = case(
    (Registration.category == AttendanceCategory.YOUTH, Registration.category),
    else_=func.coalesce(Delegation.category, Registration.category),
)


def with_delegation_record(query):
    """The query joined to each registration's delegation record, where it has one."""
    return query.outerjoin(Delegation, Delegation.id == Registration.delegation_id)


def registration_of(meeting: Meeting, user: User) -> Registration | None:
    """An account's registration for a meeting, if any."""
    return db.session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == user.id
        )
    )


def capacity_of(session_: AgendaSession) -> int | None:
    """Places in a session: its own capacity (workshops), else its cluster's (breakouts)."""
    if session_.capacity is not None:
        return session_.capacity
    if session_.cluster is not None:
        return session_.cluster.capacity
    return None


def takes_places(session_: AgendaSession) -> bool:
    """Breakout sessions and capacity-limited workshops are joined one place at a time."""
    return session_.slot is not None and capacity_of(session_) is not None


def confirmed_counts(session_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed places per session, in one query."""
    return place_counts(session_ids, PlaceStatus.CONFIRMED)


def place_counts(session_ids: Iterable[int], status: PlaceStatus) -> dict[int, int]:
    """Places of one status per session, in one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ClusterPlace.session_id, func.count())
        .where(ClusterPlace.session_id.in_(ids), ClusterPlace.status == status)
        .group_by(ClusterPlace.session_id)
    )
    return {session_id: count for session_id, count in rows}


def place_sessions(meeting: Meeting) -> list[AgendaSession]:
    """The sessions that take places (breakouts and workshops), in programme order."""
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.slot.is_not(None))
        .options(
            joinedload(AgendaSession.track),
            joinedload(AgendaSession.room),
            joinedload(AgendaSession.cluster),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.slot, AgendaSession.id)
    ).unique()
    return [s for s in sessions if capacity_of(s) is not None]


@dataclass
class SlotChoice:
    """One session a participant may join in a slot, with its fill and their own place."""

    session_: AgendaSession
    capacity: int
    confirmed: int
    waiting: int
    mine: ClusterPlace | None

    @property
    def free(self) -> int:
        return max(self.capacity - self.confirmed, 0)


def slot_choices(registration: Registration) -> dict[int, list[SlotChoice]]:
    """Per slot, the sessions open to this participant with counts, in a fixed number of queries."""
    sessions = [
        s
        for s in place_sessions(registration.meeting)
        if not s.is_cancelled
        and (
            s.track.kind != TrackKind.YOUTH_FORUM
            or registration.category == AttendanceCategory.YOUTH
        )
    ]
    ids = [s.id for s in sessions]
    confirmed: dict[int, int] = {}
    waiting: dict[int, int] = {}
    if ids:
        # Both counts in one pass over the places.
        by_status = {PlaceStatus.CONFIRMED: confirmed, PlaceStatus.WAITLISTED: waiting}
        for session_id, status, count in db.session.execute(
            select(ClusterPlace.session_id, ClusterPlace.status, func.count())
            .where(ClusterPlace.session_id.in_(ids))
            .group_by(ClusterPlace.session_id, ClusterPlace.status)
        ):
            by_status[status][session_id] = count
    mine = {
        p.session_id: p
        for p in db.session.scalars(
            select(ClusterPlace).where(ClusterPlace.registration_id == registration.id)
        )
    }
    out: dict[int, list[SlotChoice]] = {}
    for s in sessions:
        out.setdefault(s.slot, []).append(
            SlotChoice(
                s, capacity_of(s) or 0, confirmed.get(s.id, 0), waiting.get(s.id, 0), mine.get(s.id)
            )
        )
    return out


@dataclass
class AgendaEntry:
    session_: AgendaSession
    place: ClusterPlace | None


def personal_agenda(registration: Registration) -> list[AgendaEntry]:
    """The participant's programme: plenary sessions, their places (with status), their forum."""
    youth = registration.category == AttendanceCategory.YOUTH
    places = {
        p.session_id: p
        for p in db.session.scalars(
            select(ClusterPlace).where(ClusterPlace.registration_id == registration.id)
        )
    }
    # Only the sessions that can belong, chosen in SQL (a congress has 400 sessions, most of
    # them breakouts the participant holds no place in); the loop below decides as before.
    kinds = [TrackKind.MAIN, TrackKind.YOUTH_FORUM] if youth else [TrackKind.MAIN]
    takes = sa.and_(
        AgendaSession.slot.is_not(None),
        sa.or_(AgendaSession.capacity.is_not(None), Cluster.capacity.is_not(None)),
    )
    belongs = sa.and_(Track.kind.in_(kinds), sa.not_(takes))
    if places:
        belongs = sa.or_(AgendaSession.id.in_(sorted(places)), belongs)
    sessions = db.session.scalars(
        select(AgendaSession)
        .join(AgendaSession.track)
        .outerjoin(AgendaSession.cluster)
        .where(AgendaSession.meeting_id == registration.meeting_id, belongs)
        .options(
            contains_eager(AgendaSession.track),
            contains_eager(AgendaSession.cluster),
            joinedload(AgendaSession.room),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).unique()
    entries = []
    for s in sessions:
        if s.id in places:
            entries.append(AgendaEntry(s, places[s.id]))
        elif takes_places(s):
            continue
        elif s.track.kind == TrackKind.MAIN or (s.track.kind == TrackKind.YOUTH_FORUM and youth):
            entries.append(AgendaEntry(s, None))
    return entries


def list_registrations(
    meeting: Meeting,
    *,
    category: AttendanceCategory | None = None,
    status: RegistrationStatus | None = None,
    delegation: str = "",
) -> list[Registration]:
    """The meeting's registrations, filtered, with each person loaded (one query)."""
    query = (
        select(Registration)
        .where(Registration.meeting_id == meeting.id)
        .options(joinedload(Registration.person), joinedload(Registration.user))
        .order_by(Registration.delegation, Registration.id)
    )
    if category is not None:
        query = query.where(Registration.category == category)
    if status is not None:
        query = query.where(Registration.status == status)
    if delegation.strip():
        pattern = f"%{delegation.strip().lower()}%"
        query = query.where(func.lower(Registration.delegation).like(pattern))
    return list(db.session.scalars(query).unique())


class RosterEntry(NamedTuple):
    """One place on a roster, as plain values (no ORM objects: a congress holds 10,000)."""

    session_id: int
    status: PlaceStatus
    waitlist_position: int | None
    display_name: str
    delegation: str
    category: AttendanceCategory


@dataclass
class Roster:
    session_: AgendaSession
    capacity: int
    confirmed: list[RosterEntry]
    waiting: list[RosterEntry]


def rosters(meeting: Meeting) -> dict[int, list[Roster]]:
    """Per slot, each cluster session's confirmed places and waiting list (fixed queries)."""
    return _rosters(place_sessions(meeting), None)


def slot_rosters(meeting: Meeting, slot: int | None) -> tuple[dict[int, list[Roster]], int | None]:
    """Every slot's sessions, with the places of one slot only: `slot`, else the first by time.

    The slot shown comes back beside the rosters (None when nothing takes places); a slot the
    meeting does not have raises LookupError. The queries are as many as for `rosters`.
    """
    sessions = place_sessions(meeting)
    slots = list(dict.fromkeys(s.slot for s in sessions))  # in programme order
    if slot is None:
        slot = slots[0] if slots else None
    elif slot not in slots:
        raise LookupError(slot)
    return _rosters(sessions, slot), slot


def _rosters(sessions: list[AgendaSession], slot: int | None) -> dict[int, list[Roster]]:
    """Rosters of these sessions; places read for one slot's sessions, or all when None."""
    # (sort key, entry): confirmed places list by name, the honorific aside, as before.
    by_session: dict[int, list[tuple[str, RosterEntry]]] = {s.id: [] for s in sessions}
    wanted = [s.id for s in sessions if slot is None or s.slot == slot]
    if wanted:
        rows = db.session.execute(
            select(
                ClusterPlace.session_id,
                ClusterPlace.status,
                ClusterPlace.waitlist_position,
                Person.honorific,
                Person.name,
                Registration.delegation,
                Registration.category,
            )
            .join(Registration, Registration.id == ClusterPlace.registration_id)
            .join(Person, Person.id == Registration.person_id)
            # Only live registrations hold places; a row of one that ended is never listed.
            .where(
                ClusterPlace.session_id.in_(wanted),
                Registration.status == RegistrationStatus.APPROVED,
            )
            .order_by(ClusterPlace.session_id, ClusterPlace.waitlist_position, ClusterPlace.id)
        )
        for session_id, status, position, honorific, name, delegation, category in rows:
            entry = RosterEntry(
                session_id, status, position, f"{honorific} {name}".strip(), delegation, category
            )
            by_session[session_id].append((name.lower(), entry))
    out: dict[int, list[Roster]] = {}
    for s in sessions:
        entries = by_session[s.id]
        confirmed = sorted(
            (pair for pair in entries if pair[1].status == PlaceStatus.CONFIRMED),
            key=lambda pair: pair[0],
        )
        waiting = [e for _key, e in entries if e.status == PlaceStatus.WAITLISTED]
        out.setdefault(s.slot, []).append(
            Roster(s, capacity_of(s) or 0, [e for _key, e in confirmed], waiting)
        )
    return out


def count_registrations(meeting: Meeting) -> int:
    """How many registrations the meeting has, whatever their status."""
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.meeting_id == meeting.id)
    )


# Statuses whose holder still follows the meeting's programme.
_FOLLOWING = (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)


def own_session_ids(meeting: Meeting, user: User) -> list[int]:
    """An account's own sessions in a meeting: its personal agenda while its registration is
    live, and the sessions its person speaks in."""
    ids: set[int] = set()
    registration = registration_of(meeting, user)
    if registration is not None and registration.status in _FOLLOWING:
        ids.update(entry.session_.id for entry in personal_agenda(registration))
    ids.update(
        db.session.scalars(
            select(SessionPerson.session_id)
            .join(Person, Person.id == SessionPerson.person_id)
            .where(Person.meeting_id == meeting.id, Person.user_id == user.id)
        )
    )
    return sorted(ids)

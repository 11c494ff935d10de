"""Registration rules: meeting registrations, places in clusters and workshops, waiting lists.

The capacity invariant is kept by the database, not by a check in Python beforehand: every
change to a session's places first takes a row lock on that session (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers itself), so two sign-ups for the same session run one
after the other and the count each one reads is the committed truth. Unique constraints
keep one place per participant and slot and one participant per waiting-list position.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.programme.models import AgendaSession, Cluster, Person, Track, TrackKind
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)

# Waiting-list positions are shifted through this offset so that no intermediate row
# collides with the unique (session, position) constraint while the list closes a gap.
_SHIFT = 1_000_000


class RegistrationError(Exception):
    """A registration rule was broken; the message says which, `field` where it belongs."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PlaceOutcome:
    """What a request for a place ended in."""

    place: ClusterPlace
    switched_from: AgendaSession | None = None

    @property
    def confirmed(self) -> bool:
        return self.place.status == PlaceStatus.CONFIRMED


# Meeting registration ------------------------------------------------------------------------


def register(
    meeting: Meeting, user: User, *, delegation: str, category: AttendanceCategory
) -> Registration:
    """Register an account for a published meeting; approved at once unless approval is needed."""
    if meeting.status != MeetingStatus.PUBLISHED:
        raise RegistrationError(_("This meeting is not open for registration."))
    delegation = delegation.strip()
    if not delegation:
        raise RegistrationError(
            _("Name your delegation (a State or an organisation)."), "delegation"
        )
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
    if existing is not None:
        if existing.status != RegistrationStatus.CANCELLED:
            raise RegistrationError(_("You are registered for this meeting already."))
        # A participant who withdrew may register again: same record, fresh decision.
        existing.delegation, existing.category, existing.status = delegation, category, status
        existing.organiser_note = ""
        db.session.flush()
        return existing
    registration = Registration(
        meeting_id=meeting.id,
        user_id=user.id,
        person_id=person_for(meeting, user).id,
        delegation=delegation,
        category=category,
        status=status,
    )
    db.session.add(registration)
    db.session.flush()
    return registration


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
    if status != RegistrationStatus.APPROVED:
        release_all_places(registration)
    db.session.flush()


def withdraw(registration: Registration) -> None:
    """The participant withdraws: the registration is cancelled and every place freed."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("You have withdrawn from this meeting already."))
    registration.status = RegistrationStatus.CANCELLED
    release_all_places(registration)
    db.session.flush()


# Places ---------------------------------------------------------------------------------------


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


def take_place(registration: Registration, session_: AgendaSession, *, wait: bool = False):
    """Ask for a place in a session; confirmed if free, else on its waiting list when `wait`.

    A participant who already holds a place in the same slot keeps it until the new one is
    confirmed. Where the meeting keeps one cluster for all slots, every slot follows.
    """
    _check_can_take(registration, session_)
    targets = [session_]
    meeting = registration.meeting
    if meeting.one_cluster_for_all_slots and session_.cluster_id is not None:
        targets = _sessions_of_cluster(session_.cluster_id)
    outcomes = [_take_one(registration, target, wait=wait) for target in targets]
    return next(o for o in outcomes if o.place.session_id == session_.id)


def leave_place(registration: Registration, session_: AgendaSession) -> None:
    """Give up a place (confirmed or waiting) in a session; the waiting list moves up.

    Where the meeting keeps one cluster for all slots, the place goes in every slot at once.
    """
    sessions = [session_]
    if registration.meeting.one_cluster_for_all_slots and session_.cluster_id is not None:
        sessions = _sessions_of_cluster(session_.cluster_id)
    places = db.session.scalars(
        select(ClusterPlace).where(
            ClusterPlace.registration_id == registration.id,
            ClusterPlace.session_id.in_([s.id for s in sessions]),
        )
    ).all()
    if not any(p.session_id == session_.id for p in places):
        raise RegistrationError(_("You hold no place in this session."))
    _lock_sessions(sorted({p.session_id for p in places}))
    for place in places:
        _remove_place(place)


def release_all_places(registration: Registration) -> None:
    """Free every place a registration holds, promoting whoever waits behind it."""
    places = db.session.scalars(
        select(ClusterPlace)
        .where(ClusterPlace.registration_id == registration.id)
        .order_by(ClusterPlace.session_id)
    ).all()
    _lock_sessions(sorted({p.session_id for p in places}))
    for place in places:
        _remove_place(place)


def change_capacity(
    session_or_cluster: AgendaSession | Cluster, capacity: int
) -> list[ClusterPlace]:
    """Set a cluster's or workshop's capacity; refused below the confirmed count; fills places."""
    if capacity < 0:
        raise RegistrationError(_("Capacity cannot be below zero."), "capacity")
    if isinstance(session_or_cluster, Cluster):
        sessions = _sessions_of_cluster(session_or_cluster.id)
    else:
        sessions = [session_or_cluster]
    _lock_sessions(sorted(s.id for s in sessions))
    counts = confirmed_counts([s.id for s in sessions])
    busiest = max((counts.get(s.id, 0) for s in sessions), default=0)
    if capacity < busiest:
        raise RegistrationError(
            _(
                "%(count)d places are confirmed already; the capacity cannot go below that.",
                count=busiest,
            ),
            "capacity",
        )
    session_or_cluster.capacity = capacity
    db.session.flush()
    promoted: list[ClusterPlace] = []
    for s in sessions:
        promoted.extend(_promote(s))
    return promoted


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


# Internals ------------------------------------------------------------------------------------


def _check_can_take(registration: Registration, session_: AgendaSession) -> None:
    meeting = registration.meeting
    if session_.meeting_id != registration.meeting_id:
        raise RegistrationError(_("This session belongs to another meeting."))
    if meeting.status == MeetingStatus.CONCLUDED:
        raise RegistrationError(_("This meeting has concluded; places no longer change."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise RegistrationError(_("This meeting is not published."))
    if registration.status != RegistrationStatus.APPROVED:
        raise RegistrationError(
            _(
                "Your registration is %(status)s; places open once it is approved.",
                status=registration.status.label.lower(),
            )
        )
    if session_.is_cancelled:
        raise RegistrationError(_("This session has been cancelled."))
    if not takes_places(session_):
        raise RegistrationError(_("This session takes no sign-ups: everyone may attend."))
    if (
        session_.track.kind == TrackKind.YOUTH_FORUM
        and registration.category != AttendanceCategory.YOUTH
    ):
        raise RegistrationError(_("Youth forum workshops are for youth participants."))


def _sessions_of_cluster(cluster_id: int) -> list[AgendaSession]:
    return list(
        db.session.scalars(
            select(AgendaSession)
            .where(
                AgendaSession.cluster_id == cluster_id,
                AgendaSession.slot.is_not(None),
                AgendaSession.is_cancelled.is_(False),
            )
            .order_by(AgendaSession.slot)
        )
    )


def _lock_sessions(session_ids: list[int]) -> None:
    """Row locks on sessions, always in id order so that two requests cannot deadlock."""
    if session_ids:
        db.session.execute(
            select(AgendaSession.id)
            .where(AgendaSession.id.in_(sorted(session_ids)))
            .order_by(AgendaSession.id)
            .with_for_update()
        ).all()


def _lock_registration(registration: Registration) -> None:
    """Serialise one participant's own requests (a double click sends two)."""
    db.session.execute(
        select(Registration.id).where(Registration.id == registration.id).with_for_update()
    ).all()


def _take_one(registration: Registration, session_: AgendaSession, *, wait: bool) -> PlaceOutcome:
    _lock_registration(registration)
    places = _places_with_times(registration)
    held = [h.place for h in places if h.place.slot == session_.slot]
    already = next((p for p in held if p.session_id == session_.id), None)
    if already is not None:
        return PlaceOutcome(already)
    # Never two sessions at the same time, other slots included.
    clash = next(
        (
            h.title
            for h in places
            if h.place.slot != session_.slot
            and h.starts_at < session_.ends_at
            and h.ends_at > session_.starts_at
        ),
        None,
    )
    if clash is not None:
        raise RegistrationError(
            _("This overlaps with “%(title)s”, where you hold a place already.", title=clash)
        )
    confirmed = next((p for p in held if p.status == PlaceStatus.CONFIRMED), None)
    waiting = next((p for p in held if p.status == PlaceStatus.WAITLISTED), None)

    lock_ids = {session_.id} | {p.session_id for p in held}
    _lock_sessions(sorted(lock_ids))
    capacity = capacity_of(session_) or 0
    # Read after the lock: whoever changed these places before committed first.
    taken, last_position = _tally(session_.id)

    if taken < capacity:
        if waiting is not None:
            _remove_place(waiting)
        place = ClusterPlace(
            registration_id=registration.id,
            session_id=session_.id,
            slot=session_.slot,
            status=PlaceStatus.CONFIRMED,
        )
        old_session = confirmed.session_ if confirmed is not None else None
        if confirmed is not None:
            # The new place is certain now, so the old one can go.
            _remove_place(confirmed)
        db.session.add(place)
        db.session.flush()
        return PlaceOutcome(place, switched_from=old_session)

    if not wait:
        raise RegistrationError(
            _(
                "This session is full (%(capacity)d places). You can join its waiting list.",
                capacity=capacity,
            )
        )
    if waiting is not None:
        # A participant waits for one session per slot: the newer choice replaces the older.
        _remove_place(waiting)
    place = ClusterPlace(
        registration_id=registration.id,
        session_id=session_.id,
        slot=session_.slot,
        status=PlaceStatus.WAITLISTED,
        waitlist_position=last_position + 1,
    )
    db.session.add(place)
    db.session.flush()
    return PlaceOutcome(place)


class _HeldPlace(NamedTuple):
    place: ClusterPlace
    starts_at: datetime
    ends_at: datetime
    title: str


def _places_with_times(registration: Registration) -> list[_HeldPlace]:
    """Every place a participant holds, with its session's times and title, in one query."""
    return [
        _HeldPlace(*row)
        for row in db.session.execute(
            select(
                ClusterPlace, AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.title
            )
            .join(AgendaSession, ClusterPlace.session_id == AgendaSession.id)
            .where(ClusterPlace.registration_id == registration.id)
        )
    ]


def _tally(session_id: int) -> tuple[int, int]:
    """A session's confirmed places and its last waiting-list position, in one query.

    Two scalar subqueries, so that each reads its own index: the count only the confirmed
    rows, the maximum only the last entry of the waiting list.
    """
    of_session = ClusterPlace.session_id == session_id
    taken = (
        select(func.count())
        .where(of_session, ClusterPlace.status == PlaceStatus.CONFIRMED)
        .scalar_subquery()
    )
    last = select(func.max(ClusterPlace.waitlist_position)).where(of_session).scalar_subquery()
    count, position = db.session.execute(select(taken, last)).one()
    return count, position or 0


def _remove_place(place: ClusterPlace) -> None:
    """Delete a place; close the gap it leaves, or give its seat to the first in line."""
    session_ = place.session_
    position = place.waitlist_position
    was_confirmed = place.status == PlaceStatus.CONFIRMED
    db.session.delete(place)
    db.session.flush()
    if position is not None:
        _close_gap(session_.id, position)
    if was_confirmed:
        _promote(session_)


def _close_gap(session_id: int, position: int) -> None:
    """Move everyone behind `position` up by one, without two rows ever sharing a position."""
    behind = sa.and_(
        ClusterPlace.session_id == session_id,
        ClusterPlace.status == PlaceStatus.WAITLISTED,
    )
    db.session.execute(
        sa.update(ClusterPlace)
        .where(behind, ClusterPlace.waitlist_position > position)
        .values(waitlist_position=ClusterPlace.waitlist_position + _SHIFT)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(ClusterPlace)
        .where(behind, ClusterPlace.waitlist_position > _SHIFT)
        .values(waitlist_position=ClusterPlace.waitlist_position - _SHIFT - 1)
        .execution_options(synchronize_session=False)
    )
    # The bulk updates bypassed the identity map: reload positions on next access.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ClusterPlace):
            db.session.expire(obj, ["waitlist_position"])


def _promote(session_: AgendaSession) -> list[ClusterPlace]:
    """Fill free places from the head of the waiting list, at once, in order."""
    promoted: list[ClusterPlace] = []
    capacity = capacity_of(session_) or 0
    while confirmed_counts([session_.id]).get(session_.id, 0) < capacity:
        head = db.session.scalar(
            select(ClusterPlace).where(
                ClusterPlace.session_id == session_.id,
                ClusterPlace.status == PlaceStatus.WAITLISTED,
                ClusterPlace.waitlist_position == 1,
            )
        )
        if head is None:
            break
        # The participant's earlier place in this slot goes as the new one is confirmed; its
        # seat then goes to whoever waits for that session.
        previous = db.session.scalar(
            select(ClusterPlace).where(
                ClusterPlace.registration_id == head.registration_id,
                ClusterPlace.slot == head.slot,
                ClusterPlace.status == PlaceStatus.CONFIRMED,
            )
        )
        freed_session = None
        if previous is not None:
            freed_session = previous.session_
            _lock_sessions([freed_session.id])
            db.session.delete(previous)
            db.session.flush()
        head.status = PlaceStatus.CONFIRMED
        head.waitlist_position = None
        db.session.flush()
        _close_gap(session_.id, 1)
        promoted.append(head)
        if freed_session is not None:
            promoted.extend(_promote(freed_session))
    return promoted


# Reading: what pages and exports show ---------------------------------------------------------


def registration_of(meeting: Meeting, user: User) -> Registration | None:
    """An account's registration for a meeting, if any."""
    return db.session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == user.id
        )
    )


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
            .where(ClusterPlace.session_id.in_(wanted))
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


def join_names(names: list[str]) -> str:
    """ "A, B and C", as the seed reports list delegations."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def attendance_paragraphs(meeting: Meeting) -> list[tuple[AttendanceCategory, str]]:
    """The attendance section of a UN report: one sentence per category, delegations in order."""
    rows = db.session.execute(
        select(Registration.category, Registration.delegation)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .distinct()
    ).all()
    by_category: dict[AttendanceCategory, set[str]] = {}
    for category, delegation in rows:
        by_category.setdefault(category, set()).add(delegation)
    sentences = {
        AttendanceCategory.MEMBER_STATE: lambda n, names: ngettext(
            "The following State was represented at the Meeting: %(names)s.",
            "The following States were represented at the Meeting: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.OBSERVER_STATE: lambda n, names: ngettext(
            "%(names)s was represented by an observer.",
            "%(names)s were represented by observers.",
            n,
            names=names,
        ),
        AttendanceCategory.UN_ENTITY: lambda n, names: ngettext(
            "The following entity of the United Nations system was represented by observers:"
            " %(names)s.",
            "The following entities of the United Nations system were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: lambda n, names: ngettext(
            "The following institute of the United Nations crime prevention and criminal justice"
            " programme network was represented by observers: %(names)s.",
            "The following institutes of the United Nations crime prevention and criminal justice"
            " programme network were represented by observers: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.INTERGOVERNMENTAL_ORGANISATION: lambda n, names: ngettext(
            "The following intergovernmental organization was represented by observers: %(names)s.",
            "The following intergovernmental organizations were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.NGO: lambda n, names: ngettext(
            "The following non-governmental organization was represented by observers: %(names)s.",
            "The following non-governmental organizations were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.ACADEMIA: lambda n, names: ngettext(
            "The following academic institution was represented: %(names)s.",
            "The following academic institutions were represented: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.PRIVATE_SECTOR: lambda n, names: ngettext(
            "The following private-sector entity was represented: %(names)s.",
            "The following private-sector entities were represented: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.YOUTH: lambda n, names: ngettext(
            "Youth participants from the following delegation took part: %(names)s.",
            "Youth participants from the following delegations took part: %(names)s.",
            n,
            names=names,
        ),
    }
    out = []
    for category in AttendanceCategory:
        names = sorted(by_category.get(category, ()), key=str.casefold)
        if names:
            out.append((category, sentences[category](len(names), join_names(names))))
    return out


# Private calendar feed ---------------------------------------------------------------------------


def regenerate_feed_token(registration: Registration) -> str:
    """Give the participant's calendar feed a new secret URL; the old one stops working."""
    # 32 random bytes, URL-safe base64: 43 characters, unguessable.
    registration.feed_token = secrets.token_urlsafe(32)
    db.session.flush()
    return registration.feed_token

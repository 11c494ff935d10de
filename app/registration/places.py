"""Places in breakout sessions and workshops, and their waiting lists: the concurrency core.

The capacity invariant is kept by the database, not by a check in Python beforehand: every
change to a session's places first takes a row lock on that session (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers itself), so two sign-ups for the same session run one
after the other and the count each one reads is the committed truth. Sessions are always
locked in id order, after the participant's own registration, so two requests cannot
deadlock. Unique constraints keep one place per participant and slot and one participant per
waiting-list position.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import RegistrationError
from app.extensions import db
from app.meetings.models import MeetingStatus, Person, display_name
from app.programme.models import AgendaSession, Cluster, TrackKind
from app.programme.ports import Clash
from app.registration import notices as news
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)
from app.registration.queries import capacity_of, confirmed_counts, takes_places

# Waiting-list positions are shifted through this offset so that no intermediate row
# collides with the unique (session, position) constraint while the list closes a gap.
_SHIFT = 1_000_000


@dataclass(frozen=True)
class PlaceOutcome:
    """What a request for a place ended in."""

    place: ClusterPlace
    switched_from: AgendaSession | None = None
    new: bool = True  # False when the participant held this place already

    @property
    def confirmed(self) -> bool:
        return self.place.status == PlaceStatus.CONFIRMED


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
    outcome = next(o for o in outcomes if o.place.session_id == session_.id)
    if outcome.new:
        news.place_taken(outcome.place)
    return outcome


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


def lock_registration(registration: Registration) -> RegistrationStatus:
    """Lock the registration's row and read its status under the lock.

    Every change to a participant's registration or places takes this lock first, so a
    double click, a withdrawal racing a place request or two organisers deciding at once run
    one after the other, and each sees the status the one before it committed: a
    registration withdrawn a moment ago is never given a place.
    """
    status = db.session.execute(
        select(Registration.status).where(Registration.id == registration.id).with_for_update()
    ).scalar_one()
    sa.orm.attributes.set_committed_value(registration, "status", status)
    return status


def _take_one(registration: Registration, session_: AgendaSession, *, wait: bool) -> PlaceOutcome:
    status = lock_registration(registration)
    if status != RegistrationStatus.APPROVED:
        raise RegistrationError(
            _(
                "Your registration is %(status)s; places open once it is approved.",
                status=status.label.lower(),
            )
        )
    places = _places_with_times(registration)
    held = [h.place for h in places if h.place.slot == session_.slot]
    already = next((p for p in held if p.session_id == session_.id), None)
    if already is not None:
        return PlaceOutcome(already, new=False)
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
        if head.registration.status != RegistrationStatus.APPROVED:
            # A place of a registration that ended never gains a seat: it leaves the list.
            _remove_place(head)
            continue
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
        given_up = None
        if previous is not None:
            freed_session = previous.session_
            given_up = freed_session.title
            _lock_sessions([freed_session.id])
            db.session.delete(previous)
            db.session.flush()
        head.status = PlaceStatus.CONFIRMED
        head.waitlist_position = None
        db.session.flush()
        _close_gap(session_.id, 1)
        promoted.append(head)
        news.promoted(head, given_up)
        if freed_session is not None:
            promoted.extend(_promote(freed_session))
    return promoted


def titles_of_places(registration: Registration) -> list[str]:
    """The titles of the sessions a registration holds places in (confirmed or waiting)."""
    return list(
        db.session.scalars(
            select(AgendaSession.title)
            .join(ClusterPlace, ClusterPlace.session_id == AgendaSession.id)
            .where(ClusterPlace.registration_id == registration.id)
            .order_by(AgendaSession.starts_at)
        )
    )


class SessionPlaces:
    """The registration area's answer to the programme's questions about places
    (app/programme/ports.py); create_app plugs it in."""

    def held(self, session_id: int) -> int:
        """How many places (confirmed or waiting) the session holds."""
        return db.session.scalar(
            select(func.count())
            .select_from(ClusterPlace)
            .where(ClusterPlace.session_id == session_id)
        )

    def confirmed(self, session_ids: Iterable[int]) -> dict[int, int]:
        """Confirmed places per session, in one query."""
        return confirmed_counts(session_ids)

    def change_capacity(self, record: AgendaSession | Cluster, capacity: int) -> None:
        """Set the places: refused below the confirmed count, a raise promotes from waiting."""
        change_capacity(record, capacity)

    def clashes_if_moved(
        self, session_: AgendaSession, starts_at: datetime, ends_at: datetime
    ) -> list[Clash]:
        """The holders of places here who would then be in two sessions at once."""
        mine = sa.orm.aliased(ClusterPlace)
        other = sa.orm.aliased(ClusterPlace)
        rows = db.session.execute(
            select(Person.honorific, Person.name, AgendaSession.id, AgendaSession.title)
            .select_from(mine)
            .join(other, other.registration_id == mine.registration_id)
            .join(AgendaSession, AgendaSession.id == other.session_id)
            .join(Registration, Registration.id == mine.registration_id)
            .join(Person, Person.id == Registration.person_id)
            .where(
                mine.session_id == session_.id,
                other.session_id != session_.id,
                other.slot != mine.slot,
                AgendaSession.is_cancelled.is_(False),
                AgendaSession.starts_at < ends_at,
                AgendaSession.ends_at > starts_at,
            )
            .order_by(Person.name, AgendaSession.starts_at)
        ).all()
        return [
            Clash(display_name(honorific, name), session_.id, other_id, title)
            for honorific, name, other_id, title in rows
        ]

    def clashes(
        self, meeting_id: int, window: tuple[datetime, datetime] | None = None
    ) -> list[Clash]:
        """Participants of the meeting holding places in two overlapping sessions (of those
        running within `window`, when given)."""
        one, two = sa.orm.aliased(ClusterPlace), sa.orm.aliased(ClusterPlace)
        first, second = sa.orm.aliased(AgendaSession), sa.orm.aliased(AgendaSession)
        within = []
        if window is not None:
            # Both places in sessions running within the window: the index on places'
            # sessions keeps this to the day's places instead of every pair of the meeting.
            running = select(AgendaSession.id).where(
                AgendaSession.meeting_id == meeting_id,
                AgendaSession.starts_at < window[1],
                AgendaSession.ends_at > window[0],
            )
            within = [one.session_id.in_(running), two.session_id.in_(running)]
        rows = db.session.execute(
            select(Person.honorific, Person.name, first.id, second.id, second.title)
            .select_from(one)
            .join(two, (two.registration_id == one.registration_id) & (two.id > one.id))
            .join(first, first.id == one.session_id)
            .join(second, second.id == two.session_id)
            .join(Registration, Registration.id == one.registration_id)
            .join(Person, Person.id == Registration.person_id)
            .where(
                first.meeting_id == meeting_id,
                one.slot != two.slot,
                first.is_cancelled.is_(False),
                second.is_cancelled.is_(False),
                first.starts_at < second.ends_at,
                second.starts_at < first.ends_at,
                *within,
            )
            .order_by(first.starts_at, Person.name)
        ).all()
        return [
            Clash(display_name(honorific, name), first_id, second_id, title)
            for honorific, name, first_id, second_id, title in rows
        ]

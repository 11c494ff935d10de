"""Conflicts in a programme: a person or a room booked twice, a session outside the meeting's
days or ending before it starts, a cluster larger than its room.

`detect_conflicts` is pure; `find_conflicts` loads what it needs in three queries at any size.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting, Person
from app.programme.models import (
    AgendaSession,
    Cluster,
    Room,
    SessionPerson,
    roman,
)
from app.programme.ports import places
from app.timezones import day_bounds_utc, local_time, to_local
from app.undates import date_range_short

BLOCKING = "blocking"


WARNING = "warning"


@dataclass(frozen=True)
class Conflict:
    """A problem in the programme, named for the organiser, with the sessions it involves."""

    kind: str
    message: str
    session_ids: tuple[int, ...]
    severity: str = WARNING

    @property
    def is_blocking(self) -> bool:
        return self.severity == BLOCKING


# Conflict kinds
PERSON_DOUBLE_BOOKED = "person_double_booked"


ROOM_DOUBLE_BOOKED = "room_double_booked"


OUTSIDE_MEETING_DAYS = "outside_meeting_days"


ENDS_BEFORE_START = "ends_before_start"


CLUSTER_OVER_ROOM = "cluster_over_room_capacity"
PARTICIPANTS_DOUBLE_BOOKED = "participants_double_booked"


@dataclass
class SessionSlot:
    """The little of a session that conflict detection needs."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    room_name: str = ""
    room_capacity: int | None = None
    cluster_id: int | None = None
    person_ids: list[int] = field(default_factory=list)


@dataclass
class ClusterInfo:
    id: int
    number: int
    title: str
    capacity: int


def _overlapping_pairs(intervals: list[SessionSlot]) -> list[tuple[SessionSlot, SessionSlot]]:
    """Pairs of sessions whose times overlap, by a sweep over start times: O(n log n + pairs).

    Sessions that merely touch (one ends at 10:00, the next starts at 10:00) do not overlap.
    """
    pairs = []
    active: list[tuple[datetime, int, SessionSlot]] = []  # heap by end time
    for slot in sorted(intervals, key=lambda s: (s.starts_at, s.id)):
        while active and active[0][0] <= slot.starts_at:
            heapq.heappop(active)
        for _end, _id, other in active:
            pairs.append((other, slot))
        heapq.heappush(active, (slot.ends_at, slot.id, slot))
    return pairs


def detect_conflicts(
    meeting: Meeting,
    sessions: list[SessionSlot],
    clusters: dict[int, ClusterInfo],
    person_names: dict[int, str],
    participant_clashes: dict[tuple[int, int], list[str]] | None = None,
) -> list[Conflict]:
    """The conflicts among already loaded sessions (pure: no database).

    `participant_clashes` names, per pair of session ids, the participants who hold places
    in both although they overlap (a session moved after people took their places).
    """
    zone = meeting.timezone
    conflicts: list[Conflict] = []
    order = {s.id: (s.starts_at, s.id) for s in sessions}

    def when(slot: SessionSlot) -> str:
        local = to_local(slot.starts_at, zone)
        return f"{format_date(local.date(), 'medium')} {local_time(slot.starts_at, zone)}"

    # People and rooms booked twice.
    by_person: dict[int, list[SessionSlot]] = defaultdict(list)
    by_room: dict[int, list[SessionSlot]] = defaultdict(list)
    for slot in sessions:
        for person_id in set(slot.person_ids):
            by_person[person_id].append(slot)
        if slot.room_id is not None:
            by_room[slot.room_id].append(slot)
    for person_id, slots in by_person.items():
        for first, second in _overlapping_pairs(slots):
            conflicts.append(
                Conflict(
                    PERSON_DOUBLE_BOOKED,
                    _(
                        "%(person)s is in two sessions at the same time: "
                        "“%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s).",
                        person=person_names.get(person_id, "?"),
                        first=first.title,
                        first_time=when(first),
                        second=second.title,
                        second_time=when(second),
                    ),
                    (first.id, second.id),
                    BLOCKING,
                )
            )
    for slots in by_room.values():
        for first, second in _overlapping_pairs(slots):
            conflicts.append(
                Conflict(
                    ROOM_DOUBLE_BOOKED,
                    _(
                        "%(room)s is booked twice: “%(first)s” (%(first_time)s) "
                        "and “%(second)s” (%(second_time)s).",
                        room=first.room_name,
                        first=first.title,
                        first_time=when(first),
                        second=second.title,
                        second_time=when(second),
                    ),
                    (first.id, second.id),
                    BLOCKING,
                )
            )

    # Sessions out of their meeting's days, or ending before they start.
    opens, _unused = day_bounds_utc(meeting.first_day, zone)
    _unused, closes = day_bounds_utc(meeting.last_day, zone)
    for slot in sessions:
        if slot.ends_at <= slot.starts_at:
            conflicts.append(
                Conflict(
                    ENDS_BEFORE_START,
                    _("“%(title)s” ends before or when it starts.", title=slot.title),
                    (slot.id,),
                )
            )
        if slot.starts_at < opens or slot.ends_at > closes:
            conflicts.append(
                Conflict(
                    OUTSIDE_MEETING_DAYS,
                    _(
                        "“%(title)s” (%(time)s) lies outside the meeting's days, %(days)s.",
                        title=slot.title,
                        time=when(slot),
                        days=date_range_short(meeting.first_day, meeting.last_day),
                    ),
                    (slot.id,),
                )
            )
        cluster = clusters.get(slot.cluster_id) if slot.cluster_id else None
        if (
            cluster is not None
            and slot.room_capacity is not None
            and cluster.capacity > slot.room_capacity
        ):
            conflicts.append(
                Conflict(
                    CLUSTER_OVER_ROOM,
                    _(
                        "Cluster %(number)s takes %(places)d participants but %(room)s, "
                        "where “%(title)s” meets, holds %(capacity)d.",
                        number=roman(cluster.number),
                        places=cluster.capacity,
                        room=slot.room_name,
                        title=slot.title,
                        capacity=slot.room_capacity,
                    ),
                    (slot.id,),
                )
            )

    by_id = {slot.id: slot for slot in sessions}
    for (first_id, second_id), names in sorted((participant_clashes or {}).items()):
        first, second = by_id.get(first_id), by_id.get(second_id)
        if first is None or second is None:
            continue
        conflicts.append(
            Conflict(
                PARTICIPANTS_DOUBLE_BOOKED,
                ngettext(
                    "%(num)d participant holds places in two sessions at the same time, "
                    "“%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s): "
                    "%(names)s.",
                    "%(num)d participants hold places in two sessions at the same time, "
                    "“%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s): "
                    "%(names)s.",
                    len(names),
                    first=first.title,
                    first_time=when(first),
                    second=second.title,
                    second_time=when(second),
                    names=", ".join(names[:20]) + (" …" if len(names) > 20 else ""),
                ),
                (first.id, second.id),
            )
        )

    conflicts.sort(key=lambda c: (not c.is_blocking, min(order[i] for i in c.session_ids), c.kind))
    return conflicts


def find_conflicts(
    meeting: Meeting,
    *,
    proposed: tuple[int, datetime, datetime, int | None] | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> list[Conflict]:
    """Every conflict in the meeting's programme, in four queries whatever its size.

    Cancelled sessions never conflict. `proposed` (session id, start, end, room id) is a move
    not saved: the conflicts are found as if the session were there (the timetable editor's
    preview), with its participants' places asked of the port at the new time. `window`
    (start, end) looks only at the sessions running then (the editor's day): the same rules,
    on fewer rows.
    """
    within = []
    if window is not None:
        within = [AgendaSession.starts_at < window[1], AgendaSession.ends_at > window[0]]
    rows = db.session.execute(
        select(
            AgendaSession.id,
            AgendaSession.title,
            AgendaSession.starts_at,
            AgendaSession.ends_at,
            AgendaSession.room_id,
            AgendaSession.cluster_id,
            Room.name,
            Room.capacity,
        )
        .outerjoin(Room, Room.id == AgendaSession.room_id)
        .where(
            AgendaSession.meeting_id == meeting.id,
            AgendaSession.is_cancelled.is_(False),
            *within,
        )
    ).all()
    sessions = {
        row[0]: SessionSlot(
            id=row[0],
            title=row[1],
            starts_at=row[2],
            ends_at=row[3],
            room_id=row[4],
            cluster_id=row[5],
            room_name=row[6] or "",
            room_capacity=row[7],
        )
        for row in rows
    }
    if proposed is not None and proposed[0] in sessions:
        _place(sessions[proposed[0]], *proposed[1:])
    person_names: dict[int, str] = {}
    people_rows = db.session.execute(
        select(SessionPerson.session_id, Person.id, Person.honorific, Person.name)
        .join(Person, Person.id == SessionPerson.person_id)
        .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
        .where(
            AgendaSession.meeting_id == meeting.id,
            AgendaSession.is_cancelled.is_(False),
            *within,
        )
    ).all()
    for session_id, person_id, honorific, name in people_rows:
        person_names[person_id] = f"{honorific} {name}".strip()
        sessions[session_id].person_ids.append(person_id)
    clusters = {
        row.id: ClusterInfo(row.id, row.number, row.title, row.capacity)
        for row in db.session.execute(
            select(Cluster.id, Cluster.number, Cluster.title, Cluster.capacity).where(
                Cluster.meeting_id == meeting.id
            )
        )
    }
    clashes: dict[tuple[int, int], list[str]] = defaultdict(list)
    found = places().clashes(meeting.id, window)
    if proposed is not None and proposed[0] in sessions:
        moved = db.session.get(AgendaSession, proposed[0])
        found = [c for c in found if proposed[0] not in (c.session_id, c.other_session_id)]
        found += places().clashes_if_moved(moved, proposed[1], proposed[2])
    for clash in found:
        pair = tuple(sorted((clash.session_id, clash.other_session_id)))
        if clash.person not in clashes[pair]:
            clashes[pair].append(clash.person)
    return detect_conflicts(meeting, list(sessions.values()), clusters, person_names, clashes)


def _place(slot: SessionSlot, starts_at: datetime, ends_at: datetime, room_id: int | None):
    """Put a loaded session where a proposed move would (its new room's name and places too)."""
    slot.starts_at, slot.ends_at = starts_at, ends_at
    if room_id != slot.room_id:
        room = db.session.get(Room, room_id) if room_id is not None else None
        slot.room_id = room_id
        slot.room_name = room.name if room is not None else ""
        slot.room_capacity = room.capacity if room is not None else None


def conflicts_by_session(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each session's conflicts, to show beside it."""
    out: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for session_id in conflict.session_ids:
            out[session_id].append(conflict)
    return out

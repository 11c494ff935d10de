"""Programme rules: tracks, rooms, people, sessions with people in roles, clusters, conflicts.

Every function takes models and plain values, raises ProgrammeError when a rule is broken,
flushes but never commits: the calling view is the one commit point.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingStatus
from app.models_base import MAX_ID, utcnow
from app.programme.models import (
    AgendaSession,
    Cluster,
    ClusterTopic,
    Person,
    Room,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
    TrackKind,
    roman,
)
from app.registration.models import ClusterPlace
from app.registration.services import RegistrationError, change_capacity, confirmed_counts
from app.timezones import day_bounds_utc, local_time, to_local, to_utc

TITLE_MAX = 300
# Larger than any venue, small enough for a 32-bit INTEGER column on every database.
MAX_PLACES = 1_000_000
# The largest id an INTEGER primary key holds; PostgreSQL errors on a comparison beyond it.
NAME_MAX = 200


class ProgrammeError(Exception):
    """A programme rule was broken; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PublishBlocked(ProgrammeError):
    """Publishing was refused because people or rooms are double-booked."""

    def __init__(self, message: str, conflicts: list["Conflict"]):
        super().__init__(message, field="override")
        self.conflicts = conflicts


# Days ---------------------------------------------------------------------------------------


def meeting_days(meeting: Meeting) -> list[date]:
    """Every day of the meeting, first to last."""
    count = (meeting.last_day - meeting.first_day).days + 1
    return [meeting.first_day + timedelta(days=n) for n in range(max(count, 0))]


def _check_text(value: str, limit: int, field_name: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ProgrammeError(_("This field is required."), field_name)
    if len(value) > limit:
        raise ProgrammeError(_("Use at most %(limit)d characters.", limit=limit), field_name)
    return value


def _check_capacity(value: int | None, field_name: str = "capacity") -> int | None:
    if value is not None and value < 0:
        raise ProgrammeError(_("The capacity cannot be below zero."), field_name)
    if value is not None and value > MAX_PLACES:
        raise ProgrammeError(_("At most %(max)d places.", max=MAX_PLACES), field_name)
    return value


# Tracks --------------------------------------------------------------------------------------


def _track_name_taken(meeting: Meeting, name: str, except_id: int | None) -> bool:
    query = select(Track.id).where(
        Track.meeting_id == meeting.id, func.lower(Track.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(Track.id != except_id)
    return db.session.scalar(query) is not None


def save_track(
    meeting: Meeting,
    *,
    name: str,
    kind: TrackKind,
    position: int | None = 0,
    track: Track | None = None,
) -> Track:
    """Create a track, or update `track`; names are unique within the meeting."""
    name = _check_text(name, NAME_MAX, "name")
    if _track_name_taken(meeting, name, track.id if track else None):
        raise ProgrammeError(_("This meeting already has a track of that name."), "name")
    if track is None:
        track = Track(meeting_id=meeting.id)
        db.session.add(track)
    track.name = name
    track.kind = TrackKind(kind)
    if position is not None and not 0 <= position <= 1000:
        raise ProgrammeError(_("Give a position from 0 to 1000."), "position")
    track.position = position or 0
    db.session.flush()
    return track


def delete_track(track: Track) -> None:
    """Delete a track that holds no session (sessions keep their track: the FK restricts)."""
    used = db.session.scalar(
        select(func.count(AgendaSession.id)).where(AgendaSession.track_id == track.id)
    )
    if used:
        raise ProgrammeError(
            _(
                "The track %(name)s holds %(count)d sessions; move or cancel them instead.",
                name=track.name,
                count=used,
            )
        )
    db.session.delete(track)
    db.session.flush()


# Rooms ---------------------------------------------------------------------------------------


def save_room(
    meeting: Meeting, *, name: str, capacity: int | None, room: Room | None = None
) -> Room:
    """Create a room, or update `room`; names are unique within the meeting."""
    name = _check_text(name, NAME_MAX, "name")
    capacity = _check_capacity(capacity)
    query = select(Room.id).where(
        Room.meeting_id == meeting.id, func.lower(Room.name) == name.lower()
    )
    if room is not None:
        query = query.where(Room.id != room.id)
    if db.session.scalar(query) is not None:
        raise ProgrammeError(_("This meeting already has a room of that name."), "name")
    if room is None:
        room = Room(meeting_id=meeting.id)
        db.session.add(room)
    room.name = name
    room.capacity = capacity
    db.session.flush()
    return room


def delete_room(room: Room) -> None:
    """Delete a room no session uses, so no session silently loses its room."""
    used = db.session.scalar(
        select(func.count(AgendaSession.id)).where(AgendaSession.room_id == room.id)
    )
    if used:
        raise ProgrammeError(
            _(
                "The room %(name)s is booked for %(count)d sessions; move them first.",
                name=room.name,
                count=used,
            )
        )
    db.session.delete(room)
    db.session.flush()


# People --------------------------------------------------------------------------------------

PERSON_LIMITS = {
    "honorific": 60,
    "name": 200,
    "position": 300,
    "organisation": 300,
    "country": 100,
    "biography": 20000,
}


def save_person(meeting: Meeting, *, person: Person | None = None, **fields) -> Person:
    """Create a person of the meeting, or update `person`, from honorific, name, position, …"""
    values = {}
    for name, limit in PERSON_LIMITS.items():
        values[name] = _check_text(fields.get(name) or "", limit, name, required=name == "name")
    if person is None:
        person = Person(meeting_id=meeting.id)
        db.session.add(person)
    for name, value in values.items():
        setattr(person, name, value)
    db.session.flush()
    return person


# Sessions ------------------------------------------------------------------------------------


@dataclass
class SessionInput:
    """What the session form says, in the meeting's wall-clock time."""

    title: str
    kind: SessionKind
    track_id: int | None
    day: date | None
    start_time: time | None
    end_time: time | None
    room_id: int | None = None
    agenda_item_id: int | None = None
    cluster_id: int | None = None
    slot: int | None = None
    capacity: int | None = None
    description: str = ""


def _belongs(model, record_id: int | None, meeting: Meeting, field_name: str, message: str):
    if record_id is None:
        return None
    if not 0 < record_id <= MAX_ID:
        raise ProgrammeError(message, field_name)
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        raise ProgrammeError(message, field_name)
    return record


def _validated_session_values(meeting: Meeting, data: SessionInput, session_id: int | None) -> dict:
    """Check a session's input against the meeting; the column values to store."""
    title = _check_text(data.title, TITLE_MAX, "title")
    try:
        kind = SessionKind(data.kind)
    except ValueError:
        raise ProgrammeError(_("Choose a kind of session."), "kind") from None
    if data.track_id is None:
        raise ProgrammeError(_("Choose a track."), "track_id")
    _belongs(Track, data.track_id, meeting, "track_id", _("Choose one of this meeting's tracks."))
    _belongs(Room, data.room_id, meeting, "room_id", _("Choose one of this meeting's rooms."))
    _belongs(
        AgendaItem,
        data.agenda_item_id,
        meeting,
        "agenda_item_id",
        _("Choose one of this meeting's agenda items."),
    )
    cluster = _belongs(
        Cluster, data.cluster_id, meeting, "cluster_id", _("Choose one of this meeting's clusters.")
    )
    capacity = _check_capacity(data.capacity)
    description = _check_text(data.description, 20000, "description", required=False)

    if data.day is None or data.day not in meeting_days(meeting):
        raise ProgrammeError(
            _(
                "Choose a day of the meeting: %(first)s to %(last)s.",
                first=format_date(meeting.first_day, "long"),
                last=format_date(meeting.last_day, "long"),
            ),
            "day",
        )
    if data.start_time is None:
        raise ProgrammeError(_("Give the start time as HH:MM."), "start_time")
    if data.end_time is None:
        raise ProgrammeError(_("Give the end time as HH:MM."), "end_time")
    starts_at = to_utc(datetime.combine(data.day, data.start_time), meeting.timezone)
    ends_at = to_utc(datetime.combine(data.day, data.end_time), meeting.timezone)
    if ends_at <= starts_at:
        raise ProgrammeError(_("The session must end after it starts."), "end_time")

    slot = data.slot
    if cluster is not None:
        if kind != SessionKind.BREAKOUT:
            raise ProgrammeError(_("Only a breakout session runs a cluster."), "cluster_id")
        if slot is None:
            raise ProgrammeError(_("Give the breakout slot number (1, 2, …)."), "slot")
        if not 1 <= slot <= 100:
            raise ProgrammeError(_("Slots are numbered from 1 to 100."), "slot")
        taken = select(AgendaSession.id).where(
            AgendaSession.cluster_id == cluster.id, AgendaSession.slot == slot
        )
        if session_id is not None:
            taken = taken.where(AgendaSession.id != session_id)
        if db.session.scalar(taken) is not None:
            raise ProgrammeError(
                _(
                    "Cluster %(number)s already has a session in slot %(slot)d.",
                    number=roman(cluster.number),
                    slot=slot,
                ),
                "slot",
            )
    elif slot is not None:
        if not 1 <= slot <= 100:
            raise ProgrammeError(_("Slots are numbered from 1 to 100."), "slot")
        # A capacity-limited workshop takes places slot by slot, as breakouts do.
        if kind != SessionKind.WORKSHOP or capacity is None:
            raise ProgrammeError(
                _("A slot needs a cluster, or a workshop with a number of places."), "slot"
            )

    return {
        "title": title,
        "kind": kind,
        "track_id": data.track_id,
        "room_id": data.room_id,
        "agenda_item_id": data.agenda_item_id,
        "cluster_id": data.cluster_id,
        "slot": slot,
        "capacity": capacity,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def create_session(meeting: Meeting, data: SessionInput) -> AgendaSession:
    """Plan a new session; times are given in the meeting's zone and stored in UTC."""
    values = _validated_session_values(meeting, data, None)
    session_ = AgendaSession(meeting_id=meeting.id, **values)
    db.session.add(session_)
    db.session.flush()
    return session_


# A calendar client re-reads an event only when its SEQUENCE grows (RFC 5545 3.8.7.4).
SEQUENCE_FIELDS = ("starts_at", "ends_at", "room_id", "title")


def update_session(session_: AgendaSession, data: SessionInput) -> AgendaSession:
    """Change a session; its sequence grows by one when its time, room or title changes."""
    values = _validated_session_values(session_.meeting, data, session_.id)
    significant = any(getattr(session_, name) != values[name] for name in SEQUENCE_FIELDS)
    _keep_places_consistent(session_, values)
    capacity = values.pop("capacity")
    for name, value in values.items():
        if getattr(session_, name) != value:
            setattr(session_, name, value)
    if capacity != session_.capacity:
        if capacity is None:
            _clear_capacity(session_)
        else:
            _change_places(session_, capacity)
    if significant:
        session_.sequence += 1
    db.session.flush()
    return session_


def _keep_places_consistent(session_: AgendaSession, values: dict) -> None:
    """Participants' places hang on a session's slot and cluster: those stay while places exist."""
    if values["slot"] == session_.slot and values["cluster_id"] == session_.cluster_id:
        return
    held = db.session.scalar(
        select(func.count()).select_from(ClusterPlace).where(ClusterPlace.session_id == session_.id)
    )
    if held:
        raise ProgrammeError(
            ngettext(
                "%(num)d participant holds a place here; the slot and cluster cannot change.",
                "%(num)d participants hold places here; the slot and cluster cannot change.",
                held,
            ),
            "slot",
        )


def _clear_capacity(session_: AgendaSession) -> None:
    """Without its own capacity a session falls back on its cluster's: never below who is in."""
    cluster = db.session.get(Cluster, session_.cluster_id) if session_.cluster_id else None
    fallback = cluster.capacity if cluster is not None else None
    held = confirmed_counts([session_.id]).get(session_.id, 0)
    if held and (fallback is None or fallback < held):
        raise ProgrammeError(
            ngettext(
                "%(num)d place is confirmed here; give a number of places of at least that.",
                "%(num)d places are confirmed here; give a number of places of at least that.",
                held,
            ),
            "capacity",
        )
    session_.capacity = None


def _change_places(record: AgendaSession | Cluster, capacity: int) -> None:
    """A new capacity: refused below the confirmed count, and a raise fills from waiting lists."""
    try:
        change_capacity(record, capacity)
    except RegistrationError as error:
        raise ProgrammeError(str(error), "capacity") from None


def cancel_session(session_: AgendaSession) -> AgendaSession:
    """Mark a session cancelled; it stays in the programme (and in calendars) as cancelled."""
    if not session_.is_cancelled:
        session_.is_cancelled = True
        # A status change is news for calendar clients too (RFC 5546 2.1.4).
        session_.sequence += 1
        db.session.flush()
    return session_


def restore_session(session_: AgendaSession) -> AgendaSession:
    """Undo a cancellation."""
    if session_.is_cancelled:
        session_.is_cancelled = False
        session_.sequence += 1
        db.session.flush()
    return session_


def add_session_person(
    session_: AgendaSession, person_id: int | None, role: SpeakerRole | str
) -> SessionPerson:
    """Put a person of the meeting in a role on a session, after the people already there."""
    person = _belongs(
        Person,
        person_id,
        session_.meeting,
        "person_id",
        _("Choose one of this meeting's people."),
    )
    if person is None:
        raise ProgrammeError(_("Choose a person."), "person_id")
    try:
        role = SpeakerRole(role)
    except ValueError:
        raise ProgrammeError(_("Choose a role."), "role") from None
    for entry in session_.people:
        if entry.person_id == person.id and entry.role == role:
            raise ProgrammeError(
                _(
                    "%(name)s is already %(role)s of this session.",
                    name=person.display_name,
                    role=str(role.label).lower(),
                ),
                "person_id",
            )
    position = max((entry.position for entry in session_.people), default=-1) + 1
    entry = SessionPerson(person_id=person.id, role=role, position=position)
    session_.people.append(entry)
    db.session.flush()
    return entry


def remove_session_person(session_: AgendaSession, entry_id: int) -> None:
    """Take a person out of a role on a session."""
    for entry in session_.people:
        if entry.id == entry_id:
            session_.people.remove(entry)
            db.session.flush()
            return
    raise ProgrammeError(_("That person is not in this session."))


# Clusters ------------------------------------------------------------------------------------


def parse_topics(text: str) -> list[str]:
    """One topic per line, blank lines dropped, in the order written."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def save_cluster(
    meeting: Meeting,
    *,
    number: int | None,
    title: str,
    topics: Iterable[str],
    discussion_guide: str = "",
    capacity: int | None,
    moderator_id: int | None = None,
    rapporteur_id: int | None = None,
    cluster: Cluster | None = None,
) -> Cluster:
    """Create or update a breakout cluster; its topics are replaced in the order given."""
    if number is None or not 1 <= number <= 3999:
        raise ProgrammeError(_("Clusters are numbered from 1 to 3999."), "number")
    title = _check_text(title, TITLE_MAX, "title")
    topics = [_check_text(topic, TITLE_MAX, "topics") for topic in topics]
    discussion_guide = _check_text(discussion_guide, 20000, "discussion_guide", required=False)
    if capacity is None:
        raise ProgrammeError(_("Give the number of places."), "capacity")
    _check_capacity(capacity)
    message = _("Choose one of this meeting's people.")
    _belongs(Person, moderator_id, meeting, "moderator_id", message)
    _belongs(Person, rapporteur_id, meeting, "rapporteur_id", message)
    taken = select(Cluster.id).where(Cluster.meeting_id == meeting.id, Cluster.number == number)
    if cluster is not None:
        taken = taken.where(Cluster.id != cluster.id)
    if db.session.scalar(taken) is not None:
        raise ProgrammeError(
            _("This meeting already has a Cluster %(number)s.", number=roman(number)), "number"
        )
    if cluster is None:
        cluster = Cluster(meeting_id=meeting.id)
        db.session.add(cluster)
    cluster.number = number
    cluster.title = title
    cluster.discussion_guide = discussion_guide
    if cluster.id is not None and cluster.capacity != capacity:
        _change_places(cluster, capacity)
    else:
        cluster.capacity = capacity
    cluster.moderator_id = moderator_id
    cluster.rapporteur_id = rapporteur_id
    existing = [topic.title for topic in cluster.topics]
    if existing != topics:
        # Topics are rows of their own: move the cluster's stamp, which the feeds fingerprint.
        cluster.updated_at = utcnow()
        cluster.topics.clear()
        # Flush the removals first, so the new rows never meet the old ones.
        db.session.flush()
        for position, topic in enumerate(topics):
            cluster.topics.append(ClusterTopic(position=position, title=topic))
    db.session.flush()
    return cluster


# Conflicts -----------------------------------------------------------------------------------

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
) -> list[Conflict]:
    """The conflicts among already loaded sessions (pure: no database)."""
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
                        "“%(title)s” (%(time)s) lies outside the meeting's days, "
                        "%(first)s to %(last)s.",
                        title=slot.title,
                        time=when(slot),
                        first=format_date(meeting.first_day, "medium"),
                        last=format_date(meeting.last_day, "medium"),
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

    conflicts.sort(key=lambda c: (not c.is_blocking, min(order[i] for i in c.session_ids), c.kind))
    return conflicts


def find_conflicts(meeting: Meeting) -> list[Conflict]:
    """Every conflict in the meeting's programme, in three queries whatever its size.

    Cancelled sessions never conflict.
    """
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
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.is_cancelled.is_(False))
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
    person_names: dict[int, str] = {}
    people_rows = db.session.execute(
        select(SessionPerson.session_id, Person.id, Person.honorific, Person.name)
        .join(Person, Person.id == SessionPerson.person_id)
        .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.is_cancelled.is_(False))
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
    return detect_conflicts(meeting, list(sessions.values()), clusters, person_names)


def conflicts_by_session(conflicts: Iterable[Conflict]) -> dict[int, list[Conflict]]:
    """Each session's conflicts, to show beside it."""
    out: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        for session_id in conflict.session_ids:
            out[session_id].append(conflict)
    return out


# Publishing ----------------------------------------------------------------------------------


def publish_meeting(meeting: Meeting, *, override: bool = False) -> list[Conflict]:
    """Publish the meeting; refused while people or rooms are double-booked, unless overridden.

    Returns the blocking conflicts that were overridden (empty when there were none).
    """
    blocking = [c for c in find_conflicts(meeting) if c.is_blocking]
    if blocking and not override:
        raise PublishBlocked(
            ngettext(
                "The programme has %(num)d double-booking. Resolve it, or publish "
                "despite it by ticking the box.",
                "The programme has %(num)d double-bookings. Resolve them, or publish "
                "despite them by ticking the box.",
                len(blocking),
            ),
            blocking,
        )
    if meeting.status != MeetingStatus.PUBLISHED:
        meeting.status = MeetingStatus.PUBLISHED
        db.session.flush()
    return blocking


def unpublish_meeting(meeting: Meeting) -> None:
    """Take the meeting back to draft: the public no longer sees it."""
    if meeting.status != MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.DRAFT
        db.session.flush()

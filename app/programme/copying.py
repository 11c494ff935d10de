"""A new meeting from an earlier one: the next edition of a series (the 3rd ACCPCJ from the 2nd).

The organiser chooses which parts of the structure to copy: the agenda (items, sub-items and
workshops), tracks, rooms, the session pattern (shifted to the new dates, at the same local
times), and clusters with their topics. Nothing personal comes along: no participants, no
people in sessions, no places, no outputs, no documents. The new meeting is a draft whose
creator is its organiser, linked to the source as its previous edition.

Areas above the programme add parts of their own (the report outline of issue 12): each
contributes `Copier`s to the hook "meeting_copiers" when its blueprint is registered, and its
`copy(source, target, copied)` runs after the parts here, with `copied` mapping the source's
agenda items, sessions and clusters to the new ones. The rule flushes and never commits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.errors import ProgrammeError
from app.extensions import db
from app.hooks import hook_items
from app.meetings.meetings import create_meeting
from app.meetings.models import AgendaItem, Meeting, Workshop
from app.programme import queries
from app.programme.models import AgendaSession, Cluster, ClusterTopic, Room, Track
from app.timezones import to_local, to_utc
from app.undates import date_range_short


@dataclass
class Copied:
    """What was copied so far: the source's ids to the new records' ids, by kind."""

    agenda_items: dict[int, int] = field(default_factory=dict)
    tracks: dict[int, int] = field(default_factory=dict)
    rooms: dict[int, int] = field(default_factory=dict)
    clusters: dict[int, int] = field(default_factory=dict)
    sessions: dict[int, int] = field(default_factory=dict)
    day_offset: timedelta = timedelta()


@dataclass(frozen=True)
class Copier:
    """A part of a meeting that an area above the programme copies (its key, its label)."""

    key: str
    label: str
    copy: Callable[[Meeting, Meeting, Copied], None]


BUILT_IN = (
    ("agenda", _l("The agenda: items, sub-items and workshops")),
    ("tracks", _l("Tracks")),
    ("rooms", _l("Rooms")),
    ("sessions", _l("The session pattern, moved to the new dates (without its people)")),
    ("clusters", _l("Breakout clusters and their topics (without moderators or rapporteurs)")),
)


def copiers() -> list[Copier]:
    """The parts the areas above contributed (hook "meeting_copiers")."""
    return list(hook_items("meeting_copiers"))


def part_choices() -> list[tuple[str, str]]:
    """Every part an organiser may choose, the programme's first."""
    return [(key, str(label)) for key, label in BUILT_IN] + [
        (copier.key, str(copier.label)) for copier in copiers()
    ]


def copy_meeting(
    source: Meeting,
    creator: User,
    *,
    title: str,
    short_title: str,
    slug: str,
    first_day: date | None,
    parts: set[str],
) -> Meeting:
    """A new draft meeting with the chosen structure of `source`, `first_day` onwards, lasting
    as many days as the source; refused when its dates overlap the source's."""
    if not isinstance(first_day, date):
        raise ProgrammeError(_("Give the new edition's first day."), "first_day")
    length = source.last_day - source.first_day
    last_day = first_day + length
    if first_day <= source.last_day and last_day >= source.first_day:
        raise ProgrammeError(
            _(
                "The new edition would meet on days of this one (%(days)s). "
                "Choose dates after or before them.",
                days=date_range_short(source.first_day, source.last_day),
            ),
            "first_day",
        )
    known = {key for key, _label in part_choices()}
    unknown = parts - known
    if unknown:
        raise ProgrammeError(_("Choose among the parts listed."), "parts")
    if "sessions" in parts:
        parts = parts | {"tracks"}  # a session belongs to a track
    target = create_meeting(
        creator,
        slug=slug,
        title=title,
        short_title=short_title,
        kind=source.kind,
        theme=source.theme,
        substantive_issue=source.substantive_issue,
        venue=source.venue,
        city=source.city,
        country=source.country,
        timezone=source.timezone,
        language=source.language,
        content_languages=list(source.content_languages or ()),
        first_day=first_day,
        last_day=last_day,
        host_body=source.host_body,
        convening_body=source.convening_body,
        reports_to=source.reports_to,
        registration_needs_approval=source.registration_needs_approval,
        one_cluster_for_all_slots=source.one_cluster_for_all_slots,
    )
    target.previous_edition_id = source.id
    # The theme in the other languages carries over; the new edition's title is new.
    target.translations = {
        code: {"theme": texts["theme"]}
        for code, texts in (source.translations or {}).items()
        if isinstance(texts, dict) and texts.get("theme")
    }
    copied = Copied(day_offset=first_day - source.first_day)
    if "agenda" in parts:
        _copy_agenda(source, target, copied)
    if "tracks" in parts:
        for track in queries.tracks(source):
            new = Track(
                meeting_id=target.id, name=track.name, kind=track.kind, position=track.position
            )
            db.session.add(new)
            db.session.flush()
            copied.tracks[track.id] = new.id
    if "rooms" in parts:
        for room in queries.rooms(source):
            new = Room(meeting_id=target.id, name=room.name, capacity=room.capacity)
            db.session.add(new)
            db.session.flush()
            copied.rooms[room.id] = new.id
    if "clusters" in parts:
        _copy_clusters(source, target, copied)
    if "sessions" in parts:
        _copy_sessions(source, target, copied)
    for copier in copiers():
        if copier.key in parts:
            copier.copy(source, target, copied)
    db.session.flush()
    return target


def _copy_agenda(source: Meeting, target: Meeting, copied: Copied) -> None:
    items = list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == source.id)
            .order_by(AgendaItem.parent_id.is_not(None), AgendaItem.number, AgendaItem.letter)
        )
    )
    for item in items:  # items before their sub-items
        new = AgendaItem(
            meeting_id=target.id,
            parent_id=copied.agenda_items.get(item.parent_id) if item.parent_id else None,
            number=item.number,
            letter=item.letter,
            title=item.title,
            annotation=item.annotation,
            translations=dict(item.translations or {}),
        )
        db.session.add(new)
        db.session.flush()
        copied.agenda_items[item.id] = new.id
    for workshop in db.session.scalars(select(Workshop).where(Workshop.meeting_id == source.id)):
        db.session.add(
            Workshop(
                meeting_id=target.id,
                number=workshop.number,
                title=workshop.title,
                agenda_item_id=copied.agenda_items.get(workshop.agenda_item_id),
            )
        )


def _copy_clusters(source: Meeting, target: Meeting, copied: Copied) -> None:
    for cluster in db.session.scalars(
        select(Cluster)
        .where(Cluster.meeting_id == source.id)
        .order_by(Cluster.number)
        .options(selectinload(Cluster.topics))
    ):
        new = Cluster(
            meeting_id=target.id,
            number=cluster.number,
            title=cluster.title,
            discussion_guide=cluster.discussion_guide,
            capacity=cluster.capacity,
        )
        new.topics = [
            ClusterTopic(position=topic.position, title=topic.title) for topic in cluster.topics
        ]
        db.session.add(new)
        db.session.flush()
        copied.clusters[cluster.id] = new.id


def _shifted(moment: datetime, zone: str, offset: timedelta) -> datetime:
    """The same wall-clock time, `offset` days later, in the meeting's zone (DST-proof)."""
    local = to_local(moment, zone).replace(tzinfo=None)
    return to_utc(local + offset, zone)


def _copy_sessions(source: Meeting, target: Meeting, copied: Copied) -> None:
    zone = source.timezone
    originals = list(
        db.session.scalars(
            select(AgendaSession)
            .where(AgendaSession.meeting_id == source.id)
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        )
    )
    made = []
    for s in originals:
        cluster_id = copied.clusters.get(s.cluster_id) if s.cluster_id else None
        # A slot hangs on a cluster, or on a workshop's own places.
        keeps_slot = cluster_id is not None or (s.cluster_id is None and s.capacity is not None)
        new = AgendaSession(
            meeting_id=target.id,
            track_id=copied.tracks[s.track_id],
            room_id=copied.rooms.get(s.room_id) if s.room_id else None,
            agenda_item_id=copied.agenda_items.get(s.agenda_item_id) if s.agenda_item_id else None,
            cluster_id=cluster_id,
            slot=s.slot if keeps_slot else None,
            kind=s.kind,
            title=s.title,
            translations=dict(s.translations or {}),
            description=s.description,
            starts_at=_shifted(s.starts_at, zone, copied.day_offset),
            ends_at=_shifted(s.ends_at, zone, copied.day_offset),
            is_cancelled=False,
            capacity=s.capacity,
            interpretation=s.interpretation,
        )
        made.append(new)
    db.session.add_all(made)
    db.session.flush()  # one flush for the whole pattern: a congress has 400 sessions
    copied.sessions.update({old.id: new.id for old, new in zip(originals, made, strict=True)})

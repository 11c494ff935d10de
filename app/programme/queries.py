"""Reads of the programme that more than one place needs, written once.

Each loads what its page or export shows in a fixed number of queries, whatever the number of
sessions: relationships are eager-loaded, and on the public reads every other relationship
raises if touched, so a template that would start lazy loading fails in the tests instead of
slowing the page down.
"""

from datetime import date, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, raiseload, selectinload

from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Person
from app.programme.models import (
    AgendaSession,
    Cluster,
    ProgrammeChange,
    ProgrammeVersion,
    Room,
    SessionPerson,
    Track,
)
from app.timezones import day_bounds_utc

# Tracks, rooms and clusters: the choices of the organiser's forms and the JSON programme


def tracks(meeting: Meeting, *, strict: bool = False) -> list[Track]:
    """The meeting's tracks in their order (position, then name)."""
    query = (
        select(Track)
        .where(Track.meeting_id == meeting.id)
        .order_by(Track.position, Track.name, Track.id)
    )
    if strict:
        query = query.options(raiseload("*"))
    return list(db.session.scalars(query))


def rooms(meeting: Meeting, *, strict: bool = False) -> list[Room]:
    """The meeting's rooms by name."""
    query = select(Room).where(Room.meeting_id == meeting.id).order_by(Room.name, Room.id)
    if strict:
        query = query.options(raiseload("*"))
    return list(db.session.scalars(query))


def clusters(meeting: Meeting) -> list[Cluster]:
    """The meeting's clusters by number."""
    return list(
        db.session.scalars(
            select(Cluster).where(Cluster.meeting_id == meeting.id).order_by(Cluster.number)
        )
    )


def clusters_in_full(meeting: Meeting, *, with_sessions: bool = False) -> list[Cluster]:
    """Clusters with their topics, moderator and rapporteur (and sessions with their rooms)."""
    options = [
        selectinload(Cluster.topics),
        joinedload(Cluster.moderator),
        joinedload(Cluster.rapporteur),
    ]
    if with_sessions:
        options.append(selectinload(Cluster.sessions).joinedload(AgendaSession.room))
    else:
        options.append(raiseload("*"))
    return list(
        db.session.scalars(
            select(Cluster)
            .where(Cluster.meeting_id == meeting.id)
            .order_by(Cluster.number)
            .options(*options)
        ).unique()
    )


def sessions_per_track(meeting: Meeting) -> dict[int, int]:
    """How many sessions each track holds (a track in use cannot be deleted)."""
    return dict(
        db.session.execute(
            select(AgendaSession.track_id, func.count(AgendaSession.id))
            .where(AgendaSession.meeting_id == meeting.id)
            .group_by(AgendaSession.track_id)
        ).all()
    )


def sessions_per_room(meeting: Meeting) -> dict[int, int]:
    """How many sessions meet in each room (a room in use cannot be deleted)."""
    return dict(
        db.session.execute(
            select(AgendaSession.room_id, func.count(AgendaSession.id))
            .where(AgendaSession.meeting_id == meeting.id, AgendaSession.room_id.is_not(None))
            .group_by(AgendaSession.room_id)
        ).all()
    )


def sessions_on_item(item: AgendaItem) -> int:
    """How many sessions take up an agenda item or one of its sub-items."""
    ids = [item.id, *(sub.id for sub in item.sub_items)]
    return db.session.scalar(
        select(func.count()).select_from(AgendaSession).where(AgendaSession.agenda_item_id.in_(ids))
    )


def count_of(model, meeting: Meeting) -> int:
    """How many records of a programme table (sessions, clusters, people) the meeting has."""
    return db.session.scalar(
        select(func.count()).select_from(model).where(model.meeting_id == meeting.id)
    )


# People


def people_with_roles(meeting: Meeting) -> list[Person]:
    """Every person of the meeting with the sessions they take part in (the organiser's list)."""
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.meeting_id == meeting.id)
            .options(selectinload(Person.roles).joinedload(SessionPerson.session_))
            .order_by(Person.name)
        )
    )


def holds_a_role(meeting: Meeting):
    """Only people the organiser put in a session are public; participants stay private."""
    return exists().where(
        SessionPerson.person_id == Person.id,
        SessionPerson.session_id == AgendaSession.id,
        AgendaSession.meeting_id == meeting.id,
    )


def public_person(meeting: Meeting, person_id: int) -> Person | None:
    """A person of this meeting who holds a role in one of its sessions, else None."""
    return db.session.scalar(
        select(Person).where(
            Person.id == person_id,
            Person.meeting_id == meeting.id,
            holds_a_role(meeting),
        )
    )


def speakers(meeting: Meeting) -> list[Person]:
    """Everyone the organiser put in a session, by name."""
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.meeting_id == meeting.id, holds_a_role(meeting))
            .order_by(Person.name, Person.id)
            .options(raiseload("*"))
        )
    )


def roles_of(meeting: Meeting, person: Person) -> list[SessionPerson]:
    """A person's roles in the meeting's sessions, in programme order, with each session's
    track and room."""
    return list(
        db.session.scalars(
            select(SessionPerson)
            .join(AgendaSession, SessionPerson.session_id == AgendaSession.id)
            .where(SessionPerson.person_id == person.id, AgendaSession.meeting_id == meeting.id)
            .order_by(AgendaSession.starts_at, AgendaSession.id, SessionPerson.position)
            .options(
                joinedload(SessionPerson.session_).joinedload(AgendaSession.track),
                joinedload(SessionPerson.session_).joinedload(AgendaSession.room),
                raiseload("*"),
            )
        )
    )


# Sessions


def session_options(with_topics: bool = False) -> list:
    """Everything a session card shows, in a fixed number of queries."""
    cluster = joinedload(AgendaSession.cluster)
    options = [
        joinedload(AgendaSession.track),
        joinedload(AgendaSession.room),
        joinedload(AgendaSession.agenda_item),
        selectinload(AgendaSession.people).joinedload(SessionPerson.person),
    ]
    options.append(cluster.selectinload(Cluster.topics) if with_topics else cluster)
    options.append(raiseload("*"))
    return options


def load_sessions(meeting: Meeting, day: date | None) -> list[AgendaSession]:
    """The meeting's sessions (of one local day, or all), ready for cards and exports."""
    query = (
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id)
        .options(*session_options())
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    if day is not None:
        start, end = day_bounds_utc(day, meeting.timezone)
        query = query.where(AgendaSession.starts_at >= start, AgendaSession.starts_at < end)
    return list(db.session.scalars(query).unique())


def public_session(meeting: Meeting, session_id: int) -> AgendaSession | None:
    """One session of the meeting with everything its page shows (cluster topics too)."""
    return db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.id == session_id, AgendaSession.meeting_id == meeting.id)
        .options(*session_options(with_topics=True))
    ).first()


def planned_sessions(meeting: Meeting) -> list[AgendaSession]:
    """Every session with its track, room, cluster, agenda item and people: the organiser's list."""
    return list(
        db.session.scalars(
            select(AgendaSession)
            .where(AgendaSession.meeting_id == meeting.id)
            .options(
                joinedload(AgendaSession.track),
                joinedload(AgendaSession.room),
                joinedload(AgendaSession.cluster),
                joinedload(AgendaSession.agenda_item),
                selectinload(AgendaSession.people).joinedload(SessionPerson.person),
            )
            .order_by(AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.id)
        ).unique()
    )


def board_sessions(meeting: Meeting, day: date) -> list[AgendaSession]:
    """One local day's sessions for the timetable editor, with their track and room only (the
    grid shows titles and places; people are counted apart)."""
    start, end = day_bounds_utc(day, meeting.timezone)
    return list(
        db.session.scalars(
            select(AgendaSession)
            .where(
                AgendaSession.meeting_id == meeting.id,
                AgendaSession.starts_at >= start,
                AgendaSession.starts_at < end,
            )
            .options(
                joinedload(AgendaSession.track), joinedload(AgendaSession.room), raiseload("*")
            )
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        )
    )


def people_counts(session_ids: list[int]) -> dict[int, int]:
    """How many people each session names, in one query."""
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            select(SessionPerson.session_id, func.count())
            .where(SessionPerson.session_id.in_(session_ids))
            .group_by(SessionPerson.session_id)
        ).all()
    )


def sessions_outside(meeting: Meeting) -> list[tuple[int, str, datetime]]:
    """(id, title, start) of the sessions before the meeting's first day or after its last."""
    opens, _unused = day_bounds_utc(meeting.first_day, meeting.timezone)
    _unused, closes = day_bounds_utc(meeting.last_day, meeting.timezone)
    return list(
        db.session.execute(
            select(AgendaSession.id, AgendaSession.title, AgendaSession.starts_at)
            .where(
                AgendaSession.meeting_id == meeting.id,
                (AgendaSession.starts_at < opens) | (AgendaSession.starts_at >= closes),
            )
            .order_by(AgendaSession.starts_at)
            .limit(200)
        ).all()
    )


def programme_extent(meeting: Meeting) -> tuple[int, datetime | None]:
    """How many sessions the programme has, and when the first starts."""
    count, first = db.session.execute(
        select(func.count(), func.min(AgendaSession.starts_at)).where(
            AgendaSession.meeting_id == meeting.id
        )
    ).one()
    return count, first


# The agenda as the public sees it


def agenda_tree(meeting: Meeting) -> list[AgendaItem]:
    """Numbered items with their sub-items and clustered workshops loaded."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id, AgendaItem.parent_id.is_(None))
            .order_by(AgendaItem.number)
            .options(
                selectinload(AgendaItem.workshops),
                selectinload(AgendaItem.sub_items).selectinload(AgendaItem.workshops),
                selectinload(AgendaItem.sub_items).raiseload("*"),
                raiseload("*"),
            )
        )
    )


def sessions_on_agenda_items(meeting: Meeting) -> list[AgendaSession]:
    """The sessions that take up an agenda item, in programme order."""
    return list(
        db.session.scalars(
            select(AgendaSession)
            .where(
                AgendaSession.meeting_id == meeting.id, AgendaSession.agenda_item_id.is_not(None)
            )
            .order_by(AgendaSession.starts_at, AgendaSession.id)
            .options(raiseload("*"))
        )
    )


# Published versions of the programme


# How many versions the public change log shows, and how many lines each lists at most.
VERSIONS_SHOWN = 50
LINES_PER_VERSION = 400


def programme_versions(meeting: Meeting) -> list[ProgrammeVersion]:
    """The latest published versions, newest first."""
    return list(
        db.session.scalars(
            select(ProgrammeVersion)
            .where(ProgrammeVersion.meeting_id == meeting.id)
            .order_by(ProgrammeVersion.number.desc())
            .limit(VERSIONS_SHOWN)
        )
    )


def changes_in_versions(version_ids: list[int]) -> list[ProgrammeChange]:
    """The changes those versions published, oldest first."""
    if not version_ids:
        return []
    return list(
        db.session.scalars(
            select(ProgrammeChange)
            .where(ProgrammeChange.version_id.in_(version_ids))
            .order_by(ProgrammeChange.created_at, ProgrammeChange.id)
            .limit(LINES_PER_VERSION * len(version_ids))
        )
    )


def sessions_changed_after(meeting: Meeting, number: int) -> set[int]:
    """The sessions a version published after version `number` changed (one query)."""
    return set(
        db.session.scalars(
            select(ProgrammeChange.session_id)
            .join(ProgrammeVersion, ProgrammeVersion.id == ProgrammeChange.version_id)
            .where(
                ProgrammeVersion.meeting_id == meeting.id,
                ProgrammeVersion.number > number,
                ProgrammeChange.session_id.is_not(None),
            )
            .distinct()
        )
    )

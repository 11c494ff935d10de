"""What the calendar feeds show, selected as plain rows: two queries at any size, no ORM objects."""

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.exports.ical import EventData, person_line
from app.extensions import db
from app.i18n import current_language, pick
from app.meetings.models import AgendaItem, Meeting, Person, agenda_item_label, display_name
from app.programme.models import (
    AgendaSession,
    Cluster,
    Room,
    SessionPerson,
    SpeakerRole,
    Track,
    cluster_label,
)


def event_rows(meeting: Meeting, *conditions, with_online: bool = False) -> list[EventData]:
    """The sessions a feed shows, as plain rows: two queries at any size, no ORM objects.

    Online meeting links are for registered participants: only their private feed asks for
    them (`with_online`); every public feed leaves them out in the query itself.
    """
    online = AgendaSession.online_url if with_online else sa.literal("")
    sessions = db.session.execute(
        select(
            AgendaSession.id,
            AgendaSession.title,
            AgendaSession.translations,
            AgendaSession.description,
            AgendaSession.kind,
            Track.name,
            Room.name,
            AgendaSession.starts_at,
            AgendaSession.ends_at,
            AgendaSession.created_at,
            AgendaSession.updated_at,
            AgendaSession.sequence,
            AgendaSession.is_cancelled,
            AgendaItem.number,
            AgendaItem.letter,
            AgendaItem.title,
            AgendaItem.translations,
            Cluster.number,
            Cluster.title,
            AgendaSession.interpretation,
            online,
        )
        .join(Track, Track.id == AgendaSession.track_id)
        .outerjoin(Room, Room.id == AgendaSession.room_id)
        .outerjoin(AgendaItem, AgendaItem.id == AgendaSession.agenda_item_id)
        .outerjoin(Cluster, Cluster.id == AgendaSession.cluster_id)
        .where(AgendaSession.meeting_id == meeting.id, *conditions)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    people: dict[int, list[tuple[SpeakerRole, str]]] = {}
    # An alias, so a condition on session_people (the speaker feed's) stays its own subquery.
    role = aliased(SessionPerson)
    for session_id, role_, honorific, name, position, organisation in db.session.execute(
        select(
            role.session_id,
            role.role,
            Person.honorific,
            Person.name,
            Person.position,
            Person.organisation,
        )  # fmt: skip
        .join(Person, Person.id == role.person_id)
        .join(AgendaSession, AgendaSession.id == role.session_id)
        .where(AgendaSession.meeting_id == meeting.id, *conditions)
        .order_by(role.session_id, role.position, role.id)
    ):
        line = person_line(display_name(honorific, name), position, organisation)
        people.setdefault(session_id, []).append((role_, line))
    clusters: dict[tuple[int, str], str] = {}
    language = current_language().code
    events = []
    for (
        id_, title, translations, description, kind, track_name, room_name, starts_at, ends_at,
        created_at, updated_at, sequence, is_cancelled, item_number, item_letter, item_title,
        item_translations, cluster_number, cluster_title, interpretation, online_url,
    ) in sessions:  # fmt: skip
        cluster = None
        if cluster_number is not None:
            key = (cluster_number, cluster_title)
            cluster = clusters.get(key)
            if cluster is None:
                cluster = clusters[key] = cluster_label(cluster_number, cluster_title)
        events.append(
            EventData(
                id=id_,
                title=pick(translations, "title", title, language),
                description=description,
                kind=kind,
                track_name=track_name,
                room_name=room_name,
                starts_at=starts_at,
                ends_at=ends_at,
                created_at=created_at,
                updated_at=updated_at,
                sequence=sequence,
                is_cancelled=is_cancelled,
                agenda_item=(
                    (
                        agenda_item_label(item_number, item_letter),
                        pick(item_translations, "title", item_title, language),
                    )
                    if item_number is not None
                    else None
                ),
                cluster_label=cluster,
                people=tuple(people.get(id_, ())),
                interpretation=interpretation or "",
                online_url=online_url or "",
            )
        )
    return events

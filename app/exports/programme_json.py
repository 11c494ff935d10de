"""The programme of a meeting as plain JSON data, for websites and apps.

A pure function of loaded records; its shape is described by the OpenAPI document in
`app/exports/openapi.py` (schema `Programme`), and the tests hold the two together.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from app.i18n import localized
from app.meetings.models import Meeting, Person
from app.programme.models import AgendaSession, Cluster, Room, Track
from app.timezones import local_date, to_local

FORMAT_VERSION = 1


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _local(moment: datetime, zone: str) -> str:
    return to_local(moment, zone).isoformat()


def _person(person: Person) -> dict:
    return {
        "id": person.id,
        "honorific": person.honorific,
        "name": person.name,
        "display_name": person.display_name,
        "position": person.position,
        "organisation": person.organisation,
        "country": person.country,
    }


def _session(s: AgendaSession, zone: str, urls: dict[str, Callable[[AgendaSession], str]]) -> dict:
    item = s.agenda_item
    return {
        "id": s.id,
        "title": localized(s, "title"),
        "kind": s.kind.value,
        "kind_label": str(s.kind.label),
        "description": s.description,
        "starts_at": _local(s.starts_at, zone),
        "ends_at": _local(s.ends_at, zone),
        "starts_at_utc": _utc(s.starts_at),
        "ends_at_utc": _utc(s.ends_at),
        "track_id": s.track_id,
        "room_id": s.room_id,
        "cluster_id": s.cluster_id,
        "slot": s.slot,
        "agenda_item": (
            None
            if item is None
            else {"id": item.id, "label": item.label, "title": localized(item, "title")}
        ),
        "is_cancelled": s.is_cancelled,
        "sequence": s.sequence,
        "updated_at": _utc(s.updated_at),
        "people": [
            {"person_id": row.person_id, "role": row.role.value, "role_label": str(row.role.label)}
            for row in s.people
        ],
        "url": urls["session"](s),
        "ical_url": urls["session_ical"](s),
    }


def build_programme(
    meeting: Meeting,
    sessions: Iterable[AgendaSession],
    *,
    tracks: Iterable[Track],
    rooms: Iterable[Room],
    clusters: Iterable[Cluster],
    days: Iterable[date],
    urls: dict[str, Callable],
) -> dict:
    """The meeting's programme: days with their sessions, tracks, rooms, people and clusters.

    `urls` maps "meeting", "programme_ical" (no argument) and "session", "session_ical"
    (a session) to absolute URLs. People are those the programme names: in a session role,
    or moderating or reporting for a cluster; participants stay private.
    """
    zone = meeting.timezone
    sessions = list(sessions)
    clusters = list(clusters)
    by_day: dict[date, list[AgendaSession]] = defaultdict(list)
    people: dict[int, Person] = {}
    for s in sessions:
        by_day[local_date(s.starts_at, zone)].append(s)
        for row in s.people:
            people[row.person_id] = row.person
    for c in clusters:
        for person in (c.moderator, c.rapporteur):
            if person is not None:
                people[person.id] = person
    all_days = sorted(set(days) | set(by_day))
    return {
        "format_version": FORMAT_VERSION,
        "meeting": {
            "slug": meeting.slug,
            "title": localized(meeting, "title"),
            "short_title": meeting.short_title,
            "kind": meeting.kind.value,
            "theme": localized(meeting, "theme"),
            "venue": meeting.venue,
            "city": meeting.city,
            "country": meeting.country,
            "timezone": zone,
            "first_day": meeting.first_day.isoformat(),
            "last_day": meeting.last_day.isoformat(),
            "status": meeting.status.value,
            "url": urls["meeting"](),
            "ical_url": urls["programme_ical"](),
        },
        "days": [
            {
                "date": day.isoformat(),
                "sessions": [_session(s, zone, urls) for s in by_day.get(day, [])],
            }
            for day in all_days
        ],
        "tracks": [
            {"id": t.id, "name": t.name, "kind": t.kind.value, "position": t.position}
            for t in tracks
        ],
        "rooms": [{"id": r.id, "name": r.name, "capacity": r.capacity} for r in rooms],
        "people": [_person(p) for p in sorted(people.values(), key=lambda p: (p.name, p.id))],
        "clusters": [
            {
                "id": c.id,
                "number": c.number,
                "label": c.label,
                "title": c.title,
                "capacity": c.capacity,
                "discussion_guide": c.discussion_guide,
                "topics": [t.title for t in c.topics],
                "moderator_id": c.moderator_id,
                "rapporteur_id": c.rapporteur_id,
            }
            for c in clusters
        ],
    }

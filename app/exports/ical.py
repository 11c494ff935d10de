"""iCalendar feeds of a meeting's programme (RFC 5545, with RFC 7986's calendar properties).

Pure functions: they take sessions (loaded ORM objects, or `EventData` rows as the feeds select
them) and plain values and return an `icalendar.Calendar`; the views load, call and send the bytes.

The feeds carry no METHOD, so RFC 5545 (3.8.7.2) lets DTSTAMP be the time the event was last
revised: it is the session's `updated_at`, never "now". Two exports of an unchanged programme are
therefore byte-identical, and so are their ETags.

UIDs are `plenary-session-<id>-<meeting slug>@<domain>`: the session id keeps them unique within a
site, the slug across meetings, and the domain across sites. The domain is the PLENARY_UID_DOMAIN
setting, else SERVER_NAME, else the host the request came to; set one of the first two in
production so a UID does not change with the name a client happens to use.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from app.i18n import localized
from app.meetings.models import Meeting, Person
from app.plain import multi_line, single_line
from app.programme.models import AgendaSession, SessionKind, SpeakerRole

PRODID = "-//Plenary//Plenary programme 1.0//EN"
# How often a subscribed client should fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=1)
ROLE_ORDER = {role: n for n, role in enumerate(SpeakerRole)}


@dataclass(frozen=True, slots=True)
class EventData:
    """What one session's VEVENT shows, as plain values: the views select these as rows."""

    id: int
    title: str
    description: str
    kind: SessionKind
    track_name: str
    room_name: str | None
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    updated_at: datetime
    sequence: int
    is_cancelled: bool
    # (label, title) of the agenda item, and the cluster's label, when the session has them.
    agenda_item: tuple[str, str] | None = None
    cluster_label: str | None = None
    # (role, "name, position, organisation") in the session's order.
    people: tuple[tuple[SpeakerRole, str], ...] = ()
    # Language codes of the interpretation ("ar zh en"): public.
    interpretation: str = ""
    # The online meeting's address: set only for a registered participant's private feed.
    online_url: str = ""


@dataclass(frozen=True)
class FeedEntry:
    """A session in a feed; `revised` overrides its DTSTAMP (a place taken after the edit)."""

    session: "AgendaSession | EventData"
    revised: datetime | None = None


def language_name(code: str) -> str:
    """A language's name in the feed's language ("Arabic")."""
    locale = get_locale()
    return (locale.languages.get(code) if locale is not None else None) or code


def person_line(display_name: str, position: str, organisation: str) -> str:
    """A person as the description lists them: name, position, organisation (those known)."""
    return ", ".join(p for p in (display_name, position, organisation) if p)


def _person_line(person: Person) -> str:
    return person_line(person.display_name, person.position, person.organisation)


def event_data(session_: "AgendaSession | EventData") -> EventData:
    """The plain values of a loaded session (its track, room, item, cluster and people)."""
    if isinstance(session_, EventData):
        return session_
    item = session_.agenda_item
    return EventData(
        id=session_.id,
        title=localized(session_, "title"),
        description=session_.description,
        kind=session_.kind,
        track_name=session_.track.name,
        room_name=session_.room.name if session_.room else None,
        starts_at=session_.starts_at,
        ends_at=session_.ends_at,
        created_at=session_.created_at,
        updated_at=session_.updated_at,
        sequence=session_.sequence,
        is_cancelled=session_.is_cancelled,
        agenda_item=(item.label, localized(item, "title")) if item is not None else None,
        cluster_label=session_.cluster.label if session_.cluster is not None else None,
        people=tuple((row.role, _person_line(row.person)) for row in session_.people),
        interpretation=session_.interpretation,
    )


def _label(labels: dict, key, translate: Callable[[], str]) -> str:
    """A translated label, translated once per calendar (`labels` lives as long as one build)."""
    text = labels.get(key)
    if text is None:
        text = labels[key] = translate()
    return text


def session_uid(session_: "AgendaSession | EventData", meeting: Meeting, domain: str) -> str:
    """The session's UID, the same in every export and every feed of this site."""
    return f"plenary-session-{session_.id}-{meeting.slug}@{domain}"


def describe_session(session_: "AgendaSession | EventData", labels: dict | None = None) -> str:
    """DESCRIPTION text: the session's own description, then its people by role."""
    data = event_data(session_)
    labels = {} if labels is None else labels
    paragraphs = []
    if data.is_cancelled:
        paragraphs.append(_label(labels, "cancelled", lambda: _("This session is cancelled.")))
    if data.agenda_item is not None:
        label, title = data.agenda_item
        # gettext with variables is the translated template % variables: translate it once.
        template = _label(labels, "agenda item", lambda: _("Agenda item %(label)s: %(title)s"))
        paragraphs.append(template % {"label": label, "title": title})
    if data.cluster_label is not None:
        paragraphs.append(data.cluster_label)
    if data.description:
        paragraphs.append(data.description.strip())
    if data.interpretation:
        template = _label(labels, "interpretation", lambda: _("Interpretation: %(languages)s"))
        names = ", ".join(language_name(code) for code in data.interpretation.split())
        paragraphs.append(template % {"languages": names})
    if data.online_url:
        template = _label(labels, "online", lambda: _("Join online: %(url)s"))
        paragraphs.append(template % {"url": data.online_url})
    groups: dict[SpeakerRole, list[str]] = defaultdict(list)
    for role, line in data.people:
        groups[role].append(line)
    for role in sorted(groups, key=ROLE_ORDER.__getitem__):
        heading = _label(labels, ("role", role), lambda role=role: f"{role.label}:")
        paragraphs.append("\n".join([heading] + [f"- {line}" for line in groups[role]]))
    return "\n\n".join(paragraphs)


def session_location(session_: "AgendaSession | EventData", meeting: Meeting) -> str:
    """LOCATION: room, venue, city (whichever are known)."""
    if isinstance(session_, EventData):
        room = session_.room_name or ""
    else:
        room = session_.room.name if session_.room else ""
    return ", ".join(p for p in (room, meeting.venue, meeting.city) if p)


def meeting_timezone(meeting: Meeting) -> Timezone:
    """The VTIMEZONE of the meeting's zone, with its transitions around the meeting's dates.

    Shared between calendars (computing the transitions costs as much as 50 events): add it to
    a calendar, never change it.
    """
    return _timezone(meeting.timezone, meeting.first_day.year - 1, meeting.last_day.year + 2)


@lru_cache(maxsize=32)
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )


def build_event(
    session_: "AgendaSession | EventData",
    meeting: Meeting,
    *,
    uid_domain: str,
    session_url: Callable,
    revised: datetime | None = None,
    labels: dict | None = None,
) -> Event:
    """One VEVENT for a session, its times in the meeting's zone.

    `labels` caches translated headings across the events of one calendar.
    """
    data = event_data(session_)
    labels = {} if labels is None else labels
    zone = ZoneInfo(meeting.timezone)
    stamp = max(data.updated_at, revised) if revised else data.updated_at
    event = Event()
    event.add("uid", session_uid(data, meeting, uid_domain))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", data.starts_at.astimezone(zone))
    event.add("dtend", data.ends_at.astimezone(zone))
    event.add("summary", multi_line(data.title))
    event.add("sequence", data.sequence)
    event.add("status", "CANCELLED" if data.is_cancelled else "CONFIRMED")
    event.add("created", data.created_at.astimezone(UTC))
    event.add("last-modified", stamp.astimezone(UTC))
    location = session_location(data, meeting)
    if location:
        event.add("location", multi_line(location))
    description = describe_session(data, labels)
    if description:
        event.add("description", multi_line(description))
    event.add("url", session_url(data))
    if data.online_url:
        # RFC 7986 CONFERENCE: calendar clients offer a "join" button.
        event.add("conference", data.online_url, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    kind = _label(labels, ("kind", data.kind), lambda: str(data.kind.label))
    # One CATEGORIES property with both values; vText escapes any comma inside a name.
    event.add("categories", [multi_line(kind), multi_line(data.track_name)])
    return event


def build_calendar(
    meeting: Meeting,
    entries: Iterable["AgendaSession | EventData | FeedEntry"],
    *,
    name: str,
    uid_domain: str,
    session_url: Callable,
    calendar_url: str | None = None,
    description: str | None = None,
) -> Calendar:
    """A calendar of sessions: one VEVENT per session plus the meeting zone's VTIMEZONE.

    Sessions may be loaded ORM objects or `EventData` rows; `session_url` gets either and
    reads only its `id`.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = single_line(name)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        description = single_line(description)
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", meeting.timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    if calendar_url:
        calendar.add("source", calendar_url, parameters={"VALUE": "URI"})
    calendar.add_component(meeting_timezone(meeting))
    labels: dict = {}
    for entry in entries:
        if isinstance(entry, FeedEntry):
            session_, revised = entry.session, entry.revised
        else:
            session_, revised = entry, None
        calendar.add_component(
            build_event(
                session_,
                meeting,
                uid_domain=uid_domain,
                session_url=session_url,
                revised=revised,
                labels=labels,
            )
        )
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    """The calendar as sent: CRLF lines folded at 75 octets (icalendar does both)."""
    return calendar.to_ical()

"""iCalendar feeds of a meeting's programme (RFC 5545, with RFC 7986's calendar properties).

Pure functions: they take loaded sessions and plain values and return an `icalendar.Calendar`;
the views load, call and send the bytes.

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
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from app.meetings.models import Meeting
from app.programme.models import AgendaSession, Person, SpeakerRole

PRODID = "-//Plenary//Plenary programme 1.0//EN"
# How often a subscribed client should fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=1)
ROLE_ORDER = {role: n for n, role in enumerate(SpeakerRole)}


@dataclass(frozen=True)
class FeedEntry:
    """A session in a feed; `revised` overrides its DTSTAMP (a place taken after the edit)."""

    session: AgendaSession
    revised: datetime | None = None


def session_uid(session_: AgendaSession, meeting: Meeting, domain: str) -> str:
    """The session's UID, the same in every export and every feed of this site."""
    return f"plenary-session-{session_.id}-{meeting.slug}@{domain}"


def _person_line(person: Person) -> str:
    parts = [person.display_name, person.position, person.organisation]
    return ", ".join(p for p in parts if p)


def describe_session(session_: AgendaSession) -> str:
    """DESCRIPTION text: the session's own description, then its people by role."""
    paragraphs = []
    if session_.is_cancelled:
        paragraphs.append(_("This session is cancelled."))
    if session_.agenda_item is not None:
        item = session_.agenda_item
        paragraphs.append(_("Agenda item %(label)s: %(title)s", label=item.label, title=item.title))
    if session_.cluster is not None:
        paragraphs.append(session_.cluster.label)
    if session_.description:
        paragraphs.append(session_.description.strip())
    groups: dict[SpeakerRole, list[Person]] = defaultdict(list)
    for row in session_.people:
        groups[row.role].append(row.person)
    for role in sorted(groups, key=ROLE_ORDER.__getitem__):
        lines = [f"{role.label}:"] + [f"- {_person_line(p)}" for p in groups[role]]
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def session_location(session_: AgendaSession, meeting: Meeting) -> str:
    """LOCATION: room, venue, city (whichever are known)."""
    parts = [session_.room.name if session_.room else "", meeting.venue, meeting.city]
    return ", ".join(p for p in parts if p)


def meeting_timezone(meeting: Meeting) -> Timezone:
    """The VTIMEZONE of the meeting's zone, with its transitions around the meeting's dates."""
    return Timezone.from_tzid(
        meeting.timezone,
        first_date=date(meeting.first_day.year - 1, 1, 1),
        last_date=date(meeting.last_day.year + 2, 1, 1),
    )


def build_event(
    session_: AgendaSession,
    meeting: Meeting,
    *,
    uid_domain: str,
    session_url: Callable[[AgendaSession], str],
    revised: datetime | None = None,
) -> Event:
    """One VEVENT for a session, its times in the meeting's zone."""
    zone = ZoneInfo(meeting.timezone)
    stamp = max(session_.updated_at, revised) if revised else session_.updated_at
    event = Event()
    event.add("uid", session_uid(session_, meeting, uid_domain))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", session_.starts_at.astimezone(zone))
    event.add("dtend", session_.ends_at.astimezone(zone))
    event.add("summary", session_.title)
    event.add("sequence", session_.sequence)
    event.add("status", "CANCELLED" if session_.is_cancelled else "CONFIRMED")
    event.add("created", session_.created_at.astimezone(UTC))
    event.add("last-modified", stamp.astimezone(UTC))
    location = session_location(session_, meeting)
    if location:
        event.add("location", location)
    description = describe_session(session_)
    if description:
        event.add("description", description)
    event.add("url", session_url(session_))
    # One CATEGORIES property with both values; vText escapes any comma inside a name.
    event.add("categories", [str(session_.kind.label), session_.track.name])
    return event


def build_calendar(
    meeting: Meeting,
    entries: Iterable[AgendaSession | FeedEntry],
    *,
    name: str,
    uid_domain: str,
    session_url: Callable[[AgendaSession], str],
    calendar_url: str | None = None,
    description: str | None = None,
) -> Calendar:
    """A calendar of sessions: one VEVENT per session plus the meeting zone's VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", meeting.timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    if calendar_url:
        calendar.add("source", calendar_url, parameters={"VALUE": "URI"})
    calendar.add_component(meeting_timezone(meeting))
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
            )
        )
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    """The calendar as sent: CRLF lines folded at 75 octets (icalendar does both)."""
    return calendar.to_ical()

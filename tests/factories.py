"""Builders for test records: each takes only what a test cares about and fills in the rest."""

import itertools
from datetime import UTC, date, datetime, timedelta

from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingRole,
    MeetingStatus,
    Person,
    RoleName,
)
from app.programme.models import (
    AgendaSession,
    Cluster,
    ClusterTopic,
    Room,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
    TrackKind,
)

PASSWORD = "correct horse battery"
# Hashing once keeps the suite fast; every factory user shares this password.
_PASSWORD_HASH = generate_password_hash(PASSWORD)
_counter = itertools.count(1)


def make_user(email: str | None = None, name: str = "Test User", *, is_admin=False) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"user{n}@example.org").lower(),
        name=name,
        password_hash=_PASSWORD_HASH,
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_meeting(
    slug: str | None = None,
    *,
    status: MeetingStatus = MeetingStatus.PUBLISHED,
    first_day: date = date(2020, 2, 27),
    last_day: date = date(2020, 2, 28),
    timezone: str = "Asia/Bangkok",
    organiser: User | None = None,
    **fields,
) -> Meeting:
    n = next(_counter)
    meeting = Meeting(
        slug=slug or f"meeting-{n}",
        title=fields.pop("title", f"Test Conference {n}"),
        short_title=fields.pop("short_title", f"TC{n}"),
        kind=fields.pop("kind", MeetingKind.CONFERENCE),
        timezone=timezone,
        first_day=first_day,
        last_day=last_day,
        status=status,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    if organiser is not None:
        grant_role(meeting, organiser, RoleName.ORGANISER)
    return meeting


def grant_role(meeting: Meeting, user: User, role: RoleName) -> MeetingRole:
    row = MeetingRole(meeting_id=meeting.id, user_id=user.id, role=role)
    db.session.add(row)
    db.session.flush()
    return row


def make_track(meeting: Meeting, name: str | None = None, kind=TrackKind.MAIN, position=0):
    track = Track(
        meeting_id=meeting.id, name=name or f"Track {next(_counter)}", kind=kind, position=position
    )
    db.session.add(track)
    db.session.flush()
    return track


def make_room(meeting: Meeting, name: str | None = None, capacity: int | None = 100) -> Room:
    room = Room(meeting_id=meeting.id, name=name or f"Room {next(_counter)}", capacity=capacity)
    db.session.add(room)
    db.session.flush()
    return room


def make_person(meeting: Meeting, name: str | None = None, **fields) -> Person:
    person = Person(meeting_id=meeting.id, name=name or f"Person {next(_counter)}", **fields)
    db.session.add(person)
    db.session.flush()
    return person


def make_agenda_item(meeting: Meeting, number: int, title: str = "Item", parent=None, letter=""):
    item = AgendaItem(
        meeting_id=meeting.id,
        number=number,
        title=title,
        parent_id=parent.id if parent else None,
        letter=letter,
    )
    db.session.add(item)
    db.session.flush()
    return item


def local(meeting: Meeting, day: int, hour: int, minute: int = 0) -> datetime:
    """A time on day `day` (1-based) of the meeting, given in the meeting's zone, as UTC."""
    from zoneinfo import ZoneInfo

    d = meeting.first_day + timedelta(days=day - 1)
    return datetime(
        d.year, d.month, d.day, hour, minute, tzinfo=ZoneInfo(meeting.timezone)
    ).astimezone(UTC)


def make_session(
    meeting: Meeting,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    track: Track | None = None,
    room: Room | None = None,
    kind: SessionKind = SessionKind.PLENARY_PANEL,
    title: str | None = None,
    people: list[tuple[Person, SpeakerRole]] = (),
    **fields,
) -> AgendaSession:
    starts_at = starts_at or local(meeting, 1, 9)
    ends_at = ends_at or starts_at + timedelta(hours=1)
    if track is None:
        track = make_track(meeting)
    session_ = AgendaSession(
        meeting_id=meeting.id,
        track_id=track.id,
        room_id=room.id if room else None,
        kind=kind,
        title=title or f"Session {next(_counter)}",
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )
    for position, (person, role) in enumerate(people):
        session_.people.append(SessionPerson(person_id=person.id, role=role, position=position))
    db.session.add(session_)
    db.session.flush()
    return session_


def make_cluster(
    meeting: Meeting,
    number: int = 1,
    title: str = "Culture of Prevention",
    capacity: int = 50,
    topics: tuple[str, ...] = (),
) -> Cluster:
    cluster = Cluster(meeting_id=meeting.id, number=number, title=title, capacity=capacity)
    for position, topic in enumerate(topics):
        cluster.topics.append(ClusterTopic(position=position, title=topic))
    db.session.add(cluster)
    db.session.flush()
    return cluster


def make_registration(
    meeting: Meeting,
    user: User | None = None,
    *,
    category=None,
    status=None,
    delegation: str = "Thailand",
):
    """An (approved, by default) registration, with the account's person record."""
    from app.registration.models import AttendanceCategory, Registration, RegistrationStatus
    from app.registration.registrations import person_for

    user = user or make_user()
    registration = Registration(
        meeting_id=meeting.id,
        user_id=user.id,
        person_id=person_for(meeting, user).id,
        delegation=delegation,
        category=category or AttendanceCategory.MEMBER_STATE,
        status=status or RegistrationStatus.APPROVED,
    )
    db.session.add(registration)
    db.session.flush()
    return registration

"""Public pages of a published meeting: programme by day, sessions, speakers, agenda.

Each page loads what it shows in a fixed number of queries, whatever the number of sessions:
relationships are eager-loaded and every other relationship raises if touched, so a template
that would start lazy loading fails in the tests instead of slowing the page down.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, raiseload, selectinload

from app.extensions import db
from app.meetings.access import can_manage, load_meeting
from app.meetings.models import AgendaItem, Meeting
from app.models_base import utcnow
from app.programme import bp
from app.programme.models import (
    AgendaSession,
    Cluster,
    Person,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
)
from app.timezones import day_bounds_utc, local_date, local_time, to_local, zone_label

# Headings for a group of people in one role, singular and plural.
ROLE_HEADINGS = {
    SpeakerRole.CHAIR: (_l("Chair"), _l("Chairs")),
    SpeakerRole.MODERATOR: (_l("Moderator"), _l("Moderators")),
    SpeakerRole.KEYNOTE_SPEAKER: (_l("Keynote speaker"), _l("Keynote speakers")),
    SpeakerRole.PANELLIST: (_l("Panellist"), _l("Panellists")),
    SpeakerRole.DISCUSSANT: (_l("Discussant"), _l("Discussants")),
    SpeakerRole.RAPPORTEUR: (_l("Rapporteur"), _l("Rapporteurs")),
    SpeakerRole.PRESENTER: (_l("Presenter"), _l("Presenters")),
}
ROLE_ORDER = {role: n for n, role in enumerate(SpeakerRole)}
# Ids are INTEGER columns: a larger id in a URL is simply not found (PostgreSQL would refuse it).
# --- Building the programme grid (pure functions, no database) ---------------------------------


@dataclass
class TrackColumn:
    """A track's columns in a day's grid: it takes as many lanes as it runs sessions at once."""

    track: Track
    first_column: int
    lanes: int


@dataclass
class PlacedSession:
    session: AgendaSession
    column_start: int
    column_end: int
    row_start: int
    row_end: int


@dataclass
class TimeMark:
    row: int
    label: str


@dataclass
class ProgrammeDay:
    day: date
    tracks: list[TrackColumn] = field(default_factory=list)
    # In reading order: a time mark, then the sessions starting then, and so on.
    items: list[TimeMark | PlacedSession] = field(default_factory=list)

    @property
    def column_template(self) -> str:
        """The grid columns after the time column: one equal column per lane of each track."""
        return " ".join(f"repeat({t.lanes}, minmax(0, 1fr))" for t in self.tracks)


def _track_key(track: Track) -> tuple[int, str, int]:
    return (track.position, track.name, track.id)


def _session_key(session_: AgendaSession) -> tuple:
    cluster_number = session_.cluster.number if session_.cluster is not None else 0
    return (session_.starts_at, _track_key(session_.track), cluster_number, session_.id)


def _overlaps(a: AgendaSession, b: AgendaSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _assign_lanes(sessions: list[AgendaSession]) -> tuple[dict[int, tuple[int, int]], int]:
    """Lanes for one track's sessions: parallel sessions side by side, a lone one full width.

    Returns {session id: (first lane, lanes spanned)} and the number of lanes.
    """
    lanes: list[list[AgendaSession]] = []
    first_lane: dict[int, int] = {}
    for s in sessions:
        for n, lane in enumerate(lanes):
            if not any(_overlaps(s, other) for other in lane):
                lane.append(s)
                first_lane[s.id] = n
                break
        else:
            lanes.append([s])
            first_lane[s.id] = len(lanes) - 1
    placement = {}
    for s in sessions:
        start = first_lane[s.id]
        end = start + 1
        # Widen into the lanes to the right while nothing there runs at the same time.
        while end < len(lanes) and not any(_overlaps(s, other) for other in lanes[end]):
            end += 1
        placement[s.id] = (start, end - start)
    return placement, max(len(lanes), 1)


def build_programme_day(day: date, sessions: list[AgendaSession], zone: str) -> ProgrammeDay:
    """Place one day's sessions on a grid: a column per track (lanes for parallel sessions),
    a row per moment a session starts or ends."""
    sessions = sorted(sessions, key=_session_key)
    result = ProgrammeDay(day=day)
    by_track: dict[int, list[AgendaSession]] = defaultdict(list)
    tracks: dict[int, Track] = {}
    for s in sessions:
        by_track[s.track_id].append(s)
        tracks[s.track_id] = s.track

    column = 2  # column 1 holds the times
    lane_of: dict[int, tuple[int, int]] = {}
    for track in sorted(tracks.values(), key=_track_key):
        placement, lanes = _assign_lanes(by_track[track.id])
        result.tracks.append(TrackColumn(track=track, first_column=column, lanes=lanes))
        for session_id, (lane, span) in placement.items():
            lane_of[session_id] = (column + lane, column + lane + span)
        column += lanes

    moments = sorted({s.starts_at for s in sessions} | {s.ends_at for s in sessions})
    row_of = {moment: n + 2 for n, moment in enumerate(moments)}  # row 1 holds track names
    last_start = None
    for s in sessions:
        if s.starts_at != last_start:
            result.items.append(
                TimeMark(row=row_of[s.starts_at], label=local_time(s.starts_at, zone))
            )
            last_start = s.starts_at
        col_start, col_end = lane_of[s.id]
        result.items.append(
            PlacedSession(
                session=s,
                column_start=col_start,
                column_end=col_end,
                row_start=row_of[s.starts_at],
                row_end=row_of[s.ends_at],
            )
        )
    return result


def meeting_days(meeting: Meeting) -> list[date]:
    """Every day from the meeting's first to its last."""
    count = (meeting.last_day - meeting.first_day).days + 1
    return [meeting.first_day + timedelta(days=n) for n in range(max(count, 1))]


# --- Queries ------------------------------------------------------------------------------------


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


def public_person(meeting: Meeting, person_id: int) -> Person:
    """A person of this meeting who holds a role in one of its sessions, or 404."""
    person = db.session.scalar(
        select(Person).where(
            Person.id == person_id,
            Person.meeting_id == meeting.id,
            _holds_a_role(meeting),
        )
    )
    if person is None:
        abort(404)
    return person


def _holds_a_role(meeting: Meeting):
    """Only people the organiser put in a session are public; participants stay private."""
    return exists().where(
        SessionPerson.person_id == Person.id,
        SessionPerson.session_id == AgendaSession.id,
        AgendaSession.meeting_id == meeting.id,
    )


# --- Helpers for templates ----------------------------------------------------------------------


def person_line(person: Person) -> str:
    """ "Dr. Kittipong Kittayarak, Executive Director, Thailand Institute of Justice"."""
    parts = [person.display_name, person.position, person.organisation]
    return ", ".join(p for p in parts if p)


def people_by_role(session_: AgendaSession) -> list[tuple[str, list[Person]]]:
    """The session's people grouped by role, in the order roles are listed in the model."""
    groups: dict[SpeakerRole, list[Person]] = defaultdict(list)
    for row in session_.people:
        groups[row.role].append(row.person)
    result = []
    for role in sorted(groups, key=ROLE_ORDER.__getitem__):
        singular, plural = ROLE_HEADINGS[role]
        result.append((str(plural if len(groups[role]) > 1 else singular), groups[role]))
    return result


def day_label(day: date) -> str:
    """ "Thursday, 27 February 2020", day before month as UN documents write dates."""
    # The pattern is translatable so that each language can order the parts its own way.
    return format_date(day, _("EEEE, d MMMM y"))


def time_range(session_: AgendaSession, zone: str) -> str:
    return f"{local_time(session_.starts_at, zone)}–{local_time(session_.ends_at, zone)}"


def agenda_item_label(item: AgendaItem) -> str:
    return _("Agenda item %(label)s: %(title)s", label=item.label, title=item.title)


@dataclass
class SessionCard:
    """What a programme card shows, worked out in Python once per session: the page has hundreds
    of cards, and translating labels or building URLs in the template for each is slow."""

    session: AgendaSession
    starts_iso: str
    ends_iso: str
    starts: str
    ends: str
    url: str
    kind_label: str
    cluster_label: str
    people: list[tuple[str, str]]  # (display name, role label)


def session_cards(meeting: Meeting, sessions: list[AgendaSession]) -> dict[int, SessionCard]:
    """Cards for sessions loaded with `session_options()`, by session id."""
    zone = meeting.timezone
    kinds = {kind: str(kind.label) for kind in SessionKind}
    roles = {role: str(role.label) for role in SpeakerRole}
    # One url_for for the page; each card appends its id (ids are plain integers).
    url_prefix = url_for("programme.show_session", slug=meeting.slug, session_id=0)[:-1]
    clusters: dict[int, str] = {}
    cards = {}
    for s in sessions:
        cluster = ""
        if s.cluster is not None:
            if s.cluster_id not in clusters:
                clusters[s.cluster_id] = s.cluster.label
            cluster = clusters[s.cluster_id]
        cards[s.id] = SessionCard(
            session=s,
            starts_iso=s.starts_at.isoformat(),
            ends_iso=s.ends_at.isoformat(),
            starts=local_time(s.starts_at, zone),
            ends=local_time(s.ends_at, zone),
            url=f"{url_prefix}{s.id}",
            kind_label=kinds[s.kind],
            cluster_label=cluster,
            people=[(row.person.display_name, roles[row.role]) for row in s.people],
        )
    return cards


def _render(template: str, meeting: Meeting, **context):
    """Render a public page with what every public page shows about its meeting."""
    has = current_app.view_functions.__contains__
    return render_template(
        template,
        meeting=meeting,
        zone=meeting.timezone,
        zone_text=zone_label(meeting.timezone, meeting.first_day),
        meeting_dates=_meeting_dates(meeting),
        meeting_home_url=(
            url_for("meetings.show_meeting", slug=meeting.slug)
            if has("meetings.show_meeting")
            else None
        ),
        manage_url=(
            url_for("meetings.manage_meeting", slug=meeting.slug)
            if has("meetings.manage_meeting") and can_manage(meeting)
            else None
        ),
        person_line=person_line,
        time_range=time_range,
        day_label=day_label,
        agenda_item_label=agenda_item_label,
        **context,
    )


def _meeting_dates(meeting: Meeting) -> str:
    pattern = _("d MMMM y")
    if meeting.first_day == meeting.last_day:
        return format_date(meeting.first_day, pattern)
    return f"{format_date(meeting.first_day, pattern)} – {format_date(meeting.last_day, pattern)}"


def _parse_day(value: str | None) -> date | None:
    """The ?day= filter: None for the whole programme; 404 for a day that is not a date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404)


# --- Views --------------------------------------------------------------------------------------


# Above this many sessions the programme opens on one day; `?day=all` still shows every day.
ONE_DAY_ABOVE = 120


def _opening_day(meeting: Meeting) -> date | None:
    """The day a programme opens on without `?day=`: None (every day) for a small programme;
    for a large one today while the meeting runs, else the day of its first session."""
    count, first = db.session.execute(
        select(func.count(), func.min(AgendaSession.starts_at)).where(
            AgendaSession.meeting_id == meeting.id
        )
    ).one()
    if count <= ONE_DAY_ABOVE:
        return None
    today = local_date(utcnow(), meeting.timezone)
    if meeting.first_day <= today <= meeting.last_day:
        return today
    return local_date(first, meeting.timezone)


@bp.route("/meetings/<slug>/programme")
def show_programme(slug: str):
    """The programme by day, with parallel tracks side by side.

    A large programme opens on one day (see `_opening_day`) and says so, with a link to all
    days: a congress's 400 sessions on one page are slow to build and to read.
    """
    meeting = load_meeting(slug)
    days = meeting_days(meeting)
    asked = request.args.get("day")
    opened_on_one_day = False
    if asked == "all":
        selected = None
    elif asked:
        selected = _parse_day(asked)
    else:
        selected = _opening_day(meeting)
        opened_on_one_day = selected is not None
    sessions = load_sessions(meeting, selected)

    by_day: dict[date, list[AgendaSession]] = defaultdict(list)
    for s in sessions:
        by_day[local_date(s.starts_at, meeting.timezone)].append(s)
    programme = [build_programme_day(day, by_day[day], meeting.timezone) for day in sorted(by_day)]
    # Tabs for every day of the meeting, and for any day a session strays onto.
    tab_days = sorted(set(days) | set(by_day) | ({selected} if selected else set()))
    return _render(
        "public/programme.html",
        meeting,
        programme=programme,
        cards=session_cards(meeting, sessions),
        tab_days=tab_days,
        selected_day=selected,
        opened_on_one_day=opened_on_one_day,
    )


@bp.route("/meetings/<slug>/sessions/<int:session_id>")
def show_session(slug: str, session_id: int):
    """One session: when and where, its agenda item, cluster, and people by role."""
    meeting = load_meeting(slug)
    session_ = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.id == session_id, AgendaSession.meeting_id == meeting.id)
        .options(*session_options(with_topics=True))
    ).first()
    if session_ is None:
        abort(404)
    local_start = to_local(session_.starts_at, meeting.timezone)
    return _render(
        "public/session.html",
        meeting,
        session_=session_,
        session_day=day_label(local_start.date()),
        groups=people_by_role(session_),
    )


@bp.route("/meetings/<slug>/speakers")
def list_speakers(slug: str):
    """Everyone the organiser put in a session, by name."""
    meeting = load_meeting(slug)
    people = db.session.scalars(
        select(Person)
        .where(Person.meeting_id == meeting.id, _holds_a_role(meeting))
        .order_by(Person.name, Person.id)
        .options(raiseload("*"))
    ).all()
    return _render("public/speakers.html", meeting, people=people)


@dataclass
class SpeakerSession:
    session: AgendaSession
    roles: list[str]


@bp.route("/meetings/<slug>/speakers/<int:person_id>")
def show_speaker(slug: str, person_id: int):
    """A speaker: who they are and the sessions they take part in."""
    meeting = load_meeting(slug)
    person = public_person(meeting, person_id)
    rows = db.session.scalars(
        select(SessionPerson)
        .join(AgendaSession, SessionPerson.session_id == AgendaSession.id)
        .where(SessionPerson.person_id == person.id, AgendaSession.meeting_id == meeting.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id, SessionPerson.position)
        .options(
            joinedload(SessionPerson.session_).joinedload(AgendaSession.track),
            joinedload(SessionPerson.session_).joinedload(AgendaSession.room),
            raiseload("*"),
        )
    ).all()
    sessions: dict[int, SpeakerSession] = {}
    for row in rows:
        entry = sessions.setdefault(row.session_id, SpeakerSession(row.session_, []))
        entry.roles.append(str(row.role.label))
    return _render("public/speaker.html", meeting, person=person, sessions=list(sessions.values()))


@bp.route("/meetings/<slug>/agenda")
def show_agenda(slug: str):
    """The agenda: numbered items, lettered sub-items, annotations and clustered workshops."""
    meeting = load_meeting(slug)
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.parent_id.is_(None))
        .order_by(AgendaItem.number)
        .options(
            selectinload(AgendaItem.workshops),
            selectinload(AgendaItem.sub_items).selectinload(AgendaItem.workshops),
            selectinload(AgendaItem.sub_items).raiseload("*"),
            raiseload("*"),
        )
    ).all()
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.agenda_item_id.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
        .options(raiseload("*"))
    ).all()
    sessions_of: dict[int, list[AgendaSession]] = defaultdict(list)
    for s in sessions:
        sessions_of[s.agenda_item_id].append(s)
    return _render("public/agenda.html", meeting, items=items, sessions_of=sessions_of)

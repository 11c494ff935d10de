"""The programme as a spreadsheet: the export's columns, and an import of the same columns that
first says what each row would do and saves only when the organiser confirms.

A row names its session by ID (as the export writes it) or, without one, by its title on its
day; a row that matches nothing is a new session. Tracks and rooms are matched by name, and
created only when the organiser asks for it; people by their name as printed ("Dr. Kittipong
Kittayarak"), created when new. Everything goes through the rules of the session form, so an
import can do nothing the forms refuse, and a second import of the same file finds every row
unchanged. `plan_import` only reads; `apply_import` flushes and never commits (the view commits
once, or nothing: a row that fails on saving rolls the whole import back).
"""

from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import DomainError, ProgrammeError
from app.extensions import db
from app.limits import LONG_TEXT_MAX, NAME_MAX
from app.meetings.models import AgendaItem, Meeting, Person
from app.meetings.people import save_person
from app.programme import queries
from app.programme.models import AgendaSession, SessionKind, SpeakerRole, TrackKind
from app.programme.moves import current_input
from app.programme.sessions import (
    SessionInput,
    add_session_person,
    cancel_session,
    create_session,
    restore_session,
    session_values,
    update_session,
)
from app.programme.tracks import save_room, save_track
from app.spreadsheets import ERROR, NEW, UNCHANGED, UPDATE, PlanCounts
from app.timezones import to_local

# The columns, in order: the export writes them, the import reads them by these headings.
COLUMNS = (
    "ID", "Day", "Start", "End", "Title", "Kind", "Track", "Room", "Agenda item", "Cluster",
    "Slot", "Places", "Cancelled", "People", "Interpretation", "Online link", "Description",
)  # fmt: skip
REQUIRED = ("Day", "Start", "End", "Title", "Track")
YES = {"yes", "y", "true", "1", "x", "cancelled"}


def _person_cell(session_: AgendaSession) -> str:
    return "; ".join(f"{row.role.value}: {row.person.display_name}" for row in session_.people)


def export_rows(meeting: Meeting) -> list[list]:
    """The programme in the import's columns, header first, in programme order."""
    zone = meeting.timezone
    rows: list[list] = [list(COLUMNS)]
    for s in queries.planned_sessions(meeting):
        starts, ends = to_local(s.starts_at, zone), to_local(s.ends_at, zone)
        rows.append(
            [
                s.id,
                starts.date().isoformat(),
                starts.strftime("%H:%M"),
                ends.strftime("%H:%M"),
                s.title,
                s.kind.value,
                s.track.name,
                s.room.name if s.room else "",
                s.agenda_item.label if s.agenda_item else "",
                s.cluster.number if s.cluster else "",
                s.slot or "",
                "" if s.capacity is None else s.capacity,
                "yes" if s.is_cancelled else "",
                _person_cell(s),
                s.interpretation,
                s.online_url,
                s.description,
            ]
        )
    return rows


@dataclass
class RowPlan:
    """What one row of the file would do."""

    line: int
    outcome: str
    title: str
    message: str = ""
    session_id: int | None = None
    data: SessionInput | None = None
    track: str = ""
    room: str = ""
    cancelled: bool = False
    people: list[tuple[SpeakerRole, str]] = field(default_factory=list)


@dataclass
class ImportPlan(PlanCounts):
    rows: list[RowPlan]
    new_tracks: list[str]
    new_rooms: list[str]
    new_people: list[str]
    problem: str = ""


def _kind(text: str) -> SessionKind:
    folded = text.strip().casefold()
    for kind in SessionKind:
        if folded in (kind.value, str(kind.label).casefold()):
            return kind
    raise ProgrammeError(_("Unknown kind of session: “%(kind)s”.", kind=text[:60]), "kind")


def _role(text: str) -> SpeakerRole:
    folded = text.strip().casefold()
    for role in SpeakerRole:
        if folded in (role.value, str(role.label).casefold()):
            return role
    raise ProgrammeError(_("Unknown role: “%(role)s”.", role=text[:60]), "people")


def _people(text: str) -> list[tuple[SpeakerRole, str]]:
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        role, sep, name = part.partition(":")
        if not sep or not name.strip():
            raise ProgrammeError(
                _("Write people as “role: name; role: name” (“%(part)s”).", part=part[:60]),
                "people",
            )
        out.append((_role(role), name.strip()[:NAME_MAX]))
    return out


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ProgrammeError(_("Give the day as YYYY-MM-DD."), "day") from None


def _time(text: str, field_name: str) -> time:
    value = text.strip()
    if len(value) > 5 and value[:4].isdigit():  # "2020-02-27 09:30" from a spreadsheet
        value = value[-5:]
    try:
        return time.fromisoformat(value if len(value) != 4 else "0" + value)
    except ValueError:
        message = _("Give the start time as HH:MM.")
        if field_name == "end_time":
            message = _("Give the end time as HH:MM.")
        raise ProgrammeError(message, field_name) from None


def _number(text: str, field_name: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise ProgrammeError(_("Give a whole number (“%(value)s”).", value=value[:20]), field_name)
    return int(value)


class _Lookup:
    """The meeting's tracks, rooms, agenda items, clusters, people and sessions, read once."""

    def __init__(self, meeting: Meeting):
        self.tracks = {t.name.casefold(): t for t in queries.tracks(meeting)}
        self.rooms = {r.name.casefold(): r for r in queries.rooms(meeting)}
        self.items = {
            item.label: item
            for item in db.session.scalars(
                select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
            )
        }
        self.clusters = {c.number: c for c in queries.clusters(meeting)}
        self.people: dict[str, Person] = {}
        for person in db.session.scalars(select(Person).where(Person.meeting_id == meeting.id)):
            self.people.setdefault(person.display_name.casefold(), person)
        self.sessions = {s.id: s for s in queries.planned_sessions(meeting)}
        zone = meeting.timezone
        self.by_title: dict[tuple[str, date], list[AgendaSession]] = {}
        for s in self.sessions.values():
            key = (s.title.casefold(), to_local(s.starts_at, zone).date())
            self.by_title.setdefault(key, []).append(s)


def plan_import(meeting: Meeting, table: list[list[str]], *, create_missing: bool) -> ImportPlan:
    """What importing the table would do, row by row; reads only, saves nothing."""
    plan = ImportPlan([], [], [], [])
    if not table:
        plan.problem = _("The file is empty.")
        return plan
    header = [cell.strip().casefold() for cell in table[0]]
    index = {name: header.index(name.casefold()) for name in COLUMNS if name.casefold() in header}
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        plan.problem = _(
            "The first row must name the columns; missing: %(columns)s. Export the programme "
            "to see them.",
            columns=", ".join(missing),
        )
        return plan
    found = _Lookup(meeting)
    seen_ids: set[int] = set()
    new_tracks: dict[str, str] = {}
    new_rooms: dict[str, str] = {}
    new_people: dict[str, str] = {}
    for line, cells in enumerate(table[1:], start=2):

        def cell(name: str, cells=cells) -> str:
            at = index.get(name)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        title = cell("Title")[:300]
        try:
            row = _plan_row(meeting, found, cell, line, title, seen_ids, create_missing)
        except ProgrammeError as error:
            plan.rows.append(RowPlan(line, ERROR, title, error.message))
            continue
        plan.rows.append(row)
        if row.outcome in (NEW, UPDATE):
            if row.track.casefold() not in found.tracks:
                new_tracks.setdefault(row.track.casefold(), row.track)
            if row.room and row.room.casefold() not in found.rooms:
                new_rooms.setdefault(row.room.casefold(), row.room)
            for _role, name in row.people:
                if name.casefold() not in found.people:
                    new_people.setdefault(name.casefold(), name)
    plan.new_tracks = sorted(new_tracks.values())
    plan.new_rooms = sorted(new_rooms.values())
    plan.new_people = sorted(new_people.values())
    return plan


def _plan_row(meeting, found: _Lookup, cell, line, title, seen_ids, create_missing) -> RowPlan:
    zone = meeting.timezone
    day = _day(cell("Day"))
    start, end = _time(cell("Start"), "start_time"), _time(cell("End"), "end_time")
    kind = _kind(cell("Kind") or SessionKind.OTHER.value)
    track_name, room_name = cell("Track")[:NAME_MAX], cell("Room")[:NAME_MAX]
    track = found.tracks.get(track_name.casefold())
    room = found.rooms.get(room_name.casefold()) if room_name else None
    if track is None and not create_missing:
        raise ProgrammeError(
            _(
                "Unknown track “%(name)s”: add it on the Tracks page, or tick “create the "
                "tracks and rooms the file names”.",
                name=track_name,
            )
        )
    if room_name and room is None and not create_missing:
        raise ProgrammeError(
            _(
                "Unknown room “%(name)s”: add it on the Rooms page, or tick “create the "
                "tracks and rooms the file names”.",
                name=room_name,
            )
        )
    label = cell("Agenda item")
    item = found.items.get(label) if label else None
    if label and item is None:
        raise ProgrammeError(_("Unknown agenda item “%(label)s”.", label=label[:20]))
    cluster_number = _number(cell("Cluster"), "cluster_id")
    cluster = found.clusters.get(cluster_number) if cluster_number is not None else None
    if cluster_number is not None and cluster is None:
        raise ProgrammeError(_("Unknown cluster %(n)d.", n=cluster_number))
    description = cell("Description")
    if len(description) > LONG_TEXT_MAX:
        raise ProgrammeError(_("Use at most %(limit)d characters.", limit=LONG_TEXT_MAX))
    people = _people(cell("People"))

    session_ = None
    given_id = _number(cell("ID"), "id")
    if given_id is not None:
        session_ = found.sessions.get(given_id)
        if session_ is None:
            raise ProgrammeError(_("ID %(id)d is not a session of this meeting.", id=given_id))
    else:
        matches = found.by_title.get((title.casefold(), day), [])
        if len(matches) > 1:
            raise ProgrammeError(
                _("Two sessions that day are called “%(title)s”: give the ID.", title=title)
            )
        session_ = matches[0] if matches else None
    if session_ is not None:
        if session_.id in seen_ids:
            raise ProgrammeError(_("Another row of the file is this session already."))
        seen_ids.add(session_.id)

    data = SessionInput(
        title=title,
        kind=kind,
        track_id=track.id if track else None,
        day=day,
        start_time=start,
        end_time=end,
        room_id=room.id if room else None,
        agenda_item_id=item.id if item else None,
        cluster_id=cluster.id if cluster else None,
        slot=_number(cell("Slot"), "slot"),
        capacity=_number(cell("Places"), "capacity"),
        description=description,
        online_url=cell("Online link"),
        interpretation=cell("Interpretation"),
    )
    # The session form's own checks, on what exists already (a new track or room is checked
    # when it is created): the day, the times, the slot, the link, the languages.
    checked = SessionInput(**{**data.__dict__})
    if checked.track_id is None:
        checked.track_id = next(iter(found.tracks.values())).id if found.tracks else None
    if checked.track_id is not None:
        values = session_values(meeting, checked, session_.id if session_ else None)
    else:
        values = None
    cancelled = cell("Cancelled").casefold() in YES
    row = RowPlan(
        line,
        NEW,
        title,
        data=data,
        track=track_name,
        room=room_name,
        cancelled=cancelled,
        people=people,
    )
    if session_ is None:
        return row
    row.session_id = session_.id
    differences = _differences(session_, data, values, track_name, room_name, zone)
    if cancelled != session_.is_cancelled:
        differences.append(_("cancelled") if cancelled else _("restored"))
    current = [(entry.role, entry.person.display_name.casefold()) for entry in session_.people]
    if current != [(role, name.casefold()) for role, name in people]:
        differences.append(_("people"))
    row.outcome = UPDATE if differences else UNCHANGED
    row.message = ", ".join(differences)
    return row


def _differences(session_, data: SessionInput, values, track_name, room_name, zone) -> list[str]:
    before = current_input(session_)
    out = []
    names = {
        "title": _("title"),
        "kind": _("kind"),
        "day": _("day"),
        "start_time": _("start"),
        "end_time": _("end"),
        "agenda_item_id": _("agenda item"),
        "cluster_id": _("cluster"),
        "slot": _("slot"),
        "capacity": _("places"),
        "description": _("description"),
        "online_url": _("online link"),
    }
    for name, label in names.items():
        if getattr(before, name) != getattr(data, name):
            out.append(label)
    if track_name.casefold() != session_.track.name.casefold():
        out.append(_("track"))
    if room_name.casefold() != (session_.room.name.casefold() if session_.room else ""):
        out.append(_("room"))
    wanted = values["interpretation"] if values is not None else data.interpretation
    if wanted != session_.interpretation:
        out.append(_("interpretation"))
    return out


def apply_import(meeting: Meeting, plan: ImportPlan, *, actor_id: int | None) -> dict[str, int]:
    """Save a plan without errors: tracks, rooms and people first, then each row through the
    session rules. Any refusal names its row and the caller rolls everything back."""
    if plan.errors:
        raise ProgrammeError(_("Correct the rows marked as errors, then import the file again."))
    tracks = {t.name.casefold(): t for t in queries.tracks(meeting)}
    rooms = {r.name.casefold(): r for r in queries.rooms(meeting)}
    people: dict[str, Person] = {}
    for person in db.session.scalars(select(Person).where(Person.meeting_id == meeting.id)):
        people.setdefault(person.display_name.casefold(), person)
    done = {NEW: 0, UPDATE: 0}
    for row in plan.rows:
        if row.outcome not in (NEW, UPDATE):
            continue
        try:
            _apply_row(meeting, row, tracks, rooms, people, actor_id)
        except DomainError as error:  # the programme's rules, or a person's (a name too long)
            raise ProgrammeError(
                _("Row %(line)d: %(message)s", line=row.line, message=error.message)
            ) from error
        done[row.outcome] += 1
    return done


def _apply_row(meeting, row: RowPlan, tracks, rooms, people, actor_id) -> None:
    data = row.data
    key = row.track.casefold()
    if key not in tracks:
        tracks[key] = save_track(meeting, name=row.track, kind=TrackKind.MAIN, position=0)
    data.track_id = tracks[key].id
    if row.room:
        key = row.room.casefold()
        if key not in rooms:
            rooms[key] = save_room(meeting, name=row.room, capacity=None)
        data.room_id = rooms[key].id
    data.accept_clashes = False
    if row.session_id is None:
        session_ = create_session(meeting, data, actor_id=actor_id)
    else:
        session_ = db.session.get(AgendaSession, row.session_id)
        update_session(session_, data, actor_id=actor_id)
    if row.cancelled and not session_.is_cancelled:
        cancel_session(session_, actor_id=actor_id)
    elif not row.cancelled and session_.is_cancelled:
        restore_session(session_, actor_id=actor_id)
    wanted = []
    for role, name in row.people:
        person = people.get(name.casefold())
        if person is None:
            person = people[name.casefold()] = save_person(meeting, name=name)
        wanted.append((role, person.id))
    current = [(entry.role, entry.person_id) for entry in session_.people]
    if current != wanted:
        for entry in list(session_.people):
            session_.people.remove(entry)
        db.session.flush()
        for role, person_id in wanted:
            if (role, person_id) not in [(e.role, e.person_id) for e in session_.people]:
                add_session_person(session_, person_id, role)

"""Public pages of a published meeting: programme by day, sessions, speakers, agenda.

Each page loads what it shows through app/programme/queries.py, in a fixed number of queries
whatever the number of sessions, and lays the programme out with app/programme/grid.py.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.hooks import hook_items
from app.meetings.access import can_manage, load_meeting
from app.meetings.models import AgendaItem, Meeting, Person
from app.meetings.queries import meeting_days
from app.models_base import utcnow
from app.permissions import allows
from app.programme import changes, queries
from app.programme.forms import language_name
from app.programme.grid import build_programme_day, session_cards
from app.programme.models import AgendaSession, SpeakerRole
from app.programme.publishing import latest_version
from app.timezones import local_date, local_time, to_local, zone_label

bp = Blueprint("public", __name__)

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
    # Each locale's own full date (CLDR): "jeudi 27 février 2020", "2020年2月27日星期四".
    return format_date(day, "full")


def time_range(session_: AgendaSession, zone: str) -> str:
    return f"{local_time(session_.starts_at, zone)}–{local_time(session_.ends_at, zone)}"


def agenda_item_label(item: AgendaItem) -> str:
    return _("Agenda item %(label)s: %(title)s", label=item.label, title=item.title)


def language_names(codes: str) -> str:
    """ "Arabic, Chinese, English" from "ar zh en", in the page's language."""
    return ", ".join(language_name(code) for code in codes.split())


def _render(template: str, meeting: Meeting, **context):
    """Render a public page with what every public page shows about its meeting."""
    return render_template(
        template,
        meeting=meeting,
        zone=meeting.timezone,
        zone_text=zone_label(meeting.timezone, meeting.first_day),
        meeting_dates=_meeting_dates(meeting),
        meeting_home_url=url_for("meetings.show_meeting", slug=meeting.slug),
        manage_url=(
            url_for("meetings.manage_meeting", slug=meeting.slug) if can_manage(meeting) else None
        ),
        person_line=person_line,
        time_range=time_range,
        day_label=day_label,
        agenda_item_label=agenda_item_label,
        language_names=language_names,
        **context,
    )


def _session_url_prefix(meeting: Meeting) -> str:
    """A session page's address without its id: the cards add theirs."""
    return url_for("public.show_session", slug=meeting.slug, session_id=0)[:-1]


def _meeting_dates(meeting: Meeting) -> str:
    # Each locale's long date (CLDR), not a pattern a translator could break.
    if meeting.first_day == meeting.last_day:
        return format_date(meeting.first_day, "long")
    return f"{format_date(meeting.first_day, 'long')} – {format_date(meeting.last_day, 'long')}"


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
    count, first = queries.programme_extent(meeting)
    if count <= ONE_DAY_ABOVE:
        return None
    today = local_date(utcnow(), meeting.timezone)
    if meeting.first_day <= today <= meeting.last_day:
        return today
    return local_date(first, meeting.timezone)


@bp.route("/meetings/<slug>/programme")
@allows("anyone")
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
    sessions = queries.load_sessions(meeting, selected)

    by_day: dict[date, list[AgendaSession]] = defaultdict(list)
    for s in sessions:
        by_day[local_date(s.starts_at, meeting.timezone)].append(s)
    programme = [build_programme_day(day, by_day[day], meeting.timezone) for day in sorted(by_day)]
    # Tabs for every day of the meeting, and for any day a session strays onto.
    tab_days = sorted(set(days) | set(by_day) | ({selected} if selected else set()))
    version = latest_version(meeting)
    seen = _seen_version(meeting)
    changed = _changed_since(meeting, seen, version)
    response = make_response(
        _render(
            "public/programme.html",
            meeting,
            programme=programme,
            cards=session_cards(meeting, sessions, _session_url_prefix(meeting)),
            tab_days=tab_days,
            selected_day=selected,
            opened_on_one_day=opened_on_one_day,
            changed=changed,
            version=version,
        )
    )
    if version and seen != version:
        # What this visitor has now seen; no row is written for a visit.
        response.set_cookie(
            _seen_cookie(meeting), str(version), max_age=SEEN_FOR, samesite="Lax",
            secure=request.is_secure, httponly=True,
        )  # fmt: skip
    return response


# How long the browser remembers which programme version it last showed (a year).
SEEN_FOR = 365 * 24 * 3600


def _seen_cookie(meeting: Meeting) -> str:
    return f"plenary_seen_{meeting.id}"


def _seen_version(meeting: Meeting) -> int | None:
    """The programme version this browser showed last time (a cookie), if any."""
    value = request.cookies.get(_seen_cookie(meeting), "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _changed_since(meeting: Meeting, seen: int | None, version: int) -> set[int]:
    """The visitor's own sessions (their places and roles, answered by the areas that know
    them) that a version published since their last look changed. Nothing on a first look."""
    if seen is None or seen >= version:
        return set()
    own = set(hook_items("own_session_ids", meeting))
    if not own:
        return set()
    return own & queries.sessions_changed_after(meeting, seen)


@bp.route("/meetings/<slug>/programme/changes")
@allows("anyone")
def show_programme_changes(slug: str):
    """The programme's published versions, newest first, each with what it changed."""
    meeting = load_meeting(slug)
    versions = queries.programme_versions(meeting)
    by_version: dict[int, list] = defaultdict(list)
    for change in queries.changes_in_versions([v.id for v in versions]):
        by_version[change.version_id].append(change)
    zone = meeting.timezone
    listed = [
        (
            version,
            changes.describe_counts(version.counts or {}),
            [
                (line, changes.place_text(line.before, zone), changes.place_text(line.after, zone))
                for line in changes.net_changes(by_version.get(version.id, []))
            ]
            if version.number > 1
            else [],
        )
        for version in versions
    ]
    return _render("public/changes.html", meeting, versions=listed)


@bp.route("/meetings/<slug>/sessions/<int:session_id>")
@allows("anyone")
def show_session(slug: str, session_id: int):
    """One session: when and where, its agenda item, cluster, and people by role."""
    meeting = load_meeting(slug)
    session_ = queries.public_session(meeting, session_id)
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
@allows("anyone")
def list_speakers(slug: str):
    """Everyone the organiser put in a session, by name."""
    meeting = load_meeting(slug)
    people = queries.speakers(meeting)
    return _render("public/speakers.html", meeting, people=people)


@dataclass
class SpeakerSession:
    session: AgendaSession
    roles: list[str]


@bp.route("/meetings/<slug>/speakers/<int:person_id>")
@allows("anyone")
def show_speaker(slug: str, person_id: int):
    """A speaker: who they are and the sessions they take part in."""
    meeting = load_meeting(slug)
    person = queries.public_person(meeting, person_id)
    if person is None:
        abort(404)
    sessions: dict[int, SpeakerSession] = {}
    for row in queries.roles_of(meeting, person):
        entry = sessions.setdefault(row.session_id, SpeakerSession(row.session_, []))
        entry.roles.append(str(row.role.label))
    return _render("public/speaker.html", meeting, person=person, sessions=list(sessions.values()))


@bp.route("/meetings/<slug>/agenda")
@allows("anyone")
def show_agenda(slug: str):
    """The agenda: numbered items, lettered sub-items, annotations and clustered workshops."""
    meeting = load_meeting(slug)
    items = queries.agenda_tree(meeting)
    sessions = queries.sessions_on_agenda_items(meeting)
    sessions_of: dict[int, list[AgendaSession]] = defaultdict(list)
    for s in sessions:
        sessions_of[s.agenda_item_id].append(s)
    return _render("public/agenda.html", meeting, items=items, sessions_of=sessions_of)

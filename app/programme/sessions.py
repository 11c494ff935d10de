"""Session rules: planning, changing, cancelling a session, and the people in its roles.

Times are given in the meeting's wall-clock time and stored in UTC. A change to a session's
slot, cluster or places reaches participants' places through app/programme/ports.py. The
rules flush but never commit.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.errors import ProgrammeError
from app.extensions import db
from app.i18n import clean_translations
from app.limits import (
    LONG_TEXT_MAX,
    MAX_PEOPLE_PER_SESSION,
    MAX_SESSIONS,
    TITLE_MAX,
    check_room_for_one_more,
)
from app.meetings.models import AgendaItem, Meeting, Person
from app.meetings.queries import meeting_days
from app.programme.changes import kind_of_edit, record_change, snapshot
from app.programme.checks import (
    belonging,
    check_not_concluded,
    check_places,
    check_programme_text,
)
from app.programme.models import (
    AgendaSession,
    ChangeKind,
    Cluster,
    ProgrammeChange,
    Room,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
    roman,
)
from app.programme.ports import places
from app.timezones import to_utc
from app.undates import date_range_short


@dataclass
class SessionInput:
    """What the session form says, in the meeting's wall-clock time."""

    title: str
    kind: SessionKind
    track_id: int | None
    day: date | None
    start_time: time | None
    end_time: time | None
    room_id: int | None = None
    agenda_item_id: int | None = None
    cluster_id: int | None = None
    slot: int | None = None
    capacity: int | None = None
    description: str = ""
    online_url: str = ""
    interpretation: str = ""
    # The organiser saw which participants a change of time puts in two sessions at once.
    accept_clashes: bool = False
    # The title in the meeting's other languages ({"fr": {"title": …}}); None leaves them.
    translations: dict | None = None


def _validated_session_values(meeting: Meeting, data: SessionInput, session_id: int | None) -> dict:
    """Check a session's input against the meeting; the column values to store."""
    check_not_concluded(meeting)
    title = check_programme_text(data.title, TITLE_MAX, "title")
    try:
        kind = SessionKind(data.kind)
    except ValueError:
        raise ProgrammeError(_("Choose a kind of session."), "kind") from None
    if data.track_id is None:
        raise ProgrammeError(_("Choose a track."), "track_id")
    belonging(Track, data.track_id, meeting, "track_id", _("Choose one of this meeting's tracks."))
    belonging(Room, data.room_id, meeting, "room_id", _("Choose one of this meeting's rooms."))
    belonging(
        AgendaItem,
        data.agenda_item_id,
        meeting,
        "agenda_item_id",
        _("Choose one of this meeting's agenda items."),
    )
    cluster = belonging(
        Cluster, data.cluster_id, meeting, "cluster_id", _("Choose one of this meeting's clusters.")
    )
    capacity = check_places(data.capacity)
    description = check_programme_text(
        data.description, LONG_TEXT_MAX, "description", required=False
    )
    online_url = check_online_url(data.online_url)
    interpretation = " ".join(check_languages(data.interpretation))

    if data.day is None or data.day not in meeting_days(meeting):
        raise ProgrammeError(
            _(
                "Choose a day of the meeting: %(days)s.",
                days=date_range_short(meeting.first_day, meeting.last_day),
            ),
            "day",
        )
    if data.start_time is None:
        raise ProgrammeError(_("Give the start time as HH:MM."), "start_time")
    if data.end_time is None:
        raise ProgrammeError(_("Give the end time as HH:MM."), "end_time")
    starts_at = to_utc(datetime.combine(data.day, data.start_time), meeting.timezone)
    ends_at = to_utc(datetime.combine(data.day, data.end_time), meeting.timezone)
    if ends_at <= starts_at:
        raise ProgrammeError(_("The session must end after it starts."), "end_time")

    slot = data.slot
    if cluster is not None:
        if kind != SessionKind.BREAKOUT:
            raise ProgrammeError(_("Only a breakout session runs a cluster."), "cluster_id")
        if slot is None:
            raise ProgrammeError(_("Give the breakout slot number (1, 2, …)."), "slot")
        if not 1 <= slot <= 100:
            raise ProgrammeError(_("Slots are numbered from 1 to 100."), "slot")
        taken = select(AgendaSession.id).where(
            AgendaSession.cluster_id == cluster.id, AgendaSession.slot == slot
        )
        if session_id is not None:
            taken = taken.where(AgendaSession.id != session_id)
        if db.session.scalar(taken) is not None:
            raise ProgrammeError(
                _(
                    "Cluster %(number)s already has a session in slot %(slot)d.",
                    number=roman(cluster.number),
                    slot=slot,
                ),
                "slot",
            )
    elif slot is not None:
        if not 1 <= slot <= 100:
            raise ProgrammeError(_("Slots are numbered from 1 to 100."), "slot")
        # A capacity-limited workshop takes places slot by slot, as breakouts do.
        if kind != SessionKind.WORKSHOP or capacity is None:
            raise ProgrammeError(
                _("A slot needs a cluster, or a workshop with a number of places."), "slot"
            )

    return {
        "title": title,
        "kind": kind,
        "track_id": data.track_id,
        "room_id": data.room_id,
        "agenda_item_id": data.agenda_item_id,
        "cluster_id": data.cluster_id,
        "slot": slot,
        "capacity": capacity,
        "description": description,
        "online_url": online_url,
        "interpretation": interpretation,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def _translations(meeting: Meeting, data: SessionInput, current: dict | None) -> dict:
    return clean_translations(
        data.translations or {},
        meeting.language,
        {"title": TITLE_MAX},
        ProgrammeError,
        current=current,
    )


def session_values(meeting: Meeting, data: SessionInput, session_id: int | None) -> dict:
    """The column values a session would get from `data`, or the ProgrammeError a save would
    raise: reads only, so a preview can ask without changing anything."""
    return _validated_session_values(meeting, data, session_id)


def create_session(
    meeting: Meeting, data: SessionInput, *, actor_id: int | None = None
) -> AgendaSession:
    """Plan a new session; times are given in the meeting's zone and stored in UTC."""
    check_room_for_one_more(
        AgendaSession,
        meeting.id,
        MAX_SESSIONS,
        _("A meeting holds at most %(n)d sessions.", n=MAX_SESSIONS),
        error=ProgrammeError,
    )
    values = _validated_session_values(meeting, data, None)
    values["translations"] = _translations(meeting, data, {})
    session_ = AgendaSession(meeting_id=meeting.id, **values)
    db.session.add(session_)
    db.session.flush()
    record_change(session_, ChangeKind.ADDED, before=None, actor_id=actor_id)
    return session_


# The languages a session may be interpreted into: the six of the UN, then those of ASEAN.
INTERPRETATION_LANGUAGES = (
    "ar", "zh", "en", "fr", "ru", "es",
    "th", "id", "ms", "vi", "km", "lo", "my", "fil",
)  # fmt: skip
ONLINE_URL_MAX = 500
_URL_SHAPE = re.compile(r"https?://[^\s<>\"'\\]+", re.ASCII)


def check_online_url(value: str | None) -> str:
    """An online meeting's address: http(s), one line, no spaces, within its bound ("" for none)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > ONLINE_URL_MAX:
        raise ProgrammeError(
            _("Use at most %(limit)d characters.", limit=ONLINE_URL_MAX), "online_url"
        )
    if not _URL_SHAPE.fullmatch(value):
        raise ProgrammeError(
            _("Give the address of the online meeting, starting with https://."), "online_url"
        )
    return value


def check_languages(value: str | list[str] | None) -> list[str]:
    """Interpretation languages as known codes, in the order of INTERPRETATION_LANGUAGES."""
    codes = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    unknown = [code for code in codes if code not in INTERPRETATION_LANGUAGES]
    if unknown:
        raise ProgrammeError(
            _("Unknown language code: %(codes)s.", codes=", ".join(unknown[:5])[:100]),
            "interpretation",
        )
    return [code for code in INTERPRETATION_LANGUAGES if code in codes]


# A calendar client re-reads an event only when its SEQUENCE grows (RFC 5545 3.8.7.4).
SEQUENCE_FIELDS = ("starts_at", "ends_at", "room_id", "title")


def update_session(
    session_: AgendaSession,
    data: SessionInput,
    *,
    actor_id: int | None = None,
    undoes: ProgrammeChange | None = None,
) -> AgendaSession:
    """Change a session; its sequence grows by one when its time, room or title changes, and
    a change of time, room, track or title goes in the change log."""
    values = _validated_session_values(session_.meeting, data, session_.id)
    if data.translations is not None:
        values["translations"] = _translations(session_.meeting, data, session_.translations)
    before = snapshot(session_)
    significant = any(getattr(session_, name) != values[name] for name in SEQUENCE_FIELDS)
    _keep_places_consistent(session_, values)
    if not data.accept_clashes:
        _refuse_participant_clashes(session_, values)
    capacity = values.pop("capacity")
    for name, value in values.items():
        if getattr(session_, name) != value:
            setattr(session_, name, value)
    if capacity != session_.capacity:
        if capacity is None:
            _clear_capacity(session_)
        else:
            places().change_capacity(session_, capacity)
    if significant:
        session_.sequence += 1
    db.session.flush()
    kind = kind_of_edit(before, snapshot(session_))
    if kind is not None:
        if undoes is not None:
            kind = ChangeKind.UNDONE
        record_change(session_, kind, before=before, actor_id=actor_id, undoes=undoes)
    return session_


def _refuse_participant_clashes(session_: AgendaSession, values: dict) -> None:
    """A new time that puts participants holding places here in two sessions at once is
    refused until the organiser, told who, confirms it."""
    moved = (values["starts_at"], values["ends_at"]) != (session_.starts_at, session_.ends_at)
    if not moved or session_.slot is None or session_.is_cancelled:
        return
    clashes = places().clashes_if_moved(session_, values["starts_at"], values["ends_at"])
    if not clashes:
        return
    people = sorted({clash.person for clash in clashes})
    sessions = sorted({clash.other_title for clash in clashes})
    raise ProgrammeError(
        ngettext(
            "At the new time, %(num)d participant would hold places in two sessions at once "
            "(%(people)s, also in %(sessions)s). Tick the box to save anyway, or choose "
            "another time.",
            "At the new time, %(num)d participants would hold places in two sessions at once "
            "(%(people)s, also in %(sessions)s). Tick the box to save anyway, or choose "
            "another time.",
            len(people),
            people=", ".join(people[:20]) + (" …" if len(people) > 20 else ""),
            sessions=", ".join(f"“{title}”" for title in sessions[:5]),
        ),
        "accept_clashes",
    )


def _keep_places_consistent(session_: AgendaSession, values: dict) -> None:
    """Participants' places hang on a session's slot and cluster: those stay while places exist."""
    if values["slot"] == session_.slot and values["cluster_id"] == session_.cluster_id:
        return
    held = places().held(session_.id)
    if held:
        raise ProgrammeError(
            ngettext(
                "%(num)d participant holds a place here; the slot and cluster cannot change.",
                "%(num)d participants hold places here; the slot and cluster cannot change.",
                held,
            ),
            "slot",
        )


def _clear_capacity(session_: AgendaSession) -> None:
    """Without its own capacity a session falls back on its cluster's: never below who is in."""
    cluster = db.session.get(Cluster, session_.cluster_id) if session_.cluster_id else None
    fallback = cluster.capacity if cluster is not None else None
    held = places().confirmed([session_.id]).get(session_.id, 0)
    if held and (fallback is None or fallback < held):
        raise ProgrammeError(
            ngettext(
                "%(num)d place is confirmed here; give a number of places of at least that.",
                "%(num)d places are confirmed here; give a number of places of at least that.",
                held,
            ),
            "capacity",
        )
    session_.capacity = None


def cancel_session(
    session_: AgendaSession,
    *,
    actor_id: int | None = None,
    undoes: ProgrammeChange | None = None,
) -> AgendaSession:
    """Mark a session cancelled; it stays in the programme (and in calendars) as cancelled."""
    check_not_concluded(session_.meeting)
    if not session_.is_cancelled:
        before = snapshot(session_)
        session_.is_cancelled = True
        # A status change is news for calendar clients too (RFC 5546 2.1.4).
        session_.sequence += 1
        db.session.flush()
        kind = ChangeKind.UNDONE if undoes is not None else ChangeKind.CANCELLED
        record_change(session_, kind, before=before, actor_id=actor_id, undoes=undoes)
    return session_


def restore_session(
    session_: AgendaSession,
    *,
    actor_id: int | None = None,
    undoes: ProgrammeChange | None = None,
) -> AgendaSession:
    """Undo a cancellation."""
    check_not_concluded(session_.meeting)
    if session_.is_cancelled:
        before = snapshot(session_)
        session_.is_cancelled = False
        session_.sequence += 1
        db.session.flush()
        kind = ChangeKind.UNDONE if undoes is not None else ChangeKind.RESTORED
        record_change(session_, kind, before=before, actor_id=actor_id, undoes=undoes)
    return session_


def add_session_person(
    session_: AgendaSession, person_id: int | None, role: SpeakerRole | str
) -> SessionPerson:
    """Put a person of the meeting in a role on a session, after the people already there."""
    check_not_concluded(session_.meeting)
    person = belonging(
        Person,
        person_id,
        session_.meeting,
        "person_id",
        _("Choose one of this meeting's people."),
    )
    if person is None:
        raise ProgrammeError(_("Choose a person."), "person_id")
    try:
        role = SpeakerRole(role)
    except ValueError:
        raise ProgrammeError(_("Choose a role."), "role") from None
    if len(session_.people) >= MAX_PEOPLE_PER_SESSION:
        raise ProgrammeError(
            _("A session holds at most %(n)d people.", n=MAX_PEOPLE_PER_SESSION), "person_id"
        )
    for entry in session_.people:
        if entry.person_id == person.id and entry.role == role:
            raise ProgrammeError(
                _(
                    "%(name)s is already %(role)s of this session.",
                    name=person.display_name,
                    role=str(role.label).lower(),
                ),
                "person_id",
            )
    position = max((entry.position for entry in session_.people), default=-1) + 1
    entry = SessionPerson(person_id=person.id, role=role, position=position)
    session_.people.append(entry)
    db.session.flush()
    return entry


def remove_session_person(session_: AgendaSession, entry_id: int) -> None:
    """Take a person out of a role on a session."""
    check_not_concluded(session_.meeting)
    for entry in session_.people:
        if entry.id == entry_id:
            session_.people.remove(entry)
            db.session.flush()
            return
    raise ProgrammeError(_("That person is not in this session."))

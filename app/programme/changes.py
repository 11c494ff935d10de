"""The programme's change log: who changed which session, when, and from what to what.

Every rule that changes a session's time, room, track or title, cancels, restores or adds one
writes an entry here in the same transaction (`record_change`), whatever page it came from (the
session form, the timetable editor, an import, an undo). The log is what the organiser reads,
what undo walks back, and what a published programme version lists. Calendar clients still
learn of a change through the session's SEQUENCE, which the same rules raise.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.hooks import hook
from app.programme.models import AgendaSession, ChangeKind, ProgrammeChange, Room, Track
from app.timezones import format_local, to_local

# What an entry keeps of a session, before and after.
PLACE_FIELDS = ("starts_at", "ends_at", "room_id", "track_id", "title", "cancelled")


def still_as_left(session_: AgendaSession, change: ProgrammeChange) -> bool:
    """True while the session is where `change` left it (no one has moved it since, or every
    later change was walked back)."""
    now, then = snapshot(session_), change.after or {}
    return all(now[name] == then.get(name) for name in PLACE_FIELDS)


def snapshot(session_: AgendaSession) -> dict:
    """A session's time, room, track and title as plain values (names too, so an entry reads
    the same after a room is renamed or deleted)."""
    room = db.session.get(Room, session_.room_id) if session_.room_id else None
    track = db.session.get(Track, session_.track_id) if session_.track_id else None
    return {
        "starts_at": session_.starts_at.isoformat(),
        "ends_at": session_.ends_at.isoformat(),
        "room_id": session_.room_id,
        "room": room.name if room is not None else "",
        "track_id": session_.track_id,
        "track": track.name if track is not None else "",
        "title": session_.title,
        "cancelled": session_.is_cancelled,
    }


def record_change(
    session_: AgendaSession,
    kind: ChangeKind,
    *,
    before: dict | None,
    actor_id: int | None,
    undoes: ProgrammeChange | None = None,
) -> ProgrammeChange:
    """Write one entry for a change just made to `session_` (flushed, so its version is known)."""
    db.session.flush()
    change = ProgrammeChange(
        meeting_id=session_.meeting_id,
        session_id=session_.id,
        actor_id=actor_id,
        kind=kind,
        title=session_.title,
        before=before,
        after=snapshot(session_),
        session_version=session_.version,
        undoes_id=undoes.id if undoes is not None else None,
    )
    db.session.add(change)
    db.session.flush()
    if before is not None:
        # Areas above tell the people in the session (app/exports/notices.py), in this
        # transaction.
        hook("session_changed", session_, before, change.after)
    return change


def kind_of_edit(before: dict, after: dict) -> ChangeKind | None:
    """MOVED when the time, room or track changed, CHANGED for the title alone, else None."""
    if any(before[name] != after[name] for name in ("starts_at", "ends_at", "room_id", "track_id")):
        return ChangeKind.MOVED
    if before["title"] != after["title"]:
        return ChangeKind.CHANGED
    return None


# How many entries the change log page shows (the newest).
LOG_PAGE = 200


@dataclass
class LogEntry:
    """A change as the log page shows it."""

    change: ProgrammeChange
    when: str
    who: str
    before: str
    after: str


def place_text(values: dict | None, zone: str) -> str:
    """ "Thu 27 Feb 2020, 09:00–10:30, Room B" from a snapshot ("" for none)."""
    if not values:
        return ""
    starts = to_local(parse_moment(values["starts_at"]), zone)
    ends = to_local(parse_moment(values["ends_at"]), zone)
    parts = [
        f"{format_date(starts.date(), 'EEE d MMM y')}, "
        f"{starts.strftime('%H:%M')}–{ends.strftime('%H:%M')}",
        values.get("room") or "",
        values.get("track") or "",
    ]
    return ", ".join(part for part in parts if part)


def describe_entries(meeting, entries: list[ProgrammeChange]) -> list[LogEntry]:
    """The log's lines: who (one query for every name), when, from where to where."""
    actor_ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    names = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).all()
        if actor_ids
        else []
    )
    zone = meeting.timezone
    return [
        LogEntry(
            change=entry,
            when=format_local(entry.created_at, zone, with_zone=False),
            who=names.get(entry.actor_id, "") or _("someone no longer known"),
            before=place_text(entry.before, zone),
            after=place_text(entry.after, zone),
        )
        for entry in entries
    ]


def log_of(meeting_id: int, *, limit: int = LOG_PAGE) -> list[ProgrammeChange]:
    """The meeting's latest changes, newest first (a bounded page of them)."""
    return list(
        db.session.scalars(
            select(ProgrammeChange)
            .where(ProgrammeChange.meeting_id == meeting_id)
            .order_by(ProgrammeChange.created_at.desc(), ProgrammeChange.id.desc())
            .limit(limit)
        )
    )


def unpublished(meeting_id: int) -> list[ProgrammeChange]:
    """The changes no published version lists yet, oldest first."""
    return list(
        db.session.scalars(
            select(ProgrammeChange)
            .where(ProgrammeChange.meeting_id == meeting_id, ProgrammeChange.version_id.is_(None))
            .order_by(ProgrammeChange.created_at, ProgrammeChange.id)
        )
    )


@dataclass
class NetChange:
    """What became of one session over a list of changes (a version's line)."""

    session_id: int
    kind: ChangeKind
    title: str
    before: dict | None
    after: dict | None


def net_changes(changes: list[ProgrammeChange]) -> list[NetChange]:
    """Each session once, by what it ended as: a session moved twice is one move, a move and
    its undo are nothing, an added session is added wherever it went."""
    first: dict[int, ProgrammeChange] = {}
    last: dict[int, ProgrammeChange] = {}
    for change in changes:
        if change.session_id is None:
            continue
        first.setdefault(change.session_id, change)
        last[change.session_id] = change
    out = []
    for session_id, change in last.items():
        start = first[session_id]
        before, after = start.before, change.after
        if start.kind == ChangeKind.ADDED:
            kind = ChangeKind.ADDED
        elif change.kind in (ChangeKind.CANCELLED, ChangeKind.RESTORED):
            kind = change.kind
        else:
            kind = kind_of_edit(before, after or {}) if before else ChangeKind.CHANGED
            if kind is None:
                continue  # back where it started
        out.append(NetChange(session_id, kind, change.title, before, after))
    return out


def net_counts(changes: list[ProgrammeChange]) -> dict[str, int]:
    """How many sessions each kind of change touched, each session counted once by what it
    ended as (see `net_changes`)."""
    counts: dict[str, int] = {}
    for line in net_changes(changes):
        counts[line.kind.value] = counts.get(line.kind.value, 0) + 1
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    """ "4 sessions moved, 1 cancelled" (each part a whole translated phrase)."""
    phrases = {
        ChangeKind.ADDED.value: lambda n: ngettext(
            "%(num)d session added", "%(num)d sessions added", n
        ),
        ChangeKind.MOVED.value: lambda n: ngettext(
            "%(num)d session moved", "%(num)d sessions moved", n
        ),
        ChangeKind.CHANGED.value: lambda n: ngettext(
            "%(num)d session changed", "%(num)d sessions changed", n
        ),
        ChangeKind.CANCELLED.value: lambda n: ngettext(
            "%(num)d session cancelled", "%(num)d sessions cancelled", n
        ),
        ChangeKind.RESTORED.value: lambda n: ngettext(
            "%(num)d session restored", "%(num)d sessions restored", n
        ),
    }
    parts = [phrases[key](counts[key]) for key in phrases if counts.get(key)]
    if not parts:
        return _("first publication")
    return ", ".join(parts)


def parse_moment(value: str | None) -> datetime | None:
    """A snapshot's ISO time back as an aware datetime."""
    return datetime.fromisoformat(value) if value else None

"""Moving sessions on the timetable editor, previewing a move's conflicts, and undo.

A move is the session form with only the day, times, room and track changed: it goes through
`sessions.update_session`, so the same rules hold (the meeting's days, the meeting's own rooms
and tracks, end after start, participants' places), the same SEQUENCE grows for calendar
clients, and the change log records it. The caller names the version it saw; the view refuses
a stale one and the version column refuses a race (two organisers moving the same session get
a conflict, not a silent overwrite). The rules flush but never commit.
"""

from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import Meeting
from app.programme.changes import parse_moment, still_as_left
from app.programme.conflicts import Conflict, find_conflicts
from app.programme.models import AgendaSession, ChangeKind, ProgrammeChange, Room, Track
from app.programme.sessions import (
    SessionInput,
    cancel_session,
    restore_session,
    session_values,
    update_session,
)
from app.timezones import to_local

# Changes an organiser's undo walks back (an added session is removed from its own page).
UNDOABLE = (ChangeKind.MOVED, ChangeKind.CHANGED, ChangeKind.CANCELLED, ChangeKind.RESTORED)


@dataclass(frozen=True)
class Move:
    """Where a session should go: a day of the meeting, wall-clock times, a room, a track."""

    day: date | None
    start_time: time | None
    end_time: time | None
    room_id: int | None
    track_id: int | None


def current_input(session_: AgendaSession, move: Move | None = None) -> SessionInput:
    """The session as its form would send it, with the move's day, times, room and track."""
    zone = session_.meeting.timezone
    starts, ends = to_local(session_.starts_at, zone), to_local(session_.ends_at, zone)
    data = SessionInput(
        title=session_.title,
        kind=session_.kind,
        track_id=session_.track_id,
        day=starts.date(),
        start_time=starts.time().replace(tzinfo=None),
        end_time=ends.time().replace(tzinfo=None),
        room_id=session_.room_id,
        agenda_item_id=session_.agenda_item_id,
        cluster_id=session_.cluster_id,
        slot=session_.slot,
        capacity=session_.capacity,
        description=session_.description,
        online_url=session_.online_url,
        interpretation=session_.interpretation,
    )
    if move is not None:
        data.day, data.start_time, data.end_time = move.day, move.start_time, move.end_time
        data.room_id = move.room_id
        if move.track_id is not None:
            data.track_id = move.track_id
    return data


def move_session(
    session_: AgendaSession,
    move: Move,
    *,
    actor_id: int | None,
    accept_clashes: bool = False,
) -> AgendaSession:
    """Move a session through the session form's rules; refused moves raise ProgrammeError."""
    data = current_input(session_, move)
    data.accept_clashes = accept_clashes
    return update_session(session_, data, actor_id=actor_id)


@dataclass
class Preview:
    """What a proposed move would give: refused (with why), or its conflicts."""

    refusal: str | None
    field: str | None
    conflicts: list[Conflict]


def preview_move(session_: AgendaSession, move: Move) -> Preview:
    """The conflicts the session would be in after the move, found by the conflict rules of
    the conflicts page, without saving anything (reads only; nothing is flushed)."""
    meeting = session_.meeting
    try:
        with db.session.no_autoflush:
            values = session_values(meeting, current_input(session_, move), session_.id)
    except ProgrammeError as error:
        return Preview(error.message, error.field, [])
    proposed = (session_.id, values["starts_at"], values["ends_at"], values["room_id"])
    # Only what runs at the old or the new time can conflict with the move: a window over
    # both keeps the preview small at congress scale (the session itself is loaded by it).
    window = (
        min(session_.starts_at, values["starts_at"]),
        max(session_.ends_at, values["ends_at"]),
    )
    conflicts = [
        conflict
        for conflict in find_conflicts(meeting, proposed=proposed, window=window)
        if session_.id in conflict.session_ids
    ]
    return Preview(None, None, conflicts)


def last_undoable(meeting: Meeting, actor_id: int) -> ProgrammeChange | None:
    """The organiser's latest change in this meeting that undo would walk back."""
    return db.session.scalar(
        select(ProgrammeChange)
        .where(
            ProgrammeChange.meeting_id == meeting.id,
            ProgrammeChange.actor_id == actor_id,
            ProgrammeChange.kind.in_(UNDOABLE),
            ProgrammeChange.undone.is_(False),
            ProgrammeChange.session_id.is_not(None),
        )
        .order_by(ProgrammeChange.created_at.desc(), ProgrammeChange.id.desc())
    )


def undo_last(meeting: Meeting, actor_id: int) -> ProgrammeChange:
    """Walk back the organiser's latest change: the session returns to where it was, through
    the same rules, unless someone changed it since (then nothing is overwritten)."""
    change = last_undoable(meeting, actor_id)
    if change is None:
        raise ProgrammeError(_("You have no change in this programme left to undo."))
    session_ = db.session.get(AgendaSession, change.session_id)
    if session_ is None or session_.meeting_id != meeting.id:
        raise ProgrammeError(_("The session of your last change no longer exists."))
    if not still_as_left(session_, change):
        raise ProgrammeError(
            _(
                "“%(title)s” was changed again after your change; undoing it would overwrite "
                "that. Change it on its page instead.",
                title=session_.title,
            )
        )
    if change.kind == ChangeKind.CANCELLED:
        restore_session(session_, actor_id=actor_id, undoes=change)
    elif change.kind == ChangeKind.RESTORED:
        cancel_session(session_, actor_id=actor_id, undoes=change)
    else:
        before = change.before or {}
        zone = meeting.timezone
        starts = to_local(parse_moment(before["starts_at"]), zone)
        ends = to_local(parse_moment(before["ends_at"]), zone)
        room_id = before.get("room_id")
        if room_id is not None and db.session.get(Room, room_id) is None:
            room_id = None  # the room was deleted since: the session keeps none
        track_id = before.get("track_id")
        if track_id is None or db.session.get(Track, track_id) is None:
            track_id = session_.track_id
        data = current_input(
            session_,
            Move(
                day=starts.date(),
                start_time=starts.time().replace(tzinfo=None),
                end_time=ends.time().replace(tzinfo=None),
                room_id=room_id,
                track_id=track_id,
            ),
        )
        data.title = before.get("title") or session_.title
        update_session(session_, data, actor_id=actor_id, undoes=change)
    change.undone = True
    db.session.flush()
    return change

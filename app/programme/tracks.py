"""Tracks and rooms: the programme's parallel strands and where sessions meet.

Names are unique within a meeting; neither is deleted while a session uses it. The rules
flush but never commit.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import ProgrammeError
from app.extensions import db
from app.limits import MAX_ROOMS, MAX_TRACKS, NAME_MAX, check_room_for_one_more
from app.meetings.models import Meeting
from app.programme.checks import check_places, check_programme_text
from app.programme.models import (
    AgendaSession,
    Room,
    Track,
    TrackKind,
)


def _track_name_taken(meeting: Meeting, name: str, except_id: int | None) -> bool:
    query = select(Track.id).where(
        Track.meeting_id == meeting.id, func.lower(Track.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(Track.id != except_id)
    return db.session.scalar(query) is not None


def save_track(
    meeting: Meeting,
    *,
    name: str,
    kind: TrackKind,
    position: int | None = 0,
    track: Track | None = None,
) -> Track:
    """Create a track, or update `track`; names are unique within the meeting."""
    name = check_programme_text(name, NAME_MAX, "name")
    if _track_name_taken(meeting, name, track.id if track else None):
        raise ProgrammeError(_("This meeting already has a track of that name."), "name")
    if track is None:
        check_room_for_one_more(
            Track,
            meeting.id,
            MAX_TRACKS,
            _("A meeting holds at most %(n)d tracks.", n=MAX_TRACKS),
            error=ProgrammeError,
        )
        track = Track(meeting_id=meeting.id)
        db.session.add(track)
    track.name = name
    track.kind = TrackKind(kind)
    if position is not None and not 0 <= position <= 1000:
        raise ProgrammeError(_("Give a position from 0 to 1000."), "position")
    track.position = position or 0
    db.session.flush()
    return track


def delete_track(track: Track) -> None:
    """Delete a track that holds no session (sessions keep their track: the FK restricts)."""
    used = db.session.scalar(
        select(func.count(AgendaSession.id)).where(AgendaSession.track_id == track.id)
    )
    if used:
        raise ProgrammeError(
            _(
                "The track %(name)s holds %(count)d sessions; move or cancel them instead.",
                name=track.name,
                count=used,
            )
        )
    db.session.delete(track)
    db.session.flush()


def save_room(
    meeting: Meeting, *, name: str, capacity: int | None, room: Room | None = None
) -> Room:
    """Create a room, or update `room`; names are unique within the meeting."""
    name = check_programme_text(name, NAME_MAX, "name")
    capacity = check_places(capacity)
    query = select(Room.id).where(
        Room.meeting_id == meeting.id, func.lower(Room.name) == name.lower()
    )
    if room is not None:
        query = query.where(Room.id != room.id)
    if db.session.scalar(query) is not None:
        raise ProgrammeError(_("This meeting already has a room of that name."), "name")
    if room is None:
        check_room_for_one_more(
            Room,
            meeting.id,
            MAX_ROOMS,
            _("A meeting holds at most %(n)d rooms.", n=MAX_ROOMS),
            error=ProgrammeError,
        )
        room = Room(meeting_id=meeting.id)
        db.session.add(room)
    room.name = name
    room.capacity = capacity
    db.session.flush()
    return room


def delete_room(room: Room) -> None:
    """Delete a room no session uses, so no session silently loses its room."""
    used = db.session.scalar(
        select(func.count(AgendaSession.id)).where(AgendaSession.room_id == room.id)
    )
    if used:
        raise ProgrammeError(
            _(
                "The room %(name)s is booked for %(count)d sessions; move them first.",
                name=room.name,
                count=used,
            )
        )
    db.session.delete(room)
    db.session.flush()

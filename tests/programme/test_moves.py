"""Moves on the timetable editor, their preview, undo and the change log, without HTTP."""

from datetime import date, time

import pytest
from sqlalchemy import select

from app.errors import ProgrammeError
from app.extensions import db
from app.programme import changes, moves, sessions
from app.programme.conflicts import PERSON_DOUBLE_BOOKED, ROOM_DOUBLE_BOOKED
from app.programme.models import AgendaSession, ChangeKind, ProgrammeChange, SpeakerRole
from tests import factories


@pytest.fixture
def planned(make_user, make_meeting, make_track, make_room, make_person, make_session):
    organiser = make_user()
    meeting = make_meeting(organiser=organiser)
    track = make_track(meeting, "Main")
    hall, annex = make_room(meeting, "Hall"), make_room(meeting, "Annex")
    speaker = make_person(meeting, "Kittipong")
    keynote = make_session(
        meeting,
        title="Keynote",
        track=track,
        room=hall,
        starts_at=factories.local(meeting, 1, 9),
        people=[(speaker, SpeakerRole.KEYNOTE_SPEAKER)],
    )
    panel = make_session(
        meeting,
        title="Panel",
        track=track,
        room=annex,
        starts_at=factories.local(meeting, 1, 11),
        people=[(speaker, SpeakerRole.PANELLIST)],
    )
    db.session.commit()
    return meeting, organiser, keynote, panel, hall, annex


def to(day=date(2020, 2, 27), start=(13, 0), end=(14, 0), room=None, track=None):
    return moves.Move(day, time(*start), time(*end), room.id if room else None, track)


def entries(meeting) -> list[ProgrammeChange]:
    return list(
        db.session.scalars(
            select(ProgrammeChange)
            .where(ProgrammeChange.meeting_id == meeting.id)
            .order_by(ProgrammeChange.id)
        )
    )


def test_a_move_goes_through_the_session_rules_and_is_logged(planned):
    meeting, organiser, _keynote, panel, hall, annex = planned
    moves.move_session(panel, to(room=hall), actor_id=organiser.id)
    db.session.commit()
    db.session.expire_all()
    moved = db.session.get(AgendaSession, panel.id)
    assert moved.starts_at == factories.local(meeting, 1, 13)
    assert moved.room_id == hall.id
    assert moved.sequence == 1 and moved.version == 2
    [entry] = entries(meeting)
    assert entry.kind == ChangeKind.MOVED and entry.actor_id == organiser.id
    assert entry.before["room"] == "Annex" and entry.after["room"] == "Hall"
    assert entry.session_version == 2


def test_stretching_changes_only_the_end(planned):
    meeting, organiser, _keynote, panel, _hall, annex = planned
    moves.move_session(panel, to(start=(11, 0), end=(12, 30), room=annex), actor_id=organiser.id)
    assert panel.ends_at == factories.local(meeting, 1, 12, 30)
    assert panel.starts_at == factories.local(meeting, 1, 11)


@pytest.mark.parametrize(
    ("move", "field"),
    [
        (dict(day=date(2020, 3, 2)), "day"),  # outside the meeting's days
        (dict(start=(14, 0), end=(13, 0)), "end_time"),  # ends before it starts
    ],
)
def test_bad_moves_are_refused_and_change_nothing(planned, move, field):
    meeting, organiser, _keynote, panel, _hall, annex = planned
    with pytest.raises(ProgrammeError) as refused:
        moves.move_session(panel, to(room=annex, **move), actor_id=organiser.id)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.get(AgendaSession, panel.id).version == 1
    assert entries(meeting) == []


def test_a_room_of_another_meeting_is_refused(planned, make_meeting, make_room):
    _meeting, organiser, _keynote, panel, _hall, _annex = planned
    elsewhere = make_room(make_meeting(), "Elsewhere")
    with pytest.raises(ProgrammeError) as refused:
        moves.move_session(panel, to(room=elsewhere), actor_id=organiser.id)
    assert refused.value.field == "room_id"


def test_the_preview_finds_the_conflicts_of_the_move_and_saves_nothing(planned):
    meeting, _organiser, keynote, panel, hall, _annex = planned
    preview = moves.preview_move(panel, to(start=(9, 0), end=(10, 0), room=hall))
    kinds = {conflict.kind for conflict in preview.conflicts}
    assert kinds == {PERSON_DOUBLE_BOOKED, ROOM_DOUBLE_BOOKED}
    assert all(panel.id in c.session_ids for c in preview.conflicts)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).starts_at == factories.local(meeting, 1, 11)
    assert entries(meeting) == []
    # A free slot: no conflict; a day outside the meeting: refused with the form's message.
    assert moves.preview_move(panel, to(room=hall)).conflicts == []
    outside = moves.preview_move(panel, to(day=date(2020, 3, 5), room=hall))
    assert outside.field == "day" and "Choose a day of the meeting" in outside.refusal


def test_undo_walks_back_the_organisers_own_last_changes(planned, make_user):
    meeting, organiser, _keynote, panel, hall, annex = planned
    moves.move_session(panel, to(room=hall), actor_id=organiser.id)
    moves.move_session(panel, to(start=(15, 0), end=(16, 0), room=hall), actor_id=organiser.id)
    db.session.commit()

    moves.undo_last(meeting, organiser.id)
    assert panel.starts_at == factories.local(meeting, 1, 13)
    moves.undo_last(meeting, organiser.id)
    db.session.commit()
    assert panel.starts_at == factories.local(meeting, 1, 11) and panel.room_id == annex.id
    # Each undo is a change of its own: the feeds' SEQUENCE grew four times.
    assert panel.sequence == 4
    kinds = [e.kind for e in entries(meeting)]
    assert kinds == [ChangeKind.MOVED, ChangeKind.MOVED, ChangeKind.UNDONE, ChangeKind.UNDONE]
    with pytest.raises(ProgrammeError, match="no change"):
        moves.undo_last(meeting, organiser.id)
    # Another organiser has nothing of theirs to undo.
    with pytest.raises(ProgrammeError, match="no change"):
        moves.undo_last(meeting, make_user().id)


def test_undo_never_overwrites_a_later_change_by_someone_else(planned, make_user):
    meeting, organiser, _keynote, panel, hall, annex = planned
    moves.move_session(panel, to(room=hall), actor_id=organiser.id)
    colleague = make_user()
    moves.move_session(panel, to(start=(16, 0), end=(17, 0), room=hall), actor_id=colleague.id)
    db.session.commit()
    with pytest.raises(ProgrammeError, match="changed again"):
        moves.undo_last(meeting, organiser.id)


def test_undo_of_a_cancellation_restores_it(planned):
    meeting, organiser, _keynote, panel, _hall, _annex = planned
    sessions.cancel_session(panel, actor_id=organiser.id)
    moves.undo_last(meeting, organiser.id)
    assert not panel.is_cancelled


def test_the_session_form_and_the_editor_write_the_same_log(planned):
    meeting, organiser, _keynote, panel, hall, _annex = planned
    data = moves.current_input(panel)
    data.title = "Panel on cybercrime"
    sessions.update_session(panel, data, actor_id=organiser.id)
    data = moves.current_input(panel, to(room=hall))
    sessions.update_session(panel, data, actor_id=organiser.id)
    kinds = [e.kind for e in entries(meeting)]
    assert kinds == [ChangeKind.CHANGED, ChangeKind.MOVED]
    # A save that changes nothing the log follows writes nothing.
    sessions.update_session(panel, moves.current_input(panel), actor_id=organiser.id)
    assert len(entries(meeting)) == 2


def test_net_counts_count_each_session_once_by_what_it_became(planned):
    meeting, organiser, keynote, panel, hall, annex = planned
    moves.move_session(panel, to(room=hall), actor_id=organiser.id)
    moves.move_session(panel, to(start=(15, 0), end=(16, 0), room=hall), actor_id=organiser.id)
    sessions.cancel_session(keynote, actor_id=organiser.id)
    counts = changes.net_counts(changes.unpublished(meeting.id))
    assert counts == {"moved": 1, "cancelled": 1}
    assert changes.describe_counts(counts) == "1 session moved, 1 session cancelled"
    # Moved and moved back: no change at all.
    moves.undo_last(meeting, organiser.id)  # the cancellation
    moves.undo_last(meeting, organiser.id)
    moves.undo_last(meeting, organiser.id)
    assert changes.net_counts(changes.unpublished(meeting.id)) == {}

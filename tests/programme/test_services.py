"""Programme rules, without HTTP: times, sequence, cancelling, people, clusters, publishing."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import MeetingStatus
from app.programme import clusters, publishing, sessions, tracks
from app.programme.models import AgendaSession, SessionKind, SpeakerRole, TrackKind
from app.programme.publishing import PublishBlocked
from app.programme.sessions import SessionInput


def session_input(track, **overrides) -> SessionInput:
    values = {
        "title": "Opening ceremony",
        "kind": SessionKind.OPENING_CEREMONY,
        "track_id": track.id,
        "day": date(2020, 2, 27),
        "start_time": time(9, 0),
        "end_time": time(10, 0),
    }
    values.update(overrides)
    return SessionInput(**values)


def count_sessions() -> int:
    return db.session.scalar(select(func.count(AgendaSession.id)))


def test_times_entered_in_bangkok_are_stored_in_utc(make_meeting, make_track):
    meeting = make_meeting(timezone="Asia/Bangkok")
    track = make_track(meeting)

    session_ = sessions.create_session(meeting, session_input(track))
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(AgendaSession, session_.id)
    assert stored.starts_at == datetime(2020, 2, 27, 2, 0, tzinfo=UTC)
    assert stored.ends_at == datetime(2020, 2, 27, 3, 0, tzinfo=UTC)
    assert stored.sequence == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": time(9, 0)}, "end_time"),
        ({"end_time": time(8, 0)}, "end_time"),
        ({"day": date(2020, 3, 1)}, "day"),
        ({"day": date(2020, 2, 26)}, "day"),
        ({"capacity": -1}, "capacity"),
        ({"title": "x" * 301}, "title"),
        ({"title": "   "}, "title"),
        ({"track_id": None}, "track_id"),
        ({"track_id": 999999}, "track_id"),
        ({"kind": SessionKind.BREAKOUT, "slot": 1}, "slot"),
    ],
)
def test_bad_session_input_names_its_field_and_saves_nothing(
    make_meeting, make_track, overrides, field
):
    meeting = make_meeting()
    track = make_track(meeting)
    with pytest.raises(ProgrammeError) as raised:
        sessions.create_session(meeting, session_input(track, **overrides))
    assert raised.value.field == field
    assert count_sessions() == 0


def test_records_of_another_meeting_are_refused(
    make_meeting, make_track, make_room, make_cluster, make_agenda_item
):
    meeting = make_meeting()
    other = make_meeting()
    track = make_track(meeting)
    cases = {
        "track_id": {"track_id": make_track(other).id},
        "room_id": {"room_id": make_room(other).id},
        "agenda_item_id": {"agenda_item_id": make_agenda_item(other, 1).id},
        "cluster_id": {
            "cluster_id": make_cluster(other).id,
            "kind": SessionKind.BREAKOUT,
            "slot": 1,
        },
    }
    for field, overrides in cases.items():
        with pytest.raises(ProgrammeError) as raised:
            sessions.create_session(meeting, session_input(track, **overrides))
        assert raised.value.field == field
    assert count_sessions() == 0


def test_a_cluster_runs_in_breakout_sessions_one_per_slot(make_meeting, make_track, make_cluster):
    meeting = make_meeting()
    track = make_track(meeting)
    cluster = make_cluster(meeting)
    breakout = {"kind": SessionKind.BREAKOUT, "cluster_id": cluster.id}

    with pytest.raises(ProgrammeError) as raised:
        sessions.create_session(meeting, session_input(track, cluster_id=cluster.id, slot=1))
    assert raised.value.field == "cluster_id"
    with pytest.raises(ProgrammeError) as raised:
        sessions.create_session(meeting, session_input(track, **breakout))
    assert raised.value.field == "slot"

    sessions.create_session(meeting, session_input(track, slot=1, **breakout))
    with pytest.raises(ProgrammeError) as raised:
        sessions.create_session(meeting, session_input(track, slot=1, **breakout))
    assert raised.value.field == "slot"
    assert "Cluster I" in raised.value.message
    sessions.create_session(meeting, session_input(track, slot=2, **breakout))
    assert count_sessions() == 2


def test_sequence_grows_only_when_time_room_or_title_changes(
    make_meeting, make_track, make_room, make_agenda_item
):
    meeting = make_meeting()
    track = make_track(meeting)
    room = make_room(meeting)
    session_ = sessions.create_session(meeting, session_input(track))
    assert session_.sequence == 0

    # Other edits leave it alone.
    sessions.update_session(
        session_,
        session_input(
            track,
            description="Welcome remarks",
            kind=SessionKind.PLENARY_MEETING,
            track_id=make_track(meeting).id,
            agenda_item_id=make_agenda_item(meeting, 1).id,
            capacity=10,
        ),
    )
    assert session_.sequence == 0
    assert session_.description == "Welcome remarks"

    def current(**changes):
        values = {
            "kind": session_.kind,
            "track_id": session_.track_id,
            "room_id": session_.room_id,
            "title": session_.title,
            "description": session_.description,
            "agenda_item_id": session_.agenda_item_id,
            "capacity": session_.capacity,
            "start_time": time(9, 0),
            "end_time": time(10, 0),
        }
        values.update(changes)
        return session_input(track, **values)

    sessions.update_session(session_, current())
    assert session_.sequence == 0

    sessions.update_session(session_, current(start_time=time(9, 30), end_time=time(10, 0)))
    assert session_.sequence == 1
    sessions.update_session(session_, current(start_time=time(9, 30), end_time=time(10, 30)))
    assert session_.sequence == 2
    sessions.update_session(
        session_,
        current(start_time=time(9, 30), end_time=time(10, 30), room_id=room.id),
    )
    assert session_.sequence == 3
    sessions.update_session(
        session_,
        current(start_time=time(9, 30), end_time=time(10, 30), room_id=room.id, title="Opening"),
    )
    assert session_.sequence == 4
    sessions.update_session(
        session_,
        current(
            start_time=time(9, 30),
            end_time=time(10, 30),
            room_id=room.id,
            title="Opening",
            description="Changed again",
        ),
    )
    assert session_.sequence == 4


def test_a_failed_update_changes_nothing(make_meeting, make_track):
    meeting = make_meeting()
    track = make_track(meeting)
    session_ = sessions.create_session(meeting, session_input(track))
    with pytest.raises(ProgrammeError):
        sessions.update_session(
            session_, session_input(track, title="New title", end_time=time(8, 0))
        )
    assert session_.title == "Opening ceremony"
    assert session_.sequence == 0


def test_cancelling_keeps_the_session_and_restoring_brings_it_back(make_meeting, make_session):
    meeting = make_meeting()
    session_ = make_session(meeting)

    sessions.cancel_session(session_)
    db.session.commit()

    kept = db.session.get(AgendaSession, session_.id)
    assert kept is not None and kept.is_cancelled
    assert count_sessions() == 1
    assert kept.sequence == 1  # calendars hear of the cancellation

    sessions.restore_session(kept)
    db.session.commit()
    assert not kept.is_cancelled
    assert kept.sequence == 2


def test_people_in_roles_keep_their_order_and_are_not_added_twice(
    make_meeting, make_session, make_person
):
    meeting = make_meeting()
    session_ = make_session(meeting)
    chair = make_person(meeting, "Chair")
    panellist = make_person(meeting, "Panellist")

    sessions.add_session_person(session_, chair.id, SpeakerRole.CHAIR)
    sessions.add_session_person(session_, panellist.id, "panellist")
    # The same person in another role is fine.
    sessions.add_session_person(session_, chair.id, SpeakerRole.PANELLIST)

    with pytest.raises(ProgrammeError) as raised:
        sessions.add_session_person(session_, chair.id, SpeakerRole.CHAIR)
    assert raised.value.field == "person_id"

    other_meeting_person = make_person(make_meeting())
    with pytest.raises(ProgrammeError) as raised:
        sessions.add_session_person(session_, other_meeting_person.id, SpeakerRole.CHAIR)
    assert raised.value.field == "person_id"

    assert [(e.person.name, e.role) for e in session_.people] == [
        ("Chair", SpeakerRole.CHAIR),
        ("Panellist", SpeakerRole.PANELLIST),
        ("Chair", SpeakerRole.PANELLIST),
    ]
    sessions.remove_session_person(session_, session_.people[1].id)
    assert [e.person.name for e in session_.people] == ["Chair", "Chair"]


def test_cluster_topics_are_stored_in_order(make_meeting, make_person):
    meeting = make_meeting()
    moderator = make_person(meeting)
    topics = clusters.parse_topics(
        "  Education and youth  \n\nSocial and economic development\nCommunity engagement\n"
    )
    cluster = clusters.save_cluster(
        meeting,
        number=1,
        title="Culture of Prevention",
        topics=topics,
        capacity=40,
        moderator_id=moderator.id,
    )
    db.session.commit()
    db.session.expire_all()

    assert [t.title for t in cluster.topics] == [
        "Education and youth",
        "Social and economic development",
        "Community engagement",
    ]
    assert [t.position for t in cluster.topics] == [0, 1, 2]
    assert cluster.label == "Cluster I: Culture of Prevention"

    clusters.save_cluster(
        meeting,
        number=1,
        title="Culture of Prevention",
        topics=["Community engagement", "Education and youth"],
        capacity=40,
        cluster=cluster,
    )
    db.session.commit()
    db.session.expire_all()
    assert [t.title for t in cluster.topics] == ["Community engagement", "Education and youth"]


def test_cluster_numbers_are_unique_and_capacity_not_negative(make_meeting, make_cluster):
    meeting = make_meeting()
    make_cluster(meeting, number=2)
    with pytest.raises(ProgrammeError) as raised:
        clusters.save_cluster(meeting, number=2, title="Again", topics=[], capacity=10)
    assert raised.value.field == "number"
    with pytest.raises(ProgrammeError) as raised:
        clusters.save_cluster(meeting, number=3, title="Negative", topics=[], capacity=-1)
    assert raised.value.field == "capacity"


def test_track_and_room_names_are_unique_and_used_tracks_are_kept(
    make_meeting, make_track, make_room, make_session
):
    meeting = make_meeting()
    track = tracks.save_track(meeting, name="Main programme", kind=TrackKind.MAIN)
    with pytest.raises(ProgrammeError) as raised:
        tracks.save_track(meeting, name="main PROGRAMME", kind=TrackKind.MAIN)
    assert raised.value.field == "name"
    # Renaming a track to its own name is fine.
    tracks.save_track(meeting, name="Main programme", kind=TrackKind.MAIN, track=track, position=2)
    assert track.position == 2

    room = tracks.save_room(meeting, name="Ballroom", capacity=300)
    with pytest.raises(ProgrammeError):
        tracks.save_room(meeting, name="Ballroom", capacity=10)
    with pytest.raises(ProgrammeError) as raised:
        tracks.save_room(meeting, name="Annex", capacity=-1)
    assert raised.value.field == "capacity"

    make_session(meeting, track=track, room=room)
    with pytest.raises(ProgrammeError):
        tracks.delete_track(track)
    with pytest.raises(ProgrammeError):
        tracks.delete_room(room)
    empty = make_track(meeting)
    tracks.delete_track(empty)
    tracks.delete_room(make_room(meeting))


def _double_booked(meeting, make_room, make_session):
    room = make_room(meeting)
    make_session(meeting, room=room)
    make_session(meeting, room=room)


def test_publishing_is_blocked_by_a_double_booking_without_override(
    make_meeting, make_room, make_session
):
    meeting = make_meeting(status=MeetingStatus.DRAFT)
    _double_booked(meeting, make_room, make_session)

    with pytest.raises(PublishBlocked) as raised:
        publishing.publish_meeting(meeting)
    assert len(raised.value.conflicts) == 1
    assert "1 double-booking." in raised.value.message
    assert meeting.status == MeetingStatus.DRAFT


def test_publishing_with_override_publishes_despite_double_bookings(
    make_meeting, make_room, make_session
):
    meeting = make_meeting(status=MeetingStatus.DRAFT)
    _double_booked(meeting, make_room, make_session)

    overridden = publishing.publish_meeting(meeting, override=True)
    db.session.commit()

    assert len(overridden) == 1
    assert meeting.status == MeetingStatus.PUBLISHED


def test_warnings_do_not_block_publishing_and_unpublishing_returns_to_draft(
    make_meeting, make_session
):
    from tests.factories import local

    meeting = make_meeting(status=MeetingStatus.DRAFT)
    make_session(meeting, starts_at=local(meeting, 4, 9))  # outside the days: a warning

    assert publishing.publish_meeting(meeting) == []
    assert meeting.status == MeetingStatus.PUBLISHED
    publishing.unpublish_meeting(meeting)
    assert meeting.status == MeetingStatus.DRAFT


def test_a_concluded_meeting_freezes_its_programme_until_reopened(make_meeting):
    from tests.factories import local, make_session

    meeting = make_meeting()
    session_ = make_session(meeting, starts_at=local(meeting, 1, 9), title="Opening")
    publishing.conclude_meeting(meeting)
    assert meeting.status == MeetingStatus.CONCLUDED
    with pytest.raises(ProgrammeError, match="concluded already"):
        publishing.conclude_meeting(meeting)
    with pytest.raises(ProgrammeError, match="frozen"):
        sessions.cancel_session(session_)
    assert not session_.is_cancelled
    publishing.reopen_meeting(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED
    sessions.cancel_session(session_)
    assert session_.is_cancelled
    with pytest.raises(ProgrammeError, match="Only a concluded"):
        publishing.reopen_meeting(meeting)
    draft = make_meeting(status=MeetingStatus.DRAFT)
    with pytest.raises(ProgrammeError, match="Publish the meeting"):
        publishing.conclude_meeting(draft)

"""Conflict detection: each kind found, false alarms avoided, a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.programme.conflicts import (
    BLOCKING,
    CLUSTER_OVER_ROOM,
    ENDS_BEFORE_START,
    OUTSIDE_MEETING_DAYS,
    PERSON_DOUBLE_BOOKED,
    ROOM_DOUBLE_BOOKED,
    WARNING,
    SessionSlot,
    conflicts_by_session,
    detect_conflicts,
    find_conflicts,
)
from app.programme.models import SessionKind, SpeakerRole
from tests.factories import local
from tests.querycount import count_queries


def kinds(conflicts):
    return sorted(c.kind for c in conflicts)


def test_a_person_in_two_overlapping_sessions_is_double_booked(
    make_meeting, make_person, make_session
):
    meeting = make_meeting()
    speaker = make_person(meeting, "Kittipong Kittayarak", honorific="Dr.")
    first = make_session(
        meeting,
        title="Panel 1",
        starts_at=local(meeting, 1, 9),
        ends_at=local(meeting, 1, 10, 30),
        people=[(speaker, SpeakerRole.PANELLIST)],
    )
    second = make_session(
        meeting,
        title="Youth forum",
        starts_at=local(meeting, 1, 10),
        ends_at=local(meeting, 1, 11),
        people=[(speaker, SpeakerRole.KEYNOTE_SPEAKER)],
    )

    conflicts = find_conflicts(meeting)

    assert kinds(conflicts) == [PERSON_DOUBLE_BOOKED]
    conflict = conflicts[0]
    assert conflict.severity == BLOCKING and conflict.is_blocking
    assert set(conflict.session_ids) == {first.id, second.id}
    assert "Dr. Kittipong Kittayarak" in conflict.message
    assert "Panel 1" in conflict.message and "Youth forum" in conflict.message
    # Times in the message are the meeting's own clock.
    assert "09:00" in conflict.message and "10:00" in conflict.message


def test_a_room_booked_twice_is_double_booked(make_meeting, make_room, make_session):
    meeting = make_meeting()
    room = make_room(meeting, "Plenary Hall")
    first = make_session(meeting, room=room, starts_at=local(meeting, 2, 14))
    second = make_session(meeting, room=room, starts_at=local(meeting, 2, 14, 30))

    conflicts = find_conflicts(meeting)

    assert kinds(conflicts) == [ROOM_DOUBLE_BOOKED]
    assert conflicts[0].severity == BLOCKING
    assert set(conflicts[0].session_ids) == {first.id, second.id}
    assert "Plenary Hall" in conflicts[0].message


def test_three_overlapping_sessions_in_a_room_give_every_pair(
    make_meeting, make_room, make_session
):
    meeting = make_meeting()
    room = make_room(meeting)
    a = make_session(
        meeting, room=room, starts_at=local(meeting, 1, 9), ends_at=local(meeting, 1, 12)
    )
    b = make_session(meeting, room=room, starts_at=local(meeting, 1, 10))
    c = make_session(meeting, room=room, starts_at=local(meeting, 1, 10, 30))

    pairs = {frozenset(x.session_ids) for x in find_conflicts(meeting)}

    assert pairs == {frozenset({a.id, b.id}), frozenset({a.id, c.id}), frozenset({b.id, c.id})}


def test_adjacent_sessions_do_not_conflict(make_meeting, make_person, make_room, make_session):
    meeting = make_meeting()
    person = make_person(meeting)
    room = make_room(meeting)
    make_session(
        meeting,
        room=room,
        starts_at=local(meeting, 1, 9),
        ends_at=local(meeting, 1, 10),
        people=[(person, SpeakerRole.CHAIR)],
    )
    make_session(
        meeting,
        room=room,
        starts_at=local(meeting, 1, 10),
        ends_at=local(meeting, 1, 11),
        people=[(person, SpeakerRole.CHAIR)],
    )

    assert find_conflicts(meeting) == []


def test_different_people_and_rooms_at_the_same_time_do_not_conflict(
    make_meeting, make_person, make_room, make_session
):
    meeting = make_meeting()
    make_session(
        meeting,
        room=make_room(meeting),
        people=[(make_person(meeting), SpeakerRole.MODERATOR)],
    )
    make_session(
        meeting,
        room=make_room(meeting),
        people=[(make_person(meeting), SpeakerRole.MODERATOR)],
    )
    # Sessions without a room share no room.
    make_session(meeting)
    make_session(meeting)

    assert find_conflicts(meeting) == []


def test_one_person_in_two_roles_of_one_session_is_not_double_booked(
    make_meeting, make_person, make_session
):
    meeting = make_meeting()
    person = make_person(meeting)
    make_session(meeting, people=[(person, SpeakerRole.CHAIR), (person, SpeakerRole.PANELLIST)])

    assert find_conflicts(meeting) == []


def test_cancelled_sessions_never_conflict(make_meeting, make_person, make_room, make_session):
    meeting = make_meeting()
    person = make_person(meeting)
    room = make_room(meeting, capacity=10)
    cluster_room_session = make_session(meeting, room=room, people=[(person, SpeakerRole.CHAIR)])
    make_session(
        meeting,
        room=room,
        people=[(person, SpeakerRole.CHAIR)],
        is_cancelled=True,
    )
    # Outside the meeting's days, but cancelled.
    make_session(meeting, starts_at=local(meeting, 5, 9), is_cancelled=True)

    assert find_conflicts(meeting) == []
    assert cluster_room_session.id


def test_another_meetings_sessions_are_not_counted(
    make_meeting, make_room, make_person, make_session
):
    meeting = make_meeting()
    other = make_meeting()
    make_session(meeting, room=make_room(meeting))
    make_session(other, room=make_room(other))

    assert find_conflicts(meeting) == []


def test_a_session_outside_the_meetings_days_is_found_in_the_meetings_zone(
    make_meeting, make_session
):
    meeting = make_meeting(first_day=date(2020, 2, 27), last_day=date(2020, 2, 28))
    # 06:30 on 27 February in Bangkok is 23:30 UTC on the 26th: inside the meeting.
    early = make_session(meeting, starts_at=local(meeting, 1, 6, 30))
    # 23:00 to 23:59 on the 28th in Bangkok: still inside.
    late = make_session(meeting, starts_at=local(meeting, 2, 23), ends_at=local(meeting, 2, 23, 59))
    # The day after the meeting (the dates were moved after it was planned).
    after = make_session(meeting, title="Field visit", starts_at=local(meeting, 3, 9))
    # Runs past midnight after the last day.
    overnight = make_session(
        meeting, starts_at=local(meeting, 2, 23), ends_at=local(meeting, 3, 0, 30)
    )
    before = make_session(meeting, starts_at=local(meeting, 0, 20))

    conflicts = find_conflicts(meeting)

    assert kinds(conflicts) == [OUTSIDE_MEETING_DAYS] * 3
    flagged = {c.session_ids[0] for c in conflicts}
    assert flagged == {after.id, overnight.id, before.id}
    assert early.id not in flagged and late.id not in flagged
    assert all(c.severity == WARNING for c in conflicts)
    assert any("Field visit" in c.message for c in conflicts)


def test_a_session_ending_before_it_starts_is_found(make_meeting):
    # The database refuses such a row (ends_after_starts), so check the detection directly.
    meeting = make_meeting()
    start = local(meeting, 1, 10)
    sessions = [
        SessionSlot(id=1, title="Backwards", starts_at=start, ends_at=start - timedelta(hours=1)),
        SessionSlot(id=2, title="Instant", starts_at=start, ends_at=start),
        SessionSlot(id=3, title="Fine", starts_at=start, ends_at=start + timedelta(hours=1)),
    ]

    conflicts = detect_conflicts(meeting, sessions, {}, {})

    assert kinds(conflicts) == [ENDS_BEFORE_START] * 2
    assert {c.session_ids for c in conflicts} == {(1,), (2,)}


def test_the_database_refuses_a_session_ending_before_it_starts(make_meeting, make_session):
    meeting = make_meeting()
    with pytest.raises(sa.exc.IntegrityError):
        make_session(meeting, starts_at=local(meeting, 1, 10), ends_at=local(meeting, 1, 9))
    db.session.rollback()


def test_a_cluster_larger_than_its_breakout_room_is_found(
    make_meeting, make_room, make_cluster, make_session
):
    meeting = make_meeting()
    cluster = make_cluster(meeting, number=2, title="Rule of Law", capacity=60)
    small = make_room(meeting, "Meeting Room 3", capacity=40)
    big = make_room(meeting, "Ballroom", capacity=200)
    unknown = make_room(meeting, "Terrace", capacity=None)
    tight = make_session(
        meeting,
        kind=SessionKind.BREAKOUT,
        room=small,
        cluster_id=cluster.id,
        slot=1,
        starts_at=local(meeting, 1, 14),
    )
    make_session(
        meeting,
        kind=SessionKind.BREAKOUT,
        room=big,
        cluster_id=cluster.id,
        slot=2,
        starts_at=local(meeting, 1, 16),
    )
    make_session(
        meeting,
        kind=SessionKind.BREAKOUT,
        room=unknown,
        cluster_id=make_cluster(meeting, number=3, capacity=500).id,
        slot=1,
        starts_at=local(meeting, 1, 14),
    )

    conflicts = find_conflicts(meeting)

    assert kinds(conflicts) == [CLUSTER_OVER_ROOM]
    assert conflicts[0].session_ids == (tight.id,)
    assert conflicts[0].severity == WARNING
    assert "Cluster II" in conflicts[0].message and "Meeting Room 3" in conflicts[0].message


def test_blocking_conflicts_come_first_and_index_by_session(make_meeting, make_room, make_session):
    meeting = make_meeting()
    room = make_room(meeting)
    outside = make_session(meeting, starts_at=local(meeting, 0, 9))
    a = make_session(meeting, room=room, starts_at=local(meeting, 2, 9))
    b = make_session(meeting, room=room, starts_at=local(meeting, 2, 9))

    conflicts = find_conflicts(meeting)
    by_session = conflicts_by_session(conflicts)

    assert [c.kind for c in conflicts] == [ROOM_DOUBLE_BOOKED, OUTSIDE_MEETING_DAYS]
    assert [c.kind for c in by_session[a.id]] == [ROOM_DOUBLE_BOOKED]
    assert [c.kind for c in by_session[b.id]] == [ROOM_DOUBLE_BOOKED]
    assert [c.kind for c in by_session[outside.id]] == [OUTSIDE_MEETING_DAYS]


def _programme(meeting, count, make_track, make_room, make_person, make_session, make_cluster):
    """`count` sessions over two days, with people, rooms, clusters and a few conflicts."""
    tracks = [make_track(meeting) for _ in range(3)]
    rooms = [make_room(meeting, capacity=30) for _ in range(4)]
    people = [make_person(meeting) for _ in range(count // 2 + 2)]
    clusters = [make_cluster(meeting, number=n, capacity=50) for n in range(1, 4)]
    for n in range(count):
        day = 1 + n % 2
        starts = local(meeting, day, 8) + timedelta(minutes=20 * (n // 2))
        cluster = clusters[n % 3] if n < 6 else None
        make_session(
            meeting,
            track=tracks[n % 3],
            room=rooms[n % 4],
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            kind=SessionKind.BREAKOUT if cluster else SessionKind.PANEL_DISCUSSION,
            cluster_id=cluster.id if cluster else None,
            slot=(n // 3) + 1 if cluster else None,
            people=[(people[n // 2], SpeakerRole.PANELLIST), (people[n // 3], SpeakerRole.CHAIR)],
        )
    db.session.commit()


def _count_queries(func):
    with count_queries() as statements:
        result = func()
    return len(statements), result


def test_find_conflicts_uses_the_same_number_of_queries_at_10_and_100_sessions(
    make_meeting, make_track, make_room, make_person, make_session, make_cluster
):
    counts = {}
    for size in (10, 100):
        meeting = make_meeting()
        _programme(meeting, size, make_track, make_room, make_person, make_session, make_cluster)
        db.session.expire_all()
        meeting = db.session.get(type(meeting), meeting.id)
        counts[size], conflicts = _count_queries(lambda m=meeting: find_conflicts(m))
        # The generated programme has conflicts, so the sweep did real work.
        assert any(c.kind == ROOM_DOUBLE_BOOKED for c in conflicts)
        assert any(c.kind == PERSON_DOUBLE_BOOKED for c in conflicts)
        assert any(c.kind == CLUSTER_OVER_ROOM for c in conflicts)
    assert counts[10] == counts[100]
    # Sessions, their people, clusters, and (since participants' clashes are conflicts too)
    # the places held in two overlapping sessions.
    assert counts[100] <= 4


def test_detection_handles_many_sessions_without_comparing_every_pair(make_meeting):
    # 3,000 back-to-back sessions in one room: no overlap, and no pair is reported.
    meeting = make_meeting(first_day=date(2020, 1, 1), last_day=date(2020, 12, 31))
    start = datetime(2020, 1, 2, tzinfo=UTC)
    sessions = [
        SessionSlot(
            id=n,
            title=f"S{n}",
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n + 1),
            room_id=1,
            room_name="Hall",
            person_ids=[7],
        )
        for n in range(3000)
    ]
    assert detect_conflicts(meeting, sessions, {}, {7: "X"}) == []

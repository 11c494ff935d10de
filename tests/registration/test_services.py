"""Registration rules without HTTP: capacity, waiting lists, promotion, switching, clashes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import RegistrationError
from app.extensions import db
from app.meetings.models import MeetingStatus
from app.programme.models import SessionKind, TrackKind
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    RegistrationStatus,
)
from app.registration.places import change_capacity, leave_place, take_place
from app.registration.registrations import decide, register, withdraw
from tests import factories


def places(session_):
    return db.session.scalars(
        select(ClusterPlace)
        .where(ClusterPlace.session_id == session_.id)
        .order_by(ClusterPlace.status, ClusterPlace.waitlist_position)
    ).all()


def waiting_positions(session_):
    return [
        (p.registration_id, p.waitlist_position)
        for p in places(session_)
        if p.status == PlaceStatus.WAITLISTED
    ]


def confirmed_ids(session_):
    return sorted(p.registration_id for p in places(session_) if p.status == PlaceStatus.CONFIRMED)


def test_register_is_approved_at_once_unless_the_meeting_needs_approval(make_user):
    open_meeting = factories.make_meeting()
    vetted = factories.make_meeting(registration_needs_approval=True)
    user = make_user()
    assert (
        register(
            open_meeting, user, delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
        ).status
        == RegistrationStatus.APPROVED
    )
    assert (
        register(
            vetted, user, delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
        ).status
        == RegistrationStatus.PENDING
    )


def test_registering_twice_or_for_a_draft_is_refused(make_user):
    meeting = factories.make_meeting()
    draft = factories.make_meeting(status=MeetingStatus.DRAFT)
    user = make_user()
    register(meeting, user, delegation="Viet Nam", category=AttendanceCategory.MEMBER_STATE)
    with pytest.raises(RegistrationError, match="registered for this meeting already"):
        register(meeting, user, delegation="Viet Nam", category=AttendanceCategory.MEMBER_STATE)
    with pytest.raises(RegistrationError, match="not open"):
        register(draft, user, delegation="Viet Nam", category=AttendanceCategory.MEMBER_STATE)


def test_full_cluster_offers_the_waiting_list_with_positions(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=2)
    target = sessions[(1, 1)]
    regs = [make_registration(meeting) for _ in range(5)]
    for reg in regs[:2]:
        assert take_place(reg, target).confirmed
    with pytest.raises(RegistrationError, match="full"):
        take_place(regs[2], target)
    assert places(target) and len(places(target)) == 2  # the refusal changed nothing
    for reg in regs[2:]:
        assert not take_place(reg, target, wait=True).confirmed
    assert confirmed_ids(target) == sorted(r.id for r in regs[:2])
    assert waiting_positions(target) == [(regs[2].id, 1), (regs[3].id, 2), (regs[4].id, 3)]


def test_a_freed_place_goes_to_the_first_in_line_and_the_list_moves_up(
    breakouts, make_registration
):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    first, second, third, fourth = (make_registration(meeting) for _ in range(4))
    take_place(first, target)
    for reg in (second, third, fourth):
        take_place(reg, target, wait=True)
    leave_place(third, target)  # a waiting participant leaves: no gap stays
    assert waiting_positions(target) == [(second.id, 1), (fourth.id, 2)]
    withdraw(first)  # the confirmed participant withdraws from the meeting
    assert confirmed_ids(target) == [second.id]
    assert waiting_positions(target) == [(fourth.id, 1)]


def test_switching_keeps_the_old_place_until_the_new_one_is_confirmed(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=1)
    one, two = sessions[(1, 1)], sessions[(2, 1)]
    switcher, holder, waiter = (make_registration(meeting) for _ in range(3))
    take_place(switcher, one)
    take_place(waiter, one, wait=True)
    take_place(holder, two)

    outcome = take_place(switcher, two, wait=True)  # cluster 2 is full: wait, keep cluster 1
    assert not outcome.confirmed
    assert confirmed_ids(one) == [switcher.id]
    assert waiting_positions(two) == [(switcher.id, 1)]

    leave_place(holder, two)  # a seat frees in cluster 2: the switch completes at once
    assert confirmed_ids(two) == [switcher.id]
    # …and the seat the switcher left in cluster 1 goes to the one waiting there.
    assert confirmed_ids(one) == [waiter.id]
    assert waiting_positions(one) == []


def test_switching_to_a_free_cluster_moves_at_once(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=3)
    reg = make_registration(meeting)
    take_place(reg, sessions[(1, 1)])
    outcome = take_place(reg, sessions[(2, 1)])
    assert outcome.confirmed and outcome.switched_from.id == sessions[(1, 1)].id
    assert confirmed_ids(sessions[(1, 1)]) == []


def test_switching_to_a_full_cluster_without_waiting_changes_nothing(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=1)
    reg, other = make_registration(meeting), make_registration(meeting)
    take_place(reg, sessions[(1, 1)])
    take_place(other, sessions[(2, 1)])
    with pytest.raises(RegistrationError, match="full"):
        take_place(reg, sessions[(2, 1)])
    assert confirmed_ids(sessions[(1, 1)]) == [reg.id]


def test_one_place_per_slot_and_slots_are_independent(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=5)
    reg = make_registration(meeting)
    take_place(reg, sessions[(1, 1)])
    take_place(reg, sessions[(2, 2)])
    held = db.session.scalars(select(ClusterPlace).where(ClusterPlace.registration_id == reg.id))
    assert sorted((p.slot, p.session_id) for p in held) == [
        (1, sessions[(1, 1)].id),
        (2, sessions[(2, 2)].id),
    ]


def test_one_cluster_for_all_slots_when_the_meeting_says_so(breakouts, make_registration):
    meeting = factories.make_meeting(one_cluster_for_all_slots=True)
    meeting, sessions, _ = breakouts(meeting, capacity=5)
    reg = make_registration(meeting)
    take_place(reg, sessions[(2, 1)])
    assert confirmed_ids(sessions[(2, 1)]) == [reg.id]
    assert confirmed_ids(sessions[(2, 2)]) == [reg.id]


def test_never_in_two_sessions_at_the_same_time(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=5)
    youth = factories.make_track(meeting, "Youth Forum", TrackKind.YOUTH_FORUM)
    breakout = sessions[(1, 1)]
    workshop = factories.make_session(
        meeting,
        track=youth,
        kind=SessionKind.WORKSHOP,
        title="Design Thinking",
        starts_at=breakout.starts_at + timedelta(minutes=30),
        ends_at=breakout.ends_at + timedelta(minutes=30),
        capacity=10,
        slot=9,
    )
    reg = make_registration(meeting, category=AttendanceCategory.YOUTH)
    take_place(reg, breakout)
    with pytest.raises(RegistrationError, match="overlaps"):
        take_place(reg, workshop)
    assert places(workshop) == []


def test_youth_workshops_are_for_youth_participants(make_registration):
    meeting = factories.make_meeting()
    youth = factories.make_track(meeting, "Youth Forum", TrackKind.YOUTH_FORUM)
    workshop = factories.make_session(
        meeting, track=youth, kind=SessionKind.WORKSHOP, capacity=2, slot=1
    )
    with pytest.raises(RegistrationError, match="youth participants"):
        take_place(make_registration(meeting), workshop)
    assert take_place(
        make_registration(meeting, category=AttendanceCategory.YOUTH), workshop
    ).confirmed


def test_places_need_an_approved_registration_of_the_same_published_meeting(
    breakouts, make_registration
):
    meeting, sessions, _ = breakouts()
    other_meeting, other_sessions, _ = breakouts()
    pending = make_registration(meeting, status=RegistrationStatus.PENDING)
    with pytest.raises(RegistrationError, match="approved"):
        take_place(pending, sessions[(1, 1)])
    with pytest.raises(RegistrationError, match="another meeting"):
        take_place(make_registration(meeting), other_sessions[(1, 1)])
    meeting.status = MeetingStatus.DRAFT
    with pytest.raises(RegistrationError, match="not published"):
        take_place(make_registration(meeting), sessions[(1, 1)])


def test_capacity_cannot_go_below_the_confirmed_count_and_raising_it_promotes(
    breakouts, make_registration
):
    meeting, sessions, clusters = breakouts(capacity=2)
    target = sessions[(1, 1)]
    regs = [make_registration(meeting) for _ in range(4)]
    for reg in regs:
        take_place(reg, target, wait=True)
    with pytest.raises(RegistrationError, match="2 places are confirmed"):
        change_capacity(clusters[1], 1)
    assert clusters[1].capacity == 2
    promoted = change_capacity(clusters[1], 3)
    assert [p.registration_id for p in promoted] == [regs[2].id]
    assert waiting_positions(target) == [(regs[3].id, 1)]


def test_declining_or_cancelling_frees_places(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    holder, waiter = make_registration(meeting), make_registration(meeting)
    take_place(holder, target)
    take_place(waiter, target, wait=True)
    decide(holder, RegistrationStatus.CANCELLED, "Duplicate registration")
    assert confirmed_ids(target) == [waiter.id]
    with pytest.raises(RegistrationError):
        decide(holder, RegistrationStatus.CANCELLED)


def test_a_concluded_meeting_takes_no_registration_or_place(
    breakouts, make_registration, make_user
):
    meeting, sessions, _ = breakouts()
    registration = make_registration(meeting)
    meeting.status = MeetingStatus.CONCLUDED
    with pytest.raises(RegistrationError, match="not open"):
        register(
            meeting, make_user(), delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
        )
    with pytest.raises(RegistrationError, match="concluded"):
        take_place(registration, sessions[(1, 1)])


def test_leaving_with_one_cluster_for_all_slots_leaves_every_slot(breakouts, make_registration):
    meeting = factories.make_meeting(one_cluster_for_all_slots=True)
    meeting, sessions, _ = breakouts(meeting, capacity=1)
    me, waiter = make_registration(meeting), make_registration(meeting)
    take_place(me, sessions[(1, 1)])
    take_place(waiter, sessions[(1, 1)], wait=True)
    leave_place(me, sessions[(1, 1)])
    assert confirmed_ids(sessions[(1, 1)]) == [waiter.id]
    assert confirmed_ids(sessions[(1, 2)]) == [waiter.id]  # the same cluster in every slot

"""Registration pages through the test client: permissions, flows, CSV, bad input."""

import csv
import io

from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import MeetingStatus, RoleName
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)
from app.registration.places import take_place
from tests import factories


def test_a_participant_registers_and_joins_a_cluster(
    client, make_user, sign_in, post_form, breakouts
):
    meeting, sessions, _ = breakouts(capacity=1)
    user = make_user(name="Nguyễn Thị Lan")
    db.session.commit()
    sign_in(user)
    response = post_form(
        f"/meetings/{meeting.slug}/register",
        {"delegation": "Viet Nam", "category": "member_state"},
    )
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
    assert registration.status == RegistrationStatus.APPROVED

    target = sessions[(1, 1)]
    response = post_form(f"/meetings/{meeting.slug}/places/{target.id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is confirmed" in page
    assert "Confirmed" in page and target.title in page


def test_a_full_cluster_puts_the_participant_on_its_waiting_list(
    client, make_user, sign_in, post_form, breakouts, make_registration
):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    take_place(make_registration(meeting), target)
    me = make_registration(meeting)
    db.session.commit()
    sign_in(me.user)
    refused = post_form(f"/meetings/{meeting.slug}/places/{target.id}", follow_redirects=True)
    assert "is full" in refused.get_data(as_text=True)
    assert (
        db.session.scalar(select(ClusterPlace).where(ClusterPlace.registration_id == me.id)) is None
    )
    response = post_form(
        f"/meetings/{meeting.slug}/places/{target.id}", {"wait": "y"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "number 1 on its waiting list" in page
    assert "Waiting list: number 1" in page


def test_registering_twice_changes_nothing(client, sign_in, post_form, make_registration):
    meeting = factories.make_meeting()
    registration = make_registration(meeting, delegation="Thailand")
    db.session.commit()
    sign_in(registration.user)
    response = post_form(
        f"/meetings/{meeting.slug}/register",
        {"delegation": "Elsewhere", "category": "ngo"},
        follow_redirects=True,
    )
    assert "registered for this meeting already" in response.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.delegation == "Thailand"


def test_registration_for_an_unpublished_meeting_is_404(client, make_user, sign_in, post_form):
    draft = factories.make_meeting(status=MeetingStatus.DRAFT)
    user = make_user()
    db.session.commit()
    sign_in(user)
    response = post_form(
        f"/meetings/{draft.slug}/register", {"delegation": "Thailand", "category": "member_state"}
    )
    assert response.status_code == 404
    assert db.session.scalar(select(Registration)) is None


def test_joining_before_approval_is_refused_with_a_message(
    client, sign_in, post_form, breakouts, make_registration
):
    meeting, sessions, _ = breakouts()
    pending = make_registration(meeting, status=RegistrationStatus.PENDING)
    db.session.commit()
    sign_in(pending.user)
    target = sessions[(1, 1)]
    response = post_form(f"/meetings/{meeting.slug}/places/{target.id}", follow_redirects=True)
    assert "once it is approved" in response.get_data(as_text=True)
    assert db.session.scalar(select(ClusterPlace)) is None


def test_a_cluster_of_another_meeting_is_404(
    client, sign_in, post_form, breakouts, make_registration
):
    meeting, _, _ = breakouts()
    _, other_sessions, _ = breakouts()
    me = make_registration(meeting)
    db.session.commit()
    sign_in(me.user)
    response = post_form(f"/meetings/{meeting.slug}/places/{other_sessions[(1, 1)].id}")
    assert response.status_code == 404
    assert db.session.scalar(select(ClusterPlace)) is None


def test_a_stale_waiting_list_position_changes_nothing(
    client, sign_in, post_form, breakouts, make_registration
):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    holder = make_registration(meeting)
    take_place(holder, target)
    me = make_registration(meeting)
    take_place(me, target, wait=True)
    db.session.commit()
    sign_in(me.user)
    # The page showed "waiting list number 2"; it is number 1 now.
    response = post_form(
        f"/meetings/{meeting.slug}/places/{target.id}/leave",
        {"expected_status": "waitlisted", "expected_position": "2"},
        follow_redirects=True,
    )
    assert "out of date" in response.get_data(as_text=True)
    place = db.session.scalar(select(ClusterPlace).where(ClusterPlace.registration_id == me.id))
    assert place.status == PlaceStatus.WAITLISTED and place.waitlist_position == 1


def test_withdrawing_frees_the_place_for_the_first_in_line(
    client, sign_in, post_form, breakouts, make_registration
):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    me, waiter = make_registration(meeting), make_registration(meeting)
    take_place(me, target)
    take_place(waiter, target, wait=True)
    db.session.commit()
    sign_in(me.user)
    post_form(f"/meetings/{meeting.slug}/withdraw", {"confirm": "y"})
    db.session.expire_all()
    place = db.session.scalar(select(ClusterPlace).where(ClusterPlace.registration_id == waiter.id))
    assert place.status == PlaceStatus.CONFIRMED
    assert db.session.get(Registration, me.id).status == RegistrationStatus.CANCELLED


def test_participants_cannot_see_registrations_or_rosters(
    client, sign_in, make_registration, grant_role
):
    meeting = factories.make_meeting()
    me = make_registration(meeting)
    grant_role(meeting, me.user, RoleName.PARTICIPANT)
    db.session.commit()
    sign_in(me.user)
    for path in ("registrations", "registrations.csv", "rosters", "rosters.csv", "attendance"):
        assert client.get(f"/meetings/{meeting.slug}/manage/{path}").status_code == 403, path


def test_organiser_filters_decides_and_the_participant_is_told(
    client, make_user, sign_in, post_form, make_registration
):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser, registration_needs_approval=True)
    ngo = make_registration(
        meeting,
        category=AttendanceCategory.NGO,
        delegation="ACPF",
        status=RegistrationStatus.PENDING,
    )
    make_registration(meeting, delegation="Thailand")
    db.session.commit()
    sign_in(organiser)
    page = client.get(f"/meetings/{meeting.slug}/manage/registrations?category=ngo")
    text = page.get_data(as_text=True)
    assert "ACPF" in text and "Thailand" not in text
    post_form(
        f"/meetings/{meeting.slug}/manage/registrations/{ngo.id}",
        {"decision": "declined", "note": "The list of observers is closed."},
    )
    sign_in(ngo.user)
    mine = client.get(f"/meetings/{meeting.slug}/my").get_data(as_text=True)
    assert "Declined" in mine and "The list of observers is closed." in mine


def test_csv_downloads_open_as_utf8_with_non_latin_names(
    client, make_user, sign_in, breakouts, make_registration
):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    meeting, sessions, _ = breakouts(meeting, capacity=5)
    reg = make_registration(meeting, make_user(name="สมชาย ใจดี"), delegation="Thailand")
    khmer = make_registration(meeting, make_user(name="=HYPERLINK(1)"), delegation="Cambodia")
    take_place(reg, sessions[(1, 1)])
    take_place(khmer, sessions[(1, 1)])
    db.session.commit()
    sign_in(organiser)
    for path in ("registrations.csv", "rosters.csv"):
        response = client.get(f"/meetings/{meeting.slug}/manage/{path}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["Content-Disposition"]
        raw = response.get_data()
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells spreadsheets it is UTF-8
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        names = [cell for row in rows for cell in row]
        assert "สมชาย ใจดี" in names
        assert "'=HYPERLINK(1)" in names  # a formula is neutralised


def test_attendance_is_listed_by_category_as_in_the_reports(
    client, make_user, sign_in, make_registration
):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    for delegation in ("Viet Nam", "Australia", "Thailand"):
        make_registration(meeting, delegation=delegation)
    make_registration(meeting, delegation="UNODC", category=AttendanceCategory.UN_ENTITY)
    make_registration(
        meeting, delegation="Japan Federation of Bar Associations", category=AttendanceCategory.NGO
    )
    make_registration(meeting, delegation="Declined State", status=RegistrationStatus.DECLINED)
    db.session.commit()
    sign_in(organiser)
    text = client.get(f"/meetings/{meeting.slug}/manage/attendance").get_data(as_text=True)
    assert (
        "The following States were represented at the Meeting: Australia, Thailand and Viet Nam."
        in text
    )
    assert (
        "The following entity of the United Nations system was represented by observers: UNODC."
        in text
    )
    assert (
        "The following non-governmental organization was represented by observers: "
        "Japan Federation of Bar Associations."
    ) in text
    assert "Declined State" not in text


def test_the_meeting_page_offers_registration_then_the_participant_page(
    client, make_user, sign_in, make_registration
):
    meeting = factories.make_meeting()
    user = make_user()
    db.session.commit()
    sign_in(user)
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert f"/meetings/{meeting.slug}/register" in page
    make_registration(meeting, user)
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert "My registration and agenda" in page


def test_a_decision_never_redirects_off_the_site_and_says_what_is_wrong(
    client, make_user, sign_in, post_form, make_registration
):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    registration = make_registration(meeting, status=RegistrationStatus.PENDING)
    db.session.commit()
    sign_in(organiser)
    url = f"/meetings/{meeting.slug}/manage/registrations/{registration.id}"
    response = post_form(url, {"decision": "approved", "back": "/\t/evil.example"})
    assert response.headers["Location"] == f"/meetings/{meeting.slug}/manage/registrations"
    registration_id = registration.id
    db.session.expire_all()
    post_form(url, {"decision": "declined", "note": "x" * 1001})
    page = client.get(f"/meetings/{meeting.slug}/manage/registrations").get_data(as_text=True)
    assert "Nothing was changed" in page and "Note to the participant" in page
    assert db.session.get(Registration, registration_id).status == RegistrationStatus.APPROVED


def test_rosters_show_one_slot_at_a_time_and_the_csv_every_slot(
    client, make_user, sign_in, breakouts, make_registration
):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    meeting, sessions, _ = breakouts(meeting, clusters=2, slots=2, capacity=1)
    early = make_registration(meeting, make_user(name="Ama Early"), delegation="Ghana")
    late = make_registration(meeting, make_user(name="Kofi Late"), delegation="Togo")
    waiter = make_registration(meeting, make_user(name="Wanjiru Waits"), delegation="Kenya")
    take_place(early, sessions[(1, 1)])
    take_place(late, sessions[(2, 2)])
    take_place(waiter, sessions[(2, 2)], wait=True)
    db.session.commit()
    sign_in(organiser)
    base = f"/meetings/{meeting.slug}/manage/rosters"

    first = client.get(base).get_data(as_text=True)  # the first slot by time
    assert "Ama Early" in first and "Kofi Late" not in first
    assert f'href="{base}?slot=2"' in first and 'aria-current="page"' in first

    second = client.get(f"{base}?slot=2").get_data(as_text=True)
    assert "Kofi Late" in second and "Ama Early" not in second
    assert '<li value="1">Wanjiru Waits <small>(Kenya)</small></li>' in second
    assert "1 of 1 places confirmed" in second

    assert client.get(f"{base}?slot=9").status_code == 404

    raw = client.get(f"{base}.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    names = {row[5]: row for row in rows[1:]}
    assert set(names) == {"Ama Early", "Kofi Late", "Wanjiru Waits"}
    assert names["Wanjiru Waits"][3:5] == ["Waiting list", "1"]
    assert names["Kofi Late"][7] == "Member State"


def test_taking_a_place_unregistered_sends_to_registration_and_saves_nothing(
    client, make_user, sign_in, post_form, breakouts
):
    meeting, sessions, _ = breakouts()
    user = make_user()
    db.session.commit()
    sign_in(user)
    response = post_form(f"/meetings/{meeting.slug}/places/{sessions[(1, 1)].id}", {"wait": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting.slug}/register")
    assert db.session.scalar(select(func.count(ClusterPlace.id))) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Register for the meeting first." in page


def test_giving_up_a_place_asks_first_and_says_who_gets_it(
    client, sign_in, post_form, breakouts, make_registration
):
    meeting, sessions, _ = breakouts(capacity=1)
    target = sessions[(1, 1)]
    me, waiter = make_registration(meeting), make_registration(meeting)
    take_place(me, target)
    take_place(waiter, target, wait=True)
    db.session.commit()
    sign_in(me.user)
    url = f"/meetings/{meeting.slug}/places/{target.id}/leave"
    shown = {"expected_status": "confirmed", "expected_position": ""}
    question = post_form(url, shown)
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "goes at once to the person first on its waiting list (1 waiting)" in page
    assert 'name="confirmed" value="yes"' in page and 'value="confirmed"' in page
    mine = select(ClusterPlace).where(ClusterPlace.registration_id == me.id)
    assert db.session.scalar(mine).status == PlaceStatus.CONFIRMED
    assert post_form(url, {**shown, "confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(mine) is None
    theirs = select(ClusterPlace).where(ClusterPlace.registration_id == waiter.id)
    assert db.session.scalar(theirs).status == PlaceStatus.CONFIRMED

"""The organiser's programme pages through the test client: forms, permissions, bad input."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import MeetingStatus, Person, RoleName
from app.programme.models import AgendaSession, Cluster, Room, SessionPerson, Track, TrackKind
from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the browser tests)
    browser,
    live_server,
    serious_accessibility_violations,
)
from tests.factories import local


@pytest.fixture
def organiser(make_user):
    return make_user("organiser@example.org", name="Olivia Organiser")


@pytest.fixture
def meeting(make_meeting, organiser):
    return make_meeting("accpcj-2", organiser=organiser, status=MeetingStatus.DRAFT)


@pytest.fixture
def signed_in(meeting, organiser, sign_in):
    db.session.commit()
    return sign_in(organiser)


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def error_next_to(page: str, field_id: str) -> str:
    """The error text shown next to a field (the macro gives it the id <field>-error)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def session_form(track, **overrides) -> dict:
    data = {
        "title": "Opening ceremony",
        "kind": "opening_ceremony",
        "track_id": str(track.id),
        "room_id": "",
        "agenda_item_id": "",
        "cluster_id": "",
        "slot": "",
        "capacity": "",
        "day": "2020-02-27",
        "start_time": "09:00",
        "end_time": "10:00",
        "description": "",
    }
    data.update(overrides)
    return data


BASE = "/meetings/accpcj-2/manage"


def test_organiser_creates_a_session_with_a_speaker_and_it_shows_in_the_list(
    signed_in, meeting, client, post_form
):
    # A track, a room and a person, through their forms.
    response = post_form(f"{BASE}/tracks/new", {"name": "Main", "kind": "main", "position": "0"})
    assert response.status_code == 302
    response = post_form(f"{BASE}/rooms/new", {"name": "Grand Ballroom", "capacity": "400"})
    assert response.status_code == 302
    response = post_form(
        f"{BASE}/people/new",
        {
            "honorific": "General",
            "name": "Prawit Wongsuwan",
            "position": "Deputy Prime Minister",
            "organisation": "Royal Thai Government",
            "country": "Thailand",
            "biography": "",
        },
    )
    assert response.status_code == 302
    track = db.session.scalar(select(Track))
    room = db.session.scalar(select(Room))
    person = db.session.scalar(select(Person))

    form_page = client.get(f"{BASE}/sessions/new").get_data(as_text=True)
    assert "Times in Asia/Bangkok (UTC+07:00)" in form_page
    assert "Thursday, February 27, 2020" in form_page or "27 February 2020" in form_page

    response = post_form(
        f"{BASE}/sessions/new",
        session_form(track, room_id=str(room.id), title="Opening ceremony and keynote"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    session_ = db.session.scalar(select(AgendaSession))
    assert session_.starts_at == datetime(2020, 2, 27, 2, 0, tzinfo=UTC)
    assert response.headers["Location"].endswith(f"/sessions/{session_.id}/edit")

    response = post_form(
        f"{BASE}/sessions/{session_.id}/people",
        {"person_id": str(person.id), "role": "keynote_speaker"},
    )
    assert response.status_code == 302
    assert count(SessionPerson) == 1

    page = client.get(f"{BASE}/sessions").get_data(as_text=True)
    assert "Opening ceremony and keynote" in page
    assert "09:00–10:00" in page
    assert "General Prawit Wongsuwan" in page
    assert "Keynote speaker" in page
    assert "Grand Ballroom" in page
    assert "Times in Asia/Bangkok (UTC+07:00)" in page


def test_edit_page_shows_the_session_in_local_time_with_its_people(
    signed_in, meeting, client, make_session, make_person
):
    from app.programme.models import SpeakerRole

    person = make_person(meeting, "Ana Rapporteur")
    session_ = make_session(
        meeting,
        title="Breakout",
        starts_at=local(meeting, 2, 14, 15),
        ends_at=local(meeting, 2, 15, 45),
        people=[(person, SpeakerRole.RAPPORTEUR)],
    )
    db.session.commit()
    page = client.get(f"{BASE}/sessions/{session_.id}/edit").get_data(as_text=True)
    assert 'value="14:15"' in page and 'value="15:45"' in page
    assert '<option selected value="2020-02-28">' in page
    assert "Ana Rapporteur" in page and "Rapporteur" in page
    assert f'name="version" type="hidden" value="{session_.version}"' in page


def test_organiser_edits_a_session_and_sequence_grows(
    signed_in, meeting, client, post_form, make_session, make_track
):
    track = make_track(meeting)
    session_ = make_session(meeting, track=track, title="Panel")
    db.session.commit()
    response = post_form(
        f"{BASE}/sessions/{session_.id}/edit",
        session_form(
            track,
            title="Panel 1",
            kind="plenary_panel",
            version=str(session_.version),
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert session_.title == "Panel 1"
    assert session_.sequence == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:30"}, "end_time", "must end after it starts"),
        ({"end_time": "09:00"}, "end_time", "must end after it starts"),
        ({"day": "2020-03-05"}, "day", "Choose a day of the meeting"),
        ({"day": "not-a-day"}, "day", ""),
        ({"capacity": "-1"}, "capacity", "below zero"),
        ({"capacity": "99999999999999999999"}, "capacity", "At most"),
        ({"slot": "99999999999999999999"}, "slot", ""),
        ({"agenda_item_id": "99999999999999999999"}, "agenda_item_id", ""),
        ({"title": "x" * 301}, "title", "300"),
        ({"title": ""}, "title", ""),
        ({"start_time": "25:99"}, "start_time", ""),
        ({"track_id": "abc"}, "track_id", ""),
        ({"room_id": "999999"}, "room_id", ""),
        ({"kind": "banquet"}, "kind", ""),
        ({"slot": "0"}, "slot", "numbered from 1"),
    ],
)
def test_bad_session_input_is_shown_next_to_the_field_and_nothing_is_saved(
    signed_in, meeting, post_form, make_track, overrides, field, message
):
    track = make_track(meeting)
    db.session.commit()
    response = post_form(f"{BASE}/sessions/new", session_form(track, **overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in error_next_to(page, field)
    assert "Nothing was saved" in page
    assert count(AgendaSession) == 0


def test_a_track_or_room_of_another_meeting_is_refused(
    signed_in, meeting, post_form, make_meeting, make_track, make_room
):
    track = make_track(meeting)
    other = make_meeting()
    foreign_track = make_track(other)
    foreign_room = make_room(other)
    db.session.commit()
    response = post_form(f"{BASE}/sessions/new", session_form(track, track_id=foreign_track.id))
    assert response.status_code == 200
    error_next_to(response.get_data(as_text=True), "track_id")
    response = post_form(f"{BASE}/sessions/new", session_form(track, room_id=foreign_room.id))
    assert response.status_code == 200
    error_next_to(response.get_data(as_text=True), "room_id")
    assert count(AgendaSession) == 0


def test_bad_edit_changes_nothing(signed_in, meeting, post_form, make_session, make_track):
    track = make_track(meeting)
    session_ = make_session(meeting, track=track, title="Kept")
    db.session.commit()
    response = post_form(
        f"{BASE}/sessions/{session_.id}/edit",
        session_form(track, title="Changed", end_time="08:00", version=str(session_.version)),
    )
    assert response.status_code == 200
    error_next_to(response.get_data(as_text=True), "end_time")
    db.session.expire_all()
    assert session_.title == "Kept" and session_.sequence == 0


def test_a_session_outside_the_meeting_keeps_its_day_on_the_form(
    signed_in, meeting, client, post_form, make_session, make_track
):
    track = make_track(meeting)
    session_ = make_session(meeting, track=track, starts_at=local(meeting, 4, 9))  # 1 March
    db.session.commit()
    page = client.get(f"{BASE}/sessions/{session_.id}/edit").get_data(as_text=True)
    assert '<option selected value="2020-03-01">' in page
    assert "outside the meeting&#39;s days" in page
    response = post_form(
        f"{BASE}/sessions/{session_.id}/edit",
        session_form(track, day="2020-03-01", version=str(session_.version)),
    )
    assert "Choose a day of the meeting" in error_next_to(response.get_data(as_text=True), "day")
    db.session.expire_all()
    assert session_.starts_at == local(meeting, 4, 9)


def test_a_stale_session_form_gets_409(signed_in, meeting, post_form, make_session, make_track):
    track = make_track(meeting)
    session_ = make_session(meeting, track=track, title="Original")
    db.session.commit()
    stale = session_.version
    session_.title = "Changed by a colleague"
    db.session.commit()

    response = post_form(
        f"{BASE}/sessions/{session_.id}/edit",
        session_form(track, title="Mine", version=str(stale)),
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert session_.title == "Changed by a colleague"


def test_missing_csrf_token_is_refused(signed_in, meeting, client, make_track):
    track = make_track(meeting)
    db.session.commit()
    response = client.post(f"{BASE}/sessions/new", data=session_form(track))
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert count(AgendaSession) == 0
    response = client.post(f"{BASE}/publish", data={"override": "y"})
    assert response.status_code == 400


def test_cancel_keeps_the_session_and_restore_brings_it_back(
    signed_in, meeting, client, post_form, make_session
):
    session_ = make_session(meeting, title="Field visit")
    db.session.commit()
    response = post_form(f"{BASE}/sessions/{session_.id}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert session_.is_cancelled and count(AgendaSession) == 1
    page = client.get(f"{BASE}/sessions").get_data(as_text=True)
    assert "Field visit" in page and "badge--cancelled" in page
    response = post_form(f"{BASE}/sessions/{session_.id}/restore", {"next": "list"})
    assert response.headers["Location"].endswith(f"{BASE}/sessions")
    db.session.expire_all()
    assert not session_.is_cancelled


def test_the_same_person_twice_in_the_same_role_is_a_form_error(
    signed_in, meeting, post_form, make_session, make_person
):
    person = make_person(meeting, "Dr. Someone")
    session_ = make_session(meeting)
    db.session.commit()
    url = f"{BASE}/sessions/{session_.id}/people"
    assert post_form(url, {"person_id": person.id, "role": "chair"}).status_code == 302
    response = post_form(url, {"person_id": person.id, "role": "chair"})
    assert response.status_code == 200
    assert "already" in error_next_to(response.get_data(as_text=True), "person_id")
    assert count(SessionPerson) == 1
    # A person of another meeting is not a choice here.
    response = post_form(url, {"person_id": "999999", "role": "chair"})
    assert response.status_code == 200
    assert count(SessionPerson) == 1

    entry = db.session.scalar(select(SessionPerson))
    response = post_form(f"{BASE}/sessions/{session_.id}/people/{entry.id}/remove")
    assert response.status_code == 302
    assert count(SessionPerson) == 0


def test_a_new_person_can_be_added_from_the_session_page(
    signed_in, meeting, post_form, make_session
):
    session_ = make_session(meeting)
    db.session.commit()
    response = post_form(
        f"{BASE}/sessions/{session_.id}/people/new",
        {"new-honorific": "Dr.", "new-name": "Phiset Sa-ardyen", "new-role": "moderator"},
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(SessionPerson))
    assert entry.person.display_name == "Dr. Phiset Sa-ardyen"
    assert entry.session_id == session_.id


def test_tracks_and_rooms_refuse_duplicates_and_negative_capacity(
    signed_in, meeting, post_form, make_track, make_session
):
    track = make_track(meeting, "Main")
    make_session(meeting, track=track)
    db.session.commit()
    response = post_form(f"{BASE}/tracks/new", {"name": "Main", "kind": "main"})
    assert response.status_code == 200
    assert "already" in error_next_to(response.get_data(as_text=True), "name")

    response = post_form(f"{BASE}/rooms/new", {"name": "Annex", "capacity": "-1"})
    assert response.status_code == 200
    assert "below zero" in error_next_to(response.get_data(as_text=True), "capacity")
    assert count(Room) == 0
    assert post_form(f"{BASE}/rooms/new", {"name": "Annex", "capacity": ""}).status_code == 302

    # A track with sessions is kept, with a message.
    response = post_form(f"{BASE}/tracks/{track.id}/delete", follow_redirects=True)
    assert "holds 1 sessions" in response.get_data(as_text=True)
    assert count(Track) == 1

    response = post_form(
        f"{BASE}/tracks/{track.id}/edit",
        {"name": "Main programme", "kind": TrackKind.YOUTH_FORUM.value, "position": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert track.name == "Main programme" and track.kind == TrackKind.YOUTH_FORUM


def test_clusters_with_topics_and_their_breakout_sessions(
    signed_in, meeting, client, post_form, make_person, make_track, make_room
):
    moderator = make_person(meeting, "Moderator One")
    track = make_track(meeting)
    room = make_room(meeting, "Room 3", capacity=20)
    db.session.commit()
    response = post_form(
        f"{BASE}/clusters/new",
        {
            "number": "1",
            "title": "Culture of Prevention",
            "topics": "Education\r\nYouth engagement\r\n",
            "discussion_guide": "",
            "capacity": "40",
            "moderator_id": str(moderator.id),
            "rapporteur_id": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    cluster = db.session.scalar(select(Cluster))
    assert [t.title for t in cluster.topics] == ["Education", "Youth engagement"]

    response = post_form(
        f"{BASE}/sessions/new",
        session_form(
            track,
            title="Breakout session 1",
            kind="breakout",
            cluster_id=str(cluster.id),
            slot="1",
            room_id=str(room.id),
            start_time="14:00",
            end_time="15:30",
        ),
    )
    assert response.status_code == 302
    page = client.get(f"{BASE}/clusters").get_data(as_text=True)
    assert "Cluster I: Culture of Prevention" in page
    assert "Breakout session 1" in page and "Room 3" in page
    assert "Moderator One" in page
    assert "holds 20" in page  # the cluster is larger than its room

    response = post_form(
        f"{BASE}/clusters/new",
        {"number": "1", "title": "Again", "topics": "", "capacity": "-5"},
    )
    page = response.get_data(as_text=True)
    assert "below zero" in error_next_to(page, "capacity")
    assert count(Cluster) == 1

    edit = client.get(f"{BASE}/clusters/{cluster.id}/edit").get_data(as_text=True)
    assert "Education\nYouth engagement" in edit


def test_conflicts_page_lists_conflicts_with_links_and_beside_sessions(
    signed_in, meeting, client, make_room, make_session
):
    room = make_room(meeting, "Plenary Hall")
    a = make_session(meeting, room=room, title="Panel A")
    b = make_session(meeting, room=room, title="Panel B")
    db.session.commit()
    page = client.get(f"{BASE}/conflicts").get_data(as_text=True)
    assert "Plenary Hall is booked twice" in page
    assert f"/sessions/{a.id}/edit" in page and f"/sessions/{b.id}/edit" in page
    assert "Publish despite 1 double-booking" in page
    assert "Plenary Hall is booked twice" in client.get(f"{BASE}/sessions").get_data(as_text=True)
    edit = client.get(f"{BASE}/sessions/{a.id}/edit").get_data(as_text=True)
    assert "Plenary Hall is booked twice" in edit


def test_publishing_needs_the_override_when_double_booked(
    signed_in, meeting, client, post_form, make_room, make_session
):
    room = make_room(meeting, "Plenary Hall")
    make_session(meeting, room=room)
    make_session(meeting, room=room)
    db.session.commit()

    response = post_form(f"{BASE}/publish")
    assert response.headers["Location"].endswith(f"{BASE}/conflicts")
    response = client.get(response.headers["Location"])
    assert "1 double-booking" in response.get_data(as_text=True)
    assert "Publish despite 1 double-booking" in response.get_data(as_text=True)
    assert "Plenary Hall is booked twice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert meeting.status == MeetingStatus.DRAFT

    response = post_form(f"{BASE}/publish", {"override": "y"})
    assert response.headers["Location"].endswith(f"{BASE}/")  # the dashboard
    db.session.expire_all()
    assert meeting.status == MeetingStatus.PUBLISHED

    response = post_form(f"{BASE}/unpublish?from=conflicts")
    assert response.headers["Location"].endswith(f"{BASE}/conflicts")
    db.session.expire_all()
    assert meeting.status == MeetingStatus.DRAFT


def test_publishing_a_clean_programme(signed_in, meeting, post_form, make_session):
    make_session(meeting)
    db.session.commit()
    response = post_form(f"{BASE}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    assert meeting.status == MeetingStatus.PUBLISHED


MANAGE_GETS = [
    "/tracks",
    "/tracks/new",
    "/tracks/{track}/edit",
    "/rooms",
    "/rooms/new",
    "/rooms/{room}/edit",
    "/people",
    "/people/new",
    "/people/{person}/edit",
    "/sessions",
    "/sessions/new",
    "/sessions/{session}/edit",
    "/clusters",
    "/clusters/new",
    "/clusters/{cluster}/edit",
    "/conflicts",
]
MANAGE_POSTS = [
    "/tracks/new",
    "/tracks/{track}/edit",
    "/tracks/{track}/delete",
    "/rooms/new",
    "/rooms/{room}/edit",
    "/rooms/{room}/delete",
    "/people/new",
    "/people/{person}/edit",
    "/sessions/new",
    "/sessions/{session}/edit",
    "/sessions/{session}/cancel",
    "/sessions/{session}/restore",
    "/sessions/{session}/people",
    "/sessions/{session}/people/new",
    "/sessions/{session}/people/{entry}/remove",
    "/clusters/new",
    "/clusters/{cluster}/edit",
    "/publish",
    "/unpublish",
]


@pytest.fixture
def records(meeting, make_track, make_room, make_person, make_session, make_cluster):
    from app.programme.models import SpeakerRole

    track = make_track(meeting)
    room = make_room(meeting)
    person = make_person(meeting)
    session_ = make_session(meeting, track=track, room=room, people=[(person, SpeakerRole.CHAIR)])
    ids = {
        "track": track.id,
        "room": room.id,
        "person": person.id,
        "session": session_.id,
        "entry": session_.people[0].id,
        "cluster": make_cluster(meeting).id,
    }
    db.session.commit()
    return ids


def test_organiser_can_open_every_manage_page(signed_in, records, client):
    for path in MANAGE_GETS:
        response = client.get(BASE + path.format(**records))
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert page.count("<h1") == 1, path


@pytest.mark.parametrize("role", [RoleName.PARTICIPANT, RoleName.RAPPORTEUR, None])
def test_participants_and_strangers_get_403_everywhere(
    meeting, records, client, make_user, grant_role, sign_in, post_form, role
):
    user = make_user()
    if role is not None:
        grant_role(meeting, user, role)
    meeting.status = MeetingStatus.PUBLISHED  # a stranger may see it, not change it
    db.session.commit()
    sign_in(user)
    for path in MANAGE_GETS:
        assert client.get(BASE + path.format(**records)).status_code == 403, path
    for path in MANAGE_POSTS:
        response = post_form(BASE + path.format(**records), {"name": "X", "override": "y"})
        assert response.status_code == 403, path
    db.session.expire_all()
    assert meeting.status == MeetingStatus.PUBLISHED
    assert count(AgendaSession) == 1 and count(SessionPerson) == 1


def test_anonymous_visitors_are_sent_to_sign_in(meeting, records, client):
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    for path in MANAGE_GETS:
        response = client.get(BASE + path.format(**records))
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"], path


def test_anonymous_visitors_of_a_draft_get_404(meeting, records, client):
    assert client.get(f"{BASE}/sessions").status_code == 404


def test_another_meetings_session_is_not_found_here(
    signed_in, meeting, client, make_meeting, make_session
):
    other_session = make_session(make_meeting())
    db.session.commit()
    assert client.get(f"{BASE}/sessions/{other_session.id}/edit").status_code == 404
    assert client.get(f"{BASE}/sessions/99999999999999999999/edit").status_code == 404
    assert client.get(f"{BASE}/tracks/99999999999999999999/edit").status_code == 404


def test_person_text_over_its_length_is_refused(signed_in, meeting, post_form):
    response = post_form(f"{BASE}/people/new", {"name": "N" * 201, "honorific": "H" * 61})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "200" in error_next_to(page, "name")
    assert "60" in error_next_to(page, "honorific")
    assert count(Person) == 0


@pytest.fixture
def tab(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    new_tab = context.new_page()
    new_tab.set_default_timeout(15_000)
    yield new_tab
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_organiser_pages_have_no_serious_accessibility_violation(
    tab,
    live_server,  # noqa: F811
    meeting,
    records,
    make_room,
    make_session,
    make_agenda_item,
    width,
):
    from tests.factories import PASSWORD

    # Conflicts, an agenda item and a cancelled session, so every part of the pages shows.
    room = db.session.get(Room, records["room"])
    make_session(meeting, room=room, title="Clashing panel")
    make_session(meeting, title="Cancelled visit", is_cancelled=True)
    make_agenda_item(meeting, 5, "Crime prevention")
    db.session.commit()

    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{live_server}/account/sign-in")
    tab.get_by_label("Email").fill("organiser@example.org")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()

    for path in MANAGE_GETS:
        tab.goto(live_server + BASE + path.format(**records))
        assert tab.locator("h1").count() == 1, path
        assert serious_accessibility_violations(tab) == [], path
        # Nothing runs off the side of a phone's screen.
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, path
    # The session form with errors shown next to the fields.
    tab.goto(f"{live_server}{BASE}/sessions/new")
    tab.get_by_label("Title").fill("Backwards")
    tab.get_by_label("Starts at").fill("10:00")
    tab.get_by_label("Ends at").fill("09:00")
    tab.get_by_role("button", name="Save session").click()
    tab.wait_for_load_state()
    assert tab.locator("#end_time-error").is_visible()
    assert serious_accessibility_violations(tab) == []

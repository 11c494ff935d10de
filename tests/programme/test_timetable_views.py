"""The timetable editor over HTTP: who may move, what a bad move answers, and the 409 of a
stale version. Every refusal changes nothing."""

import pytest

from app.extensions import db
from app.meetings.models import RoleName
from app.programme.models import AgendaSession, ProgrammeChange, SpeakerRole
from tests import factories


@pytest.fixture
def planned(client, sign_in):
    organiser = factories.make_user()
    meeting = factories.make_meeting(organiser=organiser)
    track = factories.make_track(meeting, "Main")
    hall, annex = factories.make_room(meeting, "Hall"), factories.make_room(meeting, "Annex")
    speaker = factories.make_person(meeting, "Kittipong")
    factories.make_session(
        meeting, title="Keynote", track=track, room=hall,
        starts_at=factories.local(meeting, 1, 9),
        people=[(speaker, SpeakerRole.KEYNOTE_SPEAKER)],
    )  # fmt: skip
    panel = factories.make_session(
        meeting, title="Panel", track=track, room=annex,
        starts_at=factories.local(meeting, 1, 11),
        people=[(speaker, SpeakerRole.PANELLIST)],
    )  # fmt: skip
    db.session.commit()
    sign_in(organiser)
    return meeting, organiser, panel, hall, annex


def move(client, csrf_token, meeting, session_, **values):
    body = {
        "version": session_.version,
        "day": "2020-02-27",
        "start_time": "13:00",
        "end_time": "14:00",
        "room_id": "",
        "track_id": session_.track_id,
        **values,
    }
    return client.post(
        f"/meetings/{meeting.slug}/manage/timetable/sessions/{session_.id}/move",
        json=body,
        headers={"X-CSRFToken": csrf_token(), "Accept": "application/json"},
    )


def unchanged(panel) -> bool:
    db.session.expire_all()
    stored = db.session.get(AgendaSession, panel.id)
    return stored.version == 1 and db.session.query(ProgrammeChange).count() == 0


def test_the_editor_shows_the_day_as_a_grid(client, planned):
    meeting, _organiser, panel, hall, annex = planned
    page = client.get(f"/meetings/{meeting.slug}/manage/timetable").get_data(as_text=True)
    assert f'id="card-{panel.id}"' in page and f'id="col-{hall.id}"' in page
    assert 'style="' not in page  # positions go in the nonce style block (CSP)
    assert "interact.min.js" in page
    tracks = client.get(f"/meetings/{meeting.slug}/manage/timetable?by=track&day=nonsense")
    assert tracks.status_code == 200


def test_a_move_saves_and_answers_its_new_version(client, csrf_token, planned):
    meeting, _organiser, panel, hall, _annex = planned
    answer = move(client, csrf_token, meeting, panel, room_id=hall.id)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.json == {"ok": True, "id": panel.id, "version": 2, "title": "Panel"}
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).room_id == hall.id


def test_a_stale_version_is_a_conflict_not_an_overwrite(client, csrf_token, planned):
    meeting, _organiser, panel, hall, annex = planned
    assert move(client, csrf_token, meeting, panel, room_id=hall.id).status_code == 200
    # A second organiser's page still shows version 1.
    stale = move(client, csrf_token, meeting, panel, version=1, room_id=annex.id,
                 start_time="15:00", end_time="16:00")  # fmt: skip
    assert stale.status_code == 409
    assert "Someone else changed this session" in stale.json["message"]
    db.session.expire_all()
    stored = db.session.get(AgendaSession, panel.id)
    assert stored.room_id == hall.id and stored.version == 2


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"day": "2020-03-04"}, "day", "Choose a day of the meeting"),
        ({"start_time": "14:00", "end_time": "13:00"}, "end_time", "must end after it starts"),
    ],
)
def test_bad_moves_get_a_clear_message(client, csrf_token, planned, values, field, words):
    meeting, _organiser, panel, _hall, _annex = planned
    answer = move(client, csrf_token, meeting, panel, **values)
    assert answer.status_code == 422 and answer.json["field"] == field
    assert words in answer.json["message"]
    assert unchanged(panel)


def test_a_room_of_another_meeting_is_refused(client, csrf_token, planned):
    meeting, _organiser, panel, _hall, _annex = planned
    elsewhere = factories.make_room(factories.make_meeting(), "Elsewhere")
    answer = move(client, csrf_token, meeting, panel, room_id=elsewhere.id)
    assert answer.status_code == 422 and "this meeting's rooms" in answer.json["message"]
    assert unchanged(panel)


@pytest.mark.parametrize(
    "values", [{"version": "x"}, {"start_time": "25:99"}, {"room_id": "-3"}, {"day": "\x00"}]
)
def test_garbage_is_a_400_never_a_500(client, csrf_token, planned, values):
    meeting, _organiser, panel, _hall, _annex = planned
    assert move(client, csrf_token, meeting, panel, **values).status_code in (400, 422)
    assert unchanged(panel)


def test_a_participant_cannot_move_anything(client, csrf_token, sign_in, planned):
    meeting, _organiser, panel, hall, _annex = planned
    participant = factories.make_user()
    factories.grant_role(meeting, participant, RoleName.PARTICIPANT)
    db.session.commit()
    sign_in(participant)
    assert move(client, csrf_token, meeting, panel, room_id=hall.id).status_code == 403
    assert client.get(f"/meetings/{meeting.slug}/manage/timetable").status_code == 403
    assert unchanged(panel)


def test_the_preview_reads_only(client, planned):
    meeting, _organiser, panel, hall, _annex = planned
    url = f"/meetings/{meeting.slug}/manage/timetable/sessions/{panel.id}/preview"
    answer = client.get(
        url, query_string={"day": "2020-02-27", "start_time": "09:00", "end_time": "10:00",
                           "room_id": hall.id, "track_id": panel.track_id},
    )  # fmt: skip
    assert answer.status_code == 200
    assert {c["kind"] for c in answer.json["conflicts"]} == {
        "person_double_booked",
        "room_double_booked",
    }
    assert unchanged(panel)
    assert client.get(url).status_code == 400


def test_a_plain_form_post_moves_and_comes_back(client, post_form, planned):
    meeting, _organiser, panel, hall, _annex = planned
    answer = post_form(
        f"/meetings/{meeting.slug}/manage/timetable/sessions/{panel.id}/move",
        {"version": 1, "day": "2020-02-27", "start_time": "13:00", "end_time": "14:00",
         "room_id": hall.id, "track_id": panel.track_id},
        follow_redirects=True,
    )  # fmt: skip
    assert "“Panel” moved." in answer.get_data(as_text=True)


def test_undo_and_the_change_log(client, csrf_token, post_form, planned):
    meeting, organiser, panel, hall, annex = planned
    move(client, csrf_token, meeting, panel, room_id=hall.id)
    log = client.get(f"/meetings/{meeting.slug}/manage/changes").get_data(as_text=True)
    assert "Panel" in log and organiser.name in log and "Annex" in log and "Hall" in log
    answer = post_form(f"/meetings/{meeting.slug}/manage/timetable/undo", follow_redirects=True)
    assert "Undone: Panel." in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).room_id == annex.id
    again = post_form(f"/meetings/{meeting.slug}/manage/timetable/undo", follow_redirects=True)
    assert "no change in this programme left to undo" in again.get_data(as_text=True)

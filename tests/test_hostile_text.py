"""Line breaks and control characters in names and titles: every feed and PDF stays valid.

Forms take them out of single-line fields on the way in; the calendar builder takes them out
on the way out, so data that reached the database another way (an import, an old row) prints.
"""

import pytest
from sqlalchemy import select

from app.exports.pdf import render_meeting_report_pdf
from app.extensions import db
from app.meetings.models import MeetingStatus, Person
from app.outputs import report as report_rules
from app.outputs import summary as summary_rules
from app.programme.models import SpeakerRole, Track, TrackKind
from app.registration.registrations import regenerate_feed_token
from tests import factories
from tests.exports.helpers import parse

HOSTILE = "A\r\nB\x0bC\x0cD\x1bE\x07F\u2028G\x85H"


@pytest.fixture
def hostile_meeting(make_registration):
    meeting = factories.make_meeting(
        status=MeetingStatus.PUBLISHED,
        title=f"Meeting {HOSTILE}",
        short_title=f"M {HOSTILE}",
        venue=f"Venue {HOSTILE}",
    )
    track = factories.make_track(meeting, f"Track {HOSTILE}", TrackKind.MAIN)
    room = factories.make_room(meeting, f"Room {HOSTILE}", 50)
    person = factories.make_person(meeting, f"Person {HOSTILE}")
    session_ = factories.make_session(
        meeting,
        track=track,
        room=room,
        title=f"Session {HOSTILE}",
        people=[(person, SpeakerRole.CHAIR)],
    )
    session_.description = f"Line one\n{HOSTILE}\nLine three"
    registration = make_registration(meeting)
    token = regenerate_feed_token(registration)
    db.session.commit()
    return meeting, track, session_, person, token


def test_every_feed_is_valid_with_line_breaks_and_controls_in_names(client, hostile_meeting):
    meeting, track, session_, person, token = hostile_meeting
    base = f"/meetings/{meeting.slug}"
    for url in (
        f"{base}/programme.ics",
        f"{base}/tracks/{track.id}.ics",
        f"{base}/sessions/{session_.id}.ics",
        f"{base}/speakers/{person.id}.ics",
        f"{base}/agenda/{token}.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _loose, strict = parse(response.data)
        assert strict.events, url
        summary = strict.events[0].summary
        assert "\x1b" not in summary and "\x0b" not in summary
        # Line breaks stay the one kind iCalendar has (escaped); other controls are gone.
        assert summary.startswith("Session A\nB\nC\nD")
    json_response = client.get(f"{base}/programme.json")
    assert json_response.status_code == 200
    assert json_response.get_json()["days"]


def test_the_report_pdf_is_valid_with_controls_in_every_text(hostile_meeting):
    meeting = hostile_meeting[0]
    chairs = summary_rules.summary_of(meeting)
    chairs.introduction = f"Opening {HOSTILE}\x00\x01 end."
    # Never flushed: PostgreSQL refuses NUL in text, and the renderer is what is tested here.
    with db.session.no_autoflush:
        content = report_rules.report_content(meeting)
    pdf = render_meeting_report_pdf(content)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def test_forms_keep_names_on_one_line(client, make_user, sign_in, post_form):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    post_form(
        f"/meetings/{meeting.slug}/manage/tracks/new",
        {"name": "Youth\r\nforum\x1b\x07", "kind": "youth_forum", "position": "1"},
    )
    post_form(
        f"/meetings/{meeting.slug}/manage/people/new",
        {"name": "Nguyễn\nThị\tHương", "biography": "Line one\r\nLine two\x1b"},
    )
    assert db.session.scalar(select(Track.name)) == "Youth forum"
    person = db.session.scalar(select(Person))
    assert person.name == "Nguyễn Thị Hương"
    assert person.biography == "Line one\nLine two"

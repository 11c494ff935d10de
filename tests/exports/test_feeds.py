"""The public calendar feeds: programme, track, session and speaker, over HTTP."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.meetings.models import MeetingStatus
from app.programme.models import AgendaSession
from app.programme.sessions import SessionInput, update_session
from app.timezones import to_local
from tests.exports.conftest import KHMER, THAI, VIETNAMESE
from tests.exports.helpers import events_by_summary, parse

BANGKOK = ZoneInfo("Asia/Bangkok")


def test_programme_feed_holds_every_session_at_its_time_in_the_meeting_zone(client, conference):
    response = client.get("/meetings/accpcj-2/programme.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="accpcj-2-programme.ics"'
    )
    loose, strict = parse(response.data)

    events = events_by_summary(loose)
    assert len(events) == 8
    opening = events["Opening ceremony"]
    start, end = opening.decoded("DTSTART"), opening.decoded("DTEND")
    assert start == datetime(2020, 2, 27, 9, tzinfo=BANGKOK)
    assert end == datetime(2020, 2, 27, 10, tzinfo=BANGKOK)
    assert opening["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert str(opening["LOCATION"]) == "Grand Ballroom, Centara Grand at CentralWorld, Bangkok"
    assert (
        str(opening["URL"])
        == f"http://localhost/meetings/accpcj-2/sessions/{conference['opening'].id}"
    )
    assert opening["CATEGORIES"].cats == ["Opening ceremony", "Main conference"]
    assert "Dr. Kittipong Kittayarak, Executive Director, Thailand Institute of Justice" in str(
        opening["DESCRIPTION"]
    )
    assert "Keynote speaker" in str(opening["DESCRIPTION"])
    assert str(loose["X-WR-CALNAME"]) == str(loose["NAME"]) == "2nd ACCPCJ: programme"

    # The strict parser reads the same instant, in the same zone.
    by_uid = {e.uid: e for e in strict.events}
    strict_opening = by_uid[str(opening["UID"])]
    assert strict_opening.dtstart == datetime(2020, 2, 27, 9, tzinfo=BANGKOK)
    assert str(strict_opening.dtstart.tzinfo) == "Asia/Bangkok"
    assert [tz.tz_id for tz in strict.timezones] == ["Asia/Bangkok"]


def test_people_in_thai_vietnamese_and_khmer_are_described_and_folded(client, conference):
    body = client.get("/meetings/accpcj-2/programme.ics").data
    loose, _strict = parse(body)  # the 75-octet rule is checked on these bytes
    panel = events_by_summary(loose)[conference["panel"].title]
    description = str(panel["DESCRIPTION"])
    for name in (THAI, VIETNAMESE, KHMER):
        assert name in str(panel["SUMMARY"])
        assert name in description
    assert "Bộ Tư pháp Việt Nam" in description
    assert "Panellist" in description and "Moderator" in description
    # Those names are long enough that the lines had to be folded.
    assert b"\r\n " in body


def test_two_exports_are_byte_identical_with_equal_etags_and_stable_uids(client, conference):
    first = client.get("/meetings/accpcj-2/programme.ics")
    second = client.get("/meetings/accpcj-2/programme.ics")
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    uid = f"plenary-session-{conference['opening'].id}-accpcj-2@localhost"
    assert f"UID:{uid}".encode() in first.data
    # The same session has the same UID in its own feed.
    single = client.get(f"/meetings/accpcj-2/sessions/{conference['opening'].id}.ics")
    assert f"UID:{uid}".encode() in single.data


def test_uid_domain_comes_from_the_settings(app, client, conference):
    app.config["PLENARY_UID_DOMAIN"] = "plenary.example.org"
    try:
        body = client.get("/meetings/accpcj-2/programme.ics").data
    finally:
        del app.config["PLENARY_UID_DOMAIN"]
    loose, _ = parse(body)
    uids = [str(e["UID"]) for e in loose.walk("VEVENT")]
    assert all(uid.endswith("-accpcj-2@plenary.example.org") for uid in uids)
    assert len(set(uids)) == len(uids)


def test_uids_differ_between_meetings(client, conference, make_meeting, make_session):
    other = make_meeting("cgm-phuket")
    make_session(other, title="Opening ceremony")
    a, _ = parse(client.get("/meetings/accpcj-2/programme.ics").data)
    b, _ = parse(client.get("/meetings/cgm-phuket/programme.ics").data)
    assert not {str(e["UID"]) for e in a.walk("VEVENT")} & {str(e["UID"]) for e in b.walk("VEVENT")}


def test_dtstamp_is_the_last_change_not_the_time_of_export(client, conference):
    opening = conference["opening"]
    loose, _ = parse(client.get("/meetings/accpcj-2/programme.ics").data)
    event = events_by_summary(loose)["Opening ceremony"]
    assert event.decoded("DTSTAMP") == opening.updated_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == opening.updated_at.replace(microsecond=0)


def _edit(session_, **changes):
    """Change a session through the programme service, as the organiser's form does."""
    # Forget what the requests loaded (with their raise-on-lazy-load options) and read afresh.
    session_id = session_.id
    db.session.expunge_all()
    session_ = db.session.get(AgendaSession, session_id)
    zone = session_.meeting.timezone
    start, end = to_local(session_.starts_at, zone), to_local(session_.ends_at, zone)
    fields = dict(
        title=session_.title,
        kind=session_.kind,
        track_id=session_.track_id,
        day=start.date(),
        start_time=start.time(),
        end_time=end.time(),
        room_id=session_.room_id,
        agenda_item_id=session_.agenda_item_id,
        cluster_id=session_.cluster_id,
        slot=session_.slot,
        capacity=session_.capacity,
        description=session_.description,
    )
    fields.update(changes)
    return update_session(session_, SessionInput(**fields))


def test_sequence_grows_when_an_edit_changes_title_or_time(client, conference):
    opening = conference["opening"]
    before = client.get("/meetings/accpcj-2/programme.ics")
    loose, _ = parse(before.data)
    assert int(events_by_summary(loose)["Opening ceremony"]["SEQUENCE"]) == 0

    _edit(opening, title="Opening ceremony and welcome")
    db.session.commit()
    after = client.get("/meetings/accpcj-2/programme.ics")
    loose, strict = parse(after.data)
    event = events_by_summary(loose)["Opening ceremony and welcome"]
    assert int(event["SEQUENCE"]) == 1
    assert {e.sequence for e in strict.events if e.summary.startswith("Opening")} == {1}
    assert after.headers["ETag"] != before.headers["ETag"]


def test_cancelled_sessions_stay_with_status_cancelled(client, conference):
    loose, strict = parse(client.get("/meetings/accpcj-2/programme.ics").data)
    events = events_by_summary(loose)
    assert str(events["Panel on digital forensics"]["STATUS"]) == "CANCELLED"
    assert str(events["Opening ceremony"]["STATUS"]) == "CONFIRMED"
    cancelled = [e for e in strict.events if e.summary == "Panel on digital forensics"]
    assert cancelled[0].status == "CANCELLED"


HOSTILE = "a,b;c\nBEGIN:VEVENT\r\nUID:evil\nEND:VCALENDAR"


def test_a_hostile_title_adds_no_property_and_no_event(
    client, conference, make_session, make_track, make_room
):
    meeting = conference["meeting"]
    make_session(
        meeting,
        track=make_track(meeting, "Side, events;\nBEGIN:VEVENT"),
        room=make_room(meeting, "Room;\nLOCATION:evil"),
        title=HOSTILE[:300],
        description="x;y,z\nATTENDEE:mailto:evil@example.org\n\\",
    )
    body = client.get("/meetings/accpcj-2/programme.ics").data
    loose, strict = parse(body)
    assert len(loose.walk("VEVENT")) == 9
    assert len(strict.events) == 9
    lines = re.sub(rb"\r\n[ \t]", b"", body).split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == 9
    assert lines.count(b"END:VCALENDAR") == 1
    assert b"\r\nUID:evil" not in body and b"\r\nATTENDEE" not in body
    assert b"\r\nLOCATION:evil" not in body
    # The title comes back whole; its CRLF as a plain line break, the one iCalendar has.
    expected = HOSTILE.replace("\r\n", "\n")
    hostile = [e for e in loose.walk("VEVENT") if str(e["SUMMARY"]) == expected]
    assert len(hostile) == 1
    assert "ATTENDEE:mailto:evil@example.org" in str(hostile[0]["DESCRIPTION"])
    assert [e.summary for e in strict.events if e.summary.startswith("a,b;c")] == [expected]


def test_track_feed_holds_only_the_track(client, conference):
    youth = conference["youth"]
    response = client.get(f"/meetings/accpcj-2/tracks/{youth.id}.ics")
    loose, _ = parse(response.data)
    assert set(events_by_summary(loose)) == {
        "Design Thinking workshop",
        "Youth forum presentations",
    }
    assert str(loose["X-WR-CALNAME"]) == "2nd ACCPCJ: 2nd TIJ Youth Forum"


def test_speaker_feed_holds_the_speakers_sessions(client, conference):
    person = conference["kittipong"]
    loose, _ = parse(client.get(f"/meetings/accpcj-2/speakers/{person.id}.ics").data)
    assert set(events_by_summary(loose)) == {"Opening ceremony", conference["panel"].title}


def test_session_feed_holds_one_event(client, conference):
    loose, strict = parse(
        client.get(f"/meetings/accpcj-2/sessions/{conference['cancelled'].id}.ics").data
    )
    assert [str(e["SUMMARY"]) for e in loose.walk("VEVENT")] == ["Panel on digital forensics"]
    assert strict.events[0].status == "CANCELLED"


def test_an_empty_programme_is_a_valid_calendar(client, make_meeting):
    make_meeting("empty-meeting")
    loose, strict = parse(client.get("/meetings/empty-meeting/programme.ics").data)
    assert loose.walk("VEVENT") == [] and strict.events == []


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/nowhere/programme.ics",
        "/meetings/accpcj-2/sessions/999999.ics",
        "/meetings/accpcj-2/sessions/99999999999.ics",
        "/meetings/accpcj-2/tracks/999999.ics",
        "/meetings/accpcj-2/speakers/999999.ics",
        "/meetings/nowhere/programme.json",
    ],
)
def test_unknown_records_are_not_found(client, conference, path):
    assert client.get(path).status_code == 404


def test_feeds_of_other_meetings_records_are_not_found(client, conference, make_meeting):
    make_meeting("other-meeting")
    session_id = conference["opening"].id
    assert client.get(f"/meetings/other-meeting/sessions/{session_id}.ics").status_code == 404
    track_id = conference["youth"].id
    assert client.get(f"/meetings/other-meeting/tracks/{track_id}.ics").status_code == 404


def test_a_participant_is_not_a_speaker(client, conference, make_person):
    participant = make_person(conference["meeting"], "A participant")
    assert client.get(f"/meetings/accpcj-2/speakers/{participant.id}.ics").status_code == 404


def _draft_urls(conference) -> list[str]:
    return [
        "/meetings/accpcj-2/programme.ics",
        "/meetings/accpcj-2/programme.json",
        f"/meetings/accpcj-2/tracks/{conference['youth'].id}.ics",
        f"/meetings/accpcj-2/sessions/{conference['opening'].id}.ics",
        f"/meetings/accpcj-2/speakers/{conference['kittipong'].id}.ics",
    ]


def test_an_unpublished_meeting_exports_nothing_but_to_its_organisers(
    client, conference, make_user, grant_role, sign_in
):
    from app.meetings.models import RoleName

    meeting = conference["meeting"]
    meeting.status = MeetingStatus.DRAFT
    rapporteur, organiser = make_user(), make_user()
    grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
    grant_role(meeting, organiser, RoleName.ORGANISER)
    for url in _draft_urls(conference):
        assert client.get(url).status_code == 404, url
    sign_in(rapporteur)
    for url in _draft_urls(conference):
        assert client.get(url).status_code == 404, url
    sign_in(organiser)
    for url in _draft_urls(conference):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response.headers["Cache-Control"]


def test_conditional_requests_answer_304(client, conference):
    url = "/meetings/accpcj-2/programme.ics"
    first = client.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert (
        client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code
        == 200
    )
    # After an edit, the old ETag no longer matches.
    _edit(conference["opening"], title="Opening")
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_pages_offer_subscribe_and_download_links(client, conference):
    page = client.get("/meetings/accpcj-2/programme").get_data(as_text=True)
    assert 'href="webcal://localhost/meetings/accpcj-2/programme.ics"' in page
    assert 'href="http://localhost/meetings/accpcj-2/programme.ics"' in page
    youth = conference["youth"].id
    assert f'href="webcal://localhost/meetings/accpcj-2/tracks/{youth}.ics"' in page
    session_id = conference["opening"].id
    page = client.get(f"/meetings/accpcj-2/sessions/{session_id}").get_data(as_text=True)
    assert f"/meetings/accpcj-2/sessions/{session_id}.ics" in page
    person = conference["kittipong"].id
    page = client.get(f"/meetings/accpcj-2/speakers/{person}").get_data(as_text=True)
    assert f'href="webcal://localhost/meetings/accpcj-2/speakers/{person}.ics"' in page

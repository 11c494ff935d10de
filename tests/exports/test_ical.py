"""build_calendar on its own: a pure function of sessions and plain values, no HTTP."""

from datetime import timedelta

from app.exports.ical import FeedEntry, build_calendar, calendar_bytes, session_uid
from tests.exports.helpers import parse


def _build(meeting, entries):
    return calendar_bytes(
        build_calendar(
            meeting,
            entries,
            name="Programme",
            uid_domain="plenary.example.org",
            session_url=lambda s: f"https://plenary.example.org/s/{s.id}",
        )
    )


def test_build_calendar_is_deterministic_and_well_framed(conference):
    meeting = conference["meeting"]
    sessions = [conference["opening"], conference["panel"], conference["cancelled"]]
    body = _build(meeting, sessions)
    assert body == _build(meeting, sessions)
    loose, strict = parse(body)
    uids = [str(e["UID"]) for e in loose.walk("VEVENT")]
    assert uids == [session_uid(s, meeting, "plenary.example.org") for s in sessions]
    assert uids[0] == f"plenary-session-{sessions[0].id}-accpcj-2@plenary.example.org"
    assert [tz.tz_id for tz in strict.timezones] == ["Asia/Bangkok"]


def test_a_later_place_moves_dtstamp_forward(conference):
    opening = conference["opening"]
    later = opening.updated_at + timedelta(days=3)
    loose, _ = parse(_build(conference["meeting"], [FeedEntry(opening, later)]))
    event = loose.walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == later.replace(microsecond=0)

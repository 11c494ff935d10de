"""Checks every calendar feed must pass: two parsers, and the framing rules neither enforces."""

import re

import icalendar
from ical.calendar_stream import IcsCalendarStream


def check_framing(body: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines of at most 75 octets; RFC 7986 and our own rules."""
    assert body.endswith(b"\r\n")
    # Every LF is the end of a CRLF, and no CR stands alone.
    assert body.count(b"\n") == body.count(b"\r\n") == body.count(b"\r")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    unfolded = re.sub(rb"\r\n[ \t]", b"", body)
    lines = unfolded.split(b"\r\n")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert b"X-PUBLISHED-TTL:PT1H" in lines
    assert b"VERSION:2.0" in lines
    assert any(line.startswith(b"PRODID:") for line in lines)
    assert not [line for line in lines if line.startswith(b"METHOD") and line != b"METHOD:PUBLISH"]


def parse(body: bytes):
    """The feed through both parsers: (icalendar's Calendar, the strict `ical` package's)."""
    check_framing(body)
    loose = icalendar.Calendar.from_ical(body)
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    assert loose.get_missing_tzids() == set()
    for event in loose.walk("VEVENT"):
        assert event.get("UID") and event.get("DTSTAMP")
    assert len(strict.events) == len(loose.walk("VEVENT"))
    return loose, strict


def events_by_summary(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}

"""What the printed programme shows: each day of the meeting laid out as on screen, tracks side
by side (app/programme/board.py), as plain values for app/exports/pdf.py. Pure: no database."""

from collections.abc import Iterable
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app.i18n import localized
from app.meetings.models import Meeting
from app.programme.board import BY_TRACK, build_board_day
from app.programme.models import AgendaSession, SessionKind, Track
from app.timezones import zone_label

# A cell lists at most this many people; the programme page has the rest.
PEOPLE_PRINTED = 6


def programme_pdf_content(
    meeting: Meeting, sessions: list[AgendaSession], tracks: list[Track], days: Iterable[date]
) -> dict:
    """The printed programme's content: one entry per day, cells placed on the grid."""
    zone = meeting.timezone
    kinds = {kind: str(kind.label) for kind in SessionKind}
    printed = []
    for day in days:
        board = build_board_day(day, sessions, zone=zone, by=BY_TRACK, rooms=[], tracks=tracks)
        cells = []
        for card in board.cards:
            s = card.session
            names = [row.person.display_name for row in s.people]
            people = ", ".join(names[:PEOPLE_PRINTED]) + (
                " …" if len(names) > PEOPLE_PRINTED else ""
            )
            meta = kinds[s.kind]
            if s.cluster is not None:
                meta = f"{meta} · {s.cluster.label}"
            cells.append(
                {
                    "id": s.id,
                    "column_start": card.column_start,
                    "column_end": card.column_end,
                    "row_start": card.row_start,
                    "row_end": card.row_end,
                    "time": f"{card.starts}–{card.ends}",
                    "title": localized(s, "title"),
                    "room": s.room.name if s.room is not None else "",
                    "meta": "" if s.kind == SessionKind.BREAK else meta,
                    "people": people,
                    "cancelled": s.is_cancelled,
                    "is_break": s.kind == SessionKind.BREAK,
                }
            )
        printed.append(
            {
                "label": format_date(day, "full"),
                "columns": [
                    {"id": c.id, "name": c.name, "first": c.first_column, "lanes": c.lanes}
                    for c in board.columns
                ],
                "lanes": board.lanes,
                "rows": board.rows,
                "hours": board.hours,
                "cells": cells,
            }
        )
    venue = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    title = localized(meeting, "title")
    return {
        "title": _("Programme: %(meeting)s", meeting=meeting.short_title or title),
        "meeting": {
            "title": title,
            "short_title": meeting.short_title or title,
            "venue_line": venue,
        },
        "zone_text": _("Times in %(zone)s", zone=zone_label(zone, meeting.first_day)),
        "empty_label": _("No sessions on this day."),
        "cancelled_label": _("Cancelled"),
        "days": printed,
    }

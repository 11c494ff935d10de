"""The timetable editor's layout: one day of the programme as a grid of columns (rooms or
tracks) and five-minute rows, with the sessions that have no place on it (no room, or a day
outside the meeting's) kept aside. Pure: no database, no request.

The page writes the positions into a `<style>` block with the request's nonce; the editor's
script reads the same numbers back from data attributes to turn a drop point into a time and
a column.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.programme.grid import _assign_lanes
from app.programme.models import AgendaSession, Room, Track
from app.timezones import local_date, to_local

# One row of the grid is five minutes; moves snap to STEP_MINUTES (drag and arrow keys).
ROW_MINUTES = 5
STEP_MINUTES = 15
# The day shown at least spans these hours, so an empty day still has somewhere to drop.
DAY_OPENS = time(8, 0)
DAY_CLOSES = time(18, 0)

BY_ROOM, BY_TRACK = "room", "track"


@dataclass
class BoardColumn:
    """A room or a track: its column in the grid, as many lanes wide as it runs at once."""

    id: int
    name: str
    first_column: int
    lanes: int
    capacity: int | None = None


@dataclass
class BoardCard:
    session: AgendaSession
    column_start: int
    column_end: int
    row_start: int
    row_end: int
    starts: str
    ends: str


@dataclass
class BoardDay:
    day: date
    by: str
    opens: time
    rows: int
    columns: list[BoardColumn] = field(default_factory=list)
    cards: list[BoardCard] = field(default_factory=list)
    # Sessions of this day without a room (in the rooms view): dropped onto the grid to place.
    aside: list[AgendaSession] = field(default_factory=list)
    # (row, "09:00") for each hour.
    hours: list[tuple[int, str]] = field(default_factory=list)

    @property
    def column_template(self) -> str:
        return f"4.5rem repeat({self.lanes}, minmax(9rem, 1fr))"

    @property
    def lanes(self) -> int:
        return sum(column.lanes for column in self.columns) or 1


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _floor_hour(minutes: int) -> int:
    return minutes - minutes % 60


def build_board_day(
    day: date,
    sessions: list[AgendaSession],
    *,
    zone: str,
    by: str,
    rooms: list[Room],
    tracks: list[Track],
) -> BoardDay:
    """Lay out one local day: a column per room (or track), rows of ROW_MINUTES from the
    earliest start (08:00 at the latest) to the latest end (18:00 at the earliest)."""
    on_day = [s for s in sessions if local_date(s.starts_at, zone) == day]
    placed = [s for s in on_day if by == BY_TRACK or s.room_id is not None]
    aside = [s for s in on_day if s not in placed]

    starts = [_minutes(to_local(s.starts_at, zone).time()) for s in placed]
    ends = []
    for s in placed:
        end = to_local(s.ends_at, zone)
        # A session running past midnight is drawn to the end of its first day.
        ends.append(24 * 60 if end.date() != day else _minutes(end.time()))
    opens = _floor_hour(min([_minutes(DAY_OPENS), *starts]))
    closes = max([_minutes(DAY_CLOSES), *ends])
    closes = min(24 * 60, closes + (-closes % 60))
    rows = max(1, (closes - opens) // ROW_MINUTES)

    if by == BY_TRACK:
        keys = [(t.id, t.name, None) for t in tracks]
        key_of = lambda s: s.track_id  # noqa: E731
    else:
        keys = [(r.id, r.name, r.capacity) for r in rooms]
        key_of = lambda s: s.room_id  # noqa: E731
    by_key: dict[int, list[AgendaSession]] = defaultdict(list)
    for s in placed:
        by_key[key_of(s)].append(s)

    board = BoardDay(day=day, by=by, opens=time(opens // 60, opens % 60), rows=rows, aside=aside)
    column = 2  # column 1 holds the hours
    span_of: dict[int, tuple[int, int]] = {}
    for key, name, capacity in keys:
        ordered = sorted(by_key.get(key, []), key=lambda s: (s.starts_at, s.id))
        placement, lanes = _assign_lanes(ordered)
        board.columns.append(BoardColumn(key, name, column, lanes, capacity))
        for session_id, (lane, span) in placement.items():
            span_of[session_id] = (column + lane, column + lane + span)
        column += lanes

    for s, start, end in zip(placed, starts, ends, strict=True):
        if s.id not in span_of:
            continue  # a column the lists above do not know (cannot happen for one meeting)
        first, last = span_of[s.id]
        row_start = 2 + max(0, (start - opens) // ROW_MINUTES)
        row_end = max(row_start + 1, 2 + -(-(end - opens) // ROW_MINUTES))
        board.cards.append(
            BoardCard(
                session=s,
                column_start=first,
                column_end=last,
                row_start=row_start,
                row_end=row_end,
                starts=to_local(s.starts_at, zone).strftime("%H:%M"),
                ends=to_local(s.ends_at, zone).strftime("%H:%M"),
            )
        )
    board.cards.sort(key=lambda c: (c.row_start, c.column_start))
    for minute in range(opens, opens + rows * ROW_MINUTES, 60):
        board.hours.append((2 + (minute - opens) // ROW_MINUTES, f"{minute // 60:02d}:00"))
    return board


def day_of(value: str | None, days: list[date], today: date) -> date:
    """The day the editor opens on: the one asked for if it is a meeting day, else today
    while the meeting runs, else its first day."""
    if value:
        try:
            asked = date.fromisoformat(value)
        except ValueError:
            asked = None
        if asked in days:
            return asked
    if today in days:
        return today
    return days[0]


def clock(minutes_from_midnight: int) -> str:
    return (datetime.min + timedelta(minutes=minutes_from_midnight)).strftime("%H:%M")

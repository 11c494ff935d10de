"""The programme as a grid: a day's sessions placed in columns per track (lanes for parallel
sessions) and rows per moment, and the cards that fill it. Pure: no database, no request.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from app.meetings.models import Meeting
from app.programme.models import AgendaSession, SessionKind, SpeakerRole, Track
from app.timezones import local_time


@dataclass
class TrackColumn:
    """A track's columns in a day's grid: it takes as many lanes as it runs sessions at once."""

    track: Track
    first_column: int
    lanes: int


@dataclass
class PlacedSession:
    session: AgendaSession
    column_start: int
    column_end: int
    row_start: int
    row_end: int


@dataclass
class TimeMark:
    row: int
    label: str


@dataclass
class ProgrammeDay:
    day: date
    tracks: list[TrackColumn] = field(default_factory=list)
    # In reading order: a time mark, then the sessions starting then, and so on.
    items: list[TimeMark | PlacedSession] = field(default_factory=list)

    @property
    def column_template(self) -> str:
        """The grid columns after the time column: one equal column per lane of each track."""
        return " ".join(f"repeat({t.lanes}, minmax(0, 1fr))" for t in self.tracks)


def _track_key(track: Track) -> tuple[int, str, int]:
    return (track.position, track.name, track.id)


def _session_key(session_: AgendaSession) -> tuple:
    cluster_number = session_.cluster.number if session_.cluster is not None else 0
    return (session_.starts_at, _track_key(session_.track), cluster_number, session_.id)


def _overlaps(a: AgendaSession, b: AgendaSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _assign_lanes(sessions: list[AgendaSession]) -> tuple[dict[int, tuple[int, int]], int]:
    """Lanes for one track's sessions: parallel sessions side by side, a lone one full width.

    Returns {session id: (first lane, lanes spanned)} and the number of lanes.
    """
    lanes: list[list[AgendaSession]] = []
    first_lane: dict[int, int] = {}
    for s in sessions:
        for n, lane in enumerate(lanes):
            if not any(_overlaps(s, other) for other in lane):
                lane.append(s)
                first_lane[s.id] = n
                break
        else:
            lanes.append([s])
            first_lane[s.id] = len(lanes) - 1
    placement = {}
    for s in sessions:
        start = first_lane[s.id]
        end = start + 1
        # Widen into the lanes to the right while nothing there runs at the same time.
        while end < len(lanes) and not any(_overlaps(s, other) for other in lanes[end]):
            end += 1
        placement[s.id] = (start, end - start)
    return placement, max(len(lanes), 1)


def build_programme_day(day: date, sessions: list[AgendaSession], zone: str) -> ProgrammeDay:
    """Place one day's sessions on a grid: a column per track (lanes for parallel sessions),
    a row per moment a session starts or ends."""
    sessions = sorted(sessions, key=_session_key)
    result = ProgrammeDay(day=day)
    by_track: dict[int, list[AgendaSession]] = defaultdict(list)
    tracks: dict[int, Track] = {}
    for s in sessions:
        by_track[s.track_id].append(s)
        tracks[s.track_id] = s.track

    column = 2  # column 1 holds the times
    lane_of: dict[int, tuple[int, int]] = {}
    for track in sorted(tracks.values(), key=_track_key):
        placement, lanes = _assign_lanes(by_track[track.id])
        result.tracks.append(TrackColumn(track=track, first_column=column, lanes=lanes))
        for session_id, (lane, span) in placement.items():
            lane_of[session_id] = (column + lane, column + lane + span)
        column += lanes

    moments = sorted({s.starts_at for s in sessions} | {s.ends_at for s in sessions})
    row_of = {moment: n + 2 for n, moment in enumerate(moments)}  # row 1 holds track names
    last_start = None
    for s in sessions:
        if s.starts_at != last_start:
            result.items.append(
                TimeMark(row=row_of[s.starts_at], label=local_time(s.starts_at, zone))
            )
            last_start = s.starts_at
        col_start, col_end = lane_of[s.id]
        result.items.append(
            PlacedSession(
                session=s,
                column_start=col_start,
                column_end=col_end,
                row_start=row_of[s.starts_at],
                row_end=row_of[s.ends_at],
            )
        )
    return result


@dataclass
class SessionCard:
    """What a programme card shows, worked out in Python once per session: the page has hundreds
    of cards, and translating labels or building URLs in the template for each is slow."""

    session: AgendaSession
    starts_iso: str
    ends_iso: str
    starts: str
    ends: str
    url: str
    kind_label: str
    cluster_label: str
    people: list[tuple[str, str]]  # (display name, role label)


def session_cards(
    meeting: Meeting, sessions: list[AgendaSession], url_prefix: str
) -> dict[int, SessionCard]:
    """Cards for sessions loaded with `queries.session_options()`, by session id; a card's
    link is `url_prefix` followed by the session's id (one url_for for the page, not one per
    card: ids are plain integers)."""
    zone = meeting.timezone
    kinds = {kind: str(kind.label) for kind in SessionKind}
    roles = {role: str(role.label) for role in SpeakerRole}
    clusters: dict[int, str] = {}
    cards = {}
    for s in sessions:
        cluster = ""
        if s.cluster is not None:
            if s.cluster_id not in clusters:
                clusters[s.cluster_id] = s.cluster.label
            cluster = clusters[s.cluster_id]
        cards[s.id] = SessionCard(
            session=s,
            starts_iso=s.starts_at.isoformat(),
            ends_iso=s.ends_at.isoformat(),
            starts=local_time(s.starts_at, zone),
            ends=local_time(s.ends_at, zone),
            url=f"{url_prefix}{s.id}",
            kind_label=kinds[s.kind],
            cluster_label=cluster,
            people=[(row.person.display_name, roles[row.role]) for row in s.people],
        )
    return cards

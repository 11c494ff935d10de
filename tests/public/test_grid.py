"""Placing a day's sessions on the programme grid, without a database or HTTP."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

from app.programme.grid import PlacedSession, TimeMark, build_programme_day

MAIN = SimpleNamespace(id=1, name="Main conference", position=0)
YOUTH = SimpleNamespace(id=2, name="Youth forum", position=1)
_ids = iter(range(1, 1000))


def session(track, start: tuple[int, int], end: tuple[int, int], cluster=None):
    """A session on 27 February 2020, times given in UTC."""
    return SimpleNamespace(
        id=next(_ids),
        track=track,
        track_id=track.id,
        cluster=SimpleNamespace(number=cluster) if cluster else None,
        starts_at=datetime(2020, 2, 27, *start, tzinfo=UTC),
        ends_at=datetime(2020, 2, 27, *end, tzinfo=UTC),
    )


def placed(day, s) -> PlacedSession:
    return next(i for i in day.items if isinstance(i, PlacedSession) and i.session is s)


def test_parallel_breakouts_get_lanes_and_a_lone_session_spans_them():
    opening = session(MAIN, (2, 0), (3, 0))
    # Given out of order: clusters are placed by number.
    breakouts = [session(MAIN, (6, 30), (8, 0), cluster=n) for n in (3, 1, 2)]
    workshop = session(YOUTH, (6, 30), (10, 0))
    day = build_programme_day(date(2020, 2, 27), [workshop, *breakouts, opening], "Asia/Bangkok")

    assert [(c.track.name, c.first_column, c.lanes) for c in day.tracks] == [
        ("Main conference", 2, 3),
        ("Youth forum", 5, 1),
    ]
    assert day.column_template == "repeat(3, minmax(0, 1fr)) repeat(1, minmax(0, 1fr))"
    assert (placed(day, opening).column_start, placed(day, opening).column_end) == (2, 5)
    by_cluster = sorted(breakouts, key=lambda s: s.cluster.number)
    assert [placed(day, s).column_start for s in by_cluster] == [2, 3, 4]
    assert {placed(day, s).row_start for s in breakouts} == {placed(day, workshop).row_start}
    # The workshop runs on after the breakouts end: it spans one more row.
    assert placed(day, workshop).row_end > placed(day, breakouts[0]).row_end
    assert (placed(day, workshop).column_start, placed(day, workshop).column_end) == (5, 6)


def test_times_are_marked_once_per_start_in_the_meetings_zone():
    first = session(MAIN, (2, 0), (3, 0))
    beside = session(YOUTH, (2, 0), (2, 30))
    later = session(MAIN, (3, 0), (4, 0))
    day = build_programme_day(date(2020, 2, 27), [later, beside, first], "Asia/Bangkok")
    marks = [i.label for i in day.items if isinstance(i, TimeMark)]
    assert marks == ["09:00", "10:00"]
    # Reading order: the mark, then the sessions starting then, main track first.
    assert [getattr(i, "session", i) for i in day.items] == [
        day.items[0],
        first,
        beside,
        day.items[3],
        later,
    ]


def test_sequential_sessions_share_one_lane():
    a = session(MAIN, (2, 0), (3, 0))
    b = session(MAIN, (3, 0), (4, 0))
    day = build_programme_day(date(2020, 2, 27), [a, b], "UTC")
    assert day.tracks[0].lanes == 1
    assert placed(day, a).row_end == placed(day, b).row_start

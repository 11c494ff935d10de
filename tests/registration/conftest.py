"""Builders for registrations and breakout set-ups."""

from datetime import timedelta

import pytest

from app.programme.models import SessionKind, TrackKind
from tests import factories


@pytest.fixture
def breakouts():
    """A meeting with clusters running in parallel breakout slots.

    Returns (meeting, {(cluster_number, slot): session}, {cluster_number: cluster}).
    """

    def _make(meeting=None, *, clusters=2, slots=2, capacity=2):
        meeting = meeting or factories.make_meeting()
        track = factories.make_track(meeting, "Main", TrackKind.MAIN)
        by_number = {
            n: factories.make_cluster(meeting, n, f"Cluster {n}", capacity=capacity)
            for n in range(1, clusters + 1)
        }
        sessions = {}
        for slot in range(1, slots + 1):
            start = factories.local(meeting, 1, 12 + 2 * slot)
            for n, cluster in by_number.items():
                sessions[(n, slot)] = factories.make_session(
                    meeting,
                    track=track,
                    kind=SessionKind.BREAKOUT,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=90),
                    cluster_id=cluster.id,
                    slot=slot,
                    title=f"Breakout {slot}: cluster {n}",
                )
        return meeting, sessions, by_number

    return _make

"""Fixtures for the public pages."""

import pytest

from app.extensions import db
from app.programme.models import SessionKind, SpeakerRole, TrackKind
from tests.factories import local


@pytest.fixture
def conference(make_meeting, make_track, make_room, make_person, make_session, make_cluster):
    """A small 2nd ACCPCJ: the main conference, the youth forum beside it, three clusters."""
    meeting = make_meeting("accpcj-2", title="The 2nd ASEAN Conference", short_title="2nd ACCPCJ")
    main = make_track(meeting, "Main conference", TrackKind.MAIN, position=0)
    youth = make_track(meeting, "2nd TIJ Youth Forum", TrackKind.YOUTH_FORUM, position=1)
    hall = make_room(meeting, "Grand Ballroom")
    kittipong = make_person(
        meeting,
        "Kittipong Kittayarak",
        honorific="Dr.",
        position="Executive Director",
        organisation="Thailand Institute of Justice",
        country="Thailand",
        biography="Former Permanent Secretary of Justice.",
    )
    opening = make_session(
        meeting,
        track=main,
        room=hall,
        kind=SessionKind.OPENING_CEREMONY,
        title="Opening ceremony",
        starts_at=local(meeting, 1, 9),
        ends_at=local(meeting, 1, 10),
        people=[(kittipong, SpeakerRole.KEYNOTE_SPEAKER)],
    )
    clusters = [
        make_cluster(meeting, 1, "Culture of Prevention", topics=("Good Governance", "Peace")),
        make_cluster(meeting, 2, "Law and Justice", topics=("International Cooperation",)),
        make_cluster(meeting, 3, "Innovation and Collaboration"),
    ]
    breakouts = [
        make_session(
            meeting,
            track=main,
            kind=SessionKind.BREAKOUT,
            title=f"Breakout I: {c.title}",
            cluster_id=c.id,
            slot=1,
            starts_at=local(meeting, 1, 13, 30),
            ends_at=local(meeting, 1, 15),
        )
        for c in clusters
    ]
    workshop = make_session(
        meeting,
        track=youth,
        kind=SessionKind.WORKSHOP,
        title="Design Thinking workshop",
        starts_at=local(meeting, 1, 13, 30),
        ends_at=local(meeting, 1, 17),
    )
    cancelled = make_session(
        meeting,
        track=main,
        title="Panel on digital forensics",
        starts_at=local(meeting, 2, 9),
        is_cancelled=True,
    )
    db.session.flush()
    return {
        "meeting": meeting,
        "opening": opening,
        "kittipong": kittipong,
        "breakouts": breakouts,
        "workshop": workshop,
        "cancelled": cancelled,
        "clusters": clusters,
    }

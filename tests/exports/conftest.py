"""Fixtures for the exports: a small conference with names in Thai, Vietnamese and Khmer."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.programme.models import SessionKind, SpeakerRole, TrackKind
from tests.factories import local

THAI = "สมชาย ใจดี"
VIETNAMESE = "Nguyễn Thị Hồng Nhung"
KHMER = "ចាន់ សុភា"


@pytest.fixture(autouse=True)
def _empty_feed_cache(app):
    """Each test starts with no built feeds in the process (the app outlives the test)."""
    from app.exports.responses import feed_cache

    feed_cache(app).clear()
    yield
    feed_cache(app).clear()


@pytest.fixture
def conference(make_meeting, make_track, make_room, make_person, make_session, make_cluster):
    """The 2nd ACCPCJ in Bangkok: an opening, a panel of speakers from three countries, three
    breakout clusters, the youth forum's workshop and a cancelled panel."""
    meeting = make_meeting(
        "accpcj-2",
        title="The 2nd ASEAN Conference on Crime Prevention and Criminal Justice",
        short_title="2nd ACCPCJ",
        venue="Centara Grand at CentralWorld",
        city="Bangkok",
        country="Thailand",
    )
    main = make_track(meeting, "Main conference", TrackKind.MAIN, position=0)
    youth = make_track(meeting, "2nd TIJ Youth Forum", TrackKind.YOUTH_FORUM, position=1)
    hall = make_room(meeting, "Grand Ballroom")
    lotus = make_room(meeting, "Lotus Suite 5–7")
    kittipong = make_person(
        meeting,
        "Kittipong Kittayarak",
        honorific="Dr.",
        position="Executive Director",
        organisation="Thailand Institute of Justice",
        country="Thailand",
    )
    somchai = make_person(
        meeting,
        THAI,
        honorific="Pol. Gen.",
        position="ผู้บัญชาการสำนักงานตำรวจแห่งชาติ",
        organisation="สำนักงานตำรวจแห่งชาติ",
        country="Thailand",
    )
    nhung = make_person(
        meeting,
        VIETNAMESE,
        honorific="Ms.",
        position="Phó Vụ trưởng Vụ Pháp luật Hình sự – Hành chính",
        organisation="Bộ Tư pháp Việt Nam",
        country="Viet Nam",
    )
    sophea = make_person(
        meeting,
        KHMER,
        honorific="H.E.",
        position="រដ្ឋលេខាធិការ ក្រសួងយុត្តិធម៌",
        organisation="ក្រសួងយុត្តិធម៌",
        country="Cambodia",
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
    panel = make_session(
        meeting,
        track=main,
        room=hall,
        kind=SessionKind.PLENARY_PANEL,
        title=f"Plenary panel with {THAI}, {VIETNAMESE} and {KHMER} on the rule of law",
        description=(
            f"{THAI} ({THAI}), {VIETNAMESE} and {KHMER} discuss "
            "ความยุติธรรม, công lý and យុត្តិធម៌ in South-East Asia."
        ),
        starts_at=local(meeting, 1, 10, 30),
        ends_at=local(meeting, 1, 12),
        people=[
            (kittipong, SpeakerRole.MODERATOR),
            (somchai, SpeakerRole.PANELLIST),
            (nhung, SpeakerRole.PANELLIST),
            (sophea, SpeakerRole.PANELLIST),
        ],
    )
    clusters = [
        make_cluster(meeting, 1, "Culture of Prevention", topics=("Good Governance", "Peace")),
        make_cluster(meeting, 2, "Law and Justice", topics=("International Cooperation",)),
        make_cluster(meeting, 3, "Innovation and Collaboration", capacity=1),
    ]
    breakouts = [
        make_session(
            meeting,
            track=main,
            room=lotus,
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
        capacity=20,
        slot=1,
        starts_at=local(meeting, 1, 13, 30),
        ends_at=local(meeting, 1, 17),
    )
    youth_plenary = make_session(
        meeting,
        track=youth,
        kind=SessionKind.YOUTH_FORUM_PRESENTATIONS,
        title="Youth forum presentations",
        starts_at=local(meeting, 2, 9),
        ends_at=local(meeting, 2, 10),
    )
    cancelled = make_session(
        meeting,
        track=main,
        title="Panel on digital forensics",
        starts_at=local(meeting, 2, 11),
        ends_at=local(meeting, 2, 12),
        is_cancelled=True,
        people=[(sophea, SpeakerRole.PANELLIST)],
    )
    db.session.flush()
    return {
        "meeting": meeting,
        "main": main,
        "youth": youth,
        "opening": opening,
        "panel": panel,
        "kittipong": kittipong,
        "somchai": somchai,
        "breakouts": breakouts,
        "workshop": workshop,
        "youth_plenary": youth_plenary,
        "cancelled": cancelled,
        "clusters": clusters,
    }


@pytest.fixture
def build_programme(make_meeting, make_track, make_room, make_person, make_session, make_cluster):
    """A published meeting with `n` sessions over two days and three tracks, each with two or
    three people; every fifth one a breakout of a cluster with topics."""
    roles = [SpeakerRole.CHAIR, SpeakerRole.PANELLIST, SpeakerRole.RAPPORTEUR]

    def _build(slug: str, n: int):
        meeting = make_meeting(slug)
        tracks = [
            make_track(meeting, "Main conference", TrackKind.MAIN, 0),
            make_track(meeting, "Youth forum", TrackKind.YOUTH_FORUM, 1),
            make_track(meeting, "Side events", TrackKind.SIDE_EVENT, 2),
        ]
        rooms = [make_room(meeting, f"Room {r}") for r in range(4)]
        people = [make_person(meeting, f"Speaker {p}", honorific="Dr.") for p in range(30)]
        clusters = [
            make_cluster(meeting, c, f"Cluster {c}", topics=("One", "Two")) for c in (1, 2, 3)
        ]
        for i in range(n):
            start = local(meeting, 1 + i % 2, 8) + timedelta(minutes=5 * (i // 2))
            breakout = i % 5 == 0
            make_session(
                meeting,
                track=tracks[i % 3],
                room=rooms[i % 4],
                kind=SessionKind.BREAKOUT if breakout else SessionKind.PANEL_DISCUSSION,
                title=f"Session {i}",
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                cluster_id=clusters[i % 3].id if breakout else None,
                slot=(i // 15) + 1 if breakout else None,
                is_cancelled=i % 7 == 0,
                people=[(people[(i + k) % len(people)], roles[k]) for k in range(2 + i % 2)],
            )
        db.session.commit()
        return meeting, tracks[1], people[0]

    return _build

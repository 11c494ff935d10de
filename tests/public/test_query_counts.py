"""The public pages issue a fixed number of SQL queries, whatever the number of sessions."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Workshop
from app.programme.models import AgendaSession, SessionKind, SessionPerson, SpeakerRole, TrackKind
from tests.factories import local
from tests.querycount import queries_for

ROLES = [SpeakerRole.CHAIR, SpeakerRole.PANELLIST, SpeakerRole.RAPPORTEUR]


@pytest.fixture
def build_programme(
    make_meeting, make_track, make_room, make_person, make_session, make_cluster, make_agenda_item
):
    """A published meeting with `n` sessions over two days and three tracks, each session with
    two or three people, every fifth one a breakout of a cluster with topics."""

    def _build(slug: str, n: int):
        meeting = make_meeting(slug)
        tracks = [
            make_track(meeting, "Main conference", TrackKind.MAIN, 0),
            make_track(meeting, "Youth forum", TrackKind.YOUTH_FORUM, 1),
            make_track(meeting, "Side events", TrackKind.SIDE_EVENT, 2),
        ]
        rooms = [make_room(meeting, f"Room {r}") for r in range(4)]
        people = [make_person(meeting, f"Speaker {p}", honorific="Dr.") for p in range(30)]
        item = make_agenda_item(meeting, 3, "Cybercrime")
        sub = make_agenda_item(meeting, 3, "Legal frameworks", parent=item, letter="a")
        db.session.add(Workshop(meeting_id=meeting.id, agenda_item_id=sub.id, number=1, title="W"))
        clusters = [
            make_cluster(meeting, c, f"Cluster {c}", topics=("One", "Two")) for c in (1, 2, 3)
        ]
        for i in range(n):
            day = 1 + i % 2
            start = local(meeting, day, 8) + timedelta(minutes=5 * (i // 2))
            breakout = i % 5 == 0 and i // 5 < 300
            make_session(
                meeting,
                track=tracks[i % 3],
                room=rooms[i % 4],
                kind=SessionKind.BREAKOUT if breakout else SessionKind.PANEL_DISCUSSION,
                title=f"Session {i}",
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                agenda_item_id=(item.id, sub.id, None)[i % 3],
                cluster_id=clusters[i % 3].id if breakout else None,
                slot=(i // 15) + 1 if breakout else None,
                is_cancelled=i % 7 == 0,
                people=[(people[(i + k) % len(people)], ROLES[k]) for k in range(2 + i % 2)],
            )
        db.session.commit()
        return meeting, people[0]

    return _build


@pytest.mark.parametrize(
    "page",
    [
        "/meetings/{slug}/programme",
        "/meetings/{slug}/programme?day=2020-02-27",
        "/meetings/{slug}/speakers",
        "/meetings/{slug}/speakers/{person}",
        "/meetings/{slug}/agenda",
    ],
)
def test_fixed_number_of_queries(client, build_programme, page):
    small, small_person = build_programme("small", 10)
    large, large_person = build_programme("large", 200)
    few = queries_for(client, page.format(slug=small.slug, person=small_person.id))
    many = queries_for(client, page.format(slug=large.slug, person=large_person.id))
    print(f"{page}: {few} queries at 10 sessions, {many} at 200")
    assert few == many
    assert few <= 6


def test_session_page_fixed_number_of_queries(client, build_programme, make_person):
    meeting, _ = build_programme("one", 10)
    sessions = db.session.scalars(
        sa.select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id)
        .order_by(AgendaSession.id)
    ).all()
    # Two breakouts (cluster, topics, agenda item): one with 2 people, one with 42.
    few, crowded = sessions[0], sessions[5]
    for p in range(40):
        person = make_person(meeting, f"Panellist {p}")
        crowded.people.append(
            SessionPerson(person_id=person.id, role=SpeakerRole.PANELLIST, position=10 + p)
        )
    db.session.commit()
    counts = [
        queries_for(client, f"/meetings/{meeting.slug}/sessions/{s.id}") for s in (few, crowded)
    ]
    print(f"session page: {counts[0]} queries with 2 people, {counts[1]} with 42")
    assert counts[0] == counts[1]
    assert counts[0] <= 5


def test_a_large_programme_opens_on_one_day_and_keeps_every_day_a_click_away(
    client, build_programme, monkeypatch
):
    small, _ = build_programme("small", 10)
    large, _ = build_programme("large", 200)  # over two days, 27 and 28 February 2020
    # A small programme shows every day, as before.
    page = client.get(f"/meetings/{small.slug}/programme").get_data(as_text=True)
    assert 'id="day-2020-02-27"' in page and 'id="day-2020-02-28"' in page
    assert "one day at a time" not in page

    # A large one opens on the day of its first session, says so and links to every day.
    page = client.get(f"/meetings/{large.slug}/programme").get_data(as_text=True)
    assert 'id="day-2020-02-27"' in page and 'id="day-2020-02-28"' not in page
    assert "one day at a time" in page
    every_day = f'href="/meetings/{large.slug}/programme?day=all"'
    assert every_day in page
    assert 'aria-current="page">Thursday, 27 February 2020' in page

    page = client.get(f"/meetings/{large.slug}/programme?day=all").get_data(as_text=True)
    assert 'id="day-2020-02-27"' in page and 'id="day-2020-02-28"' in page
    assert "one day at a time" not in page
    assert f'{every_day} aria-current="page"' in page

    # While the meeting runs, it opens on today.
    monkeypatch.setattr(
        "app.programme.public_views.utcnow", lambda: datetime(2020, 2, 28, 3, tzinfo=UTC)
    )
    page = client.get(f"/meetings/{large.slug}/programme").get_data(as_text=True)
    assert 'id="day-2020-02-28"' in page and 'id="day-2020-02-27"' not in page

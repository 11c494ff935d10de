"""Every organiser page costs the same number of queries for a small and a large meeting."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.meetings.models import Document, DocumentType, Office, Officer, RoleName, Workshop
from app.outputs import outline
from app.outputs.models import PartKind
from app.programme.models import SessionKind, SpeakerRole, TrackKind
from tests import factories
from tests.querycount import queries_for

PAGES = [
    "", "edit", "agenda", "tracks", "rooms", "people", "sessions", "timetable", "changes",
    "clusters", "conflicts",
    "officers", "documents", "roles", "registrations", "rosters", "attendance",
    "delegations", "registration-window", "report/outline", "report/draft-parts", "venue",
    "outbox",
]  # fmt: skip


def _meeting(size: int):
    organiser = factories.make_user()
    meeting = factories.make_meeting(organiser=organiser)
    main = factories.make_track(meeting, "Main", TrackKind.MAIN)
    youth = factories.make_track(meeting, "Youth", TrackKind.YOUTH_FORUM)
    rooms = [factories.make_room(meeting, f"Room {n}", 50) for n in range(size)]
    people = [factories.make_person(meeting, f"Person {n}") for n in range(size)]
    for n in range(size):
        item = factories.make_agenda_item(meeting, n + 1, f"Item {n + 1}")
        factories.make_agenda_item(meeting, n + 1, "Sub-item", parent=item, letter="a")
        db.session.add(
            Workshop(
                meeting_id=meeting.id,
                agenda_item_id=item.id,
                number=n + 1,
                title=f"Workshop {n + 1}",
            )
        )
        db.session.add(
            Document(
                meeting_id=meeting.id,
                symbol=f"A/CONF.1/L.{n + 1}",
                title="Draft",
                doc_type=DocumentType.LIMITED,
            )
        )
        db.session.add(
            Officer(meeting_id=meeting.id, person_id=people[n].id, office=Office.VICE_CHAIR)
        )
        factories.grant_role(meeting, factories.make_user(), RoleName.PARTICIPANT)
        cluster = factories.make_cluster(meeting, n + 1, f"Cluster {n}", topics=("A", "B"))
        start = factories.local(meeting, 1, 8) + timedelta(minutes=30 * n)
        factories.make_session(
            meeting,
            track=main if n % 2 else youth,
            room=rooms[n],
            starts_at=start,
            kind=SessionKind.BREAKOUT,
            cluster_id=cluster.id,
            slot=1,
            people=[(people[n], SpeakerRole.MODERATOR), (people[-n - 1], SpeakerRole.RAPPORTEUR)],
        )
        factories.make_registration(meeting)
    db.session.flush()
    # The report outline stored, with a heading and a paragraph per size.
    parts = outline.start_outline(meeting)
    for n in range(size):
        outline.add_part(meeting, kind=PartKind.HEADING, after_id=parts[-1].id, level=2,
                         heading=f"Section {n}")  # fmt: skip
        outline.add_part(meeting, kind=PartKind.TEXT, after_id=parts[-1].id, body=f"Para {n}.")
    db.session.commit()
    return meeting, organiser


@pytest.mark.parametrize("page", PAGES)
def test_organiser_pages_cost_the_same_queries_small_and_large(client, sign_in, page):
    counts = []
    for size in (2, 25):
        meeting, organiser = _meeting(size)
        sign_in(organiser)
        counts.append(queries_for(client, f"/meetings/{meeting.slug}/manage/{page}"))
    assert counts[0] == counts[1], f"/manage/{page}: {counts[0]} queries small, {counts[1]} large"

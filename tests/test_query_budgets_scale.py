"""Query budgets on generated meetings: every page and export the benchmark times costs the same
number of SQL statements for a small and a larger meeting (counts, not timings)."""

import pytest
import sqlalchemy as sa

from app.commands.scale import Sizes, generate
from app.extensions import db
from app.meetings.models import Person
from app.programme.models import AgendaSession, SessionPerson
from app.registration.models import Registration
from tests.querycount import queries_for

SIZES = {
    "small": Sizes(
        days=2, rooms=4, tracks=4, sessions=20, speakers=20, clusters=4, slots=2,
        participants=20, places=40, outputs=4, paragraphs=2, recommendations=1,
    ),
    "larger": Sizes(
        days=3, rooms=6, tracks=4, sessions=90, speakers=120, clusters=9, slots=3,
        participants=150, places=300, outputs=12, paragraphs=3, recommendations=2,
    ),
}  # fmt: skip

PAGES = {
    "programme": "/meetings/{slug}/programme",
    "programme day": "/meetings/{slug}/programme?day=2021-03-08",
    "breakout session": "/meetings/{slug}/sessions/{breakout}",
    "panel session": "/meetings/{slug}/sessions/{panel}",
    "speaker": "/meetings/{slug}/speakers/{speaker}",
    "speakers": "/meetings/{slug}/speakers",
    "personal agenda": "/meetings/{slug}/my",
    "rosters": "/meetings/{slug}/manage/rosters",
    "JSON programme": "/meetings/{slug}/programme.json",
    "iCal programme": "/meetings/{slug}/programme.ics",
}
# Pages that need someone signed in, and who.
SIGNED_IN = {"personal agenda": "participant", "rosters": "organiser"}


def _build(name: str) -> dict:
    result = generate(SIZES[name], seed=5, slug=name)
    db.session.commit()
    mid = result.meeting.id
    first = lambda q: db.session.scalars(q.limit(1)).one()  # noqa: E731
    return {
        "slug": name,
        "organiser": result.organiser,
        "breakout": first(
            sa.select(AgendaSession.id)
            .where(AgendaSession.meeting_id == mid, AgendaSession.slot.is_not(None))
            .order_by(AgendaSession.id)
        ),
        "panel": first(
            sa.select(SessionPerson.session_id)
            .join(AgendaSession)
            .where(AgendaSession.meeting_id == mid)
            .group_by(SessionPerson.session_id)
            .order_by(sa.func.count().desc(), SessionPerson.session_id)
        ),
        "speaker": first(
            sa.select(SessionPerson.person_id)
            .join(Person)
            .where(Person.meeting_id == mid)
            .group_by(SessionPerson.person_id)
            .order_by(sa.func.count().desc(), SessionPerson.person_id)
        ),
        "participant": first(
            sa.select(Registration).where(Registration.meeting_id == mid).order_by(Registration.id)
        ).user,
    }


@pytest.fixture
def meetings():
    return [_build(name) for name in SIZES]


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_cost_the_same_queries_small_and_larger(client, sign_in, meetings, page):
    counts = []
    for m in meetings:
        with client.session_transaction() as sess:
            sess.clear()
        if page in SIGNED_IN:
            sign_in(m[SIGNED_IN[page]])
        counts.append(queries_for(client, PAGES[page].format(**m)))
    print(f"{page}: {counts[0]} queries small, {counts[1]} larger")
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries small, {counts[1]} larger"


def test_json_programme_in_at_most_ten_queries(client, meetings):
    for m in meetings:
        assert queries_for(client, PAGES["JSON programme"].format(**m)) <= 10

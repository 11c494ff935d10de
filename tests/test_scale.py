"""The generator: deterministic for a seed, keeps the places' invariants, refuses bad sizes."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from app.commands.scale import PRESETS, ScaleError, Sizes, check_places, generate, sizes_for
from app.extensions import db
from app.mail.delivery import run_due_jobs
from app.meetings.models import Meeting, Person
from app.outputs.models import IssuedSummary, OutputParagraph, RapporteurOutput
from app.programme.models import AgendaSession, SessionPerson
from app.registration.models import ClusterPlace, PlaceStatus

SMALL = Sizes(
    days=2, rooms=4, tracks=4, sessions=30, speakers=40, clusters=6, slots=3,
    participants=60, places=120, outputs=8, paragraphs=4, recommendations=2,
)  # fmt: skip


def _snapshot(meeting_id: int) -> dict:
    """What a meeting holds, without its ids, so two builds can be compared."""
    sessions = db.session.execute(
        sa.select(AgendaSession.title, AgendaSession.starts_at, AgendaSession.kind)
        .where(AgendaSession.meeting_id == meeting_id)
        .order_by(AgendaSession.id)
    ).all()
    people = db.session.scalars(
        sa.select(Person.name).where(Person.meeting_id == meeting_id).order_by(Person.id)
    ).all()
    places = db.session.execute(
        sa.select(ClusterPlace.slot, ClusterPlace.status, ClusterPlace.waitlist_position)
        .join(AgendaSession, AgendaSession.id == ClusterPlace.session_id)
        .where(AgendaSession.meeting_id == meeting_id)
        .order_by(ClusterPlace.id)
    ).all()
    paragraphs = db.session.scalars(
        sa.select(OutputParagraph.text)
        .join(RapporteurOutput)
        .where(RapporteurOutput.meeting_id == meeting_id)
        .order_by(OutputParagraph.id)
    ).all()
    return {"sessions": sessions, "people": people, "places": places, "paragraphs": paragraphs}


def test_the_same_seed_builds_the_same_meeting_and_another_seed_another():
    first = generate(SMALL, seed=7, slug="first").meeting.id
    second = generate(SMALL, seed=7, slug="second").meeting.id
    other = generate(SMALL, seed=8, slug="other").meeting.id
    db.session.commit()
    assert _snapshot(first) == _snapshot(second)
    assert _snapshot(first) != _snapshot(other)


def test_sizes_are_what_was_asked_and_places_keep_their_invariants():
    result = generate(SMALL, seed=3, slug="sized")
    db.session.commit()
    mid = result.meeting.id
    count = lambda q: db.session.scalar(sa.select(sa.func.count()).select_from(q.subquery()))  # noqa: E731
    assert count(sa.select(AgendaSession).where(AgendaSession.meeting_id == mid)) == 30
    assert (
        count(sa.select(ClusterPlace).join(AgendaSession).where(AgendaSession.meeting_id == mid))
        == 120
    )
    assert count(sa.select(RapporteurOutput).where(RapporteurOutput.meeting_id == mid)) == 8
    assert result.counts["paragraphs"] == 8 * (4 + 2)
    assert db.session.scalar(sa.select(sa.func.count(IssuedSummary.id))) == 1
    # Each speaker holds 1 to 3 roles.
    roles = db.session.execute(
        sa.select(SessionPerson.person_id, sa.func.count())
        .join(Person)
        .where(Person.meeting_id == mid, Person.user_id.is_(None))
        .group_by(SessionPerson.person_id)
    ).all()
    assert roles and all(1 <= n <= 3 for _, n in roles)
    # The waiting lists are used: some sessions are full.
    assert result.counts["waitlisted"] > 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(ClusterPlace.status == PlaceStatus.WAITLISTED)
        )
        == result.counts["waitlisted"]
    )
    assert check_places(mid) == []


def test_check_places_finds_an_overbooked_session_and_a_gap():
    mid = generate(SMALL, seed=3, slug="broken").meeting.id
    db.session.commit()
    waiting = db.session.scalars(
        sa.select(ClusterPlace).where(
            ClusterPlace.status == PlaceStatus.WAITLISTED, ClusterPlace.waitlist_position == 1
        )
    ).first()
    waiting.status, waiting.waitlist_position = PlaceStatus.CONFIRMED, None
    db.session.commit()
    problems = check_places(mid)
    assert any("confirmed, capacity" in p for p in problems)
    assert any("waiting list" in p for p in problems)


@pytest.mark.parametrize(
    ("preset", "sizes", "message"),
    [
        ("nope", {}, "unknown preset"),
        ("congress", {"sessions": -1}, "cannot be negative"),
        (None, {"places": -5}, "cannot be negative"),
        (None, {"clusters": 40, "slots": 2, "rooms": 4}, "more clusters"),
    ],
)
def test_bad_sizes_are_refused(preset, sizes, message):
    with pytest.raises(ScaleError, match=message):
        sizes_for(preset, **sizes)


def test_congress_preset_is_the_issue_s_sizes():
    c = PRESETS["congress"]
    assert (c.days, c.rooms, c.tracks, c.sessions, c.speakers) == (6, 12, 4, 400, 1200)
    assert (c.clusters, c.slots, c.participants, c.places) == (30, 6, 5000, 10000)
    assert (c.outputs, c.paragraphs, c.recommendations) == (100, 20, 8)


def _run(app, *args):
    return CliRunner().invoke(app.cli, ["generate", *args], catch_exceptions=True)


def test_the_command_refuses_bad_input_and_writes_nothing(app):
    for args in (["--preset", "nope"], ["--sessions", "-3"]):
        result = _run(app, *args)
        assert result.exit_code != 0
        assert "Invalid value" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_the_command_builds_a_meeting_and_refuses_its_slug_twice(app):
    args = ["--preset", "small", "--seed", "2", "--slug", "cli", "--participants", "60"]
    result = _run(app, *args)
    assert result.exit_code == 0, result.output
    assert "Generated cli in" in result.output
    # The issued Chair's Summary is downloadable at once: its PDF was rendered too.
    assert "Rendered the issued Chair's Summary as PDF" in result.output
    db.session.remove()
    assert db.session.scalar(sa.select(IssuedSummary.pdf)).startswith(b"%PDF")
    again = _run(app, *args)
    assert again.exit_code == 1
    assert "exists already" in again.output
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1


def test_an_interrupted_build_leaves_nothing_behind(app, monkeypatch):
    import app.commands.scale as scale

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scale, "_outputs", interrupt)
    result = _run(app, "--preset", "small", "--slug", "halfway")
    assert result.exit_code != 0
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_a_summary_issued_without_its_pdf_is_rendered_by_the_worker(app, client):
    result = _run(app, "--preset", "small", "--slug", "later", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "Rendered" not in result.output
    db.session.remove()
    assert db.session.scalar(sa.select(IssuedSummary.pdf)) is None
    # No request renders a PDF (a congress's takes 35 s): the first download queues the job
    # and says the PDF is being prepared; the worker renders it.
    pending = client.get("/meetings/later/chairs-summary/1.pdf")
    assert pending.status_code == 202
    assert "being prepared" in pending.get_data(as_text=True)
    assert run_due_jobs(limit=5) == 1
    response = client.get("/meetings/later/chairs-summary/1.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    # Kept: the next download sends the same document without rendering it again.
    db.session.remove()
    assert db.session.scalar(sa.select(IssuedSummary.pdf)) == response.data
    assert client.get("/meetings/later/chairs-summary/2.pdf").status_code == 404

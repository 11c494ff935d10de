"""Input that once gave a 500 or broke a rule: each now gets a clear answer and changes nothing."""

import pytest
from sqlalchemy import select

from app.errors import ProgrammeError
from app.extensions import db
from app.programme.models import SessionKind, Track, TrackKind
from app.programme.sessions import SessionInput, update_session
from app.registration.models import Registration
from app.registration.places import take_place
from app.timezones import to_local
from config import TestingConfig
from tests import factories


def test_the_test_settings_never_use_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@production/plenary")
    monkeypatch.setenv("TEST_DATABASE_URL", "sqlite:///tmp/suite.sqlite")
    assert TestingConfig().SQLALCHEMY_DATABASE_URI == "sqlite:///tmp/suite.sqlite"


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/{slug}/sessions/99999999999999999999",
        "/meetings/{slug}/speakers/2147483648",
        "/meetings/{slug}/manage/sessions/2147483648/edit",
    ],
)
def test_ids_beyond_the_database_range_are_not_found(client, make_user, sign_in, path):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    assert client.get(path.format(slug=meeting.slug)).status_code == 404


def test_posting_to_an_out_of_range_id_is_not_found(client, sign_in, post_form, make_registration):
    meeting = factories.make_meeting()
    me = make_registration(meeting)
    db.session.commit()
    sign_in(me.user)
    assert post_form(f"/meetings/{meeting.slug}/places/{10**30}").status_code == 404


def test_nul_characters_are_dropped_from_form_text(client, make_user, sign_in, post_form):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    post_form(
        f"/meetings/{meeting.slug}/register",
        {"delegation": "Thai\x00land", "category": "member_state"},
    )
    post_form(
        f"/meetings/{meeting.slug}/manage/tracks/new",
        {"name": "Side\x00event", "kind": "side_event", "position": "2"},
    )
    registration = db.session.scalar(select(Registration))
    assert registration.delegation == "Thailand"
    assert db.session.scalar(select(Track.name)) == "Sideevent"


def test_a_breakout_cannot_fall_back_on_a_smaller_cluster_capacity(make_registration):
    meeting = factories.make_meeting()
    main = factories.make_track(meeting, "Main", TrackKind.MAIN)
    cluster = factories.make_cluster(meeting, 1, "Culture of Prevention", capacity=2)
    breakout = factories.make_session(
        meeting, track=main, kind=SessionKind.BREAKOUT, cluster_id=cluster.id, slot=1, capacity=5
    )
    for _ in range(4):
        take_place(make_registration(meeting), breakout)
    start = to_local(breakout.starts_at, meeting.timezone)
    end = to_local(breakout.ends_at, meeting.timezone)
    data = SessionInput(
        title=breakout.title,
        kind=breakout.kind.value,
        track_id=main.id,
        room_id=None,
        agenda_item_id=None,
        cluster_id=cluster.id,
        slot=1,
        capacity=None,
        description="",
        day=start.date(),
        start_time=start.time(),
        end_time=end.time(),
    )
    with pytest.raises(ProgrammeError, match="4 places are confirmed"):
        update_session(breakout, data)
    assert breakout.capacity == 5


def test_the_calendar_uid_domain_comes_from_the_environment(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("PLENARY_UID_DOMAIN", "plenary.example.org")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert ProductionConfig().PLENARY_UID_DOMAIN == "plenary.example.org"

"""A withdrawn, declined or cancelled registration holds no place and gains none, and an
organiser's change of time never silently puts participants in two sessions at once."""

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app import create_app
from app.errors import ProgrammeError, RegistrationError
from app.extensions import db
from app.meetings.models import RoleName
from app.programme.conflicts import PARTICIPANTS_DOUBLE_BOOKED, find_conflicts
from app.programme.models import AgendaSession
from app.programme.sessions import SessionInput, update_session
from app.registration.models import ClusterPlace, PlaceStatus, Registration, RegistrationStatus
from app.registration.places import change_capacity, take_place
from app.registration.queries import rosters
from app.registration.registrations import withdraw
from app.timezones import to_local
from tests import factories
from tests.registration.test_concurrency import _wide_config


def _as_if_read_before(registration: Registration, status: RegistrationStatus) -> None:
    """Make the in-memory registration carry a status read before another request changed it."""
    sa.orm.attributes.set_committed_value(registration, "status", status)


def test_a_place_request_reads_the_status_under_the_lock(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=1)
    full = sessions[(1, 1)]
    take_place(make_registration(meeting), full)
    late = make_registration(meeting)
    # Another request withdrew it a moment ago; this one read it while it was approved.
    db.session.execute(
        sa.update(Registration)
        .where(Registration.id == late.id)
        .values(status=RegistrationStatus.CANCELLED)
    )
    _as_if_read_before(late, RegistrationStatus.APPROVED)
    with pytest.raises(RegistrationError, match="cancelled"):
        take_place(late, full, wait=True)
    assert (
        db.session.scalars(
            select(ClusterPlace).where(ClusterPlace.registration_id == late.id)
        ).all()
        == []
    )


def test_a_capacity_raise_never_confirms_a_registration_that_ended(breakouts, make_registration):
    meeting, sessions, clusters = breakouts(capacity=1)
    target = sessions[(1, 1)]
    take_place(make_registration(meeting), target)
    gone = make_registration(meeting)
    take_place(gone, target, wait=True)
    waiting = make_registration(meeting)
    take_place(waiting, target, wait=True)
    # A waiting-list row left behind by a registration that ended (as the old race left them).
    db.session.execute(
        sa.update(Registration)
        .where(Registration.id == gone.id)
        .values(status=RegistrationStatus.CANCELLED)
    )
    db.session.expire_all()
    promoted = change_capacity(clusters[1], 3)
    assert [p.registration_id for p in promoted] == [waiting.id]
    holders = {
        p.registration_id: p.status
        for p in db.session.scalars(
            select(ClusterPlace).where(ClusterPlace.session_id == target.id)
        )
    }
    assert gone.id not in holders
    assert holders[waiting.id] == PlaceStatus.CONFIRMED


def test_rosters_list_only_live_registrations(breakouts, make_registration):
    meeting, sessions, _ = breakouts(capacity=2)
    target = sessions[(1, 1)]
    kept = make_registration(meeting, delegation="Thailand")
    ended = make_registration(meeting, delegation="Lebanon")
    take_place(kept, target)
    take_place(ended, target)
    db.session.execute(
        sa.update(Registration)
        .where(Registration.id == ended.id)
        .values(status=RegistrationStatus.DECLINED)
    )
    listed = [
        entry.delegation
        for roster in rosters(meeting)[1]
        if roster.session_.id == target.id
        for entry in roster.confirmed + roster.waiting
    ]
    assert listed == ["Thailand"]


def _moved(session_: AgendaSession, onto: AgendaSession, **extra) -> SessionInput:
    start = to_local(onto.starts_at, session_.meeting.timezone)
    end = to_local(onto.ends_at, session_.meeting.timezone)
    return SessionInput(
        title=session_.title,
        kind=session_.kind.value,
        track_id=session_.track_id,
        cluster_id=session_.cluster_id,
        slot=session_.slot,
        day=start.date(),
        start_time=start.time().replace(tzinfo=None),
        end_time=end.time().replace(tzinfo=None),
        **extra,
    )


def test_moving_a_breakout_onto_another_slot_asks_first_and_names_the_people(
    breakouts, make_registration, make_user
):
    meeting, sessions, _ = breakouts(capacity=5)
    first, second = sessions[(1, 1)], sessions[(2, 2)]
    both = [make_registration(meeting, make_user(name=f"Delegate {n}")) for n in range(3)]
    for registration in both:
        take_place(registration, first)
        take_place(registration, second)
    db.session.commit()
    starts_before = first.starts_at
    with pytest.raises(ProgrammeError) as refused:
        update_session(first, _moved(first, second))
    assert refused.value.field == "accept_clashes"
    assert "3 participants" in refused.value.message
    assert "Delegate 0" in refused.value.message
    assert "Breakout 2: cluster 2" in refused.value.message
    db.session.rollback()
    assert db.session.get(AgendaSession, first.id).starts_at == starts_before

    first = db.session.get(AgendaSession, first.id)
    second = db.session.get(AgendaSession, second.id)
    update_session(first, _moved(first, second, accept_clashes=True))
    clashes = [c for c in find_conflicts(meeting) if c.kind == PARTICIPANTS_DOUBLE_BOOKED]
    assert len(clashes) == 1
    assert set(clashes[0].session_ids) == {first.id, second.id}
    assert "Delegate 2" in clashes[0].message


def test_the_session_form_shows_the_people_and_the_box(
    client, sign_in, post_form, breakouts, make_registration, make_user
):
    meeting, sessions, _ = breakouts(capacity=5)
    organiser = make_user()
    factories.grant_role(meeting, organiser, RoleName.ORGANISER)
    first, second = sessions[(1, 1)], sessions[(2, 2)]
    registration = make_registration(meeting, make_user(name="Nguyễn Thị Hương"))
    take_place(registration, first)
    take_place(registration, second)
    db.session.commit()
    sign_in(organiser)
    start = to_local(second.starts_at, meeting.timezone)
    end = to_local(second.ends_at, meeting.timezone)
    form = {
        "title": first.title,
        "kind": first.kind.value,
        "track_id": str(first.track_id),
        "cluster_id": str(first.cluster_id),
        "slot": "1",
        "day": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "version": str(first.version),
    }
    url = f"/meetings/{meeting.slug}/manage/sessions/{first.id}/edit"
    page = post_form(url, form).get_data(as_text=True)
    assert "Nguyễn Thị Hương" in page and 'name="accept_clashes"' in page
    db.session.expire_all()
    assert db.session.get(AgendaSession, first.id).starts_at != second.starts_at
    response = post_form(url, {**form, "accept_clashes": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaSession, first.id).starts_at == second.starts_at


def test_take_place_racing_withdraw_never_leaves_a_place(postgres_app, breakouts):
    """On PostgreSQL, separate connections: a place request and a withdrawal at once."""
    rounds = 12
    with postgres_app.app_context():
        meeting, sessions, _ = breakouts(clusters=1, slots=1, capacity=1)
        target_id = sessions[(1, 1)].id
        factories.make_registration(meeting)  # holds the one place, so the others wait
        blocker = db.session.scalars(select(Registration)).first()
        take_place(blocker, db.session.get(AgendaSession, target_id))
        racers = [factories.make_registration(meeting).id for _ in range(rounds)]
        db.session.commit()

    worker_app = create_app(_wide_config(postgres_app.config["SQLALCHEMY_DATABASE_URI"]))
    errors: list[BaseException] = []

    def run(action, registration_id, start):
        with worker_app.app_context():
            registration = db.session.get(Registration, registration_id)
            target = db.session.get(AgendaSession, target_id)
            _ = registration.meeting.status, target.track, target.cluster  # read before racing
            start.wait()
            try:
                if action == "take":
                    take_place(registration, target, wait=True)
                else:
                    withdraw(registration)
                db.session.commit()
            except RegistrationError:
                db.session.rollback()
            except Exception as error:  # collected, and the test fails below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    for registration_id in racers:
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=run, args=(action, registration_id, start))
            for action in ("take", "withdraw")
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    with worker_app.app_context():
        db.engine.dispose()

    assert errors == []
    with postgres_app.app_context():
        leaked = db.session.scalars(
            select(ClusterPlace)
            .join(Registration, Registration.id == ClusterPlace.registration_id)
            .where(Registration.status != RegistrationStatus.APPROVED)
        ).all()
        assert leaked == []
        ended = db.session.scalar(
            select(sa.func.count())
            .select_from(Registration)
            .where(Registration.id.in_(racers), Registration.status == RegistrationStatus.CANCELLED)
        )
        assert ended == rounds

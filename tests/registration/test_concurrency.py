"""The capacity invariant under load, on PostgreSQL: many sign-ups at once, separate connections."""

import threading

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.programme.models import AgendaSession
from app.registration.models import ClusterPlace, PlaceStatus, Registration
from app.registration.services import RegistrationError, take_place
from config import TestingConfig

SIGN_UPS = 240
THREADS = 60
CAPACITY = 50


class WideTestingConfig(TestingConfig):
    # One connection per worker thread, so the sign-ups really meet in the database.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": THREADS, "max_overflow": 0, "pool_timeout": 60}


@pytest.mark.postgres
def test_simultaneous_sign_ups_never_overbook_and_keep_the_list_gap_free(
    app, breakouts, make_registration
):
    meeting, sessions, _ = breakouts(clusters=1, slots=1, capacity=CAPACITY)
    target_id = sessions[(1, 1)].id
    registration_ids = [make_registration(meeting).id for _ in range(SIGN_UPS)]
    db.session.commit()

    worker_app = create_app(WideTestingConfig)
    start = threading.Barrier(THREADS)
    queue = list(registration_ids)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker():
        with worker_app.app_context():
            db.session.execute(select(1))  # hold a connection before the start line
            db.session.rollback()
            start.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    registration_id = queue.pop()
                try:
                    registration = db.session.get(Registration, registration_id)
                    target = db.session.get(AgendaSession, target_id)
                    take_place(registration, target, wait=True)
                    db.session.commit()
                except RegistrationError as error:  # pragma: no cover - would fail below
                    db.session.rollback()
                    errors.append(error)
                except Exception as error:  # pragma: no cover
                    db.session.rollback()
                    errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    with worker_app.app_context():
        db.session.remove()
        db.engine.dispose()

    assert errors == []
    db.session.expire_all()
    rows = db.session.scalars(select(ClusterPlace).where(ClusterPlace.session_id == target_id))
    rows = list(rows)
    confirmed = [p for p in rows if p.status == PlaceStatus.CONFIRMED]
    waiting = sorted(p.waitlist_position for p in rows if p.status == PlaceStatus.WAITLISTED)
    assert len(rows) == SIGN_UPS
    assert len(confirmed) == CAPACITY
    assert waiting == list(range(1, SIGN_UPS - CAPACITY + 1))

"""The capacity invariant under load, on PostgreSQL: many sign-ups at once, separate connections."""

import threading

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.programme.models import AgendaSession
from app.registration.models import ClusterPlace, PlaceStatus, Registration
from app.registration.places import take_place
from config import TestingConfig
from tests import factories

SIGN_UPS = 240
# PostgreSQL allows 100 connections by default: 80 workers leave room for the suite itself.
THREADS = 80
CAPACITY = 50


def _wide_config(url: str):
    class WideConfig(TestingConfig):
        # One connection per worker thread, so the sign-ups really meet in the database.
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": THREADS, "max_overflow": 0, "pool_timeout": 60}

        @property
        def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
            return url

    return WideConfig


def test_simultaneous_sign_ups_never_overbook_and_keep_the_list_gap_free(postgres_app, breakouts):
    with postgres_app.app_context():
        meeting, sessions, _ = breakouts(clusters=1, slots=1, capacity=CAPACITY)
        target_id = sessions[(1, 1)].id
        registration_ids = [factories.make_registration(meeting).id for _ in range(SIGN_UPS)]
        db.session.commit()

    worker_app = create_app(_wide_config(postgres_app.config["SQLALCHEMY_DATABASE_URI"]))
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
                except Exception as error:  # collected, and the test fails below
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
    with postgres_app.app_context():
        rows = list(
            db.session.scalars(select(ClusterPlace).where(ClusterPlace.session_id == target_id))
        )
        assert db.engine.dialect.name == "postgresql"
    confirmed = [p for p in rows if p.status == PlaceStatus.CONFIRMED]
    waiting = sorted(p.waitlist_position for p in rows if p.status == PlaceStatus.WAITLISTED)
    assert len(rows) == SIGN_UPS
    assert len(confirmed) == CAPACITY
    assert waiting == list(range(1, SIGN_UPS - CAPACITY + 1))

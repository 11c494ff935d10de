"""Two desks scanning the same badge at the same moment, on PostgreSQL: one check-in each time.

Each desk is a thread with its own connection; they meet at a barrier before every badge, so
both read "not checked in yet" and both insert. The unique index lets one row in; the other
desk's savepoint rolls back and it answers "already checked in" with the first desk's time.
"""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models_base import utcnow
from app.timezones import local_date
from app.venue import checkins
from app.venue.models import CheckIn
from config import TestingConfig
from tests import factories

BADGES = 20
DESKS = 2


def _config(url: str):
    class DeskConfig(TestingConfig):
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": DESKS, "max_overflow": 0, "pool_timeout": 30}

        @property
        def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
            return url

    return DeskConfig


def test_two_desks_one_badge_one_check_in(postgres_app):
    with postgres_app.app_context():
        today = local_date(utcnow(), "Asia/Bangkok")
        meeting = factories.make_meeting(
            first_day=today, last_day=today + timedelta(days=1), timezone="Asia/Bangkok"
        )
        meeting_id = meeting.id
        registration_ids = [factories.make_registration(meeting).id for _ in range(BADGES)]
        db.session.commit()

    desk_app = create_app(_config(postgres_app.config["SQLALCHEMY_DATABASE_URI"]))
    start = threading.Barrier(DESKS)
    created: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk(name: str):
        from app.meetings.models import Meeting

        with desk_app.app_context():
            try:
                for registration_id in registration_ids:
                    the_meeting = db.session.get(Meeting, meeting_id)
                    start.wait(timeout=30)
                    result = checkins.check_in(the_meeting, registration_id, desk=name)
                    db.session.commit()
                    with lock:
                        created.append((registration_id, result.created))
            except BaseException as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(error)
                start.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=desk, args=(f"Desk {n}",)) for n in range(1, DESKS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with desk_app.app_context():
        db.engine.dispose()

    assert errors == []
    with postgres_app.app_context():
        rows = db.session.execute(
            select(CheckIn.registration_id, func.count()).group_by(CheckIn.registration_id)
        ).all()
        assert sorted(rows) == [(rid, 1) for rid in sorted(registration_ids)]
    # Each badge: one desk checked the person in, the other heard "already checked in".
    for registration_id in registration_ids:
        outcomes = sorted(c for rid, c in created if rid == registration_id)
        assert outcomes == [False, True], registration_id

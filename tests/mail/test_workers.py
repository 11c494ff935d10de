"""Two workers on PostgreSQL, claiming from the same outbox at once, send each message once."""

import threading

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.mail import delivery
from app.mail.models import MessageState, OutboxMessage
from app.mail.notices import notify
from tests.mail.conftest import mail_server_for

MESSAGES = 120


def test_two_workers_send_each_message_once(postgres_app):
    users = [
        User(email=f"p{i}@example.org", name=f"P {i}", password_hash="x") for i in range(MESSAGES)
    ]
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        notify(user, "password_changed", kind="account", essential=True)
    db.session.commit()
    with mail_server_for(postgres_app) as server:
        start = threading.Barrier(2)
        reports = []

        def work():
            with postgres_app.app_context():
                start.wait()
                while True:
                    # Small batches, so the two workers interleave many claims.
                    report = delivery.deliver_due(limit=5)
                    reports.append(report)
                    if not report.handled:
                        break
                db.session.remove()

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        recipients = [r.recipients[0] for r in server.received]
    assert len(recipients) == MESSAGES
    assert len(set(recipients)) == MESSAGES
    assert sum(r.sent for r in reports) == MESSAGES
    states = db.session.scalars(sa.select(OutboxMessage.state)).all()
    assert set(states) == {MessageState.SENT}

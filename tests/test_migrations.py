"""The Alembic migrations and the models describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_migrations_leave_nothing_for_autogenerate(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_named_constraints_exist_in_the_database(app):
    from sqlalchemy import inspect

    inspector = inspect(db.engine)
    checks = {c["name"] for c in inspector.get_check_constraints("sessions")}
    uniques = {c["name"] for c in inspector.get_unique_constraints("cluster_places")}
    assert "ck_sessions_ends_after_starts" in checks
    assert "uq_cluster_places_one_per_slot" in uniques

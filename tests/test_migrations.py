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


def test_0013_makes_delegation_records_from_the_registrations_text(tmp_path):
    """Registrations made before the records existed get one record per delegation name
    (any case) and meeting, with the earliest registration's category; downgrading works."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app import create_app
    from config import TestingConfig, normalise_database_url

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"

    class ScratchConfig(TestingConfig):
        @property
        def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
            return normalise_database_url(url)

    scratch = create_app(ScratchConfig)
    with scratch.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            now = "2020-01-01 00:00:00"
            conn.execute(sa.text(
                "INSERT INTO meetings (id, slug, title, short_title, kind, theme, "
                "substantive_issue, venue, city, country, timezone, language, first_day, "
                "last_day, host_body, convening_body, reports_to, status, "
                "registration_needs_approval, one_cluster_for_all_slots, created_at, "
                "updated_at, version, programme_revision) VALUES (1, 'm', 'M', 'M', "
                "'conference', '', '', '', '', '', 'UTC', 'en', '2020-02-27', '2020-02-28', "
                "'', '', '', 'published', 0, 0, :now, :now, 1, 0)"), {"now": now})  # fmt: skip
            for n in (1, 2, 3):
                conn.execute(sa.text(
                    "INSERT INTO users (id, email, name, password_hash, is_admin, "
                    "can_create_meetings, created_at) VALUES (:n, :e, 'U', 'x', 0, 0, :now)"),
                    {"n": n, "e": f"u{n}@example.org", "now": now})  # fmt: skip
                conn.execute(sa.text(
                    "INSERT INTO people (id, meeting_id, user_id, honorific, name, position, "
                    "organisation, country, biography, updated_at) VALUES (:n, 1, :n, '', 'P', "
                    "'', '', '', '', :now)"), {"n": n, "now": now})  # fmt: skip
            rows = ((1, "Thailand", "member_state"), (2, "thailand", "youth"),
                    (3, "UNODC", "un_entity"))  # fmt: skip
            for n, delegation, category in rows:
                conn.execute(sa.text(
                    "INSERT INTO registrations (id, meeting_id, user_id, person_id, delegation, "
                    "category, status, organiser_note, created_at, updated_at) VALUES (:n, 1, "
                    ":n, :n, :d, :c, 'approved', '', :now, :now)"),
                    {"n": n, "d": delegation, "c": category, "now": now})  # fmt: skip
        upgrade(revision="0013")
        with db.engine.connect() as conn:
            records = conn.execute(
                sa.text("SELECT id, name, category, kind FROM delegations ORDER BY name")
            ).all()
            links = dict(conn.execute(sa.text("SELECT id, delegation_id FROM registrations")).all())
        assert [(r.name, r.category, r.kind) for r in records] == [
            ("Thailand", "member_state", "state"),
            ("UNODC", "un_entity", "organisation"),
        ]
        assert links[1] == links[2] == records[0].id and links[3] == records[1].id
        downgrade(revision="0010")
        db.session.remove()
        db.engine.dispose()

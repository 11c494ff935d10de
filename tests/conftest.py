"""Test set-up: one schema built by the Alembic migrations, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
Under REQUIRE_FULL=1 a test that would skip (no browser, no PostgreSQL) fails instead. Tests that
need PostgreSQL itself take the `postgres_app` fixture, which finds a server on SQLite runs too.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from config import TestingConfig, normalise_database_url
from tests import factories

REQUIRE_FULL = os.environ.get("REQUIRE_FULL") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test that cannot run here, or fail it when CI requires the full suite."""
    if REQUIRE_FULL:
        pytest.fail(f"REQUIRE_FULL=1 but: {reason}")
    pytest.skip(reason)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'plenary-test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith("postgresql"):
        # Each pytest-xdist worker empties and migrates a database of its own beside the one
        # named ("test" -> "test_gw0"), created here when the server has none yet.
        server, _, name = url.rpartition("/")
        url = f"{server}/{name}_{worker}"
        admin = sa.create_engine(
            normalise_database_url(f"{server}/postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": f"{name}_{worker}"},
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}_{worker}"'))
        admin.dispose()
    return url


@pytest.fixture(scope="session")
def app():
    """The application on a fresh database whose schema comes from the migrations."""
    tmp_dir = Path(tempfile.mkdtemp(prefix="plenary-test-"))
    url = _database_url(tmp_dir)
    os.environ["TEST_DATABASE_URL"] = url  # TestingConfig reads it
    application = create_app(TestingConfig)
    with application.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs inside an app context and leaves an empty database behind."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_database()


def _empty_database() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


class FreshGlobalsClient(FlaskClient):
    """A test client whose requests see committed data and do not share the test's `g`.

    Flask reuses an app context that is already pushed, so without this the signed-in user
    (Flask-Login caches it on `g`) and per-request caches would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        # What the test stored is committed first, as it would be before a real request:
        # a view that rolls back cannot take the test's own records with it, and every page
        # reads from the database rather than from the test's objects.
        db.session.commit()
        for name in list(g):
            g.pop(name, None)
        return super().open(*args, **kwargs)


@pytest.fixture
def postgres_app(app):
    """An app on PostgreSQL for tests that need its locking, whatever the suite runs on.

    On a PostgreSQL run it is the suite's own app. On a SQLite run it is a second app on a
    scratch database (created, migrated, dropped afterwards) of the server named by
    TEST_POSTGRES_SERVER (default: the local one); without a server the test skips, or fails
    under REQUIRE_FULL=1.
    """
    if db.engine.dialect.name == "postgresql":
        yield app
        return
    server = os.environ.get("TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1")
    name = f"plenary_scratch_{os.getpid()}"
    try:
        admin = sa.create_engine(
            f"{server}/postgres".replace("postgresql://", "postgresql+psycopg://", 1),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        skip_or_fail(f"no PostgreSQL server at {server}: {error}")
    url = f"{server}/{name}"

    class ScratchConfig(TestingConfig):
        @property
        def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
            return normalise_database_url(url)

    scratch = create_app(ScratchConfig)
    try:
        with scratch.app_context():
            from flask_migrate import upgrade

            upgrade()
            yield scratch
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def client(app):
    app.test_client_class = FreshGlobalsClient
    return app.test_client()


@pytest.fixture
def is_postgres(app) -> bool:
    return db.engine.dialect.name == "postgresql"


# Factories: fixtures that return callables, so each test states only what matters to it.


@pytest.fixture
def make_user():
    return factories.make_user


@pytest.fixture
def make_meeting():
    return factories.make_meeting


@pytest.fixture
def grant_role():
    return factories.grant_role


@pytest.fixture
def make_track():
    return factories.make_track


@pytest.fixture
def make_room():
    return factories.make_room


@pytest.fixture
def make_person():
    return factories.make_person


@pytest.fixture
def make_session():
    return factories.make_session


@pytest.fixture
def make_cluster():
    return factories.make_cluster


@pytest.fixture
def make_agenda_item():
    return factories.make_agenda_item


@pytest.fixture
def make_registration():
    return factories.make_registration


def sign_in_client(test_client, user):
    """Sign an account in on a test client without going through the form: a server-side
    session is opened (committed with the client's next request) and its token set."""
    from app.auth.sessions import open_session

    token = open_session(user)
    with test_client.session_transaction() as sess:
        sess["_user_id"] = token
        sess["_fresh"] = True
    return test_client


@pytest.fixture
def sign_in(client):
    """Sign an account in on the test client without going through the form."""

    def _sign_in(user, test_client=None):
        return sign_in_client(test_client or client, user)

    return _sign_in


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture
def csrf_token(client):
    """A valid CSRF token for the client's session, read from a rendered page."""

    def _token(test_client=None) -> str:
        c = test_client or client
        page = c.get("/").get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match, "the page carries no CSRF token"
        return match.group(1)

    return _token


@pytest.fixture
def post_form(client, csrf_token):
    """POST a form with a valid CSRF token, as a browser would."""

    def _post(url: str, data: dict | None = None, test_client=None, **kwargs):
        c = test_client or client
        payload = {"csrf_token": csrf_token(c), **(data or {})}
        return c.post(url, data=payload, **kwargs)

    return _post

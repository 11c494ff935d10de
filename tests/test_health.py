"""Liveness and readiness answers for load balancers and orchestrators."""

from app import create_app
from config import TestingConfig


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.data == b"ok"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    class Unreachable(TestingConfig):
        @property
        def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
            # A directory cannot be opened as a database file: every connection fails.
            return f"sqlite:///{tmp_path}"

    app = create_app(Unreachable)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.data == b"database unavailable"
    # Liveness does not depend on the database.
    assert app.test_client().get("/healthz").status_code == 200

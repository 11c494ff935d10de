"""While the database does not answer, every page is a 503 with Retry-After, signed in or not."""

import pytest

from app import create_app
from config import TestingConfig


class NoDatabaseConfig(TestingConfig):
    # A port nothing listens on: every connection is refused at once.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}}

    @property
    def SQLALCHEMY_DATABASE_URI(self):  # noqa: N802
        return "postgresql+psycopg://plenary@127.0.0.1:9/nowhere"


@pytest.fixture
def unreachable():
    app = create_app(NoDatabaseConfig)
    with app.app_context():
        yield app


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "path", ["/", "/meetings/2nd-accpcj/", "/meetings/2nd-accpcj/programme", "/readyz"]
)
def test_pages_answer_503_with_retry_after(unreachable, signed_in, path):
    client = unreachable.test_client()
    if signed_in:
        with client.session_transaction() as sess:
            sess["_user_id"] = "1"
            sess["_fresh"] = True
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    if path != "/readyz":
        assert "Temporarily unavailable" in response.get_data(as_text=True)


def test_liveness_needs_no_database(unreachable):
    assert unreachable.test_client().get("/healthz").status_code == 200

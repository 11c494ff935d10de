"""Fixtures for the public pages."""

import pytest
from flask import g

from app.extensions import db


@pytest.fixture
def client(client):
    """The test client, reading what the test stored rather than the test's own objects.

    Requests run inside the test's app context, so they share its database session and its
    `g`. Committing expires every object and clearing `g` forgets the last request's user and
    roles, so each page loads afresh, as it would in production.
    """

    class Committing:
        def get(self, *args, **kwargs):
            db.session.commit()
            for name in list(vars(g)):
                delattr(g, name)
            return client.get(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(client, name)

    return Committing()

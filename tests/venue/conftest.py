"""A meeting that runs today (check-ins are refused on any other day), with participants."""

from datetime import timedelta

import pytest

from app.models_base import utcnow
from app.timezones import local_date
from tests import factories


@pytest.fixture
def running_meeting():
    """A published meeting whose first day is today in Bangkok, and runs two days."""

    def _make(**fields):
        today = local_date(utcnow(), "Asia/Bangkok")
        return factories.make_meeting(
            first_day=fields.pop("first_day", today),
            last_day=fields.pop("last_day", today + timedelta(days=1)),
            timezone="Asia/Bangkok",
            **fields,
        )

    return _make

"""Public pages of a published meeting: programme by day, sessions, speakers, agenda."""

from app.programme import bp  # noqa: F401

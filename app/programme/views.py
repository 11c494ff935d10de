"""Organiser pages for planning the programme."""

from app.programme import bp  # noqa: F401

"""Meetings, their roles, agenda items, officers and documents."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

from app.meetings import views  # noqa: E402,F401  (routes register on bp)

"""The programme: tracks, rooms, people, sessions, clusters, conflicts, and its public pages."""

from flask import Blueprint

bp = Blueprint("programme", __name__)

from app.programme import public_views, views  # noqa: E402,F401  (routes register on bp)

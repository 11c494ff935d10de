"""Registration: meeting registrations, cluster and workshop places, waiting lists, rosters."""

from flask import Blueprint

bp = Blueprint("registration", __name__)

from app.registration import views  # noqa: E402,F401  (routes register on bp)

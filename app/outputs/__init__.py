"""Rapporteur outputs and the Chair's Summary."""

from flask import Blueprint

bp = Blueprint("outputs", __name__)

from app.outputs import views  # noqa: E402,F401  (routes register on bp)

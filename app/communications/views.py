"""Messages to participants and the meeting's outbox (organisers)."""

from flask import Blueprint

bp = Blueprint("communications", __name__)

"""Exports: iCalendar feeds, the JSON programme and its OpenAPI description, and PDFs."""

from flask import Blueprint

bp = Blueprint("exports", __name__)


@bp.app_template_global()
def webcal_url(url: str) -> str:
    """The subscribe link for a feed: the same address with the webcal:// scheme."""
    return "webcal://" + url.split("://", 1)[-1]


from app.exports import views  # noqa: E402,F401  (routes register on bp)

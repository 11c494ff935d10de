"""The bounds of what a user may enter, and the check that holds text to them.

Every size a user controls has a bound that fits the domain, so that no request's work grows
past it: the longest title a UN document carries, more places than any venue holds, and so on.
"""

from flask_babel import gettext as _

from app.errors import DomainError

# Session, cluster and topic titles.
TITLE_MAX = 300
# Names of people, tracks and rooms.
NAME_MAX = 200
# Long text: a biography, a session's description, a discussion guide.
LONG_TEXT_MAX = 20_000
# Larger than any venue, small enough for a 32-bit INTEGER column on every database.
MAX_PLACES = 1_000_000


def check_text(
    value: str | None,
    limit: int,
    field: str,
    *,
    required: bool = True,
    error: type[DomainError] = DomainError,
) -> str:
    """The text without surrounding spaces; `error` when it is missing or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        raise error(_("This field is required."), field)
    if len(value) > limit:
        raise error(_("Use at most %(limit)d characters.", limit=limit), field)
    return value

"""The bounds of what a user may enter, and the check that holds text to them.

Every size a user controls has a bound that fits the domain, so that no request's work grows
past it: the longest title a UN document carries, more places than any venue holds, and so on.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db

# Session, cluster and topic titles.
TITLE_MAX = 300
# Names of people, tracks and rooms.
NAME_MAX = 200
# Agenda items, workshops and documents: the UN's titles run long.
AGENDA_TITLE_MAX = 1000
# Long text: a biography, a session's description, a discussion guide.
LONG_TEXT_MAX = 20_000
# Larger than any venue, small enough for a 32-bit INTEGER column on every database.
MAX_PLACES = 1_000_000

# A meeting's days: a UN Crime Congress runs eight days; a month covers any meeting we hold.
MAX_MEETING_DAYS = 31
# The years a meeting may fall in: the first UN Congress met in 1955.
FIRST_YEAR = 1950
LAST_YEAR = 2200

# How many records a meeting may hold: above the largest meetings we know (the congress preset
# has 400 sessions across 12 rooms), below what would make any page or export heavy.
MAX_SESSIONS = 1_000
MAX_TRACKS = 50
MAX_ROOMS = 200
MAX_CLUSTERS = 200
MAX_TOPICS = 30
MAX_PEOPLE_PER_SESSION = 60
MAX_AGENDA_ITEMS = 300
MAX_WORKSHOPS = 100
MAX_DOCUMENTS = 1_000
MAX_OFFICERS = 50
MAX_PEOPLE = 20_000
MAX_REGISTRATIONS = 20_000
# A UN congress has some 190 States and as many organisations.
MAX_DELEGATIONS = 1_000


def check_room_for_one_more(
    model,
    meeting_id: int,
    limit: int,
    message: str,
    field: str | None = None,
    *,
    error: type[DomainError] = DomainError,
) -> None:
    """Refuse a new record of `model` when the meeting holds `limit` of them already."""
    held = db.session.scalar(
        select(func.count()).select_from(model).where(model.meeting_id == meeting_id)
    )
    if held >= limit:
        raise error(message, field)


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


# A spreadsheet uploaded for import: a congress programme is some 200 kB.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = MAX_SESSIONS

# Badges or certificates in one PDF: a large delegation's or category's, not a congress's
# 20,000 at once (those print by delegation or category).
BADGES_PER_PDF_MAX = 1_000
# Names the registration desk's search lists at once.
DESK_SEARCH_MAX = 25

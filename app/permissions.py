"""Who may use each route. Every view declares it with `@allows(level)`; the view still checks
(it loads the meeting and refuses with 403 or 404), and tests/test_route_access.py holds every
route in app.url_map to its declaration for every kind of account: a route that lets in
someone its declaration does not, or a new route that declares nothing, fails the suite.
"""

from collections.abc import Callable

# Levels, from the widest: what each lets in (a published meeting; a draft is its
# organisers' alone, whatever the level).
LEVELS = {
    "anyone": "everyone, signed in or not",
    "password": "anyone who gives the right password (a sign-in or rescue form)",
    "token": "whoever holds the secret token in the address (a private calendar feed)",
    "signed_in": "any signed-in account",
    "creator": "site administrators and the accounts they let create meetings",
    "registered": "a participant registered for the meeting",
    "author": "the rapporteur assigned to the output (a site administrator may step in)",
    "rapporteur": "the meeting's rapporteurs, its Chair and its organisers",
    "reviewer": "the meeting's Chair and its organisers",
    "desk": "the meeting's registration desk and its organisers (checking people in)",
    "focal_point": "the delegation's focal point and the meeting's organisers",
    "organiser": "the meeting's organisers (and site administrators)",
}


def allows(level: str) -> Callable:
    """Declare who may use a view (one of LEVELS)."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}; one of {sorted(LEVELS)}")

    def declare(view: Callable) -> Callable:
        view.allows = level
        return view

    return declare

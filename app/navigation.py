"""The organiser's sub-navigation: one list, shown on every management page."""

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

MANAGE_NAV = [
    ("meetings.manage_meeting", _l("Overview")),
    ("meetings.edit_meeting", _l("Details")),
    ("meetings.list_agenda_items", _l("Agenda")),
    ("programme.list_tracks", _l("Tracks")),
    ("programme.list_rooms", _l("Rooms")),
    ("programme.list_people", _l("People")),
    ("programme.list_sessions", _l("Sessions")),
    ("programme.list_clusters", _l("Clusters")),
    ("programme.show_conflicts", _l("Conflicts")),
    ("registration.list_registrations", _l("Registrations")),
    ("registration.show_rosters", _l("Rosters")),
    ("registration.show_attendance", _l("Attendance")),
    ("outputs.list_outputs", _l("Rapporteurs")),
    ("outputs.edit_chairs_summary", _l("Chair's Summary")),
    ("meetings.list_officers", _l("Officers")),
    ("meetings.list_documents", _l("Documents")),
    ("meetings.list_roles", _l("Roles")),
]


def manage_nav() -> list[tuple[str, str]]:
    """The entries whose pages exist in this app."""
    return [
        (endpoint, label)
        for endpoint, label in MANAGE_NAV
        if endpoint in current_app.view_functions
    ]


def safe_local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a link cannot send anyone elsewhere.

    urlsplit drops tabs and line breaks the way browsers do, so "/\t/evil.example" is caught.
    """
    if not target:
        return None
    parts = urlsplit(target)
    if target.startswith("/") and not parts.scheme and not parts.netloc:
        return target
    return None

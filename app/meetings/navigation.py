"""The organiser's sub-navigation: one list, shown on every management page."""

from flask_babel import lazy_gettext as _l

from app.meetings.access import can_manage, has_role
from app.meetings.models import RoleName

# (endpoint, label, who sees it): organisers see everything; a Chair who does not organise
# sees the review pages only, never links that would answer 403.
MANAGE_NAV = [
    ("meetings.manage_meeting", _l("Overview"), "organiser"),
    ("meetings.edit_meeting", _l("Details"), "organiser"),
    ("meetings.list_agenda_items", _l("Agenda"), "organiser"),
    ("programme.list_tracks", _l("Tracks"), "organiser"),
    ("programme.list_rooms", _l("Rooms"), "organiser"),
    ("programme.list_people", _l("People"), "organiser"),
    ("programme.list_sessions", _l("Sessions"), "organiser"),
    ("board.show_timetable", _l("Timetable"), "organiser"),
    ("board.list_changes", _l("Changes"), "organiser"),
    ("programme.list_clusters", _l("Clusters"), "organiser"),
    ("programme.show_conflicts", _l("Conflicts"), "organiser"),
    ("delegations.list_delegations", _l("Delegations"), "organiser"),
    ("registration.list_registrations", _l("Registrations"), "organiser"),
    ("registration.show_rosters", _l("Rosters"), "organiser"),
    ("registration.show_attendance", _l("Attendance"), "organiser"),
    ("venue.show_venue", _l("At the venue"), "organiser"),
    ("communications.show_outbox", _l("Messages"), "organiser"),
    ("outputs.list_outputs", _l("Rapporteurs"), "reviewer"),
    ("outputs.edit_chairs_summary", _l("Chair's Summary"), "reviewer"),
    ("outline.show_outline", _l("Report"), "reviewer"),
    ("meetings.list_officers", _l("Officers"), "organiser"),
    ("meetings.list_documents", _l("Documents"), "organiser"),
    ("meetings.list_roles", _l("Roles"), "organiser"),
]


def manage_nav(meeting) -> list[tuple[str, str]]:
    """The management pages the current account may open in this meeting."""
    if can_manage(meeting):
        return [(endpoint, label) for endpoint, label, _who in MANAGE_NAV]
    if has_role(meeting, RoleName.CHAIR):
        return [(endpoint, label) for endpoint, label, who in MANAGE_NAV if who == "reviewer"]
    return []

"""What the venue's PDFs say: the badges' and certificates' content, built from the one query
of participants (app/venue/queries.py) and handed to the pure renderers (documents.py)."""

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from app.errors import VenueError
from app.limits import BADGES_PER_PDF_MAX
from app.meetings.models import Meeting
from app.venue import queries
from app.venue.documents import qr_svg
from app.venue.queries import Participant, Signatory
from app.venue.tokens import badge_token


def _meeting(meeting: Meeting) -> dict[str, Any]:
    place = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    return {
        "title": meeting.title,
        "short_title": meeting.short_title,
        "place": place,
        "first_day": format_date(meeting.first_day, "long"),
        "last_day": format_date(meeting.last_day, "long"),
    }


def badge_content(meeting: Meeting, people: list[Participant]) -> dict[str, Any]:
    """The badges of these participants, each with its signed QR code."""
    if not people:
        raise VenueError(_("No approved participant matches: there is no badge to print."))
    if len(people) > BADGES_PER_PDF_MAX:
        raise VenueError(
            _(
                "That is more than %(max)s badges; print at most %(max)s at once (by delegation "
                "or category).",
                max=BADGES_PER_PDF_MAX,
            )
        )
    return {
        "meeting": _meeting(meeting),
        "badges": [
            {
                "honorific": person.honorific,
                "name": person.name,
                "delegation": person.delegation,
                "category": person.category.label,
                "category_key": person.category.value,
                "qr": qr_svg(badge_token(meeting, person.registration_id)),
            }
            for person in people
        ],
    }


def certificate_content(
    meeting: Meeting,
    people: list[Participant],
    days: dict[int, list[date]],
    chair: Signatory | None,
) -> dict[str, Any]:
    """Certificates of these participants who were present, signed by the meeting's Chair."""
    present = [person for person in people if days.get(person.registration_id)]
    if not present:
        raise VenueError(_("Nobody has been checked in yet: there is no certificate to print."))
    if len(present) > BADGES_PER_PDF_MAX:
        raise VenueError(
            _(
                "That is more than %(max)s certificates; print at most %(max)s at once.",
                max=BADGES_PER_PDF_MAX,
            )
        )
    return {
        "meeting": _meeting(meeting),
        "chair": chair,
        "certificates": [
            {
                "name": person.display_name,
                "delegation": person.delegation,
                "days": [format_date(day, "long") for day in days[person.registration_id]],
            }
            for person in present
        ],
    }


def certificates_for(meeting: Meeting, people: list[Participant]) -> dict[str, Any]:
    """Certificate content for these participants, reading their days and the Chair."""
    days = queries.present_days(meeting, [person.registration_id for person in people])
    return certificate_content(meeting, people, days, queries.chair_of(meeting))

"""The list of participants (an INF document, A/CONF.234/RPM.1/INF/2 in the seed's annex): by
category in the UN order, delegations alphabetical, members head first with honorific, name
and position. It is provisional until the meeting's last day has passed, final afterwards, and
entered in the meeting's documents with its symbol, pointing to the page that renders it.
"""

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.delegations.models import LIST_HEADINGS, AttendanceCategory, Delegation
from app.errors import DelegationError, MeetingError
from app.extensions import db
from app.meetings.documents import create_document, update_document
from app.meetings.models import Document, Meeting
from app.models_base import utcnow
from app.registration.models import Registration, RegistrationStatus
from app.timezones import local_date

TITLE = "List of participants"


def is_final(meeting: Meeting, today: date | None = None) -> bool:
    today = today or local_date(utcnow(), meeting.timezone)
    return today > meeting.last_day


def participants(meeting: Meeting) -> list[dict[str, Any]]:
    """The approved participants as the list prints them: one entry per heading, each with its
    delegations (name, qualifier) and their members (honorific, name, position), in one query.
    A registration not linked to a delegation record counts under its own delegation text."""
    rows = db.session.scalars(
        select(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .options(joinedload(Registration.person), joinedload(Registration.delegation_record))
    ).unique()
    delegations: dict[tuple, dict] = {}
    for r in rows:
        record: Delegation | None = r.delegation_record
        # Youth participants are listed as youth whatever delegation they come from.
        category = (
            record.category if record and r.category != AttendanceCategory.YOUTH else r.category
        )
        name = record.name if record else r.delegation
        entry = delegations.setdefault(
            (category, name.casefold()),
            {"name": name, "qualifier": record.qualifier if record else "", "members": []},
        )
        entry["members"].append(r)
    order = {category: rank for rank, category in enumerate(AttendanceCategory)}
    sections: list[dict[str, Any]] = []
    for (category, _key), entry in sorted(
        delegations.items(), key=lambda item: (order[item[0][0]], item[0][1])
    ):
        heading = str(LIST_HEADINGS[category])
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "delegations": []})
        members = sorted(entry["members"], key=lambda r: (r.member_role.rank, r.list_order, r.id))
        sections[-1]["delegations"].append(
            {
                "name": entry["name"],
                "qualifier": entry["qualifier"],
                "members": [
                    {
                        "honorific": m.person.honorific,
                        "name": m.person.name,
                        "position": m.person.position,
                        "organisation": m.person.organisation,
                        "head": m.member_role.value == "head",
                    }
                    for m in members
                ],
            }
        )
    return sections


def list_document(meeting: Meeting, url: str) -> Document | None:
    """The meeting's document entry of the list (the one pointing at its page)."""
    return db.session.scalar(
        select(Document).where(Document.meeting_id == meeting.id, Document.url == url)
    )


def enter_list(meeting: Meeting, *, symbol: str, url: str) -> Document:
    """Enter the list in the meeting's documents (or update its entry) with its symbol."""
    if "/INF/" not in (symbol or "").upper():
        raise DelegationError(
            _("A list of participants is in the information series: …/INF/2."), "symbol"
        )
    fields = {
        "symbol": symbol,
        "title": TITLE,
        "agenda_item_id": None,
        "issued_on": local_date(utcnow(), meeting.timezone),
        "url": url,
    }
    document = list_document(meeting, url)
    try:
        if document is None:
            return create_document(meeting, **fields)
        return update_document(meeting, document, **fields)
    except MeetingError as error:
        raise DelegationError(error.message, "symbol") from error


def _facts(meeting: Meeting) -> dict[str, str]:
    """The title block: the meeting, its theme, dates and venue as printed."""
    first, last = format_date(meeting.first_day, "long"), format_date(meeting.last_day, "long")
    dates = first if first == last else _("%(first)s to %(last)s", first=first, last=last)
    return {
        "title": meeting.title,
        "short_title": meeting.short_title or meeting.title,
        "theme": meeting.theme or "",
        "dates": dates,
        "venue": ", ".join(p for p in (meeting.venue, meeting.city, meeting.country) if p),
    }


def list_content(meeting: Meeting, symbol: str) -> dict[str, Any]:
    """What the PDF renders: the title block's facts, the symbol, the state and the sections."""
    final = is_final(meeting)
    return {
        "meeting": _facts(meeting),
        "symbol": symbol,
        "final": final,
        "heading": _("List of participants") if final else _("Provisional list of participants"),
        "as_of": format_date(local_date(utcnow(), meeting.timezone), "long"),
        "sections": participants(meeting),
    }

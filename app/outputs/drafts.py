"""The draft report in parts, as a UN meeting adopts its report during the meeting: the
rapporteur issues chosen chapters or sections of the outline as an L document or an addendum
(A/CONF.234/RPM.1/L.2, …/L.2/Add.1), with the UN masthead, each a PDF listed among the
meeting's documents. A chapter an earlier part began prints "(continued)". The rules flush
and never commit.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.errors import MeetingError, OutputError
from app.extensions import db
from app.meetings import document_files, documents
from app.meetings import queries as meeting_queries
from app.meetings.documents import parse_symbol
from app.meetings.models import DocumentType, Meeting, Office
from app.outputs import outline as outline_rules
from app.outputs.models import DraftReportPart, OutlinePart, PartKind
from app.outputs.queries import outline_parts
from app.outputs.report import report_content
from app.undates import date_range_short

# The six official languages of the United Nations, in the order a masthead lists them
# (English alphabetical order of their English names).
UN_LANGUAGES = {
    "ar": "Arabic",
    "zh": "Chinese",
    "en": "English",
    "fr": "French",
    "ru": "Russian",
    "es": "Spanish",
}
# The principal organ a symbol's first component names.
ORGANS = {
    "A": "General Assembly",
    "E": "Economic and Social Council",
    "S": "Security Council",
}


def languages_line(codes: list[str]) -> str:
    """The masthead's line under "Original:": "Chinese, English, French and Russian only",
    nothing when the document is issued in all six languages."""
    names = [_(UN_LANGUAGES[c]) for c in UN_LANGUAGES if c in codes]
    if len(names) in (0, len(UN_LANGUAGES)):
        return ""
    if len(names) == 1:
        return _("%(language)s only", language=names[0])
    return _("%(first)s and %(last)s only", first=", ".join(names[:-1]), last=names[-1])


def _check_languages(original: str, languages: list[str]) -> list[str]:
    if original not in UN_LANGUAGES:
        raise OutputError(_("Choose the language it was written in."), "original_language")
    chosen = [c for c in UN_LANGUAGES if c in set(languages or [])]
    if set(languages or []) - set(UN_LANGUAGES):
        raise OutputError(_("Choose among the six UN languages."), "languages")
    if original not in chosen:
        chosen = [c for c in UN_LANGUAGES if c in set(chosen) | {original}]
    return chosen


def _covered(parts: list[OutlinePart], heading_ids: list[int]) -> list[int]:
    """The ids a chosen heading brings: itself and everything under it, up to the next
    heading of its level or above."""
    chosen = set(heading_ids)
    ids: list[int] = []
    level = None
    for part in parts:
        if part.kind == PartKind.HEADING and level is not None and part.level <= level:
            level = None
        if part.id in chosen:
            level = part.level
        if level is not None:
            ids.append(part.id)
    return ids


def _chapter_of(parts: list[OutlinePart]) -> dict[int, int | None]:
    """Each part's chapter heading (the level-1 heading above it)."""
    chapter, out = None, {}
    for part in parts:
        if part.kind == PartKind.HEADING and part.level == 1:
            chapter = part.id
        out[part.id] = chapter
    return out


def draft_parts(meeting: Meeting) -> list[DraftReportPart]:
    """The parts of the draft report issued so far, in order."""
    return list(
        db.session.scalars(
            select(DraftReportPart)
            .where(DraftReportPart.meeting_id == meeting.id)
            .order_by(DraftReportPart.number)
        )
    )


def rapporteur_line(meeting: Meeting) -> str:
    """ "Sheraz Ali (Pakistan)": the elected Rapporteur, as the masthead names them."""
    for officer in meeting_queries.officers(meeting):
        if officer.office == Office.RAPPORTEUR:
            person = officer.person
            country = person.country or person.organisation
            return f"{person.display_name} ({country})" if country else person.display_name
    return ""


def issue_draft_part(
    meeting: Meeting,
    user: User | None,
    *,
    symbol: str,
    heading_ids: list[int],
    issued_on: date | None,
    original_language: str,
    languages: list[str],
    render_pdf: Callable[[dict[str, Any]], bytes],
    folder: Path | None = None,
) -> DraftReportPart:
    """Issue chosen chapters or sections of the outline as the next part of the draft report:
    an L document or its addendum, listed among the meeting's documents with its PDF."""
    symbol = " ".join((symbol or "").split())
    try:
        info = parse_symbol(symbol)
    except MeetingError as error:
        raise OutputError(error.message, "symbol") from error
    if info.doc_type != DocumentType.LIMITED or " and " in symbol:
        raise OutputError(
            _("A draft report is an L document: …/L.2, or its addendum …/L.2/Add.1."), "symbol"
        )
    if not isinstance(issued_on, date):
        raise OutputError(_("Give the date the part is issued."), "issued_on")
    chosen_languages = _check_languages(original_language, languages)
    parts = outline_parts(meeting)
    headings = {p.id for p in parts if p.kind == PartKind.HEADING and p.level in (1, 2)}
    if not heading_ids or not set(heading_ids) <= headings:
        raise OutputError(
            _("Choose one or more chapters or sections of the outline."), "heading_ids"
        )
    ids = _covered(parts, heading_ids)
    chapters = _chapter_of(parts)
    earlier = {pid for d in draft_parts(meeting) for pid in d.part_ids}
    earlier_chapters = {chapters[pid] for pid in earlier if pid in chapters}
    # A section chosen without its chapter prints the chapter's heading above it.
    context = {chapters[pid] for pid in ids if chapters.get(pid) and chapters[pid] not in ids}
    only = set(ids) | context
    continued = {c for c in context | set(ids) if c in earlier_chapters}
    content = report_content(meeting, parts, only=only, continued=continued)
    content.pop("contents", None)
    organ = ORGANS.get(symbol.split("/")[0], "")
    content["masthead"] = {
        "organ": _(organ) if organ else "",
        "symbol": symbol,
        "distribution": _("Limited"),
        "date": date_range_short(issued_on),
        "original": _(UN_LANGUAGES[original_language]),
        "languages": languages_line(chosen_languages),
        "title": meeting.title,
        "place": ", ".join(
            p for p in (meeting.city, date_range_short(meeting.first_day, meeting.last_day)) if p
        ),
        "rapporteur": rapporteur_line(meeting),
        "addendum": bool(info.addendum),
    }
    content["items"] = [_plain(i) for i in content["items"]]
    title = _("Draft report: addendum") if info.addendum else _("Draft report")
    document = documents.create_document(
        meeting, symbol=symbol, title=title, agenda_item_id=None, issued_on=issued_on, url=""
    )
    document.distribution = "limited"
    document.original_language = original_language
    document.languages = " ".join(chosen_languages)
    number = (
        db.session.scalar(
            select(sa.func.max(DraftReportPart.number)).where(
                DraftReportPart.meeting_id == meeting.id
            )
        )
        or 0
    ) + 1
    part = DraftReportPart(
        meeting_id=meeting.id,
        document_id=document.id,
        number=number,
        issued_by_id=user.id if user else None,
        part_ids=ids,
        content=content,
    )
    part.pdf = render_pdf(content)
    db.session.add(part)
    db.session.flush()
    if folder is not None:
        # Also the document's file in its original language, as the meeting's page lists it.
        document_files.store_file(
            document,
            language=original_language,
            filename=f"{symbol.replace('/', '_')}.pdf",
            data=part.pdf,
            folder=folder,
        )
    return part


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """An item as JSON keeps it: rendered markup as a string (the template marks it safe)."""
    out = {k: (str(v) if k == "html" else v) for k, v in item.items()}
    if "rows" in out:
        out["rows"] = [_plain(r) if isinstance(r, dict) else r for r in out["rows"]]
    return out


def heading_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """The chapters and sections a part may cover, with their numbers."""
    parts = outline_parts(meeting)
    labels = outline_rules.numbering(parts)
    return [
        (p.id, ("\u2003" if p.level == 2 else "") + f"{label} {p.heading}".strip()[:160])
        for p, label in zip(parts, labels, strict=True)
        if p.kind == PartKind.HEADING and p.level in (1, 2)
    ]

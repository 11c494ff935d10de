"""Meeting documents and their UN symbols (ST/LIB/SER.B/5/Rev.5): what a symbol says a
document is, and listing documents. The rules flush but never commit.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import MeetingError, flush_or_fail
from app.extensions import db
from app.limits import AGENDA_TITLE_MAX, MAX_DOCUMENTS, check_room_for_one_more, check_text
from app.meetings.models import (
    Document,
    DocumentType,
    Meeting,
)
from app.meetings.queries import get_agenda_item


@dataclass(frozen=True)
class SymbolInfo:
    """What a UN document symbol says about the document (ST/LIB/SER.B/5/Rev.5)."""

    doc_type: DocumentType
    addendum: str = ""
    corrigendum: str = ""
    revision: str = ""


# A body or series component ("A", "CONF.234", "RPM.1", "L.2", "2007") and a suffix ("Add.1-2").
_COMPONENT = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+)*$")


_SUFFIX = re.compile(r"^(Add|Corr|Rev)\.(\d+(?:-\d+)?)$")


# The written form of an addendum range in reports: "A/CONF.234/RPM.1/L.2 and Add.1-2".
_WRITTEN_SUFFIX = re.compile(r"^(?P<base>\S+) and (?P<suffix>(?:Add|Corr|Rev)\.\d+(?:-\d+)?)$")


# "" reads the distribution from the symbol (an L document is Limited).
DISTRIBUTIONS = ("", "general", "limited")
UN_LANGUAGE_CODES = ("ar", "zh", "en", "fr", "ru", "es")


def distribution_of(document: Document) -> str:
    """ "general" or "limited": as set, else as the symbol says."""
    if document.distribution:
        return document.distribution
    return "limited" if document.doc_type == DocumentType.LIMITED else "general"


def parse_symbol(symbol: str) -> SymbolInfo:
    """Read a UN symbol: the type it implies (L., CRP., INF/, WP.) and its Add./Corr./Rev."""
    text = (symbol or "").strip()
    if not text:
        raise MeetingError(_("Enter the document symbol."), "symbol")
    components: list[str]
    written = _WRITTEN_SUFFIX.match(text)
    if written:
        components = written["base"].split("/") + [written["suffix"]]
    elif re.search(r"\s", text):
        raise MeetingError(_('A symbol has no spaces, except in "… and Add.1-2".'), "symbol")
    else:
        components = text.split("/")
    if len(components) < 2 or not re.fullmatch(r"[A-Z]+", components[0]):
        raise MeetingError(
            _("A symbol starts with its series in capitals and a slash, e.g. A/CONF.234/…"),
            "symbol",
        )
    body: list[str] = []
    suffixes: dict[str, str] = {}
    for component in components[1:]:
        suffix = _SUFFIX.match(component)
        if suffix:
            kind = suffix[1]
            if kind in suffixes:
                raise MeetingError(_("The symbol names %(kind)s twice.", kind=kind), "symbol")
            suffixes[kind] = component
        elif suffixes or not _COMPONENT.match(component):
            # Suffixes come last, and the parts before them are capitals, digits and dots.
            raise MeetingError(
                _("“%(part)s” is not a valid part of a document symbol.", part=component),
                "symbol",
            )
        else:
            body.append(component)
    if not body:
        raise MeetingError(_("The symbol names no document."), "symbol")
    return SymbolInfo(
        doc_type=_symbol_type(body),
        addendum=suffixes.get("Add", ""),
        corrigendum=suffixes.get("Corr", ""),
        revision=suffixes.get("Rev", ""),
    )


def _symbol_type(body: list[str]) -> DocumentType:
    """The distribution a symbol's components imply; the last distinctive component wins."""
    for position in range(len(body) - 1, -1, -1):
        component = body[position]
        if re.fullmatch(r"L\.\d+", component):
            return DocumentType.LIMITED
        if re.fullmatch(r"CRP\.\d+", component):
            return DocumentType.CONFERENCE_ROOM_PAPER
        # "INF/" is a series: it needs a number after it.
        if component == "INF" and position < len(body) - 1:
            return DocumentType.INFORMATION
        if re.fullmatch(r"WP\.\d+", component):
            return DocumentType.WORKING_PAPER
    return DocumentType.GENERAL


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise MeetingError(_("Enter a web address starting with http:// or https://."), "url")
    return url


def _fill_document(
    meeting: Meeting,
    document: Document,
    *,
    symbol: str,
    title: str,
    agenda_item_id: int | None,
    issued_on: date | None,
    url: str,
    distribution: str | None = None,
    original_language: str | None = None,
    languages: list[str] | None = None,
) -> str:
    symbol = check_text(symbol, 120, "symbol", error=MeetingError)
    info = parse_symbol(symbol)
    query = (
        select(func.count())
        .select_from(Document)
        .where(Document.meeting_id == meeting.id, Document.symbol == symbol)
    )
    if document.id is not None:
        query = query.where(Document.id != document.id)
    message = _("Document %(symbol)s is listed already.", symbol=symbol)
    if db.session.scalar(query):
        raise MeetingError(message, "symbol")
    item = get_agenda_item(meeting, agenda_item_id)
    if agenda_item_id is not None and item is None:
        raise MeetingError(_("Choose an agenda item of this meeting."), "agenda_item_id")
    document.url = _check_url(url)
    document.symbol = symbol
    document.title = check_text(title, AGENDA_TITLE_MAX, "title", error=MeetingError)
    document.agenda_item = item
    document.issued_on = issued_on
    document.doc_type = info.doc_type
    document.addendum = info.addendum
    document.corrigendum = info.corrigendum
    document.revision = info.revision
    # The masthead: left as they were when a caller does not give them.
    if distribution is not None:
        if distribution not in DISTRIBUTIONS:
            raise MeetingError(_("Choose General or Limited."), "distribution")
        document.distribution = distribution
    if original_language is not None:
        if original_language and original_language not in UN_LANGUAGE_CODES:
            raise MeetingError(_("Choose one of the six UN languages."), "original_language")
        document.original_language = original_language
    if languages is not None:
        if set(languages) - set(UN_LANGUAGE_CODES):
            raise MeetingError(_("Choose among the six UN languages."), "languages")
        document.languages = " ".join(c for c in UN_LANGUAGE_CODES if c in set(languages))
    return message


def create_document(meeting: Meeting, **fields) -> Document:
    """List a document; its type and suffixes come from its symbol."""
    check_room_for_one_more(
        Document,
        meeting.id,
        MAX_DOCUMENTS,
        _("A meeting lists at most %(n)d documents.", n=MAX_DOCUMENTS),
        error=MeetingError,
    )
    document = Document(meeting_id=meeting.id)
    message = _fill_document(meeting, document, **fields)
    db.session.add(document)
    flush_or_fail(MeetingError(message, "symbol"))
    return document


def update_document(meeting: Meeting, document: Document, **fields) -> Document:
    """Change a document; its type and suffixes are read again from its symbol."""
    message = _fill_document(meeting, document, **fields)
    flush_or_fail(MeetingError(message, "symbol"))
    return document


def delete_document(document: Document) -> None:
    db.session.delete(document)
    db.session.flush()

"""The report outline: a meeting report's chapters, sections and sub-sections in order, each
part a heading, the outline's own paragraphs or a block Plenary builds from the meeting's data
(approved rapporteur outputs, attendance, officers, agenda, documents).

Numbering is computed from the outline, never stored: a numbered chapter is I., II., …; a
numbered section under it A., B., …; a sub-section 1., 2., …. A meeting without a stored
outline prints the standard UN outline of the seed reports; the first change stores it.
The rules flush and never commit.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import OutputError
from app.extensions import db
from app.limits import LONG_TEXT_MAX
from app.markup import check_markup
from app.meetings import queries as meeting_queries
from app.meetings.documents import parse_symbol
from app.meetings.models import Meeting
from app.outputs.models import OutlinePart, OutputStatus, PartKind, RapporteurOutput
from app.outputs.queries import outline_parts, outputs_of
from app.outputs.text import check_paragraphs, join_paragraphs, split_paragraphs
from app.registration.models import AttendanceCategory

# A heading of any length the UN writes (the seed's longest runs past 300 characters), bounded.
HEADING_MAX = 2_000
LEAD_MAX = 2_000
QUALIFIER_MAX = 300
MAX_PARTS = 500

# Blocks that print once in a report; an output may print once too, but there are many.
SINGLE_BLOCKS = frozenset(
    {
        PartKind.INTRODUCTION,
        PartKind.CONCLUSIONS,
        PartKind.VENUE,
        PartKind.ATTENDANCE,
        PartKind.OFFICERS,
        PartKind.AGENDA,
        PartKind.DOCUMENTS,
    }
)
# Blocks that open with a lead sentence the organiser may rewrite.
LEAD_BLOCKS = frozenset({PartKind.OUTPUT, PartKind.OFFICERS, PartKind.AGENDA})

ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(number: int) -> str:
    """I, II, III, IV … as UN reports number their chapters."""
    out = []
    for value, numeral in ROMAN:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)


def section_letter(index: int) -> str:
    """A, B, … Z, AA, AB: a section's letter from its index under its chapter."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if index < 26:
        return letters[index]
    return section_letter(index // 26 - 1) + letters[index % 26]


def numbering(parts: list[OutlinePart]) -> list[str]:
    """Each part's label ("II.", "B.", "1.", or "" for an unnumbered part), in order."""
    chapter = section = sub = 0
    labels = []
    for part in parts:
        label = ""
        if part.kind == PartKind.HEADING and part.numbered:
            if part.level == 1:
                chapter += 1
                section = sub = 0
                label = f"{roman(chapter)}."
            elif part.level == 2:
                section += 1
                sub = 0
                label = f"{section_letter(section - 1)}."
            elif part.level == 3:
                sub += 1
                label = f"{sub}."
        elif part.kind == PartKind.HEADING and part.level == 1:
            # An unnumbered chapter ("Annex") starts its sections from A again.
            section = sub = 0
        labels.append(label)
    return labels


@dataclass(frozen=True)
class Spec:
    """A part of the standard outline before it is stored."""

    kind: PartKind
    level: int = 0
    heading: str = ""
    numbered: bool = True
    output: RapporteurOutput | None = None


def standard_specs(meeting: Meeting) -> list[Spec]:
    """The standard UN outline of the seed reports, with the meeting's approved outputs."""
    specs = [
        Spec(PartKind.HEADING, 1, _("Introduction")),
        Spec(PartKind.INTRODUCTION),
        Spec(PartKind.HEADING, 1, _("Conclusions and recommendations")),
        Spec(PartKind.CONCLUSIONS),
    ]
    for output in outputs_of(meeting, status=OutputStatus.APPROVED):
        specs += [Spec(PartKind.HEADING, 2, output.title), Spec(PartKind.OUTPUT, output=output)]
    specs += [
        Spec(PartKind.HEADING, 1, _("Attendance and organization of work")),
        Spec(PartKind.HEADING, 2, _("Date and venue of the Meeting")),
        Spec(PartKind.VENUE),
        Spec(PartKind.HEADING, 2, _("Attendance")),
        Spec(PartKind.ATTENDANCE),
        Spec(PartKind.HEADING, 2, _("Opening of the Meeting")),
        Spec(PartKind.TEXT),
        Spec(PartKind.HEADING, 2, _("Election of officers")),
        Spec(PartKind.OFFICERS),
        Spec(PartKind.HEADING, 2, _("Adoption of the agenda and organization of work")),
        Spec(PartKind.AGENDA),
        Spec(PartKind.HEADING, 2, _("Other matters")),
        Spec(PartKind.TEXT),
        Spec(PartKind.HEADING, 1, _("Adoption of the report and closure of the Meeting")),
        Spec(PartKind.TEXT),
        Spec(PartKind.HEADING, 1, _("Annex"), numbered=False),
        Spec(PartKind.HEADING, 2, _("List of documents"), numbered=False),
        Spec(PartKind.DOCUMENTS),
    ]
    return specs


def _part_from(meeting: Meeting, spec: Spec, position: int) -> OutlinePart:
    return OutlinePart(
        meeting_id=meeting.id,
        position=position,
        kind=spec.kind,
        level=spec.level,
        numbered=spec.numbered,
        heading=spec.heading,
        body="",
        lead="",
        output_id=spec.output.id if spec.output else None,
        output=spec.output,
        options={},
    )


def outline_of(meeting: Meeting) -> list[OutlinePart]:
    """The meeting's outline: the stored one, or the standard one (not stored) until changed."""
    parts = outline_parts(meeting)
    if parts:
        return parts
    return [_part_from(meeting, spec, i) for i, spec in enumerate(standard_specs(meeting))]


def start_outline(meeting: Meeting) -> list[OutlinePart]:
    """The stored outline, stored first from the standard one when the meeting has none."""
    parts = outline_parts(meeting)
    if parts:
        return parts
    for i, spec in enumerate(standard_specs(meeting)):
        db.session.add(_part_from(meeting, spec, (i + 1) * 10))
    db.session.flush()
    return outline_parts(meeting)


def _renumber(parts: list[OutlinePart]) -> None:
    for i, part in enumerate(parts):
        part.position = (i + 1) * 10


def _part_in(meeting: Meeting, parts: list[OutlinePart], part_id: int | None) -> OutlinePart:
    for part in parts:
        if part.id == part_id:
            return part
    raise OutputError(_("That part is not in this meeting's outline."))


def _check_heading(level: int, heading: str) -> str:
    text = " ".join((heading or "").split())
    if level not in (1, 2, 3):
        raise OutputError(_("Choose a chapter, a section or a sub-section."), "level")
    if not text:
        raise OutputError(_("Write the heading."), "heading")
    if len(text) > HEADING_MAX:
        raise OutputError(_("A heading holds at most %(n)d characters.", n=HEADING_MAX), "heading")
    check_markup(text, "heading")
    return text


def _check_body(body: str) -> str:
    if len(body or "") > LONG_TEXT_MAX * 5:
        raise OutputError(
            _("These paragraphs hold at most %(n)d characters.", n=LONG_TEXT_MAX * 5), "body"
        )
    paragraphs = check_paragraphs(split_paragraphs(body), "body")
    for paragraph in paragraphs:
        check_markup(paragraph, "body")
    return join_paragraphs(paragraphs)


def _check_lead(lead: str) -> str:
    text = " ".join((lead or "").split())
    if len(text) > LEAD_MAX:
        raise OutputError(_("A lead sentence holds at most %(n)d characters.", n=LEAD_MAX), "lead")
    check_markup(text, "lead")
    return text


def _check_output(meeting: Meeting, output_id: int | None) -> RapporteurOutput:
    output = db.session.get(RapporteurOutput, output_id) if output_id else None
    if output is None or output.meeting_id != meeting.id:
        raise OutputError(_("Choose an output of this meeting."), "output_id")
    return output


def _check_not_twice(
    parts: list[OutlinePart], kind: PartKind, output_id: int | None, own: OutlinePart | None
) -> None:
    for part in parts:
        if part is own:
            continue
        if kind in SINGLE_BLOCKS and part.kind == kind:
            raise OutputError(
                _("The outline holds this block already: %(kind)s.", kind=kind.label), "kind"
            )
        if kind == PartKind.OUTPUT and part.kind == kind and part.output_id == output_id:
            raise OutputError(_("This output is in the outline already."), "output_id")


def _check_options(meeting: Meeting, kind: PartKind, options: dict[str, Any]) -> dict[str, Any]:
    """The settings of a block, each checked; unknown keys are dropped."""
    clean: dict[str, Any] = {}
    if kind == PartKind.ATTENDANCE:
        qualifiers = {}
        for category in AttendanceCategory:
            value = " ".join(str((options.get("qualifiers") or {}).get(category.value, "")).split())
            if len(value) > QUALIFIER_MAX:
                raise OutputError(
                    _("A qualifier holds at most %(n)d characters.", n=QUALIFIER_MAX),
                    "qualifiers",
                )
            check_markup(value, "qualifiers")
            if value:
                qualifiers[category.value] = value
        clean["qualifiers"] = qualifiers
        # A category's whole sentence as the secretariat wrote it (its own order of names).
        texts = {}
        for category in AttendanceCategory:
            value = " ".join(str((options.get("texts") or {}).get(category.value, "")).split())
            if len(value) > LEAD_MAX * 5:
                raise OutputError(
                    _("A sentence holds at most %(n)d characters.", n=LEAD_MAX * 5), "texts"
                )
            check_markup(value, "texts")
            if value:
                texts[category.value] = value
        if texts:
            clean["texts"] = texts
    elif kind == PartKind.OFFICERS:
        clean["by_acclamation"] = bool(options.get("by_acclamation", True))
    elif kind == PartKind.AGENDA:
        symbol = " ".join(str(options.get("symbol") or "").split())
        if symbol:
            try:
                parse_symbol(symbol)
            except Exception as error:  # MeetingError: the symbol's own message, on this field
                raise OutputError(str(error), "symbol") from error
        clean["symbol"] = symbol
    elif kind == PartKind.OUTPUT:
        clean["subheadings"] = bool(options.get("subheadings", True))
    elif kind == PartKind.DOCUMENTS:
        known = {d.id for d in meeting_queries.documents(meeting)}
        order = []
        for value in options.get("order") or []:
            try:
                document_id = int(value)
            except (TypeError, ValueError):
                raise OutputError(_("List documents of this meeting only."), "order") from None
            if document_id not in known:
                raise OutputError(_("List documents of this meeting only."), "order")
            if document_id not in order:
                order.append(document_id)
        clean["order"] = order
        # Documents the annex leaves out (an addendum the annex lists with its L document).
        omit = []
        for value in options.get("omit") or []:
            if not isinstance(value, int) or value not in known:
                raise OutputError(_("List documents of this meeting only."), "order")
            omit.append(value)
        if omit:
            clean["omit"] = omit
    return clean


def add_part(
    meeting: Meeting,
    *,
    kind: PartKind,
    after_id: int | None = None,
    level: int = 0,
    numbered: bool = True,
    heading: str = "",
    body: str = "",
    lead: str = "",
    output_id: int | None = None,
    options: dict[str, Any] | None = None,
    from_standard: bool = True,
) -> OutlinePart:
    """A new part, placed after `after_id` (or at the end); a block that is already in the
    outline or an output of another meeting is refused. An outline not stored yet starts from
    the standard one, unless `from_standard` is False (an outline built from nothing)."""
    parts = start_outline(meeting) if from_standard else outline_parts(meeting)
    if len(parts) >= MAX_PARTS:
        raise OutputError(_("An outline holds at most %(n)d parts.", n=MAX_PARTS))
    if not isinstance(kind, PartKind):
        raise OutputError(_("Choose what the part holds."), "kind")
    part = OutlinePart(meeting_id=meeting.id, kind=kind, position=0, options={})
    _fill(meeting, parts, part, level, numbered, heading, body, lead, output_id, options)
    index = len(parts)
    if after_id:
        index = parts.index(_part_in(meeting, parts, after_id)) + 1
    parts.insert(index, part)
    db.session.add(part)
    _renumber(parts)
    db.session.flush()
    return part


def _fill(meeting, parts, part, level, numbered, heading, body, lead, output_id, options):
    kind = part.kind
    part.level = 0
    part.numbered = True
    part.heading = part.body = part.lead = ""
    part.output_id = None
    if kind == PartKind.HEADING:
        part.heading = _check_heading(level, heading)
        part.level = level
        part.numbered = bool(numbered)
    elif kind == PartKind.TEXT:
        part.body = _check_body(body)
    elif kind == PartKind.OUTPUT:
        part.output_id = _check_output(meeting, output_id).id
    if kind in LEAD_BLOCKS:
        part.lead = _check_lead(lead)
    _check_not_twice(parts, kind, part.output_id, part)
    part.options = _check_options(meeting, kind, options or {})


class PartEdited(Exception):
    """Someone saved the part after the editor's page was drawn."""

    def __init__(self, part: OutlinePart):
        super().__init__(part.id)
        self.part = part


def update_part(
    meeting: Meeting,
    part: OutlinePart,
    *,
    level: int = 0,
    numbered: bool = True,
    heading: str = "",
    body: str = "",
    lead: str = "",
    output_id: int | None = None,
    options: dict[str, Any] | None = None,
    edits: int | None = None,
) -> OutlinePart:
    """A part's heading, paragraphs, lead sentence or settings, checked as when it was added.

    `edits` is the count of saves the editor's page started from: when someone saved the part
    since, nothing is saved and `PartEdited` says so (the view shows both texts)."""
    if part.meeting_id != meeting.id:
        raise OutputError(_("That part is not in this meeting's outline."))
    if edits is not None:
        # Read under a row lock, so of two saves from the same page only one goes through.
        db.session.refresh(part, with_for_update=True)
        if part.edits != edits:
            raise PartEdited(part)
    part.edits = (part.edits or 1) + 1
    parts = outline_parts(meeting)
    if part.kind == PartKind.OUTPUT and output_id is None:
        output_id = part.output_id
    _fill(meeting, parts, part, level, numbered, heading, body, lead, output_id, options)
    db.session.flush()
    return part


def move_part(meeting: Meeting, part_id: int, *, after_id: int | None = None) -> None:
    """Put a part right after another (or first, when `after_id` is 0 or None)."""
    parts = start_outline(meeting)
    part = _part_in(meeting, parts, part_id)
    parts.remove(part)
    if after_id:
        if after_id == part_id:
            raise OutputError(_("A part cannot follow itself."), "after_id")
        index = parts.index(_part_in(meeting, parts, after_id)) + 1
    else:
        index = 0
    parts.insert(index, part)
    _renumber(parts)
    db.session.flush()


def step_part(meeting: Meeting, part_id: int, step: int) -> None:
    """Move a part one place up (-1) or down (+1); at either end it stays."""
    parts = start_outline(meeting)
    part = _part_in(meeting, parts, part_id)
    index = parts.index(part)
    target = max(0, min(len(parts) - 1, index + (1 if step > 0 else -1)))
    parts.insert(target, parts.pop(index))
    _renumber(parts)
    db.session.flush()


def delete_part(meeting: Meeting, part_id: int) -> None:
    """Take a part out of the outline; the data a block printed stays where it was."""
    parts = start_outline(meeting)
    part = _part_in(meeting, parts, part_id)
    parts.remove(part)
    db.session.delete(part)
    _renumber(parts)
    db.session.flush()


def reset_outline(meeting: Meeting) -> None:
    """Back to the standard outline: every stored part goes."""
    for part in outline_parts(meeting):
        db.session.delete(part)
    db.session.flush()


def unplaced_outputs(meeting: Meeting, parts: list[OutlinePart]) -> list[RapporteurOutput]:
    """Approved outputs the outline does not print."""
    placed = {p.output_id for p in parts if p.kind == PartKind.OUTPUT}
    return [o for o in outputs_of(meeting, status=OutputStatus.APPROVED) if o.id not in placed]


def count_parts(meeting: Meeting) -> int:
    """How many parts the meeting's stored outline has (0: it prints the standard one)."""
    return db.session.scalar(
        select(func.count()).select_from(OutlinePart).where(OutlinePart.meeting_id == meeting.id)
    )


def default_lead(meeting: Meeting, part: OutlinePart) -> str:
    """The UN wording a block opens with, unless the organiser wrote their own."""
    if part.kind == PartKind.OUTPUT:
        output = part.output
        if output is not None and not output.not_negotiated:
            return _("The following recommendations were identified:")
        return _(
            "The following recommendations, which were not negotiated by the participants,"
            " were identified:"
        )
    if part.kind == PartKind.OFFICERS:
        days = sorted({o.elected_on for o in meeting_queries.officers(meeting) if o.elected_on})
        acclamation = (part.options or {}).get("by_acclamation", True)
        if days and acclamation:
            return _(
                "On %(day)s, the Meeting elected, by acclamation, the following officers:",
                day=format_date(days[0], "d MMMM y"),
            )
        if days:
            return _(
                "On %(day)s, the Meeting elected the following officers:",
                day=format_date(days[0], "d MMMM y"),
            )
        if acclamation:
            return _("The Meeting elected, by acclamation, the following officers:")
        return _("The following officers were elected:")
    if part.kind == PartKind.AGENDA:
        symbol = (part.options or {}).get("symbol")
        if symbol:
            return _(
                "The Meeting adopted its provisional agenda (%(symbol)s), which read as follows:",
                symbol=symbol,
            )
        return _("The Meeting adopted the following agenda:")
    return ""


def lead_of(meeting: Meeting, part: OutlinePart) -> str:
    """The lead sentence a block prints: the organiser's, or the default."""
    return part.lead or default_lead(meeting, part)


def copy_outline(source: Meeting, target: Meeting, _copied: Any = None) -> None:
    """The next edition starts from this one's outline: headings, paragraphs and settings;
    output blocks stay behind (the new edition has outputs of its own)."""
    position = 0
    for part in outline_parts(source):
        if part.kind == PartKind.OUTPUT:
            continue
        options = dict(part.options or {})
        options.pop("order", None)  # documents are the new meeting's own
        position += 10
        db.session.add(
            OutlinePart(
                meeting_id=target.id,
                position=position,
                kind=part.kind,
                level=part.level,
                numbered=part.numbered,
                heading=part.heading,
                body=part.body,
                lead=part.lead,
                options=options,
            )
        )
    db.session.flush()

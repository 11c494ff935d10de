"""The meeting report compiled from its outline: headings numbered from the outline, paragraph
numbers running through the whole document, each block built from the meeting's data, the
title block as the secretariat prints it. Reads only; the renderer gets plain values.
"""

from typing import Any

from flask_babel import gettext as _

from app.i18n import localized
from app.markup import plain, render_inline
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.outputs import outline as outline_rules
from app.outputs.models import OutlinePart, OutputStatus, PartKind
from app.outputs.queries import content_of, find_summary, meeting_report
from app.outputs.summary import meeting_facts
from app.outputs.text import letter, split_paragraphs
from app.registration.attendance import attendance_paragraphs
from app.undates import date_range_running, date_range_short


def _meeting_name(title: str) -> str:
    # "The 2nd ASEAN Conference …" carries its article; "Regional Meeting" gets one.
    return title if title.lower().startswith("the ") else _("The %(title)s", title=title)


def title_block(meeting: Meeting) -> dict[str, str]:
    """The seed's title block: the body's line above, then "Report of the …, held in … from …"."""
    stored = meeting_report(meeting)
    place = meeting.city or meeting.venue
    full = localized(meeting, "title")
    title = full[4:] if full.lower().startswith("the ") else full
    dates = date_range_running(meeting.first_day, meeting.last_day)
    if place:
        heading = _(
            "Report of the %(meeting)s, held in %(place)s %(dates)s",
            meeting=title,
            place=place,
            dates=dates,
        )
    else:
        heading = _("Report of the %(meeting)s, held %(dates)s", meeting=title, dates=dates)
    return {
        "heading": heading,
        "symbol": stored.symbol if stored else "",
        "context_line": stored.context_line if stored else "",
        "context_when": stored.context_when if stored else "",
        "adopted_on": stored.adopted_on.isoformat() if stored and stored.adopted_on else "",
    }


def report_content(
    meeting: Meeting,
    parts: list[OutlinePart] | None = None,
    *,
    only: set[int] | None = None,
    continued: set[int] | frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """The report as the renderer prints it: `items` in order (headings, numbered paragraphs,
    recommendations, lists) and `contents` (the headings, for the contents and bookmarks).

    A part of the draft report prints `only` some parts, numbered as in the whole outline
    and its paragraphs from 1; a heading in `continued` says so ("II. … (*continued*)")."""
    parts = parts if parts is not None else outline_rules.outline_of(meeting)
    labels = outline_rules.numbering(parts)
    if only is not None:
        kept = [(p, label) for p, label in zip(parts, labels, strict=True) if p.id in only]
        parts, labels = [p for p, _l in kept], [label for _p, label in kept]
    counter = iter(range(1, 1_000_000))
    items: list[dict[str, Any]] = []
    contents: list[dict[str, Any]] = []
    facts = meeting_facts(meeting)
    facts["dates"] = date_range_short(meeting.first_day, meeting.last_day)

    def para(text: str) -> None:
        items.append(
            {"type": "para", "number": next(counter), "text": text, "html": render_inline(text)}
        )

    summary = None
    for index, (part, label) in enumerate(zip(parts, labels, strict=True)):
        kind = part.kind
        if kind == PartKind.HEADING:
            anchor = f"part-{index}"
            heading = part.heading
            if part.id in continued:
                heading = _("%(heading)s (*continued*)", heading=heading)
            items.append(
                {
                    "type": "heading",
                    "level": part.level,
                    "label": label,
                    "text": heading,
                    "html": render_inline(heading),
                    "anchor": anchor,
                }
            )
            contents.append(
                {
                    "level": part.level,
                    "label": label,
                    "text": plain(heading),
                    "anchor": anchor,
                }
            )
        elif kind == PartKind.TEXT:
            for text in split_paragraphs(part.body):
                para(text)
        elif kind in (PartKind.INTRODUCTION, PartKind.CONCLUSIONS):
            summary = summary or find_summary(meeting)
            source = (
                summary.introduction
                if kind == PartKind.INTRODUCTION
                else summary.general_conclusions
            )
            for text in split_paragraphs(source):
                para(text)
        elif kind == PartKind.OUTPUT:
            _output_block(meeting, part, items, para, counter)
        elif kind == PartKind.VENUE:
            place = meeting.city or meeting.venue or _("a venue to be announced")
            para(
                _(
                    "%(meeting)s was held in %(place)s %(dates)s.",
                    meeting=_meeting_name(localized(meeting, "title")),
                    place=place,
                    dates=date_range_running(meeting.first_day, meeting.last_day),
                )
            )
        elif kind == PartKind.ATTENDANCE:
            qualifiers = (part.options or {}).get("qualifiers") or {}
            texts = (part.options or {}).get("texts") or {}
            for category, text in attendance_paragraphs(meeting, qualifiers):
                para(texts.get(category.value) or text)
        elif kind == PartKind.OFFICERS:
            officers = meeting_queries.officers(meeting)
            if officers:
                para(outline_rules.lead_of(meeting, part))
                items.append(
                    {
                        "type": "officers",
                        "rows": [
                            {
                                "office": str(o.office.label),
                                "name": o.person.display_name,
                                "country": o.person.country or o.person.organisation or "",
                            }
                            for o in officers
                        ],
                    }
                )
        elif kind == PartKind.AGENDA:
            agenda = []
            for item in meeting_queries.agenda_items(meeting):
                # As the seed reports print an agenda: "5. Substantive items", then "(a) …".
                item_label = f"({item.letter})" if item.letter else f"{item.number}."
                agenda.append(
                    {
                        "label": item_label,
                        "title": localized(item, "title"),
                        "sub": bool(item.letter),
                    }
                )
            if agenda:
                para(outline_rules.lead_of(meeting, part))
                items.append({"type": "agenda", "rows": agenda})
        elif kind == PartKind.DOCUMENTS:
            omit = set((part.options or {}).get("omit") or [])
            documents = [d for d in meeting_queries.documents(meeting) if d.id not in omit]
            order = {d: i for i, d in enumerate((part.options or {}).get("order") or [])}
            documents.sort(key=lambda d: (order.get(d.id, len(order)), d.symbol))
            if documents:
                items.append(
                    {
                        "type": "documents",
                        "rows": [{"symbol": d.symbol, "title": d.title} for d in documents],
                    }
                )
    return {
        "meeting": facts,
        "title_block": title_block(meeting),
        "items": items,
        "contents": contents,
    }


def _output_block(meeting, part, items, para, counter) -> None:
    output = part.output
    if output is None or output.status != OutputStatus.APPROVED:
        return
    content = content_of(output)
    subheadings = (part.options or {}).get("subheadings", True)
    if content["summary"]:
        if subheadings:
            items.append({"type": "subheading", "text": _("Summary of deliberations")})
        for text in content["summary"]:
            para(text)
    if content["recommendations"]:
        if subheadings:
            items.append({"type": "subheading", "text": _("Outcome of deliberations")})
        para(outline_rules.lead_of(meeting, part))
        items.append(
            {
                "type": "recommendations",
                "rows": [
                    {"letter": letter(i), "text": t, "html": render_inline(t.rstrip(" ;."))}
                    for i, t in enumerate(content["recommendations"])
                ],
            }
        )

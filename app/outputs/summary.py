"""The Chair's Summary and the meeting report: the Chair's own text, compiling the approved
outputs with paragraph numbers that run through the whole document, issuing frozen versions.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.errors import OutputError
from app.extensions import db
from app.i18n import localized
from app.mail.delivery import enqueue_job
from app.mail.models import Job, JobState
from app.meetings.models import Meeting
from app.models_base import utcnow
from app.outputs.models import (
    ChairsSummary,
    IssuedSummary,
    OutputStatus,
    RapporteurOutput,
)
from app.outputs.queries import content_of, find_summary, outputs_of, stored_summary
from app.outputs.text import check_paragraphs, join_paragraphs, letter, split_paragraphs
from app.timezones import to_local
from app.undates import date_range_short

# A summary whose frozen content is longer than this is rendered by the worker, not in the
# request that issues it (some 30 pages render in about a second; the congress preset's 428
# take 35 s, past gunicorn's timeout).
INLINE_PDF_MAX_CHARS = 200_000
RENDER_JOB = "render_chairs_summary"


def summary_of(meeting: Meeting) -> ChairsSummary:
    """The meeting's Chair's Summary for changing it, created empty when it has none yet."""
    summary = stored_summary(meeting)
    if summary is None:
        summary = ChairsSummary(meeting_id=meeting.id, introduction="", general_conclusions="")
        # A savepoint: when another request created it a moment ago, only this insert is
        # undone, never the caller's transaction.
        try:
            with db.session.begin_nested():
                db.session.add(summary)
        except IntegrityError:
            summary = stored_summary(meeting)
    return summary


def save_summary(summary: ChairsSummary, *, introduction: str, general_conclusions: str) -> None:
    """The Chair's own text: the introduction and the general conclusions."""
    intro = check_paragraphs(split_paragraphs(introduction), "introduction")
    conclusions = check_paragraphs(split_paragraphs(general_conclusions), "general_conclusions")
    summary.introduction = join_paragraphs(intro)
    summary.general_conclusions = join_paragraphs(conclusions)
    db.session.flush()


def meeting_facts(meeting: Meeting) -> dict[str, str]:
    """The title block of a report: meeting, theme, dates and venue as printed text."""
    # "27–28 February 2020", as a title block prints a range (app/undates.py).
    dates = date_range_short(meeting.first_day, meeting.last_day)
    return {
        "title": localized(meeting, "title"),
        "short_title": meeting.short_title or localized(meeting, "title"),
        "theme": localized(meeting, "theme"),
        "substantive_issue": meeting.substantive_issue or "",
        "dates": dates,
        "venue": ", ".join(p for p in (meeting.venue, meeting.city, meeting.country) if p),
        "reports_to": meeting.reports_to or "",
        "slug": meeting.slug,
    }


def compile_summary(meeting: Meeting, summary: ChairsSummary | None = None) -> dict[str, Any]:
    """The Chair's Summary as one document: numbered paragraphs run through all of it."""
    summary = summary or find_summary(meeting)
    counter = iter(range(1, 100_000))

    def numbered(texts: list[str]) -> list[dict]:
        return [{"number": next(counter), "text": t} for t in texts]

    introduction = numbered(split_paragraphs(summary.introduction))
    sections = []
    for output in outputs_of(meeting, status=OutputStatus.APPROVED):
        content = content_of(output)
        section = {
            "title": output.title,
            "agenda": _agenda_label(output),
            "summary": numbered(content["summary"]),
            "outcome": None,
        }
        if content["recommendations"]:
            lead = (
                _(
                    "The following recommendations, which were not negotiated by the"
                    " participants, were identified:"
                )
                if content["not_negotiated"]
                else _("The following recommendations were identified:")
            )
            section["outcome"] = {
                "number": next(counter),
                "lead": lead,
                "recommendations": [
                    {"letter": letter(i), "text": t}
                    for i, t in enumerate(content["recommendations"])
                ],
            }
        sections.append(section)
    conclusions = numbered(split_paragraphs(summary.general_conclusions))
    return {
        "meeting": meeting_facts(meeting),
        "introduction": introduction,
        "sections": sections,
        "conclusions": conclusions,
    }


def _agenda_label(output: RapporteurOutput) -> str:
    sessions = (
        [output.session_]
        if output.session_ is not None
        else list(output.cluster.sessions)
        if output.cluster is not None
        else []
    )
    items = sorted(
        {(s.agenda_item.number, s.agenda_item.letter) for s in sessions if s.agenda_item}
    )
    if not items:
        return ""
    number, item_letter = items[0]
    label = f"{number} ({item_letter})" if item_letter else str(number)
    return _("agenda item %(label)s", label=label)


def issue_summary(
    meeting: Meeting,
    user: User,
    render_pdf: Callable[[dict[str, Any]], bytes],
    issued_at: datetime | None = None,
) -> IssuedSummary:
    """Freeze the compiled summary and its PDF as the next issued number; older ones remain.

    The date printed is the issuing day in the meeting's time zone (`issued_at`, default now).
    """
    issued_at = issued_at or utcnow()
    summary = summary_of(meeting)
    content = compile_summary(meeting, summary)
    if not content["sections"]:
        raise OutputError(
            _("No output is approved yet: approve at least one before issuing the Chair's Summary.")
        )
    number = (
        db.session.scalar(
            select(sa.func.max(IssuedSummary.number)).where(IssuedSummary.summary_id == summary.id)
        )
        or 0
    ) + 1
    content["number"] = number
    issued = IssuedSummary(
        summary_id=summary.id,
        number=number,
        issued_by_id=user.id if user else None,
        issued_at=issued_at,
        content=content,
    )
    content["issued_on"] = format_date(to_local(issued_at, meeting.timezone).date(), "long")
    if render_pdf is None or len(json.dumps(content)) > INLINE_PDF_MAX_CHARS:
        # A long summary (the congress preset: 428 pages, some 35 s) is rendered by the
        # worker: the request answers at once, the PDF appears when it is ready.
        issued.pdf = None
    else:
        issued.pdf = render_pdf(content)
    db.session.add(issued)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise OutputError(_("Another version was issued at the same moment; try again.")) from error
    if issued.pdf is None:
        enqueue_job(RENDER_JOB, issued_id=issued.id)
    return issued


def pdf_is_being_prepared(issued: IssuedSummary) -> bool:
    """True when the version has no PDF yet; a job to render it is queued if none is."""
    if issued.pdf:
        return False
    waiting = db.session.scalars(
        select(Job.payload).where(Job.kind == RENDER_JOB, Job.state == JobState.QUEUED)
    ).all()
    if not any(payload.get("issued_id") == issued.id for payload in waiting):
        enqueue_job(RENDER_JOB, issued_id=issued.id)
    return True


def render_issued_pdf(payload: dict, render_pdf: Callable[[dict[str, Any]], bytes]) -> None:
    """The worker's job: render an issued version's PDF from its frozen content (flushes)."""
    issued = db.session.get(IssuedSummary, payload.get("issued_id"))
    if issued is not None:
        ensure_issued_pdf(issued, render_pdf)
        db.session.flush()


def ensure_issued_pdf(issued: IssuedSummary, render_pdf: Callable[[dict[str, Any]], bytes]) -> bool:
    """Give an issued version its PDF if it has none yet; True when one was rendered.

    Issuing renders the PDF at once; a version frozen without one (the scale generator's)
    gets it from its frozen content, so what it prints never depends on today's outputs.
    """
    if issued.pdf:
        return False
    issued.pdf = render_pdf(issued.content)
    return True

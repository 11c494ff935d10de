"""Rapporteur outputs and the Chair's Summary: assignment, drafting, review, compiling, issuing.

Plain functions: they take models and plain values, raise OutputError when a rule is broken,
flush but never commit. A save names the revision it started from; a save from an older
revision whose text has since changed raises StaleRevision, so nothing is overwritten silently.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingRole, RoleName
from app.models_base import utcnow
from app.outputs.models import (
    ChairsSummary,
    IssuedSummary,
    OutputParagraph,
    OutputRevision,
    OutputStatus,
    ParagraphKind,
    RapporteurOutput,
)
from app.programme.models import AgendaSession, Cluster
from app.timezones import to_local

MAX_ID = 2**31 - 1
MAX_PARAGRAPH = 20_000
MAX_PARAGRAPHS = 200
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class OutputError(Exception):
    """A rule of rapporteur outputs was broken; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleRevision(OutputError):
    """The text was changed by someone else after the editor opened it."""

    def __init__(self, output: RapporteurOutput):
        super().__init__(
            _(
                "Someone else saved this output after you opened it. Nothing was saved: "
                "compare the two texts below and merge them."
            )
        )
        self.output = output


# Reading


def letter(index: int) -> str:
    """The letter of the index-th recommendation (0 → "a", 26 → "aa"), as UN reports run on."""
    if index < len(LETTERS):
        return LETTERS[index]
    return letter(index // len(LETTERS) - 1) + LETTERS[index % len(LETTERS)]


def get_output(meeting: Meeting, output_id: int | None) -> RapporteurOutput | None:
    """An output of this meeting by id, or None (never one of another meeting)."""
    if output_id is None or not 0 < output_id <= MAX_ID:
        return None
    output = db.session.get(RapporteurOutput, output_id)
    if output is None or output.meeting_id != meeting.id:
        return None
    return output


def content_of(output: RapporteurOutput) -> dict[str, Any]:
    """The output's whole text as plain values (what a revision stores)."""
    return {
        "summary": [p.text for p in output.paragraphs if p.kind == ParagraphKind.SUMMARY],
        "recommendations": [
            p.text for p in output.paragraphs if p.kind == ParagraphKind.RECOMMENDATION
        ],
        "not_negotiated": bool(output.not_negotiated),
    }


def _text_of(content: dict[str, Any]) -> tuple:
    return (
        tuple(content.get("summary", [])),
        tuple(content.get("recommendations", [])),
        bool(content.get("not_negotiated", True)),
    )


def revision(output: RapporteurOutput, number: int | None) -> OutputRevision | None:
    """One revision of the output by number, or None."""
    if number is None or not 0 < number <= MAX_ID:
        return None
    return db.session.scalar(
        select(OutputRevision).where(
            OutputRevision.output_id == output.id, OutputRevision.number == number
        )
    )


def _programme_key(meeting_has_agenda: bool):
    """Programme order: by agenda item where the meeting has them, then by start."""
    far = datetime.max

    def agenda_key(item: AgendaItem | None) -> tuple:
        if item is None:
            return (1, 0, "")
        return (0, item.number, item.letter)

    def key(output: RapporteurOutput) -> tuple:
        if output.session_ is not None:
            sessions = [output.session_]
        elif output.cluster is not None:
            sessions = list(output.cluster.sessions)
        else:
            sessions = []
        starts = min((s.starts_at.replace(tzinfo=None) for s in sessions), default=far)
        items = [agenda_key(s.agenda_item) for s in sessions if s.agenda_item is not None]
        item_key = min(items) if items else agenda_key(None)
        cluster_number = output.cluster.number if output.cluster is not None else 0
        if meeting_has_agenda:
            return (item_key, starts, cluster_number, output.id)
        return (starts, cluster_number, output.id)

    return key


def outputs_of(meeting: Meeting, *, status: OutputStatus | None = None) -> list[RapporteurOutput]:
    """The meeting's outputs in programme order."""
    query = select(RapporteurOutput).where(RapporteurOutput.meeting_id == meeting.id)
    if status is not None:
        query = query.where(RapporteurOutput.status == status)
    outputs = list(db.session.scalars(query))
    has_agenda = (
        db.session.scalar(
            select(sa.func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id)
        )
        or 0
    ) > 0
    return sorted(outputs, key=_programme_key(has_agenda))


def assignments_of(meeting: Meeting, user: User) -> list[RapporteurOutput]:
    """The outputs a rapporteur is assigned to in a meeting, in programme order."""
    return [o for o in outputs_of(meeting) if o.rapporteur_id == user.id]


def rapporteurs(meeting: Meeting) -> list[User]:
    """Accounts holding the rapporteur role in the meeting, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(MeetingRole, MeetingRole.user_id == User.id)
            .where(MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleName.RAPPORTEUR)
            .order_by(User.name, User.id)
        )
    )


def assignable_targets(meeting: Meeting) -> list[tuple[str, str]]:
    """("cluster-3" / "session-7", label) for every cluster and session that could have one."""
    targets = [
        (f"cluster-{c.id}", c.label if hasattr(c, "label") else c.title)
        for c in db.session.scalars(
            select(Cluster).where(Cluster.meeting_id == meeting.id).order_by(Cluster.number)
        )
    ]
    for s in db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.cluster_id.is_(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ):
        targets.append((f"session-{s.id}", s.title))
    return targets


# Assignment


def assign_rapporteur(
    meeting: Meeting, *, target: str, rapporteur_id: int | None
) -> RapporteurOutput:
    """Give a session or cluster its rapporteur (creating its output), or change who it is."""
    kind, _sep, raw_id = (target or "").partition("-")
    try:
        record_id = int(raw_id)
    except ValueError:
        record_id = 0
    model = {"cluster": Cluster, "session": AgendaSession}.get(kind)
    record = db.session.get(model, record_id) if model and 0 < record_id <= MAX_ID else None
    if record is None or record.meeting_id != meeting.id:
        raise OutputError(_("Choose a session or cluster of this meeting."), "target")
    user = (
        db.session.get(User, rapporteur_id) if rapporteur_id and rapporteur_id <= MAX_ID else None
    )
    if user is None or user.id not in {u.id for u in rapporteurs(meeting)}:
        raise OutputError(
            _("Choose an account that holds the rapporteur role in this meeting."), "rapporteur_id"
        )
    column = RapporteurOutput.cluster_id if kind == "cluster" else RapporteurOutput.session_id
    output = db.session.scalar(select(RapporteurOutput).where(column == record.id))
    if output is None:
        title = record.label if kind == "cluster" and hasattr(record, "label") else record.title
        output = RapporteurOutput(
            meeting_id=meeting.id,
            cluster_id=record.id if kind == "cluster" else None,
            session_id=record.id if kind == "session" else None,
            title=title[:500],
            status=OutputStatus.DRAFT,
            not_negotiated=True,
            revision_number=0,
        )
        db.session.add(output)
    output.rapporteur_id = user.id
    try:
        db.session.flush()
    except IntegrityError as error:
        raise OutputError(
            _("That session or cluster has just been given a rapporteur."), "target"
        ) from error
    return output


# Drafting


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a textarea: a blank line separates them; lines within one are joined."""
    paragraphs, current = [], []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def join_paragraphs(paragraphs: list[str]) -> str:
    """The textarea form of a list of paragraphs."""
    return "\n\n".join(paragraphs)


def _check_paragraphs(paragraphs: list[str], field: str) -> list[str]:
    cleaned = [" ".join(p.split()) for p in paragraphs if p and p.strip()]
    if len(cleaned) > MAX_PARAGRAPHS:
        raise OutputError(_("An output holds at most %(n)d paragraphs.", n=MAX_PARAGRAPHS), field)
    if any(len(p) > MAX_PARAGRAPH for p in cleaned):
        raise OutputError(_("A paragraph holds at most %(n)d characters.", n=MAX_PARAGRAPH), field)
    return cleaned


def is_editable(output: RapporteurOutput) -> bool:
    """A draft or a returned output can be edited; a submitted or approved one is locked."""
    return output.status in (OutputStatus.DRAFT, OutputStatus.RETURNED)


def _record_revision(
    output: RapporteurOutput, author: User | None, expected: int
) -> OutputRevision:
    """Move the output from revision `expected` to the next, atomically, and keep the text.

    The conditional UPDATE is the guard: of two saves from the same revision, on however many
    processes, exactly one changes a row; the other sees StaleRevision.
    """
    db.session.flush()
    changed = db.session.execute(
        sa.update(RapporteurOutput)
        .where(RapporteurOutput.id == output.id, RapporteurOutput.revision_number == expected)
        .values(revision_number=expected + 1, status=output.status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise StaleRevision(output)
    # Sync the in-memory object without marking it dirty.
    sa.orm.attributes.set_committed_value(output, "revision_number", expected + 1)
    row = OutputRevision(
        output_id=output.id,
        number=expected + 1,
        author_id=author.id if author else None,
        status=output.status,
        content={**content_of(output), "comment": output.chair_comment or ""},
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise StaleRevision(output) from error
    db.session.expire(output, ["revisions"])
    return row


def save_output(
    output: RapporteurOutput,
    *,
    author: User,
    base_revision: int | None,
    summary: list[str],
    recommendations: list[str],
    not_negotiated: bool,
) -> OutputRevision:
    """Replace the output's text, as a new revision started from `base_revision`."""
    if not is_editable(output):
        raise OutputError(
            _(
                "This output is %(status)s and locked; it cannot be edited now.",
                status=output.status.label,
            )
        )
    summary = _check_paragraphs(summary, "summary")
    recommendations = _check_paragraphs(recommendations, "recommendations")
    current = output.revision_number
    if base_revision is None or not 0 <= base_revision <= current:
        raise StaleRevision(output)
    if base_revision != current:
        # Only a change of text since the editor opened it is a conflict; a state change
        # (submitted, returned) in between is not.
        base = revision(output, base_revision)
        base_text = _text_of(base.content) if base else _text_of({})
        if base_text != _text_of(content_of(output)):
            raise StaleRevision(output)
    output.paragraphs.clear()
    db.session.flush()
    for kind, texts in (
        (ParagraphKind.SUMMARY, summary),
        (ParagraphKind.RECOMMENDATION, recommendations),
    ):
        for position, text in enumerate(texts, start=1):
            output.paragraphs.append(OutputParagraph(kind=kind, position=position, text=text))
    output.not_negotiated = bool(not_negotiated)
    db.session.flush()
    db.session.expire(output, ["paragraphs"])
    return _record_revision(output, author, current)


# Review: draft → submitted → returned → submitted → approved (→ reopened: returned)


def submit_output(output: RapporteurOutput, user: User) -> OutputRevision:
    """The rapporteur sends the output to the Chair."""
    if output.status not in (OutputStatus.DRAFT, OutputStatus.RETURNED):
        raise OutputError(
            _(
                "Only a draft or a returned output can be submitted; this one is %(status)s.",
                status=output.status.label,
            )
        )
    content = content_of(output)
    if not content["summary"] and not content["recommendations"]:
        raise OutputError(
            _("This output is empty. Write its summary of deliberations before submitting it.")
        )
    output.status = OutputStatus.SUBMITTED
    return _record_revision(output, user, output.revision_number)


def return_output(output: RapporteurOutput, user: User, comment: str) -> OutputRevision:
    """The Chair sends a submitted output back to its rapporteur with comments."""
    comment = (comment or "").strip()
    if output.status != OutputStatus.SUBMITTED:
        raise OutputError(
            _(
                "Only a submitted output can be returned; this one is %(status)s.",
                status=output.status.label,
            )
        )
    if not comment:
        raise OutputError(_("Say what the rapporteur should change."), "comment")
    if len(comment) > MAX_PARAGRAPH:
        raise OutputError(
            _("A comment holds at most %(n)d characters.", n=MAX_PARAGRAPH), "comment"
        )
    output.status = OutputStatus.RETURNED
    output.chair_comment = comment
    return _record_revision(output, user, output.revision_number)


def approve_output(output: RapporteurOutput, user: User) -> OutputRevision:
    """The Chair approves a submitted output: it is locked and enters the Chair's Summary."""
    if output.status != OutputStatus.SUBMITTED:
        raise OutputError(
            _(
                "Only a submitted output can be approved; this one is %(status)s.",
                status=output.status.label,
            )
        )
    output.status = OutputStatus.APPROVED
    return _record_revision(output, user, output.revision_number)


def reopen_output(output: RapporteurOutput, user: User, comment: str = "") -> OutputRevision:
    """The Chair unlocks an approved output: it goes back to its rapporteur as returned."""
    if output.status != OutputStatus.APPROVED:
        raise OutputError(
            _(
                "Only an approved output can be reopened; this one is %(status)s.",
                status=output.status.label,
            )
        )
    output.status = OutputStatus.RETURNED
    output.chair_comment = (comment or "").strip()[:MAX_PARAGRAPH] or _("Reopened by the Chair.")
    return _record_revision(output, user, output.revision_number)


def was_returned(output: RapporteurOutput) -> bool:
    """True if the output was returned before: a submission now is a resubmission."""
    return any(r.status == OutputStatus.RETURNED for r in output.revisions)


# History


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed", "header"
    text: str


def _as_lines(content: dict[str, Any]) -> list[str]:
    lines = [_("Summary of deliberations")]
    lines += [f"{n}. {t}" for n, t in enumerate(content.get("summary", []), start=1)]
    lines.append(_("Outcome of deliberations"))
    if content.get("not_negotiated", True):
        lines.append(_("(not negotiated by the participants)"))
    lines += [f"({letter(i)}) {t}" for i, t in enumerate(content.get("recommendations", []))]
    return lines


def diff_revisions(old: OutputRevision, new: OutputRevision) -> list[DiffLine]:
    """What changed between two revisions, paragraph by paragraph (plain text, never HTML)."""
    import difflib

    result = []
    for line in difflib.unified_diff(
        _as_lines(old.content), _as_lines(new.content), lineterm="", n=1000
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            continue
        kind = {"+": "added", "-": "removed"}.get(line[:1], "same")
        result.append(DiffLine(kind, line[1:]))
    return result


# The Chair's Summary


def _stored_summary(meeting: Meeting) -> ChairsSummary | None:
    return db.session.scalar(select(ChairsSummary).where(ChairsSummary.meeting_id == meeting.id))


def find_summary(meeting: Meeting) -> ChairsSummary:
    """The meeting's Chair's Summary for reading: the stored one, else an empty one that is
    not added to the session (a page that only shows it writes nothing)."""
    return _stored_summary(meeting) or ChairsSummary(
        meeting_id=meeting.id, introduction="", general_conclusions="", version=1
    )


def summary_of(meeting: Meeting) -> ChairsSummary:
    """The meeting's Chair's Summary for changing it, created empty when it has none yet."""
    summary = _stored_summary(meeting)
    if summary is None:
        summary = ChairsSummary(meeting_id=meeting.id, introduction="", general_conclusions="")
        db.session.add(summary)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            summary = _stored_summary(meeting)
    return summary


def save_summary(summary: ChairsSummary, *, introduction: str, general_conclusions: str) -> None:
    """The Chair's own text: the introduction and the general conclusions."""
    intro = _check_paragraphs(split_paragraphs(introduction), "introduction")
    conclusions = _check_paragraphs(split_paragraphs(general_conclusions), "general_conclusions")
    summary.introduction = join_paragraphs(intro)
    summary.general_conclusions = join_paragraphs(conclusions)
    db.session.flush()


def meeting_facts(meeting: Meeting) -> dict[str, str]:
    """The title block of a report: meeting, theme, dates and venue as printed text."""
    if meeting.first_day == meeting.last_day:
        dates = format_date(meeting.first_day, "long")
    else:
        dates = _(
            "%(first)s to %(last)s",
            first=format_date(meeting.first_day, "long"),
            last=format_date(meeting.last_day, "long"),
        )
    return {
        "title": meeting.title,
        "short_title": meeting.short_title or meeting.title,
        "theme": meeting.theme or "",
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
    issued.pdf = render_pdf(content)
    db.session.add(issued)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise OutputError(_("Another version was issued at the same moment; try again.")) from error
    return issued


def issued_summaries(meeting: Meeting) -> list[IssuedSummary]:
    """The issued versions of the meeting's Chair's Summary, newest first."""
    return list(
        db.session.scalars(
            select(IssuedSummary)
            .join(ChairsSummary, ChairsSummary.id == IssuedSummary.summary_id)
            .where(ChairsSummary.meeting_id == meeting.id)
            .order_by(IssuedSummary.number.desc())
        )
    )


def issued_summary(meeting: Meeting, number: int) -> IssuedSummary | None:
    if not 0 < number <= MAX_ID:
        return None
    return next((i for i in issued_summaries(meeting) if i.number == number), None)


def ensure_issued_pdf(issued: IssuedSummary, render_pdf: Callable[[dict[str, Any]], bytes]) -> bool:
    """Give an issued version its PDF if it has none yet; True when one was rendered.

    Issuing renders the PDF at once; a version frozen without one (the scale generator's)
    gets it from its frozen content, so what it prints never depends on today's outputs.
    """
    if issued.pdf:
        return False
    issued.pdf = render_pdf(issued.content)
    return True


def report_content(meeting: Meeting) -> dict[str, Any]:
    """The meeting report: the compiled summary plus officers, agenda, attendance, documents."""
    from app.meetings import services as meeting_services
    from app.registration.services import attendance_paragraphs

    content = compile_summary(meeting)
    officers = [
        {
            "office": o.office.label,
            "name": o.person.display_name,
            "country": o.person.country or o.person.organisation or "",
        }
        for o in meeting_services.officers(meeting)
    ]
    agenda = []
    for item in meeting_services.agenda_items(meeting):
        # As the seed reports print an agenda: "5. Substantive items", then "(a) Comprehensive …".
        label = f"({item.letter})" if item.letter else f"{item.number}."
        agenda.append({"label": label, "title": item.title, "sub": bool(item.letter)})
    used = [p["number"] for p in content["introduction"] + content["conclusions"]]
    for section in content["sections"]:
        used += [p["number"] for p in section["summary"]]
        if section["outcome"]:
            used.append(section["outcome"]["number"])
    counter = iter(range(max(used, default=0) + 1, 100_000))
    facts = content["meeting"]
    organization = {
        "venue": {
            "number": next(counter),
            "text": _(
                "%(meeting)s was held in %(place)s, %(dates)s.",
                # "The 2nd ASEAN Conference …" carries its article; "Regional Meeting" gets one.
                meeting=facts["title"]
                if facts["title"].lower().startswith("the ")
                else _("The %(title)s", title=facts["title"]),
                place=facts["venue"] or _("a venue to be announced"),
                dates=facts["dates"],
            ),
        },
        "attendance": [
            {"number": next(counter), "text": text}
            for _category, text in attendance_paragraphs(meeting)
        ],
    }
    if officers:
        organization["officers"] = {
            "number": next(counter),
            "text": _("The following officers were elected:"),
        }
    if agenda:
        organization["agenda"] = {
            "number": next(counter),
            "text": _("The Meeting adopted the following agenda:"),
        }
    content.update(
        organization=organization,
        officers=[{k: str(v) for k, v in o.items()} for o in officers],
        agenda=agenda,
        documents=[
            {"symbol": d.symbol, "title": d.title} for d in meeting_services.documents(meeting)
        ],
    )
    return content

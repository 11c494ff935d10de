"""The rapporteur workflow: assignment, drafting and review (draft → submitted → returned →
submitted → approved, and reopened).

Plain functions that flush but never commit. A save names the revision it started from; a save
from an older revision whose text has since changed raises StaleRevision, so nothing is
overwritten silently.
"""

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.errors import OutputError
from app.extensions import db
from app.meetings.models import Meeting
from app.models_base import MAX_ID, utcnow
from app.outputs import notices
from app.outputs.models import (
    OutputParagraph,
    OutputRevision,
    OutputStatus,
    ParagraphKind,
    RapporteurOutput,
)
from app.outputs.queries import content_of, rapporteurs, revision
from app.outputs.text import MAX_PARAGRAPH, check_paragraphs
from app.programme.models import AgendaSession, Cluster


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


def _text_of(content: dict[str, Any]) -> tuple:
    return (
        tuple(content.get("summary", [])),
        tuple(content.get("recommendations", [])),
        bool(content.get("not_negotiated", True)),
    )


def is_editable(output: RapporteurOutput) -> bool:
    """A draft or a returned output can be edited; a submitted or approved one is locked."""
    return output.status in (OutputStatus.DRAFT, OutputStatus.RETURNED)


def _claim_revision(output: RapporteurOutput, expected: int) -> int:
    """Move the output from revision `expected` to the next, or raise StaleRevision.

    The conditional UPDATE is the guard, and it comes before any text is touched: of two saves
    from the same revision, on however many processes, exactly one changes the row (the other
    waits on its lock, then finds the number moved) and goes on to write; the other raises
    StaleRevision having written nothing, so its writer gets the conflict page, never a 500.
    """
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
    return expected + 1


def _keep_revision(output: RapporteurOutput, author: User | None, number: int) -> OutputRevision:
    """Keep the whole text as revision `number` (claimed already), with who saved it."""
    row = OutputRevision(
        output_id=output.id,
        number=number,
        author_id=author.id if author else None,
        status=output.status,
        content={**content_of(output), "comment": output.chair_comment or ""},
    )
    db.session.add(row)
    db.session.flush()
    db.session.expire(output, ["revisions"])
    return row


def _record_revision(
    output: RapporteurOutput, author: User | None, expected: int
) -> OutputRevision:
    """A state change (submitted, returned, approved, reopened) as the next revision."""
    number = _claim_revision(output, expected)
    return _keep_revision(output, author, number)


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
    summary = check_paragraphs(summary, "summary")
    recommendations = check_paragraphs(recommendations, "recommendations")
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
    # Claim the next revision first: a concurrent save from the same revision stops here.
    number = _claim_revision(output, current)
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
    return _keep_revision(output, author, number)


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
    resubmitted = output.status == OutputStatus.RETURNED
    output.status = OutputStatus.SUBMITTED
    revision = _record_revision(output, user, output.revision_number)
    notices.submitted(output, resubmitted)
    return revision


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
    revision = _record_revision(output, user, output.revision_number)
    notices.reviewed(output, "output_returned")
    return revision


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
    revision = _record_revision(output, user, output.revision_number)
    notices.reviewed(output, "output_approved")
    return revision


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

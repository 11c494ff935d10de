"""Reads of rapporteur outputs and the Chair's Summary that more than one place needs."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingRole, RoleName
from app.models_base import MAX_ID
from app.outputs.models import (
    ChairsSummary,
    IssuedSummary,
    MeetingReport,
    OutlinePart,
    OutputRevision,
    OutputStatus,
    ParagraphKind,
    RapporteurOutput,
)
from app.programme.models import AgendaSession, Cluster


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


def stored_summary(meeting: Meeting) -> ChairsSummary | None:
    return db.session.scalar(select(ChairsSummary).where(ChairsSummary.meeting_id == meeting.id))


def find_summary(meeting: Meeting) -> ChairsSummary:
    """The meeting's Chair's Summary for reading: the stored one, else an empty one that is
    not added to the session (a page that only shows it writes nothing)."""
    return stored_summary(meeting) or ChairsSummary(
        meeting_id=meeting.id, introduction="", general_conclusions="", version=1
    )


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


def outline_parts(meeting: Meeting) -> list[OutlinePart]:
    """The meeting's stored report outline, in order, with the outputs its blocks print."""
    return list(
        db.session.scalars(
            select(OutlinePart)
            .where(OutlinePart.meeting_id == meeting.id)
            .options(selectinload(OutlinePart.output))
            .order_by(OutlinePart.position, OutlinePart.id)
        )
    )


def meeting_report(meeting: Meeting) -> MeetingReport | None:
    """The report's title block and life, when anything of it was set."""
    return db.session.scalar(select(MeetingReport).where(MeetingReport.meeting_id == meeting.id))

"""Rapporteur outputs with their paragraphs and revisions, and the Chair's Summary."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, LabelledEnum, UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.meetings.models import Document, Meeting
    from app.programme.models import AgendaSession, Cluster


class OutputStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    RETURNED = "returned", _l("Returned")
    APPROVED = "approved", _l("Approved")


class ParagraphKind(LabelledEnum):
    SUMMARY = "summary", _l("Summary of deliberations")
    RECOMMENDATION = "recommendation", _l("Recommendation")


class RapporteurOutput(Base):
    """What a rapporteur drafts for one session or one cluster."""

    __tablename__ = "rapporteur_outputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"))
    rapporteur_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[OutputStatus] = mapped_column(
        enum_type(OutputStatus, "status"), default=OutputStatus.DRAFT
    )
    not_negotiated: Mapped[bool] = mapped_column(default=True)
    chair_comment: Mapped[str] = mapped_column(sa.Text, default="")
    # The number of the latest revision; a save names the one it started from (issue 5).
    revision_number: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped["Meeting"] = relationship()
    session_: Mapped["AgendaSession | None"] = relationship()
    cluster: Mapped["Cluster | None"] = relationship()
    rapporteur: Mapped["User | None"] = relationship()
    paragraphs: Mapped[list["OutputParagraph"]] = relationship(
        back_populates="output",
        order_by="(OutputParagraph.kind, OutputParagraph.position)",
        cascade="all, delete-orphan",
    )
    revisions: Mapped[list["OutputRevision"]] = relationship(
        back_populates="output", order_by="OutputRevision.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "(session_id IS NULL) <> (cluster_id IS NULL)", name="for_session_or_cluster"
        ),
        sa.UniqueConstraint("session_id", name="uq_rapporteur_outputs_session"),
        sa.UniqueConstraint("cluster_id", name="uq_rapporteur_outputs_cluster"),
    )


class OutputParagraph(Base):
    """A paragraph of the summary of deliberations, or one lettered recommendation."""

    __tablename__ = "output_paragraphs"

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rapporteur_outputs.id", ondelete="CASCADE")
    )
    kind: Mapped[ParagraphKind] = mapped_column(enum_type(ParagraphKind, "kind"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)

    output: Mapped[RapporteurOutput] = relationship(back_populates="paragraphs")

    __table_args__ = (
        sa.UniqueConstraint("output_id", "kind", "position", name="uq_output_paragraphs_order"),
    )


class OutputRevision(Base):
    """Every save of an output: who, when, and the whole text as it then stood."""

    __tablename__ = "output_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rapporteur_outputs.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[OutputStatus] = mapped_column(enum_type(OutputStatus, "status"))
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    output: Mapped[RapporteurOutput] = relationship(back_populates="revisions")
    author: Mapped["User | None"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("output_id", "number", name="uq_output_revisions_number"),
    )


class ChairsSummary(Base):
    """The Chair's working text of the meeting's outcome: introduction and general conclusions."""

    __tablename__ = "chairs_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    general_conclusions: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped["Meeting"] = relationship()
    issues: Mapped[list["IssuedSummary"]] = relationship(
        back_populates="summary", order_by="IssuedSummary.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class IssuedSummary(Base):
    """An issued, frozen version of the Chair's Summary; a correction is a new number."""

    __tablename__ = "issued_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        sa.ForeignKey("chairs_summaries.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    summary: Mapped[ChairsSummary] = relationship(back_populates="issues")
    issued_by: Mapped["User | None"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("summary_id", "number", name="uq_issued_summaries_number"),
    )


class PartKind(LabelledEnum):
    """What a part of a report outline holds: a heading, the outline's own paragraphs, or a
    block Plenary builds from the meeting's data."""

    HEADING = "heading", _l("Heading")
    TEXT = "text", _l("Paragraphs")
    INTRODUCTION = "introduction", _l("The Chair's introduction")
    CONCLUSIONS = "conclusions", _l("The Chair's general conclusions")
    OUTPUT = "output", _l("An approved rapporteur output")
    VENUE = "venue", _l("Date and venue")
    ATTENDANCE = "attendance", _l("Attendance")
    OFFICERS = "officers", _l("Officers")
    AGENDA = "agenda", _l("Agenda")
    DOCUMENTS = "documents", _l("List of documents")


class OutlinePart(Base):
    """One part of a meeting report's outline, in order: a heading (chapter, section or
    sub-section, numbered from its place) or what stands under it."""

    __tablename__ = "outline_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[PartKind] = mapped_column(enum_type(PartKind, "kind"))
    # Headings: 1 chapter (I.), 2 section (A.), 3 sub-section (1.); unnumbered ones ("Annex",
    # "Proceedings") keep their level for the contents and the PDF's bookmarks.
    level: Mapped[int] = mapped_column(default=0)
    numbered: Mapped[bool] = mapped_column(default=True)
    heading: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # A block's lead sentence as the organiser wrote it; empty prints the UN default.
    lead: Mapped[str] = mapped_column(sa.Text, default="")
    output_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rapporteur_outputs.id", ondelete="CASCADE")
    )
    options: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Counts the saves of the part's own text and settings (not its moves, which renumber
    # every part): an editor who started from an older one gets the conflict page.
    edits: Mapped[int] = mapped_column(default=1, server_default="1")

    output: Mapped["RapporteurOutput | None"] = relationship()

    __table_args__ = (
        # An output prints once in a report.
        sa.UniqueConstraint("meeting_id", "output_id", name="uq_outline_parts_output"),
        sa.CheckConstraint("level >= 0 AND level <= 3", name="level_in_range"),
        sa.Index("ix_outline_parts_meeting_position", "meeting_id", "position"),
    )


class MeetingReport(Base):
    """The report's life and title block: its symbol, the Congress line above the title,
    the day it was adopted and whether it is public."""

    __tablename__ = "meeting_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    symbol: Mapped[str] = mapped_column(sa.String(120), default="")
    context_line: Mapped[str] = mapped_column(sa.String(500), default="")
    context_when: Mapped[str] = mapped_column(sa.String(300), default="")
    adopted_on: Mapped[date | None]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The report as published, frozen in the meeting's language: what the public reads, whatever
    # changes in the outline or the outputs afterwards (withdrawing it thaws it).
    published_content: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class DraftReportPart(Base):
    """A part of the draft report the rapporteur issued during the meeting (an L document or
    an addendum): the outline parts it covers, frozen as content and PDF, and the meeting
    document it is listed as."""

    __tablename__ = "draft_report_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    part_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # A few pages rendered once and kept, like an issued Chair's Summary's PDF.
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    document: Mapped["Document"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number", name="uq_draft_report_parts_number"),
    )

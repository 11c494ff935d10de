"""The outbox of e-mail messages and the queue of background jobs: plain rows, written in the
transaction of the change that causes them, claimed by the worker (app/mail/delivery.py)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, LabelledEnum, UTCDateTime, enum_type, utcnow


class MessageState(LabelledEnum):
    QUEUED = "queued", _l("Queued")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")


class JobState(LabelledEnum):
    QUEUED = "queued", _l("Queued")
    DONE = "done", _l("Done")
    FAILED = "failed", _l("Failed")


class OutboxMessage(Base):
    """One e-mail to one recipient, with everything needed to send it later."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What caused it ("registration_approved", "message"): the recipient's preferences and the
    # outbox page use it.
    kind: Mapped[str] = mapped_column(sa.String(40))
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A message to a group (app/communications) groups its copies under one id.
    group_id: Mapped[int | None] = mapped_column(sa.Integer)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    # Extra headers (List-Unsubscribe …), values single-line; attachments as
    # [{"filename", "content_type", "data" (base64)}].
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    state: Mapped[MessageState] = mapped_column(
        enum_type(MessageState, "message_state"), default=MessageState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker's claim: its token, and until when it holds the message (a worker that died
    # gives it back when the lease ends).
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.Index("ix_mail_outbox_due", "state", "next_attempt_at"),
        sa.Index("ix_mail_outbox_meeting", "meeting_id", "id"),
        sa.Index("ix_mail_outbox_user", "user_id"),
    )


class Job(Base):
    """Work that does not belong in a request (rendering a large PDF), done by the worker."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    state: Mapped[JobState] = mapped_column(
        enum_type(JobState, "job_state"), default=JobState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_jobs_due", "state", "next_attempt_at"),)

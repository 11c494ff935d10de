"""A message an organiser wrote to a group: its text, the filter that chose the group, and how
many it went to (each copy is a row of the outbox, app/mail/models.py, with this group id)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, UTCDateTime, utcnow


class GroupMessage(Base):
    __tablename__ = "group_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # The filter as chosen ({"category": "ngo", "slot": 1, …}), to say on the outbox who it
    # went to.
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_group_messages_meeting", "meeting_id"),)

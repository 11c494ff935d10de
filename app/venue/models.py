"""Presence at the venue: who was checked in on which day (and at which session's door), and
the organiser's settings for it."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.registration.models import Registration


class VenueSettings(Base):
    """How a meeting runs its doors; a meeting without a row uses the defaults."""

    __tablename__ = "venue_settings"

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    # Desks at the doors of breakout rooms record presence per session, not only per day.
    check_in_per_session: Mapped[bool] = mapped_column(default=False)
    # The report's attendance section lists delegations with a member present, not every
    # delegation that registered.
    attendance_from_presence: Mapped[bool] = mapped_column(default=False)


class CheckIn(Base):
    """A participant checked in on a day, at the venue's door or at one session's door.

    The database holds "one check-in per participant per day (and per session)": two desks
    scanning the same badge at once insert one row, and the other hears "already checked in".
    """

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE")
    )
    # The meeting's local day the participant came on.
    day: Mapped[date]
    # None: the venue's door; a session: the door of its room.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    # When the badge was scanned (a desk that was offline sends it later) and when it arrived.
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    desk: Mapped[str] = mapped_column(sa.String(40), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The scanning page's own id for the scan, so a resend is recognised as the same scan.
    client_id: Mapped[str] = mapped_column(sa.String(64), default="")

    registration: Mapped["Registration"] = relationship()

    __table_args__ = (
        # NULLs never clash in a unique constraint, so the day's door and a session's door each
        # get a partial unique index.
        sa.Index(
            "uq_check_ins_day",
            "registration_id",
            "day",
            unique=True,
            sqlite_where=sa.text("session_id IS NULL"),
            postgresql_where=sa.text("session_id IS NULL"),
        ),
        sa.Index(
            "uq_check_ins_session",
            "registration_id",
            "session_id",
            unique=True,
            sqlite_where=sa.text("session_id IS NOT NULL"),
            postgresql_where=sa.text("session_id IS NOT NULL"),
        ),
        sa.Index("ix_check_ins_meeting_day", "meeting_id", "day"),
    )

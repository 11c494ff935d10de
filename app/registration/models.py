"""Meeting registrations and participants' places in clusters and workshops."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.delegations.models import AttendanceCategory, Delegation, MemberRole
from app.models_base import Base, LabelledEnum, UTCDateTime, enum_type, utcnow

# AttendanceCategory lives with the delegations (a delegation has one); it is named here too.
__all__ = ["AttendanceCategory", "ClusterPlace", "PlaceStatus", "Registration"]

if TYPE_CHECKING:
    from app.auth.models import User
    from app.meetings.models import Meeting, Person
    from app.programme.models import AgendaSession


class RegistrationStatus(LabelledEnum):
    PENDING = "pending", _l("Pending approval")
    APPROVED = "approved", _l("Approved")
    DECLINED = "declined", _l("Declined")
    CANCELLED = "cancelled", _l("Cancelled")


class PlaceStatus(LabelledEnum):
    CONFIRMED = "confirmed", _l("Confirmed")
    WAITLISTED = "waitlisted", _l("Waiting list")


class Registration(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    # None for a member a focal point or an organiser entered, until the person claims an
    # account through the link sent to `email`.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    # The delegation's name as registered (kept equal to the record's name) and the record.
    delegation: Mapped[str] = mapped_column(sa.String(200))
    delegation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegations.id", ondelete="CASCADE")
    )
    member_role: Mapped[MemberRole] = mapped_column(
        enum_type(MemberRole, "member_role"), default=MemberRole.MEMBER, server_default="member"
    )
    # The order within the delegation (after the role), and the member's address: the claim
    # link goes there; `claim_issued_at` says when the link was issued.
    list_order: Mapped[int] = mapped_column(default=0, server_default="0")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    claim_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    category: Mapped[AttendanceCategory] = mapped_column(enum_type(AttendanceCategory, "category"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus, "status"), default=RegistrationStatus.PENDING
    )
    organiser_note: Mapped[str] = mapped_column(sa.String(1000), default="")
    # The secret in the participant's private calendar feed URL (issue 4); None until asked for.
    feed_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped["Meeting"] = relationship()
    user: Mapped["User | None"] = relationship()
    person: Mapped["Person"] = relationship()
    delegation_record: Mapped[Delegation | None] = relationship()
    places: Mapped[list["ClusterPlace"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_registrations_once"),
        sa.Index("ix_registrations_meeting_status", "meeting_id", "status"),
        sa.Index("ix_registrations_delegation_id", "delegation_id"),
        sa.Index("ix_registrations_meeting_email", "meeting_id", "email"),
    )

    @property
    def contact_email(self) -> str:
        """The address to write to: the account's, else the one the member was entered with."""
        return self.user.email if self.user is not None else self.email


class ClusterPlace(Base):
    """A participant's place in a breakout session (a cluster in a slot) or a workshop."""

    __tablename__ = "cluster_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE")
    )
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    slot: Mapped[int]
    status: Mapped[PlaceStatus] = mapped_column(enum_type(PlaceStatus, "status"))
    waitlist_position: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="places")
    session_: Mapped["AgendaSession"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint(
            "registration_id", "slot", "status", name="uq_cluster_places_one_per_slot"
        ),
        sa.UniqueConstraint(
            "session_id", "waitlist_position", name="uq_cluster_places_waitlist_position"
        ),
        sa.CheckConstraint(
            "(status = 'confirmed' AND waitlist_position IS NULL)"
            " OR (status = 'waitlisted' AND waitlist_position >= 1)",
            name="waitlist_position_matches_status",
        ),
        # A sign-up counts a session's confirmed places under its lock: only those rows, not
        # a waiting list that may be hundreds long.
        sa.Index("ix_cluster_places_session_id_status", "session_id", "status"),
    )

"""A meeting's delegations (a State or an organisation) with their attendance category, the
focal point a secretariat invites for each, and the registration window.

A delegation's members are registrations (app/registration/models.py links each to its
delegation): a member nominated by a focal point or entered by an organiser has no account
until the person claims one, and the organiser's decisions work on members as they always
worked on registrations.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, LabelledEnum, UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.meetings.models import Meeting


class AttendanceCategory(LabelledEnum):
    """The categories of a UN report's attendance section, in the UN's order (States members,
    observer States, UN entities, programme network institutes, IGOs, NGOs, then others)."""

    MEMBER_STATE = "member_state", _l("Member State")
    OBSERVER_STATE = "observer_state", _l("Observer State")
    UN_ENTITY = "un_entity", _l("United Nations entity")
    PROGRAMME_NETWORK_INSTITUTE = (
        "programme_network_institute",
        _l("Institute of the UN crime prevention and criminal justice programme network"),
    )
    INTERGOVERNMENTAL_ORGANISATION = (
        "intergovernmental_organisation",
        _l("Intergovernmental organization"),
    )
    NGO = "ngo", _l("Non-governmental organization")
    ACADEMIA = "academia", _l("Academia")
    PRIVATE_SECTOR = "private_sector", _l("Private sector")
    YOUTH = "youth", _l("Youth")

    @property
    def is_state(self) -> bool:
        return self in (AttendanceCategory.MEMBER_STATE, AttendanceCategory.OBSERVER_STATE)


# The heading each category has in a list of participants (A/CONF.234/RPM.1/INF/2); the last
# three share "Other participants".
LIST_HEADINGS = {
    AttendanceCategory.MEMBER_STATE: _l("States members"),
    AttendanceCategory.OBSERVER_STATE: _l("States represented by observers"),
    AttendanceCategory.UN_ENTITY: _l("United Nations entities"),
    AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: _l(
        "Institutes of the United Nations crime prevention and criminal justice programme network"
    ),
    AttendanceCategory.INTERGOVERNMENTAL_ORGANISATION: _l("Intergovernmental organizations"),
    AttendanceCategory.NGO: _l("Non-governmental organizations"),
    AttendanceCategory.ACADEMIA: _l("Other participants"),
    AttendanceCategory.PRIVATE_SECTOR: _l("Other participants"),
    AttendanceCategory.YOUTH: _l("Other participants"),
}

# What a report says after a delegation of the category, unless the organiser words it
# otherwise ("Japan Federation of Bar Associations", in consultative status with ECOSOC).
STANDARD_QUALIFIERS = {
    AttendanceCategory.NGO: _l("in consultative status with the Economic and Social Council"),
}


class DelegationKind(LabelledEnum):
    STATE = "state", _l("State")
    ORGANISATION = "organisation", _l("Organisation")


class MemberRole(LabelledEnum):
    """A member's place in the delegation; the list prints them in this order."""

    HEAD = "head", _l("Head of delegation")
    ALTERNATE = "alternate", _l("Alternate")
    ADVISER = "adviser", _l("Adviser")
    MEMBER = "member", _l("Member")

    @property
    def rank(self) -> int:
        return list(MemberRole).index(self)


class Delegation(Base):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[DelegationKind] = mapped_column(enum_type(DelegationKind, "kind"))
    category: Mapped[AttendanceCategory] = mapped_column(enum_type(AttendanceCategory, "category"))
    # The words after the name in the report and the list ("" for none).
    qualifier: Mapped[str] = mapped_column(sa.String(300), default="")
    # The focal point the organiser invited: the address the link went to, the account that
    # took it, when it was issued; `invitation_version` moves to revoke earlier links.
    focal_point_email: Mapped[str] = mapped_column(sa.String(254), default="")
    focal_point_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped["Meeting"] = relationship()
    focal_point: Mapped["User | None"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "name", name="uq_delegations_name"),
        sa.Index("ix_delegations_focal_point_user_id", "focal_point_user_id"),
    )


class RegistrationWindow(Base):
    """When registration opens and closes (the deadline, in the meeting's time zone, inclusive)
    and how many members a delegation may have; a meeting without one is open, uncapped."""

    __tablename__ = "registration_windows"

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    members_per_delegation: Mapped[int | None]

    __table_args__ = (
        sa.CheckConstraint(
            "opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on",
            name="closes_after_opening",
        ),
        sa.CheckConstraint(
            "members_per_delegation IS NULL OR members_per_delegation >= 1",
            name="cap_positive",
        ),
    )

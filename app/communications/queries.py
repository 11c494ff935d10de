"""Who a message to a group goes to: the meeting's registrations chosen by the filter."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.programme.models import AgendaSession, TrackKind
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class GroupFilter:
    """The organiser's choice; empty values choose everyone."""

    status: str = RegistrationStatus.APPROVED.value
    category: str = ""
    delegation: str = ""
    cluster_id: int | None = None
    slot: int | None = None
    youth_forum: bool = False

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def _conditions(meeting_id: int, chosen: GroupFilter) -> list:
    conditions = [Registration.meeting_id == meeting_id]
    if chosen.status:
        conditions.append(Registration.status == RegistrationStatus(chosen.status))
    if chosen.category:
        conditions.append(Registration.category == AttendanceCategory(chosen.category))
    if chosen.delegation.strip():
        pattern = f"%{chosen.delegation.strip().lower()}%"
        conditions.append(func.lower(Registration.delegation).like(pattern))
    if chosen.cluster_id is not None or chosen.slot is not None:
        # A confirmed place in a session of that cluster and/or slot.
        place = (
            select(ClusterPlace.id)
            .join(AgendaSession, AgendaSession.id == ClusterPlace.session_id)
            .where(
                ClusterPlace.registration_id == Registration.id,
                ClusterPlace.status == PlaceStatus.CONFIRMED,
            )
        )
        if chosen.cluster_id is not None:
            place = place.where(AgendaSession.cluster_id == chosen.cluster_id)
        if chosen.slot is not None:
            place = place.where(ClusterPlace.slot == chosen.slot)
        conditions.append(sa.exists(place))
    if chosen.youth_forum:
        # Youth participants, and anyone holding a place in a youth forum workshop.
        from app.programme.models import Track

        in_youth_forum = (
            select(ClusterPlace.id)
            .join(AgendaSession, AgendaSession.id == ClusterPlace.session_id)
            .join(Track, Track.id == AgendaSession.track_id)
            .where(
                ClusterPlace.registration_id == Registration.id,
                Track.kind == TrackKind.YOUTH_FORUM,
            )
        )
        conditions.append(
            sa.or_(Registration.category == AttendanceCategory.YOUTH, sa.exists(in_youth_forum))
        )
    return conditions


def count_recipients(meeting_id: int, chosen: GroupFilter) -> tuple[int, int]:
    """(how many registrations match, how many of them turned organisers' messages off)."""
    off = User.notices_off.like("%messages%")
    row = db.session.execute(
        select(func.count(), func.count().filter(off))
        .select_from(Registration)
        .join(User, User.id == Registration.user_id)
        .where(*_conditions(meeting_id, chosen))
    ).one()
    return row[0], row[1]


def recipients(meeting_id: int, chosen: GroupFilter) -> list[tuple[int, str, str, str | None]]:
    """(user id, address, name, language) of every matching participant who takes messages,
    as plain rows (no objects: a message may go to thousands)."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(User.id, User.email, User.name, User.language)
            .join(Registration, Registration.user_id == User.id)
            .where(*_conditions(meeting_id, chosen), ~User.notices_off.like("%messages%"))
            .order_by(User.id)
        )
    ]

"""Reads of the meetings area that more than one place needs, written once.

Every id that comes from a URL or a form is bounded like the INTEGER column it names, and a
record of another meeting is never returned for this one.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import User
from app.extensions import db
from app.limits import MAX_MEETING_DAYS
from app.meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Office,
    Officer,
    Person,
    RoleName,
    Workshop,
)
from app.models_base import MAX_ID


def record_of(model, meeting: Meeting, record_id: int | None):
    """A record of this meeting by id, or None (never one of another meeting)."""
    if record_id is None or not 0 < record_id <= MAX_ID:
        return None
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        return None
    return record


def organises(user: User, meeting_id: int) -> bool:
    """True if the account is an organiser of the meeting, or a site administrator."""
    if user.is_admin:
        return True
    return (
        db.session.scalar(
            select(func.count())
            .select_from(MeetingRole)
            .where(
                MeetingRole.meeting_id == meeting_id,
                MeetingRole.user_id == user.id,
                MeetingRole.role == RoleName.ORGANISER,
            )
        )
        > 0
    )


def preparatory_choices(user: User, meeting: Meeting | None = None) -> list[Meeting]:
    """Meetings that could have prepared `meeting`: those the account organises (every meeting
    for a site administrator), never the meeting itself, and the one linked already; newest
    first. Linking two meetings needs rights on both, and no one sees another's drafts here."""
    query = select(Meeting).order_by(Meeting.first_day.desc(), Meeting.title)
    if not user.is_admin:
        organised = select(MeetingRole.meeting_id).where(
            MeetingRole.user_id == user.id, MeetingRole.role == RoleName.ORGANISER
        )
        linked = meeting.prepared_by_id if meeting is not None else None
        query = query.where(sa.or_(Meeting.id.in_(organised), Meeting.id == linked))
    if meeting is not None and meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    return list(db.session.scalars(query))


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items and sub-items in agenda order (5, 5 (a), 5 (b), 6, …)."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .options(selectinload(AgendaItem.workshops))
            .order_by(AgendaItem.number, AgendaItem.letter)
        )
    )


def top_level_items(meeting: Meeting, *, exclude: AgendaItem | None = None) -> list[AgendaItem]:
    """Items that may take sub-items."""
    query = (
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.parent_id.is_(None))
        .order_by(AgendaItem.number)
    )
    if exclude is not None and exclude.id is not None:
        query = query.where(AgendaItem.id != exclude.id)
    return list(db.session.scalars(query))


def get_agenda_item(meeting: Meeting, item_id: int | None) -> AgendaItem | None:
    """An agenda item of this meeting, or None (never one of another meeting)."""
    return record_of(AgendaItem, meeting, item_id)


def workshops(meeting: Meeting) -> list[Workshop]:
    return list(
        db.session.scalars(
            select(Workshop).where(Workshop.meeting_id == meeting.id).order_by(Workshop.number)
        )
    )


def get_workshop(meeting: Meeting, workshop_id: int) -> Workshop | None:
    return record_of(Workshop, meeting, workshop_id)


def people_of(meeting: Meeting) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person).where(Person.meeting_id == meeting.id).order_by(Person.name)
        )
    )


def officers(meeting: Meeting) -> list[Officer]:
    """Officers in protocol order: Chair, Vice-Chairs, Rapporteur."""
    rows = db.session.scalars(
        select(Officer)
        .where(Officer.meeting_id == meeting.id)
        .options(selectinload(Officer.person))
    ).all()
    order = {office: position for position, office in enumerate(Office)}
    return sorted(rows, key=lambda o: (order[o.office], o.person.name))


def get_officer(meeting: Meeting, officer_id: int) -> Officer | None:
    return record_of(Officer, meeting, officer_id)


def documents(meeting: Meeting) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.meeting_id == meeting.id)
            .options(selectinload(Document.files))
            .order_by(Document.symbol)
        )
    )


def documents_of_item(item: AgendaItem) -> int:
    """How many documents name an agenda item or one of its sub-items."""
    ids = [item.id, *(sub.id for sub in item.sub_items)]
    return db.session.scalar(
        select(func.count()).select_from(Document).where(Document.agenda_item_id.in_(ids))
    )


def get_document(meeting: Meeting, document_id: int) -> Document | None:
    return record_of(Document, meeting, document_id)


def meeting_roles(meeting: Meeting) -> list[MeetingRole]:
    """Who holds which role, by role then name."""
    rows = db.session.scalars(
        select(MeetingRole)
        .join(User)
        .options(contains_eager(MeetingRole.user))
        .where(MeetingRole.meeting_id == meeting.id)
    ).all()
    order = {role: position for position, role in enumerate(RoleName)}
    return sorted(rows, key=lambda r: (order[r.role], r.user.name.lower(), r.user.email))


def get_meeting_role(meeting: Meeting, role_id: int) -> MeetingRole | None:
    return record_of(MeetingRole, meeting, role_id)


def meeting_days(meeting: Meeting) -> list[date]:
    """Every day of the meeting, first to last (the database keeps last_day >= first_day).

    Never more than MAX_MEETING_DAYS, the longest meeting the rules accept, so that no page
    or form lists days without a bound."""
    count = min((meeting.last_day - meeting.first_day).days + 1, MAX_MEETING_DAYS)
    return [meeting.first_day + timedelta(days=n) for n in range(count)]


def get_meeting(slug: str) -> Meeting | None:
    """The meeting at a web address, draft or not (access.load_meeting decides who sees it)."""
    return db.session.scalar(select(Meeting).where(Meeting.slug == slug))


def published_meetings() -> list[Meeting]:
    """Every meeting the public may see, the latest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.status != MeetingStatus.DRAFT)
            .order_by(Meeting.first_day.desc())
        )
    )


def meetings_of(user: User) -> list[Meeting]:
    """The meetings in which an account holds a role, the latest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(MeetingRole, MeetingRole.meeting_id == Meeting.id)
            .where(MeetingRole.user_id == user.id)
            .distinct()
            .order_by(Meeting.first_day.desc())
        )
    )


def meetings_prepared_by(meeting: Meeting) -> list[Meeting]:
    """The meetings this one prepared (its follow-ups), the earliest first."""
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.prepared_by_id == meeting.id).order_by(Meeting.first_day)
        )
    )


def next_editions(meeting: Meeting) -> list[Meeting]:
    """The meetings made from this one ("New meeting from this one"), the earliest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.previous_edition_id == meeting.id)
            .order_by(Meeting.first_day)
        )
    )

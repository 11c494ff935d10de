"""Telling the people in a session that it moved, changed room or was cancelled, with the
updated event as an .ics attachment (built with the feeds' own builders, so its UID and
SEQUENCE update the event a calendar already holds). The programme asks through the
`session_changed` hook (it sits below exports); this runs in the change's transaction."""

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy import select

from app.auth.models import User
from app.exports.ical import build_calendar, calendar_bytes
from app.extensions import db
from app.mail.notices import absolute_url, notify
from app.meetings.models import Meeting, MeetingStatus, Person
from app.programme.models import AgendaSession, Room, SessionPerson
from app.registration.models import ClusterPlace, Registration, RegistrationStatus

# What makes a change news for the people in a session.
_NEWS = ("starts_at", "ends_at", "room_id", "cancelled")


def session_changed(session_: AgendaSession, before: dict, after: dict) -> None:
    if not any(before.get(name) != after.get(name) for name in _NEWS):
        return
    meeting = db.session.get(Meeting, session_.meeting_id)
    if meeting.status != MeetingStatus.PUBLISHED:
        return  # a draft programme changes freely; no one holds it yet
    people = _people_in(session_.id)
    if not people:
        return
    attachment = ("session.ics", "text/calendar; method=PUBLISH", _ics(session_, meeting))
    room = db.session.get(Room, session_.room_id) if session_.room_id else None
    if after["cancelled"] and not before["cancelled"]:
        template = "session_cancelled"
    elif before["room_id"] != after["room_id"] and before["starts_at"] == after["starts_at"]:
        template = "session_room_changed"
    else:
        template = "session_moved"
    for user in people:
        notify(
            user,
            template,
            kind="programme_changes",
            essential=False,
            meeting=meeting,
            attachments=[attachment],
            session=session_,
            room=room.name if room is not None else "",
            old_room=before.get("room", ""),
        )


def _people_in(session_id: int) -> list[User]:
    """Accounts holding a place (confirmed or waiting) or a role in the session, once each."""
    holders = (
        select(Registration.user_id)
        .join(ClusterPlace, ClusterPlace.registration_id == Registration.id)
        .where(
            ClusterPlace.session_id == session_id,
            Registration.status == RegistrationStatus.APPROVED,
        )
    )
    speakers = (
        select(Person.user_id)
        .join(SessionPerson, SessionPerson.person_id == Person.id)
        .where(SessionPerson.session_id == session_id, Person.user_id.is_not(None))
    )
    ids = sa.union(holders, speakers).subquery()
    return list(db.session.scalars(select(User).where(User.id.in_(select(ids))).order_by(User.id)))


def _ics(session_: AgendaSession, meeting: Meeting) -> bytes:
    config = current_app.config
    domain = config.get("PLENARY_UID_DOMAIN") or config.get("SERVER_NAME")
    if not domain:
        domain = request.host if has_request_context() else config["PLENARY_BASE_URL"]
    domain = domain.split("//")[-1].split("/")[0].split(":")[0]
    calendar = build_calendar(
        meeting,
        [session_],
        name=meeting.short_title or meeting.title,
        uid_domain=domain,
        session_url=lambda s: absolute_url(
            "public.show_session", slug=meeting.slug, session_id=s.id
        ),
    )
    return calendar_bytes(calendar)

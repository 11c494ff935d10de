"""The programme's revision: one number per meeting that moves with every change a feed shows.

Calendar feeds answer conditional requests from it alone, on the meeting row they load anyway,
so an unchanged feed costs one query at any size (a subscribed calendar asks every hour).

Programme changes are written through the ORM, so one flush listener keeps it: when a flush
adds, changes or removes a session, a person in a session, a track, a room, a person, a
cluster or its topics, or an agenda item, each meeting concerned gets `programme_revision + 1`
and `programme_changed_at` = now, in the same transaction. A bump too many costs one rebuilt
feed; a bump missed would serve a stale one, so anything doubtful counts as a change. Bulk
writes that bypass the ORM only build or remove whole meetings (the generator, the demo's
reset); a new meeting has no feed to be stale.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.meetings.models import AgendaItem, Meeting, Person
from app.models_base import utcnow
from app.programme.models import AgendaSession, Cluster, ClusterTopic, Room, SessionPerson, Track

_OF_MEETING = (AgendaSession, Track, Room, Person, Cluster, AgendaItem)
_PENDING = "programme_revision_meetings"


def _meeting_of(session: Session, obj) -> int | None:
    if isinstance(obj, _OF_MEETING):
        if obj.meeting_id is None:  # a new record given its meeting as an object
            meeting = getattr(obj, "meeting", None)
            return meeting.id if meeting is not None else None
        return obj.meeting_id
    if isinstance(obj, SessionPerson):
        session_ = obj.session_
        if session_ is None and obj.session_id is not None:
            return _column_of(session, AgendaSession, obj.session_id)
        return session_.meeting_id if session_ is not None else None
    if isinstance(obj, ClusterTopic):
        cluster = obj.cluster
        if cluster is None and obj.cluster_id is not None:
            return _column_of(session, Cluster, obj.cluster_id)
        return cluster.meeting_id if cluster is not None else None
    return None


def _column_of(session: Session, model, object_id: int) -> int | None:
    with session.no_autoflush:
        return session.scalar(sa.select(model.meeting_id).where(model.id == object_id))


def _collect(session: Session, flush_context, instances) -> None:
    """Before the flush, while every object is whole: which meetings' programmes change."""
    meetings = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        meeting_id = _meeting_of(session, obj)
        if meeting_id is not None:
            meetings.add(meeting_id)


def _bump(session: Session, flush_context) -> None:
    """After the flush's own statements: move the revisions, in the same transaction."""
    meetings = session.info.pop(_PENDING, set())
    if not meetings:
        return
    session.connection().execute(
        sa.update(Meeting)
        .where(Meeting.id.in_(sorted(meetings)))  # in id order: two flushes cannot deadlock
        .values(
            programme_revision=Meeting.programme_revision + 1,
            programme_changed_at=utcnow(),
            # The meeting's own record did not change: its stamp and version stay.
            updated_at=Meeting.updated_at,
        )
    )
    for obj in session.identity_map.values():
        if isinstance(obj, Meeting) and obj.id in meetings:
            session.expire(obj, ["programme_revision", "programme_changed_at"])


def track_programme_revisions(session_class) -> None:
    """Install the listeners on a session class (the app's, once)."""
    if not sa.event.contains(session_class, "before_flush", _collect):
        sa.event.listen(session_class, "before_flush", _collect)
        sa.event.listen(session_class, "after_flush_postexec", _bump)

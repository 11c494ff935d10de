"""Breakout clusters: their topics, discussion guide, places, moderator and rapporteur.

The rule flushes but never commits.
"""

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import ProgrammeError
from app.extensions import db
from app.limits import LONG_TEXT_MAX, MAX_CLUSTERS, MAX_TOPICS, TITLE_MAX, check_room_for_one_more
from app.meetings.models import Meeting, Person
from app.models_base import utcnow
from app.programme.checks import belonging, check_places, check_programme_text
from app.programme.models import (
    Cluster,
    ClusterTopic,
    roman,
)
from app.programme.ports import places


def parse_topics(text: str) -> list[str]:
    """One topic per line, blank lines dropped, in the order written."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def save_cluster(
    meeting: Meeting,
    *,
    number: int | None,
    title: str,
    topics: Iterable[str],
    discussion_guide: str = "",
    capacity: int | None,
    moderator_id: int | None = None,
    rapporteur_id: int | None = None,
    cluster: Cluster | None = None,
) -> Cluster:
    """Create or update a breakout cluster; its topics are replaced in the order given."""
    if number is None or not 1 <= number <= 3999:
        raise ProgrammeError(_("Clusters are numbered from 1 to 3999."), "number")
    title = check_programme_text(title, TITLE_MAX, "title")
    topics = list(topics)
    if len(topics) > MAX_TOPICS:
        raise ProgrammeError(_("A cluster has at most %(n)d topics.", n=MAX_TOPICS), "topics")
    topics = [check_programme_text(topic, TITLE_MAX, "topics") for topic in topics]
    discussion_guide = check_programme_text(
        discussion_guide, LONG_TEXT_MAX, "discussion_guide", required=False
    )
    if capacity is None:
        raise ProgrammeError(_("Give the number of places."), "capacity")
    check_places(capacity)
    message = _("Choose one of this meeting's people.")
    belonging(Person, moderator_id, meeting, "moderator_id", message)
    belonging(Person, rapporteur_id, meeting, "rapporteur_id", message)
    taken = select(Cluster.id).where(Cluster.meeting_id == meeting.id, Cluster.number == number)
    if cluster is not None:
        taken = taken.where(Cluster.id != cluster.id)
    if db.session.scalar(taken) is not None:
        raise ProgrammeError(
            _("This meeting already has a Cluster %(number)s.", number=roman(number)), "number"
        )
    if cluster is None:
        check_room_for_one_more(
            Cluster,
            meeting.id,
            MAX_CLUSTERS,
            _("A meeting holds at most %(n)d clusters.", n=MAX_CLUSTERS),
            error=ProgrammeError,
        )
        cluster = Cluster(meeting_id=meeting.id)
        db.session.add(cluster)
    cluster.number = number
    cluster.title = title
    cluster.discussion_guide = discussion_guide
    if cluster.id is not None and cluster.capacity != capacity:
        # Refused below the confirmed count; a raise fills places from the waiting lists.
        places().change_capacity(cluster, capacity)
    else:
        cluster.capacity = capacity
    cluster.moderator_id = moderator_id
    cluster.rapporteur_id = rapporteur_id
    existing = [topic.title for topic in cluster.topics]
    if existing != topics:
        # Topics are rows of their own: move the cluster's stamp, which the feeds fingerprint.
        cluster.updated_at = utcnow()
        cluster.topics.clear()
        # Flush the removals first, so the new rows never meet the old ones.
        db.session.flush()
        for position, topic in enumerate(topics):
            cluster.topics.append(ClusterTopic(position=position, title=topic))
    db.session.flush()
    return cluster

"""The programme: tracks, rooms, people, sessions with people in roles, breakout clusters."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.i18n import isolated
from app.meetings.models import Person
from app.models_base import Base, JSONValue, LabelledEnum, UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from app.meetings.models import AgendaItem, Meeting


class TrackKind(LabelledEnum):
    MAIN = "main", _l("Main programme")
    YOUTH_FORUM = "youth_forum", _l("Youth forum")
    ACADEMIC_FORUM = "academic_forum", _l("Academic forum")
    SIDE_EVENT = "side_event", _l("Side event")


class SessionKind(LabelledEnum):
    OPENING_CEREMONY = "opening_ceremony", _l("Opening ceremony")
    KEYNOTE = "keynote", _l("Keynote")
    PLENARY_PANEL = "plenary_panel", _l("Plenary panel")
    PANEL_DISCUSSION = "panel_discussion", _l("Panel discussion")
    OPEN_DISCUSSION = "open_discussion", _l("Open discussion")
    BREAKOUT = "breakout", _l("Breakout session")
    WORKSHOP = "workshop", _l("Workshop")
    RAPPORTEUR_PRESENTATIONS = "rapporteur_presentations", _l("Rapporteur presentations")
    YOUTH_FORUM_PRESENTATIONS = "youth_forum_presentations", _l("Youth forum presentations")
    PLENARY_MEETING = "plenary_meeting", _l("Plenary meeting")
    CHAIRS_SUMMARY_AND_CLOSING = "chairs_summary_and_closing", _l("Chair's Summary and closing")
    BREAK = "break", _l("Break")
    OTHER = "other", _l("Other")


class SpeakerRole(LabelledEnum):
    CHAIR = "chair", _l("Chair")
    MODERATOR = "moderator", _l("Moderator")
    KEYNOTE_SPEAKER = "keynote_speaker", _l("Keynote speaker")
    PANELLIST = "panellist", _l("Panellist")
    DISCUSSANT = "discussant", _l("Discussant")
    RAPPORTEUR = "rapporteur", _l("Rapporteur")
    PRESENTER = "presenter", _l("Presenter")


class Track(Base):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[TrackKind] = mapped_column(enum_type(TrackKind, "kind"))
    position: Mapped[int] = mapped_column(default=0)
    # Moves with every edit, so the calendar feeds' fingerprint sees a rename (issue 6).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.text("CURRENT_TIMESTAMP")
    )

    meeting: Mapped["Meeting"] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "name", name="uq_tracks_name"),)


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    capacity: Mapped[int | None]
    # Moves with every edit, so the calendar feeds' fingerprint sees a rename (issue 6).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.text("CURRENT_TIMESTAMP")
    )

    meeting: Mapped["Meeting"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "name", name="uq_rooms_name"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )


class Cluster(Base):
    """A breakout cluster ("Cluster I: Culture of Prevention") with its topics and capacity."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    discussion_guide: Mapped[str] = mapped_column(sa.Text, default="")
    capacity: Mapped[int]
    moderator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    rapporteur_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    # Moves with every edit, so the calendar feeds' fingerprint sees a rename (issue 6).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.text("CURRENT_TIMESTAMP")
    )

    meeting: Mapped["Meeting"] = relationship()
    moderator: Mapped[Person | None] = relationship(foreign_keys=[moderator_id])
    rapporteur: Mapped[Person | None] = relationship(foreign_keys=[rapporteur_id])
    topics: Mapped[list["ClusterTopic"]] = relationship(
        back_populates="cluster", order_by="ClusterTopic.position", cascade="all, delete-orphan"
    )
    sessions: Mapped[list["AgendaSession"]] = relationship(back_populates="cluster")

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number", name="uq_clusters_number"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    @property
    def label(self) -> str:
        return cluster_label(self.number, self.title)


class ClusterTopic(Base):
    __tablename__ = "cluster_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))

    cluster: Mapped[Cluster] = relationship(back_populates="topics")


class AgendaSession(Base):
    """A timed block of the programme. Named so as not to collide with Flask's or SQLAlchemy's."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("tracks.id", ondelete="RESTRICT"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clusters.id", ondelete="SET NULL")
    )
    # Breakout slot number (1, 2, …): participants take one place per slot (issue 3).
    slot: Mapped[int | None]
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, "kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    # {"fr": {"title": "…"}}: the title in the meeting's other languages (app/i18n.py).
    translations: Mapped[dict] = mapped_column(JSONValue, default=dict, server_default="{}")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    # Places for a capacity-limited workshop; breakout sessions take their cluster's capacity.
    capacity: Mapped[int | None]
    # Grows when time, room or title changes, for calendar clients (issue 4).
    sequence: Mapped[int] = mapped_column(default=0)
    # Where registered participants join from afar (a video meeting's address): shown on their
    # agenda and in their private feed only, never on a public page or feed.
    online_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # The languages the session is interpreted into, as codes ("ar zh en fr ru es"): public.
    interpretation: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped["Meeting"] = relationship()
    track: Mapped[Track] = relationship()
    room: Mapped[Room | None] = relationship()
    agenda_item: Mapped["AgendaItem | None"] = relationship()
    cluster: Mapped[Cluster | None] = relationship(back_populates="sessions")
    people: Mapped[list["SessionPerson"]] = relationship(
        back_populates="session_",
        order_by="SessionPerson.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("slot IS NULL OR slot >= 1", name="slot_positive"),
        sa.UniqueConstraint("cluster_id", "slot", name="uq_sessions_cluster_slot"),
        sa.Index("ix_sessions_meeting_starts", "meeting_id", "starts_at"),
    )
    __mapper_args__ = {"version_id_col": version}


class SessionPerson(Base):
    """A person in a role in a session (chair, moderator, keynote speaker, …)."""

    __tablename__ = "session_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[SpeakerRole] = mapped_column(enum_type(SpeakerRole, "role"))
    position: Mapped[int] = mapped_column(default=0)

    session_: Mapped[AgendaSession] = relationship(back_populates="people")
    person: Mapped[Person] = relationship(back_populates="roles")

    __table_args__ = (
        sa.UniqueConstraint("session_id", "person_id", "role", name="uq_session_people_once"),
        sa.Index("ix_session_people_person", "person_id"),
    )


# A person's roles in sessions (`person.roles`), declared here with the sessions: the meetings
# area, where Person lives, stands below the programme and does not name its classes.
Person.roles = relationship(SessionPerson, back_populates="person")


def cluster_label(number: int, title: str) -> str:
    """A cluster's label: "Cluster I: Culture of Prevention". On a right-to-left page the
    numeral and the title are isolated, so an English title keeps its order in Arabic."""
    return gettext(
        "Cluster %(number)s: %(title)s", number=isolated(roman(number)), title=isolated(title)
    )


def roman(number: int) -> str:
    """Roman numerals for cluster labels ("Cluster III")."""
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class ChangeKind(LabelledEnum):
    """What a programme change did to a session."""

    ADDED = "added", _l("Added")
    MOVED = "moved", _l("Moved")
    CHANGED = "changed", _l("Changed")
    CANCELLED = "cancelled", _l("Cancelled")
    RESTORED = "restored", _l("Restored")
    UNDONE = "undone", _l("Undone")


class ProgrammeVersion(Base):
    """A publication of the programme after changes: "Version 3: 4 sessions moved, 1 cancelled".

    The changes it published point at it (`ProgrammeChange.version_id`).
    """

    __tablename__ = "programme_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # How many sessions each kind of change touched, {"moved": 4, "cancelled": 1}.
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number", name="uq_programme_versions_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )


class ProgrammeChange(Base):
    """One change to a session, for the change log, undo and the published versions: who, when,
    what, and the session's time, room and track before and after (as plain values, so the
    entry reads the same after rooms are renamed or the session is deleted)."""

    __tablename__ = "programme_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="SET NULL")
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(sa.String(300))
    # {"starts_at": iso, "ends_at": iso, "room_id", "room", "track_id", "track", "title"}
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    # The session's version once this change was saved: undo applies only while it still is.
    session_version: Mapped[int | None]
    # The change this one undid, and whether this one was undone since.
    undoes_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme_changes.id", ondelete="SET NULL")
    )
    undone: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The published version that listed it (None: not published yet).
    version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme_versions.id", ondelete="SET NULL")
    )

    __table_args__ = (
        sa.Index("ix_programme_changes_meeting_created", "meeting_id", "created_at"),
        sa.Index("ix_programme_changes_session", "session_id"),
    )

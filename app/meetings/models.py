"""Meetings, the roles people hold in them, agenda items, workshops, officers and documents."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, JSONValue, LabelledEnum, UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from app.auth.models import User


class MeetingKind(LabelledEnum):
    CONFERENCE = "conference", _l("Conference")
    CONSULTATIVE_MEETING = "consultative_meeting", _l("Consultative meeting")
    REGIONAL_PREPARATORY_MEETING = (
        "regional_preparatory_meeting",
        _l("Regional preparatory meeting"),
    )
    EXPERT_GROUP_MEETING = "expert_group_meeting", _l("Expert group meeting")
    CONGRESS = "congress", _l("Congress")
    OTHER = "other", _l("Other meeting")


class MeetingStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CONCLUDED = "concluded", _l("Concluded")


class RoleName(LabelledEnum):
    ORGANISER = "organiser", _l("Organiser")
    CHAIR = "chair", _l("Chair")
    RAPPORTEUR = "rapporteur", _l("Rapporteur")
    PARTICIPANT = "participant", _l("Participant")
    # Checks participants in at the door (app/venue); the value fits the column's length.
    REGISTRATION_DESK = "desk", _l("Registration desk")


class Office(LabelledEnum):
    CHAIR = "chair", _l("Chair")
    VICE_CHAIR = "vice_chair", _l("Vice-Chair")
    RAPPORTEUR = "rapporteur", _l("Rapporteur")


class DocumentType(LabelledEnum):
    """What a UN symbol says a document is (ST/LIB/SER.B/5/Rev.5)."""

    LIMITED = "limited", _l("Limited distribution (draft)")
    CONFERENCE_ROOM_PAPER = "conference_room_paper", _l("Conference room paper")
    INFORMATION = "information", _l("Information series")
    WORKING_PAPER = "working_paper", _l("Working paper")
    GENERAL = "general", _l("General distribution")


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    short_title: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind, "kind"))
    theme: Mapped[str] = mapped_column(sa.String(500), default="")
    substantive_issue: Mapped[str] = mapped_column(sa.String(300), default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    country: Mapped[str] = mapped_column(sa.String(100), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    # The language its pages fall back to and its documents are written in (app/i18n.py).
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    # The other languages its title, theme, sessions and agenda are given in, as codes in
    # app/i18n.py's order (["fr", "ar"]); their texts are in the records' `translations`.
    content_languages: Mapped[list[str]] = mapped_column(
        JSONValue, default=list, server_default="[]"
    )
    # {"fr": {"title": "…", "theme": "…"}}: shown to readers of that language (app/i18n.py).
    translations: Mapped[dict] = mapped_column(JSONValue, default=dict, server_default="{}")
    first_day: Mapped[date]
    last_day: Mapped[date]
    host_body: Mapped[str] = mapped_column(sa.String(300), default="")
    convening_body: Mapped[str] = mapped_column(sa.String(300), default="")
    reports_to: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "status"), default=MeetingStatus.DRAFT
    )
    prepared_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    # The edition this one was made from ("New meeting from this one"): the 3rd ACCPCJ names
    # the 2nd, so the series reads edition by edition.
    previous_edition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    # Issue 3 reads these: whether registrations wait for approval, and whether a participant
    # keeps one cluster for every breakout slot.
    registration_needs_approval: Mapped[bool] = mapped_column(default=False)
    one_cluster_for_all_slots: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Moved by every change to what the calendar feeds show (app/programme/revision.py).
    programme_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    programme_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    prepared_by: Mapped["Meeting | None"] = relationship(
        remote_side=[id], foreign_keys=[prepared_by_id]
    )
    previous_edition: Mapped["Meeting | None"] = relationship(
        remote_side=[id], foreign_keys=[previous_edition_id]
    )

    __table_args__ = (
        sa.CheckConstraint("last_day >= first_day", name="last_day_not_before_first"),
        sa.CheckConstraint("prepared_by_id IS NULL OR prepared_by_id <> id", name="not_own_prep"),
        sa.CheckConstraint(
            "previous_edition_id IS NULL OR previous_edition_id <> id", name="not_own_edition"
        ),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.status != MeetingStatus.DRAFT

    @property
    def languages(self) -> list[str]:
        """Every language the meeting's content and documents come in, its own first."""
        return [self.language, *(c for c in self.content_languages or () if c != self.language)]

    def __repr__(self) -> str:
        return f"<Meeting {self.slug}>"


class MeetingRole(Base):
    """A role an account holds in one meeting; a person may hold several."""

    __tablename__ = "meeting_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[RoleName] = mapped_column(enum_type(RoleName, "role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped["User"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", "role", name="uq_meeting_roles_one_each"),
    )


class AgendaItem(Base):
    """A numbered agenda item ("5"), or a lettered sub-item of one ("5 (a)")."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    # "" for an item, "a", "b", … for its sub-items: NOT NULL so the unique constraint holds.
    letter: Mapped[str] = mapped_column(sa.String(3), default="")
    title: Mapped[str] = mapped_column(sa.String(1000))
    annotation: Mapped[str] = mapped_column(sa.Text, default="")
    # {"fr": {"title": "…"}}: the title in the meeting's other languages (app/i18n.py).
    translations: Mapped[dict] = mapped_column(JSONValue, default=dict, server_default="{}")
    # Moves with every edit, so the calendar feeds' fingerprint sees a new title (issue 6).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.text("CURRENT_TIMESTAMP")
    )

    meeting: Mapped[Meeting] = relationship()
    parent: Mapped["AgendaItem | None"] = relationship(remote_side=[id], back_populates="sub_items")
    sub_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="parent", order_by="AgendaItem.letter", cascade="all, delete-orphan"
    )
    workshops: Mapped[list["Workshop"]] = relationship(
        back_populates="agenda_item", order_by="Workshop.number"
    )

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number", "letter", name="uq_agenda_items_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint(
            "(parent_id IS NULL AND letter = '') OR (parent_id IS NOT NULL AND letter <> '')",
            name="sub_items_lettered",
        ),
    )

    @property
    def label(self) -> str:
        return agenda_item_label(self.number, self.letter)


class Workshop(Base):
    """A workshop clustered with an agenda item ("agenda item 3 and workshop 1")."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(1000))

    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="workshops")

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number", name="uq_workshops_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )


class Person(Base):
    """A person as the meeting names them: speakers, officers and participants are people.

    It lives with the meeting (as Indico keeps EventPerson at the event level): officers,
    sessions, registrations and delegations all name people.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    honorific: Mapped[str] = mapped_column(sa.String(60), default="")
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[str] = mapped_column(sa.String(300), default="")
    organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    country: Mapped[str] = mapped_column(sa.String(100), default="")
    biography: Mapped[str] = mapped_column(sa.Text, default="")
    # Moves with every edit, so the calendar feeds' fingerprint sees a rename (issue 6).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=sa.text("CURRENT_TIMESTAMP")
    )

    meeting: Mapped["Meeting"] = relationship()
    user: Mapped["User | None"] = relationship()

    __table_args__ = (
        # One person record per account and meeting, so a participant is one person.
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_people_account"),
    )

    @property
    def display_name(self) -> str:
        return display_name(self.honorific, self.name)


class Officer(Base):
    """An officer of the meeting (Chair, Vice-Chair, Rapporteur), elected on a date."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    office: Mapped[Office] = mapped_column(enum_type(Office, "office"))
    elected_on: Mapped[date | None]

    person: Mapped["Person"] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "person_id", "office", name="uq_officers_once"),
    )


class Document(Base):
    """A meeting document with its UN symbol; the type is derived from the symbol on save."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    symbol: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(1000))
    doc_type: Mapped[DocumentType] = mapped_column(enum_type(DocumentType, "doc_type"))
    # Add.1-2, Corr.1, Rev.1 as written in the symbol ("" when none).
    addendum: Mapped[str] = mapped_column(sa.String(40), default="")
    corrigendum: Mapped[str] = mapped_column(sa.String(40), default="")
    revision: Mapped[str] = mapped_column(sa.String(40), default="")
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    issued_on: Mapped[date | None]
    # The masthead: "Distr.: General" or "Limited" ("" reads it from the symbol), the
    # language it was written in and the UN languages it is issued in ("zh en fr ru").
    distribution: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    original_language: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    languages: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")

    agenda_item: Mapped[AgendaItem | None] = relationship()
    files: Mapped[list["DocumentFile"]] = relationship(
        back_populates="document", order_by="DocumentFile.language", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("meeting_id", "symbol", name="uq_documents_symbol"),)


def agenda_item_label(number: int, letter: str) -> str:
    """An agenda item's label: "5", or "5 (a)" for a sub-item."""
    return f"{number} ({letter})" if letter else str(number)


def display_name(honorific: str, name: str) -> str:
    """A person's name as printed: "Dr. Kittipong Kittayarak"."""
    return f"{honorific} {name}".strip()


class DocumentFile(Base):
    """A document's file in one of the six UN languages, stored under the instance folder
    (PLENARY_DOCUMENTS_DIR) by a random name; the database keeps what describes it."""

    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(2))
    kind: Mapped[str] = mapped_column(sa.String(8))  # "pdf" or "docx", read from the content
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")

    __table_args__ = (
        sa.UniqueConstraint("document_id", "language", name="uq_document_files_language"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

"""Meeting rules: meetings, agenda items, workshops, officers, documents and roles.

Every function here flushes but never commits: the view commits once. When one raises
MeetingError the caller rolls the session back, so nothing is half-saved.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import User
from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    Document,
    DocumentType,
    Meeting,
    MeetingKind,
    MeetingRole,
    Office,
    Officer,
    RoleName,
    Workshop,
)
from app.models_base import MAX_ID
from app.programme.models import AgendaSession, Cluster, Person
from app.registration.models import Registration
from app.timezones import is_valid_timezone


class MeetingError(Exception):
    """A meeting rule was broken; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Ids come from URLs and forms: one beyond PostgreSQL's INTEGER would be a database error.


def _get(model, meeting: Meeting, record_id: int | None):
    """A record of this meeting by id, or None (never one of another meeting)."""
    if record_id is None or not 0 < record_id <= MAX_ID:
        return None
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        return None
    return record


def _flush_or_fail(message: str, field: str | None) -> None:
    """Flush; a unique constraint the checks above missed (a race) becomes the same MeetingError."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise MeetingError(message, field) from error


# Meetings

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80

# The fields a meeting form may set; anything else passed in is a programming error.
MEETING_FIELDS = (
    "title",
    "short_title",
    "kind",
    "theme",
    "substantive_issue",
    "venue",
    "city",
    "country",
    "timezone",
    "first_day",
    "last_day",
    "host_body",
    "convening_body",
    "reports_to",
    "registration_needs_approval",
    "one_cluster_for_all_slots",
)


def slugify(text: str) -> str:
    """A URL slug from a title: "2nd ACCPCJ" -> "2nd-accpcj"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-")


def _check_slug(slug: str, meeting: Meeting | None = None) -> str:
    slug = (slug or "").strip()
    if not slug:
        raise MeetingError(_("Enter a web address for the meeting."), "slug")
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise MeetingError(
            _("Use only lowercase letters, digits and single hyphens (e.g. 2nd-accpcj)."), "slug"
        )
    query = select(func.count()).select_from(Meeting).where(Meeting.slug == slug)
    if meeting is not None and meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    if db.session.scalar(query):
        raise MeetingError(_("Another meeting uses this web address already."), "slug")
    return slug


def _check_meeting_fields(fields: dict) -> None:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    if not is_valid_timezone(fields.get("timezone") or ""):
        raise MeetingError(
            _("Unknown time zone. Use an IANA name such as Asia/Bangkok."), "timezone"
        )
    first, last = fields.get("first_day"), fields.get("last_day")
    if not isinstance(first, date):
        raise MeetingError(_("Enter the first day."), "first_day")
    if not isinstance(last, date):
        raise MeetingError(_("Enter the last day."), "last_day")
    if last < first:
        raise MeetingError(_("The last day cannot be before the first day."), "last_day")
    if not isinstance(fields.get("kind"), MeetingKind):
        raise MeetingError(_("Choose the kind of meeting."), "kind")
    for name in ("title", "short_title"):
        if not (fields.get(name) or "").strip():
            raise MeetingError(_("This field is required."), name)


def _check_prepared_by(meeting: Meeting | None, prepared_by_id: int | None) -> Meeting | None:
    """The preparatory meeting: another existing meeting, not one this meeting itself prepared."""
    if prepared_by_id is None:
        return None
    prepared_by = db.session.get(Meeting, prepared_by_id) if prepared_by_id <= MAX_ID else None
    if prepared_by is None:
        raise MeetingError(_("There is no such meeting."), "prepared_by_id")
    if meeting is not None:
        # Follow the chain: a meeting cannot be prepared by itself, directly or through others.
        seen = set()
        step = prepared_by
        while step is not None and step.id not in seen:
            if step.id == meeting.id:
                raise MeetingError(
                    _("A meeting cannot be prepared by itself or by a meeting it prepared."),
                    "prepared_by_id",
                )
            seen.add(step.id)
            step = step.prepared_by
    return prepared_by


def create_meeting(creator: User, *, slug: str = "", prepared_by_id=None, **fields) -> Meeting:
    """A new draft meeting; its creator becomes its organiser."""
    _check_meeting_fields(fields)
    slug = _check_slug(slug or slugify(fields.get("short_title") or fields.get("title") or ""))
    prepared_by = _check_prepared_by(None, prepared_by_id)
    meeting = Meeting(slug=slug, prepared_by=prepared_by, **_clean(fields))
    db.session.add(meeting)
    _flush_or_fail(_("Another meeting uses this web address already."), "slug")
    db.session.add(MeetingRole(meeting_id=meeting.id, user_id=creator.id, role=RoleName.ORGANISER))
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, *, slug: str, prepared_by_id=None, **fields) -> Meeting:
    """Change a meeting's details (all of them, as the edit form sends them)."""
    _check_meeting_fields(fields)
    slug = _check_slug(slug, meeting)
    prepared_by = _check_prepared_by(meeting, prepared_by_id)
    for name, value in _clean(fields).items():
        setattr(meeting, name, value)
    meeting.slug = slug
    meeting.prepared_by = prepared_by
    _flush_or_fail(_("Another meeting uses this web address already."), "slug")
    return meeting


def _clean(fields: dict) -> dict:
    """Strip surrounding spaces from text values."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def other_meetings(meeting: Meeting | None = None) -> list[Meeting]:
    """Meetings that could have prepared `meeting` (every meeting but itself), newest first."""
    query = select(Meeting).order_by(Meeting.first_day.desc(), Meeting.title)
    if meeting is not None:
        query = query.where(Meeting.id != meeting.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class MeetingCounts:
    sessions: int
    people: int
    clusters: int
    registrations: int


def meeting_counts(meeting: Meeting) -> MeetingCounts:
    """How much of the meeting is planned: for the organiser's dashboard."""

    def count(model) -> int:
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.meeting_id == meeting.id)
        )

    return MeetingCounts(
        sessions=count(AgendaSession),
        people=count(Person),
        clusters=count(Cluster),
        registrations=count(Registration),
    )


# Agenda items and workshops

LETTERS = "abcdefghijklmnopqrstuvwxyz"


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
    return _get(AgendaItem, meeting, item_id)


def _next_letter(parent: AgendaItem, exclude: AgendaItem | None = None) -> str:
    used = {
        sub.letter
        for sub in db.session.scalars(select(AgendaItem).where(AgendaItem.parent_id == parent.id))
        if sub is not exclude
    }
    for letter in LETTERS:
        if letter not in used:
            return letter
    raise MeetingError(_("Agenda item %(n)d has no free letter left.", n=parent.number), "letter")


def _agenda_taken(meeting: Meeting, number: int, letter: str, exclude: AgendaItem | None) -> bool:
    query = (
        select(func.count())
        .select_from(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.number == number,
            AgendaItem.letter == letter,
        )
    )
    if exclude is not None and exclude.id is not None:
        query = query.where(AgendaItem.id != exclude.id)
    return bool(db.session.scalar(query))


def _place_agenda_item(
    meeting: Meeting,
    item: AgendaItem,
    *,
    number: int | None,
    letter: str,
    parent_id: int | None,
) -> None:
    """Set an item's number, letter and parent after checking they are free."""
    letter = (letter or "").strip().lower()
    if parent_id is not None:
        parent = get_agenda_item(meeting, parent_id)
        if parent is None or parent.parent_id is not None:
            raise MeetingError(_("Choose a numbered agenda item."), "parent_id")
        if item.id is not None and parent.id == item.id:
            raise MeetingError(_("An agenda item cannot be its own sub-item."), "parent_id")
        if item.id is not None and item.sub_items:
            raise MeetingError(
                _("This item has sub-items, so it cannot become a sub-item itself."), "parent_id"
            )
        if letter and (len(letter) != 1 or letter not in LETTERS):
            raise MeetingError(_("Use one letter, a to z."), "letter")
        letter = letter or _next_letter(parent, exclude=item)
        if _agenda_taken(meeting, parent.number, letter, item):
            raise MeetingError(
                _("Agenda item %(label)s exists already.", label=f"{parent.number} ({letter})"),
                "letter",
            )
        item.parent = parent
        item.number = parent.number
        item.letter = letter
        return
    if number is None or number < 1:
        raise MeetingError(_("Enter a number of 1 or more."), "number")
    if letter:
        raise MeetingError(
            _("Only a sub-item has a letter: choose the item it belongs to."), "letter"
        )
    if _agenda_taken(meeting, number, "", item):
        raise MeetingError(_("Agenda item %(n)d exists already.", n=number), "number")
    item.parent = None
    item.letter = ""
    if item.number != number:
        item.number = number
        # Sub-items carry their parent's number ("5 (a)" follows "5").
        for sub in item.sub_items if item.id is not None else []:
            sub.number = number


def create_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    number: int | None = None,
    letter: str = "",
    parent_id: int | None = None,
    annotation: str = "",
) -> AgendaItem:
    """A numbered agenda item, or a lettered sub-item when `parent_id` is given."""
    item = AgendaItem(meeting_id=meeting.id, title=title.strip(), annotation=annotation.strip())
    _place_agenda_item(meeting, item, number=number, letter=letter, parent_id=parent_id)
    db.session.add(item)
    _flush_or_fail(
        _("Agenda item %(label)s exists already.", label=item.label),
        "letter" if item.letter else "number",
    )
    return item


def update_agenda_item(
    meeting: Meeting,
    item: AgendaItem,
    *,
    title: str,
    number: int | None = None,
    letter: str = "",
    parent_id: int | None = None,
    annotation: str = "",
) -> AgendaItem:
    """Change an item's number, letter, parent, title or annotation."""
    _place_agenda_item(meeting, item, number=number, letter=letter, parent_id=parent_id)
    item.title = title.strip()
    item.annotation = annotation.strip()
    _flush_or_fail(
        _("Agenda item %(label)s exists already.", label=item.label),
        "letter" if item.letter else "number",
    )
    return item


def delete_agenda_item(item: AgendaItem) -> None:
    """Remove an item and its sub-items; sessions, workshops and documents keep no link to it."""
    db.session.delete(item)
    db.session.flush()


def workshops(meeting: Meeting) -> list[Workshop]:
    return list(
        db.session.scalars(
            select(Workshop).where(Workshop.meeting_id == meeting.id).order_by(Workshop.number)
        )
    )


def get_workshop(meeting: Meeting, workshop_id: int) -> Workshop | None:
    return _get(Workshop, meeting, workshop_id)


def _place_workshop(
    meeting: Meeting, workshop: Workshop, number: int, agenda_item_id: int | None
) -> None:
    if number is None or number < 1:
        raise MeetingError(_("Enter a number of 1 or more."), "number")
    query = (
        select(func.count())
        .select_from(Workshop)
        .where(Workshop.meeting_id == meeting.id, Workshop.number == number)
    )
    if workshop.id is not None:
        query = query.where(Workshop.id != workshop.id)
    if db.session.scalar(query):
        raise MeetingError(_("Workshop %(n)d exists already.", n=number), "number")
    item = get_agenda_item(meeting, agenda_item_id)
    if agenda_item_id is not None and item is None:
        raise MeetingError(_("Choose an agenda item of this meeting."), "agenda_item_id")
    workshop.number = number
    workshop.agenda_item = item


def create_workshop(
    meeting: Meeting, *, number: int, title: str, agenda_item_id: int | None = None
) -> Workshop:
    """A numbered workshop, clustered with an agenda item if one is given."""
    workshop = Workshop(meeting_id=meeting.id, title=title.strip())
    _place_workshop(meeting, workshop, number, agenda_item_id)
    db.session.add(workshop)
    _flush_or_fail(_("Workshop %(n)d exists already.", n=number), "number")
    return workshop


def update_workshop(
    meeting: Meeting,
    workshop: Workshop,
    *,
    number: int,
    title: str,
    agenda_item_id: int | None = None,
) -> Workshop:
    """Change a workshop's number, title or agenda item."""
    _place_workshop(meeting, workshop, number, agenda_item_id)
    workshop.title = title.strip()
    _flush_or_fail(_("Workshop %(n)d exists already.", n=number), "number")
    return workshop


def delete_workshop(workshop: Workshop) -> None:
    db.session.delete(workshop)
    db.session.flush()


# Officers


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
    return _get(Officer, meeting, officer_id)


def create_officer(
    meeting: Meeting, *, person_id: int, office: Office, elected_on: date | None = None
) -> Officer:
    """Record a person of the meeting as an officer, elected no later than its last day."""
    person = _get(Person, meeting, person_id)
    if person is None:
        raise MeetingError(_("Choose a person of this meeting."), "person_id")
    if not isinstance(office, Office):
        raise MeetingError(_("Choose an office."), "office")
    if elected_on is not None and elected_on > meeting.last_day:
        raise MeetingError(_("The election cannot be after the meeting's last day."), "elected_on")
    message = _("%(name)s is %(office)s already.", name=person.display_name, office=office.label)
    taken = db.session.scalar(
        select(func.count())
        .select_from(Officer)
        .where(
            Officer.meeting_id == meeting.id,
            Officer.person_id == person.id,
            Officer.office == office,
        )
    )
    if taken:
        raise MeetingError(message, "person_id")
    officer = Officer(meeting_id=meeting.id, person=person, office=office, elected_on=elected_on)
    db.session.add(officer)
    _flush_or_fail(message, "person_id")
    return officer


def delete_officer(officer: Officer) -> None:
    db.session.delete(officer)
    db.session.flush()


# Documents and their UN symbols


@dataclass(frozen=True)
class SymbolInfo:
    """What a UN document symbol says about the document (ST/LIB/SER.B/5/Rev.5)."""

    doc_type: DocumentType
    addendum: str = ""
    corrigendum: str = ""
    revision: str = ""


# A body or series component ("A", "CONF.234", "RPM.1", "L.2", "2007") and a suffix ("Add.1-2").
_COMPONENT = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+)*$")
_SUFFIX = re.compile(r"^(Add|Corr|Rev)\.(\d+(?:-\d+)?)$")
# The written form of an addendum range in reports: "A/CONF.234/RPM.1/L.2 and Add.1-2".
_WRITTEN_SUFFIX = re.compile(r"^(?P<base>\S+) and (?P<suffix>(?:Add|Corr|Rev)\.\d+(?:-\d+)?)$")


def parse_symbol(symbol: str) -> SymbolInfo:
    """Read a UN symbol: the type it implies (L., CRP., INF/, WP.) and its Add./Corr./Rev."""
    text = (symbol or "").strip()
    if not text:
        raise MeetingError(_("Enter the document symbol."), "symbol")
    components: list[str]
    written = _WRITTEN_SUFFIX.match(text)
    if written:
        components = written["base"].split("/") + [written["suffix"]]
    elif re.search(r"\s", text):
        raise MeetingError(_('A symbol has no spaces, except in "… and Add.1-2".'), "symbol")
    else:
        components = text.split("/")
    if len(components) < 2 or not re.fullmatch(r"[A-Z]+", components[0]):
        raise MeetingError(
            _("A symbol starts with its series in capitals and a slash, e.g. A/CONF.234/…"),
            "symbol",
        )
    body: list[str] = []
    suffixes: dict[str, str] = {}
    for component in components[1:]:
        suffix = _SUFFIX.match(component)
        if suffix:
            kind = suffix[1]
            if kind in suffixes:
                raise MeetingError(_("The symbol names %(kind)s twice.", kind=kind), "symbol")
            suffixes[kind] = component
        elif suffixes or not _COMPONENT.match(component):
            # Suffixes come last, and the parts before them are capitals, digits and dots.
            raise MeetingError(
                _("“%(part)s” is not a valid part of a document symbol.", part=component),
                "symbol",
            )
        else:
            body.append(component)
    if not body:
        raise MeetingError(_("The symbol names no document."), "symbol")
    return SymbolInfo(
        doc_type=_symbol_type(body),
        addendum=suffixes.get("Add", ""),
        corrigendum=suffixes.get("Corr", ""),
        revision=suffixes.get("Rev", ""),
    )


def _symbol_type(body: list[str]) -> DocumentType:
    """The distribution a symbol's components imply; the last distinctive component wins."""
    for position in range(len(body) - 1, -1, -1):
        component = body[position]
        if re.fullmatch(r"L\.\d+", component):
            return DocumentType.LIMITED
        if re.fullmatch(r"CRP\.\d+", component):
            return DocumentType.CONFERENCE_ROOM_PAPER
        # "INF/" is a series: it needs a number after it.
        if component == "INF" and position < len(body) - 1:
            return DocumentType.INFORMATION
        if re.fullmatch(r"WP\.\d+", component):
            return DocumentType.WORKING_PAPER
    return DocumentType.GENERAL


def documents(meeting: Meeting) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document).where(Document.meeting_id == meeting.id).order_by(Document.symbol)
        )
    )


def get_document(meeting: Meeting, document_id: int) -> Document | None:
    return _get(Document, meeting, document_id)


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise MeetingError(_("Enter a web address starting with http:// or https://."), "url")
    return url


def _fill_document(
    meeting: Meeting,
    document: Document,
    *,
    symbol: str,
    title: str,
    agenda_item_id: int | None,
    issued_on: date | None,
    url: str,
) -> str:
    symbol = (symbol or "").strip()
    info = parse_symbol(symbol)
    query = (
        select(func.count())
        .select_from(Document)
        .where(Document.meeting_id == meeting.id, Document.symbol == symbol)
    )
    if document.id is not None:
        query = query.where(Document.id != document.id)
    message = _("Document %(symbol)s is listed already.", symbol=symbol)
    if db.session.scalar(query):
        raise MeetingError(message, "symbol")
    item = get_agenda_item(meeting, agenda_item_id)
    if agenda_item_id is not None and item is None:
        raise MeetingError(_("Choose an agenda item of this meeting."), "agenda_item_id")
    document.url = _check_url(url)
    document.symbol = symbol
    document.title = (title or "").strip()
    document.agenda_item = item
    document.issued_on = issued_on
    document.doc_type = info.doc_type
    document.addendum = info.addendum
    document.corrigendum = info.corrigendum
    document.revision = info.revision
    return message


def create_document(meeting: Meeting, **fields) -> Document:
    """List a document; its type and suffixes come from its symbol."""
    document = Document(meeting_id=meeting.id)
    message = _fill_document(meeting, document, **fields)
    db.session.add(document)
    _flush_or_fail(message, "symbol")
    return document


def update_document(meeting: Meeting, document: Document, **fields) -> Document:
    """Change a document; its type and suffixes are read again from its symbol."""
    message = _fill_document(meeting, document, **fields)
    _flush_or_fail(message, "symbol")
    return document


def delete_document(document: Document) -> None:
    db.session.delete(document)
    db.session.flush()


# Roles


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
    return _get(MeetingRole, meeting, role_id)


def grant_role(meeting: Meeting, email: str, role: RoleName) -> tuple[MeetingRole, bool]:
    """Give an existing account a role; returns (row, created) and changes nothing if held."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise MeetingError(_("No account with this email address."), "email")
    if not isinstance(role, RoleName):
        raise MeetingError(_("Choose a role."), "role")
    existing = db.session.scalar(
        select(MeetingRole).where(
            MeetingRole.meeting_id == meeting.id,
            MeetingRole.user_id == user.id,
            MeetingRole.role == role,
        )
    )
    if existing is not None:
        return existing, False
    row = MeetingRole(meeting_id=meeting.id, user_id=user.id, role=role)
    db.session.add(row)
    _flush_or_fail(_("%(name)s holds this role already.", name=user.name), "email")
    return row, True


def revoke_role(meeting: Meeting, row: MeetingRole) -> None:
    """Take a role away; a meeting always keeps at least one organiser."""
    if row.role == RoleName.ORGANISER:
        organisers = db.session.scalar(
            select(func.count())
            .select_from(MeetingRole)
            .where(MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleName.ORGANISER)
        )
        if organisers <= 1:
            raise MeetingError(
                _(
                    "%(name)s is the meeting's last organiser. Make someone else an organiser "
                    "first.",
                    name=row.user.name,
                )
            )
    db.session.delete(row)
    db.session.flush()

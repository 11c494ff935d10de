"""Agenda rules: numbered items, lettered sub-items ("5 (a)") and the workshops clustered with
them ("agenda item 3 and workshop 1"). They flush but never commit.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import MeetingError, flush_or_fail
from app.extensions import db
from app.i18n import clean_translations
from app.limits import (
    AGENDA_TITLE_MAX,
    LONG_TEXT_MAX,
    MAX_AGENDA_ITEMS,
    MAX_WORKSHOPS,
    check_room_for_one_more,
    check_text,
)
from app.meetings.models import (
    AgendaItem,
    Meeting,
    Workshop,
)
from app.meetings.queries import get_agenda_item

LETTERS = "abcdefghijklmnopqrstuvwxyz"


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
    translations: dict | None = None,
) -> AgendaItem:
    """A numbered agenda item, or a lettered sub-item when `parent_id` is given; its title in
    the meeting's other languages in `translations` ({"fr": {"title": …}})."""
    check_room_for_one_more(
        AgendaItem,
        meeting.id,
        MAX_AGENDA_ITEMS,
        _("An agenda holds at most %(n)d items.", n=MAX_AGENDA_ITEMS),
        error=MeetingError,
    )
    item = AgendaItem(
        meeting_id=meeting.id,
        title=check_text(title, AGENDA_TITLE_MAX, "title", error=MeetingError),
        annotation=check_text(
            annotation, LONG_TEXT_MAX, "annotation", required=False, error=MeetingError
        ),
        translations=_translations(meeting, translations or {}, {}),
    )
    _place_agenda_item(meeting, item, number=number, letter=letter, parent_id=parent_id)
    db.session.add(item)
    flush_or_fail(
        MeetingError(
            _("Agenda item %(label)s exists already.", label=item.label),
            "letter" if item.letter else "number",
        )
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
    translations: dict | None = None,
) -> AgendaItem:
    """Change an item's number, letter, parent, title or annotation, and its title in the
    meeting's other languages as far as `translations` gives them."""
    _place_agenda_item(meeting, item, number=number, letter=letter, parent_id=parent_id)
    item.title = check_text(title, AGENDA_TITLE_MAX, "title", error=MeetingError)
    item.annotation = check_text(
        annotation, LONG_TEXT_MAX, "annotation", required=False, error=MeetingError
    )
    item.translations = _translations(meeting, translations or {}, item.translations)
    flush_or_fail(
        MeetingError(
            _("Agenda item %(label)s exists already.", label=item.label),
            "letter" if item.letter else "number",
        )
    )
    return item


def _translations(meeting: Meeting, values: dict, current: dict | None) -> dict:
    return clean_translations(
        values, meeting.language, {"title": AGENDA_TITLE_MAX}, MeetingError, current=current
    )


def delete_agenda_item(item: AgendaItem) -> None:
    """Remove an item and its sub-items; sessions, workshops and documents keep no link to it."""
    db.session.delete(item)
    db.session.flush()


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
    check_room_for_one_more(
        Workshop,
        meeting.id,
        MAX_WORKSHOPS,
        _("A meeting holds at most %(n)d workshops.", n=MAX_WORKSHOPS),
        error=MeetingError,
    )
    workshop = Workshop(
        meeting_id=meeting.id,
        title=check_text(title, AGENDA_TITLE_MAX, "title", error=MeetingError),
    )
    _place_workshop(meeting, workshop, number, agenda_item_id)
    db.session.add(workshop)
    flush_or_fail(MeetingError(_("Workshop %(n)d exists already.", n=number), "number"))
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
    flush_or_fail(MeetingError(_("Workshop %(n)d exists already.", n=number), "number"))
    return workshop


def delete_workshop(workshop: Workshop) -> None:
    db.session.delete(workshop)
    db.session.flush()

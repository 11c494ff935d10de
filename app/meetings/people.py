"""People of a meeting as it names them: honorific, name, position, organisation, country.

Speakers, officers and participants are people. The rule flushes but never commits.
"""

from flask_babel import gettext as _

from app.errors import MeetingError
from app.extensions import db
from app.limits import LONG_TEXT_MAX, MAX_PEOPLE, NAME_MAX, check_room_for_one_more, check_text
from app.meetings.models import Meeting, Person

PERSON_LIMITS = {
    "honorific": 60,
    "name": NAME_MAX,
    "position": 300,
    "organisation": 300,
    "country": 100,
    "biography": LONG_TEXT_MAX,
}


def save_person(meeting: Meeting, *, person: Person | None = None, **fields) -> Person:
    """Create a person of the meeting, or update `person`, from honorific, name, position, …"""
    values = {
        name: check_text(
            fields.get(name) or "", limit, name, required=name == "name", error=MeetingError
        )
        for name, limit in PERSON_LIMITS.items()
    }
    if person is None:
        check_room_for_one_more(
            Person,
            meeting.id,
            MAX_PEOPLE,
            _("A meeting names at most %(n)d people.", n=MAX_PEOPLE),
            error=MeetingError,
        )
        person = Person(meeting_id=meeting.id)
        db.session.add(person)
    for name, value in values.items():
        setattr(person, name, value)
    db.session.flush()
    return person

"""Organiser forms for the programme: one per use case, choices limited to the meeting."""

from datetime import date

from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms_base import PlenaryForm
from app.limits import MAX_PLACES, TITLE_MAX
from app.meetings.people import PERSON_LIMITS
from app.meetings.queries import meeting_days
from app.models_base import MAX_ID
from app.programme.models import SessionKind, SpeakerRole, TrackKind
from app.programme.moves import Move
from app.programme.sessions import INTERPRETATION_LANGUAGES, ONLINE_URL_MAX


def language_name(code: str) -> str:
    """A language's name in the page's language ("Arabic", "arabe")."""
    locale = get_locale()
    return (locale.languages.get(code) if locale is not None else None) or code


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in INTERPRETATION_LANGUAGES]


def optional_int(value):
    """Coerce a select's value to int, "" (nothing chosen) to None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def iso_day(value):
    """Coerce a day select's value to a date (None for anything that is not one)."""
    if isinstance(value, date):
        return value
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


NONE_CHOSEN = ("", _l("— None —"))


class TrackForm(PlenaryForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=TrackKind.choices())
    position = IntegerField(
        _l("Position"),
        validators=[Optional(), NumberRange(min=0, max=1000)],
        default=0,
        description=_l("Tracks are shown side by side in this order (0 first)."),
    )
    submit = SubmitField(_l("Save track"))


class RoomForm(PlenaryForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The capacity cannot be below zero.")),
            NumberRange(max=MAX_PLACES, message=_l("At most %(max)d places.")),
        ],
        description=_l("Seats in the room; leave empty if unknown."),
    )
    submit = SubmitField(_l("Save room"))


class PersonForm(PlenaryForm):
    honorific = StringField(
        _l("Honorific"),
        validators=[Length(max=PERSON_LIMITS["honorific"])],
        description=_l("For example: H.E., Dr., General."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=PERSON_LIMITS["name"])])
    position = StringField(
        _l("Position"),
        validators=[Length(max=PERSON_LIMITS["position"])],
        description=_l("For example: Minister of Justice."),
    )
    organisation = StringField(
        _l("Organisation"), validators=[Length(max=PERSON_LIMITS["organisation"])]
    )
    country = StringField(_l("Country"), validators=[Length(max=PERSON_LIMITS["country"])])
    biography = TextAreaField(_l("Biography"), validators=[Length(max=PERSON_LIMITS["biography"])])
    submit = SubmitField(_l("Save person"))


# A session's title given in the meeting's other languages (app/forms_base.py).
SESSION_TRANSLATED = {"title": (_l("Title"), StringField, TITLE_MAX)}


class SessionForm(PlenaryForm):
    """A session, with its times in the meeting's zone; pass meeting= and the choice lists."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    kind = SelectField(_l("Kind of session"), choices=SessionKind.choices())
    track_id = SelectField(_l("Track"), coerce=optional_int, validators=[InputRequired()])
    room_id = SelectField(_l("Room"), coerce=optional_int)
    agenda_item_id = SelectField(_l("Agenda item"), coerce=optional_int)
    day = SelectField(
        _l("Day"),
        coerce=iso_day,
        # The service checks the day against the meeting, with a message that says why.
        validate_choice=False,
        validators=[InputRequired()],
    )
    start_time = TimeField(
        _l("Starts at"),
        validators=[InputRequired(message=_l("Give the start time as HH:MM."))],
    )
    end_time = TimeField(
        _l("Ends at"),
        validators=[InputRequired(message=_l("Give the end time as HH:MM."))],
    )
    cluster_id = SelectField(
        _l("Cluster"),
        coerce=optional_int,
        description=_l("Breakout sessions only: the cluster that meets in this session."),
    )
    slot = IntegerField(
        _l("Breakout slot"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Slots are numbered from 1.")),
            NumberRange(max=100, message=_l("At most %(max)d slots.")),
        ],
        description=_l("Breakout sessions only: 1 for the first breakout, 2 for the second, …"),
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The capacity cannot be below zero.")),
            NumberRange(max=MAX_PLACES, message=_l("At most %(max)d places.")),
        ],
        description=_l("For a workshop with limited places; leave empty otherwise."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    online_url = StringField(
        _l("Online meeting link"),
        validators=[Length(max=ONLINE_URL_MAX)],
        description=_l(
            "Where registered participants join from afar (https://…). Shown on their own "
            "agenda and private calendar feed only, never publicly."
        ),
    )
    interpretation = SelectMultipleField(
        _l("Interpreted into"),
        validate_choice=False,
        description=_l("The languages of the interpretation; choose several with Ctrl or ⌘."),
    )
    # Shown only when a change of time would put participants in two sessions at once.
    accept_clashes = BooleanField(
        _l("Save anyway: these participants will hold places in two sessions at the same time")
    )
    version = HiddenField()
    submit = SubmitField(_l("Save session"))

    def __init__(
        self, *args, meeting, tracks, rooms, agenda_items, clusters, extra_day=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.track_id.choices = [(t.id, t.name) for t in tracks]
        self.room_id.choices = [NONE_CHOSEN] + [
            (r.id, f"{r.name} ({r.capacity})" if r.capacity is not None else r.name) for r in rooms
        ]
        self.agenda_item_id.choices = [NONE_CHOSEN] + [
            (item.id, f"{item.label} {item.title}"[:120]) for item in agenda_items
        ]
        self.cluster_id.choices = [NONE_CHOSEN] + [(c.id, c.label) for c in clusters]
        self.interpretation.choices = language_choices()
        self.day.choices = [
            (day.isoformat(), format_date(day, "full")) for day in meeting_days(meeting)
        ]
        if extra_day is not None and extra_day not in meeting_days(meeting):
            # A session planned before the meeting's dates moved keeps its day on screen, so
            # saving it never moves it silently; the service then asks for a meeting day.
            label = gettext(
                "%(day)s (outside the meeting's days)", day=format_date(extra_day, "full")
            )
            self.day.choices.insert(0, (extra_day.isoformat(), label))


class SessionPersonForm(PlenaryForm):
    """Put a person of the meeting in a role on a session."""

    person_id = SelectField(_l("Person"), coerce=optional_int, validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=SpeakerRole.choices())
    submit = SubmitField(_l("Add to session"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = [(p.id, _person_choice(p)) for p in people]


class NewSessionPersonForm(PersonForm):
    """Create a person and put them in a role on the session in one step."""

    role = SelectField(_l("Role"), choices=SpeakerRole.choices())
    submit = SubmitField(_l("Create and add to session"))


def _person_choice(person) -> str:
    extra = ", ".join(part for part in (person.position, person.organisation) if part)
    label = person.display_name
    return f"{label} ({extra})"[:150] if extra else label


class ClusterForm(PlenaryForm):
    number = IntegerField(
        _l("Number"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=3999, message=_l("Clusters are numbered from 1.")),
        ],
        description=_l("Shown as a roman numeral: 1 is Cluster I."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    topics = TextAreaField(
        _l("Topics"),
        validators=[Length(max=20000)],
        description=_l("One topic per line, in the order they are discussed."),
    )
    discussion_guide = TextAreaField(_l("Discussion guide"), validators=[Length(max=20000)])
    capacity = IntegerField(
        _l("Places"),
        validators=[
            InputRequired(message=_l("Give the number of places.")),
            NumberRange(min=0, message=_l("The capacity cannot be below zero.")),
            NumberRange(max=MAX_PLACES, message=_l("At most %(max)d places.")),
        ],
    )
    moderator_id = SelectField(_l("Moderator"), coerce=optional_int)
    rapporteur_id = SelectField(_l("Rapporteur"), coerce=optional_int)
    submit = SubmitField(_l("Save cluster"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [NONE_CHOSEN] + [(p.id, _person_choice(p)) for p in people]
        self.moderator_id.choices = choices
        self.rapporteur_id.choices = list(choices)


class PublishForm(PlenaryForm):
    """Publish the meeting; `override` publishes despite double-bookings."""

    override = BooleanField(_l("Publish despite the double-bookings"))
    submit = SubmitField(_l("Publish the programme"))


class ConfirmForm(PlenaryForm):
    """A bare POST form (cancel, restore, remove, delete, unpublish): CSRF only."""


class MoveForm(PlenaryForm):
    """Where the timetable editor puts a session (JSON or a form post): the version seen, the
    day, the times on the meeting's clock, the room (empty: none) and the track."""

    version = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    day = SelectField(coerce=iso_day, validate_choice=False, validators=[InputRequired()])
    start_time = TimeField(validators=[InputRequired(message=_l("Give the start time as HH:MM."))])
    end_time = TimeField(validators=[InputRequired(message=_l("Give the end time as HH:MM."))])
    room_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    track_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    accept_clashes = BooleanField()

    def move(self):
        """The move as the rules take it (after `validate()`)."""
        return Move(
            day=self.day.data,
            start_time=self.start_time.data,
            end_time=self.end_time.data,
            room_id=self.room_id.data,
            track_id=self.track_id.data,
        )


class ImportForm(PlenaryForm):
    """A programme spreadsheet to preview (CSV or XLSX, the export's columns)."""

    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired()])
    create_missing = BooleanField(_l("Create the tracks and rooms the file names"))
    submit = SubmitField(_l("Show what the import would do"))


class ConfirmImportForm(PlenaryForm):
    """The previewed file again, carried by the preview page, to save for real."""

    content = HiddenField(validators=[InputRequired()])
    filename = HiddenField()
    create_missing = HiddenField()


class CopyMeetingForm(PlenaryForm):
    """The next edition: its names, its first day, and the parts of this one to copy."""

    title = StringField(
        _l("Title of the new meeting"), validators=[DataRequired(), Length(max=300)]
    )
    short_title = StringField(_l("Short title"), validators=[DataRequired(), Length(max=80)])
    slug = StringField(
        _l("Web address"),
        validators=[Length(max=80)],
        description=_l(
            "Lowercase letters, digits and hyphens; left empty, made from the short title."
        ),
    )
    first_day = DateField(
        _l("First day"),
        validators=[InputRequired(message=_l("Give the new edition's first day."))],
        description=_l("The new edition lasts as many days as this one."),
    )
    parts = SelectMultipleField(_l("Copy"), validate_choice=False)
    submit = SubmitField(_l("Create the new meeting"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts.choices = choices

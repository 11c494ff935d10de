"""Forms for meetings, agenda items, workshops, officers, documents and roles.

Field validators check shape only; rules that need the database live in the rule modules.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_base import PlenaryForm
from app.i18n import LANGUAGES
from app.meetings.meetings import SLUG_MAX, SLUG_PATTERN
from app.meetings.models import MeetingKind, Office, RoleName
from app.timezones import is_valid_timezone


def _optional_id(value):
    """A select value as an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _valid_timezone(form, field):
    if field.data and not is_valid_timezone(field.data):
        raise ValidationError(_l("Unknown time zone. Use an IANA name such as Asia/Bangkok."))


class _MeetingFields(PlenaryForm):
    """The fields of a meeting shared by the create and edit forms."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("As on the cover of the report, e.g. Second ASEAN Conference on …"),
    )
    short_title = StringField(
        _l("Short title"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("e.g. 2nd ACCPCJ"),
    )
    kind = SelectField(
        _l("Kind of meeting"), choices=MeetingKind.choices(), validators=[DataRequired()]
    )
    theme = TextAreaField(_l("Theme"), validators=[Optional(), Length(max=500)])
    substantive_issue = StringField(
        _l("Substantive issue"), validators=[Optional(), Length(max=300)]
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=100)])
    language = SelectField(
        _l("Language of the meeting"),
        choices=[SelectChoice(language.code, language.name) for language in LANGUAGES],
        default="en",
        description=_l(
            "Its documents are written in it, and its pages fall back on it for readers "
            "whose browsers ask for a language Plenary does not speak."
        ),
    )
    content_languages = SelectMultipleField(
        _l("Other languages of its content"),
        choices=[SelectChoice(language.code, language.name) for language in LANGUAGES],
        default=(),
        description=_l(
            "Its title, theme, sessions and agenda items may be given in these languages too; "
            "after saving, this form has a field for each. Its documents can be generated in "
            "each of them."
        ),
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[DataRequired(), Length(max=64), _valid_timezone],
        description=_l("An IANA time zone such as Asia/Bangkok: times are shown on this clock."),
        render_kw={"list": "timezone-list", "autocomplete": "off"},
    )
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    last_day = DateField(_l("Last day"), validators=[InputRequired()])
    host_body = StringField(
        _l("Host"),
        validators=[Optional(), Length(max=300)],
        description=_l("e.g. the Office of the Attorney General of Thailand"),
    )
    convening_body = StringField(_l("Convened by"), validators=[Optional(), Length(max=300)])
    reports_to = StringField(
        _l("Reports to"),
        validators=[Optional(), Length(max=300)],
        description=_l("e.g. the 19th ASLOM"),
    )
    registration_needs_approval = BooleanField(_l("Registrations wait for an organiser's approval"))
    one_cluster_for_all_slots = BooleanField(
        _l("A participant keeps one cluster for every breakout slot")
    )

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def meeting_fields(self) -> dict:
        """The values for meetings.create_meeting / update_meeting."""
        return {
            "title": self.title.data or "",
            "short_title": self.short_title.data or "",
            "kind": MeetingKind(self.kind.data),
            "theme": self.theme.data or "",
            "substantive_issue": self.substantive_issue.data or "",
            "venue": self.venue.data or "",
            "city": self.city.data or "",
            "country": self.country.data or "",
            "timezone": (self.timezone.data or "").strip(),
            "language": self.language.data or "en",
            "content_languages": list(self.content_languages.data or ()),
            "first_day": self.first_day.data,
            "last_day": self.last_day.data,
            "host_body": self.host_body.data or "",
            "convening_body": self.convening_body.data or "",
            "reports_to": self.reports_to.data or "",
            "registration_needs_approval": bool(self.registration_needs_approval.data),
            "one_cluster_for_all_slots": bool(self.one_cluster_for_all_slots.data),
        }


# The meeting's texts given in its other languages (app/forms_base.py with_translations).
MEETING_TRANSLATED = {
    "title": (_l("Title"), StringField, 300),
    "theme": (_l("Theme"), TextAreaField, 500),
}
AGENDA_ITEM_TRANSLATED = {"title": (_l("Title"), TextAreaField, 1000)}


_SLUG_VALIDATORS = [
    Length(max=SLUG_MAX),
    Regexp(
        SLUG_PATTERN,
        message=_l("Use only lowercase letters, digits and single hyphens (e.g. 2nd-accpcj)."),
    ),
]


class CreateMeetingForm(_MeetingFields):
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), *_SLUG_VALIDATORS],
        description=_l("Lowercase letters, digits and hyphens; empty: made from the short title."),
    )
    submit = SubmitField(_l("Create the meeting"))


class EditMeetingForm(_MeetingFields):
    version = HiddenField()
    slug = StringField(
        _l("Web address"),
        validators=[DataRequired(), *_SLUG_VALIDATORS],
        description=_l("Lowercase letters, digits and hyphens, as in /meetings/2nd-accpcj/"),
    )
    prepared_by_id = SelectField(
        _l("Prepared by"),
        coerce=_optional_id,
        validate_choice=True,
        description=_l("The meeting that prepared this one, if any."),
    )
    submit = SubmitField(_l("Save the details"))

    def __init__(self, *args, other_meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared_by_id.choices = [(None, _l("None"))] + [
            (m.id, f"{m.title} ({m.first_day.isoformat()})") for m in other_meetings
        ]


def _parent_choices(items):
    return [(None, _l("None: a numbered item"))] + [
        (item.id, f"{item.label}. {item.title[:80]}") for item in items
    ]


class AgendaItemForm(PlenaryForm):
    parent_id = SelectField(
        _l("Sub-item of"),
        coerce=_optional_id,
        description=_l("Choose an item to make this a lettered sub-item of it (5 (a))."),
    )
    number = IntegerField(
        _l("Number"),
        validators=[Optional(), NumberRange(min=1, max=999)],
        description=_l("For a numbered item; a sub-item takes its item's number."),
    )
    letter = StringField(
        _l("Letter"),
        validators=[
            Optional(),
            Length(max=1),
            Regexp(r"^[a-zA-Z]$", message=_l("Use one letter, a to z.")),
        ],
        description=_l("For a sub-item; empty: the next free letter."),
    )
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    annotation = TextAreaField(
        _l("Annotation"),
        validators=[Optional(), Length(max=20000)],
        description=_l("What the item covers, as in the annotated provisional agenda."),
    )
    submit = SubmitField(_l("Save the agenda item"))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = _parent_choices(parents)

    def validate_number(self, field):
        if self.parent_id.data is None and field.data is None:
            raise ValidationError(_l("Enter the item's number."))


def _agenda_choices(items):
    return [(None, _l("None"))] + [(item.id, f"{item.label}. {item.title[:80]}") for item in items]


class WorkshopForm(PlenaryForm):
    number = IntegerField(_l("Number"), validators=[InputRequired(), NumberRange(min=1, max=999)])
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    agenda_item_id = SelectField(_l("Clustered with agenda item"), coerce=_optional_id)
    submit = SubmitField(_l("Save the workshop"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item_id.choices = _agenda_choices(items)


class OfficerForm(PlenaryForm):
    person_id = SelectField(
        _l("Person"),
        coerce=_optional_id,
        validators=[InputRequired()],
        description=_l("People are added on the People page of the programme."),
    )
    office = SelectField(_l("Office"), choices=Office.choices(), validators=[DataRequired()])
    elected_on = DateField(
        _l("Elected on"),
        validators=[Optional()],
        description=_l("Not after the meeting's last day."),
    )
    submit = SubmitField(_l("Add the officer"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = [
            (p.id, ", ".join(x for x in (p.display_name, p.country or p.organisation) if x))
            for p in people
        ]


class DocumentForm(PlenaryForm):
    symbol = StringField(
        _l("Symbol"),
        validators=[DataRequired(), Length(max=120)],
        description=_l(
            "The UN symbol, e.g. A/CONF.234/RPM.1/L.1 or A/CONF.234/RPM.1/L.2 and Add.1-2"
        ),
    )
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=1000)])
    agenda_item_id = SelectField(_l("Agenda item"), coerce=_optional_id)
    issued_on = DateField(_l("Date issued"), validators=[Optional()])
    url = URLField(
        _l("Web address of the document"),
        validators=[Optional(), Length(max=500)],
        description=_l("Optional; starts with http:// or https://"),
    )
    distribution = SelectField(
        _l("Distribution"),
        choices=[
            SelectChoice("", _l("As the symbol says (L documents are Limited)")),
            SelectChoice("general", _l("General")),
            SelectChoice("limited", _l("Limited")),
        ],
        default="",
    )
    original_language = SelectField(_l("Original language"), default="")
    languages = SelectMultipleField(
        _l("Issued in"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save the document"))

    LANGUAGES = [
        SelectChoice("ar", _l("Arabic")),
        SelectChoice("zh", _l("Chinese")),
        SelectChoice("en", _l("English")),
        SelectChoice("fr", _l("French")),
        SelectChoice("ru", _l("Russian")),
        SelectChoice("es", _l("Spanish")),
    ]

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item_id.choices = _agenda_choices(items)
        self.original_language.choices = [SelectChoice("", _l("Not given"))] + self.LANGUAGES
        self.languages.choices = self.LANGUAGES
        obj = kwargs.get("obj")
        if obj is not None and not self.is_submitted():
            self.languages.data = (obj.languages or "").split()

    def document_fields(self) -> dict:
        return {
            "symbol": self.symbol.data or "",
            "title": self.title.data or "",
            "agenda_item_id": self.agenda_item_id.data,
            "issued_on": self.issued_on.data,
            "url": self.url.data or "",
            "distribution": self.distribution.data or "",
            "original_language": self.original_language.data or "",
            "languages": list(self.languages.data or []),
        }


class GrantRoleForm(PlenaryForm):
    email = EmailField(
        _l("Email of the account"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=RoleName.choices(), validators=[DataRequired()])
    submit = SubmitField(_l("Give the role"))


class DocumentFileForm(PlenaryForm):
    """A document's file in one UN language; its type is checked from its content."""

    language = SelectField(_l("Language"))
    file = FileField(_l("File (PDF or Word .docx, at most 20 MB)"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload the file"))

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(languages)

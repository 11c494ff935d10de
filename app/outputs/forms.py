"""Forms for rapporteur outputs and the Chair's Summary (shape only; rules live in services)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_base import PlenaryForm
from app.outputs.models import PartKind
from app.registration.models import AttendanceCategory

TEXT_LIMIT = 400_000


def _optional_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AssignForm(PlenaryForm):
    target = SelectField(_l("Session or cluster"), validators=[DataRequired()])
    rapporteur_id = SelectField(
        _l("Rapporteur"), coerce=_optional_int, validators=[InputRequired()]
    )

    def __init__(self, *args, targets=(), rapporteurs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [("", _l("Choose…")), *targets]
        self.rapporteur_id.choices = [("", _l("Choose…"))] + [
            (u.id, f"{u.name} ({u.email})") for u in rapporteurs
        ]


class OutputForm(PlenaryForm):
    """One textarea per part; a blank line separates paragraphs, so reordering is cut and paste."""

    base_revision = HiddenField()
    summary = TextAreaField(
        _l("Summary of deliberations"),
        description=_l(
            "One paragraph per block of text: leave a blank line between paragraphs. "
            "They are numbered in the Chair's Summary."
        ),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 14},
    )
    recommendations = TextAreaField(
        _l("Outcome of deliberations: recommendations"),
        description=_l(
            "One recommendation per line, as pasted from a word processor; they are lettered "
            "(a), (b), … in the order written."
        ),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 10},
    )
    not_negotiated = BooleanField(
        _l("The recommendations were not negotiated by the participants"), default=True
    )


class CommentForm(PlenaryForm):
    comment = TextAreaField(
        _l("Comments for the rapporteur"),
        validators=[
            DataRequired(message=_l("Say what the rapporteur should change.")),
            Length(max=20_000),
        ],
        render_kw={"rows": 4},
    )


class ReopenForm(PlenaryForm):
    comment = TextAreaField(
        _l("Why it is reopened (optional)"), validators=[Length(max=20_000)], render_kw={"rows": 3}
    )


class ChairsSummaryForm(PlenaryForm):
    version = HiddenField()
    introduction = TextAreaField(
        _l("Introduction"),
        description=_l("A blank line between paragraphs; they are numbered from 1."),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 8},
    )
    general_conclusions = TextAreaField(
        _l("General conclusions"),
        description=_l("A blank line between paragraphs; their numbers follow the outputs'."),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 8},
    )


class CompareForm(PlenaryForm):
    """The history page's choice of two revisions (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    old = IntegerField(_l("From revision"), validators=[NumberRange(min=1)])
    new = IntegerField(_l("To revision"), validators=[NumberRange(min=1)])


class RescueForm(OutputForm):
    """Sign in again without losing the text: the draft rides along in the form itself."""

    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def _level_choices():
    return [
        (1, _l("Chapter (I., II., …)")),
        (2, _l("Section (A., B., …)")),
        (3, _l("Sub-section (1., 2., …)")),
    ]


class OutlinePartForm(PlenaryForm):
    """A part of the report outline. Adding one offers every field; editing one keeps only the
    fields its kind has (`kind=`), so a page never shows a box that does nothing."""

    kind = SelectField(_l("What the part holds"), validators=[DataRequired()])
    after_id = SelectField(_l("Place it after"), coerce=_optional_int, validate_choice=False)
    level = SelectField(_l("Heading level"), coerce=_optional_int, validate_choice=False)
    numbered = BooleanField(_l("Numbered (leave unticked for “Annex” or “Proceedings”)"))
    heading = TextAreaField(
        _l("Heading"),
        description=_l("Any length, as the report prints it. *Italics* allowed."),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 2},
    )
    body = TextAreaField(
        _l("Paragraphs"),
        description=_l(
            "A blank line between paragraphs; each is numbered in the report. Write *italics*, "
            "a footnote as ^[its text] and a link as [text](https://…); no HTML."
        ),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 10},
    )
    output_id = SelectField(_l("Rapporteur output"), coerce=_optional_int, validate_choice=False)
    lead = TextAreaField(
        _l("Lead sentence"),
        description=_l("Leave empty to print the UN wording shown below."),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 2},
    )
    subheadings = BooleanField(
        _l("Print “Summary of deliberations” and “Outcome of deliberations”"), default=True
    )
    by_acclamation = BooleanField(_l("Elected by acclamation"), default=True)
    symbol = StringField(
        _l("Symbol of the provisional agenda"),
        description=_l("For example A/CONF.234/RPM.1/L.1; it is cited in the lead sentence."),
        validators=[Length(max=120)],
    )
    document_order = TextAreaField(
        _l("Order of the list of documents"),
        description=_l(
            "One symbol per line, in the order the annex lists them; documents not named "
            "follow in the order of their symbols."
        ),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 6},
    )

    document_omit = TextAreaField(
        _l("Documents the annex leaves out"),
        description=_l(
            "One symbol per line: an addendum the annex lists with its L document "
            "(“…/L.2 and Add.1-2”), for instance."
        ),
        validators=[Length(max=TEXT_LIMIT)],
        render_kw={"rows": 3},
    )

    # The part's count of saves when the page was drawn (a later save by someone else is a
    # conflict, not an overwrite).
    edits = HiddenField()

    FIELDS_OF = {
        "heading": ("level", "numbered", "heading"),
        "text": ("body",),
        "output": ("output_id", "lead", "subheadings"),
        "officers": ("lead", "by_acclamation"),
        "agenda": ("lead", "symbol"),
        "documents": ("document_order", "document_omit"),
        "attendance": (),
    }
    OPTIONAL = (
        "level",
        "numbered",
        "heading",
        "body",
        "output_id",
        "lead",
        "subheadings",
        "by_acclamation",
        "symbol",
        "document_order",
        "document_omit",
    )

    def __init__(self, *args, kind=None, parts=(), outputs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in PartKind]
        self.after_id.choices = [(0, _l("At the start"))] + list(parts)
        self.level.choices = _level_choices()
        self.output_id.choices = [("", _l("Choose…"))] + [(o.id, o.title) for o in outputs]
        if kind is not None:
            del self.kind
            del self.after_id
            keep = self.FIELDS_OF.get(kind, ())
            for name in self.OPTIONAL:
                if name not in keep:
                    delattr(self, name)


QUALIFIERS = [f"qualifier_{category.value}" for category in AttendanceCategory]
for _category in AttendanceCategory:
    setattr(
        OutlinePartForm,
        f"qualifier_{_category.value}",
        StringField(
            _l("Words after the noun for: %(category)s", category=_category.label),
            validators=[Length(max=300)],
        ),
    )
SENTENCES = [f"sentence_{category.value}" for category in AttendanceCategory]
for _category in AttendanceCategory:
    setattr(
        OutlinePartForm,
        f"sentence_{_category.value}",
        TextAreaField(
            _l("Or the whole sentence for: %(category)s", category=_category.label),
            description=_l("Optional: the secretariat's own wording and order of names."),
            validators=[Length(max=10_000)],
            render_kw={"rows": 2},
        ),
    )
OutlinePartForm.FIELDS_OF["attendance"] = tuple(
    name for pair in zip(QUALIFIERS, SENTENCES, strict=True) for name in pair
)
OutlinePartForm.OPTIONAL = OutlinePartForm.OPTIONAL + tuple(QUALIFIERS) + tuple(SENTENCES)


class MoveForm(PlenaryForm):
    after_id = SelectField(_l("Move it after"), coerce=_optional_int, validate_choice=False)

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.after_id.choices = [(0, _l("At the start"))] + list(parts)


class ReportForm(PlenaryForm):
    """The report's title block and adoption."""

    version = HiddenField()
    symbol = StringField(
        _l("Symbol of the report"),
        description=_l("For example A/CONF.234/RPM.1/1."),
        validators=[Length(max=120)],
    )
    context_line = StringField(
        _l("Line above the title"),
        description=_l(
            "The body the meeting prepares, e.g. Fourteenth United Nations Congress on Crime "
            "Prevention and Criminal Justice."
        ),
        validators=[Length(max=500)],
    )
    context_when = StringField(
        _l("Its place and dates"),
        description=_l("e.g. Kyoto, Japan, 20–27 April 2020."),
        validators=[Length(max=300)],
    )


class AdoptForm(PlenaryForm):
    adopted_on = DateField(
        _l("Adopted on"),
        validators=[Optional()],
        description=_l("The day of the meeting's decision."),
    )


class IssueDraftForm(PlenaryForm):
    """A part of the draft report: the sections it covers, its symbol, date and languages."""

    heading_ids = SelectMultipleField(
        _l("Chapters and sections it covers"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    symbol = StringField(
        _l("Symbol"),
        description=_l("An L document (…/L.2) or its addendum (…/L.2/Add.1)."),
        validators=[DataRequired(), Length(max=120)],
    )
    issued_on = DateField(_l("Date"), validators=[Optional()])
    original_language = SelectField(_l("Original language"), default="en")
    languages = SelectMultipleField(
        _l("Issued in"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )

    def __init__(self, *args, headings=(), language_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.heading_ids.choices = list(headings)
        self.original_language.choices = list(language_names)
        self.languages.choices = list(language_names)

"""Forms for rapporteur outputs and the Chair's Summary (shape only; rules live in services)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.forms_base import PlenaryForm

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
            "One recommendation per block, a blank line between them; they are lettered "
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

"""The mail area's forms: which notices a person gets, a one-click unsubscribe."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField
from wtforms.fields import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_base import PlenaryForm
from app.mail.notices import CHOOSABLE


class NoticeChoicesForm(PlenaryForm):
    kinds = SelectMultipleField(
        _l("Send me these notices"),
        choices=[SelectChoice(kind, label) for kind, label in CHOOSABLE.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        description=_l(
            "Decisions on your registration, places you gain or lose, and messages about "
            "your account are always sent."
        ),
    )
    submit = SubmitField(_l("Save my choices"))


class UnsubscribeForm(PlenaryForm):
    class Meta:
        # One-click unsubscribe (RFC 8058): the signed token in the URL is the proof; a mail
        # client posts it without a session, so there is no CSRF token to check.
        csrf = False

    submit = SubmitField(_l("Unsubscribe"))

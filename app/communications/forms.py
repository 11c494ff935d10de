"""The message to participants: the group (a filter) and the text."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms_base import PlenaryForm
from app.limits import LONG_TEXT_MAX
from app.registration.models import AttendanceCategory, RegistrationStatus


class GroupMessageForm(PlenaryForm):
    status = SelectField(
        _l("Registration status"),
        choices=[SelectChoice("", _l("All statuses")), *RegistrationStatus.choices()],
        default=RegistrationStatus.APPROVED.value,
    )
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("All categories")), *AttendanceCategory.choices()],
        default="",
    )
    delegation = StringField(_l("Delegation"), validators=[Optional(), Length(max=200)])
    cluster = SelectField(_l("Cluster"), choices=[], default="")
    slot = SelectField(_l("Breakout slot"), choices=[], default="")
    youth_forum = BooleanField(_l("Youth forum participants only"))
    subject = StringField(_l("Subject"), validators=[Length(max=200)])
    body = TextAreaField(
        _l("Message"),
        validators=[Length(max=LONG_TEXT_MAX)],
        description=_l("Plain text. Each participant's copy begins with their name."),
    )
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))

    def set_choices(self, clusters, slots) -> None:
        self.cluster.choices = [
            SelectChoice("", _l("Any cluster")),
            *(SelectChoice(str(c.id), f"{c.number}. {c.title}") for c in clusters),
        ]
        self.slot.choices = [
            SelectChoice("", _l("Any slot")),
            *(SelectChoice(str(s), str(s)) for s in slots),
        ]


class RetryForm(PlenaryForm):
    submit = SubmitField(_l("Send again"))

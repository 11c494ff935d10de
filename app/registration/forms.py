"""Forms for registering, taking places, and the organiser's decisions and filters."""

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.forms_base import PlenaryForm
from app.registration.models import AttendanceCategory, RegistrationStatus


class RegistrationForm(PlenaryForm):
    honorific = StringField(
        _l("Honorific"), validators=[Optional(), Length(max=60)], description=_l("Mr., Ms., Dr.")
    )
    position = StringField(
        _l("Position"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "As the list of participants prints it, e.g. “Director, Ministry of Justice”."
        ),
    )
    delegation = StringField(
        _l("Delegation"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The State or organisation you represent, e.g. “Thailand” or “UNODC”."),
    )
    category = SelectField(
        _l("Attendance category"),
        choices=AttendanceCategory.choices(),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Register"))


class TakePlaceForm(PlenaryForm):
    """Ask for a place; `wait` says the participant accepts the waiting list if it is full."""

    wait = BooleanField(_l("Join the waiting list if it is full"))


class LeavePlaceForm(PlenaryForm):
    """Give up a place; carries what the page showed, so a stale page changes nothing."""

    expected_status = HiddenField()
    expected_position = HiddenField()


class WithdrawForm(PlenaryForm):
    confirm = BooleanField(_l("Yes, withdraw my registration"), validators=[DataRequired()])
    submit = SubmitField(_l("Withdraw from the meeting"))


class DecisionForm(PlenaryForm):
    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice(RegistrationStatus.APPROVED.value, _l("Approve")),
            SelectChoice(RegistrationStatus.DECLINED.value, _l("Decline")),
            SelectChoice(RegistrationStatus.CANCELLED.value, _l("Cancel")),
        ],
    )
    note = StringField(_l("Note to the participant"), validators=[Optional(), Length(max=1000)])


class RegistrationFilterForm(PlenaryForm):
    """Filters on the registrations list (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    category = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("All categories")), *AttendanceCategory.choices()],
        default="",
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses")), *RegistrationStatus.choices()],
        default="",
    )
    delegation = StringField(_l("Delegation"), validators=[Optional(), Length(max=200)])


class BulkDecisionForm(PlenaryForm):
    """One decision and one note for the ticked registrations or the whole filtered list;
    the ids arrive as ticked boxes (`ids`, many) or carried from the question (comma list)."""

    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice(RegistrationStatus.APPROVED.value, _l("Approve")),
            SelectChoice(RegistrationStatus.DECLINED.value, _l("Decline")),
            SelectChoice(RegistrationStatus.CANCELLED.value, _l("Cancel")),
        ],
    )
    note = StringField(_l("Note to each person"), validators=[Optional(), Length(max=1000)])
    scope = SelectField(
        _l("Apply to"),
        choices=[
            SelectChoice("selected", _l("The ticked registrations")),
            SelectChoice("filtered", _l("The whole filtered list")),
        ],
    )
    category = HiddenField(validators=[Optional(), Length(max=40)])
    status = HiddenField(validators=[Optional(), Length(max=40)])
    delegation = HiddenField(validators=[Optional(), Length(max=200)])

    def ids_list(self) -> list[int]:
        out: list[int] = []
        for value in request.form.getlist("ids")[:MAX_BULK]:
            for part in value.split(",")[:MAX_BULK]:
                if part.strip().isdigit() and len(part.strip()) < 10:
                    out.append(int(part))
        return out[:MAX_BULK]

    def filter_args(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("category", "status", "delegation")
            if getattr(self, name).data
        }

    def filter_carry(self) -> dict:
        return {
            name: getattr(self, name).data or "" for name in ("category", "status", "delegation")
        }

    def decision_label(self) -> str:
        return str(dict((c.value, c.label) for c in self.decision.choices)[self.decision.data])


# More than any meeting's registrations (app/limits.py MAX_REGISTRATIONS).
MAX_BULK = 20_000

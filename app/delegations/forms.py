"""Forms for delegations, the focal point's invitation, the registration window and members."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.delegations.models import AttendanceCategory, DelegationKind, MemberRole
from app.forms_base import PlenaryForm


class DelegationForm(PlenaryForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The State or organisation, as the report names it, e.g. “Lebanon”."),
    )
    category = SelectField(_l("Attendance category"), choices=AttendanceCategory.choices())
    kind = SelectField(_l("Kind"), choices=DelegationKind.choices())
    qualifier = StringField(
        _l("Qualifier in the report"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Words after the name, e.g. “in consultative status with the Economic and Social "
            "Council”. Left empty for a new delegation, the category's standard words are used."
        ),
    )
    submit = SubmitField(_l("Save"))


class InviteForm(PlenaryForm):
    email = EmailField(
        _l("Focal point's e-mail address"), validators=[DataRequired(), Length(max=254)]
    )
    submit = SubmitField(_l("Invite the focal point"))


class WindowForm(PlenaryForm):
    opens_on = DateField(_l("Registration opens on"), validators=[Optional()])
    closes_on = DateField(
        _l("Registration closes on (the deadline)"),
        validators=[Optional()],
        description=_l("Focal points can change their delegation until the end of this day."),
    )
    members_per_delegation = IntegerField(
        _l("Members per delegation at most"),
        validators=[Optional(), NumberRange(min=1, max=500)],
        description=_l("Leave empty for no limit."),
    )
    submit = SubmitField(_l("Save"))


class MemberForm(PlenaryForm):
    role = SelectField(_l("Role"), choices=MemberRole.choices(), default=MemberRole.MEMBER.value)
    honorific = StringField(
        _l("Honorific"), validators=[Optional(), Length(max=60)], description=_l("Mr., Ms., Dr.")
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=300)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    nationality = StringField(_l("Nationality"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return {
            "role": MemberRole(self.role.data),
            "honorific": self.honorific.data or "",
            "name": self.name.data or "",
            "position": self.position.data or "",
            "organisation": self.organisation.data or "",
            "email": self.email.data or "",
            "nationality": self.nationality.data or "",
        }


class MemberImportForm(PlenaryForm):
    """A spreadsheet of delegations and members to preview (CSV or XLSX, the export's columns)."""

    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired()])
    submit = SubmitField(_l("Show what the import would do"))


class ConfirmMemberImportForm(PlenaryForm):
    """The previewed file again, carried by the preview page, to save for real."""

    content = HiddenField(validators=[InputRequired()])
    filename = HiddenField()


class ListOfParticipantsForm(PlenaryForm):
    symbol = StringField(
        _l("Symbol"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("The information series symbol, e.g. A/CONF.234/RPM.1/INF/2."),
    )
    submit = SubmitField(_l("Enter in the meeting's documents"))

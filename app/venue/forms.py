"""The venue's forms: the organiser's settings, the badges to print, and the desk's check-in."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from app.forms_base import PlenaryForm
from app.models_base import MAX_ID
from app.venue.tokens import TOKEN_MAX

DESK_NAME_MAX = 40
CLIENT_ID_MAX = 64


class VenueSettingsForm(PlenaryForm):
    check_in_per_session = BooleanField(
        _l("Check people in at the doors of sessions too"),
        description=_l(
            "Desks then choose a session of the day and record who came to it (a breakout room's "
            "door), besides who came to the venue."
        ),
    )
    attendance = RadioField(
        _l("The report's attendance section lists"),
        choices=[
            SelectChoice("registered", _l("every delegation with an approved registration")),
            SelectChoice("present", _l("the delegations with at least one member checked in")),
        ],
        default="registered",
    )
    submit = SubmitField(_l("Save"))


class CheckInForm(PlenaryForm):
    """A check-in at the desk: a participant found by name, or a badge's code typed or read by
    a hand scanner; the desk's name and the session's door come along."""

    registration_id = HiddenField()
    token = StringField(_l("Badge code"), validators=[Optional(), Length(max=TOKEN_MAX)])
    desk = StringField(_l("Desk"), validators=[Optional(), Length(max=DESK_NAME_MAX)])
    session_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    submit = SubmitField(_l("Check in"))

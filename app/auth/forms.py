"""Sign-in and account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.passwords import MIN_PASSWORD_LENGTH
from app.forms_base import PlenaryForm
from app.i18n import LANGUAGES


class SignInForm(PlenaryForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class CreateAccountForm(PlenaryForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l(
            "At least %(n)d characters, not a common password: three or four unrelated words "
            "make a good one.",
            n=MIN_PASSWORD_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create account"))


class SignOutEverywhereForm(PlenaryForm):
    """Ends every signed-in session of the account, on every browser."""

    submit = SubmitField(_l("Sign out everywhere"))


class LanguageForm(PlenaryForm):
    """The language picker on every page."""

    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(language.code, language.name) for language in LANGUAGES],
    )
    submit = SubmitField(_l("Change language"))


class ForgotPasswordForm(PlenaryForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(PlenaryForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l(
            "At least %(n)d characters, not a common password: three or four unrelated words "
            "make a good one.",
            n=MIN_PASSWORD_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set the new password"))


class ChangePasswordForm(PlenaryForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change the password"))


class ChangeEmailForm(PlenaryForm):
    email = EmailField(_l("New email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Change the address"))


class ResendConfirmationForm(PlenaryForm):
    submit = SubmitField(_l("Send the confirmation link again"))

"""The base of every form: text arrives as the outputs can carry it.

Single-line fields lose line breaks and control characters, text areas keep their lines and
lose the other control characters (app/plain.py): PostgreSQL refuses NUL in text, calendar
feeds refuse control characters, and a line break in a name would split an e-mail header.
"""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from app.plain import multi_line, single_line


def without_nul(value):
    """Drop NUL characters from text; other values pass through."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _cleaner(field_class):
    """The filter for a kind of field: text areas keep lines, other text fields are one line."""
    if issubclass(field_class, PasswordField):
        return without_nul  # a password is compared as typed
    if issubclass(field_class, TextAreaField):
        return lambda value: multi_line(value) if isinstance(value, str) else value
    if issubclass(field_class, StringField):
        return lambda value: single_line(value) if isinstance(value, str) else value
    return without_nul


class PlenaryForm(FlaskForm):
    """Every Plenary form: Flask-WTF's CSRF protection, and text cleaned of control characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            cleaner = _cleaner(unbound_field.field_class)
            filters = [*unbound_field.kwargs.get("filters", ()), cleaner]
            return unbound_field.bind(form=form, filters=filters, **options)

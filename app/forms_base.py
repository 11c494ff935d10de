"""The base of every form: text arrives without NUL characters.

PostgreSQL refuses NUL in text columns with an error, so a pasted NUL would otherwise be a 500.
"""

from flask_wtf import FlaskForm


def without_nul(value):
    """Drop NUL characters from text; other values pass through."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class PlenaryForm(FlaskForm):
    """Every Plenary form: Flask-WTF's CSRF protection, and NUL characters filtered out."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), without_nul]
            return unbound_field.bind(form=form, filters=filters, **options)

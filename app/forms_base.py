"""The base of every form: text arrives as the outputs can carry it.

Single-line fields lose line breaks and control characters, text areas keep their lines and
lose the other control characters (app/plain.py): PostgreSQL refuses NUL in text, calendar
feeds refuse control characters, and a line break in a name would split an e-mail header.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.i18n import BY_CODE
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

    # Set by with_translations: the languages and the fields given in them.
    translation_languages: tuple[str, ...] = ()
    translation_fields: tuple[str, ...] = ()

    def translations_data(self) -> dict[str, dict[str, str]]:
        """What the translation fields hold: {"fr": {"title": "…"}} (empty texts included)."""
        return {
            code: {
                name: getattr(self, f"{name}_{code}").data or "" for name in self.translation_fields
            }
            for code in self.translation_languages
        }


def with_translations(form_class, languages, fields: dict):
    """`form_class` with one more field per language for each text in `fields`
    ({"title": (label, field class, max length)}), named "title_fr", after the others.

    The fields carry the language's `lang` and `dir`, so Arabic is typed right to left.
    """
    attrs = {"translation_languages": tuple(languages), "translation_fields": tuple(fields)}
    for code in languages:
        language = BY_CODE[code]
        for name, (label, field_class, limit) in fields.items():
            attrs[f"{name}_{code}"] = field_class(
                _l("%(field)s in %(language)s", field=label, language=language.name),
                validators=[Optional(), Length(max=limit)],
                render_kw={"lang": language.locale.replace("_", "-"), "dir": language.direction},
            )
    return type(form_class.__name__, (form_class,), attrs)


def translation_defaults(record, form_class) -> dict:
    """The translation fields' values from a record's `translations`, for the form's kwargs."""
    stored = getattr(record, "translations", None) or {} if record is not None else {}
    return {
        f"{name}_{code}": (stored.get(code) or {}).get(name, "")
        for code in form_class.translation_languages
        for name in form_class.translation_fields
    }

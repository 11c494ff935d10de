"""The languages Plenary speaks, and which one a page is in.

The UN's six official languages and Thai. A page is in, by order: the language the reader
chose with the picker (kept in the session), their account's own choice, the best match of
their browser's Accept-Language, the meeting's own language on its pages, and else English.
A code Plenary does not know, wherever it comes from, is skipped, never an error. URLs stay
the same in every language.
"""

from typing import NamedTuple

from flask import g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


class Language(NamedTuple):
    code: str  # what the picker, the account and the meeting store
    locale: str  # what Babel formats dates and numbers with, and the catalogue's folder
    name: str  # the language's name in itself, for the picker
    direction: str  # "ltr" or "rtl"


LANGUAGES = (
    Language("en", "en_GB", "English", "ltr"),  # UN style dates: 27 February 2020
    Language("fr", "fr", "Français", "ltr"),
    Language("es", "es", "Español", "ltr"),
    Language("ru", "ru", "Русский", "ltr"),
    Language("zh", "zh", "中文", "ltr"),
    Language("ar", "ar", "العربية", "rtl"),
    Language("th", "th", "ไทย", "ltr"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
BY_LOCALE = {language.locale: language for language in LANGUAGES}
DEFAULT = BY_CODE["en"]
SESSION_KEY = "language"


def known(code: str | None) -> Language | None:
    """The language for a code ("fr", "fr-CA", "zh_Hans", "AR"), or None if Plenary has none."""
    if not code or not isinstance(code, str) or len(code) > 35:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    return BY_CODE.get(base)


def choose_locale() -> str:
    """Flask-Babel's locale selector: the language this request is served in."""
    if not has_request_context():
        return DEFAULT.locale
    for candidate in (
        session.get(SESSION_KEY),
        getattr(current_user, "language", None) if _signed_in() else None,
    ):
        language = known(candidate)
        if language is not None:
            return language.locale
    best = request.accept_languages.best_match([language.code for language in LANGUAGES])
    if best is not None:
        return BY_CODE[best].locale
    language = known(g.get("meeting_language"))
    return (language or DEFAULT).locale


def _signed_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - no account can be loaded (the database is away)
        return False


def current_language() -> Language:
    """The language of the page being rendered."""
    return BY_LOCALE.get(str(get_locale()), DEFAULT)


def template_context() -> dict:
    """What every template needs to say which language and direction it is in."""
    language = current_language()
    return {
        "html_lang": language.locale.replace("_", "-"),
        "html_dir": language.direction,
        "languages": LANGUAGES,
        "current_language": language,
    }

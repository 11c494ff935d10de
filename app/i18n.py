"""The languages Plenary speaks, and which one a page is in.

The UN's six official languages and Thai. A page is in, by order: the language the reader
chose with the picker (kept in the session), their account's own choice, the best match of
their browser's Accept-Language, the meeting's own language on its pages, and else English.
A code Plenary does not know, wherever it comes from, is skipped, never an error. URLs stay
the same in every language.
"""

from typing import NamedTuple

from flask import g, has_request_context, request, session
from flask_babel import get_locale, refresh
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
    if g.get("document_locale"):
        return g.document_locale  # a document's own language (use_document_language)
    for candidate in (
        session.get(SESSION_KEY),
        getattr(current_user, "language", None) if _signed_in() else None,
    ):
        language = known(candidate)
        if language is not None:
            return language.locale
    # The browser's languages, best first; "*" (anything) says nothing, so it is skipped like
    # a code Plenary does not know, and the meeting's language follows.
    for value, quality in request.accept_languages:
        language = known(value) if value != "*" and quality > 0 else None
        if language is not None:
            return language.locale
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
        "language_named": lambda code: BY_CODE.get(code, DEFAULT),
        "document_lang": _document_lang,
    }


def _document_lang(meeting) -> str | None:
    """The `lang` for a link to a meeting's document: the page's language when the meeting
    has its documents in it, else None (the link then gives the meeting's own)."""
    code = current_language().code
    return code if code in meeting.languages and code != meeting.language else None


# --- Content in several languages -------------------------------------------------------------
# A meeting's title and theme, its sessions' and agenda items' titles are written in the
# meeting's own language (the columns) and may be given in its other languages too: each record
# keeps those in a JSON column, `translations` = {"fr": {"title": "…"}}. JSON rides along with
# the row that is loaded anyway, so showing a translation never asks the database again.


def pick(translations, field: str, original: str | None, language: str | None = None) -> str:
    """`field` from a `translations` value in `language` (default: the page's) where given,
    else the original text (in the meeting's language)."""
    code = language or current_language().code
    if isinstance(translations, dict):
        given = translations.get(code)
        if isinstance(given, dict):
            text = given.get(field)
            if isinstance(text, str) and text.strip():
                return text
    return original or ""


def localized(record, field: str, language: str | None = None) -> str:
    """A record's `field` in the reader's language where given (templates: `x|tr('title')`)."""
    return pick(getattr(record, "translations", None), field, getattr(record, field), language)


def content_languages_of(codes, own: str) -> list[str]:
    """A meeting's other content languages: known codes only, never its own, each once, in
    Plenary's order. Anything else is dropped (never an error)."""
    chosen = {lang.code for lang in map(known, codes or ()) if lang is not None}
    return [lang.code for lang in LANGUAGES if lang.code in chosen and lang.code != own]


def clean_translations(
    values: dict, own: str, limits: dict[str, int], error, *, current: dict | None = None
) -> dict:
    """The `translations` value to store: `current` with what a form sent laid over it.

    `values` is {"fr": {"title": "…"}}: for each language sent, the fields in `limits` are
    stripped, bounded (`error`, a DomainError class, names the field "title_fr") and empty
    ones dropped. A language not sent keeps what it had, so switching a language off and on
    again loses nothing; the record's own language `own` has no translation (its columns
    are in it). Unknown codes are dropped.
    """
    from app.limits import check_text

    out = {code: dict(f) for code, f in (current or {}).items() if isinstance(f, dict)}
    for code, given in values.items():
        language = known(code)
        if language is None or language.code != code or not isinstance(given, dict):
            continue
        texts = {}
        for field, limit in limits.items():
            text = check_text(
                given.get(field), limit, f"{field}_{code}", required=False, error=error
            )
            if text:
                texts[field] = text
        if texts:
            out[code] = texts
        else:
            out.pop(code, None)
    out.pop(own, None)
    return out


def document_language(meeting, requested: str | None) -> Language:
    """The language a document of the meeting is generated in: `requested` (`?lang=fr`) when
    it is one of the meeting's languages, else the meeting's own; never an error."""
    language = known(requested)
    if language is not None and language.code in meeting.languages:
        return language
    return known(meeting.language) or DEFAULT


def use_document_language(meeting, requested: str | None) -> Language:
    """Serve this request in the language of a document of the meeting (document_language):
    its text, dates and cache key follow it."""
    language = document_language(meeting, requested)
    g.document_locale = language.locale
    refresh()  # forget a locale chosen earlier in the request
    return language


def isolated(text: str) -> str:
    """Text set inside a sentence of the page's language: on a right-to-left page, wrapped in
    Unicode's first-strong isolate (FSI … PDI), the plain-text <bdi>, so a Latin title or
    numeral keeps its own order; elsewhere unchanged."""
    if current_language().direction != "rtl" or not text:
        return text
    return f"\u2068{text}\u2069"

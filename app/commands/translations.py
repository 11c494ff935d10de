"""The interface's catalogues: `flask --app wsgi translations update | compile | check`.

Every user-facing string goes through Flask-Babel (`_`, `_l`, `ngettext`, `lazy_gettext`; in
templates `_()` and `ngettext()`). `update` extracts them into app/translations/messages.pot and
merges that into one catalogue per language of app/i18n.py except English (the source),
creating the ones missing; translators fill the .po files; `compile` writes the .mo files
Flask-Babel reads, and they are committed, so an installed Plenary needs no build step and a
request never compiles anything. `check` fails on a message missing or fuzzy, a placeholder
that does not match (`%(name)s`, `{name}`), a plural with the wrong number of forms for its
language, a catalogue behind the code, or a .mo that is not its .po compiled; the test suite
(tests/test_catalogues.py) runs the same checks, so a bad catalogue fails the build.
"""

import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from app.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
MAPPING = ROOT / "app" / "babel.cfg"
DOMAIN = "messages"
SOURCE_LOCALE = "en_GB"
# Every language but English (the strings in the code are English).
TARGET_LOCALES = tuple(language.locale for language in LANGUAGES if language.code != "en")
# Babel's own (_, gettext, ngettext, pgettext, …) and Flask-Babel's lazy ones.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
# A note for translators in the code: `# Translators: …` just above the string.
COMMENT_TAGS = ("Translators:",)

_NAMED = re.compile(r"%\(([^)]*)\)[#0\- +]*\d*(?:\.\d+)?[a-zA-Z]")
_POSITIONAL = re.compile(r"%[#0\- +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
_BRACES = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def po_path(locale: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


# --- Extracting and updating ------------------------------------------------------------------


def extract(root: Path = ROOT) -> Catalog:
    """Every translatable string in app/**.py and templates/**.html (app/babel.cfg)."""
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    catalog = Catalog(
        project="Plenary", locale=None, charset="utf-8", fuzzy=False, header_comment=_HEADER
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


_HEADER = "# The interface of Plenary. Translations: app/translations/README.md\n#"


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_previous=True)
    path.write_bytes(buffer.getvalue())


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=DOMAIN)


def update(directory: Path = TRANSLATIONS, template: Catalog | None = None) -> list[str]:
    """Extract the strings into messages.pot and merge it into every language's catalogue,
    creating a catalogue that is missing. What was done, one line per file."""
    template = template if template is not None else extract()
    done = []
    _write(template, directory / f"{DOMAIN}.pot")
    done.append(f"{DOMAIN}.pot: {len(template)} messages")
    for locale in TARGET_LOCALES:
        path = po_path(locale, directory)
        if path.exists():
            catalog = read(path, locale)
            catalog.update(template)
            action = "updated"
        else:
            catalog = Catalog(
                locale=locale,
                domain=DOMAIN,
                project="Plenary",
                charset="utf-8",
                fuzzy=False,
                header_comment=_HEADER,
            )
            for message in template:
                if message.id:
                    catalog[message.id] = _copy(message)
            action = "created"
        _write(catalog, path)
        done.append(f"{locale}: {action}, {len(catalog)} messages")
    return done


def _copy(message: Message) -> Message:
    return Message(
        message.id,
        ("",) * 2 if message.pluralizable else "",
        locations=list(message.locations),
        flags=set(message.flags) - {"fuzzy"},
        auto_comments=list(message.auto_comments),
        context=message.context,
    )


# --- Compiling --------------------------------------------------------------------------------


def mo_bytes(catalog: Catalog) -> bytes:
    """The catalogue compiled, fuzzy entries left out (what a .mo file of it holds)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all(directory: Path = TRANSLATIONS) -> list[str]:
    """Compile every language's .po to its .mo."""
    done = []
    for locale in TARGET_LOCALES:
        path = po_path(locale, directory)
        if not path.exists():
            done.append(f"{locale}: no catalogue (run update)")
            continue
        mo_path(locale, directory).write_bytes(mo_bytes(read(path, locale)))
        done.append(f"{locale}: compiled")
    return done


# --- Checking ---------------------------------------------------------------------------------


def placeholders(text: str) -> tuple[set[str], int, set[str]]:
    """The named %-placeholders, the number of positional ones, and the {brace} names."""
    text = text.replace("%%", "")
    named = set(_NAMED.findall(text))
    positional = len(_POSITIONAL.findall(_NAMED.sub("", text)))
    return named, positional, set(_BRACES.findall(text))


def _describe(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    where = f" ({message.locations[0][0]}:{message.locations[0][1]})" if message.locations else ""
    return f"“{text[:60]}”{where}"


def _placeholder_problems(message: Message) -> list[str]:
    problems = []
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted_named, wanted_positional, wanted_braces = set(), 0, set()
    for text in ids:
        named, positional, braces = placeholders(text)
        wanted_named |= named
        wanted_positional = max(wanted_positional, positional)
        wanted_braces |= braces
    for index, text in enumerate(strings):
        if not text:
            continue
        named, positional, braces = placeholders(text)
        form = f" form {index}" if message.pluralizable else ""
        # A plural form may leave the number out ("one item" as "un élément"), nothing else.
        needed = wanted_named - {"num"} if message.pluralizable else wanted_named
        if named - wanted_named or needed - named:
            problems.append(
                f"{_describe(message)}{form}: placeholders {sorted(named)} "
                f"do not match {sorted(wanted_named)}"
            )
        if positional != wanted_positional:
            problems.append(f"{_describe(message)}{form}: positional placeholders do not match")
        if braces != wanted_braces:
            problems.append(
                f"{_describe(message)}{form}: placeholders {sorted(braces)} "
                f"do not match {sorted(wanted_braces)}"
            )
    return problems


def catalogue_problems(catalog: Catalog, template: Catalog | None = None) -> list[str]:
    """Everything wrong with one language's catalogue: empty list when it may ship."""
    problems = []
    locale = str(catalog.locale)
    expected = get_plural(locale).num_plurals
    if catalog.num_plurals != expected:
        problems.append(
            f"{locale}: the Plural-Forms header gives {catalog.num_plurals} forms, "
            f"{locale} has {expected}"
        )
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"{_describe(message)}: fuzzy (check the translation, then unmark it)")
        if message.pluralizable:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if len(strings) != expected:
                problems.append(
                    f"{_describe(message)}: {len(strings)} plural forms, {locale} needs {expected}"
                )
            if not all(strings):
                problems.append(f"{_describe(message)}: a plural form is not translated")
        elif not message.string:
            problems.append(f"{_describe(message)}: not translated")
        problems += _placeholder_problems(message)
    if template is not None:
        missing = [m for m in template if m.id and m.id not in catalog]
        if missing:
            problems.append(
                f"{locale}: {len(missing)} messages of the code are not in the catalogue, e.g. "
                f"{_describe(missing[0])} (run `flask --app wsgi translations update`)"
            )
    # Every line says which language it is about.
    return [p if p.startswith(f"{locale}: ") else f"{locale}: {p}" for p in problems]


def compiled_problems(locale: str, directory: Path = TRANSLATIONS) -> list[str]:
    """The .mo must be the .po compiled: else the app would show something else."""
    po, mo = po_path(locale, directory), mo_path(locale, directory)
    if not mo.exists():
        return [f"{locale}: no {mo.name} (run `flask --app wsgi translations compile`)"]
    if mo.read_bytes() != mo_bytes(read(po, locale)):
        return [f"{locale}: {mo.name} is not {po.name} compiled (run `… translations compile`)"]
    return []


def check_all(
    directory: Path = TRANSLATIONS,
    template: Catalog | None = None,
    locales: Iterable[str] = TARGET_LOCALES,
) -> list[str]:
    """Every problem of every language's catalogue (a missing catalogue is one)."""
    template = template if template is not None else extract()
    problems = []
    for locale in locales:
        path = po_path(locale, directory)
        if not path.exists():
            problems.append(f"{locale}: no catalogue (run `flask --app wsgi translations update`)")
            continue
        problems += catalogue_problems(read(path, locale), template)
        problems += compiled_problems(locale, directory)
    return problems

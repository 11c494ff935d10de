"""The interface's catalogues: complete, placeholders matching, plurals per language, compiled.

The checker is proved on small catalogues made here, one defect at a time; then every real
catalogue in app/translations must pass it (a language whose .po does not exist yet is
skipped: the lead adds them with `flask --app wsgi translations update`).
"""

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from app.commands import translations
from app.i18n import LANGUAGES


def _catalogue(locale: str, entries, *, fuzzy=()) -> Catalog:
    """A catalogue written as a .po and read back, as the checker meets one on disk."""
    catalog = Catalog(locale=locale, domain="messages", fuzzy=False)
    for msgid, msgstr in entries:
        flags = ["fuzzy"] if (msgid[0] if isinstance(msgid, tuple) else msgid) in fuzzy else []
        catalog.add(msgid, msgstr, locations=[("app/x.py", 1)], flags=flags)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    buffer.seek(0)
    return read_po(buffer, locale=locale)


GOOD_FR = [
    ("Sign in", "Se connecter"),
    ("Hello %(name)s", "Bonjour %(name)s"),
    ("{count} sessions", "{count} séances"),
    # French has three forms in CLDR: one, many (a million sessions "de séances"), other.
    (
        ("%(num)d session", "%(num)d sessions"),
        ("%(num)d séance", "%(num)d de séances", "%(num)d séances"),
    ),
]


def test_a_complete_catalogue_passes():
    assert translations.catalogue_problems(_catalogue("fr", GOOD_FR)) == []


@pytest.mark.parametrize(
    ("entries", "fuzzy", "found"),
    [
        ([("Sign in", "")], (), "not translated"),
        ([("Sign in", "Se connecter")], ("Sign in",), "fuzzy"),
        ([("Hello %(name)s", "Bonjour %(nom)s")], (), "placeholders"),
        ([("Hello %(name)s", "Bonjour")], (), "placeholders"),
        ([("Hello", "Bonjour %(name)s")], (), "placeholders"),
        ([("Hello %s", "Bonjour")], (), "positional"),
        ([("{count} sessions", "{total} séances")], (), "placeholders"),
        (
            [(("%(num)d session", "%(num)d sessions"), ("%(num)d séance", "", "%(num)d séances"))],
            (),
            "a plural form is not translated",
        ),
        (
            [(
                ("%(num)d item in %(where)s", "%(num)d items in %(where)s"),
                ("un élément", "%(num)d d’éléments à %(where)s", "%(num)d éléments à %(where)s"),
            )],
            (),
            "placeholders",
        ),
    ],
)  # fmt: skip
def test_the_checker_catches_each_defect(entries, fuzzy, found):
    problems = translations.catalogue_problems(_catalogue("fr", entries, fuzzy=fuzzy))
    assert any(found in problem for problem in problems), problems


def test_a_plural_form_may_leave_the_number_out():
    entries = [
        (
            ("%(num)d session", "%(num)d sessions"),
            ("une séance", "%(num)d de séances", "%(num)d séances"),
        )
    ]
    assert translations.catalogue_problems(_catalogue("fr", entries)) == []


def test_the_checker_counts_plural_forms_per_language():
    # Russian has three forms, Arabic six, Chinese one: two forms are wrong for each.
    for locale, needed in (("ru", 3), ("ar", 6)):
        catalog = _catalogue(
            locale, [(("%(num)d day", "%(num)d days"), ("%(num)d x", "%(num)d y"))]
        )
        catalog[("%(num)d day", "%(num)d days")].string = ("%(num)d x", "%(num)d y")
        problems = translations.catalogue_problems(catalog)
        assert any(f"needs {needed}" in p for p in problems), problems
    catalog = _catalogue("zh", [(("%(num)d day", "%(num)d days"), ("%(num)d 天",))])
    assert translations.catalogue_problems(catalog) == []


def test_a_wrong_plural_forms_header_is_caught():
    catalog = _catalogue("ru", [("Sign in", "Войти")])
    catalog.plural_forms  # noqa: B018 - as read from the file
    catalog._num_plurals = 2  # as a .po with "nplurals=2" for Russian reads
    assert any("Plural-Forms" in p for p in translations.catalogue_problems(catalog))


def test_a_catalogue_behind_the_code_is_caught():
    template = Catalog(locale=None)
    template.add("Sign in")
    template.add("A string added since")
    problems = translations.catalogue_problems(
        _catalogue("fr", [("Sign in", "Se connecter")]), template
    )
    assert any("not in the catalogue" in p for p in problems)


def test_update_compile_and_check_from_end_to_end(app, tmp_path):
    """The commands on a scratch directory: update creates every language's .po from the
    code's strings, check fails while they are empty, and passes once filled and compiled;
    the compiled catalogue is what Babel then reads."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["translations", "update", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "messages.pot").exists()
    for locale in translations.TARGET_LOCALES:
        assert translations.po_path(locale, tmp_path).exists()
    result = runner.invoke(args=["translations", "check", "--directory", str(tmp_path)])
    assert result.exit_code != 0 and "not translated" in result.output

    # Fill every catalogue as a (lazy) translator would: the English again, marked.
    for locale in translations.TARGET_LOCALES:
        path = translations.po_path(locale, tmp_path)
        catalog = translations.read(path, locale)
        for message in catalog:
            if not message.id:
                continue
            if message.pluralizable:
                message.string = (f"[{locale}] {message.id[1]}",) * catalog.num_plurals
            else:
                message.string = f"[{locale}] {message.id}"
        translations._write(catalog, path)
    result = runner.invoke(args=["translations", "check", "--directory", str(tmp_path)])
    assert result.exit_code != 0 and "no messages.mo" in result.output
    result = runner.invoke(args=["translations", "compile", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["translations", "check", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output

    compiled = Translations.load(str(tmp_path), ["ar"])
    assert compiled.gettext("Sign in") == "[ar] Sign in"
    assert (
        compiled.ngettext("%(num)d paragraph", "%(num)d paragraphs", 3) == "[ar] %(num)d paragraphs"
    )

    # A .po edited after compiling: its .mo is stale and check says so.
    path = translations.po_path("fr", tmp_path)
    catalog = translations.read(path, "fr")
    catalog["Sign in"].string = "Se connecter"
    translations._write(catalog, path)
    result = runner.invoke(args=["translations", "check", "--directory", str(tmp_path)])
    assert result.exit_code != 0 and "is not messages.po compiled" in result.output


@pytest.fixture(scope="module")
def code_strings():
    return translations.extract()


@pytest.mark.parametrize(
    "locale", [language.locale for language in LANGUAGES if language.code != "en"]
)
def test_every_catalogue_is_complete_and_compiled(locale, code_strings):
    path = translations.po_path(locale)
    if not path.exists():
        pytest.skip(f"no catalogue for {locale} yet (flask --app wsgi translations update)")
    catalog = translations.read(path, locale)
    problems = translations.catalogue_problems(catalog, code_strings)
    problems += translations.compiled_problems(locale)
    assert problems == [], "\n".join(problems[:50])


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang.code != "en"])
def test_the_pages_speak_each_catalogue(client, language):
    path = translations.po_path(language.locale)
    if not path.exists():
        pytest.skip(f"no catalogue for {language.locale} yet")
    expected = translations.read(path, language.locale)["Skip to content"].string
    page = client.get("/", headers={"Accept-Language": language.code}).get_data(as_text=True)
    assert expected and expected in page


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang.code != "en"])
def test_the_report_prints_its_standard_text_from_each_catalogue(
    client, language, make_user, make_meeting, sign_in
):
    """Once a language's catalogue exists, the report in that language carries its headings."""
    path = translations.po_path(language.locale)
    if not path.exists():
        pytest.skip(f"no catalogue for {language.locale} yet")
    from pypdf import PdfReader

    from app.extensions import db
    from app.meetings.models import MeetingStatus, RoleName
    from tests import factories

    chair = make_user()
    meeting = make_meeting(status=MeetingStatus.CONCLUDED, content_languages=[language.code])
    factories.grant_role(meeting, chair, RoleName.CHAIR)
    db.session.commit()
    sign_in(chair)
    response = client.get(f"/meetings/{meeting.slug}/report.pdf?lang={language.code}")
    reader = PdfReader(io.BytesIO(response.data))
    assert str(reader.trailer["/Root"]["/Lang"]) == language.locale.replace("_", "-")
    if language.direction == "rtl":
        return  # text pulled out of an Arabic PDF comes in presentation forms: /Lang suffices
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    heading = translations.read(path, language.locale)["Attendance and organization of work"]
    assert heading.string and " ".join(heading.string.split()) in text

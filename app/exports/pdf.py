"""PDFs in the layout of the seed reports, rendered by WeasyPrint from plain content dicts.

Pure functions: they take the compiled content (see app/outputs/summary.py) and return bytes. The
fonts ship in static/fonts, so Thai, Vietnamese and Khmer names print on any machine, and the
PDF is tagged (PDF/UA-1) with its title, language and bookmarks.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import nh3
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint.urls import URLFetcher

from app.i18n import current_language

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "static"
STYLESHEET = ROOT / "templates" / "exports" / "pdf" / "report.css"
# The only places a PDF may read from: Plenary's own fonts and stylesheets.
OWN_FILES = (STATIC.resolve(), STYLESHEET.parent.resolve())


class OwnFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, refusing every URL but a file of Plenary's own (fonts, CSS).

    Whatever users type reaches the HTML only escaped and the stylesheet only as escaped CSS
    strings, so no URL of theirs should ever get here; this is the guard if one does: no
    http(s), no data:, no file outside static/ (no /etc/passwd, no cloud metadata address).
    """

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"a Plenary PDF fetches nothing but its own files: {url!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in OWN_FILES) or not path.is_file():
            raise ValueError(f"a Plenary PDF fetches nothing but its own files: {url!r}")
        return super().fetch(path.as_uri(), headers)


def css_string(text: str) -> str:
    """A CSS string literal that no text can end: every character but letters, digits and
    spaces is written as a hex escape ("\\22 " for a quote), so a quote, a backslash, a
    line or form feed, or a brace can neither close the string nor start a rule."""
    out = []
    for char in str(text):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        elif char in "\x00\ufffe\uffff" or 0xD800 <= ord(char) <= 0xDFFF:
            out.append("\\fffd ")  # NUL and non-characters are not allowed in CSS
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def _page_css(content: dict[str, Any]) -> str:
    """The running header (the meeting's short title) and the localized "page X of Y"."""
    before, _x, rest = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01").partition("\x00")
    middle, _y, after = rest.partition("\x01")
    footer = " ".join(
        [css_string(before), "counter(page)", css_string(middle), "counter(pages)"]
        + [css_string(after)]
    )
    return (
        "@page { @top-center { content: "
        + css_string(content["meeting"]["short_title"])
        + "; } @bottom-center { content: "
        + footer
        + "; } }"
    )


def _render(template: str, content: dict[str, Any], kind: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    lang = str(get_locale() or "en").replace("_", "-")
    html = render_template(
        template, c=content, lang=lang, dir=current_language().direction, kind=kind
    )
    fonts = FontConfiguration()
    fetcher = OwnFilesOnly()
    # Relative font URLs in the stylesheet resolve against static/.
    css = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    page = CSS(string=_page_css(content), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[css, page],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
    )


def render_chairs_summary_pdf(content: dict[str, Any]) -> bytes:
    """The Chair's Summary: introduction, the approved outputs, the general conclusions."""
    return _render("exports/pdf/chairs_summary.html", content, "summary")


def render_meeting_report_pdf(content: dict[str, Any]) -> bytes:
    """The meeting report: the summary's text plus attendance, officers, agenda and documents."""
    return _render("exports/pdf/meeting_report.html", content, "report")


def render_participants_pdf(content: dict[str, Any]) -> bytes:
    """The list of participants: by category, delegations in order, head of delegation first."""
    return _render("exports/pdf/participants.html", content, "participants")


# What a frozen part's markup may hold (app/outputs/markup.py rendered it; cleaned again here).
_TAGS = {"em", "strong", "a", "span"}
_ATTRIBUTES = {"a": {"href"}, "span": {"class"}}


def _safe(item: dict[str, Any]) -> dict[str, Any]:
    out = dict(item)
    if isinstance(out.get("html"), str):
        out["html"] = Markup(
            nh3.clean(
                out["html"], tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https"}
            )
        )
    if isinstance(out.get("rows"), list):
        out["rows"] = [_safe(r) if isinstance(r, dict) else r for r in out["rows"]]
    return out


def render_published_report_pdf(content: dict[str, Any]) -> bytes:
    """The report as published: its content was frozen as JSON when it was published."""
    content = {
        **content,
        "items": [_safe(i) for i in content.get("items", [])],
        "contents": [_safe(i) if isinstance(i, dict) else i for i in content.get("contents", [])],
    }
    return _render("exports/pdf/meeting_report.html", content, "report")


def render_draft_report_pdf(content: dict[str, Any]) -> bytes:
    """A part of the draft report with the UN masthead; its content was frozen as JSON."""
    content = {
        **content,
        "items": [_safe(i) for i in content.get("items", [])],
        "meeting": {**content.get("meeting", {}), "short_title": content["masthead"]["symbol"]},
    }
    return _render("exports/pdf/draft_report.html", content, "draft")


PROGRAMME_STYLESHEET = ROOT / "templates" / "exports" / "pdf" / "programme.css"
# The page sizes a printed programme comes in (landscape), and the grid's height on each:
# the page less its margins and the day's heading, so a whole day fills one page.
PROGRAMME_SIZES = {"a4": ("A4 landscape", "170mm"), "a3": ("A3 landscape", "257mm")}


def render_programme_pdf(content: dict[str, Any], size: str = "a4") -> bytes:
    """The programme as a grid: one landscape page per day, tracks side by side."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    page_size, grid_height = PROGRAMME_SIZES.get(size, PROGRAMME_SIZES["a4"])
    start = "right" if current_language().direction == "rtl" else "left"
    lang = str(get_locale() or "en").replace("_", "-")
    html = render_template(
        "exports/pdf/programme.html",
        c={**content, "grid_height": grid_height},
        lang=lang,
        dir=current_language().direction,
    )
    fonts = FontConfiguration()
    fetcher = OwnFilesOnly()
    css = CSS(
        string=PROGRAMME_STYLESHEET.read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    before, _x, rest = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01").partition("\x00")
    middle, _y, after = rest.partition("\x01")
    page = CSS(
        # The running title sits at the start of the line: the left, or in Arabic the right.
        string=f"@page {{ size: {page_size}; @top-{start} {{ content: "
        + css_string(content["meeting"]["short_title"])
        + "; } @bottom-center { content: "
        + " ".join(
            [css_string(before), "counter(page)", css_string(middle), "counter(pages)"]
            + [css_string(after)]
        )
        + "; } }",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css, page], font_config=fonts, uncompressed_pdf=False)

"""PDFs in the layout of the seed reports, rendered by WeasyPrint from plain content dicts.

Pure functions: they take the compiled content (see app.outputs.services) and return bytes. The
fonts ship in static/fonts, so Thai, Vietnamese and Khmer names print on any machine, and the
PDF is tagged (PDF/UA-1) with its title, language and bookmarks.
"""

from pathlib import Path
from typing import Any

from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "static"
STYLESHEET = ROOT / "templates" / "exports" / "pdf" / "report.css"


def _css_string(text: str) -> str:
    """A CSS string literal: the meeting's short title may hold quotes or backslashes."""
    cleaned = str(text).replace("\r", " ").replace("\n", " ")
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_css(content: dict[str, Any]) -> str:
    """The running header (the meeting's short title) and the localized "page X of Y"."""
    before, _x, rest = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01").partition("\x00")
    middle, _y, after = rest.partition("\x01")
    footer = " ".join(
        [_css_string(before), "counter(page)", _css_string(middle), "counter(pages)"]
        + [_css_string(after)]
    )
    return (
        "@page { @top-center { content: "
        + _css_string(content["meeting"]["short_title"])
        + "; } @bottom-center { content: "
        + footer
        + "; } }"
    )


def _render(template: str, content: dict[str, Any], kind: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    lang = str(get_locale() or "en").replace("_", "-")
    html = render_template(template, c=content, lang=lang, kind=kind)
    fonts = FontConfiguration()
    # Relative font URLs in the stylesheet resolve against static/.
    css = CSS(
        string=STYLESHEET.read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        font_config=fonts,
    )
    page = CSS(string=_page_css(content), font_config=fonts)
    return HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(
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

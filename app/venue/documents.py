"""The venue's PDFs: badges (A6, four to an A4 sheet or one per page for a badge printer) and
certificates of attendance. Pure renderers: content in, bytes out.

They go through the same guarded fetcher as every Plenary PDF (app/exports/pdf.py): the QR code
is inline SVG in the HTML, so nothing is fetched for it; names in Thai, Lao, Khmer, Myanmar,
Chinese or Vietnamese print in the Noto fonts the system provides (fonts-noto-core and
fonts-noto-cjk), found by family name, not by URL.
"""

from pathlib import Path
from typing import Any

import segno
from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from app.exports.pdf import STATIC, OwnFilesOnly

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "venue" / "pdf"
LAYOUTS = ("sheet", "single")


def qr_svg(text: str) -> Markup:
    """A QR code as an inline <svg> (no size of its own: the stylesheet sizes it)."""
    code = segno.make(text, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff"))


def _render(template: str, stylesheet: str, content: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    lang = str(get_locale() or "en").replace("_", "-")
    html = render_template(template, c=content, lang=lang)
    fonts = FontConfiguration()
    fetcher = OwnFilesOnly()
    css = CSS(
        string=(TEMPLATES / stylesheet).read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=fonts, uncompressed_pdf=False)


def render_badges_pdf(content: dict[str, Any], layout: str = "sheet") -> bytes:
    """Badges: `content` holds the meeting and its badges (see views.badge_content)."""
    layout = layout if layout in LAYOUTS else "sheet"
    return _render("venue/pdf/badges.html", "badges.css", {**content, "layout": layout})


def render_certificates_pdf(content: dict[str, Any]) -> bytes:
    """Certificates of attendance, one page each, signed by the meeting's Chair."""
    return _render("venue/pdf/certificates.html", "certificates.css", content)

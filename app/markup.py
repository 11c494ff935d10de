"""The small, safe markup of report text: *italics*, **bold**, inline footnotes ^[like this] and
links to http(s) addresses, as UN documents write them. Rendered by markdown-it-py (raw HTML
off, images off) with mdit-py-plugins' footnotes, then sanitised by nh3 to the few tags a
paragraph may hold. A footnote prints as a `span.footnote` the PDF floats to the page's foot.
"""

import re
from urllib.parse import urlsplit

import nh3
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

from app.errors import OutputError

_HTML = re.compile(r"<\s*[A-Za-z!/?]")
# Whatever a reader would take for a link's target, parsed or not: "[text](target".
_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")

TAGS = {"em", "strong", "a", "span"}
ATTRIBUTES = {"a": {"href"}, "span": {"class"}}


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False})
    md.enable(["emphasis", "link", "escape", "newline"])
    md.use(footnote_plugin, inline=True, move_to_end=False)

    def footnote_ref(self, tokens, idx, options, env):
        note = env.get("footnotes", {}).get("list", {}).get(tokens[idx].meta["id"], {})
        inner = self.renderInline(note.get("tokens") or [], options, env)
        return f'<span class="footnote">{inner}</span>'

    md.add_render_rule("footnote_ref", footnote_ref)
    return md


_MD = _parser()


def _links(text: str) -> list[str]:
    tokens = _MD.parseInline(text, {})
    hrefs = []
    stack = list(tokens)
    while stack:
        token = stack.pop()
        if token.type == "link_open":
            hrefs.append(str(token.attrGet("href") or ""))
        stack.extend(token.children or [])
    return hrefs


def check_markup(text: str, field: str | None = None) -> str:
    """Refuse raw HTML and links that are not http(s), with a message that says what to write."""
    if _HTML.search(text or ""):
        raise OutputError(
            _(
                "Text takes no HTML tags. Write *italics*, **bold**, ^[a footnote] and "
                "[a link](https://…) instead."
            ),
            field,
        )
    for href in _links(text or "") + _TARGET.findall(text or ""):
        if urlsplit(href).scheme.lower() not in ("http", "https"):
            raise OutputError(
                _("A link must start with https:// or http://: %(link)s", link=href[:80]),
                field,
            )
    return text


def render_inline(text: str) -> Markup:
    """One paragraph's markup as safe HTML: emphasis, links, footnotes; anything else as text."""
    html = _MD.renderInline(text or "", {})
    return Markup(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel=None,
        )
    )


def plain(text: str) -> str:
    """The markup's text without its marks (for a PDF's bookmarks and titles)."""
    return nh3.clean(str(render_inline(text)), tags=set()).replace("&amp;", "&")

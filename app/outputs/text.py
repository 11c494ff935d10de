"""Text as UN reports write it: paragraphs from a textarea, and recommendation letters that run
on past z (aa, ab, …). Pure functions.
"""

from flask_babel import gettext as _

from app.errors import OutputError

MAX_PARAGRAPH = 20_000


MAX_PARAGRAPHS = 200


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def letter(index: int) -> str:
    """The letter of the index-th recommendation (0 → "a", 26 → "aa"), as UN reports run on."""
    if index < len(LETTERS):
        return LETTERS[index]
    return letter(index // len(LETTERS) - 1) + LETTERS[index % len(LETTERS)]


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a textarea: a blank line separates them; lines within one are joined."""
    paragraphs, current = [], []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def split_lines(text: str) -> list[str]:
    """Recommendations as people paste them from a word processor: one per line; blank lines
    between them change nothing (a single line break separates two, never merges them)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


def join_lines(items: list[str]) -> str:
    """The textarea form of recommendations: one per line."""
    return "\n".join(items)


def join_paragraphs(paragraphs: list[str]) -> str:
    """The textarea form of a list of paragraphs."""
    return "\n\n".join(paragraphs)


def check_paragraphs(paragraphs: list[str], field: str) -> list[str]:
    """Paragraphs with their inner spaces folded; an OutputError past the bounds."""
    cleaned = [" ".join(p.split()) for p in paragraphs if p and p.strip()]
    if len(cleaned) > MAX_PARAGRAPHS:
        raise OutputError(_("An output holds at most %(n)d paragraphs.", n=MAX_PARAGRAPHS), field)
    if any(len(p) > MAX_PARAGRAPH for p in cleaned):
        raise OutputError(_("A paragraph holds at most %(n)d characters.", n=MAX_PARAGRAPH), field)
    return cleaned

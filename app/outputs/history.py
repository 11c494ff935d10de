"""An output's history: what changed between two revisions, paragraph by paragraph."""

import difflib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.outputs.models import (
    OutputRevision,
)
from app.outputs.text import letter


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed", "header"
    text: str


def _as_lines(content: dict[str, Any]) -> list[str]:
    lines = [_("Summary of deliberations")]
    lines += [f"{n}. {t}" for n, t in enumerate(content.get("summary", []), start=1)]
    lines.append(_("Outcome of deliberations"))
    if content.get("not_negotiated", True):
        lines.append(_("(not negotiated by the participants)"))
    lines += [f"({letter(i)}) {t}" for i, t in enumerate(content.get("recommendations", []))]
    return lines


def diff_revisions(old: OutputRevision, new: OutputRevision) -> list[DiffLine]:
    """What changed between two revisions, paragraph by paragraph (plain text, never HTML)."""
    result = []
    for line in difflib.unified_diff(
        _as_lines(old.content), _as_lines(new.content), lineterm="", n=1000
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            continue
        kind = {"+": "added", "-": "removed"}.get(line[:1], "same")
        result.append(DiffLine(kind, line[1:]))
    return result

"""Every stylesheet Plenary serves parses whole: one unclosed brace silently drops every rule
after it (a merge once left `.symbol {` open, and the timetable editor lost its grid)."""

from pathlib import Path

import pytest
import tinycss2

STATIC = Path(__file__).resolve().parent.parent / "static"
OWN_SHEETS = sorted(p for p in STATIC.rglob("*.css") if "vendor" not in p.parts)
PDF_SHEETS = sorted((STATIC.parent / "templates").rglob("*.css"))


@pytest.mark.parametrize("sheet", OWN_SHEETS + PDF_SHEETS, ids=lambda p: p.name)
def test_every_rule_of_the_stylesheet_is_closed_and_parses(sheet):
    rules = tinycss2.parse_stylesheet(sheet.read_text(), skip_comments=True, skip_whitespace=True)
    errors = [rule for rule in rules if rule.type == "error"]
    assert errors == []
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()[:60]
        body = tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True
        )
        # Plenary writes no nested rules: a rule inside a rule means a brace above it is open.
        nested = [item for item in body if item.type != "declaration"]
        assert nested == [], f"{sheet.name}: the rule '{selector}' holds another rule"

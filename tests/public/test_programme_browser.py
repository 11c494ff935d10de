"""The public programme in Debian's Chromium: layout on a wide screen and a phone, axe-core."""

import os

import pytest

from app.extensions import db
from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the browser tests)
    browser,
    live_server,
    page,
    serious_accessibility_violations,
)

pytestmark = pytest.mark.browser


def _boxes(tab, titles):
    """Where each session's card is drawn."""
    return [
        tab.locator(
            "article.session-card", has=tab.get_by_role("link", name=t, exact=True)
        ).bounding_box()
        for t in titles
    ]


def test_parallel_sessions_side_by_side_then_stacked(page, live_server, conference):  # noqa: F811
    db.session.commit()
    titles = [s.title for s in conference["breakouts"]] + ["Design Thinking workshop"]
    page.goto(f"{live_server}/meetings/accpcj-2/programme")
    wide = _boxes(page, titles)
    # Same row, four different columns, left to right.
    assert len({round(box["y"]) for box in wide}) == 1
    assert [box["x"] for box in wide] == sorted(box["x"] for box in wide)
    assert len({round(box["x"]) for box in wide}) == 4
    page.set_viewport_size({"width": 360, "height": 800})
    narrow = _boxes(page, titles)
    assert len({round(box["x"]) for box in narrow}) == 1
    assert [box["y"] for box in narrow] == sorted(box["y"] for box in narrow)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.get_by_text("2nd TIJ Youth Forum ·").is_visible()
    if shots := os.environ.get("PLENARY_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/programme-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{shots}/programme-wide.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 360])
def test_public_pages_have_no_serious_accessibility_violation(
    page,  # noqa: F811
    live_server,  # noqa: F811
    conference,
    width,
):
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    urls = [
        "/meetings/accpcj-2/programme",
        f"/meetings/accpcj-2/sessions/{conference['breakouts'][0].id}",
        f"/meetings/accpcj-2/sessions/{conference['cancelled'].id}",
        "/meetings/accpcj-2/speakers",
        f"/meetings/accpcj-2/speakers/{conference['kittipong'].id}",
        "/meetings/accpcj-2/agenda",
    ]
    for url in urls:
        page.goto(live_server + url)
        assert serious_accessibility_violations(page) == [], url


def test_programme_prints_without_chrome(page, live_server, conference):  # noqa: F811
    db.session.commit()
    page.goto(f"{live_server}/meetings/accpcj-2/programme")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".day-tabs").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.get_by_role("heading", name="Programme").is_visible()
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.session-card__title a')).color"
    )
    assert colour == "rgb(0, 0, 0)"
    assert page.pdf(format="A4")[:4] == b"%PDF"

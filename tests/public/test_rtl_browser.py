"""Arabic and English at 390 px in Debian's Chromium: pages mirror, nothing runs off the
screen, no serious axe finding; and the Arabic programme photographed at 390 and 1280 px."""

import os

import pytest

from app.extensions import db
from app.meetings.models import RoleName
from app.registration.models import AttendanceCategory
from tests import factories
from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the browser tests)
    browser,
    live_server,
    page,
    serious_accessibility_violations,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PUBLIC = [
    "/meetings/accpcj-2/",
    "/meetings/accpcj-2/programme",
    "/meetings/accpcj-2/speakers",
    "/meetings/accpcj-2/agenda",
    "/meetings/accpcj-2/sessions/{opening}",
]
MANAGE = [
    "/meetings/accpcj-2/manage/",
    "/meetings/accpcj-2/manage/edit",
    "/meetings/accpcj-2/manage/sessions",
    "/meetings/accpcj-2/manage/sessions/{opening}/edit",
    "/meetings/accpcj-2/manage/registrations",
    "/meetings/accpcj-2/manage/rosters",
    "/meetings/accpcj-2/manage/attendance",
    "/meetings/accpcj-2/manage/timetable",
    "/meetings/accpcj-2/manage/agenda",
    "/meetings/accpcj-2/manage/documents",
]


@pytest.fixture
def arabic_meeting(conference, make_user, make_registration):
    meeting = conference["meeting"]
    meeting.content_languages = ["ar"]
    meeting.translations = {"ar": {"title": "مؤتمر آسيان الثاني"}}
    conference["opening"].translations = {"ar": {"title": "حفل الافتتاح"}}
    organiser = make_user("organiser@example.org", name="Olivia Organiser")
    factories.grant_role(meeting, organiser, RoleName.ORGANISER)
    for n, (name, delegation) in enumerate(
        [("Somchai Jaidee", "Thailand"), ("Nguyễn Văn An", "Viet Nam"), ("أحمد", "Egypt")]
    ):
        user = make_user(f"p{n}@example.org", name=name)
        make_registration(
            meeting, user, delegation=delegation, category=AttendanceCategory.MEMBER_STATE
        )
    db.session.commit()
    return conference


def _choose_language(tab, base: str, name: str) -> None:
    """The footer's picker, as a reader would use it."""
    tab.goto(f"{base}/")
    tab.get_by_label("Language").select_option(label=name)
    tab.locator(".language-picker button").click()
    tab.wait_for_load_state()


def _sign_in(tab, base: str) -> None:
    tab.goto(f"{base}/account/sign-in")
    tab.get_by_label("Email").fill("organiser@example.org")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()


@pytest.mark.parametrize(("language", "direction"), [("العربية", "rtl"), ("English", "ltr")])
def test_every_page_fits_390_px_with_no_serious_violation(
    page,  # noqa: F811
    live_server,  # noqa: F811
    arabic_meeting,
    language,
    direction,
):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server)
    _choose_language(page, live_server, language)
    opening = arabic_meeting["opening"].id
    for path in PUBLIC + MANAGE:
        url = live_server + path.format(opening=opening)
        response = page.goto(url)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.dir") == direction, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
        assert serious_accessibility_violations(page) == [], path


def test_the_arabic_programme_mirrors(page, live_server, arabic_meeting):  # noqa: F811
    _choose_language(page, live_server, "العربية")
    page.goto(f"{live_server}/meetings/accpcj-2/programme")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.get_by_text("مؤتمر آسيان الثاني").first.is_visible()
    assert page.get_by_role("link", name="حفل الافتتاح").is_visible()
    # Parallel sessions: the first track (the main conference) on the right, reading on leftwards.
    main = page.locator(
        "article.session-card", has=page.get_by_text("Breakout I: Culture of Prevention")
    )
    youth = page.locator("article.session-card", has=page.get_by_text("Design Thinking workshop"))
    assert main.bounding_box()["x"] > youth.bounding_box()["x"]
    # The card's text starts on the right.
    align = page.evaluate(
        "getComputedStyle(document.querySelector('.session-card__title')).textAlign"
    )
    assert align in ("start", "right")
    shots = os.environ.get("PLENARY_SCREENSHOTS")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if shots:
            page.screenshot(path=f"{shots}/programme-ar-{width}.png", full_page=True)


def test_symbols_and_names_never_read_backwards(page, live_server, arabic_meeting):  # noqa: F811
    from app.meetings import documents

    documents.create_document(
        arabic_meeting["meeting"],
        symbol="A/CONF.234/RPM.1/L.1",
        title="Draft report",
        agenda_item_id=None,
        issued_on=None,
        url="",
    )
    db.session.commit()
    _choose_language(page, live_server, "العربية")
    page.goto(f"{live_server}/meetings/accpcj-2/")
    symbol = page.get_by_text("A/CONF.234/RPM.1/L.1", exact=True)
    # Isolated (bdi, or an element of its own with dir="ltr"), so the slashes stay in order.
    isolated = symbol.evaluate(
        "e => !!e.closest('bdi, [dir=ltr]') || getComputedStyle(e).unicodeBidi.includes('isolate')"
    )
    assert isolated

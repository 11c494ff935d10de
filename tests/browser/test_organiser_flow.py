"""An organiser adds a session with a speaker to the demo meeting; the public programme shows it."""

from app.commands.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import serious_accessibility_violations

TITLE = "Side event: Digital evidence across borders"


def test_organiser_adds_a_session_with_a_speaker_and_the_programme_shows_it(live_server, page):
    load_demo(reset=False, echo=lambda *_: None)

    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill("organiser@plenary.demo")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "Signed in" in page.locator(".flashes").inner_text()

    page.goto(f"{live_server}/meetings/2nd-accpcj/manage/sessions/new")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind of session").select_option("panel_discussion")
    page.get_by_label("Track").select_option(label="Main conference")
    page.get_by_label("Day").select_option("2020-02-28")
    page.get_by_label("Starts at").fill("17:00")
    page.get_by_label("Ends at").fill("18:00")
    page.get_by_role("button", name="Save session").click()
    page.wait_for_load_state()
    assert "edit" in page.url, page.url

    # A new speaker, created from the session page and added as a panellist.
    page.get_by_text("Add someone new").click()
    new_person = page.locator(
        "form", has=page.get_by_role("button", name="Create and add to session")
    )
    new_person.get_by_label("Honorific").fill("Dr.")
    new_person.get_by_label("Name").fill("Nguyễn Văn Minh")
    new_person.get_by_label("Position").fill("Director-General")
    new_person.get_by_label("Organisation").fill("Ministry of Public Security, Viet Nam")
    new_person.get_by_label("Role").select_option("panellist")
    new_person.get_by_role("button", name="Create and add to session").click()
    page.wait_for_load_state()
    assert "Nguyễn Văn Minh" in page.content()

    page.goto(f"{live_server}/meetings/2nd-accpcj/programme")
    card = page.locator("article, li, div", has_text=TITLE).last
    assert TITLE in page.content()
    assert "Nguyễn Văn Minh" in card.inner_text()
    assert serious_accessibility_violations(page) == []
    page.screenshot(path="test-artifacts/programme-after-organiser.png", full_page=True)

    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert "Director-General, Ministry of Public Security, Viet Nam" in page.content()

"""Issue 12: an organiser builds the report's outline (a group heading, an output moved under
it, a paragraph after its recommendations), concludes the meeting, adopts and publishes the
report, and anyone downloads it from the public meeting page."""

import re
import subprocess

from app.commands.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from tests.browser.conftest import serious_accessibility_violations

BASE = f"/meetings/{DEMO_SLUG}"


def _sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _flash(page) -> str:
    flashes = page.locator(".flashes")
    flashes.wait_for(timeout=15_000)
    return flashes.inner_text()


def test_organiser_builds_the_outline_and_publishes_the_report(live_server, page, browser):
    from playwright.sync_api import expect

    load_demo(reset=False, echo=lambda *_: None)
    _sign_in(page, live_server, "organiser@plenary.demo")
    outline_url = f"{live_server}{BASE}/manage/report/outline"
    page.goto(outline_url)
    page.get_by_role("button", name="Change this outline").click()
    expect(page.get_by_text("The outline is yours to change")).to_be_visible(timeout=15_000)

    # A group heading after the Chair's general conclusions.
    page.get_by_label("What the part holds").select_option("heading")
    page.get_by_label("Place it after").select_option(label="The Chair's general conclusions")
    page.get_by_label("Heading level").select_option(label="Section (A., B., …)")
    page.get_by_label("Numbered").check()
    page.get_by_label("Heading", exact=True).fill("Substantive items and workshops")
    page.get_by_role("button", name="Add the part").click()
    assert "The part was added." in _flash(page)

    # Cluster I's output moves under it, by keyboard-operable select and button.
    row = page.locator("li.outline-part").filter(
        has=page.locator(".outline-part-text", has_text="Output: Cluster I: Culture")
    )
    row.get_by_label("Move after").select_option(label="A. Substantive items and workshops")
    row.get_by_role("button", name=re.compile(r"^Move")).click()
    assert "The part was moved." in _flash(page)

    # A free paragraph after its recommendations.
    page.get_by_label("What the part holds").select_option("text")
    page.get_by_label("Place it after").select_option(
        label="Output: Cluster I: Culture of Prevention"
    )
    page.get_by_label("Paragraphs").fill(
        "Member States were encouraged to include practitioners in their *delegations*."
    )
    page.get_by_role("button", name="Add the part").click()
    assert "The part was added." in _flash(page)
    texts = page.locator(".outline-part-text").all_inner_texts()
    at = next(i for i, t in enumerate(texts) if "Substantive items and workshops" in t)
    assert "Output: Cluster I: Culture" in texts[at + 1]
    assert "Member States were encouraged" in texts[at + 2]
    assert serious_accessibility_violations(page) == []

    # At 390 px the page fits: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(outline_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="test-artifacts/report-outline-390.png", full_page=False)

    # The organiser concludes the meeting (a question first), adopts and publishes the report.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}{BASE}/manage")
    page.get_by_role("button", name="Conclude the meeting").click()
    page.get_by_role("button", name="Yes, conclude it").click()
    assert "The meeting has concluded." in _flash(page)
    page.goto(outline_url)
    page.get_by_label("Adopted on").fill("2020-02-28")
    page.get_by_role("button", name="Record the adoption").click()
    assert "The day of adoption was recorded." in _flash(page)
    page.get_by_role("button", name="Publish the report").click()
    assert "The report is public" in _flash(page)

    # Anyone downloads it from the public meeting page.
    public = browser.new_context(locale="en-GB").new_page()
    public.goto(f"{live_server}{BASE}/")
    link = public.get_by_role("link", name="The report of the meeting (PDF)")
    expect(link).to_be_visible(timeout=15_000)
    response = public.request.get(f"{live_server}{BASE}/report.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    heading = text.rfind("A. Substantive items and workshops")
    # The output's recommendations come under the group heading, then the new paragraph.
    recommendations = text.find("(a)", heading)
    paragraph = text.find("Member States were encouraged to include practitioners", heading)
    assert 0 <= heading < recommendations < paragraph
    public.context.close()

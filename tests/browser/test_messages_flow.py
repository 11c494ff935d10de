"""An organiser writes to a group: previews it with its count, sends it, and finds every copy
on the outbox page; the pages pass axe and fit a phone."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registration.models import AttendanceCategory
from tests import factories
from tests.browser.conftest import serious_accessibility_violations

pytestmark = pytest.mark.browser


def test_an_organiser_previews_sends_and_sees_the_outbox(app, live_server, page):
    organiser = factories.make_user("org@example.org", name="Organiser")
    meeting = factories.make_meeting("messages", organiser=organiser)
    for n in range(3):
        factories.make_registration(
            meeting, factories.make_user(f"p{n}@example.org", name=f"สมชาย {n}")
        )
    factories.make_registration(
        meeting, factories.make_user("y@example.org"), category=AttendanceCategory.YOUTH
    )
    db.session.commit()
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Organiser.")).to_be_visible(timeout=15000)

    page.goto(f"{live_server}/meetings/messages/manage/messages/new")
    page.get_by_label("Subject").fill("Shuttle buses")
    page.get_by_label("Message").fill("Buses leave the hotel at 07:30.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("It goes to 4 participants.")).to_be_visible(timeout=15000)
    expect(page.get_by_text("Dear (the participant's name),")).to_be_visible(timeout=15000)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Youth forum participants only").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("It goes to 1 participant.")).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("The message is on its way to 1 participant.")).to_be_visible(
        timeout=15000
    )
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible(timeout=15000)
    expect(page.get_by_role("cell", name="y@example.org")).to_be_visible(timeout=15000)
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.screenshot(path="/tmp/outbox-390.png", full_page=True)

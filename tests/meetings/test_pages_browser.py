"""The meetings area's pages in Debian's Chromium: one h1, no serious axe finding, phone width."""

import pytest

from app.extensions import db
from app.meetings import agenda, documents, officers
from app.meetings.models import MeetingStatus, Office
from tests.browser.conftest import (  # noqa: F401  (fixtures shared with the browser tests)
    browser,
    live_server,
    page,
    serious_accessibility_violations,
)
from tests.factories import PASSWORD

PAGES = [
    "/",
    "/meetings/new",
    "/meetings/{slug}/",
    "/meetings/{slug}/manage/",
    "/meetings/{slug}/manage/edit",
    "/meetings/{slug}/manage/agenda",
    "/meetings/{slug}/manage/agenda/new",
    "/meetings/{slug}/manage/agenda/workshops/new",
    "/meetings/{slug}/manage/officers",
    "/meetings/{slug}/manage/officers/new",
    "/meetings/{slug}/manage/documents",
    "/meetings/{slug}/manage/documents/new",
    "/meetings/{slug}/manage/roles",
]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_meeting_pages_are_accessible_on_desktop_and_phone(
    page,  # noqa: F811
    live_server,  # noqa: F811
    make_user,
    make_meeting,
    make_person,
    make_agenda_item,
    width,
):
    organiser = make_user("organiser@example.org", name="Olivia Organiser")
    meeting = make_meeting(
        "2nd-accpcj",
        organiser=organiser,
        status=MeetingStatus.DRAFT,
        title="Second ASEAN Conference on Crime Prevention and Criminal Justice",
        theme="Towards a Culture of Prevention",
    )
    item = make_agenda_item(meeting, 5, "Crime prevention and criminal justice")
    make_agenda_item(meeting, 5, "Cybercrime", parent=item, letter="a")
    agenda.create_workshop(meeting, number=1, title="Youth", agenda_item_id=item.id)
    person = make_person(meeting, "Somchai", honorific="Mr.", country="Thailand")
    officers.create_officer(meeting, person_id=person.id, office=Office.CHAIR)
    documents.create_document(
        meeting,
        symbol="A/CONF.234/RPM.1/L.2 and Add.1-2",
        title="Draft report",
        agenda_item_id=item.id,
        issued_on=None,
        url="https://undocs.org/A/CONF.234/RPM.1/L.2",
    )
    db.session.commit()

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    for path in PAGES:
        page.goto(live_server + path.format(slug=meeting.slug))
        assert page.locator("h1").count() == 1, path
        assert serious_accessibility_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path

    # The details form with its errors shown next to the fields.
    page.goto(f"{live_server}/meetings/{meeting.slug}/manage/edit")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save the details").click()
    page.wait_for_load_state()
    assert page.locator("#timezone-error").is_visible()
    assert "Unknown time zone" in page.locator("#timezone-error").inner_text()
    assert serious_accessibility_violations(page) == []

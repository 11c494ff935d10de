"""A focal point follows the invitation link, nominates two members of the delegation, and the
organiser approves them in bulk (at 390 px wide, the registrations page with no error)."""

from datetime import date

from app.delegations import invitations
from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory
from app.delegations.window import save_window
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus
from tests import factories
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import PASSWORD


def _sign_in(page, live_server, email):
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_focal_point_nominates_two_members_and_the_organiser_approves_them_in_bulk(
    live_server, browser
):
    organiser = factories.make_user("secretariat@example.org", name="Secretariat")
    factories.make_user("focal@example.lb", name="Focal Point")
    meeting = factories.make_meeting(
        "rpm-browser", organiser=organiser, registration_needs_approval=True,
        first_day=date(2099, 3, 1), last_day=date(2099, 3, 2), title="Regional Meeting",
    )  # fmt: skip
    save_window(meeting, opens_on=None, closes_on=date(2099, 2, 20), members_per_delegation=5)
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    token = invitations.invite_focal_point(lebanon, "focal@example.lb")
    db.session.commit()

    focal = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = focal.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server, "focal@example.lb")
    page.goto(f"{live_server}/meetings/rpm-browser/focal-point/{token}")
    page.wait_for_load_state()
    assert "You are the focal point" in page.locator(".flashes").inner_text()
    assert serious_accessibility_violations(page) == []
    for role, honorific, name, position in (
        ("head", "Mr.", "Karim Haddad", "Ambassador"),
        ("adviser", "Ms.", "Rania Khoury", "Counsellor"),
    ):
        page.get_by_label("Role").select_option(role)
        page.get_by_label("Honorific").fill(honorific)
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Position").fill(position)
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        row = page.locator("tr", has_text=name)
        row.wait_for(state="visible", timeout=15_000)
        assert "Pending approval" in row.inner_text()
    page.screenshot(path="test-artifacts/focal-point-delegation.png", full_page=True)
    focal.close()

    organiser_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = organiser_context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server, "secretariat@example.org")
    response = page.goto(f"{live_server}/meetings/rpm-browser/manage/registrations")
    assert response.status == 200
    assert "Not a valid choice" not in page.content()
    # The page fits 390 px: nothing but the table's own scrolling region is wider.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Choose Karim Haddad").check()
    page.get_by_label("Choose Rania Khoury").check()
    page.get_by_label("Decision", exact=True).first.select_option("approved")
    page.get_by_label("Note to each person").fill("Welcome to the Regional Meeting.")
    page.get_by_role("button", name="Decide…").click()
    page.wait_for_load_state()
    assert "Approve 2 registrations?" in page.content()
    page.screenshot(path="test-artifacts/bulk-approve-question-390.png", full_page=True)
    page.get_by_role("button", name="Yes, Approve 2").click()
    page.wait_for_load_state()
    assert "2 registrations: Approved." in page.locator(".flashes").inner_text()
    page.screenshot(path="test-artifacts/registrations-390.png", full_page=True)
    # The organiser's new pages fit 390 px and pass axe too.
    for path in (
        "manage/delegations",
        f"delegations/{lebanon.id}/",
        "manage/delegations/import",
        "manage/list-of-participants",
        "manage/registration-window",
    ):
        response = page.goto(f"{live_server}/meetings/rpm-browser/{path}")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert serious_accessibility_violations(page) == [], path
    page.goto(f"{live_server}/meetings/rpm-browser/manage/delegations")
    page.screenshot(path="test-artifacts/delegations-390.png", full_page=True)
    organiser_context.close()

    db.session.expire_all()
    statuses = [
        r.status for r in db.session.query(Registration).filter_by(delegation_id=lebanon.id)
    ]
    assert statuses == [RegistrationStatus.APPROVED] * 2

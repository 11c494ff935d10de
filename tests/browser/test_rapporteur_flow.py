"""A rapporteur drafts and submits; the Chair returns it; it is revised, resubmitted, approved;
the Chair issues the Chair's Summary and its PDF downloads from the public meeting page."""

import sqlalchemy as sa

from app.commands.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from app.extensions import db
from app.meetings.models import Meeting
from app.outputs import queries, workflow
from app.programme.models import AgendaSession, SessionKind
from tests.browser.conftest import serious_accessibility_violations

BASE = f"/meetings/{DEMO_SLUG}"


def _sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "Signed in" in page.locator(".flashes").inner_text()


def test_rapporteur_chair_review_and_issued_pdf(live_server, page):
    load_demo(reset=False, echo=lambda *_: None)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == DEMO_SLUG))
    discussion = db.session.scalars(
        sa.select(AgendaSession)
        .where(
            AgendaSession.meeting_id == meeting.id,
            AgendaSession.kind == SessionKind.OPEN_DISCUSSION,
        )
        .order_by(AgendaSession.starts_at)
    ).first()
    rapporteur = next(
        u for u in queries.rapporteurs(meeting) if u.email == "rapporteur@plenary.demo"
    )
    output = workflow.assign_rapporteur(
        meeting, target=f"session-{discussion.id}", rapporteur_id=rapporteur.id
    )
    db.session.commit()
    output_url = f"{live_server}{BASE}/outputs/{output.id}/"

    # The rapporteur drafts and submits.
    _sign_in(page, live_server, "rapporteur@plenary.demo")
    page.goto(f"{live_server}{BASE}/outputs/mine")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=discussion.title).first.click()
    page.get_by_role("link", name="Edit the text").click()
    page.get_by_label("Summary of deliberations").fill(
        "Participants discussed the panel's findings.\n\nนายสมชาย ใจดี spoke for the youth."
    )
    page.get_by_label("Outcome of deliberations: recommendations").fill(
        "Strengthen regional cooperation"
    )
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved as revision 1." in page.content()
    page.get_by_role("button", name="Submit to the Chair").click()
    page.wait_for_load_state()
    assert "Submitted to the Chair." in page.content()

    # The Chair returns it with a comment.
    _sign_in(page, live_server, "chair@plenary.demo")
    page.goto(output_url)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Comments for the rapporteur").fill("Please add a second recommendation.")
    page.get_by_role("button", name="Return to the rapporteur").click()
    page.wait_for_load_state()
    assert "Returned to the rapporteur" in page.content()

    # The rapporteur revises and resubmits.
    _sign_in(page, live_server, "rapporteur@plenary.demo")
    page.goto(output_url)
    assert "Please add a second recommendation." in page.content()
    page.get_by_role("link", name="Edit the text").click()
    page.get_by_label("Outcome of deliberations: recommendations").fill(
        "Strengthen regional cooperation\n\nShare electronic evidence faster"
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Resubmit to the Chair").click()
    page.wait_for_load_state()
    assert "Resubmitted" in page.content()

    # The Chair approves and issues the summary.
    _sign_in(page, live_server, "chair@plenary.demo")
    page.goto(output_url)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "Approved" in page.content()
    page.goto(f"{live_server}{BASE}/manage/chairs-summary")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Issue the Chair's Summary").click()
    # Issuing is irreversible: a page says what will happen, and asks.
    assert "Issue the Chair's Summary?" in page.content()
    page.get_by_role("button", name="Yes, issue it").click()
    page.wait_for_load_state()
    assert "Issued as version 2" in page.content()

    # Anyone downloads it from the public meeting page.
    page.context.clear_cookies()
    page.goto(f"{live_server}{BASE}/")
    link = page.get_by_role("link", name="Chair's Summary, version 2 (PDF)")
    response = page.request.get(f"{live_server}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.body()[:4] == b"%PDF"
    assert serious_accessibility_violations(page) == []

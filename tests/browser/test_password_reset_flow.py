"""A person who forgot their password gets back in: the link arrives by real SMTP, opens in
the browser, sets a new password, and works only once."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.mail import delivery
from tests import factories
from tests.browser.conftest import serious_accessibility_violations
from tests.mail.conftest import mail_server_for

pytestmark = pytest.mark.browser

NEW_PASSWORD = "violet harbour lantern sixteen"


def test_a_forgotten_password_is_reset_through_the_mailed_link(app, live_server, page):
    factories.make_user("ana@example.org", name="Ana Reyes")
    db.session.commit()
    with mail_server_for(app) as server:
        page.goto(f"{live_server}/account/sign-in")
        page.get_by_role("link", name="Forgotten your password?").click()
        expect(page.get_by_role("heading", name="Forgotten password")).to_be_visible(timeout=15000)
        assert serious_accessibility_violations(page) == []
        page.get_by_label("Email").fill("ana@example.org")
        page.get_by_role("button", name="Send me a link").click()
        expect(page.get_by_text("If an account has the address ana@example.org")).to_be_visible(
            timeout=15000
        )
        # The worker's pass: the message goes through the SMTP server on 127.0.0.1.
        assert delivery.deliver_due().sent == 1
        [message] = server.to("ana@example.org")
        link = re.search(r"http://\S+/account/reset-password/\S+", server.text_of(message))[0]
    path = link.split("/account/", 1)[1]
    page.goto(f"{live_server}/account/{path}")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible(timeout=15000)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible(timeout=15000)
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Ana Reyes.")).to_be_visible(timeout=15000)
    # The same link again: used already.
    page.goto(f"{live_server}/account/{path}")
    expect(page.get_by_text("This link has been used already")).to_be_visible(timeout=15000)

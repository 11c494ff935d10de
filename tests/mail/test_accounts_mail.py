"""Getting back into an account: a signed, single-use, expiring reset link; an unknown address
answered like a known one; the owner told when the password or the address changes."""

import re

import sqlalchemy as sa

from app.auth import recovery
from app.auth.models import User
from app.extensions import db
from app.mail import delivery
from app.mail.models import OutboxMessage

NEW_PASSWORD = "violet harbour lantern sixteen"


def _reset_link(smtp_server, address) -> str:
    delivery.deliver_due()
    [message] = smtp_server.to(address)
    return re.search(r"http://\S+/account/reset-password/\S+", smtp_server.text_of(message))[0]


def test_a_reset_link_sets_a_new_password_once(client, post_form, make_user, smtp_server):
    make_user("ana@example.org", name="Ana")
    db.session.commit()
    answer = post_form("/account/forgot-password", {"email": "ana@example.org"})
    assert answer.status_code == 302
    link = _reset_link(smtp_server, "ana@example.org")
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    done = post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/account/sign-in")
    user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert user.email_confirmed_at is not None
    # The owner is told, and the link does not work twice.
    delivery.deliver_due()
    assert any("changed" in m["Subject"] for m in smtp_server.to("ana@example.org"))
    again = client.get(path, follow_redirects=True)
    assert "used already" in again.get_data(as_text=True)
    refused = post_form(path, {"password": "another fine password 77", "confirm": "x"})
    assert refused.status_code == 302
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_an_unknown_address_is_answered_like_a_known_one(client, post_form, make_user):
    make_user("ana@example.org")
    db.session.commit()
    known = post_form("/account/forgot-password", {"email": "ana@example.org"})
    unknown = post_form("/account/forgot-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page_known = client.get("/account/sign-in").get_data(as_text=True)
    assert "If an account has the address" in page_known
    post_form("/account/forgot-password", {"email": "nobody@example.org"})
    page_unknown = client.get("/account/sign-in").get_data(as_text=True)
    assert "If an account has the address nobody@example.org" in page_unknown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_a_forged_or_expired_link_says_so(app, client, make_user):
    user = make_user("ana@example.org")
    db.session.commit()
    token = recovery.reset_token(user)
    forged = client.get(f"/account/reset-password/{token[:-3]}xyz", follow_redirects=True)
    assert "not valid" in forged.get_data(as_text=True)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        expired = client.get(f"/account/reset-password/{token}", follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "expired" in expired.get_data(as_text=True)


def test_a_weak_new_password_is_refused_beside_the_field(client, post_form, make_user):
    user = make_user("ana@example.org")
    db.session.commit()
    path = f"/account/reset-password/{recovery.reset_token(user)}"
    page = post_form(path, {"password": "password123", "confirm": "password123"})
    assert page.status_code == 200
    assert "too easy to guess" in page.get_data(as_text=True)


def test_the_forgot_form_is_throttled(client, post_form, make_user):
    statuses = [
        post_form("/account/forgot-password", {"email": "ana@example.org"}).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [302] * 5 and statuses[-1] == 429


def test_a_new_account_gets_a_confirmation_link(client, post_form, smtp_server):
    post_form(
        "/account/new",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    delivery.deliver_due()
    [message] = smtp_server.to("ana@example.org")
    link = re.search(r"http://\S+/account/confirm/\S+", smtp_server.text_of(message))[0]
    client.get(link.split("localhost", 1)[1])
    user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    assert user.email_confirmed_at is not None


def test_changing_the_address_tells_the_old_one(client, sign_in, post_form, make_user, smtp_server):
    from tests.factories import PASSWORD

    user = make_user("ana@example.org")
    db.session.commit()
    sign_in(user)
    answer = post_form("/account/email", {"email": "ana@new.example.org", "password": PASSWORD})
    assert answer.status_code == 302
    delivery.deliver_due()
    assert smtp_server.to("ana@example.org") and smtp_server.to("ana@new.example.org")
    wrong = post_form("/account/email", {"email": "x@example.org", "password": "wrong"})
    assert "not your current password" in wrong.get_data(as_text=True)

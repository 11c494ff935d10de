"""Accounts: creating, signing in, CSRF, and the create-admin command."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import authenticate, create_user
from app.errors import AccountError
from app.extensions import db
from tests.factories import PASSWORD


def test_create_user_hashes_the_password_and_lowercases_email():
    user = create_user("Ana@Example.ORG", "Ana", "tamarind kettle orbit")
    assert user.email == "ana@example.org"
    assert "tamarind kettle orbit" not in user.password_hash
    assert authenticate("ANA@example.org", "tamarind kettle orbit") == user
    assert authenticate("ana@example.org", "wrong password!") is None


def test_create_user_refuses_a_taken_email_and_short_password(make_user):
    make_user("taken@example.org")
    with pytest.raises(AccountError):
        create_user("taken@example.org", "B", "tamarind kettle orbit")
    with pytest.raises(AccountError):
        create_user("new@example.org", "B", "short")


def test_sign_in_with_the_form(client, make_user, post_form):
    user = make_user("chair@example.org", name="Chair Person")
    db.session.commit()
    response = post_form("/account/sign-in", {"email": "chair@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Chair Person" in client.get("/").get_data(as_text=True)
    assert user.id


def test_wrong_password_is_refused_next_to_the_field(client, make_user, post_form):
    make_user("chair@example.org")
    db.session.commit()
    response = post_form("/account/sign-in", {"email": "chair@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "The email address or the password is not right." in response.get_data(as_text=True)


def test_a_form_without_csrf_token_is_refused_with_a_clear_page(client):
    response = client.post(
        "/account/new",
        data={
            "name": "X",
            "email": "x@example.org",
            "password": "tamarind kettle orbit",
            "confirm": "tamarind kettle orbit",
        },
    )
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_sign_in_does_not_follow_a_foreign_next(client, make_user, post_form):
    make_user("chair@example.org")
    db.session.commit()
    response = post_form(
        "/account/sign-in?next=//evil.example/",
        {"email": "chair@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_create_admin_command_makes_a_site_administrator(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "admin@example.org", "--password", "tamarind kettle orbit"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert user.is_admin


def test_create_admin_refuses_a_short_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "admin@example.org", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output

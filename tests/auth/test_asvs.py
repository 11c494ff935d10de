"""Authentication to OWASP ASVS level 2: server-side sessions, throttled password checks,
strong passwords, the same cost for known and unknown addresses, and security headers."""

import pytest
from sqlalchemy import func, select

from app.auth import services as account_rules
from app.auth.models import AccountSession, User
from app.auth.passwords import check_password
from app.errors import AccountError
from app.extensions import db, limiter
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_throttle():
    limiter.reset()
    yield
    limiter.reset()


def _sign_in_form(post_form, email, password, test_client=None, **extra):
    data = {"email": email, "password": password, **extra}
    return post_form("/account/sign-in", data, test_client=test_client)


def _signed_in(page) -> bool:
    """The page's header names a signed-in account (not merely a flashed message)."""
    return 'class="site-nav__user"' in page.get_data(as_text=True)


def test_a_cookie_captured_before_sign_out_no_longer_works(client, make_user, post_form):
    make_user("chair@example.org", name="Chair Person")
    db.session.commit()
    assert _sign_in_form(post_form, "chair@example.org", PASSWORD).status_code == 302
    assert _signed_in(client.get("/"))
    captured = client.get_cookie("session").value
    post_form("/account/sign-out")
    assert not _signed_in(client.get("/"))
    # Someone who kept the cookie from before sign-out sends it again: nobody is signed in.
    client.set_cookie("session", captured)
    assert not _signed_in(client.get("/"))
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 0


def test_sign_out_everywhere_revokes_remembered_sessions(app, client, make_user, post_form):
    make_user("chair@example.org", name="Chair Person")
    db.session.commit()
    other = app.test_client()
    _sign_in_form(post_form, "chair@example.org", PASSWORD, remember="y")
    remember_cookie = client.get_cookie("remember_token")
    assert remember_cookie is not None
    _sign_in_form(post_form, "chair@example.org", PASSWORD, test_client=other)
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 2
    page = client.get("/account/").get_data(as_text=True)
    assert "Where you are signed in" in page
    post_form("/account/sign-out-everywhere", {})
    assert db.session.scalar(select(func.count()).select_from(AccountSession)) == 0
    assert not _signed_in(other.get("/"))
    # A new browser holding only the old "remember me" cookie is not let in either.
    stranger = app.test_client()
    stranger.set_cookie("remember_token", remember_cookie.value)
    assert not _signed_in(stranger.get("/"))


def test_wrong_passwords_are_throttled_per_account(client, make_user, post_form):
    make_user("chair@example.org")
    db.session.commit()
    for _ in range(10):
        assert _sign_in_form(post_form, "chair@example.org", "wrong guess!").status_code == 200
    stopped = _sign_in_form(post_form, "chair@example.org", PASSWORD)
    assert stopped.status_code == 429
    assert "Retry-After" in stopped.headers
    assert "Too many attempts" in stopped.get_data(as_text=True)


def test_wrong_passwords_are_throttled_per_address(client, make_user, post_form):
    for n in range(30):
        response = _sign_in_form(post_form, f"nobody{n}@example.org", "wrong guess!")
        assert response.status_code == 200
    assert _sign_in_form(post_form, "another@example.org", "wrong guess!").status_code == 429


def test_successful_sign_ins_are_never_throttled(client, make_user, post_form):
    make_user("chair@example.org")
    db.session.commit()
    for _ in range(15):
        assert _sign_in_form(post_form, "chair@example.org", PASSWORD).status_code == 302
        post_form("/account/sign-out")


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "qwertyuiop",
        "iloveyou2020",
        "ana.lopez@example.org",
        "ana.lopez-2020!",
        "short",
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(AccountError) as refused:
        check_password(password, email="ana.lopez@example.org", name="Ana Lopez")
    assert refused.value.field == "password"


def test_the_account_form_refuses_a_common_password(client, post_form):
    response = post_form(
        "/account/new",
        {"name": "Ana", "email": "ana@example.org", "password": "password123",
         "confirm": "password123"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_unknown_address_costs_a_password_check_too(make_user, monkeypatch):
    make_user("chair@example.org")
    checks = []
    real = account_rules.check_password_hash
    monkeypatch.setattr(
        account_rules, "check_password_hash", lambda *args: checks.append(1) or real(*args)
    )
    assert account_rules.authenticate("nobody@example.org", "anything at all") is None
    assert checks == [1]


def test_every_answer_carries_the_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_production_sends_hsts(monkeypatch):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PLENARY_HOSTS", "localhost")
    app = create_app(ProductionConfig)
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_refuses_a_host_of_the_caller_s_choosing(monkeypatch):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv("PLENARY_HOSTS", raising=False)
    with pytest.raises(RuntimeError, match="PLENARY_HOSTS"):
        create_app(ProductionConfig)
    monkeypatch.setenv("PLENARY_HOSTS", "plenary.example.org")
    app = create_app(ProductionConfig)
    with app.app_context():
        client = app.test_client()
        assert client.get("/healthz", base_url="https://plenary.example.org").status_code == 200
        assert client.get("/healthz", base_url="https://evil.example").status_code == 400


def test_processes_share_the_throttle_through_redis(monkeypatch):
    """Two app processes on one Redis store: failures on one count on the other."""
    import redis

    from app import create_app
    from config import TestingConfig
    from tests.conftest import skip_or_fail

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail(f"no Redis at {url}")
    redis.Redis.from_url(url).flushdb()
    monkeypatch.setenv("PLENARY_RATELIMIT_STORAGE", url)
    apps = [create_app(TestingConfig), create_app(TestingConfig)]
    statuses = []
    try:
        for n in range(11):
            application = apps[n % 2]
            # The throttle is the subject here, not the CSRF token.
            application.config["WTF_CSRF_ENABLED"] = False
            with application.app_context():
                response = application.test_client().post(
                    "/account/sign-in",
                    data={"email": "shared@example.org", "password": "wrong guess!"},
                )
                statuses.append(response.status_code)
    finally:
        redis.Redis.from_url(url).flushdb()
    assert statuses == [200] * 10 + [429]

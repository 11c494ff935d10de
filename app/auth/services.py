"""Account rules: creating accounts, checking passwords, who may create meetings."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import User
from app.auth.passwords import check_password
from app.errors import AccountError
from app.extensions import db

# Checked against when the address is unknown, so that signing in costs the same whether an
# account exists or not (a timing difference would tell an attacker which addresses exist).
_UNKNOWN_ACCOUNT_HASH = generate_password_hash("no account has this password, ever")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    """A new account; refuses a taken email or a weak password."""
    email = normalise_email(email)
    check_password(password, email=email, name=name or "")
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(_("An account with this email address exists already."), "email")
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None (the same for unknown email or bad password,
    in the same time: an unknown address still costs one password check)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_UNKNOWN_ACCOUNT_HASH, password)
        return None
    if not user.check_password(password):
        return None
    return user


def may_create_meetings(user) -> bool:
    """Whether an account may create meetings: site administrators and the accounts they
    named; every signed-in account where the site is open (PLENARY_OPEN_MEETING_CREATION)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if current_app.config.get("PLENARY_OPEN_MEETING_CREATION"):
        return True
    return bool(user.is_admin or user.can_create_meetings)

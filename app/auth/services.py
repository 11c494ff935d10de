"""Account rules: creating accounts, checking passwords, making administrators."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.errors import AccountError
from app.extensions import db

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    """A new account; refuses a taken email or a short password."""
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            "password",
        )
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(_("An account with this email address exists already."), "email")
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None (the same for unknown email or bad password)."""
    user = find_user(email)
    if user is None or not user.check_password(password):
        return None
    return user

"""Getting back into an account and proving an address: signed links, and the changes they
allow. The messages themselves are written by the mail area through hooks (app/hooks.py:
`password_reset_requested`, `email_confirmation_needed`, `password_changed`, `email_changed`),
in the same transaction as the change.

A reset link is signed (itsdangerous), expires (PASSWORD_RESET_MAX_AGE) and works once: it
carries a digest of the password hash it was made for, so any change of the password, the
reset itself included, ends every link made before.
"""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User
from app.auth.passwords import check_password
from app.auth.services import find_user, normalise_email
from app.auth.sessions import close_all_sessions
from app.errors import AccountError
from app.extensions import db
from app.hooks import hook
from app.models_base import utcnow

_RESET_SALT = "plenary-password-reset"
_CONFIRM_SALT = "plenary-confirm-email"


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def reset_token(user: User) -> str:
    return _signer(_RESET_SALT).dumps({"u": user.id, "p": _digest(user.password_hash)})


def request_reset(email: str) -> None:
    """Someone asks to reset the password of an address: a link goes to it if an account has
    it, nothing otherwise; the caller answers the same either way."""
    user = find_user(email)
    if user is not None:
        hook("password_reset_requested", user, reset_token(user))


def user_for_reset(token: str) -> User:
    """The account a reset link is for; an AccountError saying why the link does not work."""
    try:
        data = _signer(_RESET_SALT).loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except SignatureExpired:
        raise AccountError(
            _("This link has expired. Ask for a new one below; it works for an hour.")
        ) from None
    except BadSignature:
        raise AccountError(_("This link is not valid. Ask for a new one below.")) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not isinstance(data.get("u"), int):
        raise AccountError(_("This link is not valid. Ask for a new one below."))
    if data.get("p") != _digest(user.password_hash):
        raise AccountError(
            _(
                "This link has been used already, or the password changed since it was sent. "
                "Ask for a new one below."
            )
        )
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link: every session ends, every older link too."""
    user = user_for_reset(token)
    check_password(password, email=user.email, name=user.name)
    user.set_password(password)
    # The link went to the address: it is the owner's.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    close_all_sessions(user)
    hook("password_changed", user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """The owner changes the password; the address is told."""
    if not user.check_password(current):
        raise AccountError(_("This is not your current password."), "current")
    check_password(new, email=user.email, name=user.name)
    user.set_password(new)
    hook("password_changed", user)
    db.session.flush()


def change_email(user: User, password: str, new_email: str) -> None:
    """The owner moves the account to another address: the old one is told, the new one is
    asked to confirm."""
    if not user.check_password(password):
        raise AccountError(_("This is not your current password."), "password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("This is your address already."), "email")
    if find_user(new_email) is not None:
        raise AccountError(_("An account with this email address exists already."), "email")
    old = user.email
    user.email = new_email
    user.email_confirmed_at = None
    db.session.flush()
    hook("email_changed", user, old)
    hook("email_confirmation_needed", user, confirm_token(user))


def confirm_token(user: User) -> str:
    return _signer(_CONFIRM_SALT).dumps({"u": user.id, "e": _digest(user.email)})


def ask_to_confirm(user: User) -> None:
    """Send (again) the link that proves the address."""
    if user.email_confirmed_at is not None:
        raise AccountError(_("Your address is confirmed already."))
    hook("email_confirmation_needed", user, confirm_token(user))


def confirm_email(token: str) -> User:
    """Mark the address a confirmation link was sent to as the owner's."""
    try:
        data = _signer(_CONFIRM_SALT).loads(
            token, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"]
        )
    except SignatureExpired:
        raise AccountError(
            _("This link has expired. Sign in and ask for a new one on your account page.")
        ) from None
    except BadSignature:
        raise AccountError(_("This link is not valid.")) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or data.get("e") != _digest(user.email):
        raise AccountError(_("This link is not valid for the account's present address."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user

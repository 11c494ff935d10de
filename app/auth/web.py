"""What every page that checks a password uses, in any area: the throttle, and signing a
browser in to a new server-side session (the sign-in page and the draft-rescue form)."""

from flask import request
from flask_login import login_user

from app.auth.models import User
from app.auth.services import normalise_email
from app.auth.sessions import open_session
from app.extensions import limiter

# Failed password checks allowed before the throttle answers 429 for a while.
PER_ACCOUNT = "10 per 15 minutes"
PER_ADDRESS = "30 per 15 minutes;100 per day"


def account_key() -> str:
    """The throttle's key for the account a form names (its e-mail address)."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def failed(response) -> bool:
    """A password check that let no one in: the form came back instead of a redirect (the
    rescue form answers 401 to a wrong password and 200 once signed in again)."""
    return response.status_code == 401 or (
        response.status_code == 200 and request.endpoint == "auth.sign_in"
    )


def throttled(view):
    """Throttle a view that checks a password, per account and per address: only failures
    count, so a person who signs in is never slowed, and a guesser is stopped after a few."""
    per_account = limiter.limit(
        PER_ACCOUNT, key_func=account_key, methods=["POST"], deduct_when=failed
    )
    per_address = limiter.limit(PER_ADDRESS, methods=["POST"], deduct_when=failed)
    return per_address(per_account(view))


def sign_in_as(user: User, *, remember: bool = False) -> None:
    """Open a server-side session for the account and sign this browser into it."""
    open_session(user, remember=remember, user_agent=request.headers.get("User-Agent", ""))
    login_user(user, remember=remember)


# Reset links asked for: per address asked about, and per client address.
RESET_PER_ACCOUNT = "5 per hour"
RESET_PER_ADDRESS = "20 per hour"


def reset_throttled(view):
    """Throttle the forgotten-password form and the reset page: every POST counts, so no one
    floods an address with links or tries reset tokens by the thousand."""
    per_account = limiter.limit(RESET_PER_ACCOUNT, key_func=account_key, methods=["POST"])
    per_address = limiter.limit(RESET_PER_ADDRESS, methods=["POST"])
    return per_address(per_account(view))


def reset_page_throttled(view):
    """The page a reset link opens: per client address (the form names no account)."""
    return limiter.limit(RESET_PER_ADDRESS, methods=["POST"])(view)

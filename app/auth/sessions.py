"""Signed-in sessions kept on the server: opened at sign-in, found on every request, closed
at sign-out (one browser) or everywhere (every browser, remembered ones included).

The browser's cookies carry a random token; the database keeps its SHA-256 and an expiry, so a
stolen database gives no usable token, and a cookie captured before sign-out opens nothing.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import select

from app.auth.models import AccountSession, User
from app.extensions import db
from app.models_base import utcnow

# A session ends this long after sign-in, or after REMEMBER when the person asked to be kept
# signed in on that browser; either way they then sign in again (ASVS 3.3).
SESSION_LENGTH = timedelta(hours=12)
REMEMBER_LENGTH = timedelta(days=30)
# At most this many sessions an account keeps: the oldest go first.
MAX_SESSIONS_PER_ACCOUNT = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, *, remember: bool = False, user_agent: str = "") -> str:
    """A new signed-in session for the account; its token (to give Flask-Login) is returned
    and set on the user object, whose get_id() the cookies will carry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AccountSession(
            user_id=user.id,
            token_hash=_digest(token),
            remember=remember,
            created_at=now,
            expires_at=now + (REMEMBER_LENGTH if remember else SESSION_LENGTH),
            user_agent=(user_agent or "")[:200],
        )
    )
    db.session.flush()
    _forget_the_oldest(user)
    user.session_token = token
    return token


def _forget_the_oldest(user: User) -> None:
    keep = (
        select(AccountSession.id)
        .where(AccountSession.user_id == user.id)
        .order_by(AccountSession.created_at.desc(), AccountSession.id.desc())
        .limit(MAX_SESSIONS_PER_ACCOUNT)
    )
    db.session.execute(
        sa.delete(AccountSession).where(
            AccountSession.user_id == user.id, AccountSession.id.not_in(keep)
        )
    )


def user_for_token(token: str | None) -> User | None:
    """The account a live session token belongs to (one query), or None."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(
        select(User)
        .join(AccountSession, AccountSession.user_id == User.id)
        .where(AccountSession.token_hash == _digest(token), AccountSession.expires_at > utcnow())
    )
    if user is not None:
        user.session_token = token
    return user


def close_session(token: str | None) -> None:
    """End one session (this browser's): its cookies open nothing from now on."""
    if token:
        db.session.execute(
            sa.delete(AccountSession).where(AccountSession.token_hash == _digest(token))
        )


def close_all_sessions(user: User, *, except_token: str | None = None) -> int:
    """End every session of the account (every browser), but `except_token`'s; how many."""
    query = sa.delete(AccountSession).where(AccountSession.user_id == user.id)
    if except_token:
        query = query.where(AccountSession.token_hash != _digest(except_token))
    return db.session.execute(query).rowcount


def sessions_of(user: User) -> list[AccountSession]:
    """The account's live sessions, newest first (what its account page lists)."""
    return list(
        db.session.scalars(
            select(AccountSession)
            .where(AccountSession.user_id == user.id, AccountSession.expires_at > utcnow())
            .order_by(AccountSession.created_at.desc())
        )
    )

"""Accounts: people who sign in, and their signed-in sessions. Roles live with the meeting."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.models_base import Base, UTCDateTime, utcnow


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # May create meetings (when the site does not let every account do so): named by an admin.
    can_create_meetings: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language mail and pages use for this person (a code of app/i18n.py), None: not chosen.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # When the owner proved the address is theirs (the link in the confirmation e-mail).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kinds of non-essential notices the person turned off, space-separated
    # (app/mail/notices.py names them).
    notices_off: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lower_case"),)

    def wants(self, kind: str) -> bool:
        """Whether the person gets non-essential notices of this kind."""
        return kind not in (self.notices_off or "").split()

    # The token of the signed-in session this object was loaded through (not a column):
    # Flask-Login keeps it in the session cookie and the "remember me" cookie as the user's id.
    session_token = None

    def get_id(self) -> str:
        """What the cookies carry: the session's token, never the account's own id, so that
        signing out on the server ends the session whatever cookie anyone kept."""
        if not self.session_token:
            raise RuntimeError("sign in through app.auth.sessions.open_session")
        return self.session_token

    # Flask-Login's UserMixin compares accounts by get_id(), which is now a session's token;
    # an account is the same account whatever session it came through: compare as objects
    # (the session's identity map gives one object per row).
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AccountSession(Base):
    """One signed-in session of an account (a browser), kept on the server.

    The cookie holds a random token; the database holds only its SHA-256. Signing out deletes
    the row, so a cookie captured before sign-out no longer works; "sign out everywhere"
    deletes every row of the account, remembered sessions included.
    """

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User] = relationship()

    __table_args__ = (sa.Index("ix_account_sessions_user_id", "user_id"),)

"""Settings for development, testing and production, read from the environment."""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _sqlite_url(name: str) -> str:
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / name}"


def _development_secret_key() -> str:
    """Generate a secret key once and keep it under instance/, so sessions survive restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """SQLAlchemy wants a driver name: postgres:// and postgresql:// become psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Where documents' uploaded files live (default: instance/documents).
    PLENARY_DOCUMENTS_DIR = os.environ.get("PLENARY_DOCUMENTS_DIR") or None
    WTF_CSRF_TIME_LIMIT = None  # a long drafting session must not lose its form to a CSRF expiry
    BABEL_DEFAULT_LOCALE = "en_GB"  # UN style dates: "Thursday, 27 February 2020"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The languages the interface is translated into (app/i18n.py; catalogues in app/translations).
    LANGUAGES = ["en_GB", "fr", "es", "ru", "zh", "ar", "th"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    SITE_NAME = "Plenary"
    # Session cookies live as long as the browser; a remembered session 30 days (and the
    # server ends either, app/auth/sessions.py).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_SAMESITE = "Lax"

    @property
    def RATELIMIT_STORAGE_URI(self) -> str:  # noqa: N802
        """Where the sign-in throttle counts: memory (one process), or Redis so that every
        process of a deployment shares it, e.g. redis://127.0.0.1:6379/0."""
        return os.environ.get("PLENARY_RATELIMIT_STORAGE") or "memory://"

    @property
    def PLENARY_OPEN_MEETING_CREATION(self) -> bool:  # noqa: N802
        """Every account may create meetings (a trial installation); otherwise site
        administrators and the accounts they name (flask --app wsgi allow-meetings EMAIL)."""
        return os.environ.get("PLENARY_OPEN_MEETING_CREATION", "") in ("1", "true", "yes")

    # E-mail (app/mail): SMTP from the environment; without MAIL_SERVER messages are printed
    # to the terminal (and listed on the outbox page) instead of sent.
    MAIL_RETRY_SECONDS = 60  # the first wait after a refusal, doubling each time (6 h at most)
    MAIL_MAX_ATTEMPTS = 12  # then the message is marked failed, with the server's last answer
    MAIL_TIMEOUT = 30
    MAIL_WORKER_INTERVAL = 2.0  # seconds the worker waits when there is nothing to do
    # The dev server delivers from a thread of its own (no second terminal); the worker does
    # it in production (README).
    MAIL_BACKGROUND_DELIVERY = False
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link works
    EMAIL_CONFIRM_MAX_AGE = 7 * 24 * 3600

    @property
    def MAIL_SERVER(self) -> str | None:  # noqa: N802
        return os.environ.get("MAIL_SERVER") or None

    @property
    def MAIL_PORT(self) -> int:  # noqa: N802
        return int(os.environ.get("MAIL_PORT") or 25)

    @property
    def MAIL_USERNAME(self) -> str | None:  # noqa: N802
        return os.environ.get("MAIL_USERNAME") or None

    @property
    def MAIL_PASSWORD(self) -> str | None:  # noqa: N802
        return os.environ.get("MAIL_PASSWORD") or None

    @property
    def MAIL_USE_TLS(self) -> bool:  # noqa: N802
        return os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")

    @property
    def MAIL_DEFAULT_SENDER(self) -> str:  # noqa: N802
        return os.environ.get("MAIL_DEFAULT_SENDER") or "Plenary <plenary@localhost>"

    @property
    def MAIL_MESSAGE_ID_DOMAIN(self) -> str:  # noqa: N802
        sender = self.MAIL_DEFAULT_SENDER
        return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"

    @property
    def PLENARY_BASE_URL(self) -> str:  # noqa: N802
        """Where links in mail written outside a request (the worker, `remind`) point."""
        return os.environ.get("PLENARY_BASE_URL") or "http://127.0.0.1:5000"

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802 - Flask reads upper-case names
        return os.environ.get("SECRET_KEY") or _development_secret_key()

    @property
    def PLENARY_UID_DOMAIN(self) -> str | None:  # noqa: N802
        """The domain in calendar UIDs; fixed once feeds are out (see README)."""
        return os.environ.get("PLENARY_UID_DOMAIN") or None

    @property
    def PLENARY_FEED_CACHE_SIZE(self) -> int:  # noqa: N802
        return int(os.environ.get("PLENARY_FEED_CACHE_SIZE") or 32)

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:  # noqa: N802
        return normalise_database_url(
            os.environ.get("DATABASE_URL") or _sqlite_url("plenary.sqlite")
        )


class DevelopmentConfig(Config):
    DEBUG = True

    @property
    def MAIL_BACKGROUND_DELIVERY(self) -> bool:  # noqa: N802
        return os.environ.get("PLENARY_MAIL_THREAD", "1") not in ("0", "false", "no")


class TestingConfig(Config):
    TESTING = True
    SERVER_NAME = None
    MAIL_RETRY_SECONDS = 0

    @property
    def MAIL_SERVER(self) -> str | None:  # noqa: N802
        return None  # a test names its own server (tests/mail/conftest.py)

    PLENARY_DOCUMENTS_DIR = str(Path(tempfile.gettempdir()) / "plenary-test-documents")

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        return "testing-secret-key"

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:  # noqa: N802
        # Never DATABASE_URL: the suite empties the database it is given.
        return normalise_database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Served behind HTTPS only: browsers are told to come back on HTTPS for a year.
    PLENARY_HSTS = True

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError("SECRET_KEY must be set in production.")
        return key

    @property
    def TRUSTED_HOSTS(self) -> list[str]:  # noqa: N802
        """The host names Plenary answers to (PLENARY_HOSTS, comma-separated): a request for
        any other Host is refused (400), so no link, feed or UID carries a caller's host."""
        hosts = [h.strip() for h in os.environ.get("PLENARY_HOSTS", "").split(",") if h.strip()]
        if not hosts:
            raise RuntimeError(
                "PLENARY_HOSTS must name the host names Plenary is served under in production, "
                "e.g. PLENARY_HOSTS=plenary.example.org"
            )
        return hosts


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The settings class named by PLENARY_ENV (development unless told otherwise)."""
    name = os.environ.get("PLENARY_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"PLENARY_ENV must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None

"""Plenary: plans and runs consultative meetings and conferences."""

import contextlib
import gc
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError
from werkzeug.routing import IntegerConverter

from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import choose_locale, localized
from app.i18n import template_context as language_context
from app.models_base import MAX_ID
from app.permissions import allows
from app.security import init_security_headers

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class) -> Flask:
    """Build the application with the given settings class."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    # Settings classes compute some values (secret key, database URL) from the environment.
    app.config.from_object(config_class())

    # Ids in URLs are bounded like the INTEGER columns they name: a larger one is a 404.
    app.url_map.converters["int"] = DatabaseIdConverter
    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=choose_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    limiter.init_app(app)

    with app.app_context():
        _enable_sqlite_foreign_keys()

    _register_blueprints(app)
    _register_error_handlers(app)
    _register_template_helpers(app)
    init_security_headers(app)
    app.add_url_rule("/healthz", "healthz", _healthz)
    app.add_url_rule("/readyz", "readyz", _readyz)

    _register_cli(app)
    if app.config.get("MAIL_BACKGROUND_DELIVERY"):
        from app.mail.delivery import start_background_delivery

        start_background_delivery(app)
    _freeze_long_lived_objects()
    return app


def _freeze_long_lived_objects() -> None:
    """Keep the collector off what lives as long as the process: modules, the app, its mappers.

    A big page (a congress programme, a roster) makes tens of thousands of objects, and every
    few requests that sets off a full collection that walked everything the process holds: the
    benchmark saw p95 at three times p50. Frozen objects are left out of every later
    collection (the docs' advice for forking servers too), so a full pass walks only what the
    requests made: p95 fell from about 150 ms to about 60 ms at congress scale.
    """
    gc.collect()
    gc.freeze()


_PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
# How long a client should wait before asking again while the database does not answer.
RETRY_AFTER_SECONDS = 30


@allows("anyone")
def _healthz():
    """Liveness for load balancers and the benchmark's baseline: no database, no page."""
    return "ok", 200, _PLAIN


@allows("anyone")
def _readyz():
    """Readiness: the process answers and its database does too (one `SELECT 1`), else 503."""
    try:
        db.session.execute(sa.text("SELECT 1")).one()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return "database unavailable", 503, {**_PLAIN, "Retry-After": str(RETRY_AFTER_SECONDS)}
    return "ok", 200, _PLAIN


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in routes: 1 to MAX_ID, so no URL can send PostgreSQL an out-of-range number."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# create_app is the one place that knows every area: it imports them inside the functions
# below, so that importing one area's models (`app.programme.models`) loads that area alone.


def _import_models() -> None:
    """Import every area's models so the mapper registry knows all of them."""
    import app.auth.models  # noqa: F401
    import app.communications.models  # noqa: F401
    import app.delegations.models  # noqa: F401
    import app.mail.models  # noqa: F401
    import app.meetings.models  # noqa: F401
    import app.outputs.models  # noqa: F401
    import app.programme.models  # noqa: F401
    import app.registration.models  # noqa: F401
    import app.venue.models  # noqa: F401
    from app.programme.revision import track_programme_revisions

    track_programme_revisions(sa.orm.Session)


def _enable_sqlite_foreign_keys() -> None:
    """SQLite ignores foreign keys unless asked on every connection."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    """Every area's routes, from the bottom layer up (the order hooks contribute in), and the
    registration area's places plugged into the programme's port."""
    from app.auth.views import bp as auth_bp
    from app.communications.views import bp as communications_bp
    from app.delegations.views import bp as delegations_bp
    from app.exports.views import bp as exports_bp
    from app.mail.views import bp as mail_bp
    from app.meetings.views import bp as meetings_bp
    from app.outputs.outline_views import bp as outline_bp
    from app.outputs.views import bp as outputs_bp
    from app.programme.board_views import bp as board_bp
    from app.programme.ports import plug_places
    from app.programme.public_views import bp as public_bp
    from app.programme.views import bp as programme_bp
    from app.registration.delegation_views import bp as members_bp
    from app.registration.places import SessionPlaces
    from app.registration.views import bp as registration_bp
    from app.venue.views import bp as venue_bp

    for bp in (
        auth_bp,
        mail_bp,
        meetings_bp,
        programme_bp,
        board_bp,
        public_bp,
        delegations_bp,
        registration_bp,
        members_bp,
        communications_bp,
        exports_bp,
        outputs_bp,
        outline_bp,
        venue_bp,
    ):
        app.register_blueprint(bp)
    plug_places(app, SessionPlaces())


def _register_cli(app: Flask) -> None:
    from app.commands import register_cli

    register_cli(app)


def _register_error_handlers(app: Flask) -> None:
    def _page(status: int, title: str, message: str):
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("Your form could not be accepted"),
            _(
                "The form was missing its security token or the token had expired. "
                "Nothing was saved. Go back, reload the page and send the form again."
            ),
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host not in TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return "This host is not served here.", 400, _PLAIN

    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(error):
        # werkzeug's Forbidden carries a generic description; show ours unless a view gave one.
        message = error.description
        if not message or message == type(error).description:
            message = _("You do not have permission to do this in this meeting.")
        return _page(403, _("Not allowed"), message)

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, _("Not found"), _("There is no such page."))

    @app.errorhandler(429)
    def too_many(error):
        # Flask-Limiter adds Retry-After and the X-RateLimit headers to this answer.
        return _page(
            429,
            _("Too many attempts"),
            _(
                "Too many wrong passwords were tried for this account or from this address. "
                "Wait a few minutes, then try again."
            ),
        )

    @app.errorhandler(409)
    def conflict(error):
        # werkzeug's Conflict always carries a generic description; show ours unless a view
        # gave a specific one.
        message = error.description
        if not message or message == type(error).description:
            message = _("Someone else changed this record after you opened it. Nothing was saved.")
        return _page(409, _("Edit conflict"), message)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, _("Something went wrong"), _("Nothing was saved. Please try again."))

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def database_unavailable(error):
        """503 while the database does not answer, on a page that needs nothing from it: not
        the account (whose loading would fail again), only the template and a fixed text."""
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            db.session.rollback()
        # Flask-Login's context processor loads the account for every template: this page is
        # rendered as for a visitor, so nothing asks the database again.
        g._login_user = login_manager.anonymous_user()
        page = render_template("errors/unavailable.html", retry_after=RETRY_AFTER_SECONDS)
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def _register_template_helpers(app: Flask) -> None:
    from app.hooks import hook, hook_items
    from app.markup import render_inline
    from app.meetings.navigation import manage_nav
    from app.outputs.text import letter
    from app.timezones import format_local, format_local_day, local_date, local_time
    from app.undates import date_range_running, date_range_short

    app.jinja_env.globals.update(
        local_time=local_time,
        local_date=local_date,
        manage_nav=manage_nav,
        hook=hook,
        hook_items=hook_items,
    )
    app.jinja_env.filters["local"] = format_local
    # Report text's small markup (*italics*, ^[footnotes]), rendered and sanitised.
    app.jinja_env.filters["inline_markup"] = render_inline
    # UN date ranges: "27–28 February 2020" (lists, headings), "from 22 to 24 January 2019".
    app.jinja_env.filters["date_range"] = date_range_short
    app.jinja_env.filters["date_range_running"] = date_range_running
    app.jinja_env.filters["local_day"] = format_local_day
    # Report sections are lettered A … Z, then AA, AB … (recommendations: a … z, aa, ab …).
    app.jinja_env.filters["section_letter"] = lambda index: letter(index).upper()

    app.context_processor(language_context)
    # A meeting's, session's or agenda item's text in the reader's language where given.
    app.jinja_env.filters["tr"] = localized

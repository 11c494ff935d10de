"""Command-line commands: `flask --app wsgi create-admin | demo | generate | translations`.

The top of the house: the demo and the scale generator build meetings through every area.
"""

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask

from app.auth.services import create_user, find_user
from app.commands import scale, translations
from app.commands.demo import load_demo
from app.errors import AccountError
from app.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(translations_group)

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Site administrator", help="Display name.")
    @click.password_option(help="At least 10 characters; asked for when not given.")
    def create_admin(email: str, name: str, password: str) -> None:
        """Make a site administrator (or promote an existing account to one)."""
        user = find_user(email)
        if user is not None:
            user.is_admin = True
            db.session.commit()
            click.echo(f"{user.email} is now a site administrator.")
            return
        try:
            user = create_user(email, name, password, is_admin=True)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
        click.echo(f"Created site administrator {user.email}.")

    @app.cli.command("allow-meetings")
    @click.argument("email")
    @click.option("--revoke", is_flag=True, help="Take the right away again.")
    def allow_meetings(email: str, revoke: bool) -> None:
        """Let an account create meetings (or, with --revoke, no longer)."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"No account with the address {email}.")
        user.can_create_meetings = not revoke
        db.session.commit()
        if revoke:
            click.echo(f"{user.email} may no longer create meetings.")
        else:
            click.echo(f"{user.email} may create meetings.")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="One pass over what is due, then stop.")
    @click.option("--interval", default=None, type=float, help="Seconds between idle passes.")
    def worker(once: bool, interval: float | None) -> None:
        """Deliver the outbox and run background jobs (PDFs), until stopped (SIGTERM, Ctrl-C).

        Run one or more beside gunicorn; on PostgreSQL several workers on several hosts share
        the work and send each message once (app/mail/delivery.py)."""
        import signal
        import threading

        from app.mail.delivery import run_worker

        stop = threading.Event()
        previous = {
            signum: signal.signal(signum, lambda *_: stop.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        target = app.config["MAIL_SERVER"] or "the terminal (no MAIL_SERVER)"
        click.echo(f"Plenary worker: delivering to {target}.")
        try:
            run_worker(
                interval=interval or app.config["MAIL_WORKER_INTERVAL"], stop=stop, once=once
            )
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @app.cli.command("remind")
    def remind() -> None:
        """Write the reminder to every participant of a meeting that begins tomorrow (in its
        own time zone), with their agenda. Run daily; a second run writes nothing twice."""
        from app.registration.reminders import meetings_starting_tomorrow, send_reminders

        for meeting in meetings_starting_tomorrow():
            written = send_reminders(meeting)
            db.session.commit()
            click.echo(f"{meeting.short_title}: {written} reminders queued.")

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Replace the demo meetings if they exist.")
    def demo(reset: bool) -> None:
        """Load the 2nd ACCPCJ (Bangkok, 27-28 February 2020) and its Consultative Group Meeting."""
        if not sa.inspect(db.engine).has_table("meetings"):
            raise click.ClickException(
                "The database has no tables yet: run `flask --app wsgi db upgrade` first."
            )
        load_demo(reset=reset, echo=click.echo)

    @app.cli.command("generate")
    @click.option("--preset", default=None, help="congress, conference or small.")
    @click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same meeting.")
    @click.option("--slug", default=None, help="The new meeting's slug (default: generated-SEED).")
    @click.option("--days", type=int)
    @click.option("--rooms", type=int)
    @click.option("--tracks", type=int)
    @click.option("--sessions", type=int)
    @click.option("--speakers", type=int)
    @click.option("--clusters", type=int)
    @click.option("--slots", type=int)
    @click.option("--participants", type=int)
    @click.option("--places", type=int)
    @click.option("--outputs", type=int)
    @click.option("--paragraphs", type=int)
    @click.option("--recommendations", type=int)
    @click.option(
        "--pdf/--no-pdf",
        default=True,
        help="Render the issued Chair's Summary's PDF now (default) or on its first download.",
    )
    def generate(preset, seed, slug, pdf, **sizes) -> None:
        """Build a meeting at a chosen scale (e.g. --preset congress), in one transaction."""
        try:
            chosen = scale.sizes_for(preset, **sizes)
        except scale.ScaleError as error:
            raise click.BadParameter(str(error)) from None
        if not sa.inspect(db.engine).has_table("meetings"):
            raise click.ClickException(
                "The database has no tables yet: run `flask --app wsgi db upgrade` first."
            )
        started = time.perf_counter()
        try:
            result = scale.generate(chosen, seed=seed, slug=slug)
            db.session.commit()
        except scale.ScaleError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        except BaseException:
            # Interrupted or failed: nothing of the meeting stays behind.
            db.session.rollback()
            raise
        scale.refresh_statistics()
        made = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        click.echo(
            f"Generated {result.meeting.slug} in {time.perf_counter() - started:.1f} s, "
            f"committed ({made}); "
            f"organiser {result.organiser.email}, password from app.commands.scale.PASSWORD."
        )
        if pdf:
            started = time.perf_counter()
            if scale.render_issued_pdfs(result.meeting.id):
                click.echo(
                    "Rendered the issued Chair's Summary as PDF "
                    f"in {time.perf_counter() - started:.1f} s."
                )


_DIRECTORY = click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=translations.TRANSLATIONS,
    show_default=True,
    help="Where the catalogues are.",
)


@click.group("translations")
def translations_group() -> None:
    """The interface's catalogues: update (extract and merge), compile, check."""


@translations_group.command("update")
@_DIRECTORY
def translations_update(directory: Path) -> None:
    """Extract the strings into messages.pot and merge them into every language's .po."""
    for line in translations.update(directory):
        click.echo(line)


@translations_group.command("compile")
@_DIRECTORY
def translations_compile(directory: Path) -> None:
    """Compile every language's .po into the .mo the app reads (commit both)."""
    for line in translations.compile_all(directory):
        click.echo(line)


@translations_group.command("check")
@_DIRECTORY
def translations_check(directory: Path) -> None:
    """Fail on a missing, fuzzy or mismatched entry, a stale catalogue or a stale .mo."""
    problems = translations.check_all(directory)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in the catalogues.")
    click.echo(f"All {len(translations.TARGET_LOCALES)} catalogues are complete and compiled.")

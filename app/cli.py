"""Command-line commands: `flask --app wsgi create-admin`, `flask --app wsgi demo`."""

import click
import sqlalchemy as sa
from flask import Flask

from app.auth.services import AccountError, create_user, find_user
from app.extensions import db


def register_cli(app: Flask) -> None:
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

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Replace the demo meetings if they exist.")
    def demo(reset: bool) -> None:
        """Load the 2nd ACCPCJ (Bangkok, 27-28 February 2020) and its Consultative Group Meeting."""
        from app.demo import load_demo

        if not sa.inspect(db.engine).has_table("meetings"):
            raise click.ClickException(
                "The database has no tables yet: run `flask --app wsgi db upgrade` first."
            )
        load_demo(reset=reset, echo=click.echo)

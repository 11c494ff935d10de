"""The mail area's pages: which notices a person gets, one-click unsubscribe, the messages
sent to one's own account (in development without MAIL_SERVER: every message), and the
account messages written for the auth area's hooks."""

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.auth.models import User
from app.errors import commit_change
from app.extensions import csrf, db
from app.hooks import contribute
from app.mail.forms import NoticeChoicesForm, UnsubscribeForm
from app.mail.models import OutboxMessage
from app.mail.notices import (
    CHOOSABLE,
    notify,
    read_unsubscribe_token,
    send_to_address,
    set_choices,
    turn_off,
)
from app.permissions import allows

bp = Blueprint("mail", __name__)

# Messages listed on a page at most (the newest first).
PAGE_SIZE = 200


@bp.route("/account/notices", methods=["GET", "POST"])
@login_required
@allows("signed_in")
def choose_notices():
    user = current_user._get_current_object()
    form = NoticeChoicesForm()
    if not form.is_submitted():
        form.kinds.data = [kind for kind in CHOOSABLE if user.wants(kind)]
    if form.validate_on_submit() and commit_change(lambda: set_choices(user, form.kinds.data)).ok:
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("mail.choose_notices"))
    return render_template("mail/choose_notices.html", form=form)


@bp.route("/account/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@allows("token")
def unsubscribe(token):
    """One click, from a mail client (RFC 8058 POST) or from the page the link opens."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None:
        return render_template("mail/unsubscribe.html", invalid=True, form=None), 400
    kind = found[1]
    form = UnsubscribeForm()
    done = False
    if form.is_submitted():
        done = commit_change(lambda: turn_off(user, kind)).ok
    return render_template(
        "mail/unsubscribe.html", invalid=False, form=form, done=done, label=CHOOSABLE[kind]
    )


@bp.route("/account/messages", methods=["GET"])
@login_required
@allows("signed_in")
def my_messages():
    """Messages sent to this account; in development without MAIL_SERVER, every message (the
    dev outbox: a password reset link can be followed from here)."""
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
    everything = _dev_outbox()
    if not everything:
        query = query.where(OutboxMessage.user_id == current_user.id)
    return render_template(
        "mail/my_messages.html", messages=db.session.scalars(query).all(), everything=everything
    )


def _dev_outbox() -> bool:
    config = current_app.config
    return bool(config.get("DEBUG") and not config.get("TESTING") and not config["MAIL_SERVER"])


# What the auth area asks for (app/auth/recovery.py): account messages, always essential.


def _password_reset_requested(user: User, token: str) -> None:
    notify(user, "password_reset", kind="account", essential=True, token=token)


def _email_confirmation_needed(user: User, token: str) -> None:
    send_to_address(
        user.email, "confirm_email", language=user.language, name=user.name, token=token
    )


def _password_changed(user: User) -> None:
    notify(user, "password_changed", kind="account", essential=True)


def _email_changed(user: User, old_address: str) -> None:
    send_to_address(old_address, "email_changed", language=user.language, name=user.name, user=user)


def _account_links() -> Markup:
    return Markup('<li><a href="{}">{}</a></li><li><a href="{}">{}</a></li>').format(
        url_for("mail.choose_notices"),
        _("Choose the notices you get"),
        url_for("mail.my_messages"),
        _("Messages sent to you"),
    )


contribute(bp, "password_reset_requested", _password_reset_requested)
contribute(bp, "email_confirmation_needed", _email_confirmation_needed)
contribute(bp, "password_changed", _password_changed)
contribute(bp, "email_changed", _email_changed)
contribute(bp, "account_links", _account_links)

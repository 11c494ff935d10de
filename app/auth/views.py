"""Sign-in, sign-out and account creation pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import CreateAccountForm, SignInForm
from app.auth.models import User
from app.auth.services import authenticate, create_user
from app.errors import commit_change
from app.extensions import db, login_manager
from app.urls import safe_local_path

bp = Blueprint("auth", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def _safe_next(default: str) -> str:
    """Only follow a same-site `next`, so a link cannot send a user elsewhere after sign-in."""
    return safe_local_path(request.args.get("next")) or default


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("meetings.list_meetings")))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is not right."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(_safe_next(url_for("meetings.list_meetings")))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    logout_user()
    flash(_("Signed out."), "success")
    return redirect(url_for("meetings.list_meetings"))


@bp.route("/new", methods=["GET", "POST"])
def create_account():
    form = CreateAccountForm()
    if form.validate_on_submit():
        outcome = commit_change(
            lambda: create_user(form.email.data, form.name.data, form.password.data),
            form=form,
            duplicate=_("An account with this email address exists already."),
        )
        if outcome.ok:
            user = outcome.value
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(_safe_next(url_for("meetings.list_meetings")))
    return render_template("auth/create_account.html", form=form)

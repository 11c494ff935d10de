"""Sign-in, sign-out, account creation and the account's own page.

Password checks are throttled per account and per address (app/auth/web.py): only failures
count, so a person who signs in is never slowed down, and a guesser is stopped after a few.
"""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.auth import recovery
from app.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CreateAccountForm,
    ForgotPasswordForm,
    LanguageForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    SignInForm,
    SignOutEverywhereForm,
)
from app.auth.models import User
from app.auth.services import authenticate, create_user
from app.auth.sessions import (
    close_all_sessions,
    close_session,
    sessions_of,
    user_for_token,
)
from app.auth.web import reset_page_throttled, reset_throttled, sign_in_as, throttled
from app.errors import AccountError, commit_change
from app.extensions import login_manager
from app.hooks import hook
from app.i18n import SESSION_KEY as LANGUAGE_KEY
from app.i18n import known
from app.permissions import allows
from app.urls import safe_local_path

bp = Blueprint("auth", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The account of the session whose token the cookie carries, if that session is live."""
    return user_for_token(token)


def _safe_next(default: str) -> str:
    """Only follow a same-site `next`, so a link cannot send a user elsewhere after sign-in."""
    return safe_local_path(request.args.get("next")) or default


@bp.route("/sign-in", methods=["GET", "POST"])
@throttled
@allows("password")
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("meetings.list_meetings")))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is not right."))
        else:

            def signed_in() -> str:
                sign_in_as(user, remember=form.remember.data)
                return user.name

            outcome = commit_change(signed_in)
            if outcome.ok:
                flash(_("Signed in as %(name)s.", name=outcome.value), "success")
                return redirect(_safe_next(url_for("meetings.list_meetings")))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
@allows("signed_in")
def sign_out():
    token = session.get("_user_id")
    commit_change(lambda: close_session(token))
    logout_user()
    flash(_("Signed out."), "success")
    return redirect(url_for("meetings.list_meetings"))


@bp.route("/new", methods=["GET", "POST"])
@allows("anyone")
def create_account():
    form = CreateAccountForm()
    if form.validate_on_submit():

        def created() -> str:
            user = create_user(form.email.data, form.name.data, form.password.data)
            if language := known(session.get(LANGUAGE_KEY)):
                user.language = language.code
            hook("email_confirmation_needed", user, recovery.confirm_token(user))
            sign_in_as(user)
            return user.name

        outcome = commit_change(
            created,
            form=form,
            duplicate=_("An account with this email address exists already."),
        )
        if outcome.ok:
            flash(_("Welcome, %(name)s. Your account is ready.", name=outcome.value), "success")
            return redirect(_safe_next(url_for("meetings.list_meetings")))
    return render_template("auth/create_account.html", form=form)


@bp.route("/", methods=["GET"])
@login_required
@allows("signed_in")
def show_account():
    """The account's own page: who they are, and where they are signed in."""
    return render_template(
        "auth/account.html",
        sessions=sessions_of(current_user),
        current_token=session.get("_user_id"),
        everywhere_form=SignOutEverywhereForm(),
        resend_form=ResendConfirmationForm(),
        account_links=hook("account_links"),
    )


@bp.route("/language", methods=["POST"])
@allows("anyone")
def choose_language():
    """The picker on every page: the language is kept for this browser (and for the account,
    once signed in), and the reader goes back to the page they were on, at the same URL."""
    form = LanguageForm()
    back = safe_local_path(request.form.get("next")) or url_for("meetings.list_meetings")
    if form.validate_on_submit():
        language = known(form.language.data)
        if language is not None:
            session[LANGUAGE_KEY] = language.code
            if current_user.is_authenticated and hasattr(current_user, "language"):
                user = current_user._get_current_object()
                commit_change(lambda: setattr(user, "language", language.code))
    return redirect(back)


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
@allows("signed_in")
def sign_out_everywhere():
    """End every session of the account, remembered ones included, this one too."""
    form = SignOutEverywhereForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        commit_change(lambda: close_all_sessions(user))
        logout_user()
        flash(_("You are signed out on every browser and device."), "success")
        return redirect(url_for("meetings.list_meetings"))
    return redirect(url_for("auth.show_account"))


# Getting back in, and proving and changing the address (app/auth/recovery.py). The mail
# area writes the messages (hooks), in the same transaction.


@bp.route("/forgot-password", methods=["GET", "POST"])
@reset_throttled
@allows("anyone")
def forgot_password():
    """Ask for a reset link. An unknown address gets the same answer as a known one."""
    form = ForgotPasswordForm()
    if (
        form.validate_on_submit()
        and commit_change(lambda: recovery.request_reset(form.email.data)).ok
    ):
        flash(
            _(
                "If an account has the address %(email)s, a link to choose a new password "
                "is on its way to it. The link works for an hour, once.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@reset_page_throttled
@allows("token")
def reset_password(token):
    """Choose a new password through the link; a used, expired or forged link says so."""
    try:
        recovery.user_for_reset(token)
    except AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        outcome = commit_change(
            lambda: recovery.reset_password(token, form.password.data).email, form=form
        )
        if outcome.ok:
            logout_user()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/confirm/<token>", methods=["GET"])
@allows("token")
def confirm_email(token):
    """The link in the confirmation e-mail: the address is the owner's."""
    outcome = commit_change(lambda: recovery.confirm_email(token).email)
    if outcome.ok:
        flash(_("Thank you: %(email)s is confirmed.", email=outcome.value), "success")
    return redirect(url_for("meetings.list_meetings"))


@bp.route("/confirm", methods=["POST"])
@login_required
@allows("signed_in")
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if commit_change(lambda: recovery.ask_to_confirm(user)).ok:
            flash(_("A confirmation link is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.show_account"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@allows("signed_in")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = commit_change(
            lambda: recovery.change_password(user, form.current.data, form.password.data),
            form=form,
        )
        if outcome.ok:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.show_account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@allows("signed_in")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = commit_change(
            lambda: recovery.change_email(user, form.password.data, form.email.data),
            form=form,
            duplicate=_("An account with this email address exists already."),
        )
        if outcome.ok:
            flash(_("Your address is changed. Confirm it with the link we sent to it."), "success")
            return redirect(url_for("auth.show_account"))
    return render_template("auth/change_email.html", form=form)

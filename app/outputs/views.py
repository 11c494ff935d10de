"""Rapporteur outputs, their review, and the Chair's Summary: thin views over services.py.

Each view loads the meeting (404), checks who may act (403), validates its form, calls one
service, commits once, flashes and redirects. An OutputError becomes a message next to the form
after a rollback, so nothing is half-saved; a stale save is a 409 conflict page with both texts.
"""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.orm.exc import StaleDataError

from app.auth.services import authenticate
from app.exports.pdf import render_chairs_summary_pdf, render_meeting_report_pdf
from app.extensions import csrf, db
from app.meetings.access import has_role, load_meeting, require_role
from app.meetings.models import MeetingStatus, RoleName
from app.outputs import bp, services
from app.outputs.forms import (
    AssignForm,
    ChairsSummaryForm,
    CommentForm,
    CompareForm,
    OutputForm,
    ReopenForm,
    RescueForm,
)
from app.outputs.models import OutputStatus
from app.outputs.services import OutputError, StaleRevision

REVIEWERS = (RoleName.CHAIR, RoleName.ORGANISER)


@bp.context_processor
def _template_helpers():
    """Organisers see the management menu; a Chair or rapporteur sees the plain layout."""
    return {
        "layout_for": lambda meeting: (
            "manage_base.html"
            if has_role(meeting, RoleName.ORGANISER, RoleName.CHAIR)
            else "base.html"
        ),
        "status_label": lambda output: (
            _("Resubmitted")
            if output.status == OutputStatus.SUBMITTED and services.was_returned(output)
            else output.status.label
        ),
    }


@bp.app_context_processor
def _meeting_page_helpers():
    """The meeting's public page lists the issued versions of the Chair's Summary."""
    return {"issued_chairs_summaries": services.issued_summaries}


def _is_reviewer(meeting) -> bool:
    return has_role(meeting, *REVIEWERS)


def _is_author(output) -> bool:
    """Only the assigned rapporteur writes an output (a site administrator may step in)."""
    return current_user.is_authenticated and (
        output.rapporteur_id == current_user.id or current_user.is_admin
    )


def _output_or_404(meeting, output_id):
    output = services.get_output(meeting, output_id)
    if output is None:
        abort(404)
    return output


def _load_for_author(slug, output_id):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    output = _output_or_404(meeting, output_id)
    if not _is_author(output):
        abort(403)
    return meeting, output


def _load_for_reviewer(slug, output_id):
    meeting = require_role(slug, *REVIEWERS)
    return meeting, _output_or_404(meeting, output_id)


def _fail(error: OutputError, form=None) -> None:
    db.session.rollback()
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


# Lists: the organiser's and Chair's overview, and a rapporteur's assignments


@bp.route("/meetings/<slug>/manage/outputs/", methods=["GET", "POST"])
def list_outputs(slug):
    meeting = require_role(slug, *REVIEWERS)
    form = AssignForm(
        targets=services.assignable_targets(meeting), rapporteurs=services.rapporteurs(meeting)
    )
    if request.method == "POST":
        if not has_role(meeting, RoleName.ORGANISER):
            abort(403)
        if form.validate_on_submit():
            try:
                output = services.assign_rapporteur(
                    meeting, target=form.target.data, rapporteur_id=form.rapporteur_id.data
                )
            except OutputError as error:
                _fail(error, form)
            else:
                db.session.commit()
                flash(_("%(title)s: rapporteur assigned.", title=output.title), "success")
                return redirect(url_for("outputs.list_outputs", slug=meeting.slug))
    return render_template(
        "outputs/list.html",
        meeting=meeting,
        outputs=services.outputs_of(meeting),
        form=form,
        can_assign=has_role(meeting, RoleName.ORGANISER),
        issued=services.issued_summaries(meeting),
    )


@bp.route("/meetings/<slug>/outputs/mine")
def list_my_outputs(slug):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    return render_template(
        "outputs/mine.html",
        meeting=meeting,
        outputs=services.assignments_of(meeting, current_user),
    )


# One output: reading, drafting, history


@bp.route("/meetings/<slug>/outputs/<int:output_id>/")
def show_output(slug, output_id):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    output = _output_or_404(meeting, output_id)
    if not (_is_author(output) or _is_reviewer(meeting)):
        abort(403)
    return render_template(
        "outputs/show.html",
        meeting=meeting,
        output=output,
        content=services.content_of(output),
        is_author=_is_author(output),
        is_reviewer=_is_reviewer(meeting),
        editable=services.is_editable(output),
        resubmitted=output.status == OutputStatus.SUBMITTED and services.was_returned(output),
        comment_form=CommentForm(),
        reopen_form=ReopenForm(),
    )


def _fill_form(form, content, base_revision):
    form.summary.data = services.join_paragraphs(content["summary"])
    form.recommendations.data = services.join_paragraphs(content["recommendations"])
    form.not_negotiated.data = content["not_negotiated"]
    form.base_revision.data = str(base_revision)


def _posted_text(form) -> dict:
    return {
        "summary": services.split_paragraphs(form.summary.data or ""),
        "recommendations": services.split_paragraphs(form.recommendations.data or ""),
        "not_negotiated": bool(form.not_negotiated.data),
    }


def _base_revision(form) -> int | None:
    try:
        return int(form.base_revision.data)
    except (TypeError, ValueError):
        return None


@bp.route("/meetings/<slug>/outputs/<int:output_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # FlaskForm checks the token itself; an expired session must reach the rescue page
def edit_output(slug, output_id):
    if not current_user.is_authenticated and request.method == "POST":
        # Signed out while drafting: keep the text in a sign-in form instead of dropping it.
        meeting = load_meeting(slug)
        output = _output_or_404(meeting, output_id)
        form = RescueForm()
        form.email.data = ""
        return render_template(
            "outputs/rescue.html", meeting=meeting, output=output, form=form
        ), 401
    meeting, output = _load_for_author(slug, output_id)
    form = OutputForm()
    if request.method == "GET":
        _fill_form(form, services.content_of(output), output.revision_number)
    elif form.validate_on_submit():
        mine = _posted_text(form)
        try:
            services.save_output(
                output, author=current_user, base_revision=_base_revision(form), **mine
            )
        except StaleRevision as error:
            db.session.rollback()
            return _conflict_page(meeting, output, mine, error)
        except OutputError as error:
            _fail(error, form)
        else:
            db.session.commit()
            flash(_("Saved as revision %(n)d.", n=output.revision_number), "success")
            return redirect(url_for("outputs.show_output", slug=slug, output_id=output.id))
    if request.method == "GET" and not services.is_editable(output):
        flash(
            _(
                "This output is %(status)s and locked; it cannot be edited now.",
                status=output.status.label,
            ),
            "error",
        )
        return redirect(url_for("outputs.show_output", slug=slug, output_id=output.id))
    return render_template("outputs/edit.html", meeting=meeting, output=output, form=form)


def _conflict_page(meeting, output, mine, error):
    """409: their saved text and the editor's own, with a form pre-filled with theirs to merge."""
    db.session.refresh(output)
    theirs = services.content_of(output)
    form = OutputForm(formdata=None)
    _fill_form(form, theirs, output.revision_number)
    latest = output.revisions[-1] if output.revisions else None
    response = make_response(
        render_template(
            "outputs/conflict.html",
            meeting=meeting,
            output=output,
            form=form,
            theirs=theirs,
            mine=mine,
            mine_summary=services.join_paragraphs(mine["summary"]),
            mine_recommendations=services.join_paragraphs(mine["recommendations"]),
            latest=latest,
            message=error.message,
        ),
        409,
    )
    return response


@bp.route("/meetings/<slug>/outputs/<int:output_id>/rescue", methods=["POST"])
def rescue_draft(slug, output_id):
    """Sign in from the rescue page; the text comes back into the editing form, unsaved."""
    meeting = load_meeting(slug)
    output = _output_or_404(meeting, output_id)
    form = RescueForm()
    if not form.validate_on_submit():
        return render_template(
            "outputs/rescue.html", meeting=meeting, output=output, form=form
        ), 401
    user = authenticate(form.email.data, form.password.data)
    if user is None:
        form.password.errors.append(_("The email address or the password is not right."))
        return render_template(
            "outputs/rescue.html", meeting=meeting, output=output, form=form
        ), 401
    login_user(user)
    if output.rapporteur_id != user.id and not user.is_admin:
        abort(403)
    edit_form = OutputForm(formdata=None)
    _fill_form(edit_form, _posted_text(form), _base_revision(form) or 0)
    flash(
        _("You are signed in again. Your text is back in the form: save it to keep it."),
        "success",
    )
    return render_template("outputs/edit.html", meeting=meeting, output=output, form=edit_form)


@bp.route("/meetings/<slug>/outputs/<int:output_id>/history")
def show_history(slug, output_id):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    output = _output_or_404(meeting, output_id)
    if not (_is_author(output) or _is_reviewer(meeting)):
        abort(403)
    revisions = output.revisions
    form = CompareForm(request.args)
    diff, old, new = None, None, None
    if len(revisions) >= 2:
        old_n = form.old.data if form.validate() else revisions[-2].number
        new_n = form.new.data if form.validate() else revisions[-1].number
        old, new = services.revision(output, old_n), services.revision(output, new_n)
        if old is None or new is None:
            flash(_("There is no such revision."), "error")
            old, new = revisions[-2], revisions[-1]
        form.old.data, form.new.data = old.number, new.number
        diff = services.diff_revisions(old, new)
    return render_template(
        "outputs/history.html",
        meeting=meeting,
        output=output,
        revisions=list(reversed(revisions)),
        form=form,
        diff=diff,
        old=old,
        new=new,
    )


# Review


def _change_state(meeting, output, form, change, done: str):
    """One review step: validate the form, apply `change`, commit, say what happened."""
    if form.validate_on_submit():
        try:
            change(form)
        except OutputError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(done, "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("outputs.show_output", slug=meeting.slug, output_id=output.id))


@bp.route("/meetings/<slug>/outputs/<int:output_id>/submit", methods=["POST"])
def submit_output(slug, output_id):
    meeting, output = _load_for_author(slug, output_id)
    return _change_state(
        meeting,
        output,
        OutputForm(),  # only its CSRF token is read
        lambda form: services.submit_output(output, current_user),
        _("Submitted to the Chair."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/return", methods=["POST"])
def return_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        CommentForm(),
        lambda form: services.return_output(output, current_user, form.comment.data),
        _("Returned to the rapporteur with your comments."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/approve", methods=["POST"])
def approve_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        OutputForm(),  # only its CSRF token is read
        lambda form: services.approve_output(output, current_user),
        _("Approved: it will appear in the Chair's Summary."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/reopen", methods=["POST"])
def reopen_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        ReopenForm(),
        lambda form: services.reopen_output(output, current_user, form.comment.data or ""),
        _("Reopened: the rapporteur can edit it again."),
    )


# The Chair's Summary


@bp.route("/meetings/<slug>/manage/chairs-summary", methods=["GET", "POST"])
def edit_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    # A visit only reads; the first save creates the summary.
    if request.method == "POST":
        summary = services.summary_of(meeting)
    else:
        summary = services.find_summary(meeting)
    form = ChairsSummaryForm(obj=summary)
    if request.method == "GET":
        form.version.data = str(summary.version)
    elif form.validate_on_submit():
        if form.version.data != str(summary.version):
            abort(409)
        try:
            services.save_summary(
                summary,
                introduction=form.introduction.data or "",
                general_conclusions=form.general_conclusions.data or "",
            )
            db.session.commit()
        except OutputError as error:
            _fail(error, form)
        except StaleDataError:
            db.session.rollback()
            abort(409)
        else:
            flash(_("The Chair's text was saved."), "success")
            return redirect(url_for("outputs.edit_chairs_summary", slug=slug))
    return render_template(
        "outputs/chairs_summary.html",
        meeting=meeting,
        form=form,
        content=services.compile_summary(meeting, summary),
        issued=services.issued_summaries(meeting),
        pending=[o for o in services.outputs_of(meeting) if o.status != OutputStatus.APPROVED],
    )


@bp.route("/meetings/<slug>/manage/chairs-summary/issue", methods=["POST"])
def issue_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    if OutputForm().validate_on_submit():
        try:
            issued = services.issue_summary(meeting, current_user, render_chairs_summary_pdf)
        except OutputError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(
                _("Issued as version %(n)d; it is public on the meeting's page.", n=issued.number),
                "success",
            )
    return redirect(url_for("outputs.edit_chairs_summary", slug=slug))


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/meetings/<slug>/manage/chairs-summary/draft.pdf")
def preview_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    content = services.compile_summary(meeting)
    return _pdf(render_chairs_summary_pdf(content), f"{meeting.slug}-chairs-summary-draft.pdf")


@bp.route("/meetings/<slug>/chairs-summary/<int:number>.pdf")
def download_chairs_summary(slug, number):
    meeting = load_meeting(slug)
    issued = services.issued_summary(meeting, number)
    if issued is None:
        abort(404)
    if services.ensure_issued_pdf(issued, render_chairs_summary_pdf):
        db.session.commit()
    return _pdf(issued.pdf, f"{meeting.slug}-chairs-summary-{number}.pdf")


@bp.route("/meetings/<slug>/report.pdf")
def download_meeting_report(slug):
    meeting = load_meeting(slug)
    if meeting.status != MeetingStatus.CONCLUDED and not has_role(meeting, *REVIEWERS):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path))
        abort(403)
    content = services.report_content(meeting)
    return _pdf(render_meeting_report_pdf(content), f"{meeting.slug}-report.pdf")

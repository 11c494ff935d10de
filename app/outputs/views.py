"""Rapporteur outputs, their review, and the Chair's Summary: thin views over the rule modules.

Each view loads the meeting (404), checks who may act (403), validates its form, calls one
rule, commits once through app/errors.py, flashes and redirects. A broken rule becomes a message
next to the form after a rollback, so nothing is half-saved; a stale save is a 409 conflict
page with both texts.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from app.auth.services import authenticate
from app.auth.web import sign_in_as, throttled
from app.errors import commit_change
from app.exports.pdf import (
    render_chairs_summary_pdf,
    render_meeting_report_pdf,
    render_published_report_pdf,
)
from app.exports.responses import feed_cache
from app.extensions import csrf, db
from app.hooks import contribute
from app.i18n import document_language
from app.mail.delivery import register_job_handler
from app.meetings.access import has_role, load_meeting, require_role
from app.meetings.models import RoleName
from app.outputs import adoption, history, queries, report, summary, text, workflow
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
from app.outputs.workflow import StaleRevision
from app.pages import confirm_first
from app.permissions import allows

bp = Blueprint("outputs", __name__)

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
            if output.status == OutputStatus.SUBMITTED and workflow.was_returned(output)
            else output.status.label
        ),
    }


def _issued_section(meeting) -> Markup:
    """The meeting page's section listing the issued versions of the Chair's Summary."""
    return Markup(
        render_template(
            "outputs/_meeting_section.html",
            meeting=meeting,
            chairs_summaries=queries.issued_summaries(meeting),
            report_public=adoption.is_public(meeting),
        )
    )


contribute(bp, "meeting_sections", _issued_section)


def _is_reviewer(meeting) -> bool:
    return has_role(meeting, *REVIEWERS)


def _is_author(output) -> bool:
    """Only the assigned rapporteur writes an output (a site administrator may step in)."""
    return current_user.is_authenticated and (
        output.rapporteur_id == current_user.id or current_user.is_admin
    )


def _output_or_404(meeting, output_id):
    output = queries.get_output(meeting, output_id)
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


# Lists: the organiser's and Chair's overview, and a rapporteur's assignments


@bp.route("/meetings/<slug>/manage/outputs/", methods=["GET", "POST"])
@allows("reviewer")
def list_outputs(slug):
    meeting = require_role(slug, *REVIEWERS)
    form = AssignForm(
        targets=queries.assignable_targets(meeting), rapporteurs=queries.rapporteurs(meeting)
    )
    if request.method == "POST":
        if not has_role(meeting, RoleName.ORGANISER):
            abort(403)
        if form.validate_on_submit():

            def assigned() -> str:
                output = workflow.assign_rapporteur(
                    meeting, target=form.target.data, rapporteur_id=form.rapporteur_id.data
                )
                return output.title

            outcome = commit_change(assigned, form=form)
            if outcome.ok:
                flash(_("%(title)s: rapporteur assigned.", title=outcome.value), "success")
                return redirect(url_for("outputs.list_outputs", slug=meeting.slug))
    return render_template(
        "outputs/list.html",
        meeting=meeting,
        outputs=queries.outputs_of(meeting),
        form=form,
        can_assign=has_role(meeting, RoleName.ORGANISER),
        issued=queries.issued_summaries(meeting),
    )


@bp.route("/meetings/<slug>/outputs/mine")
@allows("rapporteur")
def list_my_outputs(slug):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    return render_template(
        "outputs/mine.html",
        meeting=meeting,
        outputs=queries.assignments_of(meeting, current_user),
    )


def _render_issued_pdf(payload: dict) -> None:
    # The worker writes the issued version in the meeting's own language, as issuing does.
    issued = db.session.get(summary.IssuedSummary, payload.get("issued_id"))
    language = document_language(issued.summary.meeting, None) if issued is not None else None
    with force_locale(language.locale if language else "en_GB"):
        summary.render_issued_pdf(payload, render_chairs_summary_pdf)


# The worker renders long Chair's Summaries (app/mail/delivery.py runs the job).
bp.record_once(
    lambda state: register_job_handler(state.app, summary.RENDER_JOB, _render_issued_pdf)
)


# One output: reading, drafting, history


@bp.route("/meetings/<slug>/outputs/<int:output_id>/")
@allows("rapporteur")
def show_output(slug, output_id):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    output = _output_or_404(meeting, output_id)
    if not (_is_author(output) or _is_reviewer(meeting)):
        abort(403)
    return render_template(
        "outputs/show.html",
        meeting=meeting,
        output=output,
        content=queries.content_of(output),
        is_author=_is_author(output),
        is_reviewer=_is_reviewer(meeting),
        editable=workflow.is_editable(output),
        resubmitted=output.status == OutputStatus.SUBMITTED and workflow.was_returned(output),
        comment_form=CommentForm(),
        reopen_form=ReopenForm(),
    )


def _fill_form(form, content, base_revision):
    form.summary.data = text.join_paragraphs(content["summary"])
    form.recommendations.data = text.join_lines(content["recommendations"])
    form.not_negotiated.data = content["not_negotiated"]
    form.base_revision.data = str(base_revision)


def _posted_text(form) -> dict:
    return {
        "summary": text.split_paragraphs(form.summary.data or ""),
        "recommendations": text.split_lines(form.recommendations.data or ""),
        "not_negotiated": bool(form.not_negotiated.data),
    }


def _base_revision(form) -> int | None:
    try:
        return int(form.base_revision.data)
    except (TypeError, ValueError):
        return None


@bp.route("/meetings/<slug>/outputs/<int:output_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # FlaskForm checks the token itself; an expired session must reach the rescue page
@allows("author")
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
    if request.method == "POST":
        # Signed in, the token is checked as on every other form (a missing one is a 400).
        csrf.protect()
    form = OutputForm()
    if request.method == "GET":
        _fill_form(form, queries.content_of(output), output.revision_number)
    elif form.validate_on_submit():
        mine = _posted_text(form)

        def saved() -> int:
            workflow.save_output(
                output, author=current_user, base_revision=_base_revision(form), **mine
            )
            return output.revision_number

        try:
            outcome = commit_change(saved, form=form, passthrough=(StaleRevision,))
        except StaleRevision as error:
            return _conflict_page(meeting, output, mine, error)
        if outcome.ok:
            flash(_("Saved as revision %(n)d.", n=outcome.value), "success")
            return redirect(url_for("outputs.show_output", slug=slug, output_id=output_id))
    if request.method == "GET" and not workflow.is_editable(output):
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
    theirs = queries.content_of(output)
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
            mine_summary=text.join_paragraphs(mine["summary"]),
            mine_recommendations=text.join_lines(mine["recommendations"]),
            latest=latest,
            message=error.message,
        ),
        409,
    )
    return response


@bp.route("/meetings/<slug>/outputs/<int:output_id>/rescue", methods=["POST"])
@throttled
@allows("password")
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
    if output.rapporteur_id != user.id and not user.is_admin:
        abort(403)
    if not commit_change(lambda: sign_in_as(user)).ok:
        abort(409)
    edit_form = OutputForm(formdata=None)
    _fill_form(edit_form, _posted_text(form), _base_revision(form) or 0)
    flash(
        _("You are signed in again. Your text is back in the form: save it to keep it."),
        "success",
    )
    return render_template("outputs/edit.html", meeting=meeting, output=output, form=edit_form)


@bp.route("/meetings/<slug>/outputs/<int:output_id>/history")
@allows("rapporteur")
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
        old, new = queries.revision(output, old_n), queries.revision(output, new_n)
        if old is None or new is None:
            flash(_("There is no such revision."), "error")
            old, new = revisions[-2], revisions[-1]
        form.old.data, form.new.data = old.number, new.number
        diff = history.diff_revisions(old, new)
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
        if commit_change(lambda: change(form)).ok:
            flash(done, "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("outputs.show_output", slug=meeting.slug, output_id=output.id))


@bp.route("/meetings/<slug>/outputs/<int:output_id>/submit", methods=["POST"])
@allows("author")
def submit_output(slug, output_id):
    meeting, output = _load_for_author(slug, output_id)
    return _change_state(
        meeting,
        output,
        OutputForm(),  # only its CSRF token is read
        lambda form: workflow.submit_output(output, current_user),
        _("Submitted to the Chair."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/return", methods=["POST"])
@allows("reviewer")
def return_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        CommentForm(),
        lambda form: workflow.return_output(output, current_user, form.comment.data),
        _("Returned to the rapporteur with your comments."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/approve", methods=["POST"])
@allows("reviewer")
def approve_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        OutputForm(),  # only its CSRF token is read
        lambda form: workflow.approve_output(output, current_user),
        _("Approved: it will appear in the Chair's Summary."),
    )


@bp.route("/meetings/<slug>/outputs/<int:output_id>/reopen", methods=["POST"])
@allows("reviewer")
def reopen_output(slug, output_id):
    meeting, output = _load_for_reviewer(slug, output_id)
    return _change_state(
        meeting,
        output,
        ReopenForm(),
        lambda form: workflow.reopen_output(output, current_user, form.comment.data or ""),
        _("Reopened: the rapporteur can edit it again."),
    )


# The Chair's Summary


@bp.route("/meetings/<slug>/manage/chairs-summary", methods=["GET", "POST"])
@allows("reviewer")
def edit_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    # A visit only reads; the first save creates the summary.
    if request.method == "POST":
        chairs_summary = summary.summary_of(meeting)
    else:
        chairs_summary = queries.find_summary(meeting)
    form = ChairsSummaryForm(obj=chairs_summary)
    if request.method == "GET":
        form.version.data = str(chairs_summary.version)
    elif form.validate_on_submit():
        if form.version.data != str(chairs_summary.version):
            return _summary_conflict_page(meeting, form)
        try:
            outcome = commit_change(
                lambda: summary.save_summary(
                    chairs_summary,
                    introduction=form.introduction.data or "",
                    general_conclusions=form.general_conclusions.data or "",
                ),
                form=form,
                passthrough=(StaleDataError,),
            )
        except StaleDataError:
            # Saved by someone else between this request's check and its commit.
            return _summary_conflict_page(meeting, form)
        if outcome.ok:
            flash(_("The Chair's text was saved."), "success")
            return redirect(url_for("outputs.edit_chairs_summary", slug=slug))
    return render_template(
        "outputs/chairs_summary.html",
        meeting=meeting,
        form=form,
        content=summary.compile_summary(meeting, chairs_summary),
        issued=queries.issued_summaries(meeting),
        pending=[o for o in queries.outputs_of(meeting) if o.status != OutputStatus.APPROVED],
    )


def _summary_conflict_page(meeting, posted):
    """409: the Chair's text as someone else saved it, beside the text this editor sent (kept,
    not saved), with a form that starts from theirs so the two can be merged."""
    theirs = queries.find_summary(meeting)
    form = ChairsSummaryForm(formdata=None, obj=theirs)
    form.version.data = str(theirs.version)
    page = render_template(
        "outputs/summary_conflict.html",
        meeting=meeting,
        form=form,
        mine_introduction=posted.introduction.data or "",
        mine_conclusions=posted.general_conclusions.data or "",
    )
    return page, 409


@bp.route("/meetings/<slug>/manage/chairs-summary/issue", methods=["POST"])
@allows("reviewer")
def issue_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    if OutputForm().validate_on_submit():
        pending = [o for o in queries.outputs_of(meeting) if o.status != OutputStatus.APPROVED]
        consequences = [
            _(
                "The compiled text and its PDF are frozen as the next numbered version and "
                "published on the meeting's page at once. A correction is a new version; "
                "this one stays public."
            )
        ]
        if pending:
            consequences.append(
                ngettext(
                    "%(num)d output is not approved and is left out: %(titles)s.",
                    "%(num)d outputs are not approved and are left out: %(titles)s.",
                    len(pending),
                    titles="; ".join(o.title for o in pending[:20]),
                )
            )
        question = confirm_first(
            title=_("Issue the Chair's Summary?"),
            consequences=consequences,
            confirm_label=_("Yes, issue it"),
            back=url_for("outputs.edit_chairs_summary", slug=slug),
        )
        if question is not None:
            return question
        # The issued version is written in the meeting's own language, whoever issues it.
        with force_locale(document_language(meeting, None).locale):
            outcome = commit_change(
                lambda: (
                    summary.issue_summary(meeting, current_user, render_chairs_summary_pdf).number
                )
            )
        if outcome.ok:
            flash(
                _("Issued as version %(n)d; it is public on the meeting's page.", n=outcome.value),
                "success",
            )
    return redirect(url_for("outputs.edit_chairs_summary", slug=slug))


def _pdf_language(meeting):
    """The language a PDF of the meeting is generated in: `?lang=fr` when it is one of the
    meeting's languages, else the meeting's own (never an error)."""
    return document_language(meeting, request.args.get("lang"))


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/meetings/<slug>/manage/chairs-summary/draft.pdf")
@allows("reviewer")
def preview_chairs_summary(slug):
    meeting = require_role(slug, *REVIEWERS)
    language = _pdf_language(meeting)
    with force_locale(language.locale):
        pdf = render_chairs_summary_pdf(summary.compile_summary(meeting))
    return _pdf(pdf, f"{meeting.slug}-chairs-summary-draft-{language.code}.pdf")


@bp.route("/meetings/<slug>/chairs-summary/<int:number>.pdf")
@allows("anyone")
def download_chairs_summary(slug, number):
    meeting = load_meeting(slug)
    issued = queries.issued_summary(meeting, number)
    if issued is None:
        abort(404)
    filename = f"{meeting.slug}-chairs-summary-{number}.pdf"
    language = _pdf_language(meeting)
    if language.code != meeting.language:
        # The frozen version with its standard text in another of the meeting's languages
        # (the Chair's and rapporteurs' text as issued): built once per process and kept.
        key = ("issued-summary", issued.id, language.locale)
        cache = feed_cache()
        data = cache.get(key)
        if data is None:
            with force_locale(language.locale):
                data = render_chairs_summary_pdf(issued.content)
            cache.put(key, data)
        return _pdf(data, filename.replace(".pdf", f"-{language.code}.pdf"))
    # A version without its PDF yet (a long one, or one the scale generator froze) is
    # rendered by the worker, never in a request: this answers at once that it is coming.
    preparing = commit_change(lambda: summary.pdf_is_being_prepared(issued))
    if not preparing.ok or preparing.value:
        page = render_template("outputs/pdf_pending.html", meeting=meeting, number=number)
        return page, 202, {"Retry-After": "15", "Cache-Control": "no-store"}
    return _pdf(issued.pdf, filename)


@bp.route("/meetings/<slug>/report.pdf")
@allows("rapporteur")
def download_meeting_report(slug):
    """The published report for anyone; the draft for the organisers, Chair and rapporteurs."""
    meeting = load_meeting(slug)
    if not adoption.is_public(meeting) and not has_role(meeting, *REVIEWERS, RoleName.RAPPORTEUR):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path))
        abort(403)
    language = _pdf_language(meeting)
    published = queries.meeting_report(meeting) if adoption.is_public(meeting) else None
    if (
        published is not None
        and published.published_content
        and (language.code == document_language(meeting, None).code)
    ):
        # The report as published, whatever changed since: rendered once per process.
        key = ("published-report", published.id, str(published.published_at))
        cache = feed_cache()
        pdf = cache.get(key)
        if pdf is None:
            with force_locale(language.locale):
                pdf = render_published_report_pdf(published.published_content)
            cache.put(key, pdf)
        return _pdf(pdf, f"{meeting.slug}-report-{language.code}.pdf")
    # A draft, or the published report in another of the meeting's languages, is compiled
    # from the outline as it stands.
    with force_locale(language.locale):
        pdf = render_meeting_report_pdf(report.report_content(meeting))
    return _pdf(pdf, f"{meeting.slug}-report-{language.code}.pdf")

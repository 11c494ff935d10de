"""The report outline's pages: the organiser and the Chair put chapters, sections, paragraphs
and blocks in order, with buttons that work without JavaScript. Thin like every view: load,
check, validate, call one rule, commit once.
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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.errors import commit_change
from app.exports.pdf import render_draft_report_pdf
from app.extensions import db
from app.hooks import contribute
from app.meetings import queries as meeting_queries
from app.meetings.access import has_role, load_meeting, require_role
from app.meetings.document_files import documents_folder
from app.meetings.models import Meeting, RoleName
from app.outputs import adoption, drafts, outline, queries
from app.outputs.forms import (
    QUALIFIERS,
    SENTENCES,
    AdoptForm,
    IssueDraftForm,
    MoveForm,
    OutlinePartForm,
    OutputForm,
    ReportForm,
)
from app.outputs.models import OutlinePart, OutputStatus, PartKind
from app.pages import confirm_first, press_button, save_form
from app.permissions import allows
from app.programme.copying import Copier

bp = Blueprint("outline", __name__)


def _outline_copier() -> list[Copier]:
    """ "New meeting from this one" may bring the report outline along (app/programme/copying)."""
    return [Copier("report_outline", _l("The report outline"), outline.copy_outline)]


contribute(bp, "meeting_copiers", _outline_copier)

MANAGE = "/meetings/<slug>/manage/report/outline"
REVIEWERS = (RoleName.CHAIR, RoleName.ORGANISER)


@bp.context_processor
def _template_helpers():
    """Organisers see the management menu; the Chair sees the plain layout."""
    return {
        "layout_for": lambda meeting: (
            "manage_base.html" if has_role(meeting, RoleName.ORGANISER) else "base.html"
        )
    }


def _page(meeting: Meeting, anchor: str = "") -> str:
    return url_for("outline.show_outline", slug=meeting.slug) + (f"#{anchor}" if anchor else "")


def _part_of(meeting: Meeting, part_id: int) -> OutlinePart:
    part = db.session.get(OutlinePart, part_id)
    if part is None or part.meeting_id != meeting.id:
        abort(404)
    return part


def describe(part: OutlinePart, label: str) -> str:
    """A part in one line, for the page and the "place it after" choices."""
    if part.kind == PartKind.HEADING:
        text = " ".join(part.heading.split())
        text = text if len(text) <= 90 else text[:89] + "…"
        return f"{label} {text}".strip()
    if part.kind == PartKind.OUTPUT and part.output is not None:
        return _("Output: %(title)s", title=part.output.title)
    if part.kind == PartKind.TEXT:
        first = " ".join(part.body.split())[:60]
        return _("Paragraphs: %(start)s", start=first + "…") if first else _("Paragraphs (empty)")
    return str(part.kind.label)


def _choices(parts: list[OutlinePart]) -> list[tuple[int, str]]:
    labels = outline.numbering(parts)
    return [(p.id, describe(p, label)) for p, label in zip(parts, labels, strict=True)]


def _outputs(meeting: Meeting):
    return queries.outputs_of(meeting, status=OutputStatus.APPROVED)


def _render_outline(meeting: Meeting, add_form: OutlinePartForm | None = None):
    parts = outline.outline_of(meeting)
    stored = bool(parts) and parts[0].id is not None
    labels = outline.numbering(parts)
    rows = [
        {
            "part": p,
            "label": label,
            "text": describe(p, label),
            "lead": outline.lead_of(meeting, p) if p.kind in outline.LEAD_BLOCKS else "",
        }
        for p, label in zip(parts, labels, strict=True)
    ]
    choices = _choices(parts) if stored else []
    add_form = add_form or OutlinePartForm(formdata=None, parts=choices, outputs=_outputs(meeting))
    if add_form.level.data is None:
        add_form.level.data = 2
    stored_report = queries.meeting_report(meeting)
    return render_template(
        "outputs/outline.html",
        meeting=meeting,
        report=stored_report,
        adopt_form=AdoptForm(
            formdata=None, adopted_on=stored_report.adopted_on if stored_report else None
        ),
        is_organiser=has_role(meeting, RoleName.ORGANISER),
        rows=rows,
        stored=stored,
        add_form=add_form,
        move_form=MoveForm(formdata=None, parts=choices),
        unplaced=outline.unplaced_outputs(meeting, parts) if stored else [],
    )


@bp.route(MANAGE)
@allows("reviewer")
def show_outline(slug):
    meeting = require_role(slug, *REVIEWERS)
    return _render_outline(meeting)


@bp.route(f"{MANAGE}/start", methods=["POST"])
@allows("reviewer")
def start_outline(slug):
    meeting = require_role(slug, *REVIEWERS)
    if not OutputForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: outline.start_outline(meeting) and None,
        _page(meeting),
        done=_("The outline is yours to change; it starts from the standard UN outline."),
    )


@bp.route(f"{MANAGE}/parts", methods=["POST"])
@allows("reviewer")
def add_outline_part(slug):
    meeting = require_role(slug, *REVIEWERS)
    parts = outline.start_outline(meeting)
    form = OutlinePartForm(parts=_choices(parts), outputs=_outputs(meeting))

    def save():
        try:
            kind = PartKind(form.kind.data)
        except ValueError:
            kind = None
        part = outline.add_part(
            meeting,
            kind=kind,
            after_id=form.after_id.data or None,
            level=form.level.data or 0,
            numbered=bool(form.numbered.data),
            heading=form.heading.data or "",
            body=form.body.data or "",
            output_id=form.output_id.data,
        )
        return _("The part was added."), _page(meeting, f"part-{part.id}")

    return save_form(form, save, lambda: _render_outline(meeting, form))


def _options_from(form: OutlinePartForm, meeting: Meeting, kind: PartKind) -> dict:
    if kind == PartKind.ATTENDANCE:
        return {
            "qualifiers": {
                name.removeprefix("qualifier_"): getattr(form, name).data or ""
                for name in QUALIFIERS
            },
            "texts": {
                name.removeprefix("sentence_"): getattr(form, name).data or "" for name in SENTENCES
            },
        }
    if kind == PartKind.OFFICERS:
        return {"by_acclamation": bool(form.by_acclamation.data)}
    if kind == PartKind.AGENDA:
        return {"symbol": form.symbol.data or ""}
    if kind == PartKind.OUTPUT:
        return {"subheadings": bool(form.subheadings.data)}
    if kind == PartKind.DOCUMENTS:
        by_symbol = {d.symbol: d.id for d in meeting_queries.documents(meeting)}

        def ids(text: str) -> list[int]:
            found = []
            for line in (text or "").splitlines():
                symbol = " ".join(line.split())
                if symbol:
                    # An unknown symbol is refused by the rule, with its message on the field.
                    found.append(by_symbol.get(symbol, -1))
            return found

        return {"order": ids(form.document_order.data), "omit": ids(form.document_omit.data)}
    return {}


def _fill_form(form: OutlinePartForm, meeting: Meeting, part: OutlinePart) -> None:
    options = part.options or {}
    if part.kind == PartKind.ATTENDANCE:
        for name in QUALIFIERS:
            getattr(form, name).data = (options.get("qualifiers") or {}).get(
                name.removeprefix("qualifier_"), ""
            )
        for name in SENTENCES:
            getattr(form, name).data = (options.get("texts") or {}).get(
                name.removeprefix("sentence_"), ""
            )
    elif part.kind == PartKind.OFFICERS:
        form.by_acclamation.data = options.get("by_acclamation", True)
    elif part.kind == PartKind.AGENDA:
        form.symbol.data = options.get("symbol", "")
    elif part.kind == PartKind.OUTPUT:
        form.subheadings.data = options.get("subheadings", True)
    elif part.kind == PartKind.DOCUMENTS:
        by_id = {d.id: d.symbol for d in meeting_queries.documents(meeting)}
        form.document_order.data = "\n".join(
            by_id[i] for i in options.get("order") or [] if i in by_id
        )
        form.document_omit.data = "\n".join(
            by_id[i] for i in options.get("omit") or [] if i in by_id
        )


@bp.route(f"{MANAGE}/parts/<int:part_id>", methods=["GET", "POST"])
@allows("reviewer")
def edit_outline_part(slug, part_id):
    meeting = require_role(slug, *REVIEWERS)
    part = _part_of(meeting, part_id)
    kind = part.kind
    form = OutlinePartForm(obj=part, kind=kind.value, outputs=queries.outputs_of(meeting))
    if request.method == "GET":
        _fill_form(form, meeting, part)
    edits = int(form.edits.data) if str(form.edits.data or "").isdigit() else None

    def save():
        outline.update_part(
            meeting,
            part,
            edits=edits if request.method == "POST" else None,
            level=form.level.data if "level" in form else 0,
            numbered=bool(form.numbered.data) if "numbered" in form else True,
            heading=form.heading.data if "heading" in form else "",
            body=form.body.data if "body" in form else "",
            lead=form.lead.data if "lead" in form else "",
            output_id=form.output_id.data if "output_id" in form else None,
            options=_options_from(form, meeting, kind),
        )
        return _("The part was saved."), _page(meeting, f"part-{part_id}")

    def render():
        return render_template(
            "outputs/outline_part.html",
            meeting=meeting,
            part=part,
            form=form,
            default_lead=outline.default_lead(meeting, part),
        )

    try:
        return save_form(form, save, render)
    except outline.PartEdited:
        db.session.rollback()
        return _part_conflict_page(meeting, part_id, form)


def _part_conflict_page(meeting: Meeting, part_id: int, posted: OutlinePartForm):
    """409: the part as someone else saved it, with the text this editor sent shown beside it
    (kept, not saved), and the form starting from theirs so the two can be merged."""
    theirs = _part_of(meeting, part_id)
    form = OutlinePartForm(
        formdata=None, obj=theirs, kind=theirs.kind.value, outputs=queries.outputs_of(meeting)
    )
    _fill_form(form, meeting, theirs)
    sent = [
        (field.label.text, field.data)
        for field in posted
        if field.name in ("heading", "body", "lead") and field.data
    ]
    page = render_template(
        "outputs/outline_part.html",
        meeting=meeting,
        part=theirs,
        form=form,
        default_lead=outline.default_lead(meeting, theirs),
        sent=sent,
    )
    return page, 409


@bp.route(f"{MANAGE}/parts/<int:part_id>/up", methods=["POST"])
@allows("reviewer")
def move_outline_part_up(slug, part_id):
    meeting = require_role(slug, *REVIEWERS)
    if not OutputForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: outline.step_part(meeting, part_id, -1),
        _page(meeting, f"part-{part_id}"),
        done=_("Moved up."),
    )


@bp.route(f"{MANAGE}/parts/<int:part_id>/down", methods=["POST"])
@allows("reviewer")
def move_outline_part_down(slug, part_id):
    meeting = require_role(slug, *REVIEWERS)
    if not OutputForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: outline.step_part(meeting, part_id, +1),
        _page(meeting, f"part-{part_id}"),
        done=_("Moved down."),
    )


@bp.route(f"{MANAGE}/parts/<int:part_id>/move", methods=["POST"])
@allows("reviewer")
def move_outline_part(slug, part_id):
    meeting = require_role(slug, *REVIEWERS)
    part = _part_of(meeting, part_id)
    form = MoveForm(parts=_choices(outline.start_outline(meeting)))
    if not form.validate_on_submit():
        flash(_("Choose where the part goes."), "error")
        return redirect(_page(meeting, f"part-{part.id}"))
    return press_button(
        lambda: outline.move_part(meeting, part.id, after_id=form.after_id.data or None),
        _page(meeting, f"part-{part.id}"),
        done=_("The part was moved."),
    )


@bp.route(f"{MANAGE}/parts/<int:part_id>/delete", methods=["POST"])
@allows("reviewer")
def delete_outline_part(slug, part_id):
    meeting = require_role(slug, *REVIEWERS)
    if not OutputForm().validate_on_submit():
        abort(400)
    # A part someone removed a moment ago is refused with a message, not a 404.
    return press_button(
        lambda: outline.delete_part(meeting, part_id),
        _page(meeting),
        done=_("The part was taken out of the outline."),
    )


@bp.route(f"{MANAGE}/reset", methods=["POST"])
@allows("reviewer")
def reset_outline(slug):
    meeting = require_role(slug, *REVIEWERS)
    if not OutputForm().validate_on_submit():
        abort(400)
    question = confirm_first(
        title=_("Go back to the standard outline?"),
        consequences=[
            _(
                "Every heading, paragraph and setting of this outline goes; the report prints "
                "the standard UN outline again."
            )
        ],
        confirm_label=_("Yes, start again"),
        back=_page(meeting),
    )
    if question is not None:
        return question
    outcome = commit_change(lambda: outline.reset_outline(meeting))
    if outcome.ok:
        flash(_("The report prints the standard outline again."), "success")
    return redirect(_page(meeting))


REPORT = "/meetings/<slug>/manage/report"


@bp.route(f"{REPORT}/title", methods=["GET", "POST"])
@allows("reviewer")
def edit_report_title(slug):
    meeting = require_role(slug, *REVIEWERS)
    form = ReportForm(obj=queries.meeting_report(meeting))

    def save():
        adoption.save_title_block(
            meeting,
            symbol=form.symbol.data or "",
            context_line=form.context_line.data or "",
            context_when=form.context_when.data or "",
        )
        return _("The report's title block was saved."), _page(meeting)

    return save_form(
        form,
        save,
        lambda: render_template("outputs/report_title.html", meeting=meeting, form=form),
    )


@bp.route(f"{REPORT}/adopt", methods=["POST"])
@allows("organiser")
def adopt_report(slug):
    meeting = require_role(slug, RoleName.ORGANISER)
    form = AdoptForm()
    if not form.validate_on_submit():
        flash(_("Give the day as a date."), "error")
        return redirect(_page(meeting, "life-h"))
    return press_button(
        lambda: adoption.adopt_report(meeting, form.adopted_on.data) and None,
        _page(meeting, "life-h"),
        done=_("The day of adoption was recorded."),
    )


@bp.route(f"{REPORT}/publish", methods=["POST"])
@allows("organiser")
def publish_report(slug):
    meeting = require_role(slug, RoleName.ORGANISER)
    if not OutputForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: adoption.publish_report(meeting) and None,
        _page(meeting, "life-h"),
        done=_("The report is public on the meeting's page."),
    )


@bp.route(f"{REPORT}/withdraw", methods=["POST"])
@allows("organiser")
def withdraw_report(slug):
    meeting = require_role(slug, RoleName.ORGANISER)
    if not OutputForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: adoption.withdraw_report(meeting),
        _page(meeting, "life-h"),
        done=_(
            "The report is a draft again: only the organisers, the Chair and the"
            " rapporteurs see it."
        ),
    )


def _draft_form(meeting: Meeting, **kwargs) -> IssueDraftForm:
    names = [(code, _(name)) for code, name in drafts.UN_LANGUAGES.items()]
    return IssueDraftForm(headings=drafts.heading_choices(meeting), language_names=names, **kwargs)


@bp.route(f"{REPORT}/draft-parts", methods=["GET", "POST"])
@allows("rapporteur")
def issue_draft_part(slug):
    meeting = require_role(slug, RoleName.RAPPORTEUR, *REVIEWERS)
    form = _draft_form(meeting)
    if request.method == "GET":
        form.languages.data = list(drafts.UN_LANGUAGES)

    def save():
        part = drafts.issue_draft_part(
            meeting,
            current_user,
            symbol=form.symbol.data or "",
            heading_ids=list(form.heading_ids.data or []),
            issued_on=form.issued_on.data,
            original_language=form.original_language.data or "",
            languages=list(form.languages.data or []),
            render_pdf=render_draft_report_pdf,
            folder=documents_folder(),
        )
        return (
            _(
                "Issued as %(symbol)s and listed among the meeting's documents.",
                symbol=part.document.symbol,
            ),
            url_for("outline.issue_draft_part", slug=meeting.slug),
        )

    return save_form(
        form,
        save,
        lambda: render_template(
            "outputs/draft_parts.html",
            meeting=meeting,
            form=form,
            parts=drafts.draft_parts(meeting),
        ),
    )


@bp.route("/meetings/<slug>/draft-report/<int:number>.pdf")
@allows("anyone")
def download_draft_part(slug, number):
    """A part of the draft report, as listed among the meeting's documents."""
    meeting = load_meeting(slug)
    part = next((p for p in drafts.draft_parts(meeting) if p.number == number), None)
    if part is None or not part.pdf:
        abort(404)
    response = make_response(part.pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = part.document.symbol.replace("/", "_") + ".pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

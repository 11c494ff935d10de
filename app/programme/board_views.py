"""The organiser's planning board: the timetable editor, its moves and their preview, undo and
the change log. Thin like every view: load, check, validate, call one rule, commit once.

A move answers JSON to the editor's script (`Accept: application/json`) and redirects with a
flashed message to a plain form post; a stale version is a 409 either way.
"""

import base64

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from app.auth.services import may_create_meetings
from app.errors import DomainError, commit_change
from app.extensions import db
from app.limits import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from app.meetings.access import is_current, require_manager
from app.meetings.models import Meeting
from app.meetings.queries import meeting_days
from app.models_base import utcnow
from app.pages import press_button, save_form
from app.permissions import allows
from app.programme import board, changes, copying, moves, queries, transfer
from app.programme.conflicts import conflicts_by_session, find_conflicts
from app.programme.forms import (
    ConfirmForm,
    ConfirmImportForm,
    CopyMeetingForm,
    ImportForm,
    MoveForm,
)
from app.programme.models import AgendaSession
from app.spreadsheets import SpreadsheetError, csv_response, read_table, xlsx_response
from app.timezones import day_bounds_utc, local_date, zone_label

bp = Blueprint("board", __name__)

MANAGE = "/meetings/<slug>/manage"


def _session_of(meeting: Meeting, session_id: int) -> AgendaSession:
    session_ = db.session.get(AgendaSession, session_id)
    if session_ is None or session_.meeting_id != meeting.id:
        abort(404)
    return session_


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _timetable(meeting: Meeting, **values) -> str:
    return url_for("board.show_timetable", slug=meeting.slug, **values)


def _conflict_rows(conflicts) -> list[dict]:
    return [
        {
            "kind": c.kind,
            "message": c.message,
            "blocking": c.is_blocking,
            "session_ids": list(c.session_ids),
        }
        for c in conflicts
    ]


@bp.route(f"{MANAGE}/timetable")
@allows("organiser")
def show_timetable(slug):
    """The programme as a grid of one day: rooms (or tracks) side by side, sessions placed by
    time. Without JavaScript each session links to its form; with it they move."""
    meeting = require_manager(slug)
    days = meeting_days(meeting)
    zone = meeting.timezone
    day = board.day_of(request.args.get("day"), days, local_date(utcnow(), zone))
    by = board.BY_TRACK if request.args.get("by") == board.BY_TRACK else board.BY_ROOM
    sessions = queries.board_sessions(meeting, day)
    rooms = queries.rooms(meeting)
    tracks = queries.tracks(meeting)
    layout = board.build_board_day(day, sessions, zone=zone, by=by, rooms=rooms, tracks=tracks)
    # The day's conflicts, by the conflicts page's rules, among the sessions running that day.
    conflicts = find_conflicts(meeting, window=day_bounds_utc(day, zone))
    shown = {s.id for s in sessions}
    return render_template(
        "programme/timetable.html",
        meeting=meeting,
        board=layout,
        days=days,
        by=by,
        rooms=rooms,
        tracks=tracks,
        outside=queries.sessions_outside(meeting),
        people=queries.people_counts(sorted(shown)),
        conflicts=conflicts_by_session(conflicts),
        day_conflicts=[c for c in conflicts if shown.intersection(c.session_ids)],
        zone_text=zone_label(zone, day),
        undoable=moves.last_undoable(meeting, current_user.id),
        row_minutes=board.ROW_MINUTES,
        step_minutes=board.STEP_MINUTES,
        confirm=ConfirmForm(),
    )


@bp.route(f"{MANAGE}/timetable/sessions/<int:session_id>/preview")
@allows("organiser")
def preview_move(slug, session_id):
    """What a move would give, without saving: refused (and why), or its conflicts."""
    meeting = require_manager(slug)
    session_ = _session_of(meeting, session_id)
    asked = request.args.copy()
    asked["version"] = str(session_.version)  # a preview reads; only a save names a version
    form = MoveForm(formdata=asked, meta={"csrf": False})
    if not form.validate():
        return jsonify(ok=False, refusal=_form_errors(form), conflicts=[]), 400
    preview = moves.preview_move(session_, form.move())
    return jsonify(
        ok=preview.refusal is None,
        refusal=preview.refusal,
        field=preview.field,
        conflicts=_conflict_rows(preview.conflicts),
    )


@bp.route(f"{MANAGE}/timetable/sessions/<int:session_id>/move", methods=["POST"])
@allows("organiser")
def move_session(slug, session_id):
    """Move a session (time, length, room, track) through the session form's rules."""
    meeting = require_manager(slug)
    session_ = _session_of(meeting, session_id)
    form = MoveForm()
    back = _timetable(meeting, day=request.form.get("day") or None)
    stale = _(
        "Someone else changed this session after you opened the timetable. Nothing was saved; "
        "the timetable now shows their change."
    )
    if not form.validate():
        return _refused(_form_errors(form), 400, back)
    if not is_current(session_, form.version.data):
        return _refused(stale, 409, back)
    try:
        outcome = commit_change(
            lambda: _moved(session_, form),
            passthrough=(DomainError, StaleDataError, IntegrityError),
        )
    except DomainError as error:
        return _refused(error.message, 422, back, field=error.field)
    except (StaleDataError, IntegrityError):
        return _refused(stale, 409, back)
    if _wants_json():
        return jsonify(ok=True, **outcome.value)
    flash(_("“%(title)s” moved.", title=outcome.value["title"]), "success")
    return redirect(back)


def _moved(session_: AgendaSession, form: MoveForm) -> dict:
    moves.move_session(
        session_,
        form.move(),
        actor_id=current_user.id,
        accept_clashes=bool(form.accept_clashes.data),
    )
    return {"id": session_.id, "version": session_.version, "title": session_.title}


def _form_errors(form) -> str:
    errors = [str(message) for messages in form.errors.values() for message in messages]
    return " ".join(errors) or _("The move could not be understood.")


def _refused(message: str, status: int, back: str, field: str | None = None):
    if _wants_json():
        return jsonify(ok=False, message=message, field=field), status
    flash(message, "error")
    return redirect(back)


@bp.route(f"{MANAGE}/timetable/undo", methods=["POST"])
@allows("organiser")
def undo_change(slug):
    """Walk back the organiser's own latest change to the programme."""
    meeting = require_manager(slug)
    back = request.form.get("next") == "changes"
    target = url_for("board.list_changes", slug=meeting.slug) if back else _timetable(meeting)
    return press_button(
        lambda: _("Undone: %(title)s.", title=moves.undo_last(meeting, current_user.id).title),
        target,
    )


@bp.route(f"{MANAGE}/changes")
@allows("organiser")
def list_changes(slug):
    """The programme's change log: who changed what, when, from where to where."""
    meeting = require_manager(slug)
    entries = changes.log_of(meeting.id)
    return render_template(
        "programme/changes.html",
        meeting=meeting,
        entries=changes.describe_entries(meeting, entries),
        undoable=moves.last_undoable(meeting, current_user.id),
        limit=changes.LOG_PAGE,
    )


# Programme spreadsheet: export, and an import previewed before it saves


def _export_name(meeting: Meeting, extension: str) -> str:
    return secure_filename(f"{meeting.slug}-programme") + "." + extension


@bp.route(f"{MANAGE}/programme.csv")
@allows("organiser")
def export_programme_csv(slug):
    """The programme in the import's columns, as CSV (opens in a spreadsheet as UTF-8)."""
    meeting = require_manager(slug)
    return csv_response(transfer.export_rows(meeting), _export_name(meeting, "csv"))


@bp.route(f"{MANAGE}/programme.xlsx")
@allows("organiser")
def export_programme_xlsx(slug):
    """The same rows as XLSX."""
    meeting = require_manager(slug)
    return xlsx_response(
        transfer.export_rows(meeting), _export_name(meeting, "xlsx"), sheet="Programme"
    )


def _read(meeting: Meeting, filename: str, data: bytes, create_missing: bool):
    table = read_table(filename, data, max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_IMPORT_ROWS)
    return transfer.plan_import(meeting, table, create_missing=create_missing)


@bp.route(f"{MANAGE}/programme/import", methods=["GET", "POST"])
@allows("organiser")
def import_programme(slug):
    """Upload a programme spreadsheet: the answer says what each row would do; nothing is saved
    until the organiser confirms on that page."""
    meeting = require_manager(slug)
    form = ImportForm()
    plan = None
    carried = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            plan = _read(meeting, upload.filename or "", data, bool(form.create_missing.data))
        except SpreadsheetError as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            carried = ConfirmImportForm(
                formdata=None,
                data={
                    "content": base64.b64encode(data).decode("ascii"),
                    "filename": (upload.filename or "")[:200],
                    "create_missing": "y" if form.create_missing.data else "",
                },
            )
    return render_template(
        "programme/import.html",
        meeting=meeting,
        form=form,
        plan=plan,
        carried=carried,
        transfer=transfer,
    )


@bp.route(f"{MANAGE}/programme/import/confirm", methods=["POST"])
@allows("organiser")
def confirm_import(slug):
    """Save the previewed file: read and checked again, then saved whole or not at all."""
    meeting = require_manager(slug)
    form = ConfirmImportForm()
    back = url_for("board.import_programme", slug=meeting.slug)
    if not form.validate_on_submit():
        flash(_("The file to import was not sent again; upload it once more."), "error")
        return redirect(back)
    try:
        data = base64.b64decode(form.content.data, validate=True)
        plan = _read(meeting, form.filename.data or "", data, form.create_missing.data == "y")
    except (ValueError, SpreadsheetError):
        flash(_("The file to import could not be read again; upload it once more."), "error")
        return redirect(back)
    outcome = commit_change(
        lambda: transfer.apply_import(meeting, plan, actor_id=current_user.id),
        conflict_message=_("Someone changed the programme at the same moment. Nothing was saved."),
    )
    if not outcome.ok:
        return redirect(back)
    done = outcome.value
    flash(
        _(
            "Imported: %(new)d new sessions, %(updated)d changed.",
            new=done[transfer.NEW],
            updated=done[transfer.UPDATE],
        ),
        "success",
    )
    return redirect(_timetable(meeting))


# The next edition


@bp.route(f"{MANAGE}/copy", methods=["GET", "POST"])
@login_required
@allows("creator")
def copy_meeting(slug):
    """New meeting from this one: the structure the organiser chooses, at new dates."""
    meeting = require_manager(slug)
    if not may_create_meetings(current_user):
        abort(
            403,
            description=_(
                "Creating meetings is for the accounts a site administrator names. Ask one "
                "to let your account create meetings."
            ),
        )
    choices = copying.part_choices()
    form = CopyMeetingForm(choices=choices)
    if request.method == "GET":
        form.parts.data = [key for key, _label in choices]
        form.title.data = meeting.title
        form.short_title.data = meeting.short_title

    def save():
        new = copying.copy_meeting(
            meeting,
            current_user,
            title=form.title.data,
            short_title=form.short_title.data,
            slug=form.slug.data or "",
            first_day=form.first_day.data,
            parts=set(form.parts.data or []),
        )
        return (
            _("The new meeting was created from this one. You are its organiser."),
            url_for("meetings.manage_meeting", slug=new.slug),
        )

    return save_form(
        form,
        save,
        lambda: render_template("programme/copy.html", meeting=meeting, form=form),
    )

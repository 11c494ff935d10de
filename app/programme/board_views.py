"""The organiser's planning board: the timetable editor, its moves and their preview, undo and
the change log. Thin like every view: load, check, validate, call one rule, commit once.

A move answers JSON to the editor's script (`Accept: application/json`) and redirects with a
flashed message to a plain form post; a stale version is a 409 either way.
"""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.errors import DomainError, commit_change
from app.extensions import db
from app.meetings.access import is_current, require_manager
from app.meetings.models import Meeting
from app.meetings.queries import meeting_days
from app.models_base import utcnow
from app.pages import press_button
from app.permissions import allows
from app.programme import board, changes, moves, queries
from app.programme.conflicts import conflicts_by_session, find_conflicts
from app.programme.forms import ConfirmForm, MoveForm
from app.programme.models import AgendaSession
from app.timezones import local_date, zone_label

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
    sessions = queries.planned_sessions(meeting)
    rooms = queries.rooms(meeting)
    tracks = queries.tracks(meeting)
    layout = board.build_board_day(day, sessions, zone=zone, by=by, rooms=rooms, tracks=tracks)
    conflicts = find_conflicts(meeting)
    shown = {card.session.id for card in layout.cards} | {s.id for s in layout.aside}
    return render_template(
        "programme/timetable.html",
        meeting=meeting,
        board=layout,
        days=days,
        by=by,
        rooms=rooms,
        tracks=tracks,
        outside=board.outside_days(sessions, days, zone),
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

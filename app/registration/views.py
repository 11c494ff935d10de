"""Registration pages: a participant's registration, places and agenda; the organiser's lists."""

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.meetings.access import can_see, load_meeting, require_manager
from app.meetings.models import Meeting
from app.programme.models import AgendaSession
from app.registration import bp
from app.registration.forms import (
    DecisionForm,
    LeavePlaceForm,
    RegistrationFilterForm,
    RegistrationForm,
    TakePlaceForm,
    WithdrawForm,
)
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)
from app.registration.services import (
    RegistrationError,
    attendance_paragraphs,
    decide,
    leave_place,
    list_registrations,
    personal_agenda,
    register,
    registration_of,
    rosters,
    slot_choices,
    slot_rosters,
    take_place,
    withdraw,
)
from app.timezones import zone_label
from app.urls import safe_local_path


def _my_page(meeting):
    return redirect(url_for("registration.show_my_registration", slug=meeting.slug))


def _own_registration(meeting) -> Registration:
    registration = registration_of(meeting, current_user)
    if registration is None:
        _register_first(meeting)
    return registration


def _register_first(meeting) -> None:
    flash(_("Register for the meeting first."), "warning")
    abort(redirect(url_for("registration.register_for_meeting", slug=meeting.slug)))


@bp.route("/meetings/<slug>/register", methods=["GET", "POST"])
@login_required
def register_for_meeting(slug):
    meeting = load_meeting(slug)
    existing = registration_of(meeting, current_user)
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        flash(_("You are registered for this meeting already."), "info")
        return _my_page(meeting)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration = _apply(
                register,
                meeting,
                current_user,
                delegation=form.delegation.data,
                category=AttendanceCategory(form.category.data),
            )
        except RegistrationError as error:
            getattr(form, error.field or "delegation").errors.append(str(error))
        else:
            if registration.status == RegistrationStatus.APPROVED:
                flash(_("You are registered. Choose your breakout clusters below."), "success")
            else:
                flash(_("Your registration awaits the organisers' approval."), "info")
            return _my_page(meeting)
    return render_template("registration/register.html", meeting=meeting, form=form)


@bp.route("/meetings/<slug>/my")
@login_required
def show_my_registration(slug):
    meeting = load_meeting(slug)
    registration = _own_registration(meeting)
    choices = (
        slot_choices(registration) if registration.status == RegistrationStatus.APPROVED else {}
    )
    return render_template(
        "registration/mine.html",
        meeting=meeting,
        registration=registration,
        choices=choices,
        agenda=personal_agenda(registration),
        zone=zone_label(meeting.timezone, meeting.first_day),
        withdraw_form=WithdrawForm(),
    )


def _place_request(slug, session_id) -> tuple[Meeting, Registration, AgendaSession]:
    """The meeting, the participant's registration and the session, for a place change.

    One query on the sign-up path, which is the busiest write a meeting has when places open;
    the track and cluster come along because the place rules read both.
    """
    row = db.session.execute(
        select(Meeting, AgendaSession, Registration)
        .join(AgendaSession, AgendaSession.meeting_id == Meeting.id)
        .outerjoin(
            Registration,
            (Registration.meeting_id == Meeting.id) & (Registration.user_id == current_user.id),
        )
        .where(Meeting.slug == slug, AgendaSession.id == session_id)
        .options(joinedload(AgendaSession.track), joinedload(AgendaSession.cluster))
    ).first()
    if row is None:
        load_meeting(slug)  # an unknown or hidden meeting is 404 like any other page's
        abort(404)
    meeting, session_, registration = row
    if not can_see(meeting):
        abort(404)
    if registration is None:
        _register_first(meeting)
    return meeting, registration, session_


def _apply(change, *args, **kwargs):
    """Run one service and commit; a rule broken re-raises, a lock clash is a clear 409.

    Under load two requests can meet in the database (a lock timeout, a deadlock, a double
    click hitting a unique constraint): that is "try again", never a 500 or half a change.
    """
    try:
        result = change(*args, **kwargs)
        db.session.commit()
    except RegistrationError:
        db.session.rollback()
        raise
    except DBAPIError:
        db.session.rollback()
        abort(409, _("Many people are signing up at this moment. Nothing was saved; try again."))
    return result


@bp.route("/meetings/<slug>/places/<int:session_id>", methods=["POST"], endpoint="take_place")
@login_required
def take_place_view(slug, session_id):
    meeting, registration, session_ = _place_request(slug, session_id)
    form = TakePlaceForm()
    if not form.validate_on_submit():
        abort(400)

    def take_and_describe() -> tuple[str, str]:
        # The message is worded before the commit, which would expire what it reads.
        place = take_place(registration, session_, wait=form.wait.data).place
        if place.status == PlaceStatus.CONFIRMED:
            return "success", _("Your place in “%(title)s” is confirmed.", title=session_.title)
        return "info", _(
            "“%(title)s” is full. You are number %(position)d on its waiting list; "
            "you keep any place you held in this slot until a place frees.",
            title=session_.title,
            position=place.waitlist_position,
        )

    try:
        level, message = _apply(take_and_describe)
    except RegistrationError as error:
        flash(str(error), "error")
        return _my_page(meeting)
    flash(message, level)
    return redirect(url_for("registration.show_my_registration", slug=slug))


@bp.route(
    "/meetings/<slug>/places/<int:session_id>/leave", methods=["POST"], endpoint="leave_place"
)
@login_required
def leave_place_view(slug, session_id):
    meeting, registration, session_ = _place_request(slug, session_id)
    form = LeavePlaceForm()
    if not form.validate_on_submit():
        abort(400)
    current = db.session.scalar(
        db.select(ClusterPlace).where(
            ClusterPlace.registration_id == registration.id,
            ClusterPlace.session_id == session_.id,
        )
    )
    shown = (form.expected_status.data or "", form.expected_position.data or "")
    actual = (current.status.value, str(current.waitlist_position or "")) if current else ("", "")
    if current is None or shown != actual:
        flash(
            _(
                "Your page was out of date: your place in “%(title)s” has changed since. "
                "Nothing was changed; here is how it stands now.",
                title=session_.title,
            ),
            "warning",
        )
        return _my_page(meeting)
    try:
        _apply(leave_place, registration, session_)
    except RegistrationError as error:
        flash(str(error), "error")
        return _my_page(meeting)
    flash(_("You left “%(title)s”.", title=session_.title), "success")
    return _my_page(meeting)


@bp.route("/meetings/<slug>/withdraw", methods=["POST"])
@login_required
def withdraw_registration(slug):
    meeting = load_meeting(slug)
    registration = _own_registration(meeting)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that you want to withdraw."), "error")
        return _my_page(meeting)
    try:
        _apply(withdraw, registration)
    except RegistrationError as error:
        flash(str(error), "error")
        return _my_page(meeting)
    flash(_("You have withdrawn from the meeting. Your places are freed."), "success")
    return _my_page(meeting)


# Organiser pages ------------------------------------------------------------------------------


def _filtered(meeting):
    form = RegistrationFilterForm(request.args)
    form.validate()
    category = form.category.data or None
    status = form.status.data or None
    try:
        registrations = list_registrations(
            meeting,
            category=AttendanceCategory(category) if category else None,
            status=RegistrationStatus(status) if status else None,
            delegation=form.delegation.data or "",
        )
    except ValueError:
        abort(400)
    return form, registrations


@bp.route("/meetings/<slug>/manage/registrations", endpoint="list_registrations")
def list_registrations_view(slug):
    meeting = require_manager(slug)
    form, registrations = _filtered(meeting)
    return render_template(
        "registration/list.html",
        meeting=meeting,
        filter_form=form,
        registrations=registrations,
        decision_form=DecisionForm(),
    )


@bp.route("/meetings/<slug>/manage/registrations/<int:registration_id>", methods=["POST"])
def decide_registration(slug, registration_id):
    meeting = require_manager(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        problems = [
            f"{form[name].label.text}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in form
        ]
        flash(_("Nothing was changed. %(problems)s", problems=" ".join(problems)), "error")
    else:
        try:
            _apply(
                decide, registration, RegistrationStatus(form.decision.data), form.note.data or ""
            )
        except RegistrationError as error:
            flash(str(error), "error")
        else:
            flash(
                _(
                    "%(name)s: %(status)s.",
                    name=registration.person.name,
                    status=registration.status.label,
                ),
                "success",
            )
    back = safe_local_path(request.form.get("back"))
    return redirect(back or url_for("registration.list_registrations", slug=meeting.slug))


def csv_response(rows: list[list[str]], filename: str) -> Response:
    """A CSV download that spreadsheets open as UTF-8 (BOM) and that cannot smuggle formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    body = "\ufeff" + buffer.getvalue()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@bp.route("/meetings/<slug>/manage/registrations.csv")
def export_registrations(slug):
    meeting = require_manager(slug)
    _form, registrations = _filtered(meeting)
    rows = [[_("Name"), _("Email"), _("Delegation"), _("Category"), _("Status"), _("Registered")]]
    for r in registrations:
        rows.append(
            [
                r.person.display_name,
                r.user.email,
                r.delegation,
                r.category.label,
                r.status.label,
                r.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            ]
        )
    return csv_response(rows, f"{meeting.slug}-registrations.csv")


@bp.route("/meetings/<slug>/manage/rosters")
def show_rosters(slug):
    """One slot at a time (`?slot=N`, the first by time unless asked): a congress has thousands."""
    meeting = require_manager(slug)
    try:
        slots, slot = slot_rosters(meeting, request.args.get("slot", type=int))
    except LookupError:
        abort(404)
    return render_template(
        "registration/rosters.html",
        meeting=meeting,
        slots=slots,
        slot=slot,
        zone=zone_label(meeting.timezone, meeting.first_day),
    )


@bp.route("/meetings/<slug>/manage/rosters.csv")
def export_rosters(slug):
    meeting = require_manager(slug)
    rows = [
        [_("Slot"), _("Session"), _("Cluster"), _("Status"), _("Position"), _("Name"),
         _("Delegation"), _("Category")]
    ]  # fmt: skip
    # A label is translated once, not once per place (a congress has 10,000 places).
    labels: dict = {}

    def label(value) -> str:
        if value not in labels:
            labels[value] = str(value.label)
        return labels[value]

    for slot, of_slot in rosters(meeting).items():
        for roster in of_slot:
            cluster = roster.session_.cluster.label if roster.session_.cluster else ""
            for entry in roster.confirmed + roster.waiting:
                rows.append(
                    [
                        slot,
                        roster.session_.title,
                        cluster,
                        label(entry.status),
                        entry.waitlist_position or "",
                        entry.display_name,
                        entry.delegation,
                        label(entry.category),
                    ]
                )
    return csv_response(rows, f"{meeting.slug}-rosters.csv")


@bp.route("/meetings/<slug>/manage/attendance")
def show_attendance(slug):
    meeting = require_manager(slug)
    return render_template(
        "registration/attendance.html", meeting=meeting, paragraphs=attendance_paragraphs(meeting)
    )

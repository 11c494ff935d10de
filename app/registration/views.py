"""Registration pages: a participant's registration, places and agenda; the organiser's lists.

Every change runs one rule and commits through app/errors.py: a broken rule is flashed, and
two requests meeting in the database (a lock clash, a double click hitting a unique
constraint) are a clear 409 "try again", never a 500 or half a change.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from app.errors import commit_change
from app.extensions import db
from app.hooks import contribute
from app.meetings.access import can_see, load_meeting, require_manager
from app.meetings.models import Meeting
from app.pages import confirm_first
from app.permissions import allows
from app.programme.models import AgendaSession
from app.registration import queries
from app.registration.attendance import attendance_paragraphs
from app.registration.forms import (
    BulkDecisionForm,
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
from app.registration.places import leave_place, take_place
from app.registration.registrations import decide, register, withdraw
from app.spreadsheets import csv_response
from app.timezones import zone_label
from app.urls import safe_local_path

bp = Blueprint("registration", __name__)


def _busy() -> str:
    return _("Many people are signing up at this moment. Nothing was saved; try again.")


def _registrations_counted(meeting: Meeting) -> list[tuple[str, int]]:
    """What the organiser's dashboard counts of registration."""
    return [(_("Registrations"), queries.count_registrations(meeting))]


def _registration_action(meeting: Meeting) -> Markup:
    """The meeting page's button for the visitor: register, or see their registration."""
    registration = None
    if current_user.is_authenticated:
        registration = queries.registration_of(meeting, current_user)
    return Markup(
        render_template(
            "registration/_meeting_action.html", meeting=meeting, registration=registration
        )
    )


def _own_session_ids(meeting: Meeting) -> list[int]:
    """The visitor's own sessions, for the programme's "changed since you last looked" marks:
    their agenda as a registered participant, and the sessions they speak in."""
    if not current_user.is_authenticated:
        return []
    return queries.own_session_ids(meeting, current_user)


contribute(bp, "meeting_counts", _registrations_counted)
contribute(bp, "meeting_actions", _registration_action)
contribute(bp, "own_session_ids", _own_session_ids)


def _my_page(meeting):
    return redirect(url_for("registration.show_my_registration", slug=meeting.slug))


def _own_registration(meeting) -> Registration:
    registration = queries.registration_of(meeting, current_user)
    if registration is None:
        _register_first(meeting)
    return registration


def _register_first(meeting) -> None:
    flash(_("Register for the meeting first."), "warning")
    abort(redirect(url_for("registration.register_for_meeting", slug=meeting.slug)))


@bp.route("/meetings/<slug>/register", methods=["GET", "POST"])
@login_required
@allows("signed_in")
def register_for_meeting(slug):
    meeting = load_meeting(slug)
    existing = queries.registration_of(meeting, current_user)
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        flash(_("You are registered for this meeting already."), "info")
        return _my_page(meeting)
    form = RegistrationForm()
    if form.validate_on_submit():

        def registered() -> RegistrationStatus:
            registration = register(
                meeting,
                current_user,
                delegation=form.delegation.data,
                category=AttendanceCategory(form.category.data),
                honorific=form.honorific.data or "",
                position=form.position.data or "",
            )
            return registration.status

        outcome = commit_change(registered, form=form, conflict_message=_busy())
        if outcome.ok:
            if outcome.value == RegistrationStatus.APPROVED:
                flash(_("You are registered. Choose your breakout clusters below."), "success")
            else:
                flash(_("Your registration awaits the organisers' approval."), "info")
            return _my_page(meeting)
    return render_template("registration/register.html", meeting=meeting, form=form)


@bp.route("/meetings/<slug>/my")
@login_required
@allows("registered")
def show_my_registration(slug):
    meeting = load_meeting(slug)
    registration = _own_registration(meeting)
    choices = (
        queries.slot_choices(registration)
        if registration.status == RegistrationStatus.APPROVED
        else {}
    )
    return render_template(
        "registration/mine.html",
        meeting=meeting,
        registration=registration,
        choices=choices,
        agenda=queries.personal_agenda(registration),
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


@bp.route("/meetings/<slug>/places/<int:session_id>", methods=["POST"], endpoint="take_place")
@login_required
@allows("registered")
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

    outcome = commit_change(take_and_describe, conflict_message=_busy())
    if outcome.ok:
        level, message = outcome.value
        flash(message, level)
    # The slug from the URL: the commit expired the meeting, and reading it again would cost
    # the busiest write a meeting has one more query.
    return redirect(url_for("registration.show_my_registration", slug=slug))


@bp.route(
    "/meetings/<slug>/places/<int:session_id>/leave", methods=["POST"], endpoint="leave_place"
)
@login_required
@allows("registered")
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
    question = confirm_first(
        title=_("Give up your place in “%(title)s”?", title=session_.title),
        consequences=_leaving(current, session_),
        confirm_label=_("Yes, give it up"),
        back=url_for("registration.show_my_registration", slug=meeting.slug),
        carry={"expected_status": shown[0], "expected_position": shown[1]},
    )
    if question is not None:
        return question
    title = session_.title
    if commit_change(lambda: leave_place(registration, session_), conflict_message=_busy()).ok:
        flash(_("You left “%(title)s”.", title=title), "success")
    return _my_page(meeting)


def _leaving(place: ClusterPlace, session_: AgendaSession) -> list[str]:
    """What giving up a place means, for the question asked first."""
    if place.status == PlaceStatus.WAITLISTED:
        return [
            _(
                "You leave its waiting list, where you are number %(position)d; the people "
                "behind you move up.",
                position=place.waitlist_position,
            ),
            _("Joining again puts you at the end of the list."),
        ]
    waiting = queries.place_counts([session_.id], PlaceStatus.WAITLISTED).get(session_.id, 0)
    if waiting:
        return [
            ngettext(
                "Your place goes at once to the person first on its waiting list (%(num)d "
                "waiting).",
                "Your place goes at once to the person first on its waiting list (%(num)d "
                "waiting).",
                waiting,
            ),
            _("If you change your mind, you join the end of the waiting list."),
        ]
    return [_("Your place is freed for anyone to take; it may be gone when you come back.")]


@bp.route("/meetings/<slug>/withdraw", methods=["POST"])
@login_required
@allows("registered")
def withdraw_registration(slug):
    meeting = load_meeting(slug)
    registration = _own_registration(meeting)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that you want to withdraw."), "error")
        return _my_page(meeting)
    if commit_change(lambda: withdraw(registration), conflict_message=_busy()).ok:
        flash(_("You have withdrawn from the meeting. Your places are freed."), "success")
    return _my_page(meeting)


# Organiser pages ------------------------------------------------------------------------------


def _filtered(meeting):
    return filtered_registrations(meeting, request.args)


def filtered_registrations(meeting, args):
    """The registrations the filters ask for. A plain visit shows every registration and no
    error; a filter that is not valid (an unknown category, a name past its bound) is shown
    with its error and left out, never sent to the database."""
    form = RegistrationFilterForm(MultiDict(args))
    if any(args.get(name) for name in ("category", "status", "delegation")):
        form.validate()

    def valid(field) -> str:
        return "" if field.errors else (field.data or "")

    category, status = valid(form.category), valid(form.status)
    registrations = queries.list_registrations(
        meeting,
        category=AttendanceCategory(category) if category else None,
        status=RegistrationStatus(status) if status else None,
        delegation=valid(form.delegation),
    )
    return form, registrations


@bp.route("/meetings/<slug>/manage/registrations", endpoint="list_registrations")
@allows("organiser")
def list_registrations_view(slug):
    meeting = require_manager(slug)
    form, registrations = _filtered(meeting)
    return render_template(
        "registration/list.html",
        meeting=meeting,
        filter_form=form,
        registrations=registrations,
        decision_form=DecisionForm(),
        bulk_form=BulkDecisionForm(
            formdata=None,
            data={
                name: request.args.get(name, "") for name in ("category", "status", "delegation")
            },
        ),
    )


@bp.route("/meetings/<slug>/manage/registrations/<int:registration_id>", methods=["POST"])
@allows("organiser")
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

        def decided() -> str:
            decide(registration, RegistrationStatus(form.decision.data), form.note.data or "")
            return _(
                "%(name)s: %(status)s.",
                name=registration.person.name,
                status=registration.status.label,
            )

        outcome = commit_change(decided, conflict_message=_busy())
        if outcome.ok:
            flash(outcome.value, "success")
    back = safe_local_path(request.form.get("back"))
    return redirect(back or url_for("registration.list_registrations", slug=meeting.slug))


@bp.route("/meetings/<slug>/manage/registrations.csv")
@allows("organiser")
def export_registrations(slug):
    meeting = require_manager(slug)
    _form, registrations = _filtered(meeting)
    rows = [[_("Name"), _("Email"), _("Delegation"), _("Category"), _("Status"), _("Registered")]]
    for r in registrations:
        rows.append(
            [
                r.person.display_name,
                r.contact_email,
                r.delegation,
                r.category.label,
                r.status.label,
                r.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            ]
        )
    return csv_response(rows, f"{meeting.slug}-registrations.csv")


@bp.route("/meetings/<slug>/manage/rosters")
@allows("organiser")
def show_rosters(slug):
    """One slot at a time (`?slot=N`, the first by time unless asked): a congress has thousands."""
    meeting = require_manager(slug)
    try:
        slots, slot = queries.slot_rosters(meeting, request.args.get("slot", type=int))
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
@allows("organiser")
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

    for slot, of_slot in queries.rosters(meeting).items():
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
@allows("organiser")
def show_attendance(slug):
    meeting = require_manager(slug)
    return render_template(
        "registration/attendance.html", meeting=meeting, paragraphs=attendance_paragraphs(meeting)
    )

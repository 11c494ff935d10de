"""The venue's pages: the organiser's settings, counts, badges and certificates; the
registration desk's check-in page (a phone at the door); a participant's own certificate.

The desk's scans arrive as JSON from static/js/checkin.js (the page works without it: find a
person by name, or type a badge's code). Every refusal is a clear message on the desk's screen
and records nothing; a view answers with a 4xx, never a 500.
"""

import re
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.errors import VenueError, commit_change
from app.extensions import db
from app.hooks import contribute
from app.limits import BADGES_PER_PDF_MAX, DESK_SEARCH_MAX
from app.meetings.access import (
    can_manage,
    has_role,
    load_meeting,
    require_manager,
    require_role,
)
from app.meetings.models import Meeting, RoleName
from app.models_base import MAX_ID, utcnow
from app.pages import save_form
from app.permissions import allows
from app.plain import single_line
from app.registration.models import AttendanceCategory, Registration, RegistrationStatus
from app.timezones import local_date, local_time
from app.venue import checkins, queries
from app.venue.documents import render_badges_pdf, render_certificates_pdf
from app.venue.forms import CLIENT_ID_MAX, DESK_NAME_MAX, CheckInForm, VenueSettingsForm
from app.venue.printing import badge_content, certificates_for
from app.venue.tokens import TOKEN_MAX, registration_id_from

bp = Blueprint("venue", __name__)

DESK_ROLES = (RoleName.REGISTRATION_DESK, RoleName.ORGANISER)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8," + str(CLIENT_ID_MAX) + r"}$")


# What the venue adds to lower areas' pages.


def _desk_action(meeting: Meeting) -> Markup:
    """The meeting page's button for the registration desk."""
    if not current_user.is_authenticated or not has_role(meeting, *DESK_ROLES):
        return Markup("")
    return Markup('<a class="button" href="%s">%s</a>') % (
        url_for("venue.show_desk", slug=meeting.slug),
        _("Registration desk"),
    )


def _certificate_part(meeting: Meeting, registration: Registration) -> Markup:
    """A participant's own page: their certificate of attendance, once they were present."""
    if registration.status != RegistrationStatus.APPROVED:
        return Markup("")
    present = queries.is_present(meeting, registration.id)
    return Markup(render_template("venue/_my_certificate.html", meeting=meeting, present=present))


def _attendance_delegations(meeting: Meeting):
    """The report's delegations from presence, when the organiser chose so (else no opinion)."""
    if not queries.settings_of(meeting).attendance_from_presence:
        return None
    return queries.present_delegations(meeting)


def _attendance_notes(meeting: Meeting) -> list[str]:
    """Say so beside the attendance section when it lists only delegations present."""
    if not queries.settings_of(meeting).attendance_from_presence:
        return []
    return [
        _(
            "Only the delegations with at least one member checked in are listed (the setting "
            "is on the page At the venue)."
        )
    ]


contribute(bp, "meeting_actions", _desk_action)
contribute(bp, "attendance_notes", _attendance_notes)
contribute(bp, "my_registration_parts", _certificate_part)
contribute(bp, "attendance_delegations", _attendance_delegations)


# The organiser's page: settings, live counts, badges and certificates.


@bp.route("/meetings/<slug>/manage/venue", methods=["GET", "POST"])
@login_required
@allows("organiser")
def show_venue(slug):
    meeting = require_manager(slug)
    settings = queries.settings_of(meeting)
    form = VenueSettingsForm(
        data={
            "check_in_per_session": settings.check_in_per_session,
            "attendance": "present" if settings.attendance_from_presence else "registered",
        }
        if request.method == "GET"
        else None
    )

    def save():
        checkins.save_settings(
            meeting,
            check_in_per_session=form.check_in_per_session.data,
            attendance_from_presence=form.attendance.data == "present",
        )
        return _("Venue settings saved."), url_for("venue.show_venue", slug=meeting.slug)

    def render():
        counts = queries.presence_counts(meeting)
        sessions = {s.id: s for s in queries.door_sessions(meeting)} if counts.by_session else {}
        return render_template(
            "venue/manage.html",
            meeting=meeting,
            form=form,
            counts=counts,
            day_labels={day: format_date(day, "medium") for day in counts.by_day},
            sessions=sessions,
            categories=list(AttendanceCategory),
            delegations=queries.delegations(meeting),
        )

    return save_form(form, save, render)


def _pdf(data: bytes, filename: str):
    return (
        data,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        abort(404)
    return int(value)


@bp.route("/meetings/<slug>/manage/venue/badges.pdf")
@login_required
@allows("organiser")
def export_badges(slug):
    """Badges for one participant, a delegation, a category or everyone."""
    meeting = require_manager(slug)
    registration_id = _int_arg("registration")
    delegation = single_line(request.args.get("delegation", ""))[:200]
    category = request.args.get("category", "")
    if category and category not in {c.value for c in AttendanceCategory}:
        abort(404)
    layout = request.args.get("layout", "sheet")
    people = queries.participants(
        meeting,
        registration_ids=[registration_id] if registration_id else None,
        delegation=delegation or None,
        category=AttendanceCategory(category) if category else None,
        limit=_too_many(),
    )
    try:
        content = badge_content(meeting, people)
    except VenueError as error:
        flash(error.message, "error")
        return redirect(url_for("venue.show_venue", slug=meeting.slug))
    return _pdf(render_badges_pdf(content, layout), f"badges-{meeting.slug}.pdf")


def _too_many() -> int:
    """One more than a PDF may hold, so the rule can say "too many" without reading them all."""
    return BADGES_PER_PDF_MAX + 1


@bp.route("/meetings/<slug>/manage/venue/certificates.pdf")
@login_required
@allows("organiser")
def export_certificates(slug):
    """A certificate of attendance for everyone who was present."""
    meeting = require_manager(slug)
    people = queries.participants(meeting, present_only=True, limit=_too_many())
    try:
        with force_locale(meeting.language):
            data = render_certificates_pdf(certificates_for(meeting, people))
    except VenueError as error:
        flash(error.message, "error")
        return redirect(url_for("venue.show_venue", slug=meeting.slug))
    return _pdf(data, f"certificates-{meeting.slug}.pdf")


@bp.route("/meetings/<slug>/my/certificate.pdf")
@login_required
@allows("registered")
def export_my_certificate(slug):
    """A participant's own certificate of attendance, once they were checked in."""
    meeting = load_meeting(slug)
    registration = db.session.scalar(
        db.select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == current_user.id
        )
    )
    if registration is None:
        return redirect(url_for("registration.register_for_meeting", slug=meeting.slug))
    people = queries.participants(meeting, registration_ids=[registration.id], present_only=True)
    try:
        with force_locale(meeting.language):
            data = render_certificates_pdf(certificates_for(meeting, people))
    except VenueError:
        flash(_("Your certificate of attendance is ready once you have been checked in."), "info")
        return redirect(url_for("registration.show_my_registration", slug=meeting.slug))
    return _pdf(data, f"certificate-{meeting.slug}.pdf")


# The registration desk.


def _desk_name(value: str | None) -> str:
    return single_line(value or "")[:DESK_NAME_MAX]


def _door(meeting: Meeting, value) -> int | None:
    """The session whose door the desk stands at, when the meeting checks in per session."""
    try:
        session_id = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    if session_id is None or not 1 <= session_id <= MAX_ID:
        return None
    return session_id


@bp.route("/meetings/<slug>/desk")
@login_required
@allows("desk")
def show_desk(slug):
    meeting = require_role(slug, *DESK_ROLES)
    settings = queries.settings_of(meeting)
    today = local_date(utcnow(), meeting.timezone)
    runs_today = meeting.first_day <= today <= meeting.last_day
    desk = _desk_name(request.args.get("desk"))
    session_id = (
        _door(meeting, request.args.get("session")) if settings.check_in_per_session else None
    )
    doors = (
        [
            s
            for s in queries.door_sessions(meeting)
            if local_date(s.starts_at, meeting.timezone) == today
        ]
        if settings.check_in_per_session
        else []
    )
    if session_id is not None and session_id not in {s.id for s in doors}:
        session_id = None
    name = single_line(request.args.get("q", ""))[:100].strip()
    found = (
        queries.participants(meeting, name=name, limit=DESK_SEARCH_MAX) if len(name) >= 2 else []
    )
    checked = queries.check_ins_on(meeting, today, [p.registration_id for p in found], session_id)
    return render_template(
        "venue/desk.html",
        meeting=meeting,
        today=today,
        runs_today=runs_today,
        first_day=format_date(meeting.first_day, "long"),
        last_day=format_date(meeting.last_day, "long"),
        desk=desk,
        session_id=session_id,
        doors=doors,
        name=name,
        found=found,
        checked=checked,
        can_print=can_manage(meeting),
        local_time=local_time,
        search_max=DESK_SEARCH_MAX,
    )


@bp.route("/meetings/<slug>/desk/check-in", methods=["POST"])
@login_required
@allows("desk")
def check_in_participant(slug):
    """Check someone in from the desk's page without JavaScript: by name or a badge's code."""
    meeting = require_role(slug, *DESK_ROLES)
    form = CheckInForm()
    desk = _desk_name(form.desk.data)
    session_id = _door(meeting, request.form.get("session_id"))
    back = url_for(
        "venue.show_desk",
        slug=meeting.slug,
        desk=desk or None,
        session=session_id,
        q=single_line(request.form.get("q", ""))[:100] or None,
    )
    if not form.validate():
        flash(_("Nothing was recorded: the badge code is not valid."), "error")
        return redirect(back)

    def record():
        registration_id = _registration_from(meeting, form.registration_id.data, form.token.data)
        result = checkins.check_in(
            meeting, registration_id, desk=desk, by=current_user, session_id=session_id
        )
        return result.participant.display_name, result.message(meeting.timezone), result.created

    outcome = commit_change(record)
    if outcome.ok:
        person, message, created = outcome.value
        flash(f"{person}: {message}", "success" if created else "warning")
    return redirect(back)


def _registration_from(meeting: Meeting, registration_id: str | None, token: str | None) -> int:
    if token:
        return registration_id_from(meeting, token)
    if registration_id and registration_id.isdigit() and 1 <= int(registration_id) <= MAX_ID:
        return int(registration_id)
    raise VenueError(_("Find the participant by name, or scan or type their badge's code."))


def _answer(state: str, message: str, status: int = 200, person=None):
    body = {"state": state, "message": message}
    if person is not None:
        body.update(
            name=person.display_name,
            delegation=person.delegation,
            category=person.category.label,
        )
    return jsonify(body), status


@bp.route("/meetings/<slug>/desk/scans", methods=["POST"])
@allows("desk")
def record_scan(slug):
    """A badge scanned by the desk's page (JSON): checked in, already in, or refused; each
    scan carries its own time and id, so a desk that was offline sends it later, and a resend
    of the same scan is recognised."""
    meeting = load_meeting(slug)
    if not current_user.is_authenticated:
        return _answer(
            "signed_out",
            _("This desk is not signed in. Sign in again; the scans are kept until then."),
            401,
        )
    if not has_role(meeting, *DESK_ROLES):
        return _answer(
            "refused", _("This account is not a registration desk of this meeting."), 403
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _answer("refused", _("The desk sent a scan that could not be read."), 400)
    token = data.get("token")
    client_id = data.get("client_id") or ""
    if not isinstance(token, str) or len(token) > TOKEN_MAX:
        return _answer("refused", _("This is not a badge of this meeting."), 422)
    if not isinstance(client_id, str) or (client_id and not CLIENT_ID.match(client_id)):
        return _answer("refused", _("The desk sent a scan that could not be read."), 400)
    scanned_at = _moment(data.get("scanned_at"))
    if scanned_at is False:
        return _answer("refused", _("The desk sent a scan that could not be read."), 400)
    desk = _desk_name(data.get("desk") if isinstance(data.get("desk"), str) else "")
    session_id = _door(meeting, data.get("session_id"))

    def record():
        registration_id = registration_id_from(meeting, token)
        result = checkins.check_in(
            meeting,
            registration_id,
            desk=desk,
            by=current_user,
            session_id=session_id,
            scanned_at=scanned_at,
            client_id=client_id,
        )
        return result.participant, result.message(meeting.timezone), result.created

    try:
        value = record()
        db.session.commit()
    except VenueError as error:
        db.session.rollback()
        return _answer("refused", error.message, 422)
    person, message, created = value
    return _answer("checked_in" if created else "already", message, person=person)


def _moment(value):
    """A scan's time from the desk (milliseconds since 1970, UTC); None: now; False: unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return False

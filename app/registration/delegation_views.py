"""A delegation's members, for its focal point and the organisers: the list, nominating,
editing and withdrawing members, the member's "claim your account" link; and the organiser's
decisions on many registrations at once.
"""

import base64

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.delegations import invitations
from app.delegations import queries as delegation_queries
from app.delegations import window as windows
from app.delegations.delegations import delete_delegation as delete_delegation_rule
from app.delegations.forms import (
    ConfirmMemberImportForm,
    ListOfParticipantsForm,
    MemberForm,
    MemberImportForm,
)
from app.delegations.models import Delegation
from app.errors import commit_change
from app.extensions import db, login_manager
from app.hooks import contribute
from app.limits import MAX_IMPORT_BYTES
from app.mail.notices import send_to_address
from app.meetings.access import can_manage, load_meeting, require_manager
from app.meetings.models import Meeting
from app.pages import confirm_first, press_button, save_form
from app.permissions import allows
from app.registration import members as member_rules
from app.registration import participants, transfer
from app.registration.forms import BulkDecisionForm
from app.registration.models import Registration, RegistrationStatus
from app.registration.registrations import LIVE, decide_many, decision_applies
from app.spreadsheets import SpreadsheetError, csv_response, read_table, xlsx_response

bp = Blueprint("members", __name__)
BASE = "/meetings/<slug>/delegations/<int:delegation_id>"


def _member_counts(meeting: Meeting) -> dict[int, int]:
    """Live members per delegation, for the delegations list (one query)."""
    rows = db.session.execute(
        select(Registration.delegation_id, func.count())
        .where(Registration.meeting_id == meeting.id, Registration.status.in_(LIVE))
        .group_by(Registration.delegation_id)
    )
    return {delegation_id: count for delegation_id, count in rows if delegation_id is not None}


def _home_section() -> Markup:
    """The account's home page: every meeting it is registered for or nominated to (an
    address the secretariat entered, not yet claimed), and the delegations it is focal point
    of; three queries whatever the number of meetings."""
    own = db.session.scalars(
        select(Registration)
        .where(
            Registration.user_id == current_user.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .options(joinedload(Registration.meeting))
    ).all()
    nominated = db.session.scalars(
        select(Registration)
        .where(
            Registration.user_id.is_(None),
            func.lower(Registration.email) == current_user.email.lower(),
            Registration.status.in_(LIVE),
        )
        .options(joinedload(Registration.meeting))
    ).all()
    focal = db.session.scalars(
        select(Delegation)
        .where(Delegation.focal_point_user_id == current_user.id)
        .options(joinedload(Delegation.meeting))
    ).all()
    if not (own or nominated or focal):
        return Markup("")
    return Markup(
        render_template("registration/_home.html", own=own, nominated=nominated, focal=focal)
    )


contribute(bp, "delegation_member_counts", _member_counts)
contribute(bp, "home_sections", _home_section)


def _delegation_for_request(slug: str, delegation_id: int):
    """The meeting and delegation, if the account is its focal point or organises the
    meeting: sign-in first, 404 for a delegation of another meeting, 403 for anyone else."""
    meeting = load_meeting(slug)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    delegation = delegation_queries.get_delegation(meeting, delegation_id)
    if delegation is None:
        abort(404)
    organiser = can_manage(meeting)
    if not organiser and delegation.focal_point_user_id != current_user.id:
        abort(403)
    return meeting, delegation, organiser


def _members(delegation) -> list[Registration]:
    """The delegation's members in the list's order: head first, then alternates, advisers,
    members; withdrawn and declined members last (one query)."""
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.delegation_id == delegation.id)
        .options(joinedload(Registration.person), joinedload(Registration.user))
    ).all()
    return sorted(
        rows,
        key=lambda r: (r.status not in LIVE, r.member_role.rank, r.list_order, r.id),
    )


def _page(meeting, delegation) -> str:
    return url_for("members.show_delegation", slug=meeting.slug, delegation_id=delegation.id)


def _show(meeting, delegation, organiser, form):
    return render_template(
        "registration/delegation.html",
        meeting=meeting,
        delegation=delegation,
        members=_members(delegation),
        organiser=organiser,
        form=form,
        closed=windows.closed_reason(meeting),
        cap=windows.cap(meeting),
        until=format_datetime(windows.deadline(meeting), format="long"),
        live=LIVE,
    )


@bp.route(f"{BASE}/", methods=["GET", "POST"])
@login_required
@allows("focal_point")
def show_delegation(slug, delegation_id):
    """The delegation's members and the form to nominate one more."""
    meeting, delegation, organiser = _delegation_for_request(slug, delegation_id)
    form = MemberForm()

    def save():
        member = member_rules.add_member(delegation, by_focal_point=not organiser, **form.values())
        return (
            _("%(name)s is nominated.", name=member.person.display_name),
            _page(meeting, delegation),
        )

    return save_form(form, save, lambda: _show(meeting, delegation, organiser, form))


def _member_of(delegation, member_id) -> Registration:
    member = db.session.get(Registration, member_id)
    if member is None or member.delegation_id != delegation.id:
        abort(404)
    return member


@bp.route(f"{BASE}/members/<int:member_id>", methods=["GET", "POST"])
@login_required
@allows("focal_point")
def edit_member(slug, delegation_id, member_id):
    meeting, delegation, organiser = _delegation_for_request(slug, delegation_id)
    member = _member_of(delegation, member_id)
    form = MemberForm(
        data={
            "role": member.member_role.value,
            "honorific": member.person.honorific,
            "name": member.person.name,
            "position": member.person.position,
            "organisation": member.person.organisation,
            "email": member.contact_email,
            "nationality": member.person.country,
        }
        if request.method == "GET"
        else None
    )

    def save():
        member_rules.update_member(member, by_focal_point=not organiser, **form.values())
        return _("%(name)s saved.", name=member.person.display_name), _page(meeting, delegation)

    return save_form(
        form,
        save,
        lambda: render_template(
            "meetings/manage_form.html" if organiser else "registration/member_form.html",
            meeting=meeting,
            form=form,
            heading=_("Member of %(delegation)s", delegation=delegation.name),
            back=_page(meeting, delegation),
        ),
    )


@bp.route(f"{BASE}/members/<int:member_id>/up", methods=["POST"])
@login_required
@allows("focal_point")
def move_member_up(slug, delegation_id, member_id):
    meeting, delegation, organiser = _delegation_for_request(slug, delegation_id)
    member = _member_of(delegation, member_id)
    commit_change(lambda: member_rules.move_up(member, by_focal_point=not organiser))
    return redirect(_page(meeting, delegation))


@bp.route(f"{BASE}/members/<int:member_id>/withdraw", methods=["POST"])
@login_required
@allows("focal_point")
def withdraw_member(slug, delegation_id, member_id):
    meeting, delegation, organiser = _delegation_for_request(slug, delegation_id)
    member = _member_of(delegation, member_id)
    name = member.person.display_name
    if commit_change(lambda: member_rules.withdraw_member(member, by_focal_point=not organiser)).ok:
        flash(_("%(name)s is withdrawn.", name=name), "success")
    return redirect(_page(meeting, delegation))


@bp.route("/meetings/<slug>/manage/delegations/<int:delegation_id>/delete", methods=["POST"])
@allows("organiser")
def delete_delegation(slug, delegation_id):
    """Remove a delegation recorded by mistake; one with members (even withdrawn ones, whose
    registrations are history) is refused."""
    meeting = require_manager(slug)
    delegation = delegation_queries.get_delegation(meeting, delegation_id) or abort(404)
    members = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.delegation_id == delegation.id)
    )
    back = url_for("delegations.list_delegations", slug=meeting.slug)
    name = delegation.name
    question = confirm_first(
        title=_("Remove the delegation %(name)s?", name=name),
        consequences=[_("It has no members; its focal point's link stops working.")],
        confirm_label=_("Yes, remove it"),
        back=back,
    )
    if members == 0 and question is not None:
        return question
    return press_button(
        lambda: delete_delegation_rule(delegation, members),
        back,
        done=_("Delegation %(name)s removed.", name=name),
    )


@bp.route(f"{BASE}/members/<int:member_id>/claim-link", methods=["POST"])
@allows("organiser")
def claim_link(slug, delegation_id, member_id):
    """Issue the member's "claim your account" link and show it to copy (e-mail comes with
    the communications issue)."""
    meeting = require_manager(slug)
    delegation = delegation_queries.get_delegation(meeting, delegation_id) or abort(404)
    member = _member_of(delegation, member_id)
    email, name = member.email, member.person.display_name

    def issue() -> str:
        token = member_rules.claim_link_token(member)
        link = url_for("members.claim", slug=meeting.slug, claim=token, _external=True)
        if email:
            _subject, context = invitations.invitation_message(
                invitations.MEMBER_CLAIM,
                meeting=meeting,
                delegation=delegation,
                link=link,
                recipient_name=name,
            )
            context.pop("template")
            send_to_address(
                email, "member_claim", language=meeting.language, name=name, meeting=meeting,
                **context,
            )  # fmt: skip
        return link

    outcome = commit_change(issue)
    if not outcome.ok:
        return redirect(_page(meeting, delegation))
    if email:
        flash(_("The link is on its way to %(email)s.", email=email), "success")
    return render_template(
        "delegations/link.html",
        meeting=meeting,
        heading=_("Link for %(name)s to claim an account", name=name),
        link=outcome.value,
        email=email,
        deadline=format_datetime(windows.deadline(meeting), format="long"),
        back=_page(meeting, delegation),
    )


@bp.route("/meetings/<slug>/claim/<claim>")
@login_required
@allows("signed_in")
def claim(slug, claim):
    """A nominated member's link: the signed-in account becomes that member."""
    meeting = load_meeting(slug)
    outcome = commit_change(lambda: member_rules.claim_member(meeting, claim, current_user).id)
    if not outcome.ok:
        return render_template("delegations/link_refused.html", meeting=meeting), 200
    flash(_("Your account is now your place in the delegation."), "success")
    return redirect(url_for("registration.show_my_registration", slug=meeting.slug))


# Decisions on many registrations ---------------------------------------------------------


@bp.route("/meetings/<slug>/manage/registrations/bulk", methods=["POST"])
@allows("organiser")
def bulk_decide(slug):
    """Approve, decline or cancel the ticked registrations (or the whole filtered list) with
    one note; the count is shown, and asked about, before anything changes."""
    from app.registration.views import filtered_registrations

    meeting = require_manager(slug)
    form = BulkDecisionForm()
    back = url_for("registration.list_registrations", slug=meeting.slug)
    if not form.validate_on_submit():
        flash(_("Nothing was changed: choose a decision and the registrations."), "error")
        return redirect(back)
    if request.form.get("confirmed") == "yes" or form.scope.data != "filtered":
        ids = form.ids_list()
        chosen = (
            list(
                db.session.scalars(
                    select(Registration)
                    .where(Registration.meeting_id == meeting.id, Registration.id.in_(ids))
                    .options(joinedload(Registration.person))
                )
            )
            if ids
            else []
        )
    else:
        _filters, chosen = filtered_registrations(meeting, form.filter_args())
    status = RegistrationStatus(form.decision.data)
    applies = sum(1 for r in chosen if decision_applies(r, status))
    if not applies:
        flash(_("Nothing was changed: no chosen registration can take this decision."), "info")
        return redirect(back)
    carry = {
        "decision": form.decision.data,
        "note": form.note.data or "",
        "scope": form.scope.data,
        "ids": ",".join(str(r.id) for r in chosen),
        **form.filter_carry(),
    }
    question = confirm_first(
        title=ngettext(
            "%(label)s %(num)d registration?",
            "%(label)s %(num)d registrations?",
            applies,
            label=form.decision_label(),
        ),
        consequences=[
            ngettext(
                "%(num)d chosen registration cannot take this decision and stays as it is.",
                "%(num)d chosen registrations cannot take this decision and stay as they are.",
                len(chosen) - applies,
            )
        ]
        if len(chosen) > applies
        else [_("Each person is told of the decision, with the note.")],
        confirm_label=_("Yes, %(label)s %(num)d", label=form.decision_label(), num=applies),
        back=back,
        carry=carry,
    )
    if question is not None:
        return question
    outcome = commit_change(lambda: decide_many(chosen, status, form.note.data or ""))
    if outcome.ok:
        decided, _left = outcome.value
        flash(
            ngettext(
                "%(num)d registration: %(status)s.",
                "%(num)d registrations: %(status)s.",
                decided,
                status=status.label,
            ),
            "success",
        )
    return redirect(back)


# Delegations and members as a spreadsheet ------------------------------------------------


def _read(meeting: Meeting, filename: str, data: bytes):
    table = read_table(
        filename, data, max_bytes=MAX_IMPORT_BYTES, max_rows=transfer.MAX_ROWS, formulas=True
    )
    return transfer.plan_import(meeting, table)


@bp.route("/meetings/<slug>/manage/delegations.<any(csv, xlsx):format>")
@allows("organiser")
def export_members(slug, format):
    """Delegations and members in the import's columns (a file that imports back unchanged)."""
    meeting = require_manager(slug)
    rows = transfer.export_rows(meeting)
    name = f"{meeting.slug}-delegations.{format}"
    if format == "xlsx":
        return xlsx_response(rows, name, sheet="Delegations")
    return csv_response(rows, name)


@bp.route("/meetings/<slug>/manage/delegations/import", methods=["GET", "POST"])
@allows("organiser")
def import_members(slug):
    """Upload a spreadsheet: the answer says what each row would do; nothing is saved until
    the organiser confirms on that page."""
    meeting = require_manager(slug)
    form = MemberImportForm()
    plan = carried = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1)
        upload.close()  # a large upload is spooled to a temporary file
        try:
            plan = _read(meeting, upload.filename or "", data)
        except SpreadsheetError as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            carried = ConfirmMemberImportForm(
                formdata=None,
                data={
                    "content": base64.b64encode(data).decode("ascii"),
                    "filename": (upload.filename or "")[:200],
                },
            )
    return render_template(
        "registration/import.html",
        meeting=meeting,
        form=form,
        plan=plan,
        carried=carried,
        transfer=transfer,
    )


@bp.route("/meetings/<slug>/manage/delegations/import/confirm", methods=["POST"])
@allows("organiser")
def confirm_import_members(slug):
    """Save the previewed file: read and checked again, then saved whole or not at all."""
    meeting = require_manager(slug)
    form = ConfirmMemberImportForm()
    back = url_for("members.import_members", slug=meeting.slug)
    if not form.validate_on_submit():
        flash(_("The file to import was not sent again; upload it once more."), "error")
        return redirect(back)
    try:
        data = base64.b64decode(form.content.data, validate=True)
        plan = _read(meeting, form.filename.data or "", data)
    except (ValueError, SpreadsheetError):
        flash(_("The file to import could not be read again; upload it once more."), "error")
        return redirect(back)
    outcome = commit_change(lambda: transfer.apply_import(meeting, plan))
    if not outcome.ok:
        return redirect(back)
    done = outcome.value
    flash(
        _(
            "Imported: %(new)d new rows, %(updated)d changed.",
            new=done[transfer.NEW],
            updated=done[transfer.UPDATE],
        ),
        "success",
    )
    return redirect(url_for("delegations.list_delegations", slug=meeting.slug))


# The list of participants ------------------------------------------------------------------


@bp.route("/meetings/<slug>/manage/list-of-participants", methods=["GET", "POST"])
@allows("organiser")
def list_of_participants(slug):
    """The list of participants: what it holds, its PDF, and its entry in the documents."""
    meeting = require_manager(slug)
    url = url_for("exports.list_of_participants_pdf", slug=meeting.slug, _external=True)
    document = participants.list_document(meeting, url)
    form = ListOfParticipantsForm(obj=document)

    def save():
        entry = participants.enter_list(meeting, symbol=form.symbol.data, url=url)
        return (
            _("The list of participants is document %(symbol)s.", symbol=entry.symbol),
            url_for("members.list_of_participants", slug=meeting.slug),
        )

    return save_form(
        form,
        save,
        lambda: render_template(
            "registration/list_of_participants.html",
            meeting=meeting,
            form=form,
            document=document,
            sections=participants.participants(meeting),
            final=participants.is_final(meeting),
        ),
    )

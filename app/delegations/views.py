"""Organiser pages of delegations: the list, a delegation's record, the focal point's
invitation, the registration window; and the focal point's link. A delegation's members are
the registration area's pages (app/registration/delegation_views.py)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.delegations import invitations, queries
from app.delegations import window as windows
from app.delegations.delegations import save_delegation
from app.delegations.forms import DelegationForm, InviteForm, WindowForm
from app.delegations.models import AttendanceCategory, DelegationKind
from app.errors import commit_change
from app.hooks import hook
from app.mail.notices import send_to_address
from app.meetings.access import load_meeting, require_manager
from app.pages import save_form
from app.permissions import allows

bp = Blueprint("delegations", __name__)
MANAGE = "/meetings/<slug>/manage/delegations"


@bp.context_processor
def _template_helpers():
    """Formatting the delegations pages share (as the meetings pages do)."""
    return {"format_day": lambda day: format_date(day, "long")}


def _list_page(meeting) -> str:
    return url_for("delegations.list_delegations", slug=meeting.slug)


def _member_counts(meeting) -> dict[int, int]:
    counts: dict[int, int] = {}
    for part in hook("delegation_member_counts", meeting):
        counts.update(part)
    return counts


@bp.route(MANAGE)
@allows("organiser")
def list_delegations(slug):
    meeting = require_manager(slug)
    window = windows.window_of(meeting)
    return render_template(
        "delegations/list.html",
        meeting=meeting,
        delegations=queries.delegations(meeting),
        counts=_member_counts(meeting),
        window=window,
        closed=windows.closed_reason(meeting, window=window),
        invite_form=InviteForm(),
    )


def _delegation_form_page(meeting, form, heading):
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=heading,
        back=_list_page(meeting),
    )


@bp.route(f"{MANAGE}/new", methods=["GET", "POST"])
@allows("organiser")
def create_delegation(slug):
    meeting = require_manager(slug)
    form = DelegationForm()

    def save():
        delegation = save_delegation(
            meeting,
            name=form.name.data,
            category=AttendanceCategory(form.category.data),
            kind=DelegationKind(form.kind.data),
            qualifier=form.qualifier.data or None,
        )
        return _("Delegation %(name)s recorded.", name=delegation.name), _list_page(meeting)

    return save_form(form, save, lambda: _delegation_form_page(meeting, form, _("New delegation")))


@bp.route(f"{MANAGE}/<int:delegation_id>/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_delegation(slug, delegation_id):
    meeting = require_manager(slug)
    delegation = queries.get_delegation(meeting, delegation_id) or abort(404)
    form = DelegationForm(obj=delegation)

    def save():
        save_delegation(
            meeting,
            delegation=delegation,
            name=form.name.data,
            category=AttendanceCategory(form.category.data),
            kind=DelegationKind(form.kind.data),
            qualifier=form.qualifier.data or "",
        )
        return _("Delegation %(name)s saved.", name=delegation.name), _list_page(meeting)

    return save_form(
        form,
        save,
        lambda: _delegation_form_page(
            meeting, form, _("Delegation %(name)s", name=delegation.name)
        ),
    )


@bp.route(f"{MANAGE}/<int:delegation_id>/invite", methods=["POST"])
@allows("organiser")
def invite_focal_point(slug, delegation_id):
    """Record the focal point's invitation and mail them the link, in one transaction (the
    page shows the link too, for a focal point whose mail goes astray)."""
    meeting = require_manager(slug)
    delegation = queries.get_delegation(meeting, delegation_id) or abort(404)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Enter the focal point's e-mail address."), "error")
        return redirect(_list_page(meeting))
    name = delegation.name

    def invite() -> str:
        token = invitations.invite_focal_point(delegation, form.email.data)
        link = url_for(
            "delegations.accept_invitation", slug=meeting.slug, invitation=token, _external=True
        )
        _subject, context = invitations.invitation_message(
            invitations.FOCAL_POINT, meeting=meeting, delegation=delegation, link=link
        )
        context.pop("template")
        send_to_address(
            delegation.focal_point_email,
            "focal_point_invitation",
            language=meeting.language,
            meeting=meeting,
            **context,
        )
        return link

    outcome = commit_change(invite)
    if not outcome.ok:
        return redirect(_list_page(meeting))
    link = outcome.value
    flash(
        _("The invitation is on its way to %(email)s.", email=delegation.focal_point_email),
        "success",
    )
    return render_template(
        "delegations/link.html",
        meeting=meeting,
        heading=_("Invitation for the focal point of %(name)s", name=name),
        link=link,
        email=delegation.focal_point_email,
        deadline=format_datetime(windows.deadline(meeting), format="long"),
        back=_list_page(meeting),
    )


@bp.route("/meetings/<slug>/manage/registration-window", methods=["GET", "POST"])
@allows("organiser")
def edit_window(slug):
    meeting = require_manager(slug)
    form = WindowForm(obj=windows.window_of(meeting))

    def save():
        windows.save_window(
            meeting,
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            members_per_delegation=form.members_per_delegation.data,
        )
        return _("Registration window saved."), _list_page(meeting)

    return save_form(
        form, save, lambda: _delegation_form_page(meeting, form, _("Registration window"))
    )


@bp.route("/meetings/<slug>/focal-point/<invitation>")
@login_required
@allows("signed_in")
def accept_invitation(slug, invitation):
    """The focal point's link: the account that follows it becomes the delegation's focal
    point; a forged, revoked or late link says so (never a 500)."""
    meeting = load_meeting(slug)
    outcome = commit_change(
        lambda: invitations.accept_focal_point(meeting, invitation, current_user).id
    )
    if not outcome.ok:
        return render_template("delegations/link_refused.html", meeting=meeting), 200
    flash(_("You are the focal point of this delegation."), "success")
    return redirect(
        url_for("members.show_delegation", slug=meeting.slug, delegation_id=outcome.value)
    )

"""Meeting pages: the list, a meeting's home, and the organiser's meeting screens.

Each view loads the meeting (404), checks permission (403), validates its form, calls one
service, commits once, flashes and redirects. A MeetingError becomes a form error, after a
rollback, so nothing is half-saved.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict

from app.extensions import db
from app.meetings import bp, services
from app.meetings.access import (
    can_manage,
    can_see,
    check_version,
    has_role,
    load_meeting,
    require_manager,
)
from app.meetings.forms import (
    AgendaItemForm,
    CreateMeetingForm,
    DocumentForm,
    EditMeetingForm,
    GrantRoleForm,
    OfficerForm,
    WorkshopForm,
)
from app.meetings.models import Meeting, MeetingRole, MeetingStatus, Office, RoleName
from app.meetings.services import MeetingError
from app.registration.services import registration_of
from app.timezones import timezone_choices


@bp.context_processor
def _template_helpers():
    """Formatting the meetings pages share."""
    return {
        "format_day": lambda day: format_date(day, "long"),
    }


def _show_error(form, error: MeetingError) -> None:
    """Undo what the service did and put its message next to the field it names."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _edit_conflict():
    """409, saying what happened: werkzeug's default description would hide the app's message."""
    abort(
        409,
        description=_(
            "Someone else changed this meeting after you opened the form. Nothing was saved. "
            "Reload the page to see their changes, then make yours again."
        ),
    )


def _check_version(record, submitted) -> None:
    try:
        check_version(record, submitted)
    except Conflict:
        _edit_conflict()


def _commit() -> None:
    """The one commit of a request; a concurrent change to a versioned record is a 409."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        _edit_conflict()


def _or_404(record):
    if record is None:
        abort(404)
    return record


# The list and a meeting's public home


@bp.route("/")
def list_meetings():
    published = db.session.scalars(
        select(Meeting)
        .where(Meeting.status != MeetingStatus.DRAFT)
        .order_by(Meeting.first_day.desc())
    ).all()
    mine = []
    if current_user.is_authenticated:
        mine = db.session.scalars(
            select(Meeting)
            .join(MeetingRole, MeetingRole.meeting_id == Meeting.id)
            .where(MeetingRole.user_id == current_user.id)
            .distinct()
            .order_by(Meeting.first_day.desc())
        ).all()
    return render_template("meetings/list.html", published=published, mine=mine)


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def create_meeting():
    form = CreateMeetingForm()
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(
                current_user, slug=form.slug.data or "", **form.meeting_fields()
            )
        except MeetingError as error:
            _show_error(form, error)
        else:
            _commit()
            flash(_("The meeting was created. You are its organiser."), "success")
            return redirect(url_for("meetings.manage_meeting", slug=meeting.slug))
    return render_template("meetings/create.html", form=form, timezones=timezone_choices())


@bp.route("/meetings/<slug>/")
def show_meeting(slug):
    meeting = load_meeting(slug)
    prepared_by = meeting.prepared_by
    if prepared_by is not None and not can_see(prepared_by):
        prepared_by = None
    prepared = [
        m
        for m in db.session.scalars(
            select(Meeting).where(Meeting.prepared_by_id == meeting.id).order_by(Meeting.first_day)
        )
        if can_see(m)
    ]
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        prepared_by=prepared_by,
        prepared=prepared,
        officers=services.officers(meeting),
        documents=services.documents(meeting),
        can_manage=can_manage(meeting),
        can_review=has_role(meeting, RoleName.CHAIR, RoleName.ORGANISER),
        is_rapporteur=has_role(meeting, RoleName.RAPPORTEUR),
        registration=(
            registration_of(meeting, current_user) if current_user.is_authenticated else None
        ),
    )


# The organiser's dashboard and the meeting's details


@bp.route("/meetings/<slug>/manage/")
def manage_meeting(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/manage.html", meeting=meeting, counts=services.meeting_counts(meeting)
    )


@bp.route("/meetings/<slug>/manage/edit", methods=["GET", "POST"])
def edit_meeting(slug):
    meeting = require_manager(slug)
    others = services.other_meetings(meeting)
    form = EditMeetingForm(obj=meeting, other_meetings=others)
    if request.method == "POST":
        # A form opened on an older version is refused whole, before anything else is checked.
        _check_version(meeting, form.version.data)
    if form.validate_on_submit():
        try:
            services.update_meeting(
                meeting,
                slug=form.slug.data,
                prepared_by_id=form.prepared_by_id.data,
                **form.meeting_fields(),
            )
        except MeetingError as error:
            _show_error(form, error)
        else:
            _commit()
            flash(_("The meeting's details were saved."), "success")
            return redirect(url_for("meetings.edit_meeting", slug=meeting.slug))
    return render_template(
        "meetings/edit.html", meeting=meeting, form=form, timezones=timezone_choices()
    )


# Agenda items and workshops


def _agenda_form(meeting, item=None):
    return AgendaItemForm(obj=item, parents=services.top_level_items(meeting, exclude=item))


def _agenda_values(form) -> dict:
    return {
        "title": form.title.data or "",
        "number": form.number.data,
        "letter": form.letter.data or "",
        "parent_id": form.parent_id.data,
        "annotation": form.annotation.data or "",
    }


@bp.route("/meetings/<slug>/manage/agenda")
def list_agenda_items(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/agenda.html",
        meeting=meeting,
        items=services.agenda_items(meeting),
        workshops=services.workshops(meeting),
    )


@bp.route("/meetings/<slug>/manage/agenda/new", methods=["GET", "POST"])
def create_agenda_item(slug):
    meeting = require_manager(slug)
    form = _agenda_form(meeting)
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent", type=int)
    if form.validate_on_submit():
        try:
            item = services.create_agenda_item(meeting, **_agenda_values(form))
        except MeetingError as error:
            _show_error(form, error)
        else:
            label = item.label
            _commit()
            flash(_("Agenda item %(label)s was added.", label=label), "success")
            return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("Add an agenda item"),
        back=url_for("meetings.list_agenda_items", slug=meeting.slug),
    )


@bp.route("/meetings/<slug>/manage/agenda/<int:item_id>/edit", methods=["GET", "POST"])
def edit_agenda_item(slug, item_id):
    meeting = require_manager(slug)
    item = _or_404(services.get_agenda_item(meeting, item_id))
    form = _agenda_form(meeting, item)
    if form.validate_on_submit():
        try:
            services.update_agenda_item(meeting, item, **_agenda_values(form))
        except MeetingError as error:
            _show_error(form, error)
        else:
            label = item.label
            _commit()
            flash(_("Agenda item %(label)s was saved.", label=label), "success")
            return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("Edit agenda item %(label)s", label=item.label),
        back=url_for("meetings.list_agenda_items", slug=meeting.slug),
    )


@bp.route("/meetings/<slug>/manage/agenda/<int:item_id>/delete", methods=["POST"])
def delete_agenda_item(slug, item_id):
    meeting = require_manager(slug)
    item = _or_404(services.get_agenda_item(meeting, item_id))
    label = item.label
    services.delete_agenda_item(item)
    _commit()
    flash(_("Agenda item %(label)s was removed.", label=label), "success")
    return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))


def _workshop_values(form) -> dict:
    return {
        "number": form.number.data,
        "title": form.title.data or "",
        "agenda_item_id": form.agenda_item_id.data,
    }


@bp.route("/meetings/<slug>/manage/agenda/workshops/new", methods=["GET", "POST"])
def create_workshop(slug):
    meeting = require_manager(slug)
    form = WorkshopForm(items=services.agenda_items(meeting))
    if form.validate_on_submit():
        try:
            workshop = services.create_workshop(meeting, **_workshop_values(form))
        except MeetingError as error:
            _show_error(form, error)
        else:
            number = workshop.number
            _commit()
            flash(_("Workshop %(n)d was added.", n=number), "success")
            return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("Add a workshop"),
        back=url_for("meetings.list_agenda_items", slug=meeting.slug),
    )


@bp.route(
    "/meetings/<slug>/manage/agenda/workshops/<int:workshop_id>/edit", methods=["GET", "POST"]
)
def edit_workshop(slug, workshop_id):
    meeting = require_manager(slug)
    workshop = _or_404(services.get_workshop(meeting, workshop_id))
    form = WorkshopForm(obj=workshop, items=services.agenda_items(meeting))
    if form.validate_on_submit():
        try:
            services.update_workshop(meeting, workshop, **_workshop_values(form))
        except MeetingError as error:
            _show_error(form, error)
        else:
            number = workshop.number
            _commit()
            flash(_("Workshop %(n)d was saved.", n=number), "success")
            return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("Edit workshop %(n)d", n=workshop.number),
        back=url_for("meetings.list_agenda_items", slug=meeting.slug),
    )


@bp.route("/meetings/<slug>/manage/agenda/workshops/<int:workshop_id>/delete", methods=["POST"])
def delete_workshop(slug, workshop_id):
    meeting = require_manager(slug)
    workshop = _or_404(services.get_workshop(meeting, workshop_id))
    number = workshop.number
    services.delete_workshop(workshop)
    _commit()
    flash(_("Workshop %(n)d was removed.", n=number), "success")
    return redirect(url_for("meetings.list_agenda_items", slug=meeting.slug))


# Officers


@bp.route("/meetings/<slug>/manage/officers")
def list_officers(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/officers.html", meeting=meeting, officers=services.officers(meeting)
    )


@bp.route("/meetings/<slug>/manage/officers/new", methods=["GET", "POST"])
def create_officer(slug):
    meeting = require_manager(slug)
    people = services.people_of(meeting)
    form = OfficerForm(people=people)
    if form.validate_on_submit():
        try:
            officer = services.create_officer(
                meeting,
                person_id=form.person_id.data,
                office=Office(form.office.data),
                elected_on=form.elected_on.data,
            )
        except MeetingError as error:
            _show_error(form, error)
        else:
            name, office = officer.person.display_name, officer.office.label
            _commit()
            flash(_("%(name)s was recorded as %(office)s.", name=name, office=office), "success")
            return redirect(url_for("meetings.list_officers", slug=meeting.slug))
    return render_template(
        "meetings/officer_form.html", meeting=meeting, form=form, has_people=bool(people)
    )


@bp.route("/meetings/<slug>/manage/officers/<int:officer_id>/delete", methods=["POST"])
def delete_officer(slug, officer_id):
    meeting = require_manager(slug)
    officer = _or_404(services.get_officer(meeting, officer_id))
    name, office = officer.person.display_name, officer.office.label
    services.delete_officer(officer)
    _commit()
    flash(_("%(name)s is no longer %(office)s.", name=name, office=office), "success")
    return redirect(url_for("meetings.list_officers", slug=meeting.slug))


# Documents


@bp.route("/meetings/<slug>/manage/documents")
def list_documents(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/documents.html", meeting=meeting, documents=services.documents(meeting)
    )


@bp.route("/meetings/<slug>/manage/documents/new", methods=["GET", "POST"])
def create_document(slug):
    meeting = require_manager(slug)
    form = DocumentForm(items=services.agenda_items(meeting))
    if form.validate_on_submit():
        try:
            document = services.create_document(meeting, **form.document_fields())
        except MeetingError as error:
            _show_error(form, error)
        else:
            symbol = document.symbol
            _commit()
            flash(_("Document %(symbol)s was listed.", symbol=symbol), "success")
            return redirect(url_for("meetings.list_documents", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("List a document"),
        back=url_for("meetings.list_documents", slug=meeting.slug),
    )


@bp.route("/meetings/<slug>/manage/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit_document(slug, document_id):
    meeting = require_manager(slug)
    document = _or_404(services.get_document(meeting, document_id))
    form = DocumentForm(obj=document, items=services.agenda_items(meeting))
    if form.validate_on_submit():
        try:
            services.update_document(meeting, document, **form.document_fields())
        except MeetingError as error:
            _show_error(form, error)
        else:
            symbol = document.symbol
            _commit()
            flash(_("Document %(symbol)s was saved.", symbol=symbol), "success")
            return redirect(url_for("meetings.list_documents", slug=meeting.slug))
    return render_template(
        "meetings/manage_form.html",
        meeting=meeting,
        form=form,
        heading=_("Edit document %(symbol)s", symbol=document.symbol),
        back=url_for("meetings.list_documents", slug=meeting.slug),
    )


@bp.route("/meetings/<slug>/manage/documents/<int:document_id>/delete", methods=["POST"])
def delete_document(slug, document_id):
    meeting = require_manager(slug)
    document = _or_404(services.get_document(meeting, document_id))
    symbol = document.symbol
    services.delete_document(document)
    _commit()
    flash(_("Document %(symbol)s was removed from the list.", symbol=symbol), "success")
    return redirect(url_for("meetings.list_documents", slug=meeting.slug))


# Roles


def _roles_page(meeting, form, status=200):
    return render_template(
        "meetings/roles.html", meeting=meeting, roles=services.meeting_roles(meeting), form=form
    ), status


@bp.route("/meetings/<slug>/manage/roles")
def list_roles(slug):
    meeting = require_manager(slug)
    return _roles_page(meeting, GrantRoleForm(formdata=None))


@bp.route("/meetings/<slug>/manage/roles/grant", methods=["POST"])
def grant_role(slug):
    meeting = require_manager(slug)
    form = GrantRoleForm()
    if form.validate_on_submit():
        try:
            row, created = services.grant_role(meeting, form.email.data, RoleName(form.role.data))
        except MeetingError as error:
            _show_error(form, error)
        else:
            name, role = row.user.name, row.role.label
            _commit()
            if created:
                flash(_("%(name)s is now %(role)s.", name=name, role=role), "success")
            else:
                flash(_("%(name)s is %(role)s already.", name=name, role=role), "info")
            return redirect(url_for("meetings.list_roles", slug=meeting.slug))
    return _roles_page(meeting, form)


@bp.route("/meetings/<slug>/manage/roles/<int:role_id>/revoke", methods=["POST"])
def revoke_role(slug, role_id):
    meeting = require_manager(slug)
    row = _or_404(services.get_meeting_role(meeting, role_id))
    name, role = row.user.name, row.role.label
    # An organiser who gives up their own role can no longer see the roles page.
    leaves = (
        row.user_id == current_user.id
        and row.role == RoleName.ORGANISER
        and not current_user.is_admin
    )
    try:
        services.revoke_role(meeting, row)
    except MeetingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        _commit()
        flash(_("%(name)s is no longer %(role)s.", name=name, role=role), "success")
        if leaves:
            return redirect(url_for("meetings.show_meeting", slug=meeting.slug))
    return redirect(url_for("meetings.list_roles", slug=meeting.slug))

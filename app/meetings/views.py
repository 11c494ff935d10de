"""Meeting pages: the list, a meeting's home, and the organiser's meeting screens.

Each view loads the meeting (404), checks permission (403), validates its form, calls one rule,
commits once through app/errors.py, flashes and redirects. A broken rule becomes a form error
after a rollback, so nothing is half-saved.
"""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.services import may_create_meetings
from app.errors import commit_change, conflict
from app.forms_base import translation_defaults, with_translations
from app.hooks import hook_items
from app.meetings import agenda, document_files, documents, meetings, officers, queries, roles
from app.meetings.access import (
    can_manage,
    can_see,
    has_role,
    is_current,
    load_meeting,
    require_manager,
)
from app.meetings.forms import (
    AGENDA_ITEM_TRANSLATED,
    MEETING_TRANSLATED,
    AgendaItemForm,
    CreateMeetingForm,
    DocumentFileForm,
    DocumentForm,
    EditMeetingForm,
    GrantRoleForm,
    OfficerForm,
    WorkshopForm,
)
from app.meetings.models import Meeting, Office, RoleName
from app.pages import confirm_first, press_button, save_form
from app.permissions import allows
from app.timezones import timezone_choices

bp = Blueprint("meetings", __name__)


@bp.context_processor
def _template_helpers():
    """Formatting the meetings pages share."""
    return {
        "format_day": lambda day: format_date(day, "long"),
    }


def _stale_meeting_message() -> str:
    return _(
        "Someone else changed this meeting after you opened the form. Nothing was saved. "
        "Reload the page to see their changes, then make yours again."
    )


def _or_404(record):
    if record is None:
        abort(404)
    return record


def _delete_view(slug: str, find, delete, done, page, ask=None):
    """A delete button's answer: the record of this meeting (404), removed, and back to `page`
    with the message `done(record)` worded before the commit. With `ask` (record -> title and
    what will happen), the button first shows that and asks (app/pages.py confirm_first)."""
    meeting = require_manager(slug)
    record = _or_404(find(meeting))
    if ask is not None:
        title, consequences = ask(record)
        question = confirm_first(
            title=title,
            consequences=consequences,
            confirm_label=_("Yes, delete it"),
            back=page(meeting),
        )
        if question is not None:
            return question
    return press_button(lambda: delete(record), page(meeting), done=done(record))


def _ask_agenda_item(item):
    """What deleting an agenda item takes with it, and what only loses its link."""
    consequences = []
    if item.sub_items:
        consequences.append(
            ngettext(
                "Its %(num)d sub-item is deleted with it.",
                "Its %(num)d sub-items are deleted with it.",
                len(item.sub_items),
            )
        )
    for label, number in hook_items("agenda_item_uses", item):
        if number:
            consequences.append(label)
    workshops = len(item.workshops)
    if workshops:
        consequences.append(
            ngettext(
                "%(num)d workshop stays but is no longer clustered with it.",
                "%(num)d workshops stay but are no longer clustered with them.",
                workshops,
            )
        )
    linked = queries.documents_of_item(item)
    if linked:
        consequences.append(
            ngettext(
                "%(num)d document stays listed but no longer names it.",
                "%(num)d documents stay listed but no longer name it.",
                linked,
            )
        )
    consequences.append(_("This cannot be undone."))
    return _("Delete agenda item %(label)s, “%(title)s”?", label=item.label, title=item.title), (
        consequences
    )


def _form_page(meeting: Meeting, form, save, *, heading: str, back: str):
    """A management page with one form that saves one record of the meeting."""
    return save_form(
        form,
        save,
        lambda: render_template(
            "meetings/manage_form.html", meeting=meeting, form=form, heading=heading, back=back
        ),
        conflict_message=_stale_meeting_message(),
    )


# The list and a meeting's public home


@bp.route("/")
@allows("anyone")
def list_meetings():
    mine = queries.meetings_of(current_user) if current_user.is_authenticated else []
    return render_template(
        "meetings/list.html",
        published=queries.published_meetings(),
        mine=mine,
        may_create=may_create_meetings(current_user),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
@allows("creator")
def create_meeting():
    if not may_create_meetings(current_user):
        abort(
            403,
            description=_(
                "Creating meetings is for the accounts a site administrator names. Ask one "
                "to let your account create meetings."
            ),
        )
    form = CreateMeetingForm()

    def save():
        meeting = meetings.create_meeting(
            current_user, slug=form.slug.data or "", **form.meeting_fields()
        )
        return (
            _("The meeting was created. You are its organiser."),
            url_for("meetings.manage_meeting", slug=meeting.slug),
        )

    return save_form(
        form,
        save,
        lambda: render_template("meetings/create.html", form=form, timezones=timezone_choices()),
    )


@bp.route("/meetings/<slug>/")
@allows("anyone")
def show_meeting(slug):
    meeting = load_meeting(slug)
    prepared_by = meeting.prepared_by
    if prepared_by is not None and not can_see(prepared_by):
        prepared_by = None
    prepared = [m for m in queries.meetings_prepared_by(meeting) if can_see(m)]
    previous_edition = meeting.previous_edition
    if previous_edition is not None and not can_see(previous_edition):
        previous_edition = None
    next_editions = [m for m in queries.next_editions(meeting) if can_see(m)]
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        prepared_by=prepared_by,
        prepared=prepared,
        previous_edition=previous_edition,
        next_editions=next_editions,
        officers=queries.officers(meeting),
        documents=queries.documents(meeting),
        can_manage=can_manage(meeting),
        can_review=has_role(meeting, RoleName.CHAIR, RoleName.ORGANISER),
        is_rapporteur=has_role(meeting, RoleName.RAPPORTEUR),
    )


# The organiser's dashboard and the meeting's details


@bp.route("/meetings/<slug>/manage/")
@allows("organiser")
def manage_meeting(slug):
    meeting = require_manager(slug)
    return render_template("meetings/manage.html", meeting=meeting)


@bp.route("/meetings/<slug>/manage/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_meeting(slug):
    meeting = require_manager(slug)
    form_class = with_translations(EditMeetingForm, meeting.content_languages, MEETING_TRANSLATED)
    form = form_class(
        obj=meeting,
        other_meetings=queries.preparatory_choices(current_user, meeting),
        **translation_defaults(meeting, form_class),
    )
    if request.method == "POST" and not is_current(meeting, form.version.data):
        # A form opened on an older version is refused whole, before anything else is checked.
        conflict(_stale_meeting_message())

    def save():
        meetings.update_meeting(
            meeting,
            editor=current_user,
            slug=form.slug.data,
            prepared_by_id=form.prepared_by_id.data,
            translations=form.translations_data(),
            **form.meeting_fields(),
        )
        return (
            _("The meeting's details were saved."),
            url_for("meetings.edit_meeting", slug=meeting.slug),
        )

    return save_form(
        form,
        save,
        lambda: render_template(
            "meetings/edit.html", meeting=meeting, form=form, timezones=timezone_choices()
        ),
        conflict_message=_stale_meeting_message(),
    )


# Agenda items and workshops


def _agenda_form(meeting, item=None):
    form_class = with_translations(
        AgendaItemForm, meeting.content_languages, AGENDA_ITEM_TRANSLATED
    )
    return form_class(
        obj=item,
        parents=queries.top_level_items(meeting, exclude=item),
        **translation_defaults(item, form_class),
    )


def _agenda_values(form) -> dict:
    return {
        "translations": form.translations_data(),
        "title": form.title.data or "",
        "number": form.number.data,
        "letter": form.letter.data or "",
        "parent_id": form.parent_id.data,
        "annotation": form.annotation.data or "",
    }


def _agenda_page(meeting) -> str:
    return url_for("meetings.list_agenda_items", slug=meeting.slug)


@bp.route("/meetings/<slug>/manage/agenda")
@allows("organiser")
def list_agenda_items(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/agenda.html",
        meeting=meeting,
        items=queries.agenda_items(meeting),
        workshops=queries.workshops(meeting),
    )


@bp.route("/meetings/<slug>/manage/agenda/new", methods=["GET", "POST"])
@allows("organiser")
def create_agenda_item(slug):
    meeting = require_manager(slug)
    form = _agenda_form(meeting)
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent", type=int)

    def save():
        item = agenda.create_agenda_item(meeting, **_agenda_values(form))
        return _("Agenda item %(label)s was added.", label=item.label), _agenda_page(meeting)

    return _form_page(
        meeting, form, save, heading=_("Add an agenda item"), back=_agenda_page(meeting)
    )


@bp.route("/meetings/<slug>/manage/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_agenda_item(slug, item_id):
    meeting = require_manager(slug)
    item = _or_404(queries.get_agenda_item(meeting, item_id))
    heading = _("Edit agenda item %(label)s", label=item.label)
    form = _agenda_form(meeting, item)

    def save():
        agenda.update_agenda_item(meeting, item, **_agenda_values(form))
        return _("Agenda item %(label)s was saved.", label=item.label), _agenda_page(meeting)

    return _form_page(meeting, form, save, heading=heading, back=_agenda_page(meeting))


@bp.route("/meetings/<slug>/manage/agenda/<int:item_id>/delete", methods=["POST"])
@allows("organiser")
def delete_agenda_item(slug, item_id):
    return _delete_view(
        slug,
        lambda meeting: queries.get_agenda_item(meeting, item_id),
        agenda.delete_agenda_item,
        lambda item: _("Agenda item %(label)s was removed.", label=item.label),
        _agenda_page,
        ask=_ask_agenda_item,
    )


def _workshop_values(form) -> dict:
    return {
        "number": form.number.data,
        "title": form.title.data or "",
        "agenda_item_id": form.agenda_item_id.data,
    }


@bp.route("/meetings/<slug>/manage/agenda/workshops/new", methods=["GET", "POST"])
@allows("organiser")
def create_workshop(slug):
    meeting = require_manager(slug)
    form = WorkshopForm(items=queries.agenda_items(meeting))

    def save():
        workshop = agenda.create_workshop(meeting, **_workshop_values(form))
        return _("Workshop %(n)d was added.", n=workshop.number), _agenda_page(meeting)

    return _form_page(meeting, form, save, heading=_("Add a workshop"), back=_agenda_page(meeting))


@bp.route(
    "/meetings/<slug>/manage/agenda/workshops/<int:workshop_id>/edit", methods=["GET", "POST"]
)
@allows("organiser")
def edit_workshop(slug, workshop_id):
    meeting = require_manager(slug)
    workshop = _or_404(queries.get_workshop(meeting, workshop_id))
    heading = _("Edit workshop %(n)d", n=workshop.number)
    form = WorkshopForm(obj=workshop, items=queries.agenda_items(meeting))

    def save():
        agenda.update_workshop(meeting, workshop, **_workshop_values(form))
        return _("Workshop %(n)d was saved.", n=workshop.number), _agenda_page(meeting)

    return _form_page(meeting, form, save, heading=heading, back=_agenda_page(meeting))


@bp.route("/meetings/<slug>/manage/agenda/workshops/<int:workshop_id>/delete", methods=["POST"])
@allows("organiser")
def delete_workshop(slug, workshop_id):
    return _delete_view(
        slug,
        lambda meeting: queries.get_workshop(meeting, workshop_id),
        agenda.delete_workshop,
        lambda workshop: _("Workshop %(n)d was removed.", n=workshop.number),
        _agenda_page,
    )


# Officers


def _officers_page(meeting) -> str:
    return url_for("meetings.list_officers", slug=meeting.slug)


@bp.route("/meetings/<slug>/manage/officers")
@allows("organiser")
def list_officers(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/officers.html", meeting=meeting, officers=queries.officers(meeting)
    )


@bp.route("/meetings/<slug>/manage/officers/new", methods=["GET", "POST"])
@allows("organiser")
def create_officer(slug):
    meeting = require_manager(slug)
    people = queries.people_of(meeting)
    form = OfficerForm(people=people)

    def save():
        officer = officers.create_officer(
            meeting,
            person_id=form.person_id.data,
            office=Office(form.office.data),
            elected_on=form.elected_on.data,
        )
        name, office = officer.person.display_name, officer.office.label
        message = _("%(name)s was recorded as %(office)s.", name=name, office=office)
        return message, _officers_page(meeting)

    return save_form(
        form,
        save,
        lambda: render_template(
            "meetings/officer_form.html", meeting=meeting, form=form, has_people=bool(people)
        ),
    )


@bp.route("/meetings/<slug>/manage/officers/<int:officer_id>/delete", methods=["POST"])
@allows("organiser")
def delete_officer(slug, officer_id):
    return _delete_view(
        slug,
        lambda meeting: queries.get_officer(meeting, officer_id),
        officers.delete_officer,
        lambda officer: _(
            "%(name)s is no longer %(office)s.",
            name=officer.person.display_name,
            office=officer.office.label,
        ),
        _officers_page,
    )


# Documents


def _documents_page(meeting) -> str:
    return url_for("meetings.list_documents", slug=meeting.slug)


@bp.route("/meetings/<slug>/manage/documents")
@allows("organiser")
def list_documents(slug):
    meeting = require_manager(slug)
    return render_template(
        "meetings/documents.html", meeting=meeting, documents=queries.documents(meeting)
    )


@bp.route("/meetings/<slug>/manage/documents/new", methods=["GET", "POST"])
@allows("organiser")
def create_document(slug):
    meeting = require_manager(slug)
    form = DocumentForm(items=queries.agenda_items(meeting))

    def save():
        document = documents.create_document(meeting, **form.document_fields())
        message = _("Document %(symbol)s was listed.", symbol=document.symbol)
        return message, _documents_page(meeting)

    return _form_page(
        meeting, form, save, heading=_("List a document"), back=_documents_page(meeting)
    )


@bp.route("/meetings/<slug>/manage/documents/<int:document_id>/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_document(slug, document_id):
    meeting = require_manager(slug)
    document = _or_404(queries.get_document(meeting, document_id))
    heading = _("Edit document %(symbol)s", symbol=document.symbol)
    form = DocumentForm(obj=document, items=queries.agenda_items(meeting))

    def save():
        documents.update_document(meeting, document, **form.document_fields())
        message = _("Document %(symbol)s was saved.", symbol=document.symbol)
        return message, _documents_page(meeting)

    return _form_page(meeting, form, save, heading=heading, back=_documents_page(meeting))


@bp.route("/meetings/<slug>/manage/documents/<int:document_id>/delete", methods=["POST"])
@allows("organiser")
def delete_document(slug, document_id):
    return _delete_view(
        slug,
        lambda meeting: queries.get_document(meeting, document_id),
        documents.delete_document,
        lambda document: _(
            "Document %(symbol)s was removed from the list.", symbol=document.symbol
        ),
        _documents_page,
        ask=lambda document: (
            _("Remove document %(symbol)s from the list?", symbol=document.symbol),
            [
                _(
                    "“%(title)s” no longer appears in the meeting's list of documents or in "
                    "its report's annex.",
                    title=document.title,
                ),
                _("This cannot be undone."),
            ],
        ),
    )


# Roles


def _roles_page(meeting) -> str:
    return url_for("meetings.list_roles", slug=meeting.slug)


def _render_roles(meeting, form):
    return render_template(
        "meetings/roles.html", meeting=meeting, roles=queries.meeting_roles(meeting), form=form
    )


@bp.route("/meetings/<slug>/manage/roles")
@allows("organiser")
def list_roles(slug):
    meeting = require_manager(slug)
    return _render_roles(meeting, GrantRoleForm(formdata=None))


@bp.route("/meetings/<slug>/manage/roles/grant", methods=["POST"])
@allows("organiser")
def grant_role(slug):
    meeting = require_manager(slug)
    form = GrantRoleForm()
    if form.validate_on_submit():

        def grant():
            row, created = roles.grant_role(meeting, form.email.data, RoleName(form.role.data))
            name, role = row.user.name, row.role.label
            if created:
                return "success", _("%(name)s is now %(role)s.", name=name, role=role)
            return "info", _("%(name)s is %(role)s already.", name=name, role=role)

        outcome = commit_change(grant, form=form)
        if outcome.ok:
            flash(outcome.value[1], outcome.value[0])
            return redirect(_roles_page(meeting))
    return _render_roles(meeting, form)


@bp.route("/meetings/<slug>/manage/roles/<int:role_id>/revoke", methods=["POST"])
@allows("organiser")
def revoke_role(slug, role_id):
    meeting = require_manager(slug)
    row = _or_404(queries.get_meeting_role(meeting, role_id))
    name, role = row.user.name, row.role.label
    # An organiser who gives up their own role can no longer see the roles page.
    leaves = (
        row.user_id == current_user.id
        and row.role == RoleName.ORGANISER
        and not current_user.is_admin
    )
    back = url_for("meetings.show_meeting", slug=meeting.slug) if leaves else _roles_page(meeting)
    outcome = commit_change(lambda: roles.revoke_role(meeting, row))
    if not outcome.ok:
        return redirect(_roles_page(meeting))
    flash(_("%(name)s is no longer %(role)s.", name=name, role=role), "success")
    return redirect(back)


# The six UN languages by their English names, as a document's files are listed.
UN_LANGUAGE_NAMES = {
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "en": _l("English"),
    "fr": _l("French"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
}


@bp.route("/meetings/<slug>/manage/documents/<int:document_id>/files", methods=["GET", "POST"])
@allows("organiser")
def upload_document_file(slug, document_id):
    meeting = require_manager(slug)
    document = _or_404(queries.get_document(meeting, document_id))
    form = DocumentFileForm(languages=[(k, str(v)) for k, v in UN_LANGUAGE_NAMES.items()])

    def save():
        upload = form.file.data
        data = upload.read(document_files.MAX_DOCUMENT_BYTES + 1)
        record = document_files.store_file(
            document,
            language=form.language.data,
            filename=upload.filename or "",
            data=data,
            folder=document_files.documents_folder(),
        )
        return (
            _(
                "The %(language)s file of %(symbol)s was uploaded.",
                language=UN_LANGUAGE_NAMES[record.language],
                symbol=document.symbol,
            ),
            url_for("meetings.upload_document_file", slug=slug, document_id=document_id),
        )

    return save_form(
        form,
        save,
        lambda: render_template(
            "meetings/document_files.html",
            meeting=meeting,
            document=document,
            form=form,
            names=UN_LANGUAGE_NAMES,
        ),
    )


@bp.route("/meetings/<slug>/documents/<int:document_id>/<language>")
@allows("anyone")
def download_document_file(slug, document_id, language):
    """A document's file in one language, under a name a reader can keep."""
    meeting = load_meeting(slug)
    document = _or_404(queries.get_document(meeting, document_id))
    record = next((f for f in document.files if f.language == language), None)
    if record is None:
        abort(404)
    path = document_files.path_of(record, document_files.documents_folder())
    if not path.is_file():
        abort(404)
    # Read whole (at most MAX_DOCUMENT_BYTES): no file handle outlives the request.
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=document_files.content_type(record),
        as_attachment=True,
        download_name=document_files.download_name(document, record),
        etag=record.sha256,
    )

"""Organiser pages for planning the programme: load, check, validate, call a service, commit."""

from itertools import groupby

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.meetings.access import check_version, require_manager
from app.meetings.models import AgendaItem, Meeting
from app.programme import bp, services
from app.programme.forms import (
    ClusterForm,
    ConfirmForm,
    NewSessionPersonForm,
    PersonForm,
    PublishForm,
    RoomForm,
    SessionForm,
    SessionPersonForm,
    TrackForm,
)
from app.programme.models import (
    AgendaSession,
    Cluster,
    Person,
    Room,
    SessionPerson,
    Track,
)
from app.programme.services import ProgrammeError, PublishBlocked, SessionInput
from app.timezones import local_date, to_local, zone_label

MANAGE = "/meetings/<slug>/manage"


# Helpers -------------------------------------------------------------------------------------


def _record_or_404(model, record_id: int, meeting: Meeting):
    """A record of this meeting, or 404 (another meeting's ids are not found here)."""
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        abort(404)
    return record


def _form_error(form, error: ProgrammeError) -> None:
    """Show a domain error next to its field, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _commit_or_error(form, generic: str) -> bool:
    """Commit; a constraint the database caught (a race with another organiser) is a form error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.form_errors.append(generic)
        return False
    return True


def _tracks(meeting):
    return db.session.scalars(
        select(Track).where(Track.meeting_id == meeting.id).order_by(Track.position, Track.name)
    ).all()


def _rooms(meeting):
    return db.session.scalars(
        select(Room).where(Room.meeting_id == meeting.id).order_by(Room.name)
    ).all()


def _people(meeting):
    return db.session.scalars(
        select(Person).where(Person.meeting_id == meeting.id).order_by(Person.name)
    ).all()


def _clusters(meeting):
    return db.session.scalars(
        select(Cluster).where(Cluster.meeting_id == meeting.id).order_by(Cluster.number)
    ).all()


def _agenda_items(meeting):
    return db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.number, AgendaItem.letter)
    ).all()


# Tracks --------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/tracks")
def list_tracks(slug):
    meeting = require_manager(slug)
    counts = dict(
        db.session.execute(
            select(AgendaSession.track_id, db.func.count(AgendaSession.id))
            .where(AgendaSession.meeting_id == meeting.id)
            .group_by(AgendaSession.track_id)
        ).all()
    )
    return render_template(
        "programme/tracks.html",
        meeting=meeting,
        tracks=_tracks(meeting),
        counts=counts,
        confirm=ConfirmForm(),
    )


@bp.route(f"{MANAGE}/tracks/new", methods=["GET", "POST"])
def create_track(slug):
    meeting = require_manager(slug)
    return _track_form(meeting, None)


@bp.route(f"{MANAGE}/tracks/<int:track_id>/edit", methods=["GET", "POST"])
def edit_track(slug, track_id):
    meeting = require_manager(slug)
    return _track_form(meeting, _record_or_404(Track, track_id, meeting))


def _track_form(meeting, track):
    form = TrackForm(obj=track)
    if form.validate_on_submit():
        try:
            saved = services.save_track(
                meeting,
                name=form.name.data,
                kind=form.kind.data,
                position=form.position.data,
                track=track,
            )
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            name = saved.name
            if _commit_or_error(form, _("This meeting already has a track of that name.")):
                flash(_("Track %(name)s saved.", name=name), "success")
                return redirect(url_for("programme.list_tracks", slug=meeting.slug))
    return render_template("programme/track_form.html", meeting=meeting, form=form, track=track)


def _delete_named(meeting, record, delete, done: str, back: str):
    """Delete a track or room unless sessions still use it; either way, say so on the list."""
    try:
        delete(record)
    except ProgrammeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(back, slug=meeting.slug))


@bp.route(f"{MANAGE}/tracks/<int:track_id>/delete", methods=["POST"])
def delete_track(slug, track_id):
    meeting = require_manager(slug)
    track = _record_or_404(Track, track_id, meeting)
    done = _("Track %(name)s deleted.", name=track.name)
    return _delete_named(meeting, track, services.delete_track, done, "programme.list_tracks")


# Rooms ---------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/rooms")
def list_rooms(slug):
    meeting = require_manager(slug)
    counts = dict(
        db.session.execute(
            select(AgendaSession.room_id, db.func.count(AgendaSession.id))
            .where(AgendaSession.meeting_id == meeting.id, AgendaSession.room_id.is_not(None))
            .group_by(AgendaSession.room_id)
        ).all()
    )
    return render_template(
        "programme/rooms.html",
        meeting=meeting,
        rooms=_rooms(meeting),
        counts=counts,
        confirm=ConfirmForm(),
    )


@bp.route(f"{MANAGE}/rooms/new", methods=["GET", "POST"])
def create_room(slug):
    meeting = require_manager(slug)
    return _room_form(meeting, None)


@bp.route(f"{MANAGE}/rooms/<int:room_id>/edit", methods=["GET", "POST"])
def edit_room(slug, room_id):
    meeting = require_manager(slug)
    return _room_form(meeting, _record_or_404(Room, room_id, meeting))


def _room_form(meeting, room):
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        try:
            saved = services.save_room(
                meeting, name=form.name.data, capacity=form.capacity.data, room=room
            )
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            name = saved.name
            if _commit_or_error(form, _("This meeting already has a room of that name.")):
                flash(_("Room %(name)s saved.", name=name), "success")
                return redirect(url_for("programme.list_rooms", slug=meeting.slug))
    return render_template("programme/room_form.html", meeting=meeting, form=form, room=room)


@bp.route(f"{MANAGE}/rooms/<int:room_id>/delete", methods=["POST"])
def delete_room(slug, room_id):
    meeting = require_manager(slug)
    room = _record_or_404(Room, room_id, meeting)
    done = _("Room %(name)s deleted.", name=room.name)
    return _delete_named(meeting, room, services.delete_room, done, "programme.list_rooms")


# People --------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/people")
def list_people(slug):
    meeting = require_manager(slug)
    people = db.session.scalars(
        select(Person)
        .where(Person.meeting_id == meeting.id)
        .options(selectinload(Person.roles).joinedload(SessionPerson.session_))
        .order_by(Person.name)
    ).all()
    return render_template("programme/people.html", meeting=meeting, people=people)


@bp.route(f"{MANAGE}/people/new", methods=["GET", "POST"])
def create_person(slug):
    meeting = require_manager(slug)
    return _person_form(meeting, None)


@bp.route(f"{MANAGE}/people/<int:person_id>/edit", methods=["GET", "POST"])
def edit_person(slug, person_id):
    meeting = require_manager(slug)
    return _person_form(meeting, _record_or_404(Person, person_id, meeting))


def _person_values(form) -> dict:
    return {
        name: getattr(form, name).data
        for name in ("honorific", "name", "position", "organisation", "country", "biography")
    }


def _person_form(meeting, person):
    form = PersonForm(obj=person)
    if form.validate_on_submit():
        try:
            saved = services.save_person(meeting, person=person, **_person_values(form))
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            name = saved.display_name
            db.session.commit()
            flash(_("%(name)s saved.", name=name), "success")
            return redirect(url_for("programme.list_people", slug=meeting.slug))
    return render_template("programme/person_form.html", meeting=meeting, form=form, person=person)


# Sessions ------------------------------------------------------------------------------------


def _session_form(meeting, **kwargs) -> SessionForm:
    return SessionForm(
        meeting=meeting,
        tracks=_tracks(meeting),
        rooms=_rooms(meeting),
        agenda_items=_agenda_items(meeting),
        clusters=_clusters(meeting),
        **kwargs,
    )


def _session_input(form: SessionForm) -> SessionInput:
    return SessionInput(
        title=form.title.data,
        kind=form.kind.data,
        track_id=form.track_id.data,
        room_id=form.room_id.data,
        agenda_item_id=form.agenda_item_id.data,
        cluster_id=form.cluster_id.data,
        slot=form.slot.data,
        capacity=form.capacity.data,
        day=form.day.data,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        description=form.description.data or "",
    )


def _session_data(meeting, session_: AgendaSession) -> dict:
    """The form's initial values: the session's times on the meeting's clock."""
    starts = to_local(session_.starts_at, meeting.timezone)
    ends = to_local(session_.ends_at, meeting.timezone)
    return {
        "title": session_.title,
        "kind": session_.kind.value,
        "track_id": session_.track_id,
        "room_id": session_.room_id,
        "agenda_item_id": session_.agenda_item_id,
        "cluster_id": session_.cluster_id,
        "slot": session_.slot,
        "capacity": session_.capacity,
        "description": session_.description,
        "day": starts.date(),
        "start_time": starts.time().replace(tzinfo=None),
        "end_time": ends.time().replace(tzinfo=None),
        "version": session_.version,
    }


def _zone_hint(meeting) -> str:
    return _("Times in %(zone)s", zone=zone_label(meeting.timezone, meeting.first_day))


@bp.route(f"{MANAGE}/sessions")
def list_sessions(slug):
    meeting = require_manager(slug)
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id)
        .options(
            joinedload(AgendaSession.track),
            joinedload(AgendaSession.room),
            joinedload(AgendaSession.cluster),
            joinedload(AgendaSession.agenda_item),
            selectinload(AgendaSession.people).joinedload(SessionPerson.person),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.ends_at, AgendaSession.id)
    ).all()
    zone = meeting.timezone
    days = [
        (day, list(group))
        for day, group in groupby(sessions, key=lambda s: local_date(s.starts_at, zone))
    ]
    conflicts = services.conflicts_by_session(services.find_conflicts(meeting))
    return render_template(
        "programme/sessions.html",
        meeting=meeting,
        days=days,
        conflicts=conflicts,
        zone_hint=_zone_hint(meeting),
        has_tracks=bool(_tracks(meeting)),
    )


@bp.route(f"{MANAGE}/sessions/new", methods=["GET", "POST"])
def create_session(slug):
    meeting = require_manager(slug)
    form = _session_form(meeting)
    if request.method == "GET" and request.args.get("day"):
        form.day.process_data(request.args["day"])
    if form.validate_on_submit():
        try:
            session_ = services.create_session(meeting, _session_input(form))
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            session_id, title = session_.id, session_.title
            if _commit_or_error(form, _("The session could not be saved; please try again.")):
                flash(_("Session “%(title)s” saved. Now add its people.", title=title), "success")
                return redirect(
                    url_for("programme.edit_session", slug=meeting.slug, session_id=session_id)
                )
    return render_template(
        "programme/session_form.html",
        meeting=meeting,
        form=form,
        session_=None,
        zone_hint=_zone_hint(meeting),
        has_tracks=bool(form.track_id.choices),
    )


def _render_session_edit(meeting, session_, form=None, person_form=None, new_person_form=None):
    people = _people(meeting)
    form = form or _session_form(
        meeting,
        data=_session_data(meeting, session_),
        extra_day=local_date(session_.starts_at, meeting.timezone),
    )
    person_form = person_form or SessionPersonForm(people=people, formdata=None)
    new_person_form = new_person_form or NewSessionPersonForm(prefix="new", formdata=None)
    own_conflicts = services.conflicts_by_session(services.find_conflicts(meeting)).get(
        session_.id, []
    )
    return render_template(
        "programme/session_form.html",
        meeting=meeting,
        session_=session_,
        form=form,
        person_form=person_form,
        new_person_form=new_person_form,
        has_people=bool(people),
        conflicts=own_conflicts,
        confirm=ConfirmForm(),
        zone_hint=_zone_hint(meeting),
        has_tracks=True,
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    if request.method == "POST":
        # A form opened on an older version would silently undo someone else's changes.
        check_version(session_, request.form.get("version"))
    form = _session_form(
        meeting,
        data=_session_data(meeting, session_),
        extra_day=local_date(session_.starts_at, meeting.timezone),
    )
    if form.validate_on_submit():
        try:
            services.update_session(session_, _session_input(form))
            title = session_.title
            db.session.commit()
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        except StaleDataError:
            db.session.rollback()
            abort(409)
        except IntegrityError:
            db.session.rollback()
            form.form_errors.append(_("The session could not be saved; please try again."))
        else:
            flash(_("Session “%(title)s” saved.", title=title), "success")
            return redirect(
                url_for("programme.edit_session", slug=meeting.slug, session_id=session_id)
            )
    return _render_session_edit(meeting, session_, form=form)


def _session_action(slug, session_id, action, message):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    action(session_)
    title = session_.title
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        abort(409)
    flash(message(title), "success")
    target = request.form.get("next")
    if target == "list":
        return redirect(url_for("programme.list_sessions", slug=meeting.slug))
    return redirect(url_for("programme.edit_session", slug=meeting.slug, session_id=session_id))


@bp.route(f"{MANAGE}/sessions/<int:session_id>/cancel", methods=["POST"])
def cancel_session(slug, session_id):
    return _session_action(
        slug,
        session_id,
        services.cancel_session,
        lambda title: _("Session “%(title)s” cancelled. It stays in the programme.", title=title),
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/restore", methods=["POST"])
def restore_session(slug, session_id):
    return _session_action(
        slug,
        session_id,
        services.restore_session,
        lambda title: _("Session “%(title)s” restored.", title=title),
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people", methods=["POST"])
def add_session_person(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    person_form = SessionPersonForm(people=_people(meeting))
    if person_form.validate_on_submit():
        try:
            entry = services.add_session_person(
                session_, person_form.person_id.data, person_form.role.data
            )
            name, role = entry.person.display_name, entry.role.label
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(person_form, error)
        else:
            if _commit_or_error(person_form, _("This person already has that role here.")):
                flash(_("%(name)s added as %(role)s.", name=name, role=role), "success")
                return redirect(
                    url_for("programme.edit_session", slug=meeting.slug, session_id=session_id)
                )
    return _render_session_edit(meeting, session_, person_form=person_form)


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people/new", methods=["POST"])
def add_new_session_person(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    form = NewSessionPersonForm(prefix="new")
    if form.validate_on_submit():
        try:
            person = services.save_person(meeting, **_person_values(form))
            entry = services.add_session_person(session_, person.id, form.role.data)
            name, role = person.display_name, entry.role.label
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added as %(role)s.", name=name, role=role), "success")
            return redirect(
                url_for("programme.edit_session", slug=meeting.slug, session_id=session_id)
            )
    return _render_session_edit(meeting, session_, new_person_form=form)


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people/<int:entry_id>/remove", methods=["POST"])
def remove_session_person(slug, session_id, entry_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    try:
        services.remove_session_person(session_, entry_id)
    except ProgrammeError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("Removed from the session."), "success")
    return redirect(url_for("programme.edit_session", slug=meeting.slug, session_id=session_id))


# Clusters ------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/clusters")
def list_clusters(slug):
    meeting = require_manager(slug)
    clusters = db.session.scalars(
        select(Cluster)
        .where(Cluster.meeting_id == meeting.id)
        .options(
            selectinload(Cluster.topics),
            selectinload(Cluster.sessions).joinedload(AgendaSession.room),
            joinedload(Cluster.moderator),
            joinedload(Cluster.rapporteur),
        )
        .order_by(Cluster.number)
    ).all()
    return render_template(
        "programme/clusters.html",
        meeting=meeting,
        clusters=clusters,
        conflicts=services.conflicts_by_session(services.find_conflicts(meeting)),
    )


@bp.route(f"{MANAGE}/clusters/new", methods=["GET", "POST"])
def create_cluster(slug):
    meeting = require_manager(slug)
    return _cluster_form(meeting, None)


@bp.route(f"{MANAGE}/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
def edit_cluster(slug, cluster_id):
    meeting = require_manager(slug)
    return _cluster_form(meeting, _record_or_404(Cluster, cluster_id, meeting))


def _cluster_form(meeting, cluster):
    data = None
    if cluster is not None:
        data = {
            "number": cluster.number,
            "title": cluster.title,
            "topics": "\n".join(topic.title for topic in cluster.topics),
            "discussion_guide": cluster.discussion_guide,
            "capacity": cluster.capacity,
            "moderator_id": cluster.moderator_id,
            "rapporteur_id": cluster.rapporteur_id,
        }
    form = ClusterForm(people=_people(meeting), data=data)
    if form.validate_on_submit():
        try:
            saved = services.save_cluster(
                meeting,
                number=form.number.data,
                title=form.title.data,
                topics=services.parse_topics(form.topics.data),
                discussion_guide=form.discussion_guide.data or "",
                capacity=form.capacity.data,
                moderator_id=form.moderator_id.data,
                rapporteur_id=form.rapporteur_id.data,
                cluster=cluster,
            )
            label = saved.label
        except ProgrammeError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            if _commit_or_error(form, _("This meeting already has a cluster of that number.")):
                flash(_("%(label)s saved.", label=label), "success")
                return redirect(url_for("programme.list_clusters", slug=meeting.slug))
    return render_template(
        "programme/cluster_form.html", meeting=meeting, form=form, cluster=cluster
    )


# Conflicts and publishing --------------------------------------------------------------------


def _publish_form(blocking_count: int) -> PublishForm:
    form = PublishForm()
    form.override.label.text = ngettext(
        "Publish despite %(num)d double-booking",
        "Publish despite %(num)d double-bookings",
        blocking_count,
    )
    return form


@bp.route(f"{MANAGE}/conflicts")
def show_conflicts(slug):
    meeting = require_manager(slug)
    conflicts = services.find_conflicts(meeting)
    blocking = [c for c in conflicts if c.is_blocking]
    return render_template(
        "programme/conflicts.html",
        meeting=meeting,
        conflicts=conflicts,
        blocking=blocking,
        publish_form=_publish_form(len(blocking)),
        confirm=ConfirmForm(),
    )


def _after_publishing(meeting):
    if request.args.get("from") != "conflicts" and (
        "meetings.manage_meeting" in current_app.view_functions
    ):
        return redirect(url_for("meetings.manage_meeting", slug=meeting.slug))
    return redirect(url_for("programme.show_conflicts", slug=meeting.slug))


@bp.route(f"{MANAGE}/publish", methods=["POST"])
def publish_meeting(slug):
    meeting = require_manager(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        overridden = services.publish_meeting(meeting, override=bool(form.override.data))
        db.session.commit()
    except PublishBlocked as blocked:
        db.session.rollback()
        flash(blocked.message, "error")
        for conflict in blocked.conflicts:
            flash(conflict.message, "error")
        # The conflicts page lists them and carries the override box.
        return redirect(url_for("programme.show_conflicts", slug=meeting.slug))
    except StaleDataError:
        db.session.rollback()
        abort(409)
    else:
        if overridden:
            flash(
                ngettext(
                    "The programme is published despite %(num)d double-booking.",
                    "The programme is published despite %(num)d double-bookings.",
                    len(overridden),
                ),
                "warning",
            )
        else:
            flash(_("The programme is published."), "success")
    return _after_publishing(meeting)


@bp.route(f"{MANAGE}/unpublish", methods=["POST"])
def unpublish_meeting(slug):
    meeting = require_manager(slug)
    services.unpublish_meeting(meeting)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        abort(409)
    flash(_("The meeting is back to draft: the public no longer sees it."), "success")
    return _after_publishing(meeting)

"""Organiser pages for planning the programme: load, check, validate, call a rule, commit once.

Reads come from app/programme/queries.py, changes from the rule modules (tracks, sessions,
clusters, publishing), and every commit goes through app/errors.py.
"""

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.errors import commit_change, conflict
from app.extensions import db
from app.forms_base import translation_defaults, with_translations
from app.hooks import contribute
from app.meetings.access import is_current, require_manager
from app.meetings.models import Meeting, Person
from app.meetings.people import save_person
from app.meetings.queries import agenda_items, people_of
from app.pages import confirm_first, press_button, save_form
from app.permissions import allows
from app.programme import clusters, publishing, queries, sessions, tracks
from app.programme.conflicts import conflicts_by_session, find_conflicts
from app.programme.forms import (
    SESSION_TRANSLATED,
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
from app.programme.models import AgendaSession, Cluster, Room, Track
from app.programme.sessions import SessionInput
from app.timezones import local_date, to_local, zone_label

bp = Blueprint("programme", __name__)

MANAGE = "/meetings/<slug>/manage"


def _planned(meeting: Meeting) -> list[tuple[str, int]]:
    """What the organiser's dashboard counts of the programme."""
    return [
        (_("Sessions"), queries.count_of(AgendaSession, meeting)),
        (_("People"), queries.count_of(Person, meeting)),
        (_("Clusters"), queries.count_of(Cluster, meeting)),
    ]


contribute(bp, "meeting_counts", _planned)


def _agenda_item_uses(item) -> list[tuple[str, int]]:
    """What of the programme refers to an agenda item, for the question before deleting it."""
    number = queries.sessions_on_item(item)
    return [
        (
            ngettext(
                "%(num)d session stays in the programme but no longer names it.",
                "%(num)d sessions stay in the programme but no longer name it.",
                number,
            ),
            number,
        )
    ]


contribute(bp, "agenda_item_uses", _agenda_item_uses)


# Helpers -------------------------------------------------------------------------------------


def _record_or_404(model, record_id: int, meeting: Meeting):
    """A record of this meeting, or 404 (another meeting's ids are not found here)."""
    record = db.session.get(model, record_id)
    if record is None or record.meeting_id != meeting.id:
        abort(404)
    return record


def _page(endpoint: str, meeting: Meeting, **values) -> str:
    return url_for(endpoint, slug=meeting.slug, **values)


# Tracks --------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/tracks")
@allows("organiser")
def list_tracks(slug):
    meeting = require_manager(slug)
    return render_template(
        "programme/tracks.html",
        meeting=meeting,
        tracks=queries.tracks(meeting),
        counts=queries.sessions_per_track(meeting),
        confirm=ConfirmForm(),
    )


@bp.route(f"{MANAGE}/tracks/new", methods=["GET", "POST"])
@allows("organiser")
def create_track(slug):
    meeting = require_manager(slug)
    return _track_form(meeting, None)


@bp.route(f"{MANAGE}/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_track(slug, track_id):
    meeting = require_manager(slug)
    return _track_form(meeting, _record_or_404(Track, track_id, meeting))


def _track_form(meeting, track):
    form = TrackForm(obj=track)

    def save():
        saved = tracks.save_track(
            meeting,
            name=form.name.data,
            kind=form.kind.data,
            position=form.position.data,
            track=track,
        )
        return _("Track %(name)s saved.", name=saved.name), _page("programme.list_tracks", meeting)

    return save_form(
        form,
        save,
        lambda: render_template(
            "programme/track_form.html", meeting=meeting, form=form, track=track
        ),
        duplicate=_("This meeting already has a track of that name."),
    )


@bp.route(f"{MANAGE}/tracks/<int:track_id>/delete", methods=["POST"])
@allows("organiser")
def delete_track(slug, track_id):
    meeting = require_manager(slug)
    track = _record_or_404(Track, track_id, meeting)
    done = _("Track %(name)s deleted.", name=track.name)
    return press_button(
        lambda: tracks.delete_track(track), _page("programme.list_tracks", meeting), done=done
    )


# Rooms ---------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/rooms")
@allows("organiser")
def list_rooms(slug):
    meeting = require_manager(slug)
    return render_template(
        "programme/rooms.html",
        meeting=meeting,
        rooms=queries.rooms(meeting),
        counts=queries.sessions_per_room(meeting),
        confirm=ConfirmForm(),
    )


@bp.route(f"{MANAGE}/rooms/new", methods=["GET", "POST"])
@allows("organiser")
def create_room(slug):
    meeting = require_manager(slug)
    return _room_form(meeting, None)


@bp.route(f"{MANAGE}/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@allows("organiser")
def edit_room(slug, room_id):
    meeting = require_manager(slug)
    return _room_form(meeting, _record_or_404(Room, room_id, meeting))


def _room_form(meeting, room):
    form = RoomForm(obj=room)

    def save():
        saved = tracks.save_room(
            meeting, name=form.name.data, capacity=form.capacity.data, room=room
        )
        return _("Room %(name)s saved.", name=saved.name), _page("programme.list_rooms", meeting)

    return save_form(
        form,
        save,
        lambda: render_template("programme/room_form.html", meeting=meeting, form=form, room=room),
        duplicate=_("This meeting already has a room of that name."),
    )


@bp.route(f"{MANAGE}/rooms/<int:room_id>/delete", methods=["POST"])
@allows("organiser")
def delete_room(slug, room_id):
    meeting = require_manager(slug)
    room = _record_or_404(Room, room_id, meeting)
    done = _("Room %(name)s deleted.", name=room.name)
    return press_button(
        lambda: tracks.delete_room(room), _page("programme.list_rooms", meeting), done=done
    )


# People --------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/people")
@allows("organiser")
def list_people(slug):
    meeting = require_manager(slug)
    return render_template(
        "programme/people.html", meeting=meeting, people=queries.people_with_roles(meeting)
    )


@bp.route(f"{MANAGE}/people/new", methods=["GET", "POST"])
@allows("organiser")
def create_person(slug):
    meeting = require_manager(slug)
    return _person_form(meeting, None)


@bp.route(f"{MANAGE}/people/<int:person_id>/edit", methods=["GET", "POST"])
@allows("organiser")
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

    def save():
        saved = save_person(meeting, person=person, **_person_values(form))
        return _("%(name)s saved.", name=saved.display_name), _page(
            "programme.list_people", meeting
        )

    return save_form(
        form,
        save,
        lambda: render_template(
            "programme/person_form.html", meeting=meeting, form=form, person=person
        ),
    )


# Sessions ------------------------------------------------------------------------------------


def _session_form(meeting, session_=None, **kwargs) -> SessionForm:
    form_class = with_translations(SessionForm, meeting.content_languages, SESSION_TRANSLATED)
    if "data" in kwargs:
        kwargs["data"] = {**kwargs["data"], **translation_defaults(session_, form_class)}
    return form_class(
        meeting=meeting,
        tracks=queries.tracks(meeting),
        rooms=queries.rooms(meeting),
        agenda_items=agenda_items(meeting),
        clusters=queries.clusters(meeting),
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
        online_url=form.online_url.data or "",
        interpretation=list(form.interpretation.data or []),
        accept_clashes=bool(form.accept_clashes.data),
        translations=form.translations_data(),
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
        "online_url": session_.online_url,
        "interpretation": session_.interpretation.split(),
        "day": starts.date(),
        "start_time": starts.time().replace(tzinfo=None),
        "end_time": ends.time().replace(tzinfo=None),
        "version": session_.version,
    }


def _zone_hint(meeting) -> str:
    return _("Times in %(zone)s", zone=zone_label(meeting.timezone, meeting.first_day))


def _edit_page(meeting, session_id: int) -> str:
    return _page("programme.edit_session", meeting, session_id=session_id)


@bp.route(f"{MANAGE}/sessions")
@allows("organiser")
def list_sessions(slug):
    meeting = require_manager(slug)
    zone = meeting.timezone
    days = [
        (day, list(group))
        for day, group in groupby(
            queries.planned_sessions(meeting), key=lambda s: local_date(s.starts_at, zone)
        )
    ]
    return render_template(
        "programme/sessions.html",
        meeting=meeting,
        days=days,
        conflicts=conflicts_by_session(find_conflicts(meeting)),
        zone_hint=_zone_hint(meeting),
        has_tracks=bool(queries.tracks(meeting)),
    )


@bp.route(f"{MANAGE}/sessions/new", methods=["GET", "POST"])
@allows("organiser")
def create_session(slug):
    meeting = require_manager(slug)
    form = _session_form(meeting)
    if request.method == "GET" and request.args.get("day"):
        form.day.process_data(request.args["day"])

    def save():
        session_ = sessions.create_session(meeting, _session_input(form), actor_id=current_user.id)
        message = _("Session “%(title)s” saved. Now add its people.", title=session_.title)
        return message, _edit_page(meeting, session_.id)

    return save_form(
        form,
        save,
        lambda: render_template(
            "programme/session_form.html",
            meeting=meeting,
            form=form,
            session_=None,
            zone_hint=_zone_hint(meeting),
            has_tracks=bool(form.track_id.choices),
        ),
        duplicate=_("The session could not be saved; please try again."),
    )


def _render_session_edit(meeting, session_, form=None, person_form=None, new_person_form=None):
    people = people_of(meeting)
    form = form or _session_form(
        meeting,
        session_,
        data=_session_data(meeting, session_),
        extra_day=local_date(session_.starts_at, meeting.timezone),
    )
    person_form = person_form or SessionPersonForm(people=people, formdata=None)
    new_person_form = new_person_form or NewSessionPersonForm(prefix="new", formdata=None)
    own_conflicts = conflicts_by_session(find_conflicts(meeting)).get(session_.id, [])
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
@allows("organiser")
def edit_session(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    if request.method == "POST" and not is_current(session_, request.form.get("version")):
        # A form opened on an older version would silently undo someone else's changes.
        conflict()
    form = _session_form(
        meeting,
        session_,
        data=_session_data(meeting, session_),
        extra_day=local_date(session_.starts_at, meeting.timezone),
    )

    def save():
        sessions.update_session(session_, _session_input(form), actor_id=current_user.id)
        message = _("Session “%(title)s” saved.", title=session_.title)
        return message, _edit_page(meeting, session_id)

    return save_form(
        form,
        save,
        lambda: _render_session_edit(meeting, session_, form=form),
        duplicate=_("The session could not be saved; please try again."),
    )


def _session_action(slug, session_id, action, message):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    if request.form.get("next") == "list":
        back = _page("programme.list_sessions", meeting)
    else:
        back = _edit_page(meeting, session_id)
    return press_button(lambda: message(action(session_, actor_id=current_user.id).title), back)


@bp.route(f"{MANAGE}/sessions/<int:session_id>/cancel", methods=["POST"])
@allows("organiser")
def cancel_session(slug, session_id):
    return _session_action(
        slug,
        session_id,
        sessions.cancel_session,
        lambda title: _("Session “%(title)s” cancelled. It stays in the programme.", title=title),
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/restore", methods=["POST"])
@allows("organiser")
def restore_session(slug, session_id):
    return _session_action(
        slug,
        session_id,
        sessions.restore_session,
        lambda title: _("Session “%(title)s” restored.", title=title),
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people", methods=["POST"])
@allows("organiser")
def add_session_person(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    person_form = SessionPersonForm(people=people_of(meeting))

    def save():
        entry = sessions.add_session_person(
            session_, person_form.person_id.data, person_form.role.data
        )
        name, role = entry.person.display_name, entry.role.label
        message = _("%(name)s added as %(role)s.", name=name, role=role)
        return message, _edit_page(meeting, session_id)

    return save_form(
        person_form,
        save,
        lambda: _render_session_edit(meeting, session_, person_form=person_form),
        duplicate=_("This person already has that role here."),
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people/new", methods=["POST"])
@allows("organiser")
def add_new_session_person(slug, session_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    form = NewSessionPersonForm(prefix="new")

    def save():
        person = save_person(meeting, **_person_values(form))
        entry = sessions.add_session_person(session_, person.id, form.role.data)
        name, role = person.display_name, entry.role.label
        message = _("%(name)s added as %(role)s.", name=name, role=role)
        return message, _edit_page(meeting, session_id)

    return save_form(
        form, save, lambda: _render_session_edit(meeting, session_, new_person_form=form)
    )


@bp.route(f"{MANAGE}/sessions/<int:session_id>/people/<int:entry_id>/remove", methods=["POST"])
@allows("organiser")
def remove_session_person(slug, session_id, entry_id):
    meeting = require_manager(slug)
    session_ = _record_or_404(AgendaSession, session_id, meeting)
    if not any(entry.id == entry_id for entry in session_.people):
        abort(404)
    return press_button(
        lambda: sessions.remove_session_person(session_, entry_id),
        _edit_page(meeting, session_id),
        done=_("Removed from the session."),
    )


# Clusters ------------------------------------------------------------------------------------


@bp.route(f"{MANAGE}/clusters")
@allows("organiser")
def list_clusters(slug):
    meeting = require_manager(slug)
    return render_template(
        "programme/clusters.html",
        meeting=meeting,
        clusters=queries.clusters_in_full(meeting, with_sessions=True),
        conflicts=conflicts_by_session(find_conflicts(meeting)),
    )


@bp.route(f"{MANAGE}/clusters/new", methods=["GET", "POST"])
@allows("organiser")
def create_cluster(slug):
    meeting = require_manager(slug)
    return _cluster_form(meeting, None)


@bp.route(f"{MANAGE}/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
@allows("organiser")
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
    form = ClusterForm(people=people_of(meeting), data=data)

    def save():
        saved = clusters.save_cluster(
            meeting,
            number=form.number.data,
            title=form.title.data,
            topics=clusters.parse_topics(form.topics.data),
            discussion_guide=form.discussion_guide.data or "",
            capacity=form.capacity.data,
            moderator_id=form.moderator_id.data,
            rapporteur_id=form.rapporteur_id.data,
            cluster=cluster,
        )
        return _("%(label)s saved.", label=saved.label), _page("programme.list_clusters", meeting)

    return save_form(
        form,
        save,
        lambda: render_template(
            "programme/cluster_form.html", meeting=meeting, form=form, cluster=cluster
        ),
        duplicate=_("This meeting already has a cluster of that number."),
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
@allows("organiser")
def show_conflicts(slug):
    meeting = require_manager(slug)
    conflicts = find_conflicts(meeting)
    blocking = [c for c in conflicts if c.is_blocking]
    return render_template(
        "programme/conflicts.html",
        meeting=meeting,
        conflicts=conflicts,
        blocking=blocking,
        publish_form=_publish_form(len(blocking)),
        confirm=ConfirmForm(),
    )


def _after_publishing(meeting) -> str:
    if request.args.get("from") != "conflicts":
        return _page("meetings.manage_meeting", meeting)
    return _page("programme.show_conflicts", meeting)


@bp.route(f"{MANAGE}/publish", methods=["POST"])
@allows("organiser")
def publish_meeting(slug):
    meeting = require_manager(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = commit_change(
        lambda: publishing.publish_meeting(
            meeting, override=bool(form.override.data), actor_id=current_user.id
        )
    )
    if not outcome.ok:
        # The conflicts page lists them and carries the override box.
        return redirect(_page("programme.show_conflicts", meeting))
    if outcome.value:
        flash(
            ngettext(
                "The programme is published despite %(num)d double-booking.",
                "The programme is published despite %(num)d double-bookings.",
                len(outcome.value),
            ),
            "warning",
        )
    else:
        flash(_("The programme is published."), "success")
    return redirect(_after_publishing(meeting))


@bp.route(f"{MANAGE}/unpublish", methods=["POST"])
@allows("organiser")
def unpublish_meeting(slug):
    meeting = require_manager(slug)
    return press_button(
        lambda: publishing.unpublish_meeting(meeting),
        _after_publishing(meeting),
        done=_("The meeting is back to draft: the public no longer sees it."),
    )


@bp.route(f"{MANAGE}/conclude", methods=["POST"])
@allows("organiser")
def conclude_meeting(slug):
    meeting = require_manager(slug)
    if not PublishForm().validate_on_submit():
        abort(400)
    question = confirm_first(
        title=_("Conclude the meeting?"),
        consequences=[
            _("Registration and places close, and the programme can no longer change."),
            _("The meeting's pages stay public. You can reopen it later."),
        ],
        confirm_label=_("Yes, conclude it"),
        back=_page("meetings.manage_meeting", meeting),
    )
    if question is not None:
        return question
    return press_button(
        lambda: publishing.conclude_meeting(meeting),
        _page("meetings.manage_meeting", meeting),
        done=_("The meeting has concluded."),
    )


@bp.route(f"{MANAGE}/reopen", methods=["POST"])
@allows("organiser")
def reopen_meeting(slug):
    meeting = require_manager(slug)
    if not PublishForm().validate_on_submit():
        abort(400)
    return press_button(
        lambda: publishing.reopen_meeting(meeting),
        _page("meetings.manage_meeting", meeting),
        done=_("The meeting is open again: the programme may change."),
    )

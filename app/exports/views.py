"""Export views: iCalendar feeds, the JSON programme and its OpenAPI description.

Each view loads what it exports in a fixed number of queries (the public pages' loading
options), calls a pure builder and sends the bytes with the headers a feed needs: ETag and
Last-Modified, so clients that poll get 304 until something changes.
"""

import hashlib
import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, raiseload, selectinload
from werkzeug.utils import secure_filename

from app.exports import bp
from app.exports.ical import FeedEntry, build_calendar, calendar_bytes
from app.exports.openapi import openapi_document
from app.exports.programme_json import build_programme
from app.extensions import db
from app.meetings.access import can_manage, load_meeting
from app.meetings.models import Meeting
from app.programme.models import AgendaSession, Cluster, Room, SessionPerson, Track
from app.programme.public_views import (
    load_sessions,
    meeting_days,
    public_person,
    session_options,
)
from app.registration.models import PlaceStatus, Registration, RegistrationStatus
from app.registration.services import personal_agenda, regenerate_feed_token, registration_of

# secrets.token_urlsafe(32) gives 43 characters of this alphabet; anything else is not a token.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Registrations whose holder still follows the meeting; a declined or cancelled one has no feed.
FEED_STATUSES = (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)


# --- Loading ------------------------------------------------------------------------------------


def _export_meeting(slug: str) -> Meeting:
    """A published meeting, or a draft for its organisers; 404 for anyone else.

    Stricter than the public pages: a draft's rapporteurs and participants see its pages, but
    only organisers may take its programme away as a file.
    """
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == slug))
    if meeting is None or not (meeting.is_published or can_manage(meeting)):
        abort(404)
    return meeting


def _sessions(meeting: Meeting, *conditions) -> list[AgendaSession]:
    query = (
        select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id, *conditions)
        .options(*session_options())
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    return list(db.session.scalars(query).unique())


def _track(meeting: Meeting, track_id: int) -> Track:
    track = db.session.scalar(
        select(Track)
        .where(Track.id == track_id, Track.meeting_id == meeting.id)
        .options(raiseload("*"))
    )
    if track is None:
        abort(404)
    return track


# --- Sending ------------------------------------------------------------------------------------


def _uid_domain() -> str:
    """The UID's domain: configured, else the server name, else the host asked (no port)."""
    config = current_app.config
    domain = config.get("PLENARY_UID_DOMAIN") or config.get("SERVER_NAME") or request.host
    return urlsplit(f"//{domain}").hostname or domain


def _session_url(meeting: Meeting):
    def url(session_: AgendaSession) -> str:
        return url_for(
            "programme.show_session", slug=meeting.slug, session_id=session_.id, _external=True
        )

    return url


def _last_modified(meeting: Meeting, stamps) -> datetime:
    return max([meeting.updated_at, *stamps])


def _send_calendar(
    meeting: Meeting,
    entries,
    *,
    name: str,
    filename: str,
    last_modified: datetime,
    private: bool = False,
) -> Response:
    calendar = build_calendar(
        meeting,
        entries,
        name=name,
        uid_domain=_uid_domain(),
        session_url=_session_url(meeting),
        calendar_url=request.base_url,
        description=meeting.title,
    )
    body = calendar_bytes(calendar)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = last_modified
    # Clients may keep the feed but must ask again (cheaply, with the ETag) before using it.
    response.cache_control.no_cache = True
    if private or not meeting.is_published:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.cache_control.public = True
    return response.make_conditional(request)


def _filename(meeting: Meeting, *parts: str) -> str:
    return secure_filename("-".join([meeting.slug, *parts])) + ".ics"


# --- Feeds --------------------------------------------------------------------------------------


@bp.route("/meetings/<slug>/programme.ics")
def export_programme_ics(slug: str):
    """The whole programme as a calendar feed."""
    meeting = _export_meeting(slug)
    sessions = load_sessions(meeting, None)
    return _send_calendar(
        meeting,
        sessions,
        name=_("%(meeting)s: programme", meeting=meeting.short_title or meeting.title),
        filename=_filename(meeting, "programme"),
        last_modified=_last_modified(meeting, (s.updated_at for s in sessions)),
    )


@bp.route("/meetings/<slug>/tracks/<int:track_id>.ics")
def export_track_ics(slug: str, track_id: int):
    """One track (the youth forum alone, say) as a calendar feed."""
    meeting = _export_meeting(slug)
    track = _track(meeting, track_id)
    sessions = _sessions(meeting, AgendaSession.track_id == track.id)
    return _send_calendar(
        meeting,
        sessions,
        name=f"{meeting.short_title or meeting.title}: {track.name}",
        filename=_filename(meeting, "track", str(track.id)),
        last_modified=_last_modified(meeting, (s.updated_at for s in sessions)),
    )


@bp.route("/meetings/<slug>/sessions/<int:session_id>.ics")
def export_session_ics(slug: str, session_id: int):
    """One session as a calendar file."""
    meeting = _export_meeting(slug)
    sessions = _sessions(meeting, AgendaSession.id == session_id)
    if not sessions:
        abort(404)
    return _send_calendar(
        meeting,
        sessions,
        name=f"{meeting.short_title or meeting.title}: {sessions[0].title}",
        filename=_filename(meeting, "session", str(session_id)),
        last_modified=_last_modified(meeting, [sessions[0].updated_at]),
    )


@bp.route("/meetings/<slug>/speakers/<int:person_id>.ics")
def export_speaker_ics(slug: str, person_id: int):
    """The sessions of one speaker (anyone the organiser put in a session)."""
    meeting = _export_meeting(slug)
    person = public_person(meeting, person_id)
    sessions = _sessions(
        meeting,
        exists().where(
            SessionPerson.session_id == AgendaSession.id, SessionPerson.person_id == person.id
        ),
    )
    return _send_calendar(
        meeting,
        sessions,
        name=f"{meeting.short_title or meeting.title}: {person.display_name}",
        filename=_filename(meeting, "speaker", str(person.id)),
        last_modified=_last_modified(meeting, (s.updated_at for s in sessions)),
    )


@bp.route("/meetings/<slug>/agenda/<token>.ics")
def export_personal_ics(slug: str, token: str):
    """A participant's own agenda, behind the secret token in the URL.

    Plenary and other shared sessions, confirmed places in clusters and workshops, and the
    youth forum for youth participants, as on the participant's page. Waitlisted places are
    left out: a calendar should hold where the participant will be, and the place appears
    once it is confirmed.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        abort(404)
    registration = db.session.scalar(
        select(Registration)
        .join(Meeting, Registration.meeting_id == Meeting.id)
        .where(Registration.feed_token == token, Meeting.slug == slug)
        .options(joinedload(Registration.meeting), raiseload("*"))
    )
    if registration is None or registration.status not in FEED_STATUSES:
        abort(404)
    meeting = registration.meeting
    if not meeting.is_published:
        abort(404)
    agenda = [
        entry
        for entry in personal_agenda(registration)
        if entry.place is None or entry.place.status == PlaceStatus.CONFIRMED
    ]
    # personal_agenda decides what belongs; the people come with the public pages' options.
    loaded = {
        s.id: s for s in _sessions(meeting, AgendaSession.id.in_([e.session_.id for e in agenda]))
    }
    entries = [
        FeedEntry(loaded[e.session_.id], e.place.created_at if e.place else None) for e in agenda
    ]
    stamps = [e.session.updated_at for e in entries] + [e.revised for e in entries if e.revised]
    return _send_calendar(
        meeting,
        entries,
        name=_("%(meeting)s: my agenda", meeting=meeting.short_title or meeting.title),
        filename=_filename(meeting, "my-agenda"),
        last_modified=_last_modified(meeting, stamps),
        private=True,
    )


@bp.route("/meetings/<slug>/my/calendar-feed", methods=["POST"])
@login_required
def regenerate_feed(slug: str):
    """Give the participant's private feed a new address; the old one answers 404 from now."""
    meeting = load_meeting(slug)
    registration = registration_of(meeting, current_user)
    if registration is None:
        abort(404)
    had_one = registration.feed_token is not None
    regenerate_feed_token(registration)
    db.session.commit()
    if had_one:
        flash(
            _("Your calendar feed has a new address. The old address no longer works."), "success"
        )
    else:
        flash(_("Your private calendar feed is ready."), "success")
    return redirect(url_for("registration.show_my_registration", slug=meeting.slug))


# --- JSON ---------------------------------------------------------------------------------------


@bp.route("/meetings/<slug>/programme.json")
def export_programme_json(slug: str):
    """The programme as JSON (schema: /api/openapi.json, `Programme`)."""
    meeting = _export_meeting(slug)
    sessions = load_sessions(meeting, None)
    tracks = db.session.scalars(
        select(Track)
        .where(Track.meeting_id == meeting.id)
        .order_by(Track.position, Track.name, Track.id)
        .options(raiseload("*"))
    ).all()
    rooms = db.session.scalars(
        select(Room)
        .where(Room.meeting_id == meeting.id)
        .order_by(Room.name, Room.id)
        .options(raiseload("*"))
    ).all()
    clusters = (
        db.session.scalars(
            select(Cluster)
            .where(Cluster.meeting_id == meeting.id)
            .order_by(Cluster.number)
            .options(
                selectinload(Cluster.topics),
                joinedload(Cluster.moderator),
                joinedload(Cluster.rapporteur),
                raiseload("*"),
            )
        )
        .unique()
        .all()
    )

    def absolute(endpoint: str, **values) -> str:
        return url_for(endpoint, slug=meeting.slug, _external=True, **values)

    data = build_programme(
        meeting,
        sessions,
        tracks=tracks,
        rooms=rooms,
        clusters=clusters,
        days=meeting_days(meeting),
        urls={
            "meeting": lambda: absolute("programme.show_programme"),
            "programme_ical": lambda: absolute("exports.export_programme_ics"),
            "session": lambda s: absolute("programme.show_session", session_id=s.id),
            "session_ical": lambda s: absolute("exports.export_session_ics", session_id=s.id),
        },
    )
    response = current_app.json.response(data)
    response.add_etag()
    response.cache_control.no_cache = True
    if meeting.is_published:
        response.cache_control.public = True
        # Published programmes are public data: any website may fetch them.
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.cache_control.private = True
    return response.make_conditional(request)


@bp.route("/api/openapi.json")
def show_openapi():
    """The OpenAPI 3.1 description of the JSON programme and the calendar feeds."""
    response = current_app.json.response(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

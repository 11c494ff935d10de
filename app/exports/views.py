"""Export routes: iCalendar feeds, the JSON programme and its OpenAPI description.

Each route loads what it exports as plain rows (rows.py), calls a pure builder (ical.py,
programme_json.py) and answers through responses.py: conditional on the meeting row alone, with
ETag and Last-Modified, so clients that poll get 304 until something changes.
"""

import re

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, raiseload

from app.errors import commit_change
from app.exports import notices
from app.exports.ical import FeedEntry
from app.exports.openapi import openapi_document
from app.exports.pdf import PROGRAMME_SIZES, render_programme_pdf
from app.exports.programme_json import build_programme
from app.exports.programme_pdf import programme_pdf_content
from app.exports.responses import (
    cached,
    calendar_body,
    calendar_response,
    export_of,
    ics_filename,
    public_feed,
    short_title,
)
from app.exports.rows import event_rows
from app.extensions import db
from app.hooks import contribute
from app.i18n import use_document_language
from app.meetings.access import can_manage, load_meeting
from app.meetings.models import Meeting
from app.meetings.queries import get_meeting, meeting_days
from app.permissions import allows
from app.programme import queries as programme_queries
from app.programme.models import AgendaSession, SessionPerson, Track
from app.registration.models import ClusterPlace, PlaceStatus, Registration, RegistrationStatus
from app.registration.queries import personal_agenda, registration_of
from app.registration.registrations import regenerate_feed_token

bp = Blueprint("exports", __name__)
# The people in a session hear when it moves, changes room or is cancelled (with its .ics).
contribute(bp, "session_changed", notices.session_changed)


@bp.app_template_global()
def webcal_url(url: str) -> str:
    """The subscribe link for a feed: the same address with the webcal:// scheme."""
    return "webcal://" + url.split("://", 1)[-1]


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
    meeting = get_meeting(slug)
    if meeting is None or not (meeting.is_published or can_manage(meeting)):
        abort(404)
    # A reader whose browser names no language Plenary speaks gets the meeting's; a feed
    # asked for with `?lang=fr` comes in that language when it is one of the meeting's.
    g.meeting_language = meeting.language
    if "lang" in request.args:
        use_document_language(meeting, request.args.get("lang"))
    return meeting


def _track(meeting: Meeting, track_id: int) -> Track:
    track = db.session.scalar(
        select(Track)
        .where(Track.id == track_id, Track.meeting_id == meeting.id)
        .options(raiseload("*"))
    )
    if track is None:
        abort(404)
    return track


# --- The fingerprint ----------------------------------------------------------------------------


# --- Sending ------------------------------------------------------------------------------------


# --- Feeds --------------------------------------------------------------------------------------


@bp.route("/meetings/<slug>/programme.ics")
@allows("anyone")
def export_programme_ics(slug: str):
    """The whole programme as a calendar feed."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        name = _("%(meeting)s: programme", meeting=short_title(meeting))
        return calendar_body(meeting, event_rows(meeting), name=name)

    return public_feed(meeting, "programme", None, ics_filename(meeting, "programme"), build)


@bp.route("/meetings/<slug>/tracks/<int:track_id>.ics")
@allows("anyone")
def export_track_ics(slug: str, track_id: int):
    """One track (the youth forum alone, say) as a calendar feed."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        track = _track(meeting, track_id)
        entries = event_rows(meeting, AgendaSession.track_id == track.id)
        return calendar_body(meeting, entries, name=f"{short_title(meeting)}: {track.name}")

    filename = ics_filename(meeting, "track", str(track_id))
    return public_feed(meeting, "track", track_id, filename, build)


@bp.route("/meetings/<slug>/sessions/<int:session_id>.ics")
@allows("anyone")
def export_session_ics(slug: str, session_id: int):
    """One session as a calendar file."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        entries = event_rows(meeting, AgendaSession.id == session_id)
        if not entries:
            abort(404)
        return calendar_body(meeting, entries, name=f"{short_title(meeting)}: {entries[0].title}")

    filename = ics_filename(meeting, "session", str(session_id))
    return public_feed(meeting, "session", session_id, filename, build)


@bp.route("/meetings/<slug>/speakers/<int:person_id>.ics")
@allows("anyone")
def export_speaker_ics(slug: str, person_id: int):
    """The sessions of one speaker (anyone the organiser put in a session)."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        person = programme_queries.public_person(meeting, person_id)
        if person is None:
            abort(404)
        entries = event_rows(
            meeting,
            exists().where(
                SessionPerson.session_id == AgendaSession.id, SessionPerson.person_id == person.id
            ),
        )
        return calendar_body(
            meeting, entries, name=f"{short_title(meeting)}: {person.display_name}"
        )

    filename = ics_filename(meeting, "speaker", str(person_id))
    return public_feed(meeting, "speaker", person_id, filename, build)


@bp.route("/meetings/<slug>/agenda/<token>.ics")
@allows("token")
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
    # What of the participant's own the feed shows: their category (the youth forum) and
    # their confirmed places. The programme itself is in the meeting row's revision.
    confirmed = db.session.execute(
        select(ClusterPlace.session_id, ClusterPlace.created_at)
        .where(
            ClusterPlace.registration_id == registration.id,
            ClusterPlace.status == PlaceStatus.CONFIRMED,
        )
        .order_by(ClusterPlace.session_id)
    ).all()
    own = (registration.category.value, *(value for row in confirmed for value in row))
    export = export_of(meeting, "personal", registration.id, own=own)
    headers = dict(
        etag=export.etag,
        filename=ics_filename(meeting, "my-agenda"),
        last_modified=export.last_modified,
        private=True,
    )
    if export.unchanged:
        return calendar_response(meeting, None, **headers)
    agenda = [
        entry
        for entry in personal_agenda(registration)
        if entry.place is None or entry.place.status == PlaceStatus.CONFIRMED
    ]
    # personal_agenda decides what belongs; the rows carry what the events show.
    rows = {
        e.id: e
        for e in event_rows(
            meeting, AgendaSession.id.in_([e.session_.id for e in agenda]), with_online=True
        )
    }
    entries = [
        FeedEntry(rows[e.session_.id], e.place.created_at if e.place else None) for e in agenda
    ]
    name = _("%(meeting)s: my agenda", meeting=short_title(meeting))
    # Not kept in the cache: one feed per participant would push the shared feeds out.
    return calendar_response(meeting, calendar_body(meeting, entries, name=name), **headers)


@bp.route("/meetings/<slug>/my/calendar-feed", methods=["POST"])
@login_required
@allows("registered")
def regenerate_feed(slug: str):
    """Give the participant's private feed a new address; the old one answers 404 from now."""
    meeting = load_meeting(slug)
    registration = registration_of(meeting, current_user)
    if registration is None:
        abort(404)
    had_one = registration.feed_token is not None
    target = url_for("registration.show_my_registration", slug=meeting.slug)
    if not commit_change(lambda: regenerate_feed_token(registration)).ok:
        return redirect(target)
    if had_one:
        flash(
            _("Your calendar feed has a new address. The old address no longer works."), "success"
        )
    else:
        flash(_("Your private calendar feed is ready."), "success")
    return redirect(target)


# --- JSON ---------------------------------------------------------------------------------------


@bp.route("/meetings/<slug>/programme.json")
@allows("anyone")
def export_programme_json(slug: str):
    """The programme as JSON (schema: /api/openapi.json, `Programme`).

    Conditional like the feeds: an unchanged programme is a 304 from the meeting row alone,
    and a built document is kept in the same bounded cache.
    """
    meeting = _export_meeting(slug)
    export = export_of(meeting, "json")

    def build() -> bytes:
        sessions = programme_queries.load_sessions(meeting, None)
        tracks = programme_queries.tracks(meeting, strict=True)
        rooms = programme_queries.rooms(meeting, strict=True)
        clusters = programme_queries.clusters_in_full(meeting)

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
                "meeting": lambda: absolute("public.show_programme"),
                "programme_ical": lambda: absolute("exports.export_programme_ics"),
                "session": lambda s: absolute("public.show_session", session_id=s.id),
                "session_ical": lambda s: absolute("exports.export_session_ics", session_id=s.id),
            },
        )
        return current_app.json.response(data).get_data()

    if export.unchanged:
        response = Response(status=304)
    else:
        response = Response(cached(export, build), mimetype="application/json")
    response.set_etag(export.etag)
    response.last_modified = export.last_modified
    response.cache_control.no_cache = True
    if meeting.is_published:
        response.cache_control.public = True
        # Published programmes are public data: any website may fetch them.
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.cache_control.private = True
    return response


@bp.route("/meetings/<slug>/programme.pdf")
@allows("anyone")
def export_programme_pdf(slug: str):
    """The programme to print: one landscape page per day (A4, or A3 with `?size=a3`), tracks
    side by side. Built once per programme revision and size, then kept like the feeds."""
    meeting = _export_meeting(slug)
    size = request.args.get("size", "a4")
    if size not in PROGRAMME_SIZES:
        abort(404)
    # A document: in `?lang=` when it is one of the meeting's languages, else the meeting's.
    use_document_language(meeting, request.args.get("lang"))
    export = export_of(meeting, "programme-pdf-" + size)

    def build() -> bytes:
        sessions = programme_queries.load_sessions(meeting, None)
        tracks = programme_queries.tracks(meeting, strict=True)
        content = programme_pdf_content(meeting, sessions, tracks, meeting_days(meeting))
        return render_programme_pdf(content, size)

    if export.unchanged:
        response = Response(status=304)
    else:
        response = Response(cached(export, build), mimetype="application/pdf")
        name = ics_filename(meeting, "programme", size)[: -len(".ics")] + ".pdf"
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.set_etag(export.etag)
    response.last_modified = export.last_modified
    response.cache_control.no_cache = True
    response.cache_control.private = not meeting.is_published
    response.cache_control.public = meeting.is_published
    return response


@bp.route("/api/openapi.json")
@allows("anyone")
def show_openapi():
    """The OpenAPI 3.1 description of the JSON programme and the calendar feeds."""
    response = current_app.json.response(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/meetings/<slug>/list-of-participants.pdf")
@allows("anyone")
def list_of_participants_pdf(slug: str):
    """The list of participants (INF series) as a PDF, as it stands now: provisional during
    the meeting, final after it. Public once the organisers enter it in the meeting's
    documents; before, their own draft."""
    from app.exports.pdf import render_participants_pdf
    from app.registration import participants

    meeting = load_meeting(slug)
    url = url_for("exports.list_of_participants_pdf", slug=meeting.slug, _external=True)
    document = participants.list_document(meeting, url)
    if document is None and not can_manage(meeting):
        abort(404)
    content = participants.list_content(meeting, document.symbol if document else "")
    response = Response(render_participants_pdf(content), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{meeting.slug}-list-of-participants.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response

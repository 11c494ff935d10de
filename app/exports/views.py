"""Export views: iCalendar feeds, the JSON programme and its OpenAPI description.

Each view loads what it exports in a fixed number of queries, calls a pure builder and sends
the bytes with the headers a feed needs: ETag and Last-Modified, so clients that poll get 304
until something changes.

The public calendar feeds are polled (hourly, by every subscriber), so they answer from a
fingerprint first: one aggregate query over the change stamps of everything a feed shows (the
meeting, its sessions and their people, tracks, rooms, people, clusters and agenda items). The
ETag derives from it, so an unchanged feed answers 304 in two queries (the meeting and the
fingerprint) without loading or building anything, and a full answer for an unchanged
fingerprint comes from a small in-process cache. Only a changed programme loads its sessions, as
plain rows, and builds the calendar.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, joinedload, raiseload, selectinload
from werkzeug.http import is_resource_modified
from werkzeug.utils import secure_filename

from app.exports import bp
from app.exports.ical import EventData, FeedEntry, build_calendar, calendar_bytes, person_line
from app.exports.openapi import openapi_document
from app.exports.programme_json import build_programme
from app.extensions import db
from app.meetings.access import can_manage, load_meeting
from app.meetings.models import AgendaItem, Meeting, agenda_item_label
from app.models_base import MAX_ID
from app.programme.models import (
    AgendaSession,
    Cluster,
    Person,
    Room,
    SessionPerson,
    SpeakerRole,
    Track,
    cluster_label,
    display_name,
)
from app.programme.public_views import (
    load_sessions,
    meeting_days,
    public_person,
)
from app.registration.models import ClusterPlace, PlaceStatus, Registration, RegistrationStatus
from app.registration.services import personal_agenda, regenerate_feed_token, registration_of

# secrets.token_urlsafe(32) gives 43 characters of this alphabet; anything else is not a token.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Registrations whose holder still follows the meeting; a declined or cancelled one has no feed.
FEED_STATUSES = (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)
# Part of every feed's ETag and cache key: change it when the same data gives other bytes.
FEED_FORMAT = "2"
# How many built feeds each process keeps (PLENARY_FEED_CACHE_SIZE), and at most how many bytes.
FEED_CACHE_SIZE = 32
FEED_CACHE_BYTES = 32 * 1024 * 1024


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


def _event_rows(meeting: Meeting, *conditions) -> list[EventData]:
    """The sessions a feed shows, as plain rows: two queries at any size, no ORM objects."""
    sessions = db.session.execute(
        select(
            AgendaSession.id,
            AgendaSession.title,
            AgendaSession.description,
            AgendaSession.kind,
            Track.name,
            Room.name,
            AgendaSession.starts_at,
            AgendaSession.ends_at,
            AgendaSession.created_at,
            AgendaSession.updated_at,
            AgendaSession.sequence,
            AgendaSession.is_cancelled,
            AgendaItem.number,
            AgendaItem.letter,
            AgendaItem.title,
            Cluster.number,
            Cluster.title,
        )
        .join(Track, Track.id == AgendaSession.track_id)
        .outerjoin(Room, Room.id == AgendaSession.room_id)
        .outerjoin(AgendaItem, AgendaItem.id == AgendaSession.agenda_item_id)
        .outerjoin(Cluster, Cluster.id == AgendaSession.cluster_id)
        .where(AgendaSession.meeting_id == meeting.id, *conditions)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    people: dict[int, list[tuple[SpeakerRole, str]]] = {}
    # An alias, so a condition on session_people (the speaker feed's) stays its own subquery.
    role = aliased(SessionPerson)
    for session_id, role_, honorific, name, position, organisation in db.session.execute(
        select(
            role.session_id,
            role.role,
            Person.honorific,
            Person.name,
            Person.position,
            Person.organisation,
        )  # fmt: skip
        .join(Person, Person.id == role.person_id)
        .join(AgendaSession, AgendaSession.id == role.session_id)
        .where(AgendaSession.meeting_id == meeting.id, *conditions)
        .order_by(role.session_id, role.position, role.id)
    ):
        line = person_line(display_name(honorific, name), position, organisation)
        people.setdefault(session_id, []).append((role_, line))
    clusters: dict[tuple[int, str], str] = {}
    events = []
    for (
        id_, title, description, kind, track_name, room_name, starts_at, ends_at, created_at,
        updated_at, sequence, is_cancelled, item_number, item_letter, item_title,
        cluster_number, cluster_title,
    ) in sessions:  # fmt: skip
        cluster = None
        if cluster_number is not None:
            key = (cluster_number, cluster_title)
            cluster = clusters.get(key)
            if cluster is None:
                cluster = clusters[key] = cluster_label(cluster_number, cluster_title)
        events.append(
            EventData(
                id=id_,
                title=title,
                description=description,
                kind=kind,
                track_name=track_name,
                room_name=room_name,
                starts_at=starts_at,
                ends_at=ends_at,
                created_at=created_at,
                updated_at=updated_at,
                sequence=sequence,
                is_cancelled=is_cancelled,
                agenda_item=(
                    (agenda_item_label(item_number, item_letter), item_title)
                    if item_number is not None
                    else None
                ),
                cluster_label=cluster,
                people=tuple(people.get(id_, ())),
            )
        )
    return events


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


def _fingerprint(meeting: Meeting) -> tuple:
    """What a feed of this meeting depends on, from the meeting row alone.

    The meeting's own stamp moves with its record (title, venue, zone, status); the programme
    revision with every session, person in a session, track, room, person, cluster and agenda
    item added, changed or removed (app/programme/revision.py).
    """
    return (meeting.updated_at, meeting.programme_revision, meeting.programme_changed_at)


def _last_modified(meeting: Meeting, stamps) -> datetime:
    return max([meeting.updated_at, *(s for s in stamps if isinstance(s, datetime))])


# --- Sending ------------------------------------------------------------------------------------


def _uid_domain() -> str:
    """The UID's domain: configured, else the server name, else the host asked (no port)."""
    config = current_app.config
    domain = config.get("PLENARY_UID_DOMAIN") or config.get("SERVER_NAME") or request.host
    return urlsplit(f"//{domain}").hostname or domain


def _session_url(meeting: Meeting) -> Callable:
    """A session's page, by id: url_for once, then a format per session."""
    marker = str(MAX_ID)
    prefix, suffix = url_for(
        "programme.show_session", slug=meeting.slug, session_id=marker, _external=True
    ).rsplit(marker, 1)

    def url(session_) -> str:
        return f"{prefix}{session_.id}{suffix}"

    return url


class FeedCache:
    """Built feeds by key, least recently used first out; bounded in entries and bytes."""

    def __init__(self, size: int, max_bytes: int):
        self.size, self.max_bytes = size, max_bytes
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key, body: bytes) -> None:
        if len(body) > self.max_bytes or self.size < 1:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._entries[key] = body
            self._bytes += len(body)
            while len(self._entries) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def feed_cache(app=None) -> FeedCache:
    """The application's cache of built feeds (one per process, keyed by fingerprint)."""
    app = app or current_app._get_current_object()
    cache = app.extensions.get("plenary_feed_cache")
    if cache is None:
        size = app.config.get("PLENARY_FEED_CACHE_SIZE", FEED_CACHE_SIZE)
        cache = app.extensions["plenary_feed_cache"] = FeedCache(size, FEED_CACHE_BYTES)
    return cache


def _calendar_body(meeting: Meeting, entries, *, name: str) -> bytes:
    return calendar_bytes(
        build_calendar(
            meeting,
            entries,
            name=name,
            uid_domain=_uid_domain(),
            session_url=_session_url(meeting),
            calendar_url=request.base_url,
            description=meeting.title,
        )
    )


def _calendar_response(
    meeting: Meeting,
    body: bytes | None,
    *,
    etag: str,
    filename: str,
    last_modified: datetime,
    private: bool = False,
) -> Response:
    """The feed's answer: the bytes, or 304 when `body` is None (the client's copy is current)."""
    if body is None:
        response = Response(status=304)
    else:
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(etag)
    response.last_modified = last_modified
    # Clients may keep the feed but must ask again (cheaply, with the ETag) before using it.
    response.cache_control.no_cache = True
    if private or not meeting.is_published:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.cache_control.public = True
    return response if body is None else response.make_conditional(request)


class _Export(NamedTuple):
    """What identifies one export of a meeting as it stands: cache key, ETag, Last-Modified."""

    key: tuple
    etag: str
    last_modified: datetime

    @property
    def unchanged(self) -> bool:
        """The client's copy (If-None-Match / If-Modified-Since) is this one."""
        return not is_resource_modified(
            request.environ, etag=self.etag, last_modified=self.last_modified
        )


def _export(
    meeting: Meeting, kind: str, object_id: int | None = None, *, own: tuple = ()
) -> _Export:
    """Key an export by the meeting row alone: its stamp and its programme revision, plus what
    the bytes depend on besides (the URLs they carry, the UID domain, the language) and, for
    a participant's own feed, `own`: what of theirs it shows (datetimes in it also count for
    Last-Modified)."""
    fingerprint = (*_fingerprint(meeting), *own)
    key = (
        FEED_FORMAT,
        meeting.id,
        kind,
        object_id,
        fingerprint,
        request.base_url,
        request.url_root,
        _uid_domain(),
        str(get_locale()),
    )
    etag = hashlib.sha256(repr(key).encode()).hexdigest()
    return _Export(key, etag, _last_modified(meeting, fingerprint))


def _cached(export: _Export, build: Callable[[], bytes]) -> bytes:
    cache = feed_cache()
    body = cache.get(export.key)
    if body is None:
        body = build()
        cache.put(export.key, body)
    return body


def _public_feed(
    meeting: Meeting, kind: str, object_id: int | None, filename: str, build: Callable
) -> Response:
    """A public feed: 304 or the cached bytes from the fingerprint, else `build()` them.

    `build` loads and returns the feed's bytes, or aborts with 404. A 304 or a cached answer
    skips it: their ETag was only ever given for a feed that was built, and removing what it
    showed changes the fingerprint.
    """
    export = _export(meeting, kind, object_id)
    headers = dict(etag=export.etag, filename=filename, last_modified=export.last_modified)
    if export.unchanged:
        return _calendar_response(meeting, None, **headers)
    return _calendar_response(meeting, _cached(export, build), **headers)


def _filename(meeting: Meeting, *parts: str) -> str:
    return secure_filename("-".join([meeting.slug, *parts])) + ".ics"


def _short(meeting: Meeting) -> str:
    return meeting.short_title or meeting.title


# --- Feeds --------------------------------------------------------------------------------------


@bp.route("/meetings/<slug>/programme.ics")
def export_programme_ics(slug: str):
    """The whole programme as a calendar feed."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        name = _("%(meeting)s: programme", meeting=_short(meeting))
        return _calendar_body(meeting, _event_rows(meeting), name=name)

    return _public_feed(meeting, "programme", None, _filename(meeting, "programme"), build)


@bp.route("/meetings/<slug>/tracks/<int:track_id>.ics")
def export_track_ics(slug: str, track_id: int):
    """One track (the youth forum alone, say) as a calendar feed."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        track = _track(meeting, track_id)
        entries = _event_rows(meeting, AgendaSession.track_id == track.id)
        return _calendar_body(meeting, entries, name=f"{_short(meeting)}: {track.name}")

    filename = _filename(meeting, "track", str(track_id))
    return _public_feed(meeting, "track", track_id, filename, build)


@bp.route("/meetings/<slug>/sessions/<int:session_id>.ics")
def export_session_ics(slug: str, session_id: int):
    """One session as a calendar file."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        entries = _event_rows(meeting, AgendaSession.id == session_id)
        if not entries:
            abort(404)
        return _calendar_body(meeting, entries, name=f"{_short(meeting)}: {entries[0].title}")

    filename = _filename(meeting, "session", str(session_id))
    return _public_feed(meeting, "session", session_id, filename, build)


@bp.route("/meetings/<slug>/speakers/<int:person_id>.ics")
def export_speaker_ics(slug: str, person_id: int):
    """The sessions of one speaker (anyone the organiser put in a session)."""
    meeting = _export_meeting(slug)

    def build() -> bytes:
        person = public_person(meeting, person_id)
        entries = _event_rows(
            meeting,
            exists().where(
                SessionPerson.session_id == AgendaSession.id, SessionPerson.person_id == person.id
            ),
        )
        return _calendar_body(meeting, entries, name=f"{_short(meeting)}: {person.display_name}")

    filename = _filename(meeting, "speaker", str(person_id))
    return _public_feed(meeting, "speaker", person_id, filename, build)


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
    export = _export(meeting, "personal", registration.id, own=own)
    headers = dict(
        etag=export.etag,
        filename=_filename(meeting, "my-agenda"),
        last_modified=export.last_modified,
        private=True,
    )
    if export.unchanged:
        return _calendar_response(meeting, None, **headers)
    agenda = [
        entry
        for entry in personal_agenda(registration)
        if entry.place is None or entry.place.status == PlaceStatus.CONFIRMED
    ]
    # personal_agenda decides what belongs; the rows carry what the events show.
    rows = {
        e.id: e for e in _event_rows(meeting, AgendaSession.id.in_([e.session_.id for e in agenda]))
    }
    entries = [
        FeedEntry(rows[e.session_.id], e.place.created_at if e.place else None) for e in agenda
    ]
    name = _("%(meeting)s: my agenda", meeting=_short(meeting))
    # Not kept in the cache: one feed per participant would push the shared feeds out.
    return _calendar_response(meeting, _calendar_body(meeting, entries, name=name), **headers)


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
    """The programme as JSON (schema: /api/openapi.json, `Programme`).

    Conditional like the feeds: an unchanged programme is a 304 from the meeting row alone,
    and a built document is kept in the same bounded cache.
    """
    meeting = _export_meeting(slug)
    export = _export(meeting, "json")

    def build() -> bytes:
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
        return current_app.json.response(data).get_data()

    if export.unchanged:
        response = Response(status=304)
    else:
        response = Response(_cached(export, build), mimetype="application/json")
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


@bp.route("/api/openapi.json")
def show_openapi():
    """The OpenAPI 3.1 description of the JSON programme and the calendar feeds."""
    response = current_app.json.response(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

"""How an export answers: keyed by the meeting row alone, conditional, and kept in a bound cache.

Every public export is polled (a subscribed calendar asks every hour), so it answers from the
meeting's fingerprint first: its own stamp and its programme revision (app/programme/revision.py).
The ETag derives from that, so an unchanged export answers 304 from the meeting row, and a full
answer for an unchanged fingerprint comes from a small in-process cache. Only a changed
programme loads its sessions and builds the bytes again.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import Response, current_app, request, url_for
from flask_babel import get_locale
from werkzeug.http import is_resource_modified
from werkzeug.utils import secure_filename

from app.exports.ical import build_calendar, calendar_bytes
from app.i18n import localized
from app.meetings.models import Meeting
from app.models_base import MAX_ID

# Part of every feed's ETag and cache key: change it when the same data gives other bytes.
FEED_FORMAT = "3"


# How many built feeds each process keeps (PLENARY_FEED_CACHE_SIZE), and at most how many bytes.
FEED_CACHE_SIZE = 32


FEED_CACHE_BYTES = 32 * 1024 * 1024


def _fingerprint(meeting: Meeting) -> tuple:
    """What a feed of this meeting depends on, from the meeting row alone.

    The meeting's own stamp moves with its record (title, venue, zone, status); the programme
    revision with every session, person in a session, track, room, person, cluster and agenda
    item added, changed or removed (app/programme/revision.py).
    """
    return (meeting.updated_at, meeting.programme_revision, meeting.programme_changed_at)


def _last_modified(meeting: Meeting, stamps) -> datetime:
    return max([meeting.updated_at, *(s for s in stamps if isinstance(s, datetime))])


def _uid_domain() -> str:
    """The UID's domain: configured, else the server name, else the host asked (no port)."""
    config = current_app.config
    domain = config.get("PLENARY_UID_DOMAIN") or config.get("SERVER_NAME") or request.host
    return urlsplit(f"//{domain}").hostname or domain


def _session_url(meeting: Meeting) -> Callable:
    """A session's page, by id: url_for once, then a format per session."""
    marker = str(MAX_ID)
    prefix, suffix = url_for(
        "public.show_session", slug=meeting.slug, session_id=marker, _external=True
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


def calendar_body(meeting: Meeting, entries, *, name: str) -> bytes:
    return calendar_bytes(
        build_calendar(
            meeting,
            entries,
            name=name,
            uid_domain=_uid_domain(),
            session_url=_session_url(meeting),
            calendar_url=request.base_url,
            description=localized(meeting, "title"),
        )
    )


def calendar_response(
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


class Export(NamedTuple):
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


def export_of(
    meeting: Meeting, kind: str, object_id: int | None = None, *, own: tuple = ()
) -> Export:
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
    return Export(key, etag, _last_modified(meeting, fingerprint))


def cached(export: Export, build: Callable[[], bytes]) -> bytes:
    cache = feed_cache()
    body = cache.get(export.key)
    if body is None:
        body = build()
        cache.put(export.key, body)
    return body


def public_feed(
    meeting: Meeting, kind: str, object_id: int | None, filename: str, build: Callable
) -> Response:
    """A public feed: 304 or the cached bytes from the fingerprint, else `build()` them.

    `build` loads and returns the feed's bytes, or aborts with 404. A 304 or a cached answer
    skips it: their ETag was only ever given for a feed that was built, and removing what it
    showed changes the fingerprint.
    """
    export = export_of(meeting, kind, object_id)
    headers = dict(etag=export.etag, filename=filename, last_modified=export.last_modified)
    if export.unchanged:
        return calendar_response(meeting, None, **headers)
    return calendar_response(meeting, cached(export, build), **headers)


def ics_filename(meeting: Meeting, *parts: str) -> str:
    return secure_filename("-".join([meeting.slug, *parts])) + ".ics"


def short_title(meeting: Meeting) -> str:
    return meeting.short_title or meeting.title

"""Plenary's benchmark: medians over repeated runs, each beside its floor, and the targets.

    .venv/bin/python bench/run.py            # everything (about five minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # fewer repeats, a smaller burst

It (re)creates the PostgreSQL database `plenary_bench` on 127.0.0.1 (its name must start with
plenary_bench: nothing else is ever dropped), migrates it, generates a 300-session meeting and
the `congress` preset, then measures in process (Flask's test client, so no network in the
figures) and, for the sign-up burst, over HTTP through gunicorn with 2 workers bound to
127.0.0.1, from a bounded load generator in this process. Every figure is printed beside the
floor it is compared with and the target it is held to, as met or NOT MET.
"""

import argparse
import hashlib
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET_KEY = "plenary-benchmark-secret-key-not-for-production"
LOOPBACK = "127.0.0.1"

rows: list[tuple[str, str, str, str, str]] = []  # (what, figure, floor, target, verdict)
verdicts: list[bool] = []


def record(what: str, figure: str, floor: str, target: str, met: bool | None) -> None:
    verdict = "n/a" if met is None else ("met" if met else "NOT MET")
    if met is not None:
        verdicts.append(met)
    rows.append((what, figure, floor, target, verdict))
    print(f"  {what}: {figure} | floor {floor} | {target} -> {verdict}", flush=True)


def print_table() -> None:
    head = ("Measurement", "Plenary", "Floor", "Target", "Verdict")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    line = "+".join("-" * (w + 2) for w in widths)
    print("\n" + line)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print(line)
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    print(line)
    met = sum(verdicts)
    print(f"{met} of {len(verdicts)} targets met.")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def timed_beside(
    fn: Callable[[], object], floor: Callable[[], object], repeat: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Samples of `fn` and of its floor, taken in turns: a machine that slows down or speeds
    up during the run (a shared VM does) moves both alike, so their ratio stays honest."""
    for _ in range(warmup):
        fn()
        floor()
    ours, theirs = [], []
    for _ in range(repeat):
        for call, samples in ((fn, ours), (floor, theirs)):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    return ours, theirs


# --- Database and data --------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    import sqlalchemy as sa

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("plenary_bench"):
        sys.exit(
            f"refusing to drop {name!r}: the benchmark database's name starts with plenary_bench"
        )
    if parts.hostname not in (LOOPBACK, "localhost"):
        sys.exit(f"refusing a database on {parts.hostname}: the benchmark runs on 127.0.0.1 only")
    admin_url = parts._replace(path="/postgres").geturl()
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["PLENARY_ENV"] = "production"
    # Production refuses to start without its host names: the test client and the burst
    # speak to these.
    os.environ.setdefault("PLENARY_HOSTS", f"localhost,{LOOPBACK}")
    from app import create_app
    from config import ProductionConfig

    app = create_app(ProductionConfig)
    # The in-process test client speaks plain HTTP: let it send the session cookie back.
    app.config["SESSION_COOKIE_SECURE"] = False
    return app


class Counter:
    """Counts the SQL statements sent while it is active."""

    def __init__(self, engine):
        import sqlalchemy as sa

        self.engine, self.sa, self.n = engine, sa, 0

    def _count(self, *args):
        self.n += 1

    def __enter__(self):
        self.n = 0
        self.sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        self.sa.event.remove(self.engine, "before_cursor_execute", self._count)


# --- In-process measurements --------------------------------------------------------------------


def session_tokens(app, user_ids) -> dict[int, str]:
    """A server-side signed-in session for each account (as signing in opens), committed."""
    from app.auth.models import User
    from app.auth.sessions import open_session
    from app.extensions import db

    with app.app_context():
        tokens = {uid: open_session(db.session.get(User, uid)) for uid in user_ids}
        db.session.commit()
    return tokens


def sign_in(client, user_id: int) -> None:
    token = session_tokens(client.application, [user_id])[user_id]
    with client.session_transaction() as sess:
        sess.clear()
        sess["_user_id"] = token
        sess["_fresh"] = True


def page_stats(app, client, url: str, repeat: int) -> tuple[list[float], int]:
    from app.extensions import db

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    samples = timed(get, repeat)
    with app.app_context(), Counter(db.engine) as counter:
        get()
    return samples, counter.n


def pick(app, slug: str) -> dict:
    """The ids the pages need: a breakout session, the busiest speaker, a participant."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.meetings.models import Meeting, Person
    from app.programme.models import AgendaSession, SessionPerson
    from app.registration.models import ClusterPlace, Registration

    with app.app_context():
        mid = db.session.scalar(sa.select(Meeting.id).where(Meeting.slug == slug))
        breakout = db.session.scalar(
            sa.select(AgendaSession.id)
            .where(AgendaSession.meeting_id == mid, AgendaSession.slot.is_not(None))
            .order_by(AgendaSession.id)
        )
        speaker = db.session.scalar(
            sa.select(SessionPerson.person_id)
            .join(Person)
            .where(Person.meeting_id == mid)
            .group_by(SessionPerson.person_id)
            .order_by(sa.func.count().desc(), SessionPerson.person_id)
        )
        participant = db.session.scalar(
            sa.select(Registration.user_id)
            .join(ClusterPlace)
            .where(Registration.meeting_id == mid)
            .order_by(Registration.id)
        )
        return {"id": mid, "breakout": breakout, "speaker": speaker, "participant": participant}


PAGES = [
    ("programme page", "/meetings/{slug}/programme", None),
    ("session page", "/meetings/{slug}/sessions/{breakout}", None),
    ("speaker page", "/meetings/{slug}/speakers/{speaker}", None),
    ("personal agenda", "/meetings/{slug}/my", "participant"),
    ("rosters", "/meetings/{slug}/manage/rosters", "organiser"),
]


def bench_pages(app, meetings: dict, repeat: int) -> None:
    client = app.test_client()
    counts: dict[str, dict[str, int]] = {}
    for label, (slug, ids) in meetings.items():
        for name, pattern, who in PAGES:
            if who:
                sign_in(client, ids[who])
            else:
                with client.session_transaction() as sess:
                    sess.clear()
            samples, queries = page_stats(app, client, pattern.format(slug=slug, **ids), repeat)
            counts.setdefault(name, {})[label] = queries
            p50, p95 = statistics.median(samples), quantile(samples, 0.95)
            congress = label == "congress"
            record(
                f"{name}, {label}",
                f"p50 {ms(p50)}, p95 {ms(p95)}, {queries} queries",
                "-",
                "p95 <= 150 ms" if congress else "(reference)",
                p95 <= 0.150 if congress else None,
            )
    for name, by_size in counts.items():
        values = list(by_size.values())
        record(
            f"{name}: queries 300 vs congress",
            " vs ".join(str(v) for v in values),
            "-",
            "the same at both sizes",
            len(set(values)) == 1,
        )


def bench_ical(app, slug: str, repeat: int) -> None:
    from icalendar import Calendar, Event, Timezone

    from app.exports.ical import describe_session, session_location, session_uid
    from app.extensions import db
    from app.programme.queries import load_sessions

    client = app.test_client()
    url = f"/meetings/{slug}/programme.ics"

    from app.exports.responses import feed_cache

    def cold():
        # Cold: nothing built is kept from the run before, so the feed is loaded and built.
        with app.app_context():
            feed_cache(app).clear()
        response = client.get(url)
        assert response.status_code == 200

    etag = client.get(url).headers["ETag"]

    def unchanged():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304

    unchanged_samples = timed(unchanged, repeat)

    # The floor: the icalendar package building and serialising the same events from plain
    # Python data (loaded and formatted beforehand), with the same VTIMEZONE.
    with app.test_request_context():
        from zoneinfo import ZoneInfo

        from app.meetings.models import Meeting

        meeting = db.session.scalar(db.select(Meeting).where(Meeting.slug == slug))
        zone = ZoneInfo(meeting.timezone)
        tzid, first, last = meeting.timezone, meeting.first_day, meeting.last_day
        plain = [
            {
                "uid": session_uid(s, meeting, "localhost"),
                "stamp": s.updated_at,
                "start": s.starts_at.astimezone(zone),
                "end": s.ends_at.astimezone(zone),
                "summary": s.title,
                "sequence": s.sequence,
                "status": "CANCELLED" if s.is_cancelled else "CONFIRMED",
                "created": s.created_at,
                "location": session_location(s, meeting),
                "description": describe_session(s),
                "url": f"http://localhost/meetings/{slug}/sessions/{s.id}",
                "categories": [str(s.kind.label), s.track.name],
            }
            for s in load_sessions(meeting, None)
        ]
    from datetime import date

    def floor():
        calendar = Calendar()
        calendar.add("prodid", "-//floor//EN")
        calendar.add("version", "2.0")
        calendar.add_component(
            Timezone.from_tzid(
                tzid, first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
            )
        )
        for p in plain:
            event = Event()
            event.add("uid", p["uid"])
            event.add("dtstamp", p["stamp"])
            event.add("dtstart", p["start"])
            event.add("dtend", p["end"])
            event.add("summary", p["summary"])
            event.add("sequence", p["sequence"])
            event.add("status", p["status"])
            event.add("created", p["created"])
            event.add("last-modified", p["stamp"])
            if p["location"]:
                event.add("location", p["location"])
            if p["description"]:
                event.add("description", p["description"])
            event.add("url", p["url"])
            event.add("categories", p["categories"])
            calendar.add_component(event)
        return calendar.to_ical()

    cold_samples, floor_samples = timed_beside(cold, floor, repeat)
    c, f = statistics.median(cold_samples), statistics.median(floor_samples)
    record(
        f"iCal programme, {len(plain)} sessions, cold",
        ms(c),
        f"{ms(f)} (icalendar alone)",
        "<= 1.2x floor",
        c <= 1.2 * f,
    )
    u = statistics.median(unchanged_samples)
    record(
        f"iCal programme, {len(plain)} sessions, unchanged (304)",
        ms(u),
        "-",
        "<= 5 ms",
        u <= 0.005,
    )


def bench_json(app, meetings: dict, repeat: int) -> None:
    from app.exports.responses import feed_cache
    from app.extensions import db

    client = app.test_client()
    for label, (slug, _ids) in meetings.items():
        url = f"/meetings/{slug}/programme.json"

        def cold(url=url):
            # Built every time: the cache of built exports is emptied first.
            with app.app_context():
                feed_cache(app).clear()
            assert client.get(url).status_code == 200

        samples = timed(cold, repeat)
        with app.app_context():
            feed_cache(app).clear()
        with app.app_context(), Counter(db.engine) as counter:
            assert client.get(url).status_code == 200
        record(
            f"JSON programme, {label}, cold",
            f"{ms(statistics.median(samples))}, {counter.n} queries",
            "-",
            "<= 10 queries",
            counter.n <= 10,
        )
        conditional = {"If-None-Match": client.get(url).headers["ETag"]}
        unchanged = timed(lambda url=url, h=conditional: client.get(url, headers=h), repeat)
        with app.app_context(), Counter(db.engine) as counter:
            assert client.get(url, headers=conditional).status_code == 304
        record(
            f"JSON programme, {label}, unchanged (304)",
            f"{ms(statistics.median(unchanged))}, "
            + ("1 query" if counter.n == 1 else f"{counter.n} queries"),
            "-",
            "(reference)",
            None,
        )


def bench_pdf(app, slug: str, organiser_id: int, repeat: int) -> None:
    try:
        from weasyprint import CSS, HTML

        from app.exports import pdf
        from app.outputs.summary import compile_summary
    except ImportError as error:  # issue 5 not there
        record("Chair's Summary PDF, congress", "not measured", f"({error})", "<= 1.1x floor", None)
        return
    from flask import render_template
    from flask_babel import get_locale

    from app.extensions import db
    from app.meetings.models import Meeting

    client = app.test_client()
    sign_in(client, organiser_id)
    url = f"/meetings/{slug}/manage/chairs-summary/draft.pdf"
    response = client.get(url)
    if response.status_code != 200:
        record("Chair's Summary PDF, congress", "not measured", f"HTTP {response.status_code}",
               "<= 1.1x floor", None)  # fmt: skip
        return
    try:
        from io import BytesIO

        from pypdf import PdfReader

        pages = f"{len(PdfReader(BytesIO(response.data)).pages)} pages"
    except ImportError:
        pages = "pages not counted"
    with app.test_request_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.slug == slug))
        content = compile_summary(meeting)
        lang = str(get_locale() or "en").replace("_", "-")
        html = render_template("exports/pdf/chairs_summary.html", c=content, lang=lang,
                               kind="summary")  # fmt: skip
        page_css = pdf._page_css(content)
    stylesheet = pdf.STYLESHEET.read_text(encoding="utf-8")
    base = pdf.STATIC.as_uri() + "/"

    def floor():
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        css = CSS(string=stylesheet, base_url=base, font_config=fonts)
        return HTML(string=html, base_url=base).write_pdf(
            stylesheets=[css, CSS(string=page_css, font_config=fonts)],
            font_config=fonts,
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
        )

    app_samples, floor_samples = timed_beside(lambda: client.get(url), floor, repeat, warmup=0)
    a, f = statistics.median(app_samples), statistics.median(floor_samples)
    record(
        f"Chair's Summary PDF, congress ({len(response.data) // 1024} KiB, {pages})",
        f"{a:.2f} s",
        f"{f:.2f} s (WeasyPrint on the same HTML)",
        "<= 1.1x floor",
        a <= 1.1 * f,
    )


def bench_editor(app, meetings: dict, repeat: int) -> None:
    """The timetable editor: its page at both sizes (time, and queries that must not grow with
    the meeting), and a move at congress scale (a JSON POST through the session rules, with
    its version), each move a real change (the session goes back and forth)."""
    import re

    import sqlalchemy as sa

    from app.extensions import db
    from app.meetings.models import Meeting
    from app.programme.models import AgendaSession
    from app.timezones import to_local

    client = app.test_client()
    counts = []
    for label, (slug, ids) in meetings.items():
        sign_in(client, ids["organiser"])
        with app.app_context():
            first = db.session.scalar(sa.select(Meeting.first_day).where(Meeting.slug == slug))
        url = f"/meetings/{slug}/manage/timetable?day={first.isoformat()}"
        samples, queries = page_stats(app, client, url, repeat)
        counts.append(queries)
        p50, p95 = statistics.median(samples), quantile(samples, 0.95)
        record(
            f"timetable editor, {label}",
            f"p50 {ms(p50)}, p95 {ms(p95)}, {queries} queries",
            "-",
            "p95 <= 150 ms" if label == "congress" else "(reference)",
            p95 <= 0.150 if label == "congress" else None,
        )
    record(
        "timetable editor: queries 300 vs congress",
        " vs ".join(str(n) for n in counts),
        "-",
        "the same at both sizes",
        len(set(counts)) == 1,
    )

    slug, ids = meetings["congress"]
    sign_in(client, ids["organiser"])
    page = client.get(f"/meetings/{slug}/manage/timetable").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    with app.app_context():
        session_ = db.session.scalar(
            sa.select(AgendaSession)
            .join(Meeting)
            .where(Meeting.slug == slug, AgendaSession.slot.is_(None))
            .order_by(AgendaSession.id)
        )
        zone = db.session.scalar(sa.select(Meeting.timezone).where(Meeting.slug == slug))
        session_id, version = session_.id, session_.version
        starts, ends = to_local(session_.starts_at, zone), to_local(session_.ends_at, zone)
        room_id, track_id = session_.room_id, session_.track_id
    url = f"/meetings/{slug}/manage/timetable/sessions/{session_id}/move"
    state = {"version": version, "flip": False}
    # Back and forth by 15 minutes, so every move is a change the rules and the log see.
    later = [(starts.hour * 60 + starts.minute + 15), (ends.hour * 60 + ends.minute + 15)]

    def clock(minutes: int) -> str:
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"

    def move():
        state["flip"] = not state["flip"]
        start = clock(later[0]) if state["flip"] else starts.strftime("%H:%M")
        end = clock(later[1]) if state["flip"] else ends.strftime("%H:%M")
        response = client.post(
            url,
            json={"version": state["version"], "day": starts.date().isoformat(),
                  "start_time": start, "end_time": end, "room_id": room_id or "",
                  "track_id": track_id, "accept_clashes": "y"},
            # The test client speaks https here (PREFERRED_URL_SCHEME): CSRF wants a referrer.
            headers={"X-CSRFToken": token, "Accept": "application/json",
                     "Referer": f"https://localhost/meetings/{slug}/manage/timetable"},
        )  # fmt: skip
        assert response.status_code == 200, (response.status_code, response.get_data()[:300])
        state["version"] = response.json["version"]

    samples = timed(move, repeat)
    with app.app_context(), Counter(db.engine) as counter:
        move()
    p50, p95 = statistics.median(samples), quantile(samples, 0.95)
    record(
        "timetable move (JSON POST, rules, log, commit), congress",
        f"p50 {ms(p50)}, p95 {ms(p95)}, {counter.n} queries",
        "-",
        "p95 <= 100 ms",
        p95 <= 0.100,
    )


# --- The sign-up burst over HTTP ----------------------------------------------------------------


def _start_sink() -> tuple[subprocess.Popen, int]:
    """The benchmark's mail server (bench/smtp_sink.py) in a process of its own."""
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = probe.getsockname()[1]
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout.readline().strip() == "ready"
    return sink, port


def _stop_sink(sink: subprocess.Popen) -> dict:
    import json

    sink.send_signal(signal.SIGTERM)
    out, _ = sink.communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


def bench_mail(app, slug: str, organiser_id: int) -> None:
    """A message to every participant of the congress (5,000): queued in one request, in a
    number of statements that does not grow with the group; then delivered by the worker's
    loop to a mail server on 127.0.0.1 (a process of its own), beside the floor of smtplib
    sending the same messages, built beforehand, over one connection to that server."""
    import smtplib

    import sqlalchemy as sa

    try:
        import aiosmtpd  # noqa: F401
    except ImportError as error:
        record("message to 5,000 participants", "not measured", f"({error})", "-", None)
        return
    from app.extensions import db
    from app.mail.delivery import build_email, deliver_due
    from app.mail.models import MessageState, OutboxMessage

    sink, port = _start_sink()
    app.config.update(MAIL_SERVER=LOOPBACK, MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_USERNAME=None)  # fmt: skip
    try:
        client = app.test_client()
        sign_in(client, organiser_id)
        url = f"/meetings/{slug}/manage/messages/new"
        page = client.get(url).get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

        def send(form: dict) -> tuple[float, int, int]:
            with app.app_context():
                before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            with app.app_context(), Counter(db.engine) as counter:
                started = time.perf_counter()
                response = client.post(
                    url,
                    data={"csrf_token": token, "send": "Send", **form},
                    # The test client speaks https here: CSRF wants a same-site referrer.
                    headers={"Referer": f"https://localhost{url}"},
                )
                seconds = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            with app.app_context():
                after = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            return seconds, counter.n, after - before

        text = {"subject": "Shuttle buses", "body": "Buses leave the hotel at 07:30.\n\nThanks."}
        small_s, small_q, small_n = send({"status": "", "delegation": "Thailand", **text})
        big_s, big_q, big_n = send({"status": "", **text})
        record(
            f"message to {big_n} participants: queued in one request",
            f"{big_s:.2f} s, {big_q} statements",
            f"{small_q} statements for {small_n} recipients",
            "< 10 s; statements the same for any group",
            big_s < 10 and big_q == small_q,
        )
        with app.app_context():
            # The floor's messages: the same rows, built the same way, before the clock runs.
            built = [
                build_email(m)
                for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
            ]
            db.session.remove()
        # Delivery: the worker's loop until the outbox is empty.
        started = time.perf_counter()
        with app.app_context():
            while deliver_due(limit=100).handled:
                pass
            sent = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state == MessageState.SENT)
            )
            db.session.remove()
        seconds = time.perf_counter() - started
        counts = _stop_sink(sink)
        rate = sent / seconds
        sink, port = _start_sink()
        started = time.perf_counter()
        with smtplib.SMTP(LOOPBACK, port) as connection:
            for message in built:
                connection.send_message(message)
        floor_rate = len(built) / (time.perf_counter() - started)
        record(
            f"delivery of {sent} messages to a mail server on 127.0.0.1",
            f"{rate:.0f} msg/s ({seconds:.1f} s; {counts['received']} received, "
            f"{counts['unique']} distinct)",
            f"{floor_rate:.0f} msg/s (smtplib, the same messages built beforehand)",
            ">= 50% of floor, every message once",
            rate >= 0.5 * floor_rate
            and counts["received"] == counts["unique"] == sent == small_n + big_n,
        )
    finally:
        _stop_sink(sink)
        app.config.update(MAIL_SERVER=None)


def session_cookie(app, user_id: int, session_token: str) -> tuple[str, str]:
    """A signed session cookie for a participant's open session, and the form's CSRF token."""
    from itsdangerous import URLSafeTimedSerializer

    raw = hashlib.sha1(f"bench-{user_id}".encode()).hexdigest()
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = serializer.dumps({"_user_id": session_token, "_fresh": True, "csrf_token": raw})
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return cookie, token


def run_load(
    host: str, port: int, requests: list[tuple[str, str, bytes | None, dict]], *,
    threads: int, time_limit: float,
) -> tuple[float, list[float], dict[int, int], int]:  # fmt: skip
    """Send `requests` from `threads` keep-alive connections; stop at `time_limit` seconds."""
    if host != LOOPBACK:
        sys.exit(f"refusing to load-test {host}: the burst runs against {LOOPBACK} only")
    lock = threading.Lock()
    queue = list(reversed(requests))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + time_limit

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                if not queue:
                    break
                method, path, body, headers = queue.pop()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    return wall, latencies, statuses, len(queue)


def bench_burst(app, url: str, slug: str, meeting_id: int, args) -> None:
    import sqlalchemy as sa

    from app.commands.scale import check_places
    from app.extensions import db
    from app.programme.models import AgendaSession
    from app.registration.models import ClusterPlace, Registration

    host = urlsplit(f"http://{args.host}").hostname
    if host != LOOPBACK:
        sys.exit(f"refusing to load-test {args.host}: the burst runs against {LOOPBACK} only")
    # Who signs up for what: each participant, in a slot where they hold nothing yet.
    rng = random.Random(1)
    with app.app_context():
        by_slot: dict[int, list[int]] = {}
        for sid, slot in db.session.execute(
            sa.select(AgendaSession.id, AgendaSession.slot).where(
                AgendaSession.meeting_id == meeting_id, AgendaSession.slot.is_not(None)
            )
        ):
            by_slot.setdefault(slot, []).append(sid)
        held: dict[int, set[int]] = {}
        users: dict[int, int] = {}
        for rid, uid, slot in db.session.execute(
            sa.select(Registration.id, Registration.user_id, ClusterPlace.slot)
            .outerjoin(ClusterPlace)
            .where(Registration.meeting_id == meeting_id)
            .order_by(Registration.id)
        ):
            users[rid] = uid
            held.setdefault(rid, set()).add(slot)
        before = db.session.scalar(
            sa.select(sa.func.count(ClusterPlace.id))
            .join(AgendaSession)
            .where(AgendaSession.meeting_id == meeting_id)
        )
    signups = []
    tokens = session_tokens(app, list(users.values())[: args.burst])
    for rid, uid in list(users.items())[: args.burst]:
        free = sorted(set(by_slot) - held[rid])
        if not free:
            continue
        session_id = rng.choice(by_slot[rng.choice(free)])
        cookie, token = session_cookie(app, uid, tokens[uid])
        body = urlencode({"csrf_token": token, "wait": "y"}).encode()
        headers = {
            "Cookie": f"session={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        signups.append(("POST", f"/meetings/{slug}/places/{session_id}", body, headers))
    # The floors, on the same server: no database, one SELECT, an authenticated write that
    # does nothing (bench/floor_wsgi.py); every one as many requests as the burst.
    first = next(iter(users.values()))
    cookie, token = session_cookie(app, first, tokens[first])
    floor_post = (
        "POST",
        "/bench/write-floor",
        urlencode({"csrf_token": token}).encode(),
        {"Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    floors = [  # (short name, what it is, request, expected status)
        ("/healthz", "trivial endpoint, no database (GET /healthz)",
         ("GET", "/healthz", None, {}), 200),
        ("/readyz", "trivial endpoint on PostgreSQL (GET /readyz: SELECT 1)",
         ("GET", "/readyz", None, {}), 200),
        ("the write floor", "write floor: sign-in, CSRF, one commit, flash; no work",
         floor_post, 302),
    ]  # fmt: skip

    port = args.port
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
           "PLENARY_ENV": "production", "PYTHONPATH": str(ROOT)}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"{LOOPBACK}:{port}",
         "--log-level", "warning", "bench.floor_wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    measured = []
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            record("sign-up burst", "not measured", "-", "gunicorn did not start", None)
            return
        for short, label, request, expected in floors:
            run_load(LOOPBACK, port, [request] * 200, threads=args.threads, time_limit=30)  # warm
            wall, lat, status, _ = run_load(
                LOOPBACK, port, [request] * len(signups), threads=args.threads,
                time_limit=args.time_limit,
            )  # fmt: skip
            answered = status.get(expected, 0) == len(lat)
            measured.append((short, label, len(lat) / wall, lat, answered))
        s_wall, s_lat, s_status, left = run_load(
            LOOPBACK, port, signups, threads=args.threads, time_limit=args.time_limit
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    for _short, label, rps, lat, answered in measured:
        record(
            f"{label}, gunicorn 2 workers, {args.threads} clients",
            f"{rps:.0f} req/s, p95 {ms(quantile(lat, 0.95))}"
            + ("" if answered else " (unexpected answers)"),
            "-",
            "(a floor)",
            None,
        )
    t_rps = measured[0][2]
    s_rps = len(s_lat) / s_wall
    ok = s_status.get(302, 0)
    share = ", ".join(f"{s_rps / rps:.0%} of {short}" for short, _, rps, _, _ in measured)
    record(
        f"sign-up burst: {len(s_lat)} of {len(signups)} POSTs, {ok} answered 302, {left} not sent",
        f"{s_rps:.0f} req/s, p95 {ms(quantile(s_lat, 0.95))} ({share})",
        f"{t_rps:.0f} req/s (GET /healthz)",
        ">= 60% of trivial",
        s_rps >= 0.6 * t_rps,
    )
    with app.app_context():
        db.session.remove()
        after = db.session.scalar(
            sa.select(sa.func.count(ClusterPlace.id))
            .join(AgendaSession)
            .where(AgendaSession.meeting_id == meeting_id)
        )
        problems = check_places(meeting_id)
    record(
        "after the burst: over capacity, waiting-list gaps",
        f"{len(problems)} problems; {after - before} new places for {ok} sign-ups",
        "-",
        "zero overbooking, gap-free, every sign-up placed",
        not problems and after - before == ok == len(signups),
    )
    for p in problems[:10]:
        print("   ", p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"postgresql://postgres@{LOOPBACK}/plenary_bench")
    parser.add_argument("--repeat", type=int, default=30, help="repeats per page (default 30)")
    parser.add_argument("--pdf-repeat", type=int, default=3)
    parser.add_argument("--burst", type=int, default=5000, help="sign-ups in the burst")
    parser.add_argument("--threads", type=int, default=8, help="load generator connections")
    parser.add_argument("--time-limit", type=float, default=180, help="seconds per load run")
    parser.add_argument("--host", default=LOOPBACK, help="load-test target (127.0.0.1 only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--quick", action="store_true", help="5 repeats, a 500 sign-up burst")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument(
        "--only",
        choices=["ical", "json", "pages", "editor", "pdf", "mail", "burst"],
        action="append",
        help="measure only these parts (repeatable); the others are left out of the table",
    )
    args = parser.parse_args()
    if args.host != LOOPBACK:
        sys.exit(f"refusing to load-test {args.host}: the burst runs against {LOOPBACK} only")
    if args.burst < 0 or args.repeat < 1 or args.threads < 1 or args.time_limit <= 0:
        sys.exit("--burst, --repeat, --threads and --time-limit must be positive")
    if args.quick:
        args.repeat, args.pdf_repeat, args.burst = 5, 1, min(args.burst, 500)

    url = args.database_url
    print(f"Preparing {url} ...", flush=True)
    prepare_database(url)
    app = make_app(url)
    from flask_migrate import upgrade

    from app.commands.scale import PRESETS, generate, refresh_statistics
    from app.extensions import db

    with app.app_context():
        upgrade()
        built = {}
        for label, preset, slug in (("300 sessions", "conference", "bench-300"),
                                    ("congress", "congress", "bench-congress")):  # fmt: skip
            started = time.perf_counter()
            result = generate(PRESETS[preset], seed=1, slug=slug)
            db.session.commit()
            refresh_statistics()
            seconds = time.perf_counter() - started
            built[label] = (slug, result.organiser.id)
            print(f"  generated {slug} ({preset}) in {seconds:.1f} s", flush=True)
            if label == "congress":
                record("generator, congress preset (PostgreSQL)", f"{seconds:.1f} s", "-",
                       "< 60 s", seconds < 60)  # fmt: skip
        db.session.remove()
    meetings = {}
    for label, (slug, organiser_id) in built.items():
        ids = pick(app, slug)
        ids["organiser"] = organiser_id
        meetings[label] = (slug, ids)

    wanted = set(args.only or ["ical", "json", "pages", "editor", "pdf", "mail", "burst"])
    if args.skip_burst:
        wanted.discard("burst")
    slug, ids = meetings["congress"]
    if "ical" in wanted:
        print("iCal ...", flush=True)
        bench_ical(app, "bench-300", args.repeat)
    if "json" in wanted:
        print("JSON ...", flush=True)
        bench_json(app, meetings, args.repeat)
    if "pages" in wanted:
        print("Pages ...", flush=True)
        bench_pages(app, meetings, args.repeat)
    if "editor" in wanted:
        print("Timetable editor ...", flush=True)
        bench_editor(app, meetings, args.repeat)
    if "pdf" in wanted:
        print("PDF ...", flush=True)
        bench_pdf(app, slug, ids["organiser"], args.pdf_repeat)
    if "mail" in wanted:
        print("Mail ...", flush=True)
        bench_mail(app, slug, ids["organiser"])
    if "burst" in wanted and args.burst:
        print(f"Sign-up burst ({args.burst}) ...", flush=True)
        bench_burst(app, url, slug, ids["id"], args)
    print_table()


if __name__ == "__main__":
    main()

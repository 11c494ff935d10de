"""Delivering the outbox: claim due messages, send them, retry with backoff while the server
refuses for now, give up with the reason when it refuses for good.

Why the outbox table and not a queue service: a message row is written in the same database
transaction as the change that causes it, so a rolled-back change sends nothing and a committed
one is never lost; nothing else has to be installed or kept in step (SQLite by default).
Several workers share the table safely: on PostgreSQL a claim takes the due rows with
`SELECT … FOR UPDATE SKIP LOCKED` inside one UPDATE that stamps them with the worker's token
and a lease, so two workers never claim the same row; SQLite serialises writers, so the same
UPDATE is atomic there too. A message is marked sent only by the worker whose token it still
carries, and a worker that dies gives its claims back when the lease ends.
"""

import base64
import logging
import secrets
import smtplib
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from flask import Flask, current_app

from app.extensions import db
from app.mail.models import Job, JobState, MessageState, OutboxMessage
from app.models_base import utcnow

log = logging.getLogger(__name__)

# How long a claim holds a message or a job: past it, another worker may take it again.
MESSAGE_LEASE = timedelta(minutes=15)
JOB_LEASE = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)


class TemporaryFailure(Exception):
    """The server refused for now (4xx, no connection): try again later."""


class PermanentFailure(Exception):
    """The server refused for good (5xx: no such mailbox), or the message cannot be sent."""


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def claim(model, limit: int, lease: timedelta) -> str | None:
    """Stamp up to `limit` due rows with a fresh token and a lease, and commit: the token, or
    None when nothing was due."""
    token = secrets.token_hex(8)
    now = utcnow()
    queued = MessageState.QUEUED if model is OutboxMessage else JobState.QUEUED
    due = (
        sa.select(model.id)
        .where(
            model.state == queued,
            model.next_attempt_at <= now,
            sa.or_(model.claimed_until.is_(None), model.claimed_until < now),
        )
        .order_by(model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = db.session.execute(
        sa.update(model)
        .where(model.id.in_(due))
        .values(claim_token=token, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount else None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from MAIL_RETRY_SECONDS."""
    base = current_app.config["MAIL_RETRY_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(limit: int = 100) -> DeliveryReport:
    """Claim due messages and send them over one connection.

    The claimed messages are read in one query and detached; what became of each is written
    with plain UPDATEs that name the claim's token (a message whose lease ran out and that
    another worker took is left alone). Sent messages are marked in groups of SENT_BATCH, so
    the database does not set the pace; a worker killed in the middle of a group has sent at
    most that many messages it did not mark, which are sent again once the lease ends (SMTP
    cannot make a send and a database write one act). A refusal is written at once.
    """
    report = DeliveryReport()
    token = claim(OutboxMessage, limit, MESSAGE_LEASE)
    if token is None:
        return report
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.id)
    ).all()
    for message in messages:
        db.session.expunge(message)
    db.session.commit()
    sent: list[int] = []

    def mark_sent() -> None:
        if sent:
            _update(sent, token, state=MessageState.SENT, sent_at=utcnow(), last_error="")
            sent.clear()

    with _transport() as transport:
        for position, message in enumerate(messages):
            try:
                transport.send(build_email(message))
            except TemporaryFailure as error:
                mark_sent()
                _retry_later(message, token, str(error), report)
                if transport.broken:
                    # The server is away: the rest waits as well, without an attempt counted.
                    _release([m.id for m in messages[position + 1 :]], token, str(error))
                    break
            except PermanentFailure as error:
                mark_sent()
                _update(
                    [message.id], token, state=MessageState.FAILED, last_error=str(error)[:1000]
                )
                report.failed += 1
                report.errors.append(str(error))
            else:
                sent.append(message.id)
                report.sent += 1
                if len(sent) >= SENT_BATCH:
                    mark_sent()
        mark_sent()
    return report


# Sent messages marked in one UPDATE (and commit) at a time.
SENT_BATCH = 50


def _update(ids: list[int], token: str, *, count: bool = True, **values) -> None:
    """Write what became of claimed messages (still claimed by `token`), ending the claim."""
    if count:
        values["attempts"] = OutboxMessage.attempts + 1
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token)
        .values(claim_token=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _retry_later(message: OutboxMessage, token: str, reason: str, report) -> None:
    attempts = message.attempts + 1
    if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        _update([message.id], token, state=MessageState.FAILED, last_error=reason[:1000])
        report.failed += 1
        report.errors.append(reason)
        return
    _update(
        [message.id],
        token,
        next_attempt_at=utcnow() + backoff(attempts),
        last_error=reason[:1000],
    )
    report.retrying += 1
    report.errors.append(reason)


def _release(ids: list[int], token: str, reason: str) -> None:
    if ids:
        _update(
            ids,
            token,
            count=False,
            next_attempt_at=utcnow() + backoff(1),
            last_error=reason[:1000],
        )


def retry(message: OutboxMessage) -> None:
    """An organiser's retry of a failed message: queued again, due now (flushes)."""
    message.state = MessageState.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claim_token = message.claimed_until = None
    db.session.flush()


def build_email(message: OutboxMessage) -> EmailMessage:
    """The RFC 5322 message: headers built by the email package, which refuses CR/LF in them."""
    config = current_app.config
    email = EmailMessage()
    try:
        email["From"] = config["MAIL_DEFAULT_SENDER"]
        email["To"] = Address(display_name=message.recipient_name, addr_spec=message.recipient)
        email["Subject"] = message.subject
        for name, value in (message.headers or {}).items():
            email[name] = value
    except (ValueError, TypeError, IndexError) as error:
        raise PermanentFailure(f"The message's headers are not valid: {error}") from None
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=config["MAIL_MESSAGE_ID_DOMAIN"])
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or ():
        maintype, _, subtype = attachment["content_type"].partition("/")
        email.add_attachment(
            base64.b64decode(attachment["data"]),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment["filename"],
        )
    return email


class _Transport:
    broken = False

    def send(self, email: EmailMessage) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


class ConsoleTransport(_Transport):
    """Development without MAIL_SERVER: the message is printed to the terminal."""

    def send(self, email: EmailMessage) -> None:
        text = email.get_body(("plain",))
        lines = [
            "-" * 72,
            f"To: {email['To']}",
            f"Subject: {email['Subject']}",
            "",
            text.get_content() if text is not None else "",
        ]
        print("\n".join(lines), file=sys.stdout, flush=True)


class SMTPTransport(_Transport):
    """One SMTP connection for a batch, opened at the first message."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            connection = smtplib.SMTP(
                config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
            )
            if config["MAIL_USE_TLS"]:
                connection.starttls()
            if config["MAIL_USERNAME"]:
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException) as error:
            self.broken = True
            raise TemporaryFailure(f"The mail server did not answer: {error}") from None
        return connection

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            refused = self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise _classify(*next(iter(error.recipients.values()))) from None
        except smtplib.SMTPAuthenticationError as error:
            self.broken = True
            raise TemporaryFailure(f"The mail server refused our sign-in: {error}") from None
        except smtplib.SMTPResponseException as error:
            failure = _classify(error.smtp_code, error.smtp_error)
            if isinstance(failure, TemporaryFailure):
                self._drop()
            raise failure from None
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            self.broken = True
            raise TemporaryFailure(f"The connection to the mail server broke: {error}") from None
        if refused:
            raise _classify(*next(iter(refused.values())))

    def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()

    def close(self) -> None:
        self._drop()


def _classify(code: int, text) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = f"{code} {text}".strip()
    if 500 <= code < 600:
        return PermanentFailure(f"The mail server refused the message: {reason}")
    return TemporaryFailure(f"The mail server deferred the message: {reason}")


def _transport() -> _Transport:
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    return ConsoleTransport()


# Jobs: the same claim, a handler per kind.

_HANDLERS = "plenary_job_handlers"


def register_job_handler(app: Flask, kind: str, handler) -> None:
    """`handler(payload)` does the job of `kind`; it flushes, the worker commits."""
    app.extensions.setdefault(_HANDLERS, {})[kind] = handler


def enqueue_job(kind: str, **payload) -> Job:
    """Queue work for the worker, in the caller's transaction (flushes, never commits)."""
    job = Job(kind=kind, payload=payload)
    db.session.add(job)
    db.session.flush()
    return job


def run_due_jobs(limit: int = 1) -> int:
    """Run up to `limit` due jobs; the number run."""
    token = claim(Job, limit, JOB_LEASE)
    if token is None:
        return 0
    jobs = db.session.scalars(sa.select(Job).where(Job.claim_token == token)).all()
    handlers = current_app.extensions.get(_HANDLERS, {})
    for job in jobs:
        job_id, kind, payload = job.id, job.kind, dict(job.payload or {})
        try:
            handler = handlers[kind]
            handler(payload)
        except Exception as error:  # noqa: BLE001 - a job's failure is recorded, not raised
            db.session.rollback()
            log.exception("job %s (%s) failed", job_id, kind)
            job = db.session.get(Job, job_id)
            job.attempts += 1
            job.last_error = f"{type(error).__name__}: {error}"[:1000]
            job.claim_token = job.claimed_until = None
            if job.attempts >= 3:
                job.state = JobState.FAILED
                job.finished_at = utcnow()
            else:
                job.next_attempt_at = utcnow() + backoff(job.attempts)
        else:
            job.attempts += 1
            job.state = JobState.DONE
            job.finished_at = utcnow()
            job.claim_token = job.claimed_until = None
        db.session.commit()
    return len(jobs)


def work_once() -> int:
    """One pass of the worker: due messages, then one due job. How much was done."""
    done = deliver_due().handled
    done += run_due_jobs()
    db.session.remove()
    return done


def run_worker(*, interval: float, stop: threading.Event | None = None, once: bool = False):
    """The worker's loop: work while there is work, else wait `interval` seconds."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            done = work_once()
        except sa.exc.DBAPIError:
            db.session.rollback()
            db.session.remove()
            log.exception("the worker could not reach the database; trying again")
            done = 0
        if once:
            return
        if not done:
            stop.wait(interval)


def start_background_delivery(app: Flask) -> None:
    """Development: deliver from a thread of the dev server, so `flask run` alone sends mail.

    Started at the first request (not at import: `flask db upgrade` and `demo` build the app
    too), once per process; never in testing or production, where the worker does it.
    """
    state = {"started": False}
    lock = threading.Lock()

    @app.before_request
    def _start_once() -> None:
        if state["started"]:
            return
        with lock:
            if state["started"]:
                return
            state["started"] = True

        def _loop() -> None:
            while True:
                try:
                    with app.app_context():
                        run_worker(interval=app.config["MAIL_WORKER_INTERVAL"], once=True)
                except Exception:  # noqa: BLE001 - keep delivering in development
                    log.exception("background delivery failed; trying again")
                time.sleep(app.config["MAIL_WORKER_INTERVAL"])

        threading.Thread(target=_loop, name="plenary-mail", daemon=True).start()

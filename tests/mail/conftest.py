"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the mail tests: it keeps what it receives,
refuses a recipient whose address starts with "bounce" (550), and refuses everything for now
(451) while `refusing` is set."""

import contextlib
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage


@dataclass
class MailServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refusing: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [r.message for r in self.received if address in r.recipients]

    def text_of(self, message) -> str:
        return message.get_body(("plain",)).get_content()


class _Handler:
    def __init__(self, server: MailServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.server.refusing:
            return "451 4.3.2 Try again later"
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message)
            )
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with the throttle's counts at zero (the reset form is throttled)."""
    from app.extensions import limiter

    limiter.reset()
    yield
    limiter.reset()


@contextlib.contextmanager
def mail_server_for(app):
    """A running SMTP server, and `app`'s MAIL_SERVER pointed at it meanwhile."""
    server = MailServer("127.0.0.1", _free_port())
    controller = Controller(_Handler(server), hostname=server.host, port=server.port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
    try:
        yield server
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def smtp_server(app):
    with mail_server_for(app) as server:
        yield server


# The registration tests' builder of breakout set-ups, for the place notices.
from tests.registration.conftest import breakouts  # noqa: E402, F401

"""Writing a message into the outbox, in the transaction of the change that causes it.

Every area's rule modules call these (they flush, never commit): the message goes out when the
change commits and never when it rolls back.

    notify(user, template, *, kind, essential, meeting=None, attachments=(), **ctx)
    send_to_address(address, template, *, language, name="", kind="direct", meeting=None,
                    attachments=(), **ctx)

`template` names templates/mail/<template>.txt and .html; the .txt one sets the subject with
`{% set subject = _("…") %}`. Both are rendered in the recipient's language with the context
`ctx`, `recipient` (the account, or None), `meeting` and `link(endpoint, **values)` (an
absolute URL). A non-essential notice of a `kind` the person turned off is not written
(`notify` returns None), and carries a one-click List-Unsubscribe (RFC 8058) otherwise.
"""

import base64
from collections.abc import Iterable
from typing import NamedTuple

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app.auth.models import User
from app.errors import MailError
from app.extensions import db
from app.i18n import BY_LOCALE, DEFAULT, known
from app.mail.models import OutboxMessage
from app.plain import single_line

SUBJECT_MAX = 300

# The notices a person may turn off (the account page lists them); every other notice is
# essential (registration decisions, a place gained or lost, password and address changes).
CHOOSABLE = {
    "place_confirmations": _l("A place I asked for is confirmed, or I join a waiting list"),
    "programme_changes": _l("A session I take part in is moved, changes room or is cancelled"),
    "submissions": _l("A rapporteur submits an output I review"),
    "reminders": _l("A reminder the day before a meeting, with my agenda"),
    "messages": _l("Messages from a meeting's organisers"),
}


Attachment = tuple[str, str, bytes]  # filename, content type, content


def notify(
    user: User,
    template: str,
    *,
    kind: str,
    essential: bool,
    meeting=None,
    attachments: Iterable[Attachment] = (),
    group_id: int | None = None,
    **ctx,
) -> OutboxMessage | None:
    """Queue a notice to an account in its language; None when the person turned `kind` off."""
    if not essential and not user.wants(kind):
        return None
    language = _language_of(user, meeting)
    headers = {} if essential else unsubscribe_headers(user, kind)
    return _queue(
        recipient=user.email,
        name=user.name,
        user=user,
        template=template,
        language=language,
        meeting=meeting,
        attachments=attachments,
        headers=headers,
        group_id=group_id,
        ctx={**ctx, "unsubscribe_url": headers.get("_url")},
    )


def send_to_address(
    address: str,
    template: str,
    *,
    language: str | None,
    name: str = "",
    meeting=None,
    attachments: Iterable[Attachment] = (),
    **ctx,
) -> OutboxMessage:
    """Queue a message to someone without an account (or to an address not yet confirmed)."""
    return _queue(
        recipient=checked_address(address),
        name=name,
        user=None,
        template=template,
        language=(known(language) or DEFAULT).locale,
        meeting=meeting,
        attachments=attachments,
        headers={},
        group_id=None,
        ctx=ctx,
    )


def checked_address(address: str) -> str:
    """A deliverable-looking address in lower case; a MailError for anything else (a CR/LF,
    two addresses, no domain)."""
    if not isinstance(address, str) or any(c in address for c in "\r\n,;<>\x00"):
        raise MailError(_("This is not an e-mail address."), "email")
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise MailError(_("This is not an e-mail address."), "email") from None


def _language_of(user: User, meeting) -> str:
    language = known(getattr(user, "language", None)) or known(getattr(meeting, "language", None))
    return (language or DEFAULT).locale


def render_message(template: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of a mail template in a language."""
    env = current_app.jinja_env
    full = {**context, "link": absolute_url, "site_name": current_app.config["SITE_NAME"]}
    with force_locale(language):
        text_module = env.get_template(f"mail/{template}.txt").make_module(full)
        subject = single_line(str(getattr(text_module, "subject", ""))).strip()
        text = str(text_module).strip() + "\n"
        # The HTML part is the text laid out: paragraphs, links that can be clicked.
        html = env.get_template("mail/_message.html").render(
            subject=subject,
            paragraphs=text.strip().split("\n\n"),
            html_lang=language.replace("_", "-"),
            html_dir=BY_LOCALE.get(language, DEFAULT).direction,
        )
    return subject[:SUBJECT_MAX], text, html


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL for a message: the request's host, else PLENARY_BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PLENARY_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


class Addressee(NamedTuple):
    """The reader of a message sent to an address rather than an account."""

    name: str
    email: str


def _queue(
    *, recipient, name, user, template, language, meeting, attachments, headers, group_id, ctx
) -> OutboxMessage:
    # Someone without an account is greeted by the name the message was addressed to.
    addressee = user if user is not None else Addressee(name=single_line(name), email=recipient)
    context = {**ctx, "recipient": addressee, "meeting": meeting}
    subject, text, html = render_message(template, language, context)
    if not subject:
        raise MailError(_("A message needs a subject."), "subject")
    message = OutboxMessage(
        kind=template[:40],
        meeting_id=getattr(meeting, "id", None),
        user_id=getattr(user, "id", None),
        group_id=group_id,
        recipient=recipient,
        recipient_name=single_line(name)[:200],
        subject=subject,
        body_text=text,
        body_html=html,
        headers={k: single_line(v) for k, v in headers.items() if not k.startswith("_")},
        attachments=[encode_attachment(*a) for a in attachments],
    )
    db.session.add(message)
    db.session.flush()
    return message


def encode_attachment(filename: str, content_type: str, data: bytes) -> dict:
    return {
        "filename": single_line(filename)[:100],
        "content_type": single_line(content_type)[:100],
        "data": base64.b64encode(data).decode("ascii"),
    }


# One-click unsubscribe (RFC 8058): a signed (user, kind) pair in the URL, no expiry.


def _unsubscribe_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="plenary-unsubscribe")


def unsubscribe_token(user: User, kind: str) -> str:
    return _unsubscribe_signer().dumps([user.id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a genuine token, else None."""
    try:
        user_id, kind = _unsubscribe_signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in CHOOSABLE:
        return None
    return user_id, kind


def unsubscribe_headers(user: User, kind: str) -> dict[str, str]:
    url = absolute_url("mail.unsubscribe", token=unsubscribe_token(user, kind))
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "_url": url,
    }


def turn_off(user: User, kind: str) -> None:
    """The person gets no more non-essential notices of `kind`."""
    if kind in CHOOSABLE and user.wants(kind):
        user.notices_off = " ".join(sorted({*user.notices_off.split(), kind}))
        db.session.flush()


def set_choices(user: User, wanted: Iterable[str]) -> None:
    """The account page's choice: the kinds in `wanted` on, every other choosable one off."""
    wanted = set(wanted)
    user.notices_off = " ".join(sorted(k for k in CHOOSABLE if k not in wanted))
    db.session.flush()

"""Rules of messages to participants: one is written for a group, in one request, as one
bulk insert into the outbox (the worker sends it at the mail server's pace)."""

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import escape

from app.auth.models import User
from app.communications.models import GroupMessage
from app.communications.queries import GroupFilter, count_recipients, recipients
from app.errors import CommunicationError
from app.extensions import db
from app.i18n import BY_LOCALE, DEFAULT, known
from app.limits import LONG_TEXT_MAX
from app.mail import delivery
from app.mail.models import MessageState, OutboxMessage
from app.mail.notices import render_message, unsubscribe_headers
from app.meetings.models import Meeting
from app.models_base import utcnow
from app.plain import multi_line, single_line

SUBJECT_MAX = 200
# Stand-ins rendered into the text once per language, replaced per recipient.
_NAME, _UNSUBSCRIBE = "\u2063NAME\u2063", "\u2063UNSUBSCRIBE\u2063"


def checked(subject: str, body: str) -> tuple[str, str]:
    """The subject on one line and the text, or a CommunicationError beside the field."""
    subject = single_line(subject or "").strip()
    body = multi_line(body or "").strip()
    if not subject:
        raise CommunicationError(_("Give the message a subject."), "subject")
    if len(subject) > SUBJECT_MAX:
        raise CommunicationError(
            _("Use at most %(limit)d characters.", limit=SUBJECT_MAX), "subject"
        )
    if not body:
        raise CommunicationError(_("Write the message: its text is empty."), "body")
    if len(body) > LONG_TEXT_MAX:
        raise CommunicationError(
            _("Use at most %(limit)d characters.", limit=LONG_TEXT_MAX), "body"
        )
    return subject, body


def send_to_group(
    meeting: Meeting, author: User, subject: str, body: str, chosen: GroupFilter
) -> GroupMessage:
    """Queue one copy per participant of the group, in their language, each with its own
    one-click unsubscribe; refused when no one would get it. Flushes, never commits."""
    subject, body = checked(subject, body)
    people = recipients(meeting.id, chosen)
    if not people:
        raise CommunicationError(
            _("No participant matches this choice (or all of them turned messages off).")
        )
    message = GroupMessage(
        meeting_id=meeting.id,
        author_id=author.id,
        subject=subject,
        body=body,
        filters=chosen.as_dict(),
        recipients=len(people),
    )
    db.session.add(message)
    db.session.flush()
    rendered: dict[str, tuple[str, str, str]] = {}
    now = utcnow()
    rows = []
    for user_id, address, name, language_code in people:
        language = (known(language_code) or known(meeting.language) or DEFAULT).locale
        if language not in rendered:
            rendered[language] = render_message(
                "group_message",
                language,
                {
                    "meeting": meeting,
                    "recipient_name": _NAME,
                    "subject": subject,
                    "body": body,
                    "unsubscribe_url": _UNSUBSCRIBE,
                },
            )
        mail_subject, text, html = rendered[language]
        headers = unsubscribe_headers(_Recipient(user_id), "messages")
        url = headers.pop("_url")
        rows.append(
            {
                "kind": "group_message",
                "meeting_id": meeting.id,
                "user_id": user_id,
                "group_id": message.id,
                "recipient": address,
                "recipient_name": single_line(name)[:200],
                "subject": mail_subject,
                "body_text": text.replace(_NAME, name).replace(_UNSUBSCRIBE, url),
                "body_html": html.replace(_NAME, str(escape(name))).replace(
                    _UNSUBSCRIBE, str(escape(url))
                ),
                "headers": headers,
                "attachments": [],
                "state": MessageState.QUEUED,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "created_at": now,
            }
        )
    # One executemany: SQLAlchemy sends it as a few multi-row INSERTs, whatever the group size.
    db.session.execute(sa.insert(OutboxMessage), rows)
    return message


class _Recipient:
    """What the unsubscribe link needs of an account: its id."""

    def __init__(self, user_id: int):
        self.id = user_id


def preview(meeting: Meeting, subject: str, body: str, chosen: GroupFilter) -> dict:
    """What the organiser sees before sending: the counts and the text as it will read."""
    matching, opted_out = count_recipients(meeting.id, chosen)
    language = (known(meeting.language) or DEFAULT).locale
    mail_subject, text, _html = render_message(
        "group_message",
        language,
        {
            "meeting": meeting,
            "recipient_name": _("(the participant's name)"),
            "subject": subject,
            "body": body,
            "unsubscribe_url": "https://…",
        },
    )
    return {
        "matching": matching,
        "opted_out": opted_out,
        "recipients": matching - opted_out,
        "subject": mail_subject,
        "text": text,
        "direction": BY_LOCALE.get(language, DEFAULT).direction,
    }


def retry_message(meeting: Meeting, message_id: int) -> str:
    """Queue a failed message of the meeting again; its subject, for the flash."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.meeting_id != meeting.id:
        raise CommunicationError(_("There is no such message in this meeting."))
    if message.state != MessageState.FAILED:
        raise CommunicationError(_("Only a failed message can be sent again."))
    delivery.retry(message)
    return message.subject

"""Signed links: a focal point's invitation and a nominated member's "claim your account".

A link carries the meeting, the delegation (and for a member, the registration and the address
it was sent to), signed with the app's secret (itsdangerous): a forged or altered link does not
verify. It works until the registration deadline (app/delegations/window.py); inviting a focal
point again moves the delegation's `invitation_version`, so the earlier link stops working.

E-mail comes with the communications issue: until then the organiser copies the link from the
page. `invitation_message` words the mail (subject and template context) for
`send_to_address` to send with templates/mail/focal_point_invitation.txt and
templates/mail/member_claim.txt (app/delegations/views.py and app/registration/delegation_views.py
queue it in the transaction that issues the link).
"""

from datetime import datetime

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.delegations.models import Delegation
from app.delegations.window import deadline
from app.errors import DelegationError
from app.extensions import db
from app.meetings.models import Meeting
from app.models_base import utcnow

FOCAL_POINT, MEMBER_CLAIM = "focal-point", "member-claim"
# Long enough for any link itsdangerous makes of these payloads; a longer one is refused unread.
MAX_TOKEN = 400


def _serializer(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"plenary-{kind}")


def sign(kind: str, payload: dict) -> str:
    return _serializer(kind).dumps(payload)


def _invalid() -> DelegationError:
    return DelegationError(_("This link is not valid. Ask the secretariat for a new invitation."))


def read(kind: str, token: str, meeting: Meeting, now: datetime | None = None) -> dict:
    """The payload of a link for this meeting; refused when forged, of another meeting, or
    used after the registration deadline."""
    if not token or len(token) > MAX_TOKEN:
        raise _invalid()
    try:
        payload = _serializer(kind).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise _invalid() from None
    if not isinstance(payload, dict) or payload.get("m") != meeting.id:
        raise _invalid()
    if (now or utcnow()) >= deadline(meeting):
        raise DelegationError(
            _(
                "The registration deadline has passed, so this link no longer works. "
                "Write to the secretariat."
            )
        )
    return payload


def invite_focal_point(delegation: Delegation, email: str) -> str:
    """Record the invitation of the delegation's focal point and return the link's token;
    an earlier link stops working and the account that took it is no longer focal point."""
    from email_validator import EmailNotValidError, validate_email

    try:
        address = validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise DelegationError(_("Enter a valid e-mail address."), "email") from None
    if len(address) > 254:
        raise DelegationError(_("Enter a valid e-mail address."), "email")
    delegation.focal_point_email = address
    delegation.focal_point_user_id = None
    delegation.invitation_version = (delegation.invitation_version or 0) + 1
    delegation.invited_at = utcnow()
    db.session.flush()
    return focal_point_token(delegation)


def focal_point_token(delegation: Delegation) -> str:
    """The current invitation's token (the same link the organiser was shown)."""
    return sign(
        FOCAL_POINT,
        {"m": delegation.meeting_id, "d": delegation.id, "v": delegation.invitation_version},
    )


def accept_focal_point(meeting: Meeting, token: str, user) -> Delegation:
    """The account that follows the link becomes the delegation's focal point (the first one
    to follow it; another account is refused)."""
    payload = read(FOCAL_POINT, token, meeting)
    delegation = db.session.get(Delegation, payload.get("d"))
    if (
        delegation is None
        or delegation.meeting_id != meeting.id
        or not delegation.invited_at
        or payload.get("v") != delegation.invitation_version
    ):
        raise _invalid()
    if delegation.focal_point_user_id not in (None, user.id):
        raise DelegationError(
            _(
                "Another account has accepted this invitation. Ask the secretariat to invite "
                "you again."
            )
        )
    delegation.focal_point_user_id = user.id
    db.session.flush()
    return delegation


def invitation_message(
    kind: str,
    *,
    meeting: Meeting,
    delegation: Delegation,
    link: str,
    recipient_name: str = "",
) -> tuple[str, dict]:
    """The mail for a focal point's invitation (`FOCAL_POINT`) or a member's claim link
    (`MEMBER_CLAIM`): its subject (for the page) and the context of
    templates/mail/<template>.txt, where the template is `focal_point_invitation` or
    `member_claim`; the template words its own subject in the reader's language."""
    closes = format_datetime(deadline(meeting), format="long")
    context = {
        "meeting_title": meeting.title,
        "meeting_short_title": meeting.short_title or meeting.title,
        "delegation": delegation.name,
        "invitation_link": link,
        "deadline": closes,
        "recipient_name": recipient_name,
        "template": "focal_point_invitation" if kind == FOCAL_POINT else "member_claim",
    }
    if kind == FOCAL_POINT:
        subject = _(
            "%(meeting)s: nominate the delegation of %(delegation)s",
            meeting=meeting.short_title or meeting.title,
            delegation=delegation.name,
        )
    else:
        subject = _(
            "%(meeting)s: you are nominated for the delegation of %(delegation)s",
            meeting=meeting.short_title or meeting.title,
            delegation=delegation.name,
        )
    return subject, context

"""The signed token a badge's QR code carries: it names one registration of one meeting.

Signed with the app's secret key (itsdangerous, Flask's own signer), with the meeting in the
salt as well as in the payload: a token made up, altered, or printed for another meeting is
refused. The token holds nothing a finder could use: two numbers and a signature.
"""

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.errors import VenueError
from app.meetings.models import Meeting

# A badge's token is short (a small QR code), but never longer than this when it comes back.
TOKEN_MAX = 200


def _serializer(meeting_id: int) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"plenary-badge-{meeting_id}")


def badge_token(meeting: Meeting, registration_id: int) -> str:
    """The token printed in the participant's badge for this meeting."""
    return _serializer(meeting.id).dumps([meeting.id, registration_id])


def registration_id_from(meeting: Meeting, token: str) -> int:
    """The registration a badge's token names in this meeting; VenueError when it names none."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise VenueError(_("This is not a badge of this meeting."), "token")
    try:
        payload = _serializer(meeting.id).loads(token)
    except BadSignature:
        raise VenueError(_("This is not a badge of this meeting."), "token") from None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or payload[0] != meeting.id
        or not isinstance(payload[1], int)
        or isinstance(payload[1], bool)
    ):
        raise VenueError(_("This is not a badge of this meeting."), "token")
    return payload[1]

"""Meeting rules: a meeting's web address, details and the meeting that prepared it.

Plain functions that flush but never commit: the view commits once (app/errors.py).
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.errors import MeetingError, flush_or_fail
from app.extensions import db
from app.i18n import clean_translations, content_languages_of, known
from app.limits import FIRST_YEAR, LAST_YEAR, MAX_MEETING_DAYS, check_text
from app.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingRole,
    RoleName,
)
from app.meetings.queries import organises
from app.models_base import MAX_ID
from app.timezones import is_valid_timezone

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


SLUG_MAX = 80


# The bounds of a meeting's text fields, as long as their columns.
MEETING_TEXT_LIMITS = {
    "title": 300,
    "short_title": 80,
    "theme": 500,
    "substantive_issue": 300,
    "venue": 200,
    "city": 100,
    "country": 100,
    "host_body": 300,
    "convening_body": 300,
    "reports_to": 300,
}

# The fields a meeting form may set; anything else passed in is a programming error.
MEETING_FIELDS = (
    "title",
    "short_title",
    "kind",
    "theme",
    "substantive_issue",
    "venue",
    "city",
    "country",
    "timezone",
    "language",
    "content_languages",
    "first_day",
    "last_day",
    "host_body",
    "convening_body",
    "reports_to",
    "registration_needs_approval",
    "one_cluster_for_all_slots",
)


def slugify(text: str) -> str:
    """A URL slug from a title: "2nd ACCPCJ" -> "2nd-accpcj"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-")


def _check_slug(slug: str, meeting: Meeting | None = None) -> str:
    slug = (slug or "").strip()
    if not slug:
        raise MeetingError(_("Enter a web address for the meeting."), "slug")
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise MeetingError(
            _("Use only lowercase letters, digits and single hyphens (e.g. 2nd-accpcj)."), "slug"
        )
    query = select(func.count()).select_from(Meeting).where(Meeting.slug == slug)
    if meeting is not None and meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    if db.session.scalar(query):
        raise MeetingError(_("Another meeting uses this web address already."), "slug")
    return slug


def _check_meeting_fields(fields: dict) -> None:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    fields.setdefault("language", "en")
    if known(fields["language"]) is None or known(fields["language"]).code != fields["language"]:
        raise MeetingError(_("Choose one of the languages Plenary speaks."), "language")
    fields["content_languages"] = content_languages_of(
        fields.get("content_languages"), fields["language"]
    )
    if not is_valid_timezone(fields.get("timezone") or ""):
        raise MeetingError(
            _("Unknown time zone. Use an IANA name such as Asia/Bangkok."), "timezone"
        )
    first, last = fields.get("first_day"), fields.get("last_day")
    if not isinstance(first, date):
        raise MeetingError(_("Enter the first day."), "first_day")
    if not isinstance(last, date):
        raise MeetingError(_("Enter the last day."), "last_day")
    if last < first:
        raise MeetingError(_("The last day cannot be before the first day."), "last_day")
    for name, day in (("first_day", first), ("last_day", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise MeetingError(
                _("Choose a day between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
                name,
            )
    if (last - first).days + 1 > MAX_MEETING_DAYS:
        raise MeetingError(_("A meeting lasts at most %(n)d days.", n=MAX_MEETING_DAYS), "last_day")
    if not isinstance(fields.get("kind"), MeetingKind):
        raise MeetingError(_("Choose the kind of meeting."), "kind")
    for name, limit in MEETING_TEXT_LIMITS.items():
        check_text(
            fields.get(name),
            limit,
            name,
            required=name in ("title", "short_title"),
            error=MeetingError,
        )


def _check_prepared_by(
    user: User, meeting: Meeting | None, prepared_by_id: int | None
) -> Meeting | None:
    """The preparatory meeting: another existing meeting that the account organises too (a
    link shows on both meetings' pages, so it needs rights on both), not one this meeting
    itself prepared. A link made earlier may stay as it is."""
    if prepared_by_id is None:
        return None
    prepared_by = db.session.get(Meeting, prepared_by_id) if 0 < prepared_by_id <= MAX_ID else None
    unchanged = meeting is not None and meeting.prepared_by_id == prepared_by_id
    if prepared_by is None or not (unchanged or organises(user, prepared_by.id)):
        raise MeetingError(_("Choose a meeting that you organise."), "prepared_by_id")
    if meeting is not None:
        # Follow the chain: a meeting cannot be prepared by itself, directly or through others.
        seen = set()
        step = prepared_by
        while step is not None and step.id not in seen:
            if step.id == meeting.id:
                raise MeetingError(
                    _("A meeting cannot be prepared by itself or by a meeting it prepared."),
                    "prepared_by_id",
                )
            seen.add(step.id)
            step = step.prepared_by
    return prepared_by


def create_meeting(creator: User, *, slug: str = "", prepared_by_id=None, **fields) -> Meeting:
    """A new draft meeting; its creator becomes its organiser."""
    _check_meeting_fields(fields)
    slug = _check_slug(slug or slugify(fields.get("short_title") or fields.get("title") or ""))
    prepared_by = _check_prepared_by(creator, None, prepared_by_id)
    meeting = Meeting(slug=slug, prepared_by=prepared_by, **_clean(fields))
    db.session.add(meeting)
    flush_or_fail(MeetingError(_("Another meeting uses this web address already."), "slug"))
    db.session.add(MeetingRole(meeting_id=meeting.id, user_id=creator.id, role=RoleName.ORGANISER))
    db.session.flush()
    return meeting


# The meeting's texts that may be given in its other languages, and their bounds.
TRANSLATED_LIMITS = {"title": MEETING_TEXT_LIMITS["title"], "theme": MEETING_TEXT_LIMITS["theme"]}


def update_meeting(
    meeting: Meeting,
    *,
    editor: User,
    slug: str,
    prepared_by_id=None,
    translations: dict | None = None,
    **fields,
) -> Meeting:
    """Change a meeting's details (all of them, as the edit form sends them), and its title
    and theme in its other languages (`translations`, {"fr": {"title": …}}, as far as given)."""
    _check_meeting_fields(fields)
    meeting.translations = clean_translations(
        translations or {},
        fields["language"],
        TRANSLATED_LIMITS,
        MeetingError,
        current=meeting.translations,
    )
    slug = _check_slug(slug, meeting)
    prepared_by = _check_prepared_by(editor, meeting, prepared_by_id)
    for name, value in _clean(fields).items():
        setattr(meeting, name, value)
    meeting.slug = slug
    meeting.prepared_by = prepared_by
    flush_or_fail(MeetingError(_("Another meeting uses this web address already."), "slug"))
    return meeting


def _clean(fields: dict) -> dict:
    """Strip surrounding spaces from text values."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}

"""The report's life: its title block (symbol, the line above the title), the day the meeting
adopted it, and its publication. Drafts stay with the organisers, the Chair and the
rapporteurs; a published report is public. The rules flush and never commit.
"""

import json
from datetime import date, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.errors import OutputError
from app.extensions import db
from app.i18n import document_language
from app.markup import check_markup
from app.meetings.documents import parse_symbol
from app.meetings.models import Meeting, MeetingStatus
from app.models_base import utcnow
from app.outputs.models import MeetingReport
from app.outputs.queries import meeting_report
from app.outputs.report import report_content


def report_of(meeting: Meeting) -> MeetingReport:
    """The meeting's report record for changing it, created when it has none yet."""
    report = meeting_report(meeting)
    if report is None:
        report = MeetingReport(meeting_id=meeting.id, symbol="", context_line="", context_when="")
        try:
            with db.session.begin_nested():
                db.session.add(report)
        except IntegrityError:
            report = meeting_report(meeting)
    return report


def save_title_block(
    meeting: Meeting, *, symbol: str, context_line: str, context_when: str
) -> MeetingReport:
    """The report's symbol (a UN symbol or nothing) and the lines above its title."""
    symbol = " ".join((symbol or "").split())
    if symbol:
        try:
            parse_symbol(symbol)
        except Exception as error:  # MeetingError: its own message, on this form's field
            raise OutputError(str(error), "symbol") from error
    for value, field, limit in (
        (context_line, "context_line", 500),
        (context_when, "context_when", 300),
    ):
        if len(value or "") > limit:
            raise OutputError(_("At most %(n)d characters.", n=limit), field)
        check_markup(value or "", field)
    report = report_of(meeting)
    report.symbol = symbol
    report.context_line = " ".join((context_line or "").split())
    report.context_when = " ".join((context_when or "").split())
    db.session.flush()
    return report


def adopt_report(meeting: Meeting, adopted_on: date | None) -> MeetingReport:
    """The day the meeting adopted its report: during the meeting or within a year after."""
    if not isinstance(adopted_on, date):
        raise OutputError(_("Give the day the meeting adopted its report."), "adopted_on")
    if adopted_on < meeting.first_day or adopted_on > meeting.last_day + timedelta(days=366):
        raise OutputError(
            _(
                "A report is adopted from the meeting's first day (%(day)s) to a year after it.",
                day=format_date(meeting.first_day, "d MMMM y"),
            ),
            "adopted_on",
        )
    report = report_of(meeting)
    report.adopted_on = adopted_on
    db.session.flush()
    return report


def publish_report(meeting: Meeting) -> MeetingReport:
    """Make the adopted report public: only once the meeting has concluded."""
    report = meeting_report(meeting)
    if report is None or report.adopted_on is None:
        raise OutputError(_("Record the day the report was adopted before publishing it."))
    if meeting.status != MeetingStatus.CONCLUDED:
        raise OutputError(_("Conclude the meeting before publishing its report."))
    if report.published_at is None:
        report.published_at = utcnow()
        report.published_content = frozen_report(meeting)
        db.session.flush()
    return report


def frozen_report(meeting: Meeting) -> dict:
    """The report's content as it stands, in the meeting's own language, as plain JSON (its
    markup is cleaned again when it prints)."""
    with force_locale(document_language(meeting, None).locale):
        content = report_content(meeting)
    return json.loads(json.dumps(content, default=str))


def withdraw_report(meeting: Meeting) -> None:
    """Take the report back to a draft: the public no longer sees it."""
    report = meeting_report(meeting)
    if report is None or report.published_at is None:
        raise OutputError(_("The report is not published."))
    report.published_at = None
    report.published_content = None
    db.session.flush()


def is_public(meeting: Meeting) -> bool:
    """Whether anyone may read the report."""
    report = meeting_report(meeting)
    return bool(report and report.published_at and meeting.status == MeetingStatus.CONCLUDED)

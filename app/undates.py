"""Dates as UN documents print them: "from 22 to 24 January 2019" in running text and
"27–28 February 2020" in headings and lists. One helper for every place a range prints.
"""

from datetime import date

from babel.dates import format_interval
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

DAY = "d"
DAY_MONTH = "d MMMM"
FULL = "d MMMM y"


def _english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "en"


def _pieces(first: date, last: date) -> tuple[str, str]:
    """The two ends of a range, each as short as the other end lets it be."""
    if (first.year, first.month) == (last.year, last.month):
        start = format_date(first, DAY)
    elif first.year == last.year:
        start = format_date(first, DAY_MONTH)
    else:
        start = format_date(first, FULL)
    return start, format_date(last, FULL)


def date_range_short(first: date, last: date | None = None) -> str:
    """A range in a heading or a list: "27–28 February 2020", "30 January–2 February 2019"."""
    last = last or first
    if last < first:
        first, last = last, first
    if first == last:
        return format_date(first, FULL)
    if not _english():
        return format_interval(first, last, skeleton="yMMMMd", locale=get_locale())
    start, end = _pieces(first, last)
    return f"{start}\u2013{end}"


def date_range_running(first: date, last: date | None = None) -> str:
    """A range in running text: "on 22 January 2019", "from 22 to 24 January 2019"."""
    last = last or first
    if last < first:
        first, last = last, first
    if first == last:
        return _("on %(day)s", day=format_date(first, FULL))
    if not _english():
        return _(
            "from %(range)s",
            range=format_interval(first, last, skeleton="yMMMMd", locale=get_locale()),
        )
    start, end = _pieces(first, last)
    return _("from %(first)s to %(last)s", first=start, last=end)

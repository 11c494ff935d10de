"""Dates as UN documents print them: "from 22 to 24 January 2019" in running text and
"27–28 February 2020" in headings and lists. One helper for every place a range prints.
"""

from datetime import date

from babel.dates import format_interval, format_skeleton, get_date_format
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

DAY = "d"
DAY_MONTH = "d MMMM"
FULL = "d MMMM y"


def _english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "en"


def _single(day: date) -> str:
    return format_skeleton("yMMMMd", day, locale=get_locale())


def _year_first() -> bool:
    """Locales that write the year before the day (2020年2月27日): their ranges come from
    CLDR's interval formats, which know where to cut."""
    return str(get_date_format("long", locale=get_locale()).pattern).lstrip("'G ").startswith("y")


def _pieces(first: date, last: date) -> tuple[str, str]:
    """The two ends of a range, each as short as the other end lets it be: "27" and
    "28 February 2020" in English, "27" and "28 février 2020" in French (CLDR's skeletons
    put each language's words and order around the day and month)."""
    if _english():
        if (first.year, first.month) == (last.year, last.month):
            start = format_date(first, DAY)
        elif first.year == last.year:
            start = format_date(first, DAY_MONTH)
        else:
            start = format_date(first, FULL)
        return start, format_date(last, FULL)
    locale = get_locale()
    if (first.year, first.month) == (last.year, last.month):
        skeleton = "d"
    elif first.year == last.year:
        skeleton = "MMMMd"
    else:
        skeleton = "yMMMMd"
    return (
        format_skeleton(skeleton, first, locale=locale),
        format_skeleton("yMMMMd", last, locale=locale),
    )


def date_range_short(first: date, last: date | None = None) -> str:
    """A range in a heading or a list: "27–28 February 2020", "30 January–2 February 2019"."""
    last = last or first
    if last < first:
        first, last = last, first
    if first == last:
        return format_date(first, FULL) if _english() else _single(first)
    if not _english() and _year_first():
        return format_interval(first, last, skeleton="yMMMMd", locale=get_locale())
    start, end = _pieces(first, last)
    return f"{start}\u2013{end}"


def date_range_running(first: date, last: date | None = None) -> str:
    """A range in running text: "on 22 January 2019", "from 22 to 24 January 2019"."""
    last = last or first
    if last < first:
        first, last = last, first
    if first == last:
        return _("on %(day)s", day=format_date(first, FULL) if _english() else _single(first))
    if not _english() and _year_first():
        return _(
            "from %(range)s",
            range=format_interval(first, last, skeleton="yMMMMd", locale=get_locale()),
        )
    start, end = _pieces(first, last)
    return _("from %(first)s to %(last)s", first=start, last=end)

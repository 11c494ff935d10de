"""Converting between a meeting's time zone and UTC: times are stored in UTC, shown locally."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import format_date

# The longest IANA zone name is 32 characters ("America/Argentina/ComodRivadavia"); the
# column holds 64. A longer value is no zone, and would make ZoneInfo ask the file system.
ZONE_NAME_MAX = 64


def is_valid_timezone(name: str) -> bool:
    """True for an IANA zone name such as "Asia/Bangkok"."""
    if not name or name != name.strip() or len(name) > ZONE_NAME_MAX:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def timezone_choices() -> list[str]:
    """Every IANA zone, sorted, for a select field."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall-clock time in `zone` as an aware UTC datetime."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(moment: datetime, zone: str) -> datetime:
    """An aware datetime as wall-clock time in `zone` (aware)."""
    return moment.astimezone(ZoneInfo(zone))


def day_bounds_utc(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day begins and ends."""
    start = to_utc(datetime.combine(day, time.min), zone)
    end = to_utc(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def local_time(moment: datetime, zone: str) -> str:
    """ "09:30" in the meeting's zone."""
    return to_local(moment, zone).strftime("%H:%M")


def local_date(moment: datetime, zone: str) -> date:
    return to_local(moment, zone).date()


def format_local(moment: datetime, zone: str, with_zone: bool = True) -> str:
    """ "Thursday, 27 February 2020, 09:30 (Asia/Bangkok)" for pages and messages."""
    local = to_local(moment, zone)
    text = f"{format_date(local.date(), 'full')}, {local.strftime('%H:%M')}"
    return f"{text} ({zone})" if with_zone else text


def zone_label(zone: str, on: date) -> str:
    """ "Asia/Bangkok (UTC+07:00)" so people see which clock a time is on."""
    offset = datetime.combine(on, time(12), tzinfo=ZoneInfo(zone)).utcoffset() or timedelta()
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{zone} (UTC{sign}{hours:02d}:{minutes:02d})"


def format_local_day(moment: datetime, zone: str) -> str:
    """ "Thursday, 27 February 2020": the meeting-zone day a moment falls on."""
    return format_date(to_local(moment, zone).date(), "full")

"""Dates, times and durations as the exports write them.

Every moment is naive UTC, as failwise stores it: a moment written with an
offset (``10:00+02:00``) is converted with :func:`failwise.services.records.naive_utc`
(08:00), and one written without is taken as written.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from failwise.adapters.importers._values import cell_error
from failwise.services.records import naive_utc

NOON = time(12, 0)
"""The time given to workouts of exports that only record the day (FitNotes)."""


_MONTH_NAMES = (
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
)
_MONTHS = {name: month for month, names in enumerate(_MONTH_NAMES, start=1) for name in names}

_CLOCK = r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?"
# "6 Apr 2026, 17:18" (Hevy), "Apr 6, 2026, 5:18 PM" (Hevy, US locale),
# "06.04.2026, 17:18" (Hevy, German locale), "2026-04-06 5:18:00 PM" (Strong, 12-hour clock).
_DAY_MONTH_YEAR = re.compile(
    r"([0-9]{1,2})\s+([^\W\d_]+)\.?\s+([0-9]{4}),?\s+" + _CLOCK, re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    r"([^\W\d_]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4}),?\s+" + _CLOCK, re.IGNORECASE
)
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}),?\s+" + _CLOCK)
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]\s*" + _CLOCK)


def _clock(hour: str, minute: str, second: str | None, meridiem: str | None) -> time:
    h = int(hour)
    if meridiem:
        if not 1 <= h <= 12:
            raise ValueError(hour)
        h = h % 12 + (12 if meridiem.casefold() == "p" else 0)
    return time(h, int(minute), int(second or 0))


_CLOCK_ONLY = re.compile(_CLOCK)


def parse_clock(text: str) -> time | None:
    """A time of day like ``18:05``, ``6:05 PM`` or ``8:00 am``; ``None`` when it is not one.

    >>> parse_clock("10:56 PM")
    datetime.time(22, 56)
    >>> parse_clock("8:00 am"), parse_clock("25:00")
    (datetime.time(8, 0), None)
    """
    match = _CLOCK_ONLY.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return _clock(*match.groups())
    except ValueError:
        return None


def parse_moment(text: str) -> datetime | None:
    """A date and time as the exports write them, or ``None`` when it is not one.

    ISO 8601 (``2023-05-01 18:04:12``, ``2026-03-01T10:00:00.000Z``: an
    offset is converted to naive UTC), a 12-hour clock (``2024-05-11
    5:10:05 PM``), and Hevy's ``6 Apr 2026, 17:18``, ``Apr 6, 2026, 5:18 PM``
    and ``06.04.2026, 17:18``. Month names are English, whatever the locale.

    >>> parse_moment("6 Apr 2026, 17:18")
    datetime.datetime(2026, 4, 6, 17, 18)
    >>> parse_moment("Apr 6, 2026, 5:18 PM")
    datetime.datetime(2026, 4, 6, 17, 18)
    >>> parse_moment("2026-03-01T10:00:00.000Z")
    datetime.datetime(2026, 3, 1, 10, 0)
    >>> parse_moment("yesterday") is None
    True
    """
    text = text.strip()
    try:
        if match := _ISO_DAY.fullmatch(text):
            y, mo, d, *clock = match.groups()
            return datetime.combine(date(int(y), int(mo), int(d)), _clock(*clock))
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            d, name, y, *clock = match.groups()
            day = date(int(y), _MONTHS[name.casefold()], int(d))
            return datetime.combine(day, _clock(*clock))
        if match := _MONTH_DAY_YEAR.fullmatch(text):
            name, d, y, *clock = match.groups()
            day = date(int(y), _MONTHS[name.casefold()], int(d))
            return datetime.combine(day, _clock(*clock))
        if match := _DOTTED.fullmatch(text):
            d, mo, y, *clock = match.groups()
            return datetime.combine(date(int(y), int(mo), int(d)), _clock(*clock))
        return naive_utc(datetime.fromisoformat(text))
    except (ValueError, KeyError, OverflowError):
        return None


def moment(column: str, text: str, expected: str) -> datetime:
    """A required date and time; an unreadable one makes the row unreadable."""
    value = parse_moment(text) if text else None
    if value is None:
        raise cell_error(column, text, expected)
    return value


def later(start: datetime, seconds: float | None) -> datetime | None:
    """``start`` plus a duration, or ``None`` when there is none or it overflows."""
    if not seconds:
        return None
    try:
        return start + timedelta(seconds=seconds)
    except OverflowError:
        return None


_DURATION = re.compile(
    r"(?:([0-9]+)\s*h)?\s*(?:([0-9]+)\s*m(?:in)?)?\s*(?:([0-9]+)\s*s)?", re.IGNORECASE
)


def parse_duration(text: str) -> float | None:
    """Seconds in a duration like Strong's ``1h 38m``, ``45m`` or ``50s``; ``None`` if unreadable.

    >>> parse_duration("1h 38m")
    5880.0
    >>> parse_duration("45m")
    2700.0
    >>> parse_duration("soon") is None
    True
    """
    match = _DURATION.fullmatch(text.strip())
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def parse_clock_duration(text: str) -> float | None:
    """Seconds in ``H:MM:SS`` or ``MM:SS`` (FitNotes' Time column); ``None`` if unreadable.

    >>> parse_clock_duration("0:32:06")
    1926.0
    >>> parse_clock_duration("01:00")
    60.0
    """
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return float(seconds)

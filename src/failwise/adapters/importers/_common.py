"""What every importer shares: the table reader, units, numbers, dates and effort.

The mapping rules, in one place:

- loads are converted to kg (1 lb = 0.45359237 kg, the international pound)
  and rounded to 0.001 kg, which also removes the float noise some apps write
  (``149.99999999999997`` → ``150.0``);
- RPE becomes reps in reserve through the domain's ``RIR = 10 − RPE``; a
  decimal comma (``8,5``) is read as a decimal point;
- a row of distance or time without reps is a cardio or timed row: it keeps
  its distance and seconds and carries no reps (the import service reports
  it; it is never dropped here);
- line numbers are physical lines of the file: the header is line 1 and a
  quoted field that spans lines advances them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from failwise.domain.effort import rir_from_rpe
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import ParsedFile, Problem

METRES_PER_MILE = 1609.344
"""The international mile, exactly."""

_WEIGHT_UNITS: dict[str, float] = {
    "kg": 1.0,
    "kgs": 1.0,
    "kilogram": 1.0,
    "kilograms": 1.0,
    "lb": KG_PER_LB,
    "lbs": KG_PER_LB,
    "pound": KG_PER_LB,
    "pounds": KG_PER_LB,
}

_METRES_PER: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "ft": 0.3048,
    "feet": 0.3048,
    "yd": 0.9144,
    "yds": 0.9144,
    "yards": 0.9144,
}

NOON = time(12, 0)
"""The time given to workouts of exports that only record the day (FitNotes)."""


class Parser(Protocol):
    """Reads one export format: the decoded text in, the sets and problems out."""

    def __call__(self, text: str, *, unit: str | None = None) -> ParsedFile: ...


class CellError(Exception):
    """A cell that makes its row unreadable; the message names the column and the value."""


def shorten(value: str) -> str:
    """A cell as a problem quotes it: at most 40 characters."""
    return value if len(value) <= 40 else value[:37] + "..."


def cell_error(column: str, value: str, expected: str) -> CellError:
    return CellError(f"{column} {shorten(value)!r} is not {expected}: the row is skipped")


# --- the table ----------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A column name as the parsers look it up: trimmed, spaces collapsed, case folded.

    >>> normalise_name('\\ufeff "Weight (kg)" ')
    'weight (kg)'
    """
    return " ".join(name.replace("\ufeff", "").strip().strip('"').split()).casefold()


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line endings as LF, also inside quoted notes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def header_line(text: str) -> str:
    """The first physical line of ``text``, without a byte order mark or line ending."""
    first = strip_bom(text).split("\n", 1)[0]
    return first.split("\r", 1)[0]


def sniff_delimiter(line: str) -> str:
    """``;`` when the header is separated by semicolons, else ``,``.

    >>> sniff_delimiter('"Workout #";"Date";"Workout Name"')
    ';'
    >>> sniff_delimiter('Date,Workout Name,Duration')
    ','
    """
    return ";" if line.count(";") > line.count(",") else ","


def header_names(line: str) -> list[str]:
    """The normalised column names of a header line."""
    try:
        cells = next(csv.reader([line], delimiter=sniff_delimiter(line), skipinitialspace=True))
    except (csv.Error, StopIteration):
        return []
    return [normalise_name(cell) for cell in cells]


@dataclass(frozen=True, slots=True)
class Row:
    """One data record: the line it starts on and its cells by normalised column name.

    Its readers name the column as the file's header spells it in every
    problem they report.
    """

    line: int
    cells: Mapping[str, str]
    titles: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        """The trimmed cell of ``column`` (a normalised name); empty when the file lacks it."""
        return self.cells.get(column, "")

    def title(self, column: str) -> str:
        return self.titles.get(column, column)

    def number(self, column: str) -> float | None:
        return number(self.title(column), self[column])

    def amount(self, column: str) -> float | None:
        return amount(self.title(column), self[column])

    def whole_number(self, column: str) -> int | None:
        return whole_number(self.title(column), self[column])

    def moment(self, column: str, expected: str) -> datetime:
        return moment(self.title(column), self[column], expected)

    def weight_factor(self, column: str) -> float:
        return weight_factor(self.title(column), self[column])

    def distance_factor(self, column: str) -> float:
        return distance_factor(self.title(column), self[column])

    def rir(self, column: str, problems: list[Problem], *, target: bool = False) -> float | None:
        """RIR from the RPE in ``column``; an RPE off the scale is reported in ``problems``."""
        return rir_from_rpe_cell(
            self.title(column), self[column], problems, self.line, target=target
        )

    def soft_moment(
        self, column: str, problems: list[Problem], consequence: str
    ) -> datetime | None:
        """An optional date and time: an unreadable one is reported, and the set kept."""
        text = self[column]
        if not text:
            return None
        value = parse_moment(text)
        if value is None:
            problems.append(
                Problem(
                    self.line,
                    f"{self.title(column)} {shorten(text)!r} is not a date and time: "
                    + consequence,
                )
            )
        return value


@dataclass(slots=True)
class Table:
    """A CSV export read record by record; unreadable records become problems."""

    columns: list[str]
    """Normalised column names, in file order."""
    titles: dict[str, str]
    """Each normalised name as the header spells it."""
    problems: list[Problem]
    _reader: Iterator[list[str]]
    _line_num: Callable[[], int]
    keep_text: bool = False
    """Cells exactly as the file has them (see :func:`open_table`); else trimmed."""

    def has(self, *names: str) -> bool:
        return all(name in self.columns for name in names)

    def first_of(self, *names: str) -> str | None:
        """The first of ``names`` that the header holds."""
        return next((name for name in names if name in self.columns), None)

    def rows(self) -> Iterator[Row]:
        """Every non-blank record, with its first physical line.

        A record with fewer fields than the header, or with extra fields that
        are not empty, is a problem; so is a record the CSV reader rejects.
        """
        width = len(self.columns)
        start = self._line_num() + 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.append(Problem(start, f"this line is not valid CSV: {error}"))
                if self._line_num() < start:  # the reader made no progress: stop
                    return
                start = self._line_num() + 1
                continue
            line, start = start, self._line_num() + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                reason = f"expected {width} fields, found {len(cells)}: the row is skipped"
                if any("\n" in cell for cell in cells):
                    reason += " (a quote opened on this line may never be closed)"
                self.problems.append(Problem(line, reason))
                continue
            values = cells if self.keep_text else (cell.strip() for cell in cells)
            yield Row(line, dict(zip(self.columns, values, strict=False)), self.titles)


def open_table(
    text: str, *, format_name: str, required: Collection[str], keep_text: bool = False
) -> Table:
    """Read the header of ``text`` and prepare its records.

    Other apps' exports are read forgivingly: line breaks inside notes become LF,
    spaces after a delimiter and around a cell are dropped. ``keep_text`` reads
    each cell exactly as written (RFC 4180: a CR or a leading space in a quoted
    note is the note's), for failwise's own lossless CSV.

    Raises :class:`InvalidInput` when the file is empty or the header lacks a
    ``required`` column (given as normalised names): nothing in such a file
    can be read.
    """
    text = strip_bom(text) if keep_text else normalise_newlines(strip_bom(text))
    first = header_line(text)
    if not first.strip():
        raise InvalidInput("the file is empty or its first line is blank; expected a header line")
    handle = io.StringIO(text, newline="")
    reader = csv.reader(handle, delimiter=sniff_delimiter(first), skipinitialspace=not keep_text)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as error:
        raise InvalidInput(f"line 1: the header cannot be read: {error}") from None
    columns = [normalise_name(cell) for cell in header]
    titles = {
        name: " ".join(cell.replace("\ufeff", "").strip().strip('"').split())
        for name, cell in zip(columns, header, strict=True)
    }
    missing = [name for name in required if name not in columns]
    if missing:
        raise InvalidInput(
            f"line 1: this is not a {format_name} export: the header lacks "
            + ", ".join(repr(name) for name in missing)
        )
    return Table(columns, titles, [], reader, lambda: reader.line_num, keep_text)


# --- numbers ------------------------------------------------------------------


def clean(value: float) -> float:
    """``value`` rounded to 0.001: no float noise, no negative zero.

    >>> clean(149.99999999999997)
    150.0
    >>> clean(225 * KG_PER_LB)
    102.058
    """
    return round(value, 3) + 0.0


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def number(column: str, text: str) -> float | None:
    """A finite decimal number (a decimal comma is accepted); ``None`` when empty.

    >>> number("RPE", "8,5")
    8.5
    """
    if not text:
        return None
    if _NUMBER.fullmatch(text) is None:
        raise cell_error(column, text, "a number")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise cell_error(column, text, "a number")
    return value


def amount(column: str, text: str) -> float | None:
    """A number that cannot be negative (a distance, a time)."""
    value = number(column, text)
    if value is not None and value < 0:
        raise cell_error(column, text, "a number of 0 or more")
    return value


def whole_number(column: str, text: str) -> int | None:
    """A whole number of 0 or more (``5.0`` is 5); ``None`` when empty.

    >>> whole_number("Reps", "8.0")
    8
    """
    expected = "a whole number of 0 or more"
    try:
        value = number(column, text)
    except CellError:
        raise cell_error(column, text, expected) from None
    if value is None:
        return None
    if not value.is_integer() or value < 0:
        raise cell_error(column, text, expected)
    return int(value)


def weight_factor(column: str, unit: str) -> float:
    """kg per unit of weight for a unit as the exports write it (``kgs``, ``lbs``)."""
    try:
        return _WEIGHT_UNITS[unit.strip().casefold()]
    except KeyError:
        raise cell_error(column, unit, "a weight unit (kg or lb)") from None


def distance_factor(column: str, unit: str) -> float:
    """Metres per unit of distance (``m``, ``km``, ``mi``, ``ft``, ``yd``)."""
    try:
        return _METRES_PER[unit.strip().casefold()]
    except KeyError:
        raise cell_error(column, unit, "a distance unit (m, km, mi, ft or yd)") from None


def check_unit(unit: str | None) -> float:
    """kg per unit of the lifter's display unit (``kg`` when not given)."""
    if unit is None:
        return 1.0
    try:
        return _WEIGHT_UNITS[unit.strip().casefold()]
    except KeyError:
        raise InvalidInput(f"unit {unit!r} is not a weight unit: use kg or lb") from None


def scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else clean(value * factor)


def positive(value: float | None) -> float | None:
    """``None`` for a missing or zero distance or time (apps write 0 when there is none)."""
    return value if value else None


# --- effort -------------------------------------------------------------------


def rir_from_rpe_cell(
    column: str, text: str, problems: list[Problem], line: int, *, target: bool = False
) -> float | None:
    """RIR from an RPE cell; an RPE off the scale is a problem and the set keeps no RIR.

    The scale is the domain's (:func:`failwise.domain.effort.rir_from_rpe`):
    0 to 10 in half steps, ``RIR = 10 − RPE`` (Zourdos et al. 2016; Helms et
    al. 2016). ``target`` says the cell is a prescribed RPE, not a logged one.

    >>> problems: list[Problem] = []
    >>> rir_from_rpe_cell("RPE", "8,5", problems, 7)
    1.5
    >>> rir_from_rpe_cell("RPE", "7.3", problems, 8) is None
    True
    >>> problems[0].reason
    "RPE '7.3' is not on the RPE scale (0 to 10 in half steps): the set is imported without RIR"
    """
    if not text:
        return None
    try:
        rpe = number(column, text)
    except CellError:
        rpe = None
    if rpe is not None:
        try:
            return rir_from_rpe(rpe)
        except InvalidEffort:
            pass
    problems.append(
        Problem(
            line,
            f"{column} {shorten(text)!r} is not on the RPE scale (0 to 10 in half steps): "
            f"the set is imported without {'target RIR' if target else 'RIR'}",
        )
    )
    return None


# --- dates --------------------------------------------------------------------

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


def _naive(moment: datetime) -> datetime:
    """A moment with an offset as naive UTC; a naive one as written."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


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
        return _naive(datetime.fromisoformat(text))
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


# --- sets ---------------------------------------------------------------------


@dataclass(slots=True)
class SetCounter:
    """Numbers sets from 0 in file order within each (workout, exercise).

    The apps' own numbers are not used: Strong's warm-up, drop and failure
    rows carry a letter, not a number, and an exercise done twice in one
    workout restarts the app's numbering. The position in the file is unique
    and stays the same when the same history is exported again.
    """

    _seen: dict[tuple[str, ...], int] = field(default_factory=dict)

    def next(self, *key: str) -> int:
        index = self._seen.get(key, 0)
        self._seen[key] = index + 1
        return index


def timed_row(
    load_kg: float | None, reps: int | None, distance_m: float | None, seconds: float | None
) -> tuple[float | None, int | None]:
    """Load and reps of a row, with a cardio or timed row carrying no reps.

    A row with a distance or a time and no reps (empty or 0) is cardio or a
    timed hold: its reps become ``None``, and a zero load becomes ``None``
    (the apps write 0 kg on a run). Any other row keeps what it says, so a
    failed attempt (0 reps, no time) stays a set of 0 reps.

    >>> timed_row(0.0, 0, 5000.0, 1800.0)
    (None, None)
    >>> timed_row(100.0, 0, None, None)
    (100.0, 0)
    """
    if not reps and (distance_m is not None or seconds is not None):
        return (load_kg or None), None
    return load_kg, reps

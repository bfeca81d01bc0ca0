"""JEFIT's export (Settings → Account → Export Data, a CSV of the whole account).

One file of sections, detected from its first line, a section's marker. Each
section opens with a marker line such as ``### WORKOUT SESSIONS ###`` (the
app pads it with more ``#``), then (after any blank lines) its header row,
then its rows, up to the next marker or a line of ``#`` alone. failwise
reads three sections, by their markers, and passes over every other
(``EXERCISE SET LOGS``, body stats, routines, …):

- ``### SETTING ###`` (optional): the unit of every weight in the file, from
  its first row's ``weight_unit`` column (also spelt ``weightunit``,
  ``massunit``, ``unit`` or ``units``): ``kg`` or ``lb``/``lbs``. Without
  it, weights are in the lifter's display unit (``unit``, kg when not given):
  JEFIT writes weights as the lifter sees them.
- ``### WORKOUT SESSIONS ###`` (optional):
  ``_id,mydate,starttime,endtime,total_time`` among other columns. A
  session starts at ``starttime`` (Unix seconds, as naive UTC like every
  importer's; the app's misspelt ``starttimie`` too) and ends at ``endtime``,
  else after ``total_time`` seconds (an end before the start is dropped; a
  time that is not a Unix time is reported and not used; the first row of
  an ``_id`` counts). A session no exercise log names holds no set.
- ``### EXERCISE LOGS ###`` (required): one row per exercise of a session,
  ``_id,belongsession,mydate,eid,ename,record,logs`` among other columns.
  ``belongsession`` is the ``_id`` of its session; ``ename`` the exercise;
  ``logs`` its sets packed as ``weightxreps`` separated by commas
  (``"100x5,100x5,105x3"``, quoted as it holds commas; ``x``, ``X`` or ``×``).

A row whose session is missing, or has no start, starts at 12:00 of its
``mydate`` (``2024-01-15``); logs of one day without start times are one
workout. Sets are numbered from 0 in ``logs`` order per exercise per workout.
A weight of 0 is a bodyweight set (``load_kg=None``). An empty ``logs``, and a
packed set of 0 reps (planned, never done), are skipped with their reason; a
packed set that is not ``weightxreps`` is a problem, and the row's other sets
are kept (an empty one, after a trailing comma, is passed over). ``record``
(an e1RM the app derives from the sets) is not read. JEFIT logs no effort, so
no set carries RIR; a session's name is not written, so workouts carry none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from failwise.adapters.importers._csv import (
    Row,
    normalise_newlines,
    open_table,
    strip_bom,
)
from failwise.adapters.importers._dates import NOON
from failwise.adapters.importers._sets import SetCounter
from failwise.adapters.importers._values import (
    CellError,
    cell_error,
    check_unit,
    number,
    scaled,
    shorten,
    weight_factor,
    whole_number,
)
from failwise.domain.errors import InvalidInput
from failwise.services.imports import ImportedSet, ParsedFile, Problem

FORMAT = "jefit"

SETTING = "setting"
SESSIONS = "workout sessions"
LOGS = "exercise logs"

SESSION_ID = "_id"
START = ("starttime", "starttimie")
END = "endtime"
TOTAL_TIME = "total_time"
BELONGS = "belongsession"
DAY = "mydate"
EXERCISE = "ename"
PACKED = "logs"
UNIT_COLUMNS = ("weight_unit", "weightunit", "massunit", "unit", "units")

REQUIRED = (EXERCISE, PACKED)

_MARKER = re.compile(r"#{3}\s*([^#]*?)\s*#*")
_PACKED_SET = re.compile(r"\s*([^xX×]*?)\s*[xX×]\s*([^xX×]*?)\s*")
_LATEST = datetime(9999, 1, 1, tzinfo=UTC).timestamp()


def _marker(line: str) -> str | None:
    """The section a marker line opens (``''`` for a closing line of ``#``), else ``None``."""
    match = _MARKER.fullmatch(line.strip())
    return None if match is None else " ".join(match.group(1).split()).casefold()


def detect(line: str) -> str | None:
    """``jefit`` when the first ``line`` is the marker of a section, else ``None``.

    >>> detect("### WORKOUT SESSIONS ###")
    'jefit'
    >>> detect("Date,Exercise,Reps") is None
    True
    """
    return FORMAT if _marker(line) else None


@dataclass(frozen=True, slots=True)
class _Section:
    name: str
    header_line: int
    """The physical line of its header row."""
    text: str
    """Its header row and the rows after it."""


def _sections(text: str) -> Iterator[_Section]:
    name: str | None = None
    start = 0
    body: list[str] = []
    lines = text.split("\n")
    for number_, line in enumerate([*lines, "###"], start=1):
        found = _marker(line) if line.startswith("#") else None
        if found is None:
            if name and (body or line.strip()):
                if not body:
                    start = number_
                body.append(line)
            continue
        if name and body:
            yield _Section(name, start, "\n".join(body))
        name, body = found, []


@dataclass(frozen=True, slots=True)
class _Session:
    start: datetime | None
    end: datetime | None


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a JEFIT export; weights are in ``unit`` unless its SETTING section names one.

    >>> text = (
    ...     "### WORKOUT SESSIONS ###\\n_id,mydate,starttime,endtime,total_time\\n"
    ...     "7,2024-01-15,1705305000,1705308600,3600\\n"
    ...     "### EXERCISE LOGS ###\\n_id,belongsession,mydate,ename,logs\\n"
    ...     '1,7,2024-01-15,Barbell Bench Press,"100x5,100x5,105x3"\\n'
    ... )
    >>> sets = parse(text).sets
    >>> [(s.load_kg, s.reps) for s in sets], sets[0].workout_start, sets[0].line
    ([(100.0, 5), (100.0, 5), (105.0, 3)], datetime.datetime(2024, 1, 15, 7, 50), 6)
    """
    factor = check_unit(unit)
    text = normalise_newlines(strip_bom(text))
    sections = list(_sections(text))
    parsed = ParsedFile(format=FORMAT)
    logs = [section for section in sections if section.name == LOGS]
    if not logs:
        raise InvalidInput(
            "this is not a JEFIT export: it has no '### EXERCISE LOGS ###' section "
            "with a header, so there are no sets to read"
        )
    for section in sections:
        if section.name == SETTING:
            factor = _unit(section, factor, parsed.problems)
    sessions: dict[str, _Session] = {}
    for section in sections:
        if section.name == SESSIONS:
            sessions.update(_sessions(section, parsed.problems))
    counter = SetCounter()
    for section in logs:
        for row in _rows(section, parsed.problems, required=REQUIRED):
            try:
                parsed.sets.extend(_read(row, sessions, factor, counter, parsed))
            except CellError as error:
                parsed.problems.append(Problem(row.line, str(error)))
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


def _rows(section: _Section, problems: list[Problem], *, required: tuple[str, ...]) -> list[Row]:
    """The section's rows, numbered as lines of the whole file."""
    offset = section.header_line - 1
    try:
        table = open_table(section.text, format_name="JEFIT", required=required)
    except InvalidInput as error:
        reason = str(error).removeprefix("line 1: ")
        if section.name == LOGS:
            raise InvalidInput(f"line {section.header_line}: {reason}") from None
        problems.append(Problem(section.header_line, f"{reason}: the section is not read"))
        return []
    rows = [Row(row.line + offset, row.cells, row.titles) for row in table.rows()]
    problems.extend(Problem(p.line + offset, p.reason) for p in table.problems)
    return rows


def _unit(section: _Section, factor: float, problems: list[Problem]) -> float:
    for row in _rows(section, problems, required=()):
        column = next((name for name in UNIT_COLUMNS if row[name]), None)
        if column is None:
            return factor
        try:
            return weight_factor(row.title(column), row[column])
        except CellError:
            problems.append(
                Problem(
                    row.line,
                    f"{row.title(column)} {shorten(row[column])!r} is not a weight unit "
                    "(kg or lb): the weights are read in the lifter's unit",
                )
            )
            return factor
    return factor


def _moment(row: Row, column: str, problems: list[Problem]) -> datetime | None:
    """A Unix time in seconds; 0 or empty is none, anything else unreadable is reported."""
    text = row[column]
    try:
        seconds = number(row.title(column), text)
    except CellError:
        seconds = -1.0
    if not seconds:
        return None
    if not 0 < seconds < _LATEST:
        problems.append(
            Problem(
                row.line,
                f"{row.title(column)} {shorten(text)!r} is not a Unix time in seconds: "
                "the session is read without it",
            )
        )
        return None
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _sessions(section: _Section, problems: list[Problem]) -> dict[str, _Session]:
    found: dict[str, _Session] = {}
    for row in _rows(section, problems, required=(SESSION_ID,)):
        column = next((name for name in START if row[name]), START[0])
        start = _moment(row, column, problems)
        end = _moment(row, END, problems)
        if end is None and start is not None:
            try:
                seconds = row.amount(TOTAL_TIME)
            except CellError:
                seconds = None
            if seconds and seconds < 86_400:
                end = start + timedelta(seconds=seconds)
        if start is not None and end is not None and end < start:
            end = None
        found.setdefault(row[SESSION_ID], _Session(start, end))
    return found


def _day(row: Row) -> datetime:
    text = row[DAY]
    try:
        return datetime.combine(date.fromisoformat(text[:10]), NOON)
    except ValueError:
        raise cell_error(row.title(DAY), text, "a date like 2024-01-15") from None


def _read(
    row: Row,
    sessions: dict[str, _Session],
    factor: float,
    counter: SetCounter,
    parsed: ParsedFile,
) -> list[ImportedSet]:
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    session = sessions.get(row[BELONGS]) if row[BELONGS] else None
    start = session.start if session is not None and session.start is not None else _day(row)
    end = session.end if session is not None and session.start is not None else None
    if not row[PACKED]:
        parsed.skipped.append(
            Problem(
                row.line,
                "logs is empty (no set logged; timed and cardio exercises are not read): "
                "nothing to import",
            )
        )
        return []
    read: list[ImportedSet] = []
    for position, packed in enumerate(row[PACKED].split(","), start=1):
        if not packed.strip():
            continue  # a trailing comma: nothing logged
        match = _PACKED_SET.fullmatch(packed)
        try:
            if match is None:
                raise cell_error(row.title(PACKED), packed, "a set like 100x5")
            load = number(row.title(PACKED), match.group(1))
            reps = whole_number(row.title(PACKED), match.group(2))
            if load is None or reps is None or load < 0:
                raise cell_error(row.title(PACKED), packed, "a set like 100x5")
        except CellError:
            parsed.problems.append(
                Problem(
                    row.line,
                    f"set {position} {shorten(packed.strip())!r} in {row.title(PACKED)} "
                    "is not a set like 100x5: that set is skipped",
                )
            )
            continue
        if reps == 0:
            parsed.skipped.append(
                Problem(row.line, f"set {position} has 0 reps (never done): not a set")
            )
            continue
        read.append(
            ImportedSet(
                line=row.line,
                workout_start=start,
                workout_name="",
                exercise_name=exercise,
                set_index=counter.next(start.isoformat(), exercise),
                load_kg=scaled(load, factor) or None,  # 0 is bodyweight
                reps=reps,
                workout_end=end,
            )
        )
    return read

"""Alpha Progression's CSV export (the app's settings: export the workouts as CSV).

Semicolon-separated, with decimal commas, in blocks; a blank line ends a session::

    "Push · Day 1 · Week 3 · Push-Pull-Legs";"2026-03-02 18:05 h";"1:04 hr"
    "1. Bench Press · Barbell · 8 reps";"WU1 · 40 kg · 10 reps<br>WU2 · 60 kg · 5 reps"
    #;KG;REPS;RIR
    1;80;8;2
    2;80;8;1,5

- **Session header:** the workout's name, its start (``YYYY-MM-DD H:MM h``, a
  24-hour clock) and
  its duration (``H:MM hr``: hours and minutes; ``MM:SS hr`` when the first
  number is 6 or more, as no session lasts six hours). The duration gives the
  workout's end; one that cannot be read is reported and the workout kept.
- **Exercise header:** ``N. Name · Equipment · T reps``, with modifiers such as
  ``· 2 dropsets`` after. The exercise is ``Name (Equipment)``, as the catalog
  spells names (``Hack Squats · Machine`` is ``Hack Squats (Machine)``), or the
  name alone for ``Bodyweight``; ``T`` is each set's target reps, and
  the modifiers are not read. An optional second field lists the warm-up sets,
  ``WU1 · 37,5 kg · 9 reps`` joined by ``<br>``: each is a warm-up set
  (:attr:`SetType.WARM_UP`, no RIR) on the header's line, numbered before the
  working sets; one that cannot be read is reported and skipped.
- **Column header:** ``#;KG;REPS;RIR`` before each exercise's sets; a lifter in
  pounds gets ``LBS`` (or ``LB``) for ``KG``, and the sets that follow are read
  in that unit (a warm-up names its own). A column header with another unit is
  reported, and the sets below it read in kg.
- **Set rows:** ``set number;weight;reps;RIR``. The RIR is kept as logged (the
  set's ``rir``, 0 to 10 in half steps, ``0,5`` read as 0.5); one off that scale
  is reported and the set imported without it. A weight of ``+35`` is
  bodyweight plus 35 (the load is the added weight, as every importer keeps
  it) and ``+0``, ``0`` or none is bodyweight (``load_kg=None``). A row with
  no reps is an empty set, skipped with its reason.

This layout is taken from public descriptions of the export (the app
publishes no specification); the sample files
(``tests/data/exports/alpha_progression_*.csv``) were written by hand from it.
Sets are numbered from 0 in file order within the session and exercise (an
exercise done twice in a session carries on its numbering). Blank lines are
passed over; any other line is reported and skipped, and so is a set or an
exercise with no session or exercise above it. The file's first line must be
a session header: that is how the format is told from the others.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from failwise.adapters.importers._csv import normalise_newlines, strip_bom
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
from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.services.imports import ImportedSet, ParsedFile, Problem
from failwise.services.records import SetType

FORMAT = "alphaprogression"

_START = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\s+([0-9]{1,2}):([0-9]{2})(?:\s*h)?")
_DURATION = re.compile(r"([0-9]{1,3}):([0-9]{2})(?:\s*hrs?)?", re.IGNORECASE)
_EXERCISE = re.compile(r"([0-9]+)\.\s*(.*)")
_TARGET = re.compile(r"([0-9]+)\s*reps?", re.IGNORECASE)
_WARMUP = re.compile(r"WU\s*[0-9]*\s*·\s*(\S+)\s*([A-Za-z]+)\s*·\s*([0-9]+)\s*reps?", re.IGNORECASE)
_SET_NUMBER = re.compile(r"[0-9]+")
_SEPARATOR = "·"
_BODYWEIGHT = "bodyweight"
_LONGEST_SESSION_HOURS = 6


@dataclass(slots=True)
class _Session:
    start: datetime
    end: datetime | None
    name: str


@dataclass(slots=True)
class _Exercise:
    name: str
    target_reps: int | None
    factor: float | None = None
    """kg per unit of the column header above the sets; ``None`` until one is read."""


def _cells(line: str) -> list[str]:
    try:
        cells = next(csv.reader([line], delimiter=";", skipinitialspace=True))
    except (csv.Error, StopIteration):
        return []
    return [cell.strip() for cell in cells]


def _start(text: str) -> datetime | None:
    """A session's start, like ``2026-03-02 18:05 h``; ``None`` for an impossible date."""
    match = _START.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def detect(line: str) -> str | None:
    """``alphaprogression`` when ``line`` is an Alpha Progression session header.

    >>> detect('"Legs · Day 2 · Week 4 · Push-Pull-Legs";"2026-02-19 4:54 h";"1:02 hr"')
    'alphaprogression'
    >>> detect("Date;Workout Name;Exercise Name") is None
    True
    """
    cells = _cells(strip_bom(line))
    if len(cells) < 2 or not cells[0] or _START.fullmatch(cells[1]) is None:
        return None
    return FORMAT


def _duration(text: str) -> timedelta | None:
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if second >= 60:
        return None
    if first >= _LONGEST_SESSION_HOURS:
        return timedelta(minutes=first, seconds=second)
    return timedelta(hours=first, minutes=second)


def _exercise(title: str) -> tuple[str, int | None]:
    """The exercise's name, as the catalog spells it, and its target reps."""
    match = _EXERCISE.fullmatch(title)
    parts = [part.strip() for part in (match.group(2) if match else title).split(_SEPARATOR)]
    name, rest = parts[0], [part for part in parts[1:] if part]
    target = None
    equipment = ""
    for part in rest:
        found = _TARGET.fullmatch(part)
        if found is not None and target is None:
            target = int(found.group(1))
        elif not equipment and target is None:
            equipment = part
    if equipment and equipment.casefold() != _BODYWEIGHT and name:
        name = f"{name} ({equipment})"
    return name, target


def _load(column: str, text: str, factor: float) -> float | None:
    """kg from a weight cell; ``+N`` is bodyweight plus N, 0 or none bodyweight."""
    added = text[1:].strip() if text.startswith("+") else text
    return scaled(number(column, added), factor) or None


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read an Alpha Progression export; its column headers carry the unit, so ``unit`` is only
    checked.

    >>> text = (
    ...     '"Push · Day 1";"2026-03-02 18:05 h";"1:04 hr"\\n'
    ...     '"1. Bench Press · Barbell · 8 reps";"WU1 · 40 kg · 10 reps"\\n'
    ...     "#;KG;REPS;RIR\\n"
    ...     "1;82,5;8;1,5\\n"
    ... )
    >>> warmup, work = parse(text).sets
    >>> warmup.set_type.value, work.exercise_name, work.load_kg, work.reps, work.rir
    ('warm-up', 'Bench Press (Barbell)', 82.5, 8, 1.5)
    >>> work.workout_start, work.workout_end
    (datetime.datetime(2026, 3, 2, 18, 5), datetime.datetime(2026, 3, 2, 19, 9))
    """
    check_unit(unit)
    lines = normalise_newlines(strip_bom(text)).split("\n")
    if not lines[0].strip():
        raise InvalidInput("the file is empty or its first line is blank; expected a header line")
    if detect(lines[0]) is None:
        raise InvalidInput(
            "line 1: this is not an Alpha Progression export: it does not start with a "
            "session header (name;date and time;duration)"
        )
    parsed = ParsedFile(format=FORMAT)
    counter = SetCounter()
    session: _Session | None = None
    exercise: _Exercise | None = None
    for line, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cells = _cells(raw)
        if not cells or not "".join(cells):
            continue
        try:
            if _SET_NUMBER.fullmatch(cells[0]) and len(cells) >= 3:
                _set_row(line, cells, session, exercise, counter, parsed)
            elif cells[0] == "#":
                if exercise is None:
                    raise CellError("a column header with no exercise above it: skipped")
                exercise.factor = weight_factor(
                    "the column header", cells[1] if len(cells) > 1 else ""
                )
            elif len(cells) >= 2 and _START.fullmatch(cells[1]):
                session = _session(line, cells, parsed.problems)
                exercise = None
            elif _EXERCISE.fullmatch(cells[0]):
                exercise = None
                if session is None:
                    raise CellError("an exercise with no session above it: skipped")
                name, target = _exercise(cells[0])
                if not name:
                    raise cell_error("the exercise header", cells[0], "an exercise name")
                exercise = _Exercise(name, target)
                _warmups(
                    line, cells[1] if len(cells) > 1 else "", session, exercise, counter, parsed
                )
            else:
                raise CellError(
                    f"{shorten(raw.strip())!r} is not a session header, an exercise header or "
                    "a set: the line is skipped"
                )
        except CellError as error:
            parsed.problems.append(Problem(line, str(error)))
    return parsed


def _session(line: int, cells: list[str], problems: list[Problem]) -> _Session:
    start = _start(cells[1])
    if start is None:
        raise cell_error("the session's date", cells[1], "a date and time like 2026-03-02 18:05 h")
    end = None
    if len(cells) > 2 and cells[2]:
        length = _duration(cells[2])
        if length is None:
            problems.append(
                Problem(
                    line,
                    f"the session's duration {shorten(cells[2])!r} is not a time like 1:04 hr: "
                    "the workout is imported without its end",
                )
            )
        else:
            end = start + length
    return _Session(start, end, cells[0])


def _warmups(
    line: int,
    text: str,
    session: _Session,
    exercise: _Exercise,
    counter: SetCounter,
    parsed: ParsedFile,
) -> None:
    """The warm-up sets an exercise header lists, each a set on the header's line."""
    for piece in (part.strip() for part in re.split(r"<br\s*/?>", text, flags=re.IGNORECASE)):
        if not piece:
            continue
        match = _WARMUP.fullmatch(piece)
        try:
            if match is None:
                raise cell_error("the warm-up", piece, "like WU1 · 40 kg · 10 reps")
            weight, unit, reps = match.groups()
            load_kg = _load("the warm-up's weight", weight, weight_factor("the warm-up", unit))
        except CellError as error:
            parsed.problems.append(Problem(line, str(error).replace("the row", "the warm-up")))
            continue
        parsed.sets.append(
            _imported(line, session, exercise, counter, load_kg, int(reps), SetType.WARM_UP)
        )


def _set_row(
    line: int,
    cells: list[str],
    session: _Session | None,
    exercise: _Exercise | None,
    counter: SetCounter,
    parsed: ParsedFile,
) -> None:
    if session is None or exercise is None:
        raise CellError("a set with no session and exercise above it: the row is skipped")
    factor = 1.0 if exercise.factor is None else exercise.factor
    title = "LBS" if factor != 1.0 else "KG"
    load_kg = _load(title, cells[1], factor)
    reps = whole_number("REPS", cells[2])
    if reps is None:
        parsed.skipped.append(Problem(line, "an empty set (no reps): nothing to import"))
        return
    rir = _rir(line, cells[3] if len(cells) > 3 else "", parsed.problems)
    parsed.sets.append(
        _imported(line, session, exercise, counter, load_kg, reps, SetType.WORKING, rir)
    )


def _rir(line: int, text: str, problems: list[Problem]) -> float | None:
    """The RIR as logged; one off the scale is reported and the set kept without it."""
    if not text:
        return None
    try:
        value = number("RIR", text)
        return None if value is None else validate_rir(value)
    except (CellError, InvalidEffort):
        problems.append(
            Problem(
                line,
                f"RIR {shorten(text)!r} is not on the RIR scale (0 to 10 in half steps): "
                "the set is imported without RIR",
            )
        )
        return None


def _imported(
    line: int,
    session: _Session,
    exercise: _Exercise,
    counter: SetCounter,
    load_kg: float | None,
    reps: int,
    set_type: SetType,
    rir: float | None = None,
) -> ImportedSet:
    return ImportedSet(
        line=line,
        workout_start=session.start,
        workout_name=session.name,
        exercise_name=exercise.name,
        set_index=counter.next(session.start.isoformat(), session.name, exercise.name),
        load_kg=load_kg,
        reps=reps,
        rir=rir,
        set_type=set_type,
        target_reps=exercise.target_reps if set_type is SetType.WORKING else None,
        workout_end=session.end,
    )

"""StrongLifts 5×5's CSV export (Settings → Export data → CSV).

One wide row per exercise of a workout:
``Date (yyyy/mm/dd), Workout, Workout Name, Program Name, Body Weight (KG), Exercise,
Sets×Reps, Sets×Time, Top Set (Reps×KG), e1RM (KG), Reps, Volume (KG), Workout Volume (KG),
Duration (hours), Start Time (h:mm), End Time (h:mm), Notes, Set 1 (Reps), Set 1 (KG),
Set 2 (Reps), Set 2 (KG), …`` (without the spaces after the commas)
— as many ``Set N`` pairs as the longest exercise needs; a lifter in pounds
gets every ``(KG)`` as ``(LB)``, and the weights are read in that unit.

A workout is a ``Date`` and its ``Start Time``: it starts at the ``Start
Time`` (``10:56 PM``, ``8:00 am`` or ``18:05``) of that date, or at 12:00
when there is none, and ends at its ``End Time`` (the next day when earlier
than the start) or after its ``Duration (hours)``. Each ``Set N`` pair with
reps is a set, numbered from 0 in file order within the workout and exercise
(two workouts of a day without start times are one); a
weight of 0 or none is bodyweight (``load_kg=None``). A pair with no reps was
never a set and is passed over; a row with no set at all, and a set of 0 reps
that ``Sets×Reps`` marks ``-`` (the set was not done), are skipped with their
reason. A set of 0 reps that ``Sets×Reps`` does not mark is a failed attempt,
read as one. The summary columns (top set, e1RM, volume) are derived from
the sets and not read. ``Body Weight (KG)`` (or ``(LB)``) is the lifter's
body weight that day: the first of each day goes to
:attr:`ParsedFile.body_weights`, and one no lifter weighs (outside
:data:`~failwise.domain.physique.WEIGHT_RANGE_KG`) is reported and not kept.
There is no RPE, so no set carries RIR.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from failwise.adapters.importers._csv import Row, Table, header_names, open_table
from failwise.adapters.importers._dates import NOON, parse_clock, parse_moment
from failwise.adapters.importers._sets import SetCounter
from failwise.adapters.importers._values import (
    CellError,
    cell_error,
    check_unit,
    scaled,
    shorten,
)
from failwise.domain.physique import WEIGHT_RANGE_KG
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import BodyWeight, ImportedSet, ParsedFile, Problem

FORMAT = "stronglifts"

DATE = "date (yyyy/mm/dd)"
WORKOUT_NAME = "workout name"
EXERCISE = "exercise"
SETS_REPS = "sets×reps"
DURATION = "duration (hours)"
START = "start time (h:mm)"
END = "end time (h:mm)"
NOTES = "notes"

REQUIRED = (DATE, EXERCISE)

_SET_REPS = re.compile(r"set ([0-9]+) \(reps\)")
_UNITS = {"kg": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB}


def detect(line: str) -> str | None:
    """``stronglifts`` when the header ``line`` is StrongLifts 5×5's, else ``None``.

    >>> detect("Date (yyyy/mm/dd),Workout,Workout Name,Program Name,Body Weight (LB),"
    ...        "Exercise,Sets×Reps")
    'stronglifts'
    """
    return FORMAT if {DATE, EXERCISE} <= set(header_names(line)) else None


def _set_columns(table: Table) -> list[tuple[int, str, str | None, float]]:
    """Each ``Set N``: its number, its reps column, its weight column and kg per unit."""
    found = []
    for column in table.columns:
        match = _SET_REPS.fullmatch(column)
        if match is None:
            continue
        number = match.group(1)
        weight: tuple[str | None, float] = (None, 1.0)
        for unit, factor in _UNITS.items():
            if f"set {number} ({unit})" in table.columns:
                weight = (f"set {number} ({unit})", factor)
                break
        found.append((int(number), column, *weight))
    return sorted(found)


def _body_weight_column(table: Table) -> tuple[str, float] | None:
    """The body weight's column and its kg per unit, when the file has one."""
    for unit, factor in _UNITS.items():
        if table.has(f"body weight ({unit})"):
            return f"body weight ({unit})", factor
    return None


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a StrongLifts export; its columns carry the unit, so ``unit`` is only checked.

    >>> text = (
    ...     "Date (yyyy/mm/dd),Workout,Workout Name,Exercise,Sets×Reps,Start Time (h:mm),"
    ...     "End Time (h:mm),Notes,Set 1 (Reps),Set 1 (LB),Set 2 (Reps),Set 2 (LB)\\n"
    ...     '2026/08/11,1,"Workout A","Squat",5/4,6:05 PM,6:50 PM,"",5,135,4,135\\n'
    ... )
    >>> first, second = parse(text).sets
    >>> first.workout_start, first.load_kg, (first.reps, second.reps)
    (datetime.datetime(2026, 8, 11, 18, 5), 61.235, (5, 4))
    >>> parse("Date (yyyy/mm/dd),Body Weight (LB),Exercise,Set 1 (Reps),Set 1 (LB)\\n"
    ...       "2026/08/11,181.5,Squat,5,135\\n").body_weights
    [BodyWeight(line=2, day=datetime.date(2026, 8, 11), kg=82.327)]
    """
    check_unit(unit)
    table = open_table(text, format_name="StrongLifts", required=REQUIRED)
    parsed = ParsedFile(format=FORMAT, problems=table.problems)
    columns = _set_columns(table)
    body_weight = _body_weight_column(table)
    weighed: set[date] = set()
    counter = SetCounter()
    for row in table.rows():
        try:
            found = _read(row, columns, counter, parsed)
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
            continue
        parsed.sets.extend(found)
        if body_weight is not None:
            _weigh(row, *body_weight, weighed, parsed)
    return parsed


def _weigh(row: Row, column: str, factor: float, weighed: set[date], parsed: ParsedFile) -> None:
    """The row's body weight, when it is the first of its day: every exercise of a
    workout repeats it. An unreadable or implausible one is reported once a day."""
    day = _day(row)
    if day in weighed or not row[column]:
        return
    weighed.add(day)
    try:
        kg = scaled(row.number(column), factor)
    except CellError as error:
        parsed.problems.append(Problem(row.line, f"{error}: the body weight is not kept"))
        return
    low, high = WEIGHT_RANGE_KG
    if kg is None or not low <= kg <= high:
        parsed.problems.append(
            Problem(
                row.line,
                f"{row.title(column)} {shorten(row[column])!r} is not a body weight "
                f"({low:g} to {high:g} kg): it is not kept",
            )
        )
        return
    parsed.body_weights.append(BodyWeight(row.line, day, kg))


def _day(row: Row) -> date:
    text = row[DATE]
    try:
        return datetime.strptime(text, "%Y/%m/%d").date()
    except ValueError:
        moment = parse_moment(text) if text else None
        if moment is None:
            raise cell_error(row.title(DATE), text, "a date like 2026/08/11") from None
        return moment.date()


def _clock(row: Row, column: str, problems: list[Problem], consequence: str) -> time | None:
    text = row[column]
    if not text:
        return None
    found = parse_clock(text)
    if found is None:
        problems.append(
            Problem(
                row.line,
                f"{row.title(column)} {shorten(text)!r} is not a time like 6:05 PM: {consequence}",
            )
        )
    return found


def _times(row: Row, problems: list[Problem]) -> tuple[datetime, datetime | None]:
    day = _day(row)
    started = _clock(row, START, problems, "the workout is taken to start at 12:00")
    start = datetime.combine(day, started or NOON)
    ended = _clock(row, END, problems, "the workout is imported without its end")
    if ended is not None and started is not None:
        end = datetime.combine(day, ended)
        return start, end if end >= start else end + timedelta(days=1)
    try:
        hours = row.number(DURATION)
    except CellError:
        hours = None
    if hours and 0 < hours < 24:
        return start, start + timedelta(hours=hours)
    return start, None


def _not_done(row: Row) -> set[int]:
    """The sets ``Sets×Reps`` marks ``-`` (not done), numbered from 1."""
    marks = row[SETS_REPS].split("/") if row[SETS_REPS] else []
    return {number for number, mark in enumerate(marks, start=1) if mark.strip() == "-"}


def _read(
    row: Row,
    columns: list[tuple[int, str, str | None, float]],
    counter: SetCounter,
    parsed: ParsedFile,
) -> list[ImportedSet]:
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    problems: list[Problem] = []
    start, end = _times(row, problems)
    not_done = _not_done(row)
    read: list[tuple[int, int, float | None]] = []
    skipped: list[Problem] = []
    for number, reps_column, weight_column, factor in columns:
        reps = row.whole_number(reps_column)
        if reps is None:
            continue  # never a set: the exercise has fewer sets than the widest
        load = row.number(weight_column) if weight_column else None
        if reps == 0 and number in not_done:
            skipped.append(
                Problem(row.line, f"set {number} was not done ('-' in Sets×Reps): not a set")
            )
            continue
        read.append((number, reps, scaled(load, factor) or None))  # 0 is bodyweight
    if not read and not skipped:
        skipped.append(Problem(row.line, "no set of this exercise has reps: nothing to import"))
    parsed.problems.extend(problems)
    parsed.skipped.extend(skipped)
    return [
        ImportedSet(
            line=row.line,
            workout_start=start,
            workout_name=row[WORKOUT_NAME],
            exercise_name=exercise,
            set_index=counter.next(start.isoformat(), exercise),
            load_kg=load_kg,
            reps=reps,
            notes=row[NOTES],
            workout_end=end,
        )
        for _, reps, load_kg in read
    ]

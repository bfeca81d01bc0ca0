"""Liftosaur's history CSV: the only export with target and achieved effort.

``Workout DateTime, Program, Day Name, Exercise, Is Warmup Set?, Required Reps,
Completed Reps, Is AMRAP?, Required RPE, Completed RPE, Log RPE?,
Required Weight Value, Required Weight Unit, Completed Weight Value,
Completed Weight Unit, Ask Weight?, Completed Reps Time, Target Muscles,
Synergist Muscles, Notes`` — with or without a space after each comma.

Mapping:

- a workout is every row with the same ``Workout DateTime``; Liftosaur
  writes it in UTC (``2026-03-01T10:00:00.000Z``), which is kept as naive
  UTC; the workout is named ``Day Name (Program)``;
- ``Completed Reps`` → ``reps``, ``Completed RPE`` → ``rir``,
  ``Completed Weight`` → ``load_kg`` (when the app left it empty, the
  required weight was lifted: older versions only wrote that one);
- ``Required Reps`` → ``target_reps``, ``Required RPE`` → ``target_rir``,
  ``Required Weight`` → ``target_load_kg``;
- both RPEs are read by Strong's RPE table (below RPE 6, "4+", no RIR), and
  the set's notes keep each as logged with the RIR it was read as
  (``RPE 8.5 (1.5 RIR) · target RPE 8 (2 RIR)``);
- ``Is Warmup Set?`` → :attr:`SetType.WARM_UP`;
- ``Completed Reps Time`` → ``logged_at`` (naive UTC);
- a set with no ``Completed Reps`` was planned and never done: it is not a
  set, and is listed in :attr:`ParsedFile.skipped`;
- ``Is AMRAP?`` does not make a set one to failure (programs often ask for
  AMRAP sets stopped a rep or two short): the completed RPE says how close
  it went.
"""

from __future__ import annotations

from failwise.adapters.importers._csv import Row, header_names, open_table
from failwise.adapters.importers._sets import SetCounter
from failwise.adapters.importers._values import (
    CellError,
    cell_error,
    check_unit,
    marked,
    rir_of,
    scaled,
)
from failwise.services.imports import ImportedSet, ParsedFile, Problem
from failwise.services.records import SetType

FORMAT = "liftosaur"

WORKOUT_DATETIME = "workout datetime"
PROGRAM = "program"
DAY_NAME = "day name"
EXERCISE = "exercise"
IS_WARMUP = "is warmup set?"
REQUIRED_REPS = "required reps"
COMPLETED_REPS = "completed reps"
REQUIRED_RPE = "required rpe"
COMPLETED_RPE = "completed rpe"
REQUIRED_WEIGHT = "required weight value"
REQUIRED_WEIGHT_UNIT = "required weight unit"
COMPLETED_WEIGHT = "completed weight value"
COMPLETED_WEIGHT_UNIT = "completed weight unit"
COMPLETED_REPS_TIME = "completed reps time"
NOTES = "notes"

REQUIRED = (WORKOUT_DATETIME, EXERCISE, COMPLETED_REPS)


def detect(line: str) -> str | None:
    """``liftosaur`` when the header ``line`` is Liftosaur's history CSV, else ``None``.

    >>> detect("Workout DateTime, Program, Day Name, Exercise, Is Warmup Set?")
    'liftosaur'
    """
    return FORMAT if {WORKOUT_DATETIME, EXERCISE, IS_WARMUP} <= set(header_names(line)) else None


_DATE_FORMAT = "a date and time like 2026-03-01T10:00:00.000Z"
_TRUE = {"1", "true", "yes"}


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a Liftosaur history export; ``unit`` is used only for a weight without a unit.

    >>> header = (
    ...     "Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,"
    ...     "Completed Reps,Is AMRAP?,Required RPE,Completed RPE,Log RPE?,"
    ...     "Required Weight Value,Required Weight Unit,Completed Weight Value,"
    ...     "Completed Weight Unit,Ask Weight?,Completed Reps Time,Target Muscles,"
    ...     "Synergist Muscles,Notes"
    ... )
    >>> row = (
    ...     '2026-03-01T10:00:00.000Z,GZCLP,Day 1,"Squat, Barbell",0,5,6,0,8,8.5,1,'
    ...     '225,lb,225,lb,0,2026-03-01T10:05:00.000Z,"Quadriceps, Glutes",,'
    ... )
    >>> (found,) = parse(header + "\\n" + row).sets
    >>> found.reps, found.rir, found.target_reps, found.target_rir, found.load_kg
    (6, 1.5, 5, 2.0, 102.058)
    """
    display_kg = check_unit(unit)
    table = open_table(text, format_name="Liftosaur", required=REQUIRED)
    parsed = ParsedFile(format=FORMAT, problems=table.problems)
    counter = SetCounter()
    for row in table.rows():
        if not row[COMPLETED_REPS]:
            parsed.skipped.append(Problem(row.line, "a planned set that was never done"))
            continue
        index = counter.next(row[WORKOUT_DATETIME], row[EXERCISE])
        try:
            parsed.sets.append(_read(row, index, display_kg, parsed.problems))
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
    return parsed


def _weight_kg(row: Row, value: str, unit: str, display_kg: float) -> float | None:
    load = row.number(value)
    if load is None:
        return None
    return scaled(load, row.weight_factor(unit) if row[unit] else display_kg)


def _workout_name(row: Row) -> str:
    day, program = row[DAY_NAME], row[PROGRAM]
    if day and program:
        return f"{day} ({program})"
    return day or program


def _read(row: Row, index: int, display_kg: float, problems: list[Problem]) -> ImportedSet:
    start = row.moment(WORKOUT_DATETIME, _DATE_FORMAT)
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    reps = row.whole_number(COMPLETED_REPS)
    target_reps = row.whole_number(REQUIRED_REPS)
    target_load_kg = _weight_kg(row, REQUIRED_WEIGHT, REQUIRED_WEIGHT_UNIT, display_kg)
    if row[COMPLETED_WEIGHT]:
        load_kg = _weight_kg(row, COMPLETED_WEIGHT, COMPLETED_WEIGHT_UNIT, display_kg)
    else:
        load_kg = target_load_kg
    warm_up = row[IS_WARMUP].casefold() in _TRUE
    done = row.effort(COMPLETED_RPE, problems)
    required = row.effort(REQUIRED_RPE, problems, target=True)
    return ImportedSet(
        line=row.line,
        workout_start=start,
        workout_name=_workout_name(row),
        exercise_name=exercise,
        set_index=index,
        load_kg=load_kg,
        reps=reps,
        rir=rir_of(done),
        set_type=SetType.WARM_UP if warm_up else SetType.WORKING,
        target_reps=target_reps,
        target_rir=rir_of(required),
        target_load_kg=target_load_kg,
        notes=marked(row[NOTES], done, required),
        logged_at=row.soft_moment(
            COMPLETED_REPS_TIME, problems, "the set is imported without its time"
        ),
    )

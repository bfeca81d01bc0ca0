"""Fitbod's CSV export (Settings → Export workout data).

``Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier``
— one row per set. Weights are in kg whatever unit the lifter displays
(a ``Weight(lbs)`` column, should one appear, is read in pounds). ``Date``
reads like ``2024-02-01 06:00:00 +0000``: the offset is converted to naive
UTC, like every importer's.

Fitbod writes no workout: every set of a day (the day as the file writes it,
before the offset) belongs to one workout, which starts at the earliest
moment of that day's rows, and each set keeps its own moment as when it was
logged. Sets are numbered from 0 in file order per exercise per day.
``isWarmup`` ``true`` (or ``1``) is a warm-up set; any value but those, ``false``, ``0``
(or empty) is reported and the set imported as a working set. A weight of 0
is a bodyweight set (``load_kg=None``). A row with a duration or a distance
and no reps is cardio or a timed hold; a row with no reps, no time and no
distance is an empty set, skipped with its reason. ``Incline`` and
``Resistance`` (cardio machines) are not read; ``multiplier`` (2 for a pair of
dumbbells) is not either, as the load of a dumbbell set is the weight of one
dumbbell, as the app shows it. There is no RPE, so no set carries RIR.
"""

from __future__ import annotations

from datetime import date, datetime

from failwise.adapters.importers._csv import Row, Table, header_names, open_table
from failwise.adapters.importers._sets import SetCounter, timed_row
from failwise.adapters.importers._values import (
    CellError,
    cell_error,
    check_unit,
    positive,
    scaled,
    shorten,
)
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import ImportedSet, ParsedFile, Problem
from failwise.services.records import SetType

FORMAT = "fitbod"

DATE = "date"
EXERCISE = "exercise"
REPS = "reps"
DURATION = "duration(s)"
DISTANCE = "distance(m)"
WARMUP = "iswarmup"
NOTE = "note"
MULTIPLIER = "multiplier"

REQUIRED = (DATE, EXERCISE, REPS)

# Weight columns whose name carries the unit, in kg per unit; kg first when both exist.
_WEIGHT_COLUMNS = {"weight(kg)": 1.0, "weight(lbs)": KG_PER_LB, "weight(lb)": KG_PER_LB}
_WARMUP = {"": False, "false": False, "0": False, "true": True, "1": True}
_DATE_FORMAT = "a date and time like 2024-02-01 06:00:00 +0000"


def detect(line: str) -> str | None:
    """``fitbod`` when the header ``line`` is Fitbod's, else ``None``.

    >>> detect("Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,"
    ...        "isWarmup,Note,multiplier")
    'fitbod'
    """
    names = set(header_names(line))
    return FORMAT if {DATE, EXERCISE, REPS, WARMUP} <= names else None


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a Fitbod export; its weights are in kg, so ``unit`` is only checked.

    >>> text = (
    ...     "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,"
    ...     "isWarmup,Note,multiplier\\n"
    ...     "2024-02-01 06:00:00 +0000,Deadlift,8,60,0,0,0,0,true,,1\\n"
    ...     "2024-02-01 06:03:10 +0000,Deadlift,5,140,0,0,0,0,false,,1\\n"
    ... )
    >>> warmup, work = parse(text).sets
    >>> warmup.set_type.value, work.load_kg, work.workout_start, work.logged_at
    ('warm-up', 140.0, datetime.datetime(2024, 2, 1, 6, 0), datetime.datetime(2024, 2, 1, 6, 3, 10))
    """
    check_unit(unit)
    table = open_table(text, format_name="Fitbod", required=REQUIRED)
    parsed = ParsedFile(format=FORMAT, problems=table.problems)
    moments: list[tuple[Row, date, datetime]] = []
    for row in table.rows():
        try:
            moment = row.moment(DATE, _DATE_FORMAT)
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
            continue
        moments.append((row, _day(row[DATE], moment), moment))
    starts: dict[date, datetime] = {}
    for _, day, moment in moments:
        starts[day] = min(moment, starts.get(day, moment))
    counter = SetCounter()
    for row, day, moment in moments:
        try:
            found = _read(row, table, starts[day], moment, parsed.problems)
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
            continue
        if found is None:
            parsed.skipped.append(
                Problem(row.line, "an empty set (no reps, time or distance): nothing to import")
            )
            continue
        found.set_index = counter.next(day.isoformat(), found.exercise_name)
        parsed.sets.append(found)
    parsed.problems.sort(key=lambda problem: problem.line)  # the dates were read first
    return parsed


def _day(text: str, moment: datetime) -> date:
    """The day as the file writes it (before its offset), else the moment's day."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return moment.date()


def _load_kg(row: Row, table: Table) -> float | None:
    column = table.first_of(*_WEIGHT_COLUMNS)
    if column is None:
        return None
    return scaled(row.number(column), _WEIGHT_COLUMNS[column]) or None  # 0 is bodyweight


def _set_type(row: Row, problems: list[Problem]) -> SetType:
    warmup = _WARMUP.get(row[WARMUP].casefold())
    if warmup is None:
        problems.append(
            Problem(
                row.line,
                f"{row.title(WARMUP)} {shorten(row[WARMUP])!r} is not true or false: "
                "the set is imported as a working set",
            )
        )
        return SetType.WORKING
    return SetType.WARM_UP if warmup else SetType.WORKING


def _read(
    row: Row, table: Table, start: datetime, moment: datetime, problems: list[Problem]
) -> ImportedSet | None:
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    load_kg = _load_kg(row, table)
    reps = row.whole_number(REPS)
    distance_m = positive(row.amount(DISTANCE))
    seconds = positive(row.amount(DURATION))
    if reps is None and distance_m is None and seconds is None:
        return None
    load_kg, reps = timed_row(load_kg, reps, distance_m, seconds)
    return ImportedSet(
        line=row.line,
        workout_start=start,
        workout_name="",
        exercise_name=exercise,
        set_index=0,
        load_kg=load_kg,
        reps=reps,
        set_type=_set_type(row, problems),
        distance_m=distance_m,
        seconds=seconds,
        notes=row[NOTE],
        logged_at=moment,
    )

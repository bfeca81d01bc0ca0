"""FitNotes' CSV export.

Two header shapes:

- old: ``Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time``
  (the unit is in the column name; ``Weight (kgs)`` is read the same way);
- new: ``Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time``
  with ``kgs`` or ``lbs`` on every row (a row with a weight and no unit is
  in the caller's ``unit``, kg when not given).

A trailing ``Comment`` (or ``Notes``) column, which FitNotes adds in some
versions, becomes the set's notes.

FitNotes records the day of a workout, not its time: every set of a day
belongs to one workout that starts at 12:00 on that day (noon keeps the
day the same in any time zone within 12 hours of the lifter's), named after
the day's categories in the order they first appear (``Chest / Triceps``).
There is no set number: sets are numbered from 0 in file order per exercise
per day. There is no RPE, so no set carries RIR. Cardio rows carry a
distance (``Distance Unit`` ``m``, ``km``, ``mi``, …) or a ``Time``
(``H:MM:SS`` or ``MM:SS``) and no weight: they keep their distance and
seconds and carry no reps.
"""

from __future__ import annotations

from datetime import date, datetime

from failwise.adapters.importers._csv import Row, Table, header_names, open_table
from failwise.adapters.importers._dates import NOON, parse_clock_duration, parse_moment
from failwise.adapters.importers._sets import SetCounter, timed_row
from failwise.adapters.importers._values import (
    METRES_PER_MILE,
    CellError,
    cell_error,
    check_unit,
    positive,
    scaled,
)
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import ImportedSet, ParsedFile, Problem

FORMAT = "fitnotes"

DATE = "date"
EXERCISE = "exercise"
CATEGORY = "category"
WEIGHT = "weight"
WEIGHT_UNIT = "weight unit"
REPS = "reps"
DISTANCE = "distance"
DISTANCE_UNIT = "distance unit"
TIME = "time"
COMMENT = "comment"
NOTES = "notes"

REQUIRED = (DATE, EXERCISE, REPS)


def detect(line: str) -> str | None:
    """``fitnotes`` when the header ``line`` is FitNotes', else ``None``.

    >>> detect("Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time")
    'fitnotes'
    """
    return FORMAT if {DATE, EXERCISE, CATEGORY} <= set(header_names(line)) else None


# Weight columns whose name carries the unit, in kg per unit; kg first when both exist.
_WEIGHT_COLUMNS = {
    "weight (kgs)": 1.0,
    "weight (kg)": 1.0,
    "weight (lbs)": KG_PER_LB,
    "weight (lb)": KG_PER_LB,
}


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a FitNotes export, old or new header.

    >>> text = (
    ...     "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\\n"
    ...     "2024-03-15,Flat Barbell Bench Press,Chest,100.0,kgs,5,,,\\n"
    ...     "2024-03-15,Treadmill,Cardio,,,,1.53,mi,0:32:06\\n"
    ... )
    >>> bench, run = parse(text).sets
    >>> bench.workout_start, bench.workout_name, bench.load_kg, bench.reps
    (datetime.datetime(2024, 3, 15, 12, 0), 'Chest / Cardio', 100.0, 5)
    >>> run.load_kg, run.reps, run.distance_m, run.seconds
    (None, None, 2462.296, 1926.0)
    """
    display_kg = check_unit(unit)
    table = open_table(text, format_name="FitNotes", required=REQUIRED)
    parsed = ParsedFile(format=FORMAT, problems=table.problems)
    rows = list(table.rows())
    names = _workout_names(rows)
    counter = SetCounter()
    for row in rows:
        index = counter.next(row[DATE], row[EXERCISE])
        try:
            parsed.sets.append(_read(row, table, index, names[row[DATE]], display_kg))
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
    parsed.problems.sort(key=lambda problem: problem.line)  # the rows were read ahead
    return parsed


def _workout_names(rows: list[Row]) -> dict[str, str]:
    """Each day's workout name: its categories in the order they first appear."""
    categories: dict[str, dict[str, None]] = {}
    for row in rows:
        day = categories.setdefault(row[DATE], {})
        if row[CATEGORY]:
            day.setdefault(row[CATEGORY])
    return {day: " / ".join(names) for day, names in categories.items()}


def _day(row: Row) -> date:
    text = row[DATE]
    try:
        return date.fromisoformat(text)
    except ValueError:
        moment = parse_moment(text) if text else None
        if moment is None:
            raise cell_error(row.title(DATE), text, "a date like 2024-03-15") from None
        return moment.date()


def _load_kg(row: Row, table: Table, display_kg: float) -> float | None:
    named = table.first_of(*_WEIGHT_COLUMNS)
    if named is not None:
        return scaled(row.number(named), _WEIGHT_COLUMNS[named])
    load = row.number(WEIGHT)
    if load is None:
        return None
    return scaled(load, row.weight_factor(WEIGHT_UNIT) if row[WEIGHT_UNIT] else display_kg)


def _distance_m(row: Row, display_kg: float) -> float | None:
    distance = positive(row.amount(DISTANCE))
    if distance is None:
        return None
    if row[DISTANCE_UNIT]:
        return scaled(distance, row.distance_factor(DISTANCE_UNIT))
    return scaled(distance, 1000.0 if display_kg == 1.0 else METRES_PER_MILE)


def _seconds(row: Row) -> float | None:
    text = row[TIME]
    if not text:
        return None
    seconds = parse_clock_duration(text)
    if seconds is None:
        raise cell_error(row.title(TIME), text, "a time like 0:32:06")
    return positive(seconds)


def _read(row: Row, table: Table, index: int, name: str, display_kg: float) -> ImportedSet:
    start = datetime.combine(_day(row), NOON)
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    load_kg = _load_kg(row, table, display_kg)
    reps = row.whole_number(REPS)
    distance_m = _distance_m(row, display_kg)
    seconds = _seconds(row)
    load_kg, reps = timed_row(load_kg, reps, distance_m, seconds)
    return ImportedSet(
        line=row.line,
        workout_start=start,
        workout_name=name,
        exercise_name=exercise,
        set_index=index,
        load_kg=load_kg,
        reps=reps,
        distance_m=distance_m,
        seconds=seconds,
        notes=row[COMMENT] or row[NOTES],
    )

"""Hevy's CSV export.

``"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"``
— or ``weight_lbs`` and ``distance_miles`` for a lifter in pounds. Dates
read like ``6 Apr 2026, 17:18`` (also ``Apr 6, 2026, 5:18 PM``,
``06.04.2026, 17:18`` and ISO 8601). ``set_type`` is ``normal``,
``warmup`` (:attr:`SetType.WARM_UP`), ``dropset`` (:attr:`SetType.DROP`) or
``failure`` (a working set with ``to_failure=True``); any other value is
reported and the set imported as a working set. ``set_index`` counts from 0
within an exercise; the set index used here is the position in the file
within the workout and exercise, which is the same number unless an
exercise appears twice in one workout (then Hevy's restarts, this one does
not). A row with no weight is bodyweight (``load_kg=None``); a row with a
distance or duration and no reps is cardio or a timed hold. ``rpe`` becomes
the set's RIR by Strong's RPE table, and the notes keep it as logged
(``RPE 8.5 (1.5 RIR)``, after the exercise's notes).
"""

from __future__ import annotations

from failwise.adapters.importers._csv import Row, Table, header_names, open_table
from failwise.adapters.importers._sets import SetCounter, timed_row
from failwise.adapters.importers._values import (
    METRES_PER_MILE,
    CellError,
    cell_error,
    check_unit,
    marked,
    positive,
    rir_of,
    scaled,
    shorten,
)
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import ImportedSet, ParsedFile, Problem
from failwise.services.records import SetType

FORMAT = "hevy"

TITLE = "title"
START = "start_time"
END = "end_time"
DESCRIPTION = "description"
EXERCISE = "exercise_title"
EXERCISE_NOTES = "exercise_notes"
SET_TYPE = "set_type"
WEIGHT_KG = "weight_kg"
WEIGHT_LBS = "weight_lbs"
REPS = "reps"
DISTANCE_KM = "distance_km"
DISTANCE_MILES = "distance_miles"
DISTANCE_METERS = "distance_meters"
DURATION = "duration_seconds"
RPE = "rpe"

REQUIRED = (START, EXERCISE, REPS)


def detect(line: str) -> str | None:
    """``hevy`` when the header ``line`` is Hevy's, else ``None``.

    >>> detect('"title","start_time","end_time","description","exercise_title"')
    'hevy'
    """
    return FORMAT if {TITLE, START, EXERCISE} <= set(header_names(line)) else None


_DISTANCES = ((DISTANCE_KM, 1000.0), (DISTANCE_MILES, METRES_PER_MILE), (DISTANCE_METERS, 1.0))
_SET_TYPES = {
    "": (SetType.WORKING, False),
    "normal": (SetType.WORKING, False),
    "warmup": (SetType.WARM_UP, False),
    "dropset": (SetType.DROP, False),
    "failure": (SetType.WORKING, True),
}
_DATE_FORMAT = "a date and time like 6 Apr 2026, 17:18"


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a Hevy export; its columns carry the unit, so ``unit`` is only checked.

    >>> header = ('"title","start_time","end_time","description","exercise_title",'
    ...           '"superset_id","exercise_notes","set_index","set_type","weight_kg",'
    ...           '"reps","distance_km","duration_seconds","rpe"')
    >>> row = ('"Push","6 Apr 2026, 17:18","6 Apr 2026, 18:20","","Bench Press (Barbell)",'
    ...        ',"",0,"failure",100,6,,,"9,5"')
    >>> (found,) = parse(header + "\\n" + row).sets
    >>> found.workout_start, found.rir, found.to_failure
    (datetime.datetime(2026, 4, 6, 17, 18), 0.5, True)
    """
    check_unit(unit)
    table = open_table(text, format_name="Hevy", required=REQUIRED)
    parsed = ParsedFile(format=FORMAT, problems=table.problems)
    counter = SetCounter()
    for row in table.rows():
        index = counter.next(row[START], row[EXERCISE])
        try:
            parsed.sets.append(_read(row, table, index, parsed.problems))
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
    return parsed


def _load_kg(row: Row) -> float | None:
    if row[WEIGHT_KG]:
        return scaled(row.number(WEIGHT_KG), 1.0)
    return scaled(row.number(WEIGHT_LBS), KG_PER_LB)


def _distance_m(row: Row, table: Table) -> float | None:
    for column, metres_per_unit in _DISTANCES:
        if table.has(column) and row[column]:
            return scaled(positive(row.amount(column)), metres_per_unit)
    return None


def _set_type(row: Row, problems: list[Problem]) -> tuple[SetType, bool]:
    found = _SET_TYPES.get(row[SET_TYPE].casefold())
    if found is None:
        problems.append(
            Problem(
                row.line,
                f"{row.title(SET_TYPE)} {shorten(row[SET_TYPE])!r} is not normal, warmup, "
                "dropset or failure: the set is imported as a working set",
            )
        )
        return SetType.WORKING, False
    return found


def _read(row: Row, table: Table, index: int, problems: list[Problem]) -> ImportedSet:
    start = row.moment(START, _DATE_FORMAT)
    exercise = row[EXERCISE]
    if not exercise:
        raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
    load_kg = _load_kg(row)
    reps = row.whole_number(REPS)
    distance_m = _distance_m(row, table)
    seconds = positive(row.amount(DURATION))
    load_kg, reps = timed_row(load_kg, reps, distance_m, seconds)
    set_type, to_failure = _set_type(row, problems)
    effort = row.effort(RPE, problems)
    return ImportedSet(
        line=row.line,
        workout_start=start,
        workout_name=row[TITLE],
        exercise_name=exercise,
        set_index=index,
        load_kg=load_kg,
        reps=reps,
        rir=rir_of(effort),
        set_type=set_type,
        to_failure=to_failure,
        distance_m=distance_m,
        seconds=seconds,
        notes=marked(row[EXERCISE_NOTES], effort),
        workout_notes=row[DESCRIPTION],
        workout_end=row.soft_moment(END, problems, "the set is imported without the workout's end"),
    )

"""Strong's CSV exports, all three generations.

- ``strong`` (2020–2024), comma-separated: ``Date,Workout Name,Duration,
  Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE``
  (a variant drops the two Notes columns). There is no unit column: the
  weights are in the lifter's display unit, which the caller passes as
  ``unit`` (kg when not given); distances are then in km for kg and in
  miles for lb. ``Duration`` reads like ``1h 38m`` or ``45m``.
- ``strong-semicolon`` (newest), semicolon-separated, every field quoted:
  ``"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";…``
  The unit is in the column name (``Weight (kg)`` at full precision, or
  ``Weight (lbs)``; ``Distance (meters)``). Its ``Rest Timer`` rows are not
  sets: they are listed in :attr:`ParsedFile.skipped`.
- ``strong-2019``, semicolon-separated, with a ``Weight Unit`` and a
  ``Distance Unit`` on every row.

``Set Order`` is a number for a working set, ``W`` for a warm-up
(:attr:`SetType.WARM_UP`), ``D`` for a drop set (:attr:`SetType.DROP`) and
``F`` for a working set taken to failure (``to_failure=True``). An ``F`` row
with 0 reps is kept as a failed attempt of 0 reps: the import service
decides what to do with it. The kind of failure is not recorded by Strong
and stays ``None``. ``RPE`` becomes the set's RIR by Strong's own RPE table
(none below RPE 6, "4+"), and the notes keep it as logged
(``RPE 8.5 (1.5 RIR)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from failwise.adapters.importers._csv import Row, Table, header_names, open_table
from failwise.adapters.importers._dates import later, parse_duration
from failwise.adapters.importers._sets import SetCounter, timed_row
from failwise.adapters.importers._values import (
    METRES_PER_MILE,
    CellError,
    Effort,
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

FORMAT = "strong"
FORMAT_SEMICOLON = "strong-semicolon"
FORMAT_2019 = "strong-2019"

DATE = "date"
WORKOUT = "workout name"
DURATION = "duration"
DURATION_SECONDS = "duration (sec)"
EXERCISE = "exercise name"
SET_ORDER = "set order"
WEIGHT = "weight"
WEIGHT_KG = "weight (kg)"
WEIGHT_LBS = "weight (lbs)"
WEIGHT_UNIT = "weight unit"
REPS = "reps"
RPE = "rpe"
DISTANCE = "distance"
DISTANCE_UNIT = "distance unit"
SECONDS = "seconds"
NOTES = "notes"
WORKOUT_NOTES = "workout notes"

REQUIRED = (DATE, EXERCISE, SET_ORDER, REPS)

# Distance columns whose name carries the unit, in metres per unit.
_DISTANCE_COLUMNS = {
    "distance (meters)": 1.0,
    "distance (m)": 1.0,
    "distance (km)": 1000.0,
    "distance (miles)": METRES_PER_MILE,
    "distance (mi)": METRES_PER_MILE,
}

_SET_TYPES = {"W": SetType.WARM_UP, "D": SetType.DROP, "F": SetType.WORKING}
_DATE_FORMAT = "a date and time like 2023-05-01 18:04:12"


def detect(line: str) -> str | None:
    """Which of Strong's formats the header ``line`` is, or ``None`` when it is none of them.

    >>> detect('"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order"')
    'strong-semicolon'
    >>> detect("Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps")
    'strong-2019'
    >>> detect("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps")
    'strong'
    """
    names = set(header_names(line))
    if not {DATE, EXERCISE, SET_ORDER} <= names:
        return None
    if names & {"workout #", DURATION_SECONDS, WEIGHT_KG, WEIGHT_LBS}:
        return FORMAT_SEMICOLON
    if WEIGHT_UNIT in names:
        return FORMAT_2019
    return FORMAT


def parse(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read a comma-separated Strong export (2020–2024); ``unit`` is the lifter's display unit.

    >>> text = (
    ...     "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,"
    ...     "Distance,Seconds,Notes,Workout Notes,RPE\\n"
    ...     '2023-05-01 18:04:12,"Push, heavy",1h 2m,Bench Press (Barbell),F,225,0,0,0,,,\\n'
    ... )
    >>> (found,) = parse(text, unit="lb").sets
    >>> found.load_kg, found.reps, found.to_failure
    (102.058, 0, True)
    """
    return _parse(text, FORMAT, unit)


def parse_semicolon(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read the newest Strong export (semicolons, ``Weight (kg)``, ``Duration (sec)``)."""
    return _parse(text, FORMAT_SEMICOLON, unit)


def parse_2019(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read the 2019 Strong export (semicolons, a ``Weight Unit`` on every row)."""
    return _parse(text, FORMAT_2019, unit)


def _parse(text: str, format_name: str, unit: str | None) -> ParsedFile:
    display_kg = check_unit(unit)
    table = open_table(text, format_name="Strong", required=REQUIRED)
    parsed = ParsedFile(format=format_name, problems=table.problems)
    counter = SetCounter()
    reader = _Reader(table, display_kg, parsed.problems)
    for row in table.rows():
        if row[SET_ORDER].casefold() == "rest timer":
            parsed.skipped.append(Problem(row.line, "a rest timer, not a set"))
            continue
        index = counter.next(row[DATE], row[EXERCISE])
        try:
            parsed.sets.append(reader.read(row, index))
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
    return parsed


_Cells = tuple[str, ...]


@dataclass(slots=True)
class _Reader:
    """Reads a table's rows into sets, each distinct cell once.

    A workout's date and duration come with every one of its sets, and weights, reps
    and RPEs are a few hundred distinct values in a history of 200,000 sets: each is
    read once, and its value remembered. A cell that cannot be read is not remembered,
    so every row that holds it is reported with its own line; nor is a value whose
    reading reported a problem (an RPE off the scale, an unreadable duration).
    """

    table: Table
    display_kg: float
    problems: list[Problem]
    starts: dict[str, datetime] = field(default_factory=dict)
    ends: dict[tuple[datetime, str, str], datetime | None] = field(default_factory=dict)
    orders: dict[str, tuple[SetType, bool]] = field(default_factory=dict)
    loads: dict[_Cells, float | None] = field(default_factory=dict)
    reps: dict[str, int | None] = field(default_factory=dict)
    distances: dict[_Cells, float | None] = field(default_factory=dict)
    seconds: dict[str, float | None] = field(default_factory=dict)
    efforts: dict[str, Effort | None] = field(default_factory=dict)
    weight: str = WEIGHT
    distance: str = DISTANCE

    def __post_init__(self) -> None:
        self.weight = _weight_column(self.table)
        self.distance = self.table.first_of(*_DISTANCE_COLUMNS) or DISTANCE

    def read(self, row: Row, index: int) -> ImportedSet:
        cell = row.cells.get
        start = self.starts.get(cell(DATE, ""))
        if start is None:
            start = self._start(row)
        exercise = cell(EXERCISE, "")
        if not exercise:
            raise cell_error(row.title(EXERCISE), exercise, "an exercise name")
        set_type, to_failure = self.orders.get(cell(SET_ORDER, "")) or self._set_type(row)
        load_kg = self._load(row)
        distance_m = self._distance(row)
        seconds = self._seconds(row)
        load_kg, reps = timed_row(load_kg, self._reps(row), distance_m, seconds)
        effort = self._effort(row)
        return ImportedSet(
            line=row.line,
            workout_start=start,
            workout_name=cell(WORKOUT, ""),
            exercise_name=exercise,
            set_index=index,
            load_kg=load_kg,
            reps=reps,
            rir=rir_of(effort),
            set_type=set_type,
            to_failure=to_failure,
            distance_m=distance_m,
            seconds=seconds,
            notes=marked(cell(NOTES, ""), effort),
            workout_notes=cell(WORKOUT_NOTES, ""),
            workout_end=self._end(row, start),
        )

    def _start(self, row: Row) -> datetime:
        start = self.starts[row[DATE]] = row.moment(DATE, _DATE_FORMAT)
        return start

    def _end(self, row: Row, start: datetime) -> datetime | None:
        cell = row.cells.get
        key = (start, cell(DURATION_SECONDS, ""), cell(DURATION, ""))
        if key in self.ends:
            return self.ends[key]
        reported = len(self.problems)
        end = later(start, _duration(row, self.problems))
        if len(self.problems) == reported:
            self.ends[key] = end
        return end

    def _set_type(self, row: Row) -> tuple[SetType, bool]:
        kind = self.orders[row[SET_ORDER]] = _set_type(row)
        return kind

    def _load(self, row: Row) -> float | None:
        cell = row.cells.get
        key = (cell(self.weight, ""), cell(WEIGHT_UNIT, ""))
        if key in self.loads:
            return self.loads[key]
        load = row.number(self.weight)
        kg = None if load is None else scaled(load, _kg_per_unit(row, self.table, self.display_kg))
        self.loads[key] = kg
        return kg

    def _reps(self, row: Row) -> int | None:
        text = row.cells.get(REPS, "")
        if text in self.reps:
            return self.reps[text]
        reps = self.reps[text] = row.whole_number(REPS)
        return reps

    def _distance(self, row: Row) -> float | None:
        cell = row.cells.get
        key = (cell(self.distance, ""), cell(DISTANCE_UNIT, ""))
        if key in self.distances:
            return self.distances[key]
        metres = self.distances[key] = _distance_m(row, self.table, self.display_kg)
        return metres

    def _seconds(self, row: Row) -> float | None:
        text = row.cells.get(SECONDS, "")
        if text in self.seconds:
            return self.seconds[text]
        seconds = self.seconds[text] = positive(row.amount(SECONDS))
        return seconds

    def _effort(self, row: Row) -> Effort | None:
        text = row.cells.get(RPE, "")
        if text in self.efforts:
            return self.efforts[text]
        reported = len(self.problems)
        effort = row.effort(RPE, self.problems)
        if len(self.problems) == reported:
            self.efforts[text] = effort
        return effort


def _kg_per_unit(row: Row, table: Table, display_kg: float) -> float:
    if table.has(WEIGHT_KG):
        return 1.0
    if table.has(WEIGHT_LBS):
        return KG_PER_LB
    if row[WEIGHT_UNIT]:
        return row.weight_factor(WEIGHT_UNIT)
    return display_kg


def _weight_column(table: Table) -> str:
    return table.first_of(WEIGHT_KG, WEIGHT_LBS, WEIGHT) or WEIGHT


def _distance_m(row: Row, table: Table, display_kg: float) -> float | None:
    named = table.first_of(*_DISTANCE_COLUMNS)
    distance = positive(row.amount(named or DISTANCE))
    if distance is None:
        return None
    if named is not None:
        return scaled(distance, _DISTANCE_COLUMNS[named])
    if row[DISTANCE_UNIT]:
        return scaled(distance, row.distance_factor(DISTANCE_UNIT))
    # No unit anywhere: Strong writes distances in the lifter's unit system,
    # km alongside kg and miles alongside lb.
    return scaled(distance, 1000.0 if display_kg == 1.0 else METRES_PER_MILE)


def _set_type(row: Row) -> tuple[SetType, bool]:
    order = row[SET_ORDER].upper()
    if order in _SET_TYPES:
        return _SET_TYPES[order], order == "F"
    try:
        number = row.whole_number(SET_ORDER)
    except CellError:
        number = None
    if number is None:
        raise cell_error(row.title(SET_ORDER), row[SET_ORDER], "a set number, W, D or F")
    return SetType.WORKING, False


def _duration(row: Row, problems: list[Problem]) -> float | None:
    """The workout's length in seconds; an unreadable one is reported, and the set kept."""
    if row[DURATION_SECONDS]:
        column = DURATION_SECONDS
        try:
            return row.amount(column)
        except CellError:
            pass
    elif row[DURATION]:
        column = DURATION
        seconds = parse_duration(row[DURATION])
        if seconds is not None:
            return seconds
    else:
        return None
    problems.append(
        Problem(
            row.line,
            f"{row.title(column)} {shorten(row[column])!r} is not a duration: "
            "the set is imported without the workout's end",
        )
    )
    return None

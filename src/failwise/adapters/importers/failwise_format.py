"""failwise's own exports read back: the CSV (``failwise-csv``) and the JSON (``failwise-json``).

Together with :mod:`failwise.adapters.exporters` they make a lossless round
trip: every field of a set, its workout, and (JSON) the lifter's custom
exercises with their attributes. The CSV's text cells are read exactly as
written, and their spreadsheet escapes undone
(:func:`failwise.adapters.spreadsheet.unescaped`): a note comes back byte for
byte, line breaks and leading blanks included.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from failwise.adapters.importers._csv import Row, header_names, open_table
from failwise.adapters.importers._values import CellError
from failwise.adapters.spreadsheet import unescaped
from failwise.domain.effort import FailureKind
from failwise.domain.errors import CatalogError, InvalidInput
from failwise.domain.exercises import exercise_from_record
from failwise.services.imports import ImportedSet, ParsedFile, Problem
from failwise.services.records import SetType, naive_utc

FORMAT_CSV = "failwise-csv"
FORMAT_JSON = "failwise-json"
REQUIRED = ("workout_start", "exercise", "set_type", "load_kg", "reps")
MAX_NAME = 120  # a custom exercise's id and name, as stored
# Free text, kept as written (every other cell is trimmed: a number, a date, a name).
TEXT_COLUMNS = frozenset({"workout_name", "workout_notes", "notes"})

T = TypeVar("T")


def detect(line: str) -> str | None:
    """Which of failwise's own exports the first line is, or ``None`` when neither.

    >>> detect('{"format": "failwise", "version": 1,')
    'failwise-json'
    >>> detect("workout_start,workout_end,workout_name,exercise,set_type,load_kg,reps")
    'failwise-csv'
    """
    if line.lstrip().startswith("{"):
        return FORMAT_JSON
    if {"workout_start", "exercise", "set_type", "load_kg"} <= set(header_names(line)):
        return FORMAT_CSV
    return None


def _optional(value: Any, convert: Callable[[Any], T], field: str) -> T | None:
    if value is None or value == "":
        return None
    try:
        return convert(value)
    except (TypeError, ValueError, OverflowError):
        raise CellError(f"{field} {str(value)[:40]!r} is not valid") from None


def _finite(value: Any) -> float:
    """A number (``1e999`` is not one: it would be stored as infinity)."""
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _moment(value: Any, field: str) -> datetime:
    found = _optional(value, _moment_any, field)
    if found is None:
        raise CellError(f"{field} is empty: the row is skipped")
    return found


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def _whole(value: Any) -> int:
    number = _finite(value)
    if not number.is_integer():
        raise ValueError(value)
    return int(number)


def _set(
    line: int,
    item: Mapping[str, Any],
    workout: Mapping[str, Any],
    index: int,
    *,
    spreadsheet: bool,
) -> ImportedSet:
    def text(name: str, source: Mapping[str, Any] = item) -> str:
        value = str(source.get(name) or "")
        # Only the CSV was escaped for spreadsheets; JSON text is as written.
        return unescaped(value) if spreadsheet else value

    try:
        set_type = SetType(text("set_type") or "working")
    except ValueError:
        raise CellError(f"set_type {text('set_type')!r} is not a failwise set type") from None
    failure = text("failure_kind")
    try:
        kind = FailureKind(failure) if failure else None
    except ValueError:
        raise CellError(
            f"failure_kind {failure!r} is not technical, muscular or absolute"
        ) from None
    return ImportedSet(
        line=line,
        workout_start=_moment(workout.get("workout_start"), "workout_start"),
        workout_end=_optional(workout.get("workout_end"), _moment_any, "workout_end"),
        workout_name=text("workout_name", workout),
        workout_notes=text("workout_notes", workout),
        workout_phase=text("workout_phase", workout) or "normal",
        exercise_name=text("exercise") or text("exercise_id"),
        set_index=index,
        load_kg=_optional(item.get("load_kg"), _finite, "load_kg"),
        reps=_optional(item.get("reps"), _whole, "reps"),
        rir=_optional(item.get("rir"), _finite, "rir"),
        set_type=set_type,
        to_failure=_flag(item.get("to_failure")),
        failure_kind=kind,
        target_load_kg=_optional(item.get("target_load_kg"), _finite, "target_load_kg"),
        target_reps=_optional(item.get("target_reps"), _whole, "target_reps"),
        target_rir=_optional(item.get("target_rir_low"), _finite, "target_rir_low"),
        target_rir_high=_optional(item.get("target_rir_high"), _finite, "target_rir_high"),
        test_reps_at_call=_optional(item.get("test_reps_at_call"), _whole, "test_reps_at_call"),
        test_predicted_rir=_optional(item.get("test_predicted_rir"), _finite, "test_predicted_rir"),
        rest_seconds=_optional(item.get("rest_seconds"), _whole, "rest_seconds"),
        notes=text("notes"),
        logged_at=_optional(item.get("logged_at"), _moment_any, "logged_at"),
        key=text("key") or None,
        rir_inferred=_optional(item.get("rir_inferred"), _finite, "rir_inferred"),
        source=text("source") or None,
    )


def _moment_any(value: Any) -> datetime:
    """A moment as stored, naive UTC: an offset is converted (``10:00+02:00`` is 08:00),
    as every other importer converts it, not dropped."""
    return naive_utc(datetime.fromisoformat(str(value)))


def parse_csv(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read failwise's CSV export (loads are in kg whatever ``unit`` says)."""
    table = open_table(text, format_name="failwise CSV", required=REQUIRED, keep_text=True)
    parsed = ParsedFile(format=FORMAT_CSV, problems=table.problems)
    counters: dict[tuple[str, str], int] = {}
    for row in table.rows():
        cells = _cells(row)
        key = (cells.get("workout_start", ""), cells.get("exercise", ""))
        index = counters.get(key, 0)
        counters[key] = index + 1
        try:
            parsed.sets.append(_set(row.line, cells, cells, index, spreadsheet=True))
        except CellError as error:
            parsed.problems.append(Problem(row.line, str(error)))
    return parsed


def _cells(row: Row) -> dict[str, Any]:
    """The row's cells: free text as written, the rest trimmed."""
    return {
        name: value if name in TEXT_COLUMNS else value.strip() for name, value in row.cells.items()
    }


def parse_json(text: str, *, unit: str | None = None) -> ParsedFile:
    """Read failwise's JSON export; a set's "line" is its number in the file (1 = the first)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"line {error.lineno}: not valid JSON: {error.msg}") from None
    if not isinstance(document, dict) or document.get("format") != "failwise":
        raise InvalidInput('this JSON is not a failwise export (no "format": "failwise")')
    parsed = ParsedFile(format=FORMAT_JSON)
    _read_custom_exercises(document.get("custom_exercises") or [], parsed)
    workouts = document.get("workouts") or []
    if not isinstance(workouts, list):
        parsed.problems.append(Problem(1, "workouts is not a list: no set was read"))
        workouts = []
    number = 1
    for place, workout in enumerate(workouts, start=1):
        if not isinstance(workout, dict):
            parsed.problems.append(Problem(number + 1, f"workout {place} is not an object"))
            continue
        fields = {
            "workout_start": workout.get("start"),
            "workout_end": workout.get("end"),
            "workout_name": workout.get("name"),
            "workout_phase": workout.get("phase"),
            "workout_notes": workout.get("notes"),
        }
        counters: dict[str, int] = {}
        sets = workout.get("sets") or []
        if not isinstance(sets, list):
            parsed.problems.append(
                Problem(number + 1, f"the sets of workout {place} are not a list: skipped")
            )
            continue
        for item in sets:
            number += 1
            if not isinstance(item, dict):
                parsed.problems.append(Problem(number, "a set is not an object: skipped"))
                continue
            name = str(item.get("exercise") or "")
            index = counters.get(name, 0)
            counters[name] = index + 1
            try:
                parsed.sets.append(_set(number, item, fields, index, spreadsheet=False))
            except CellError as error:
                parsed.problems.append(Problem(number, str(error)))
    return parsed


def _read_custom_exercises(customs: Any, parsed: ParsedFile) -> None:
    """The custom exercises a JSON export defines, into ``parsed``; a bad one is a problem."""
    if not isinstance(customs, list):
        parsed.problems.append(Problem(1, "custom_exercises is not a list: none were read"))
        return
    for place, record in enumerate(customs, start=1):
        try:
            if not isinstance(record, dict):
                raise CatalogError(f"custom exercise {place} is not an object")
            exercise = exercise_from_record(record)
            if max(len(exercise.id), len(exercise.name)) > MAX_NAME:
                raise CatalogError(f"custom exercise {place}: its name is too long")
        except (CatalogError, TypeError, ValueError, OverflowError) as error:
            # Its sets are still read: an unknown name becomes a custom exercise anyway.
            parsed.problems.append(Problem(1, f"{error}: the exercise is skipped"))
            continue
        parsed.exercises.append(record)

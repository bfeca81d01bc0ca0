"""Writing a lifter's history out: failwise's own CSV and JSON (lossless), and Strong's CSV.

Exporting then importing into an empty database reproduces the same sets,
every note byte for byte. The CSVs are RFC 4180 (CRLF between rows, so the csv
module quotes every cell holding a delimiter, a quote, a CR or an LF), and text
cells a spreadsheet could run as a formula are escaped with a leading ``'``
(:mod:`failwise.adapters.spreadsheet`: reversible, failwise's reader undoes it);
number cells are written from numbers and never escaped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from failwise.adapters.spreadsheet import spreadsheet_safe
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog
from failwise.services.records import SetType, StoredSet, Workout
from failwise.services.training import exercise_record

EXPORT_FORMATS = ("failwise-csv", "json", "strong")

FAILWISE_COLUMNS = (
    "workout_start",
    "workout_end",
    "workout_name",
    "workout_phase",
    "workout_notes",
    "position",
    "exercise_id",
    "exercise",
    "set_type",
    "load_kg",
    "reps",
    "rir",
    "rir_inferred",
    "to_failure",
    "failure_kind",
    "target_load_kg",
    "target_reps",
    "target_rir_low",
    "target_rir_high",
    "test_reps_at_call",
    "test_predicted_rir",
    "rest_seconds",
    "notes",
    "logged_at",
    "key",
    "source",
)
STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)


def _csv_writer(out: io.StringIO) -> Any:
    """RFC 4180, as spreadsheets write it: with CRLF as the row end the csv module quotes
    a cell holding a lone CR or LF too (with "\\n" alone, a CR went out unquoted)."""
    return csv.writer(out, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def _time(moment: datetime | None) -> str:
    """Full precision: a lossless export keeps sub-second times."""
    return moment.isoformat(sep=" ") if moment else ""


def _strong_time(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _rows(
    workouts: Mapping[int, Workout], sets: Sequence[StoredSet], catalog: Catalog
) -> list[dict[str, Any]]:
    rows = []
    for stored in sets:
        workout = workouts[stored.workout_id]
        data = stored.data
        rows.append(
            {
                "workout_start": _time(workout.started_at),
                "workout_end": _time(workout.finished_at),
                "workout_name": workout.name,
                "workout_phase": workout.phase.value,
                "workout_notes": workout.notes,
                "position": stored.position,
                "exercise_id": data.exercise_id,
                "exercise": catalog.get(data.exercise_id).name,
                "set_type": data.set_type.value,
                "load_kg": data.load,
                "reps": data.reps,
                "rir": data.rir,
                "rir_inferred": data.rir_inferred,
                "to_failure": data.to_failure,
                "failure_kind": data.failure_kind.value if data.failure_kind else None,
                "target_load_kg": data.target_load,
                "target_reps": data.target_reps,
                "target_rir_low": data.target_rir_low,
                "target_rir_high": data.target_rir_high,
                "test_reps_at_call": data.test_reps_at_call,
                "test_predicted_rir": data.test_predicted_rir,
                "rest_seconds": data.rest_seconds,
                "notes": data.notes,
                "logged_at": _time(stored.logged_at),
                "key": data.idempotency_key,
                "source": data.source,
            }
        )
    return rows


def to_failwise_csv(
    workouts: Mapping[int, Workout], sets: Sequence[StoredSet], catalog: Catalog
) -> str:
    out = io.StringIO()
    writer = _csv_writer(out)
    writer.writerow(FAILWISE_COLUMNS)
    for row in _rows(workouts, sets, catalog):
        cells = []
        for column in FAILWISE_COLUMNS:
            value = row[column]
            if isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, int | float):
                cells.append(_number(value))
            else:
                cells.append(spreadsheet_safe(value or ""))
        writer.writerow(cells)
    return out.getvalue()


def to_json(workouts: Mapping[int, Workout], sets: Sequence[StoredSet], catalog: Catalog) -> str:
    """Workouts with their sets, and the lifter's custom exercises with every attribute."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row, stored in zip(_rows(workouts, sets, catalog), sets, strict=True):
        workout_fields = ("workout_start", "workout_end", "workout_name", "workout_phase")
        entry = {k: v for k, v in row.items() if k not in (*workout_fields, "workout_notes")}
        grouped.setdefault(stored.workout_id, []).append(entry)
    document = {
        "format": "failwise",
        "version": 1,
        "custom_exercises": [exercise_record(e) for e in catalog if e.custom],
        "workouts": [
            {
                "start": _time(workouts[workout_id].started_at),
                "end": _time(workouts[workout_id].finished_at),
                "name": workouts[workout_id].name,
                "phase": workouts[workout_id].phase.value,
                "notes": workouts[workout_id].notes,
                "sets": entries,
            }
            for workout_id, entries in grouped.items()
        ],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _strong_order(stored: StoredSet, number: int) -> str:
    if stored.data.set_type is SetType.WARM_UP:
        return "W"
    if stored.data.set_type is SetType.DROP:
        return "D"
    if stored.data.to_failure and stored.data.set_type is SetType.WORKING:
        return "F"
    return str(number)


def _duration(workout: Workout) -> str:
    if workout.finished_at is None:
        return ""
    minutes = max(0, int((workout.finished_at - workout.started_at).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


def to_strong_csv(
    workouts: Mapping[int, Workout], sets: Sequence[StoredSet], catalog: Catalog
) -> str:
    """Strong's comma format (2020–2024), loads in kg, RPE from RIR where it was logged."""
    out = io.StringIO()
    writer = _csv_writer(out)
    writer.writerow(STRONG_COLUMNS)
    numbers: dict[tuple[int, str], int] = {}
    for stored in sets:
        workout = workouts[stored.workout_id]
        data = stored.data
        order_key = (stored.workout_id, data.exercise_id)
        if data.set_type not in (SetType.WARM_UP, SetType.DROP):
            numbers[order_key] = numbers.get(order_key, 0) + 1
        writer.writerow(
            [
                _strong_time(workout.started_at),
                spreadsheet_safe(workout.name or "Workout"),
                _duration(workout),
                spreadsheet_safe(catalog.get(data.exercise_id).name),
                _strong_order(stored, numbers.get(order_key, 0)),
                _number(data.load),
                data.reps,
                0,
                0,
                spreadsheet_safe(data.notes),
                spreadsheet_safe(workout.notes),
                "" if data.rir is None else _number(10.0 - data.rir),
            ]
        )
    return out.getvalue()


def export(
    format: str, workouts: Mapping[int, Workout], sets: Sequence[StoredSet], catalog: Catalog
) -> str:
    writers = {"failwise-csv": to_failwise_csv, "json": to_json, "strong": to_strong_csv}
    try:
        writer = writers[format]
    except KeyError:
        raise InvalidInput(
            f"unknown export format {format!r}: use {', '.join(EXPORT_FORMATS)}", field="format"
        ) from None
    return writer(workouts, sets, catalog)

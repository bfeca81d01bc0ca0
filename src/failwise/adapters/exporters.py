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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from failwise.adapters.spreadsheet import spreadsheet_safe
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog
from failwise.services.exercises import exercise_record
from failwise.services.records import SetType, StoredSet, Workout

EXPORT_FORMATS = ("failwise-csv", "json", "strong")

Chunk = tuple[Mapping[int, Workout], Sequence[StoredSet]]
"""Some sets of a history, and the workouts they belong to (:func:`stream` writes them)."""

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
    """Workouts with their sets, and the lifter's custom exercises with every attribute.

    Workouts come in the order of their first set, each with its sets in the order given.
    """
    first: dict[int, int] = {}
    for stored in sets:
        first.setdefault(stored.workout_id, len(first))
    by_workout = sorted(sets, key=lambda stored: first[stored.workout_id])  # stable
    return "".join(_json_pieces([(workouts, by_workout)], catalog))


_WORKOUT_FIELDS = ("workout_start", "workout_end", "workout_name", "workout_phase", "workout_notes")


def _nested(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=1)`` writes it ``depth`` levels down a document."""
    return json.dumps(value, indent=1, ensure_ascii=False).replace("\n", "\n" + " " * depth)


def _json_pieces(chunks: Iterable[Chunk], catalog: Catalog) -> Iterator[str]:
    """The JSON document, a chunk of sets at a time, byte for byte as ``json.dumps(document,
    indent=1, ensure_ascii=False) + "\\n"`` would write it whole: ``{"format", "version",
    "custom_exercises", "workouts": [{"start", "end", "name", "phase", "notes", "sets":
    [...]}]}``. The sets come workout by workout (:func:`grouped_by_workout`)."""
    head = {
        "format": "failwise",
        "version": 1,
        "custom_exercises": [exercise_record(e) for e in catalog if e.custom],
    }
    yield json.dumps(head, indent=1, ensure_ascii=False).removesuffix("\n}") + ',\n "workouts": '
    current: int | None = None
    for workouts, sets in chunks:
        pieces = []
        for row, stored in zip(_rows(workouts, sets, catalog), sets, strict=True):
            if stored.workout_id != current:
                pieces.append("[\n  " if current is None else "\n   ]\n  },\n  ")
                workout = workouts[stored.workout_id]
                fields = {
                    "start": _time(workout.started_at),
                    "end": _time(workout.finished_at),
                    "name": workout.name,
                    "phase": workout.phase.value,
                    "notes": workout.notes,
                }
                pieces.append("{\n")
                pieces.extend(f"   {json.dumps(k)}: {_nested(v, 3)},\n" for k, v in fields.items())
                pieces.append('   "sets": [\n    ')
                current = stored.workout_id
            else:
                pieces.append(",\n    ")
            entry = {k: v for k, v in row.items() if k not in _WORKOUT_FIELDS}
            pieces.append(_nested(entry, 4))
        yield "".join(pieces)
    yield "[]\n}\n" if current is None else "\n   ]\n  }\n ]\n}\n"


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
    workouts: Mapping[int, Workout],
    sets: Sequence[StoredSet],
    catalog: Catalog,
    *,
    numbers: dict[tuple[int, str], int] | None = None,
) -> str:
    """Strong's comma format (2020–2024), loads in kg, RPE from RIR where it was logged.

    ``numbers`` counts the working sets of each workout's exercises so far: pass the same
    dictionary with each chunk of a history written a chunk at a time.
    """
    out = io.StringIO()
    writer = _csv_writer(out)
    writer.writerow(STRONG_COLUMNS)
    numbers = {} if numbers is None else numbers
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


def grouped_by_workout(format: str) -> bool:
    """Whether ``format`` lists the sets workout by workout (JSON: each workout in the order
    of its first set, its sets in the order done) rather than all in the order done."""
    return format == "json"


def stream(format: str, chunks: Iterable[Chunk], catalog: Catalog) -> Iterator[str]:
    """The export of ``format`` a piece at a time: the same text as :func:`export` of the
    same sets, for a history read a chunk at a time and never held whole. The chunks must
    come in the order :func:`grouped_by_workout` says. An unknown format is refused here,
    before anything is read."""
    if format not in EXPORT_FORMATS:
        raise InvalidInput(
            f"unknown export format {format!r}: use {', '.join(EXPORT_FORMATS)}", field="format"
        )
    if format == "json":
        return _json_pieces(chunks, catalog)
    return _csv_pieces(format, chunks, catalog)


def _csv_pieces(format: str, chunks: Iterable[Chunk], catalog: Catalog) -> Iterator[str]:
    # The CSVs are rows that stand alone: each chunk is written as a whole file would be,
    # and its header dropped after the first.
    numbers: dict[tuple[int, str], int] = {}
    header = True
    for workouts, sets in chunks:
        if format == "strong":
            text = to_strong_csv(workouts, sets, catalog, numbers=numbers)
        else:
            text = to_failwise_csv(workouts, sets, catalog)
        yield text if header else text.partition("\n")[2]
        header = False
    if header:
        yield (
            to_strong_csv({}, [], catalog)
            if format == "strong"
            else to_failwise_csv({}, [], catalog)
        )

"""``failwise records``: the personal records a lifter looks for, per exercise."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag
from failwise.adapters.cli.output import console, emit_json, fmt, shown
from failwise.adapters.cli.training import UserOption
from failwise.adapters.cli.wiring import training_log
from failwise.domain.personal_records import LiftedSet
from failwise.domain.units import Unit


def _done(lifted: LiftedSet, unit: Unit) -> str:
    """``140 × 5 @ RIR 2 on 12 Nov 2026``."""
    effort = "" if lifted.rir is None else f" @ RIR {fmt(lifted.rir)}"
    day = lifted.performed_at
    return f"{fmt(unit.of_kg(lifted.load), 2)} × {lifted.reps}{effort} on {day.day} {day:%b %Y}"


@app.command("records")
def records_command(
    exercise: Annotated[
        str | None, typer.Argument(help="Only this exercise, with its rep record at each load.")
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Your personal records: best estimated 1RM, heaviest load, most reps at each load.

    Warm-ups set no record; a set logged without RIR counts as taken to failure.

    Example: failwise records "Squat (Barbell)"
    """
    with training_log(user) as log:
        held = log.insights.records(log.lifter.id, exercise)
        unit = log.lifter.prefs.unit
    if as_json:
        emit_json([payloads.exercise_records(found, records, unit) for found, records in held])
        return
    if not held:
        console.print("No working sets yet: log or import some first (failwise import FILE).")
        return
    table = Table(title=f"Personal records ({unit})")
    for column in ("exercise", "best e1RM", "from", "heaviest", "sets"):
        table.add_column(column, justify="right" if column in ("best e1RM", "sets") else "left")
    for found, records in held:
        best = records.e1rm
        table.add_row(
            shown(found.name),
            "–" if best is None else fmt(unit.of_kg(best.e1rm)),
            "–" if best is None else _done(best.set, unit),
            "–" if records.heaviest is None else _done(records.heaviest, unit),
            str(records.sets),
        )
    console.print(table)
    if exercise is None:
        return
    for found, records in held:
        reps = Table(title=f"{shown(found.name)}: most reps at each load ({unit})")
        for column in ("load", "reps", "done"):
            reps.add_column(column, justify="left" if column == "done" else "right")
        for record in records.reps:
            reps.add_row(
                fmt(unit.of_kg(record.load), 2),
                str(record.reps),
                _done(record.set, unit),
            )
        console.print(reps)

"""Commands on the science: what a set costs, and how recovered the lifter is."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.output import console, emit_json, fmt, shown
from failwise.adapters.csvfiles import (
    number,
    optional_number,
    parse_cell,
    read_rows,
    timestamp,
    whole_number,
    wrap_line,
)
from failwise.domain.detection import (
    DailyRating,
    FatigueVerdict,
    LoggedSet,
    Recommendation,
    detect_accumulated_fatigue,
)
from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.fatigue import RecoveryState, TimedSet, recovery_state, set_cost
from failwise.domain.session import ASSUMED_RIR
from failwise.domain.stimulus import WorkSet
from failwise.services.catalog import builtin_catalog


@app.command("cost")
def cost_command(
    reps: Annotated[int, typer.Option("--reps", help="Reps done.")],
    rir: Annotated[float, typer.Option("--rir", help="Reps left in reserve.")],
    load_pct: Annotated[
        float | None,
        typer.Option("--load-pct", help="Load as % of 1RM (default: from the RTS chart)."),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option("--exercise", help="Exercise (default: a heavy compound like the bench)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for programs.")] = False,
) -> None:
    """What a set costs in fatigue and recovery, and what it gives in stimulus.

    Example: failwise cost --reps 8 --rir 0 --exercise "Squat (Barbell)"
    """
    found = builtin_catalog().resolve(exercise) if exercise else None
    cost = set_cost(reps, validate_rir(rir), load_pct=load_pct, exercise=found)
    if as_json:
        emit_json(
            {
                "fatigue": round(cost.fatigue, 2),
                "local_fatigue": round(cost.local, 2),
                "systemic_fatigue": round(cost.systemic, 2),
                "stimulus": round(cost.stimulus, 2),
                "stimulus_to_fatigue": round(cost.stimulus_to_fatigue, 3),
                "recovery_hours": round(cost.recovery_hours, 1),
            }
        )
        return
    name = shown(found.name) if found else "a heavy compound"
    table = Table(title=f"{reps} reps at RIR {fmt(rir)} on {name}")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("fatigue (acute performance loss)", f"{cost.fatigue:.1f}%")
    table.add_row("  local (the muscles)", f"{cost.local:.1f}%")
    table.add_row("  systemic (nervous system)", f"{cost.systemic:.1f}%")
    table.add_row("stimulus (growth, Robinson et al. 2024)", f"{cost.stimulus:.2f}")
    table.add_row("stimulus to fatigue", f"{cost.stimulus_to_fatigue:.2f}")
    table.add_row("recovered in", f"{cost.recovery_hours:.0f} h")
    console.print(table)
    if rir > 0:
        failure = set_cost(reps + int(rir), 0, load_pct=load_pct, exercise=found)
        console.print(
            f"Going to failure with the same load ({reps + int(rir)} reps) would cost "
            f"{failure.fatigue:.1f}% and take {failure.recovery_hours:.0f} h to recover, "
            f"for {failure.stimulus - cost.stimulus:+.2f} stimulus."
        )


def _read_history(path: Path) -> list[tuple[LoggedSet, float | None]]:
    catalog = builtin_catalog()
    history = []
    for line, row in read_rows(path, ("datetime", "exercise", "load", "reps", "rir")):

        def build(line: int = line, row: dict[str, str] = row) -> tuple[LoggedSet, float | None]:
            rir = parse_cell(path, line, "rir", row["rir"], optional_number)
            target = row.get("target_reps", "")
            return (
                LoggedSet(
                    performed_at=parse_cell(path, line, "datetime", row["datetime"], timestamp),
                    exercise=catalog.resolve(row["exercise"]),
                    load=parse_cell(path, line, "load", row["load"], number),
                    reps=parse_cell(path, line, "reps", row["reps"], whole_number),
                    rir=rir,
                    target_reps=(
                        parse_cell(path, line, "target_reps", target, whole_number)
                        if target
                        else None
                    ),
                ),
                rir,
            )

        history.append(wrap_line(path, line, build))
    return history


def _read_ratings(path: Path) -> list[DailyRating]:
    ratings = []
    for line, row in read_rows(path, ("date", "sleep", "soreness", "motivation")):

        def build(line: int = line, row: dict[str, str] = row) -> DailyRating:
            def score(column: str) -> int | None:
                text = row[column]
                return parse_cell(path, line, column, text, whole_number) if text else None

            return DailyRating(
                day=parse_cell(path, line, "date", row["date"], timestamp).date(),
                sleep=score("sleep"),
                soreness=score("soreness"),
                motivation=score("motivation"),
            )

        ratings.append(wrap_line(path, line, build))
    return ratings


def _moment(text: str) -> datetime:
    try:
        return timestamp(text)
    except ValueError:
        raise InvalidInput(
            f"--at {text!r} is not a date and time like '2026-03-02 18:00'"
        ) from None


@app.command("fatigue")
def fatigue_command(
    file: Annotated[
        Path, typer.Argument(help="CSV of logged sets: datetime,exercise,load,reps,rir.")
    ],
    at: Annotated[
        str | None, typer.Option("--at", help="The moment to assess (default: now).")
    ] = None,
    ratings: Annotated[
        Path | None,
        typer.Option(help="CSV of daily ratings 1–5: date,sleep,soreness,motivation."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for programs.")] = False,
) -> None:
    """Each muscle's readiness, systemic fatigue, and signs of accumulated fatigue.

    The file may also have a target_reps column. A blank rir is an unknown
    effort: it counts as RIR 2 for recovery and is left out of effort trends.

    Example: failwise fatigue sets.csv --at "2026-03-02 18:00"
    """
    moment = _moment(at) if at else datetime.now()
    history = _read_history(file)
    days = _read_ratings(ratings) if ratings else []
    timed = [
        TimedSet(
            logged.performed_at,
            WorkSet(logged.exercise, logged.reps, ASSUMED_RIR if rir is None else rir),
        )
        for logged, rir in history
    ]
    state = recovery_state(timed, moment)
    verdict = detect_accumulated_fatigue([logged for logged, _ in history], moment, days)
    readiness = dict(sorted(state.readiness.items(), key=lambda item: item[1]))
    if as_json:
        emit_json(
            {
                "at": moment.isoformat(timespec="minutes"),
                "readiness": {muscle.value: round(value, 1) for muscle, value in readiness.items()},
                "systemic_fatigue": round(state.systemic_fatigue, 1),
                "systemic_readiness": round(state.systemic_readiness, 1),
                "verdict": payloads.fatigue_verdict(verdict),
            }
        )
        return
    _show_fatigue(moment, state, verdict)


def _show_fatigue(moment: datetime, state: RecoveryState, verdict: FatigueVerdict) -> None:
    """Each muscle's readiness as a table, least ready first, and the verdict in words."""
    readiness = dict(sorted(state.readiness.items(), key=lambda item: item[1]))
    table = Table(title=f"Readiness at {moment:%Y-%m-%d %H:%M}")
    table.add_column("muscle")
    table.add_column("ready", justify="right")
    for muscle, value in readiness.items():
        style = "green" if value >= 90 else "yellow" if value >= 70 else "red"
        table.add_row(muscle.value, f"[{style}]{value:.0f}%[/]")
    table.add_row("[dim]systemic[/]", f"{state.systemic_readiness:.0f}%")
    console.print(table)
    style = {
        Recommendation.NOT_ENOUGH_HISTORY: "cyan",
        Recommendation.CARRY_ON: "green",
        Recommendation.AVOID_FAILURE: "yellow",
        Recommendation.DELOAD: "red",
    }[verdict.recommendation]
    console.print(f"[bold {style}]{shown(verdict.summary)}[/]")
    for item in verdict.evidence:
        console.print(f"  • {shown(item.text)}")

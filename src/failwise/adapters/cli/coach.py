"""Commands that need no stored data: the decision, strength math, plates, scale, catalog.

They print JSON without importing Rich's tables, panels or console: those are imported
(and :data:`~failwise.adapters.cli.output.console` made) only to print for people.
"""

from __future__ import annotations

from typing import Annotated

import typer

from failwise.adapters import payloads
from failwise.adapters.cli import app, output
from failwise.adapters.cli.output import POLICY_STYLE, emit_json, fmt, rir_option, shown
from failwise.domain import strength
from failwise.domain.decision import (
    CallTrust,
    Experience,
    FailurePolicy,
    Phase,
    Prescription,
    SetContext,
    prescribe,
)
from failwise.domain.effort import describe_rir, scale
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle
from failwise.services.catalog import builtin_catalog

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]


def show_prescription(result: Prescription, *, title: str | None = None) -> None:
    """Print a prescription for a person."""
    from rich.panel import Panel

    style = POLICY_STYLE[result.failure]
    low_rpe, high_rpe = result.target_rpe
    rpe = fmt(low_rpe) if low_rpe == high_rpe else f"{fmt(low_rpe)}–{fmt(high_rpe)}"
    # A go set says so in words: its target includes RIR 0, failure itself.
    lead = "to failure, " if result.failure is FailurePolicy.GO else ""
    lines = [
        f"[{style}]{result.failure.value.upper()}[/]  {lead}target {result.target_rir}  "
        f"(RPE {rpe})",
        f"[dim]{describe_rir(result.target_rir.low)}[/]",
        "",
    ]
    for reason in result.reasons:
        marker = "•" if reason.effect is result.failure else "·"
        lines.append(
            f"{marker} [{POLICY_STYLE[reason.effect]}]{reason.rule}[/]: {shown(reason.text)}"
        )
    allowed = result.techniques.allowed()
    lines.append("")
    lines.append(
        "Intensity techniques allowed: "
        + (", ".join(name.replace("_", "-") for name in allowed) if allowed else "none")
    )
    output.console.print(
        Panel("\n".join(lines), title=title or shown(result.exercise.name), expand=False)
    )


@app.command("prescribe")
def prescribe_command(
    exercise: Annotated[str, typer.Argument(help="Exercise name, alias or id.")],
    set_number: Annotated[int, typer.Option("--set", min=1, help="Which working set.")] = 1,
    sets: Annotated[int, typer.Option("--sets", min=1, help="Working sets in all.")] = 3,
    frequency: Annotated[
        int, typer.Option("--frequency", min=1, help="Times a week you train this movement.")
    ] = 1,
    phase: Annotated[Phase, typer.Option(help="Training phase.")] = Phase.NORMAL,
    spotter: Annotated[
        bool,
        typer.Option(
            "--spotter/--alone",
            help="A spotter (or safety arms) is there; without --spotter you train alone.",
        ),
    ] = False,
    fatigued: Annotated[
        bool, typer.Option("--fatigued", help="Showing signs of accumulated fatigue.")
    ] = False,
    lagging: Annotated[
        bool, typer.Option("--lagging", help="The target muscle is a lagging body part.")
    ] = False,
    experience: Annotated[Experience, typer.Option(help="Training experience.")] = (
        Experience.INTERMEDIATE
    ),
    calls: Annotated[
        CallTrust,
        typer.Option(
            help="How your RIR calls held up in tests (failwise calibrate): unproven "
            "until 3 tests, calibrated when they agree, inconsistent when they scatter."
        ),
    ] = CallTrust.UNPROVEN,
    as_json: JsonFlag = False,
) -> None:
    """Decide whether a set should go to failure, and why.

    Without --spotter the set is done alone: the cautious case.

    Example: failwise prescribe "Squat (Barbell)" --set 3 --sets 3 --spotter
    """
    found = builtin_catalog().resolve(exercise)
    context = SetContext(
        exercise=found,
        set_number=set_number,
        total_sets=sets,
        weekly_frequency=frequency,
        phase=phase,
        spotter=spotter,
        fatigued=fatigued,
        lagging=frozenset(found.primary) if lagging else frozenset(),
        experience=experience,
        call_trust=calls,
    )
    result = prescribe(context)
    if as_json:
        emit_json(payloads.prescription(result))
    else:
        show_prescription(result, title=f"{found.name} — set {set_number} of {sets}")


@app.command("e1rm")
def e1rm_command(
    load: Annotated[float, typer.Option("--load", help="Load lifted (kg or lb).")],
    reps: Annotated[int, typer.Option("--reps", help="Reps done.")],
    rir: Annotated[float | None, typer.Option("--rir", help="Reps left in reserve.")] = None,
    rpe: Annotated[float | None, typer.Option("--rpe", help="RPE of the set.")] = None,
    formula: Annotated[
        str, typer.Option(help="epley, brzycki, lander, lombardi, mayhew, oconner, wathan, rts.")
    ] = "epley",
    as_json: JsonFlag = False,
) -> None:
    """Estimate a one-rep max from a set.

    Example: failwise e1rm --load 100 --reps 5 --rpe 8
    """
    reserve = rir_option(rir, rpe, required=False)
    chosen = strength.e1rm(load, reps, reserve, formula)
    estimates = strength.e1rm_estimates(load, reps, reserve)
    rtf = strength.reps_to_failure(reps, reserve)
    if as_json:
        emit_json(
            {
                "e1rm": round(chosen, 2),
                "formula": formula.lower(),
                "reps_to_failure": rtf,
                "estimates": {name: round(value, 2) for name, value in estimates.items()},
            }
        )
        return
    from rich.table import Table

    table = Table(title=f"{fmt(load)} × {reps} at RIR {fmt(reserve)} = {fmt(rtf)} reps to failure")
    table.add_column("formula")
    table.add_column("e1RM", justify="right")
    for name, value in estimates.items():
        label = f"[bold]{name}[/]" if name == formula.lower() else name
        table.add_row(label, fmt(value))
    output.console.print(table)
    if rtf > strength.MOST_VALID_REPS:
        output.console.print(
            f"[yellow]{fmt(rtf)} reps to failure: estimates are least reliable past "
            f"{strength.MOST_VALID_REPS} (Reynolds et al. 2006).[/]"
        )


@app.command("load")
def load_command(
    e1rm: Annotated[float, typer.Option("--e1rm", help="Estimated one-rep max.")],
    reps: Annotated[int, typer.Option("--reps", help="Target reps.")],
    rir: Annotated[float | None, typer.Option("--rir", help="Target reps in reserve.")] = None,
    rpe: Annotated[float | None, typer.Option("--rpe", help="Target RPE.")] = None,
    formula: Annotated[str, typer.Option(help="Formula (rts, epley, ...).")] = "rts",
    increment: Annotated[float, typer.Option(help="Round to this load step.")] = 2.5,
    as_json: JsonFlag = False,
) -> None:
    """The load for a target of reps and RIR.

    Example: failwise load --e1rm 140 --reps 5 --rir 2
    """
    reserve = rir_option(rir, rpe, required=True)
    raw = strength.load_for(e1rm, reps, reserve, formula)
    rounded = strength.round_to_increment(raw, increment)
    percent = strength.percent_1rm(reps, reserve, formula)
    if as_json:
        emit_json(
            {"load": round(raw, 2), "rounded_load": rounded, "percent_1rm": round(percent, 1)}
        )
        return
    output.console.print(
        f"{reps} reps at RIR {fmt(reserve)} from an e1RM of {fmt(e1rm)}: "
        f"[bold]{fmt(rounded, 2)}[/] ({fmt(raw, 2)} unrounded, {fmt(percent)}% of 1RM)"
    )


@app.command("plates")
def plates_command(
    total: Annotated[float, typer.Argument(help="Target load on the bar.")],
    unit: Annotated[str, typer.Option(help="kg or lb.")] = "kg",
    bar: Annotated[float | None, typer.Option(help="Bar weight (20 kg / 45 lb).")] = None,
    plates: Annotated[
        str | None,
        typer.Option(help="Plates available, e.g. '25,20,10,5,2.5' or '20:2,10:1' (size:pairs)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Which plates to load on each side of the bar.

    Example: failwise plates 142.5
    """
    if unit not in ("kg", "lb"):
        raise InvalidInput(f"unit must be kg or lb, not {unit!r}")
    bar_weight = bar if bar is not None else (strength.KG_BAR if unit == "kg" else strength.LB_BAR)
    inventory = (
        _parse_plates(plates)
        if plates
        else (strength.KG_PLATES if unit == "kg" else strength.LB_PLATES)
    )
    result = strength.plates_per_side(total, bar_weight, inventory)
    if as_json:
        emit_json(
            {
                "target": result.target,
                "bar": result.bar,
                "per_side": list(result.per_side),
                "total": result.total,
                "shortfall": result.shortfall,
                "unit": unit,
            }
        )
        return
    side = " + ".join(fmt(p, 2) for p in result.per_side) or "no plates"
    output.console.print(f"Bar {fmt(bar_weight, 2)} {unit}, each side: [bold]{side}[/]")
    if result.shortfall:
        output.console.print(
            f"[yellow]Closest load is {fmt(result.total, 2)} {unit}, "
            f"{fmt(result.shortfall, 2)} {unit} short of {fmt(total, 2)}.[/]"
        )


def _parse_plates(text: str) -> dict[float, int] | tuple[float, ...]:
    sizes: list[float] = []
    counts: dict[float, int] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        size_text, _, count_text = part.partition(":")
        try:
            size = float(size_text)
            if count_text:
                counts[size] = int(count_text)
            sizes.append(size)
        except ValueError:
            raise InvalidInput(f"cannot read plate {part!r}: use 20 or 20:2 (size:pairs)") from None
    if counts and len(counts) != len(sizes):
        raise InvalidInput("give pairs for every plate (20:2,10:1) or for none (20,10)")
    return counts if counts else tuple(sizes)


@app.command("scale")
def scale_command(as_json: JsonFlag = False) -> None:
    """The RIR / RPE scale with what each step feels like.

    Example: failwise scale
    """
    rows = scale(5.0)
    if as_json:
        emit_json([{"rpe": r.rpe, "rir": r.rir, "description": r.description} for r in rows])
        return
    from rich.table import Table

    table = Table(title="Reps in reserve and RPE (Zourdos et al. 2016; Helms et al. 2016)")
    table.add_column("RPE", justify="right")
    table.add_column("RIR", justify="right")
    table.add_column("what it feels like")
    for row in rows:
        table.add_row(fmt(row.rpe), fmt(row.rir), row.description)
    output.console.print(table)


@app.command("exercises")
def exercises_command(
    query: Annotated[str, typer.Argument(help="Words to look for (name, muscle, equipment).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """List or search the exercise catalog.

    Example: failwise exercises "curl cable"
    """
    found = builtin_catalog().search(query)
    if as_json:
        emit_json([payloads.exercise_detail(exercise) for exercise in found])
        return
    if not found:
        suggestions = builtin_catalog().closest(query)
        output.console.print(f"No exercise matches {shown(repr(query))}.")
        if suggestions:
            output.console.print("Closest: " + shown(", ".join(suggestions)))
        raise typer.Exit(1)
    from rich.table import Table

    table = Table(title=f"{len(found)} exercises")
    for column in ("id", "name", "type", "equipment", "primary", "risk"):
        table.add_column(column)
    for exercise in found:
        table.add_row(
            shown(exercise.id),
            shown(exercise.name),
            exercise.mechanics.value,
            exercise.equipment.value,
            ", ".join(m.value for m in exercise.primary),
            exercise.injury_risk.value,
        )
    output.console.print(table)


@app.command("demo")
def demo_command() -> None:
    """A worked example: one workout, set by set, with the coach's decisions.

    Example: failwise demo
    """
    catalog = builtin_catalog()
    output.console.print(
        "[bold]failwise[/] decides, set by set, whether to go to failure. "
        "A lifter training alone, arms lagging, on a normal week:\n"
    )
    workout = [
        ("Squat (Barbell)", 3, 2, 140.0, 5),
        ("Bent Over Row (Barbell)", 3, 1, 100.0, 8),
        ("Leg Extension (Machine)", 3, 1, 70.0, 12),
        ("Bicep Curl (Cable)", 3, 2, 30.0, 12),
    ]
    for name, sets, frequency, e1rm_guess, reps in workout:
        exercise = catalog.resolve(name)
        for number in (1, sets):
            context = SetContext(
                exercise=exercise,
                set_number=number,
                total_sets=sets,
                weekly_frequency=frequency,
                spotter=False,
                lagging=frozenset({Muscle.BICEPS}),
            )
            result = prescribe(context)
            target = result.target_rir.low
            load = strength.round_to_increment(
                strength.load_for(e1rm_guess, reps, target, "epley"), exercise.increment_kg
            )
            show_prescription(
                result,
                title=f"{shown(exercise.name)} — set {number} of {sets}: {reps} × {fmt(load)} kg",
            )

"""The ``technique`` command: a drop set, rest-pause or forced reps on this set, or not."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.panel import Panel

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.output import POLICY_STYLE, console, emit_json, fmt, shown
from failwise.domain.context import Experience, Phase, SetContext
from failwise.domain.exercises import Exercise
from failwise.domain.techniques import (
    DropSetPlan,
    ForcedRepsPlan,
    Plan,
    RestPausePlan,
    Technique,
    TechniqueDecision,
    TechniqueRequest,
    govern,
)
from failwise.services.catalog import builtin_catalog


def plan_payload(plan: Plan | None) -> dict[str, Any] | None:
    """A technique plan as plain data (``None`` when the technique was refused)."""
    if isinstance(plan, DropSetPlan):
        return {
            "drops": plan.drops,
            "drop_fraction": {"min": plan.drop_fraction_low, "max": plan.drop_fraction_high},
            "load": (
                None
                if plan.load_low is None or plan.load_high is None
                else {"min": plan.load_low, "max": plan.load_high}
            ),
            "expected_reps": (
                None
                if plan.expected_reps_low is None or plan.expected_reps_high is None
                else {"min": plan.expected_reps_low, "max": plan.expected_reps_high}
            ),
        }
    if isinstance(plan, RestPausePlan):
        return {
            "rest_seconds": {"min": plan.rest_seconds_low, "max": plan.rest_seconds_high},
            "mini_sets": plan.mini_sets,
            "expected_reps": None if plan.expected_reps is None else list(plan.expected_reps),
        }
    if isinstance(plan, ForcedRepsPlan):
        return {
            "forced_reps_max": plan.forced_reps_max,
            "spotter_instruction": plan.spotter_instruction,
        }
    return None


def decision_payload(decision: TechniqueDecision, exercise: Exercise) -> dict[str, Any]:
    """The JSON contract of ``failwise technique --json``."""
    return {
        "technique": decision.technique.value,
        "exercise": payloads.exercise_ref(exercise),
        "allowed": decision.allowed,
        "failure": decision.failure.value,
        "plan": plan_payload(decision.plan),
        "refusals": [{"rule": r.rule, "text": r.text} for r in decision.refusals],
    }


def _span(low: float, high: float) -> str:
    return fmt(low, 2) if low == high else f"{fmt(low, 2)}–{fmt(high, 2)}"


def plan_lines(plan: Plan | None, load: float | None) -> list[str]:
    """A plan in plain words, one instruction a line."""
    if isinstance(plan, DropSetPlan):
        drop = f"{round(plan.drop_fraction_low * 100)}–{round(plan.drop_fraction_high * 100)}%"
        if plan.load_low is not None and plan.load_high is not None and load is not None:
            first = f"Drop {drop}: {_span(plan.load_low, plan.load_high)} (from {fmt(load, 2)})"
        else:
            first = f"Drop the load {drop}"
        low, high = plan.expected_reps_low, plan.expected_reps_high
        if low is not None and high is not None:
            first += f", expect about {_span(low, high)} {'rep' if high == 1 else 'reps'}"
        return [first + ".", "Drop right away, with no rest, and go to failure again."]
    if isinstance(plan, RestPausePlan):
        rest = f"{plan.rest_seconds_low}–{plan.rest_seconds_high} s"
        line = f"Rest {rest}, then {plan.mini_sets} mini-sets to failure with the same load"
        if plan.expected_reps is not None:
            line += ": expect about " + ", ".join(map(str, plan.expected_reps)) + " reps"
        return [line + ".", f"Rest {rest} between mini-sets; stop when a rep will not go."]
    if isinstance(plan, ForcedRepsPlan):
        reps = "rep" if plan.forced_reps_max == 1 else "reps"
        return [
            f"Up to {plan.forced_reps_max} forced {reps} with your spotter.",
            f"Spotter: {plan.spotter_instruction}",
        ]
    return []


def show_decision(decision: TechniqueDecision, title: str, load: float | None) -> None:
    """Print the governor's answer for a person."""
    failure = f"[{POLICY_STYLE[decision.failure]}]{decision.failure.value}[/]"
    if decision.allowed:
        lines = [f"[bold green]ALLOWED[/]  {decision.technique.label} (this set: {failure})", ""]
        lines += [shown(line) for line in plan_lines(decision.plan, load)]
    else:
        lines = [f"[bold red]REFUSED[/]  {decision.technique.label} (this set: {failure})", ""]
        lines += [
            f"• [bold]{refusal.rule}[/]: {shown(refusal.text)}" for refusal in decision.refusals
        ]
    console.print(Panel("\n".join(lines), title=shown(title), expand=False))


# The options of ``technique`` that take more than a line, named once here.
SpotterThereOption = Annotated[
    bool, typer.Option("--spotter/--alone", help="A competent spotter is there.")
]
DropSetsDoneOption = Annotated[
    int, typer.Option("--drop-sets-done", help="Drop sets already done this session.")
]
FatiguedOption = Annotated[
    bool, typer.Option("--fatigued", help="Showing signs of accumulated fatigue.")
]
SetNumberOption = Annotated[
    int | None, typer.Option("--set", help="Which working set (default: the last).")
]
FrequencyOption = Annotated[
    int, typer.Option("--frequency", help="Times a week you train this movement.")
]
ExercisesLeftOption = Annotated[
    int, typer.Option("--exercises-left", help="Exercises still to come after this one.")
]
FailedLoadOption = Annotated[
    float | None, typer.Option("--load", help="Load of the set that hit failure (kg or lb).")
]


@app.command("technique")
def technique_command(
    technique: Annotated[Technique, typer.Argument(help="The technique to use past failure.")],
    exercise: Annotated[str, typer.Argument(help="Exercise name, alias or id.")],
    spotter: SpotterThereOption = False,
    drop_sets_done: DropSetsDoneOption = 0,
    phase: Annotated[Phase, typer.Option(help="Training phase.")] = Phase.NORMAL,
    fatigued: FatiguedOption = False,
    set_number: SetNumberOption = None,
    sets: Annotated[int, typer.Option("--sets", help="Working sets in all.")] = 3,
    frequency: FrequencyOption = 1,
    experience: Annotated[Experience, typer.Option(help="Training experience.")] = (
        Experience.INTERMEDIATE
    ),
    exercises_left: ExercisesLeftOption = 0,
    load: FailedLoadOption = None,
    reps: Annotated[int | None, typer.Option("--reps", help="Reps of that set.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for programs.")] = False,
) -> None:
    """May this set go past failure with a drop set, rest-pause or forced reps?

    Answers allowed, with a plan (loads and reps to expect), or refused, with
    every rule that refused it. Techniques follow a final set, so the set
    defaults to the last one.

    Example: failwise technique drop-set "Bicep Curl (Cable)" --load 30 --reps 10
    """
    found = builtin_catalog().resolve(exercise)
    number = sets if set_number is None else set_number
    context = SetContext(
        exercise=found,
        set_number=number,
        total_sets=sets,
        weekly_frequency=frequency,
        phase=phase,
        spotter=spotter,
        fatigued=fatigued,
        experience=experience,
    )
    decision = govern(
        TechniqueRequest(
            context=context,
            technique=technique,
            load=load,
            reps=reps,
            drop_sets_done=drop_sets_done,
            exercises_left=exercises_left,
        )
    )
    if as_json:
        emit_json(decision_payload(decision, found))
    else:
        show_decision(decision, f"{found.name} — set {number} of {sets}", load)

"""The plan on the command line: physique, plan new/show/next, today."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag
from failwise.adapters.cli.output import POLICY_STYLE, console, emit_json, fmt, shown
from failwise.adapters.cli.training import UnitOption, UserOption
from failwise.adapters.cli.wiring import training_log
from failwise.adapters.payloads import physique_payload, today_payload
from failwise.adapters.reports.plan import render_plan_html
from failwise.domain.context import Experience
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Muscle
from failwise.domain.planning import Goal, Plan, plan_to_dict
from failwise.domain.units import Unit, unit_named
from failwise.services.records import Measurement

plan_app = typer.Typer(
    help="Your mesocycle: generate, read, and move on to the next.\n\n"
    "Example: failwise plan new --days 4 --minutes 60",
    no_args_is_help=True,
)
app.add_typer(plan_app, name="plan")


@app.command("physique")
def physique_command(user: UserOption = None, as_json: JsonFlag = False) -> None:
    """Body composition, proportions, lift balance, and the muscles that lag.

    It reads your latest body measurement (with sex and age from your settings)
    and your e1RMs from the last 8 weeks; what is missing narrows the analysis.

    Example: failwise physique --json
    """
    with training_log(user) as log:
        report = log.plans.physique(log.lifter.id)
    if as_json:
        emit_json(physique_payload(report))
        return
    if report.body_fat_pct is not None:
        console.print(
            f"Body fat {report.body_fat_pct:.1f}% ({report.body_fat_method}), "
            f"lean mass {fmt(report.lean_mass_kg or 0)} kg, FFMI {fmt(report.ffmi or 0)} "
            f"(normalised {fmt(report.normalised_ffmi or 0)})."
        )
    if report.lagging:
        table = Table(title="Lagging muscles, most first")
        table.add_column("muscle")
        table.add_column("evidence")
        for item in report.lagging:
            table.add_row(item.muscle.value, shown("\n".join(item.evidence)))
        console.print(table)
    else:
        console.print("No lagging muscle stands out from what failwise knows.")
    for note in report.notes:
        console.print(f"[dim]{shown(note)}[/]")


def _load(load_kg: float | None, increment_kg: float, unit: Unit) -> str:
    """``142.5 kg × `` in the lifter's unit, on their plates; nothing without a load."""
    if not load_kg:
        return ""
    return f"{fmt(unit.shown(load_kg, increment_kg))} {unit} × "


def _show_plan(plan: Plan, week: int | None, unit: Unit) -> None:
    for planned_week in plan.weeks:
        if week is not None and planned_week.number != week:
            continue
        label = f"Week {planned_week.number}" + (" — deload" if planned_week.deload else "")
        for session in planned_week.sessions:
            table = Table(title=f"{label}: {shown(session.name)}")
            table.add_column("exercise")
            table.add_column("sets")
            for planned in session.exercises:
                lines = []
                for work in planned.sets:
                    load = _load(work.load_kg, planned.exercise.increment_kg, unit)
                    style = POLICY_STYLE[work.failure]
                    extra = f" + {work.technique}" if work.technique else ""
                    lines.append(
                        f"{load}{work.reps} @ {work.target_rir} [{style}]{work.failure.value}[/]"
                        f"{extra}"
                    )
                table.add_row(shown(planned.exercise.name), "\n".join(lines))
            console.print(table)


@plan_app.command("new")
def plan_new_command(
    goal: Annotated[Goal, typer.Option(help="What you train for.")] = Goal.HYPERTROPHY,
    experience: Annotated[Experience | None, typer.Option(help="Default: your settings.")] = None,
    days: Annotated[int, typer.Option(help="Training days a week, 2 to 6.")] = 3,
    minutes: Annotated[int, typer.Option(help="Minutes a session, 30 to 180.")] = 60,
    equipment: Annotated[
        str | None,
        typer.Option(help="Comma-separated: " + ", ".join(e.value for e in Equipment) + "."),
    ] = None,
    alone: Annotated[bool, typer.Option("--alone", help="Training without a spotter.")] = False,
    lagging: Annotated[
        list[Muscle] | None,
        typer.Option(help="A muscle to prioritise (repeat). Default: the physique analysis."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Same inputs and seed, same plan.")] = 0,
    html: Annotated[Path | None, typer.Option(help="Also write a printable plan here.")] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Generate a mesocycle and make it your active plan.

    Example: failwise plan new --goal hypertrophy --days 3 --minutes 60 --alone
    """
    kit = None
    if equipment:
        try:
            kit = [Equipment(item.strip()) for item in equipment.split(",") if item.strip()]
        except ValueError as error:
            raise InvalidInput(f"{error}: use {', '.join(e.value for e in Equipment)}") from None
    with training_log(user) as log:
        plans = log.plans
        request = plans.request_for(
            log.lifter.id,
            goal=goal,
            days=days,
            minutes=minutes,
            equipment=kit,
            spotter=False if alone else None,
            lagging=lagging,
            experience=experience,
            seed=seed,
        )
        stored, plan = plans.create(log.lifter.id, request)
    if html is not None:
        html.write_text(render_plan_html(plan, title=stored.name), encoding="utf-8")
    if as_json:
        emit_json(plan_to_dict(plan))
        return
    console.print(
        f"Plan {stored.id}: {shown(stored.name)}, {len(plan.weeks) - 1} accumulation weeks "
        "and a deload."
    )
    if request.lagging:
        console.print("Prioritised: " + ", ".join(sorted(m.value for m in request.lagging)))
    _show_plan(plan, 1, log.lifter.prefs.unit)
    console.print(
        "See every week with `failwise plan show`; today's session with `failwise today`."
    )


@plan_app.command("show")
def plan_show_command(
    week: Annotated[int | None, typer.Option(help="Only this week.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write a printable plan here.")] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Your active plan, week by week.

    Example: failwise plan show --week 2
    """
    with training_log(user) as log:
        found = log.plans.active(log.lifter.id)
        unit = log.lifter.prefs.unit
    if found is None:
        raise InvalidInput("no active plan yet: create one with `failwise plan new`")
    stored, plan = found
    if html is not None:
        html.write_text(render_plan_html(plan, title=stored.name), encoding="utf-8")
        console.print(f"Printable plan: {shown(html)}")
    if as_json:
        emit_json(plan_to_dict(plan))
        return
    _show_plan(plan, week, unit)


@plan_app.command("next")
def plan_next_command(user: UserOption = None, as_json: JsonFlag = False) -> None:
    """Generate the next mesocycle from how the active one went.

    Example: failwise plan next
    """
    with training_log(user) as log:
        stored, plan = log.plans.next_plan(log.lifter.id)
        unit = log.lifter.prefs.unit
    if as_json:
        emit_json(plan_to_dict(plan))
        return
    console.print(f"Plan {stored.id}: the next mesocycle, seed {stored.request.get('seed')}.")
    _show_plan(plan, 1, unit)


@app.command("today")
def today_command(
    start: Annotated[bool, typer.Option("--start", help="Open a workout for it.")] = False,
    unit: UnitOption = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Today's session from your active plan, adapted to what you logged.

    Example: failwise today --start
    """
    with training_log(user) as log:
        plans = log.plans
        today = plans.start_today(log.lifter.id) if start else plans.today(log.lifter.id)
        shown_in = unit_named(unit) if unit else log.lifter.prefs.unit
    if today is None:
        raise InvalidInput("no active plan yet: create one with `failwise plan new`")
    if as_json:
        emit_json(today_payload(today, shown_in))
        return
    header = f"Week {today.week}, {shown(today.session.name)}"
    if today.early_deload:
        header += " — deload brought forward: accumulated fatigue persists"
    elif today.deload:
        header += " — deload"
    console.print(f"[bold]{header}[/]")
    table = Table()
    table.add_column("exercise")
    table.add_column("sets")
    table.add_column("why")
    for item in today.exercises:
        lines = [
            _load(w.load_kg, item.planned.exercise.increment_kg, shown_in)
            + f"{w.reps} @ {w.target_rir} [{POLICY_STYLE[w.failure]}]{w.failure.value}[/]"
            for w in item.planned.sets
        ]
        table.add_row(shown(item.planned.exercise.name), "\n".join(lines), shown(item.note))
    console.print(table)
    if not today.fatigue.fatigued:
        return
    console.print(f"[yellow]{shown(today.fatigue.summary)}[/] {shown(today.volume_note)}")


@app.command("settings")
def settings_command(
    unit: Annotated[str | None, typer.Option(help="kg or lb.")] = None,
    experience: Annotated[Experience | None, typer.Option(help="Training experience.")] = None,
    spotter: Annotated[
        bool | None, typer.Option("--spotter/--alone", help="Usually a spotter, or alone.")
    ] = None,
    sex: Annotated[str | None, typer.Option(help="male or female (body-fat formula).")] = None,
    age: Annotated[float | None, typer.Option(help="Years.")] = None,
    height: Annotated[float | None, typer.Option("--height", help="Height in cm.")] = None,
    lagging: Annotated[
        list[Muscle] | None, typer.Option(help="A muscle to prioritise (repeat).")
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show or change your settings; only the options given change.

    Example: failwise settings --sex male --age 34 --height 180 --alone
    """
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "unit": unit,
            "experience": experience.value if experience else None,
            "spotter": spotter,
            "sex": sex,
            "age": age,
            "height_cm": height,
            "lagging": [m.value for m in lagging] if lagging else None,
        }.items()
        if value is not None
    }
    with training_log(user) as log:
        lifter = log.lifter
        if changes:
            lifter = log.accounts.update_settings(lifter.id, changes)
    if as_json:
        emit_json(lifter.settings)
        return
    table = Table(title=f"Settings of {shown(lifter.username)}")
    table.add_column("setting")
    table.add_column("value")
    for key, value in sorted(lifter.settings.items()):
        table.add_row(shown(key), "–" if value in (None, []) else shown(value))
    console.print(table)


@app.command("measure")
def measure_command(
    weight: Annotated[float | None, typer.Option(help="Body weight, kg.")] = None,
    height: Annotated[float | None, typer.Option(help="Height, cm.")] = None,
    body_fat: Annotated[
        float | None, typer.Option("--body-fat", help="Body fat %, if measured.")
    ] = None,
    neck: Annotated[float | None, typer.Option(help="cm, below the larynx.")] = None,
    waist: Annotated[float | None, typer.Option(help="cm, at the navel (men).")] = None,
    hips: Annotated[float | None, typer.Option(help="cm, widest point.")] = None,
    shoulders: Annotated[float | None, typer.Option(help="cm.")] = None,
    chest: Annotated[float | None, typer.Option(help="cm.")] = None,
    arm: Annotated[float | None, typer.Option(help="cm, flexed.")] = None,
    forearm: Annotated[float | None, typer.Option(help="cm.")] = None,
    thigh: Annotated[float | None, typer.Option(help="cm.")] = None,
    calf: Annotated[float | None, typer.Option(help="cm.")] = None,
    wrist: Annotated[float | None, typer.Option(help="cm.")] = None,
    user: UserOption = None,
) -> None:
    """Record today's body measurements (for `failwise physique`).

    Example: failwise measure --weight 82.5 --height 180 --neck 38 --waist 85 --arm 38
    """
    sizes = {
        name: value
        for name, value in {
            "neck": neck,
            "waist": waist,
            "hips": hips,
            "shoulders": shoulders,
            "chest": chest,
            "arm": arm,
            "forearm": forearm,
            "thigh": thigh,
            "calf": calf,
            "wrist": wrist,
        }.items()
        if value is not None
    }
    for name, value in [*sizes.items(), ("weight", weight), ("height", height)]:
        if value is not None and value <= 0:
            raise InvalidInput(f"{name} must be a positive number, not {value:g}", field=name)
    if body_fat is not None and not 2 <= body_fat <= 70:
        raise InvalidInput(f"body fat must be 2 to 70%, not {body_fat:g}", field="body_fat")
    with training_log(user) as log:
        log.checkins.add_measurement(
            log.lifter.id,
            Measurement(
                measured_on=log.core.clock().date(),
                body_weight_kg=weight,
                height_cm=height,
                body_fat_pct=body_fat,
                circumferences_cm=sizes,
            ),
        )
    console.print("Measurements recorded. `failwise physique` reads them.")

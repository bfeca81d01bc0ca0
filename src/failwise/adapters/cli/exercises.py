"""Your own exercises: what an import guessed from an unknown name, and how to correct it.

An import turns each exercise name the catalog does not know into an exercise of
the lifter's own, its attributes guessed from the name on the cautious side
(:mod:`failwise.domain.guess`). ``failwise exercise list`` flags the guesses,
``show`` prints every attribute and what the coach makes of it, ``edit``
corrects them (:meth:`~failwise.services.exercises.Exercises.correct_custom`).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag
from failwise.adapters.cli.output import POLICY_STYLE, console, emit_json, fmt, shown
from failwise.adapters.cli.training import UserOption
from failwise.adapters.cli.wiring import training_log
from failwise.domain.context import SetContext
from failwise.domain.decision import prescribe
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, InjuryRisk, Mechanics, Muscle, Pattern

exercise_app = typer.Typer(
    help=(
        "Your own exercises: what an import guessed from a name the catalog did not know, "
        'and how to correct it.\n\nExample: failwise exercise show "Log Press"'
    ),
    no_args_is_help=True,
)
app.add_typer(exercise_app, name="exercise")

GUESSED = "guessed from the name — check it"
NameArgument = Annotated[str, typer.Argument(help="The exercise's name (or id).")]


def _muscles(option: str, values: list[str] | None) -> list[Muscle] | None:
    """``--primary chest,triceps`` or ``--primary chest --primary triceps``."""
    if values is None:
        return None
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    try:
        return [Muscle(name) for name in names]
    except ValueError:
        allowed = ", ".join(m.value for m in Muscle)
        raise InvalidInput(f"{option}: muscles are {allowed}", field=option.strip("-")) from None


def _flags(exercise: Exercise) -> str:
    flags = [f"{exercise.injury_risk.value} risk"]
    if exercise.fixed_path:
        flags.insert(0, "fixed path")
    if exercise.heavy_compound:
        flags.insert(0, "heavy")
    if exercise.needs_spotter:
        flags.append("needs a spotter")
    return ", ".join(flags)


@exercise_app.command("list")
def list_command(user: UserOption = None, as_json: JsonFlag = False) -> None:
    """Your own exercises, those whose attributes were guessed first.

    Example: failwise exercise list
    """
    with training_log(user) as log:
        mine = sorted(
            (e for e in log.catalog() if e.custom), key=lambda e: (not e.guessed, e.name.lower())
        )
    if as_json:
        emit_json([payloads.exercise_detail(e) for e in mine])
        return
    if not mine:
        console.print(
            "No exercises of your own yet: an import makes one for each name the catalog "
            "does not know."
        )
        return
    table = Table(title=f"{len(mine)} exercises of your own")
    for column in ("name", "equipment", "type", "movement", "primary", "risk", "guessed"):
        table.add_column(column)
    for exercise in mine:
        table.add_row(
            shown(exercise.name),
            exercise.equipment.value,
            exercise.mechanics.value,
            exercise.pattern.value,
            ", ".join(m.value for m in exercise.primary),
            _flags(exercise),
            "[yellow]yes — check it[/]" if exercise.guessed else "",
        )
    console.print(table)
    if any(e.guessed for e in mine):
        console.print(
            'Check a guess with [bold]failwise exercise show "NAME"[/], correct it with '
            '[bold]failwise exercise edit "NAME" --equipment … --pattern …[/].'
        )


def _show(exercise: Exercise, *, spotter: bool) -> None:
    title = shown(exercise.name) + (f"  [yellow]({GUESSED})[/]" if exercise.guessed else "")
    table = Table(title=title, show_header=False)
    table.add_column("attribute")
    table.add_column("value")
    rows = (
        ("equipment", exercise.equipment.value),
        ("type", exercise.mechanics.value),
        ("movement", exercise.pattern.value),
        ("primary muscles", ", ".join(m.value for m in exercise.primary)),
        ("secondary muscles", ", ".join(m.value for m in exercise.secondary) or "–"),
        ("fixed path (a machine guides it)", "yes" if exercise.fixed_path else "no"),
        ("heavy compound", "yes" if exercise.heavy_compound else "no"),
        ("needs a spotter (can pin you)", "yes" if exercise.needs_spotter else "no"),
        ("injury risk when form breaks", exercise.injury_risk.value),
        ("smallest load step", f"{fmt(exercise.increment_kg, 2)} kg"),
        ("yours", "yes" if exercise.custom else "no (built-in)"),
    )
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    last = prescribe(SetContext(exercise=exercise, set_number=3, total_sets=3, spotter=spotter))
    alone = "" if spotter else ", training alone"
    console.print(
        f"Last of three sets{alone}: [{POLICY_STYLE[last.failure]}]"
        f"{last.failure.value.upper()}[/] {last.target_rir}"
        + (f" — {shown(last.reasons[0].text)}" if last.reasons else "")
    )
    if exercise.guessed:
        console.print(
            f'Correct it with [bold]failwise exercise edit "{shown(exercise.name)}"[/] and the '
            "options that are wrong (see --help); an edit with no option confirms the guess."
        )


@exercise_app.command("show")
def show_command(name: NameArgument, user: UserOption = None, as_json: JsonFlag = False) -> None:
    """Every attribute of an exercise, whether it was guessed, and what the coach makes of it.

    Example: failwise exercise show "Snatch Grip Deadlift"
    """
    with training_log(user) as log:
        exercise = log.catalog().resolve(name)
        spotter = log.lifter.prefs.spotter
    if as_json:
        emit_json(payloads.exercise_detail(exercise))
        return
    _show(exercise, spotter=spotter)


@exercise_app.command("edit")
def edit_command(
    name: NameArgument,
    equipment: Annotated[Equipment | None, typer.Option(help="What is lifted.")] = None,
    mechanics: Annotated[
        Mechanics | None, typer.Option(help="compound (several joints) or isolation (one).")
    ] = None,
    pattern: Annotated[Pattern | None, typer.Option(help="The movement pattern.")] = None,
    primary: Annotated[
        list[str] | None, typer.Option(help="Muscles it trains most, e.g. shoulders,triceps.")
    ] = None,
    secondary: Annotated[
        list[str] | None, typer.Option(help="Muscles it also works (give '' for none).")
    ] = None,
    fixed_path: Annotated[
        bool | None,
        typer.Option(
            "--fixed-path/--free-path",
            help="A machine guides it (default: follows --equipment).",
        ),
    ] = None,
    heavy_compound: Annotated[
        bool | None, typer.Option("--heavy/--not-heavy", help="A heavy compound (squat kin).")
    ] = None,
    needs_spotter: Annotated[
        bool | None,
        typer.Option("--needs-spotter/--no-spotter-needed", help="A failed rep can pin you."),
    ] = None,
    injury_risk: Annotated[
        InjuryRisk | None, typer.Option(help="Injury risk when form breaks down.")
    ] = None,
    increment_kg: Annotated[
        float | None, typer.Option("--increment-kg", help="The smallest load step, in kg.")
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Correct what was guessed about one of your own exercises; what you leave out stays.

    Example: failwise exercise edit "Log Press" --pattern vertical-push --primary shoulders
    """
    changes: dict[str, Any] = {
        "equipment": equipment,
        "mechanics": mechanics,
        "pattern": pattern,
        "primary": _muscles("--primary", primary),
        "secondary": _muscles("--secondary", secondary),
        "fixed_path": fixed_path,
        "heavy_compound": heavy_compound,
        "needs_spotter": needs_spotter,
        "injury_risk": injury_risk,
        "increment_kg": increment_kg,
    }
    _correct(name, changes, user=user, as_json=as_json)


def _correct(name: str, changes: dict[str, Any], *, user: str | None, as_json: bool) -> None:
    """Save the options given (``None`` is an option left out) and show the exercise."""
    given = {key: value for key, value in changes.items() if value is not None}
    with training_log(user) as log:
        corrected = log.exercises.correct_custom(log.lifter.id, name, **given)
        spotter = log.lifter.prefs.spotter
    if as_json:
        emit_json(payloads.exercise_detail(corrected))
        return
    console.print(f"Saved {shown(corrected.name)}: no longer a guess.")
    _show(corrected, spotter=spotter)

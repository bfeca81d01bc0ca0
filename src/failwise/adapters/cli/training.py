"""The training log on the command line: lifters, workouts, logging sets, history.

Every command opens the database once (``FAILWISE_DATABASE_URL``, or a SQLite
file in the user's data directory), calls the services, and closes it. Which
lifter: ``--user NAME`` (or ``FAILWISE_USER``); without either, the local
lifter of a single-lifter install, who needs no sign-up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Annotated, Any

import typer
from rich.table import Table

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag, show_prescription
from failwise.adapters.cli.output import console, emit_json, fmt, shown
from failwise.adapters.cli.wiring import accounts, training_log
from failwise.domain.context import Phase
from failwise.domain.effort import rpe_from_rir
from failwise.domain.errors import InvalidEffort
from failwise.domain.exercises import Catalog, Exercise
from failwise.domain.units import Unit, unit_named
from failwise.services.core import utc_now
from failwise.services.live import NextSet
from failwise.services.plausibility import NeedsConfirmation
from failwise.services.ports import NotFound
from failwise.services.records import NewSet, SetType, StoredSet, Workout
from failwise.services.reported import LogRequest
from failwise.services.sets import LogResult

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        envvar="FAILWISE_USER",
        help="The lifter (default: the local lifter of this install).",
        show_envvar=True,
    ),
]
SetsOption = Annotated[
    int | None,
    typer.Option(
        "--sets",
        min=1,
        help="Working sets planned for this exercise today (default: the plan's, else 3).",
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", help="kg or lb for the loads you type and see (default: your setting)."),
]
SpotterOption = Annotated[
    bool | None,
    typer.Option(
        "--spotter/--alone",
        help="A spotter is there, or you train alone (default: your setting).",
        show_default=False,
    ),
]

user_app = typer.Typer(
    help="The lifters of this install.\n\nExample: failwise user create ann --password-stdin",
    no_args_is_help=True,
)
workout_app = typer.Typer(
    help="Start, finish and look back at workouts.\n\nExample: failwise workout start",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")
app.add_typer(workout_app, name="workout")


# --- how sets and workouts read ------------------------------------------------------------
def _effort(rir: float | None) -> str:
    if rir is None:
        return "an unknown RIR"
    return f"RIR {fmt(rir)} (RPE {fmt(rpe_from_rir(rir))})"


def _actual(data: NewSet, unit: Unit) -> str:
    """``140 × 5 @ RIR 2``: a set as done, for a table whose title says the unit."""
    done = f"{fmt(unit.of_kg(data.load), 2)} × {data.reps}"
    return done if data.rir is None else f"{done} @ RIR {fmt(data.rir)}"


def _rpe(rir: float | None) -> str:
    # Derived, never stored.
    return "" if rir is None else fmt(rpe_from_rir(rir))


def _target(data: NewSet, unit: Unit) -> str:
    """``145 × 5 @ RIR 1–3``: what the set was planned to be."""
    parts = []
    if data.target_load is not None and data.target_reps is not None:
        parts.append(f"{fmt(unit.of_kg(data.target_load), 2)} × {data.target_reps}")
    elif data.target_reps is not None:
        parts.append(f"{data.target_reps} reps")
    elif data.target_load is not None:
        parts.append(fmt(unit.of_kg(data.target_load), 2))
    low, high = data.target_rir_low, data.target_rir_high
    if low is not None or high is not None:
        low = high if low is None else low
        high = low if high is None else high
        assert low is not None and high is not None
        parts.append(f"RIR {fmt(low)}" if low == high else f"RIR {fmt(low)}–{fmt(high)}")
    return " @ ".join(parts)


def _failure(data: NewSet) -> str:
    if not data.to_failure:
        return ""
    if data.is_test:
        return f"test: RIR {fmt(data.test_predicted_rir or 0)} at rep {data.test_reps_at_call}"
    return data.failure_kind.value if data.failure_kind else "yes"


def _clock(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _workout_json(workout: Workout) -> dict[str, Any]:
    return {
        "id": workout.id,
        "started_at": payloads.utc_iso(workout.started_at),
        "finished_at": payloads.utc_iso(workout.finished_at),
        "open": workout.is_open,
        "phase": workout.phase.value,
        "notes": workout.notes,
    }


def _next_line(following: NextSet) -> str:
    """``Next: set 2 of 3 — 5 × 112.5 kg at RIR 1–3``, or that the exercise is done."""
    if following.exercise_done:
        then = (
            f" Next: [bold]{shown(following.next_exercise.name)}[/]."
            if following.next_exercise is not None
            else ""
        )
        return (
            f"[bold]{shown(following.exercise.name)} is done[/]: all "
            f"{following.total_sets} working sets logged.{then} "
            "[dim](for one more set, log it with --sets "
            f"{following.total_sets + 1})[/]"
        )
    head = f"Next: set {following.set_number} of {following.total_sets} — "
    target = following.prescription.target_rir
    if following.load is None:
        return (
            f"{head}{following.reps} reps at {target} "
            "[dim](no load yet: log a working set with its load to get one)[/]"
        )
    load = f"{fmt(following.load_shown or 0.0, 2)} {following.unit}"
    why = f" [dim]({shown(following.why)})[/]" if following.why else ""
    return f"{head}[bold]{following.reps} × {load}[/] at {target}{why}"


def _show_next(following: NextSet) -> None:
    if not following.exercise_done:
        show_prescription(
            following.prescription,
            title=(
                f"{shown(following.exercise.name)} — "
                f"set {following.set_number} of {following.total_sets}"
            ),
        )
    console.print(_next_line(following))
    if following.e1rm is not None and not following.exercise_done:
        e1rm = following.unit.of_kg(following.e1rm)
        console.print(f"[dim]from an e1RM of {fmt(e1rm)} {following.unit}[/]")


def _unit(name: str | None) -> Unit | None:
    """The --unit option; without it, the lifter's own setting decides."""
    return None if name is None else unit_named(name)


# --- failwise user ---------------------------------------------------------------------------
def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("create")
def user_create_command(
    name: Annotated[str, typer.Argument(help="Username: letters, digits, '.', '_' or '-'.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Create a lifter with a password, and print a bearer token for the API.

    Example: failwise user create ann
    """
    password = _read_password(password_stdin)
    with accounts() as lifters:
        session = lifters.sign_up(name, password)
    if as_json:
        emit_json(
            {
                "user": {
                    "id": session.user.id,
                    "username": session.user.username,
                    "created_at": payloads.utc_iso(session.user.created_at),
                },
                "token": session.token,
                "token_type": "bearer",
                "expires_at": payloads.utc_iso(session.expires_at),
            }
        )
        return
    console.print(f"Created lifter [bold]{shown(session.user.username)}[/] (id {session.user.id}).")
    console.print(
        f"API token, valid until {session.expires_at:%Y-%m-%d} "
        "(send it as 'Authorization: Bearer TOKEN'; it is shown only once):"
    )
    console.print(session.token, soft_wrap=True)
    console.print(f"Log sets as this lifter with --user {shown(session.user.username)}.")


# --- failwise workout ------------------------------------------------------------------------
@workout_app.command("start")
def workout_start_command(
    phase: Annotated[Phase, typer.Option(help="Training phase.")] = Phase.NORMAL,
    notes: Annotated[str, typer.Option(help="Notes on the workout.")] = "",
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Start a workout; the sets you log go into it until you finish it.

    Example: failwise workout start --phase high-volume --notes "legs"
    """
    with training_log(user) as log:
        workout = log.workouts.start(log.lifter.id, phase=phase, notes=notes)
    if as_json:
        emit_json(_workout_json(workout))
        return
    console.print(
        f"Workout {workout.id} started {_clock(workout.started_at)} UTC, "
        f"{workout.phase.value} phase."
    )


@workout_app.command("finish")
def workout_finish_command(user: UserOption = None, as_json: JsonFlag = False) -> None:
    """Finish the open workout and show what was done in it.

    Example: failwise workout finish
    """
    with training_log(user) as log:
        workout = log.workouts.finish(log.lifter.id)
        sets = log.workouts.get(log.lifter.id, workout.id).sets
        catalog = log.catalog()
        unit = log.lifter.prefs.unit
    if as_json:
        emit_json(
            {
                **_workout_json(workout),
                "sets": [payloads.stored_set(s, catalog.get(s.exercise_id), unit) for s in sets],
            }
        )
        return
    _show_workout(workout, sets, catalog, unit)


@workout_app.command("show")
def workout_show_command(
    workout_id: Annotated[
        int | None, typer.Argument(help="Workout id (default: the open or latest one).")
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A workout's sets, target and actual side by side.

    Example: failwise workout show 12
    """
    with training_log(user) as log:
        if workout_id is None:
            recent = log.workouts.latest(log.lifter.id)
            if not recent:
                raise NotFound(
                    "no workouts yet: start one with `failwise workout start` or log a set"
                )
            workout_id = next((w for w in recent if w.is_open), recent[0]).id
        detail = log.workouts.get(log.lifter.id, workout_id)
        catalog = log.catalog()
        unit = log.lifter.prefs.unit
    if as_json:
        emit_json(
            {
                **_workout_json(detail.workout),
                "sets": [
                    payloads.stored_set(s, catalog.get(s.exercise_id), unit) for s in detail.sets
                ],
            }
        )
        return
    _show_workout(detail.workout, detail.sets, catalog, unit)


def _show_workout(
    workout: Workout, sets: tuple[StoredSet, ...], catalog: Catalog, unit: Unit
) -> None:
    if workout.finished_at is None:
        state = "open"
    else:
        minutes = round((workout.finished_at - workout.started_at).total_seconds() / 60)
        state = f"finished after {minutes // 60} h {minutes % 60:02d} min"
    title = (
        f"Workout {workout.id}: {_clock(workout.started_at)} UTC, {workout.phase.value} phase, "
        f"{state}"
    )
    if not sets:
        console.print(f"{title}\nNo sets logged.")
        return
    table = Table(title=f"{title} ({unit})", caption=shown(workout.notes) or None)
    for column in ("#", "exercise", "target", "actual", "RPE", "type", "failure"):
        table.add_column(column, justify="right" if column in ("#", "RPE") else "left")
    for stored in sets:
        data = stored.data
        table.add_row(
            str(stored.position),
            shown(catalog.get(stored.exercise_id).name),
            _target(data, unit),
            _actual(data, unit),
            _rpe(data.rir),
            data.set_type.value,
            _failure(data),
        )
    console.print(table)


# --- failwise log / next ---------------------------------------------------------------------
@contextmanager
def _confirm_with_the_flag() -> Iterator[None]:
    """A load to confirm says how on the command line: again with --confirm."""
    try:
        yield
    except NeedsConfirmation as error:
        raise NeedsConfirmation(
            str(error).replace("Log it again to confirm.", "Log it again with --confirm."),
            load_kg=error.load_kg,
            limit_kg=error.limit_kg,
        ) from None


KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="Idempotency key: a retry with the same key stores nothing."),
]
# An RIR test: at one rep the lifter calls the reps left, then goes on to failure.
TestCallOption = Annotated[
    int | None,
    typer.Option("--test-call", help="RIR test: the rep at which you called --test-rir."),
]
TestRirOption = Annotated[
    float | None,
    typer.Option("--test-rir", help="RIR test: the RIR you called (then went to failure)."),
]
ConfirmOption = Annotated[
    bool,
    typer.Option("--confirm", help="Store a load far above your e1RM: it is not a typo."),
]


@app.command("log", context_settings={"ignore_unknown_options": True})
def log_command(
    exercise: Annotated[str, typer.Argument(help="Exercise name, alias or id.")],
    load: Annotated[float, typer.Argument(help="Load lifted, in your unit (kg or lb).")],
    reps: Annotated[int, typer.Argument(help="Reps done.")],
    rir: Annotated[float | None, typer.Option("--rir", help="Reps left in reserve.")] = None,
    rpe: Annotated[float | None, typer.Option("--rpe", help="RPE of the set.")] = None,
    failure: Annotated[bool, typer.Option("--failure", help="The set went to failure.")] = False,
    set_type: Annotated[SetType, typer.Option("--type", help="Kind of set.")] = SetType.WORKING,
    sets: SetsOption = None,
    spotter: SpotterOption = None,
    unit: UnitOption = None,
    key: KeyOption = None,
    test_call: TestCallOption = None,
    test_rir: TestRirOption = None,
    notes: Annotated[str, typer.Option(help="Notes on the set.")] = "",
    confirm: ConfirmOption = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Log a set, and get the next set's load, reps and whether to go to failure.

    The coach's plan for the set (what `failwise next` shows) is stored as its
    target: the RIR range always, the load and reps when you lifted the
    planned load. An RIR test (--test-call REP --test-rir X) is a set where at
    rep REP you called X reps left, then went on to failure at REPS. A load far above
    your e1RM (a typo?) is stored only with --confirm.

    Example: failwise log "Squat (Barbell)" 140 5 --rir 2
    """
    if rir is not None and rpe is not None:
        raise InvalidEffort("give either --rir or --rpe, not both")
    with training_log(user) as log, _confirm_with_the_flag():
        result = log.sets.log(
            log.lifter.id,
            LogRequest(
                exercise=exercise,
                load=load,
                reps=reps,
                rir=rir,
                rpe=rpe,
                set_type=set_type,
                to_failure=failure,
                test_reps_at_call=test_call,
                test_predicted_rir=test_rir,
                notes=notes,
                idempotency_key=key,
                total_sets=sets,
                spotter=spotter,
                unit=_unit(unit),
                confirmed=confirm,
            ),
        )
    if as_json:
        emit_json(_logged_json(result))
        return
    _show_logged(result, key)


def _logged_json(result: LogResult) -> dict[str, Any]:
    """The JSON of ``failwise log``: the set stored, the next one, any new record."""
    return {
        "set": payloads.stored_set(result.set, result.exercise, result.next.unit),
        "next": payloads.next_set(result.next),
        "created": result.created,
        "warning": result.warning,
        "records": payloads.new_records(result.records, result.next.unit),
        "record": payloads.record_text(result.records, result.next.unit),
    }


def _show_logged(result: LogResult, key: str | None) -> None:
    """The set as stored (or found stored under ``key``), a new record, then the next set."""
    data = result.set.data
    lifted = f"{fmt(result.next.unit.of_kg(data.load), 2)} {result.next.unit}"
    what = (
        f"{shown(result.exercise.name)}: {lifted} × {data.reps} at {_effort(data.rir)}, "
        f"{data.set_type.value} set {result.set.position} of workout {result.set.workout_id}"
    )
    if result.created:
        console.print(f"Logged {what}.")
    else:
        console.print(
            f"[yellow]Already logged with key {shown(repr(key))}, nothing stored again:[/] {what}."
        )
    if result.warning:
        console.print(f"[bold red]{shown(result.warning)}[/]")
    record = payloads.record_text(result.records, result.next.unit)
    if record:
        console.print(f"[bold green]{shown(record)}[/]")
    if result.next.assumed_rir is not None:
        console.print(
            "[yellow]No RIR logged: the coach takes this set at "
            f"RIR {fmt(result.next.assumed_rir)}.[/]"
        )
    _show_next(result.next)


@app.command("next")
def next_command(
    exercise: Annotated[str, typer.Argument(help="Exercise name, alias or id.")],
    sets: SetsOption = None,
    spotter: SpotterOption = None,
    unit: UnitOption = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The next set of an exercise: load, reps, target RIR, and whether to go to failure.

    Example: failwise next "Bench Press (Barbell)" --sets 4 --alone
    """
    with training_log(user) as log:
        following = log.prescriptions.next_set(
            log.lifter.id, exercise, total_sets=sets, spotter=spotter, unit=_unit(unit)
        )
    if as_json:
        emit_json(payloads.next_set(following))
        return
    _show_next(following)


# --- failwise history ----------------------------------------------------------------------
@app.command("history")
def history_command(
    exercise: Annotated[
        str | None, typer.Argument(help="Only this exercise, with its e1RM by day.")
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, help="How far back to look.")] = 4,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The sets you logged, day by day; with an exercise, its estimated 1RM by day.

    Days are UTC days, as stored.

    Example: failwise history "Squat (Barbell)" --weeks 8
    """
    since = utc_now() - timedelta(weeks=weeks)
    with training_log(user) as log:
        catalog = log.catalog()
        found = catalog.resolve(exercise) if exercise is not None else None
        sets = log.insights.history(
            log.lifter.id, found.id if found is not None else None, since=since
        )
        first_day = datetime.combine(since.date(), time())
        series = (
            # From the start of the first day shown: that day's best e1RM reads all its sets.
            dict(log.insights.e1rm_series(log.lifter.id, found.id, since=first_day))
            if found is not None
            else {}
        )
        unit = log.lifter.prefs.unit
    days = [(day, list(group)) for day, group in groupby(sets, key=lambda s: s.logged_at.date())]
    if as_json:
        emit_json(_history_json(found, since, days, series, catalog=catalog, unit=unit))
        return
    if not days:
        about = f"{shown(found.name)} sets" if found is not None else "sets"
        console.print(f"No {about} in the last {weeks} weeks.")
        return
    console.print(_history_table(found, weeks, days, catalog=catalog, unit=unit))
    if found is not None and series:
        console.print(_e1rm_table(series, since, unit))


_Days = list[tuple[date, list[StoredSet]]]
"""Sets grouped by the UTC day they were logged on."""


def _history_json(
    found: Exercise | None,
    since: datetime,
    days: _Days,
    series: dict[date, float],
    *,
    catalog: Catalog,
    unit: Unit,
) -> dict[str, Any]:
    """The JSON of ``failwise history``: each day's sets, and its e1RM for one exercise."""
    return {
        "exercise": payloads.exercise_ref(found) if found is not None else None,
        "since": payloads.utc_iso(since),
        "days": [
            {
                "day": day.isoformat(),
                "sets": [
                    payloads.stored_set(s, catalog.get(s.exercise_id), unit) for s in day_sets
                ],
                "unit": unit.name.value,
                "e1rm": round(unit.of_kg(series[day]), 2) if day in series else None,
            }
            for day, day_sets in days
        ],
    }


def _history_table(
    found: Exercise | None, weeks: int, days: _Days, *, catalog: Catalog, unit: Unit
) -> Table:
    """The sets day by day, a section a day; the exercise's column only for all of them."""
    about = f"{shown(found.name)} sets" if found is not None else "Sets"
    table = Table(title=f"{about}, last {weeks} weeks ({unit}, UTC days)")
    columns = ["day", "time", "set", "RPE", "type", "failure"]
    if found is None:
        columns.insert(2, "exercise")
    for column in columns:
        table.add_column(column, justify="right" if column == "RPE" else "left")
    for day, day_sets in days:
        for index, stored in enumerate(day_sets):
            data = stored.data
            cells = [
                day.isoformat() if index == 0 else "",
                f"{stored.logged_at:%H:%M}",
                _actual(data, unit),
                _rpe(data.rir),
                data.set_type.value,
                _failure(data),
            ]
            if found is None:
                cells.insert(2, shown(catalog.get(stored.exercise_id).name))
            table.add_row(*cells)
        table.add_section()
    return table


def _e1rm_table(series: dict[date, float], since: datetime, unit: Unit) -> Table:
    """The estimated 1RM of each day from ``since`` on."""
    trend = Table(title="Estimated 1RM by day")
    trend.add_column("day")
    trend.add_column("e1RM", justify="right")
    for day, value in series.items():
        if day >= since.date():
            trend.add_row(day.isoformat(), f"{fmt(unit.of_kg(value))} {unit}")
    return trend

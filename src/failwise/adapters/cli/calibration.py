"""``failwise calibrate``: how far a lifter's RIR calls are from tested failure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.panel import Panel
from rich.table import Table

from failwise.adapters import payloads
from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag
from failwise.adapters.cli.output import console, emit_json, fmt, shown
from failwise.adapters.cli.training import UserOption
from failwise.adapters.csvfiles import (
    number,
    optional_number,
    parse_cell,
    read_rows,
    timestamp,
    whole_number,
    wrap_line,
)
from failwise.domain.calibration import (
    MAX_UNCERTAINTY,
    MIN_TESTS,
    POPULATION_BIAS,
    REFERENCE_REPS,
    Calibration,
    RirTest,
    Verdict,
    calibrate,
    correct_rir,
)
from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog, Exercise
from failwise.services.catalog import builtin_catalog
from failwise.services.imports import resolve_exercise

COLUMNS = ("date", "exercise", "load", "reps", "predicted_rir", "reps_at_failure")
"""The header of a calibration file, in order."""

T = TypeVar("T")


def _required(convert: Callable[[str], T]) -> Callable[[str], T]:
    def required(text: str) -> T:
        if not text:
            raise InvalidInput("is empty")
        return convert(text)

    return required


def _date(text: str) -> date | None:
    return timestamp(text).date() if text else None


def _rir(text: str) -> float:
    return validate_rir(number(text))


def _exercise(catalog: Catalog, name: str) -> tuple[Catalog, Exercise]:
    if not name:
        raise InvalidInput("the exercise name is empty")
    return resolve_exercise(catalog, name)


def read_tests(path: Path, catalog: Catalog | None = None) -> list[RirTest]:
    """The RIR tests of a CSV file; every error names the file, the line and the problem.

    Exercise names resolve as an import resolves them: a name the catalog does
    not know is taken as an exercise guessed from its name (nothing is stored).
    """
    catalog = catalog or builtin_catalog()
    tests = []
    for line, row in read_rows(path, COLUMNS):
        performed_on = parse_cell(path, line, "date", row["date"], _date)
        catalog, exercise = wrap_line(path, line, partial(_exercise, catalog, row["exercise"]))
        load = parse_cell(path, line, "load", row["load"], optional_number)
        reps = parse_cell(path, line, "reps", row["reps"], _required(whole_number))
        predicted = parse_cell(path, line, "predicted_rir", row["predicted_rir"], _required(_rir))
        at_failure = parse_cell(
            path, line, "reps_at_failure", row["reps_at_failure"], _required(whole_number)
        )
        test = partial(
            RirTest,
            exercise,
            reps=reps,
            predicted_rir=predicted,
            reps_at_failure=at_failure,
            performed_on=performed_on,
            load=load,
        )
        tests.append(wrap_line(path, line, test))
    return tests


_VERDICT_STYLE = {
    Verdict.ACCURATE: "bold green",
    Verdict.STOPS_SHORT: "bold yellow",
    Verdict.OVERSHOOTS: "bold red",
    Verdict.UNTESTED: "bold",
    Verdict.INCONSISTENT: "bold red",
}


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "−") + fmt(abs(value), 2)


def _reps(count: float) -> str:
    whole = int(count + 0.5)
    return f"{whole} rep" if whole == 1 else f"{whole} reps"


def _feels(calibration: Calibration, called: float) -> str:
    corrected = correct_rir(calibration, called)
    low, high = int(corrected.low + 0.5), int(corrected.high + 0.5)
    return (
        f"When you feel {_reps(called)} left, you have about {_reps(corrected.rir)} ({low}–{high})."
    )


def _advice(calibration: Calibration) -> str:
    one = _reps(correct_rir(calibration, 1).rir)
    three = _reps(correct_rir(calibration, 3).rir)
    return {
        Verdict.ACCURATE: "Trust your calls: a set you stop at RIR 1–3 is where you think it is.",
        Verdict.STOPS_SHORT: (
            f"A set you end at 'RIR 1' still has about {one} in it: push further before "
            "you stop, and add the correction to your calls."
        ),
        Verdict.OVERSHOOTS: (
            f"A set you end at 'RIR 3' has only about {three} left: stop earlier on heavy "
            "compounds, where reaching failure by surprise costs the most."
        ),
        Verdict.INCONSISTENT: (
            f"Your calls scatter by about ±{fmt(calibration.scatter or 0.0, 1)} reps from set "
            "to set (trained lifters' err by about 0.65 near failure, Refalo et al. 2023): "
            "no correction makes a single call hold. Keep a margin, RIR 2–3 on heavy "
            "compounds, and test again."
        ),
        Verdict.UNTESTED: (
            f"Lifters underpredict by about {fmt(POPULATION_BIAS, 2)} reps on average "
            "(Halperin et al. 2022). To test: on a machine or isolation exercise, call your "
            "RIR at the rep where you would normally stop, keep going to failure, log both."
        ),
    }[calibration.verdict]


def _by_reps(calibration: Calibration) -> str:
    at = [f"at {reps} reps" if reps == 5 else f"at {reps}" for reps in (5, 10, 20)]
    corrections = [_signed(calibration.correction_for(reps)) for reps in (5, 10, 20)]
    return "By set length: " + ", ".join(
        f"{where} {correction}" for where, correction in zip(at, corrections, strict=True)
    )


def show_calibration(calibration: Calibration) -> None:
    """Print a calibration for a person."""
    verdict = calibration.verdict
    lines = [
        f"[{_VERDICT_STYLE[verdict]}]{verdict.value.upper()}[/]  "
        f"correction {_signed(calibration.correction)} reps at 10 reps "
        f"(± {fmt(calibration.by_reps.sd_at(REFERENCE_REPS), 2)})",
        f"[dim]{verdict.description}[/]",
        _by_reps(calibration) + " (longer sets, calls further off: Halperin et al. 2022)",
        "",
        _feels(calibration, 1),
        _feels(calibration, 3),
        "",
        _advice(calibration),
    ]
    tests = f"{calibration.tests} test" + ("" if calibration.tests == 1 else "s")
    if calibration.history_tests:
        tests += f", {calibration.history_tests} from your history"
    if calibration.tests and (
        calibration.tests < MIN_TESTS or calibration.uncertainty > MAX_UNCERTAINTY
    ):
        lines += [
            "",
            f"[yellow]With {tests} the estimate still leans on the population average: "
            "a few more tests will make it yours.[/]",
        ]
    if calibration.history_tests:
        lines += [
            "",
            f"[dim]{_calls(calibration.history_tests)} from your history: a set logged with "
            "an RIR, then later in the session a set to failure at the same load. Each "
            "counts half a deliberate test: the later set was tired, so it shows at least "
            "the reps that were left.[/]",
        ]
    console.print(Panel("\n".join(lines), title=f"RIR calibration — {tests}", expand=False))
    if not calibration.tests:
        return
    table = Table(title="Error = reps actually left − reps you called")
    for column in ("group", "tests", "mean error", "mean |error|", "correction", "±"):
        table.add_column(column, justify="left" if column == "group" else "right")
    groups = [(m.value, group) for m, group in calibration.by_class.items()]
    distances = [(f"called RIR {b.value}", g) for b, g in calibration.by_distance.items()]
    for index, (label, group) in enumerate(groups + distances):
        if index == len(groups):
            table.add_section()
        table.add_row(
            label,
            str(group.tests),
            _signed(group.raw_bias),
            fmt(group.mae, 2),
            _signed(group.bias),
            fmt(group.uncertainty, 2),
        )
    console.print(table)


@app.command("calibrate")
def calibrate_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="CSV with header date,exercise,load,reps,predicted_rir,reps_at_failure. "
            "Without it, the calibration your log supports: your RIR tests and the calls "
            "your history checks."
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """How far your RIR calls are from failure, from sets you took to failure.

    Each line is a test: after REPS reps you called PREDICTED_RIR reps left,
    then kept going and reached failure at REPS_AT_FAILURE reps in all.

    Without a file, your log's: every RIR test you logged, and every call your
    history checks (a set logged with an RIR, then later in the session a set
    of the same exercise at the same load to failure), counted half.

    Example: failwise calibrate tests.csv
    """
    tests = _logged_tests(user) if file is None else read_tests(file)
    result = calibrate(tests)
    if as_json:
        emit_json(payloads.calibration(result))
        return
    show_calibration(result)
    guessed = sorted({test.exercise.name for test in tests if test.exercise.guessed})
    if guessed:
        console.print(
            "Not in the catalog, so taken as exercises guessed from their names (as an "
            "import takes them): "
            + shown(", ".join(f"{name} ({_kind(tests, name)})" for name in guessed))
        )


def _logged_tests(user: str | None) -> list[RirTest]:
    """The tests the lifter's calibration reads from their log (deliberate and history)."""
    from failwise.adapters.cli.wiring import training_log

    with training_log(user) as log:
        return log.insights.rir_tests(log.lifter.id)


def _calls(count: int) -> str:
    return f"{count} call" + ("" if count == 1 else "s")


def _kind(tests: list[RirTest], name: str) -> str:
    exercise = next(test.exercise for test in tests if test.exercise.name == name)
    return f"{exercise.mechanics.value}, {exercise.equipment.value}"

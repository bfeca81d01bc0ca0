"""Stored and imported data reaches the terminal without its control characters.

A custom exercise named ``\\x1b[2J\\x1b[31mRED\\x1b[0m Lift`` cleared the screen in
``failwise history``. The service now refuses such names and notes, but a log
written before that (or by another program) may still hold them: the CLI prints
data through ``adapters/cli/output.py``, which drops escape sequences and C0,
DEL and C1 characters, and escapes Rich markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.table import Table
from sqlalchemy import select, update
from typer.testing import CliRunner, Result

from failwise.adapters.cli import app
from failwise.adapters.cli.output import console, shown, terminal_safe
from failwise.storage.database import Database
from failwise.storage.tables import CustomExerciseRow, SetRow, WorkoutRow

runner = CliRunner()

NAME = "\x1b[2J\x1b[31mRED\x1b[0m Lift [/]"
NOTES = "good set\r\x1b]0;owned\x07\x9b31mred\x7f\x08 [bold]x[/]"
WORKOUT_NOTES = "legs\x1b[8mhidden\x1b[0m day"
# Anything a terminal acts on: C0 but tab and line feed, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return sqlite_url


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    for stream in (result.stdout, result.stderr):
        assert not CONTROL.search(stream), repr(stream)
    return result


@pytest.fixture
def hostile_log(database: str, tmp_path: Path) -> str:
    """A log holding an exercise, notes and workout notes as an attacker wrote them,
    stored before the service refused them: written into the database directly."""
    export = tmp_path / "strong.csv"
    export.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\n"
        "2099-01-08 18:00:00,Legs,45m,Zercher Thing,1,100,5,0,0,,,8\n"
        "2099-01-08 18:00:00,Legs,45m,Zercher Thing,2,100,5,0,0,,,8\n"
    )
    assert run("import", str(export)).exit_code == 0
    db = Database(database)
    try:
        with db.engine.begin() as connection:
            row = connection.execute(select(CustomExerciseRow.id, CustomExerciseRow.record)).one()
            record = {**row.record, "name": NAME}
            connection.execute(
                update(CustomExerciseRow)
                .where(CustomExerciseRow.id == row.id)
                .values(record=record)
            )
            connection.execute(update(SetRow).values(notes=NOTES))
            connection.execute(update(WorkoutRow).values(notes=WORKOUT_NOTES, name=NAME))
        return str(record["id"])
    finally:
        db.dispose()


def test_terminal_safe_drops_sequences_and_controls_and_shown_escapes_markup() -> None:
    assert terminal_safe(NAME) == "RED Lift [/]"
    assert terminal_safe(NOTES) == "good set\nred [bold]x[/]"
    assert terminal_safe("a\tb\nc") == "a\tb\nc"  # layout characters stay
    assert shown(NAME) == "RED Lift \\[/]"


def test_history_workout_and_exercises_print_no_escape_sequence(hostile_log: str) -> None:
    history = run("history", "--weeks", "9999")
    assert history.exit_code == 0, history.output
    assert "RED Lift [/]" in history.stdout
    shown_workout = run("workout", "show")
    assert shown_workout.exit_code == 0, shown_workout.output
    assert "RED Lift [/]" in shown_workout.stdout and "legshidden day" in shown_workout.stdout
    listed = run("exercise", "list")
    assert listed.exit_code == 0 and "RED Lift [/]" in listed.stdout
    detail = run("exercise", "show", hostile_log)
    assert detail.exit_code == 0, detail.output
    assert "RED Lift [/]" in detail.stdout
    following = run("next", hostile_log)
    assert following.exit_code == 0, following.output
    assert "RED Lift [/]" in following.stdout


def test_json_keeps_the_data_and_escapes_what_a_terminal_acts_on(hostile_log: str) -> None:
    result = run("workout", "show", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the same data for a program, byte for byte
    assert data["notes"] == WORKOUT_NOTES
    assert [s["notes"] for s in data["sets"]] == [NOTES, NOTES]
    assert "\\u009b" in result.stdout and "\\u007f" in result.stdout


def test_errors_that_quote_input_print_no_escape_sequence() -> None:
    result = run("next", "\x1b[2J\x9b1mNo Such Lift")
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    unknown = run("history", "--user", "\x1b]0;owned\x07ann")
    assert unknown.exit_code == 1 and "ann" in unknown.stderr


def test_a_string_printed_without_shown_still_loses_its_controls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The console cleans what it writes: a command that forgot :func:`shown` cannot
    send an escape sequence (what is left of it shows as text, the table aligned).
    Markup is another matter: only :func:`shown` escapes it."""
    raw = "\x1b[2J\x1b[31mRED\x1b[0m Lift"
    table = Table(title=raw)
    table.add_column("exercise")
    table.add_row(raw + "\x9b31m\x7f")
    console.print(table)
    console.print("good set\x1b]0;owned\x07", style="bold")
    printed = capsys.readouterr().out
    assert not CONTROL.search(printed), repr(printed)
    assert "[2J[31mRED[0m Lift" in printed

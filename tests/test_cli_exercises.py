"""Your own exercises on the command line: an import's guesses flagged, shown and corrected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from failwise.adapters.cli import app

runner = CliRunner()
STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE\n"
    "2024-01-08 18:00:00,Strongman,1h,Snatch Grip Deadlift,1,140,5,0,0,,,\n"
    "2024-01-08 18:00:00,Strongman,1h,Log Press,1,80,5,0,0,,,\n"
)


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return sqlite_url


def ok(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def run_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


@pytest.fixture
def imported(tmp_path: Path) -> Result:
    export = tmp_path / "strong.csv"
    export.write_text(STRONG, encoding="utf-8")
    return ok("import", str(export))


def test_an_import_says_what_it_guessed_and_how_to_check_it(imported: Result) -> None:
    assert "guessed from the name" in imported.stdout
    assert "failwise exercise edit" in imported.stdout
    listed = ok("exercise", "list").stdout
    assert "Snatch Grip Deadlift" in listed and "Log Press" in listed
    assert listed.count("yes — check it") == 2
    mine = run_json("exercise", "list")
    assert [(e["name"], e["guessed"]) for e in mine] == [
        ("Log Press", True),
        ("Snatch Grip Deadlift", True),
    ]


def test_show_prints_every_attribute_and_what_the_coach_makes_of_it(imported: Result) -> None:
    shown = ok("exercise", "show", "Snatch Grip Deadlift").stdout
    assert "guessed from the name — check it" in shown
    assert "heavy compound" in shown and "barbell" in shown and "hinge" in shown
    assert "Last of three sets, training alone: AVOID" in shown
    data = run_json("exercise", "show", "snatch grip deadlift")
    assert data["guessed"] and data["heavy_compound"] and not data["fixed_path"]


def test_edit_corrects_a_guess_and_clears_the_mark(imported: Result) -> None:
    edited = ok(
        "exercise",
        "edit",
        "Log Press",
        "--primary",
        "shoulders,triceps",
        "--no-spotter-needed",
        "--increment-kg",
        "5",
    ).stdout
    assert "Saved Log Press: no longer a guess." in edited
    data = run_json("exercise", "show", "Log Press")
    assert not data["guessed"] and not data["needs_spotter"]
    assert data["primary"] == ["shoulders", "triceps"] and data["increment_kg"] == 5
    assert data["equipment"] == "barbell" and data["heavy_compound"]  # left as they were
    machine = run_json("exercise", "edit", "Snatch Grip Deadlift", "--equipment", "machine")
    assert machine["fixed_path"] and not machine["guessed"]
    assert [e["guessed"] for e in run_json("exercise", "list")] == [False, False]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Squat (Barbell)", "--heavy"], "built-in exercise: only your own"),
        (["Log Press", "--primary", "wings"], "--primary: muscles are"),
        (["Log Press", "--increment-kg", "0"], "increment_kg must be a positive number"),
        (["Log Pres"], "unknown exercise 'Log Pres'; did you mean: Log Press"),
    ],
)
def test_a_bad_edit_is_a_clear_error(imported: Result, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["exercise", "edit", *args])
    assert result.exit_code == 1 and message in result.stderr, result.output

"""The CLI as a user and a program see it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app

runner = CliRunner()


def run_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_prescribe_json_contract() -> None:
    data = run_json("prescribe", "Squat (Barbell)", "--set", "3", "--sets", "3", "--alone")
    assert isinstance(data, dict)
    assert data["exercise"]["name"] == "Squat (Barbell)"
    assert data["failure"] == "never"
    assert set(data["target_rir"]) == {"min", "max"}
    assert data["target_rpe"] == {
        "min": 10 - data["target_rir"]["max"],
        "max": 10 - data["target_rir"]["min"],
    }
    assert set(data["techniques"]) == {"drop_set", "rest_pause", "forced_reps"}
    assert data["reasons"][0] == {
        "rule": "alone-risky",
        "effect": "never",
        "text": data["reasons"][0]["text"],
    }


def test_prescribe_defaults_are_set_1_of_3_alone() -> None:
    data = run_json("prescribe", "Lateral Raise (Dumbbell)")
    assert isinstance(data, dict)
    assert data["failure"] == "avoid"
    assert data["target_rir"] == {"min": 1.0, "max": 1.0}
    lagging = run_json("prescribe", "Lateral Raise (Dumbbell)", "--set", "3", "--lagging")
    assert isinstance(lagging, dict)
    assert "lagging" in [reason["rule"] for reason in lagging["reasons"]]
    # Nothing said about a spotter: the bench's last set is done alone, never to failure.
    alone = run_json("prescribe", "Bench Press (Barbell)", "--set", "3")
    assert isinstance(alone, dict) and alone["failure"] == "never"
    assert alone["reasons"][0]["rule"] == "alone-risky"
    spotted = run_json("prescribe", "Bench Press (Barbell)", "--set", "3", "--spotter")
    assert isinstance(spotted, dict) and spotted["failure"] == "avoid"
    assert spotted["target_rir"] == {"min": 1.0, "max": 1.0}


def test_a_dumbbell_bench_alone_goes_to_failure_on_its_last_set() -> None:
    data = run_json("prescribe", "Bench Press (Dumbbell)", "--set", "3", "--alone")
    assert isinstance(data, dict) and data["failure"] == "go"
    assert data["target_rir"] == {"min": 0.0, "max": 1.0}


def test_a_beginners_last_deadlift_set_stays_two_or_more_short() -> None:
    args = ("prescribe", "Deadlift (Barbell)", "--set", "5", "--sets", "5")
    beginner = run_json(*args, "--experience", "beginner")
    assert isinstance(beginner, dict) and beginner["failure"] == "avoid"
    assert beginner["target_rir"] == {"min": 2.0, "max": 3.0}
    assert "unproven-calls" in [reason["rule"] for reason in beginner["reasons"]]
    advanced = run_json(*args, "--experience", "advanced")
    assert isinstance(advanced, dict) and advanced["target_rir"] == {"min": 1.0, "max": 1.0}
    calibrated = run_json(*args, "--experience", "beginner", "--calls", "calibrated")
    assert isinstance(calibrated, dict) and calibrated["target_rir"] == {"min": 1.0, "max": 1.0}
    scattered = run_json(*args, "--experience", "advanced", "--calls", "inconsistent")
    assert isinstance(scattered, dict) and scattered["target_rir"] == {"min": 2.0, "max": 3.0}


def test_a_lagging_curl_trained_three_times_a_week_keeps_its_last_set_to_failure() -> None:
    args = ("prescribe", "Bicep Curl (Cable)", "--set", "3", "--frequency", "3")
    lagging = run_json(*args, "--lagging")
    assert isinstance(lagging, dict) and lagging["failure"] == "go"
    assert lagging["target_rir"] == {"min": 0.0, "max": 1.0}
    plain = run_json(*args)
    assert isinstance(plain, dict) and plain["failure"] == "avoid"
    assert plain["target_rir"] == {"min": 1.0, "max": 1.0}


def test_a_go_set_says_to_failure_with_rir_0() -> None:
    result = runner.invoke(app, ["prescribe", "Bicep Curl (Cable)", "--set", "3"])
    assert result.exit_code == 0
    assert "GO  to failure, target RIR 0–1" in result.stdout
    avoid = runner.invoke(app, ["prescribe", "Bicep Curl (Cable)"])
    assert "AVOID  target RIR 1 " in avoid.stdout and "to failure" not in avoid.stdout


def test_e1rm_json_contract() -> None:
    data = run_json("e1rm", "--load", "100", "--reps", "5", "--rpe", "8")
    assert isinstance(data, dict)
    assert data["formula"] == "epley" and data["reps_to_failure"] == 7
    assert data["e1rm"] == pytest.approx(123.33)
    assert data["estimates"]["rts"] == pytest.approx(123.3, abs=0.01)
    rts = run_json("e1rm", "--load", "100", "--reps", "5", "--rir", "2", "--formula", "rts")
    assert isinstance(rts, dict) and rts["e1rm"] == rts["estimates"]["rts"]


def test_load_json_contract() -> None:
    data = run_json("load", "--e1rm", "140", "--reps", "5", "--rir", "2")
    assert data == {"load": 113.54, "rounded_load": 112.5, "percent_1rm": 81.1}
    by_rpe = run_json("load", "--e1rm", "140", "--reps", "5", "--rpe", "8", "--increment", "5")
    assert isinstance(by_rpe, dict) and by_rpe["rounded_load"] == 115.0


def test_plates_scale_and_exercises() -> None:
    plates = run_json("plates", "142.5")
    assert isinstance(plates, dict) and plates["per_side"] == [25.0, 25.0, 10.0, 1.25]
    lb = run_json("plates", "315", "--unit", "lb")
    assert isinstance(lb, dict) and lb["per_side"] == [45.0, 45.0, 45.0]
    rows = run_json("scale")
    assert isinstance(rows, list) and rows[0] == {
        "rpe": 10.0,
        "rir": 0.0,
        "description": rows[0]["description"],
    }
    found = run_json("exercises", "leg extension")
    assert isinstance(found, list) and any(e["name"] == "Leg Extension (Machine)" for e in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["e1rm", "--load", "100", "--reps", "5", "--rpe", "11"], "RPE 11 is not on the scale"),
        (["e1rm", "--load", "-5", "--reps", "5"], "load must be a positive number"),
        (["load", "--e1rm", "140", "--reps", "5"], "give the effort with --rir or --rpe"),
        (["load", "--e1rm", "140", "--reps", "5", "--rir", "1", "--rpe", "9"], "not both"),
        (["prescribe", "Bench Pres"], "did you mean: Bench Press (Barbell)"),
        (["plates", "10"], "lighter than the bar"),
        (["plates", "100", "--plates", "20:x"], "cannot read plate '20:x'"),
    ],
)
def test_errors_go_to_stderr_with_a_non_zero_exit(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_people_get_readable_output() -> None:
    result = runner.invoke(app, ["prescribe", "Bicep Curl (Cable)", "--set", "3"])
    assert result.exit_code == 0
    assert "GO" in result.stdout and "isolation" in result.stdout
    demo = runner.invoke(app, ["demo"])
    assert demo.exit_code == 0 and "NEVER" in demo.stdout and "Squat (Barbell)" in demo.stdout


def test_every_command_is_documented_with_an_example() -> None:
    import typer.main

    def walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
        """The command and, for a group, every command under it, as --help lists them."""
        yield path, command
        if hasattr(command, "list_commands"):
            context = command.context_class(command)
            for name in command.list_commands(context):
                yield from walk(command.get_command(context, name), f"{path} {name}")

    commands = dict(walk(typer.main.get_command(app), "failwise"))
    top = {path.split()[-1] for path in commands if path.count(" ") == 1}
    assert {"prescribe", "e1rm", "load", "plates", "scale", "exercises"} <= top
    # The commands on the database are listed too, though their modules load only when asked.
    assert {"log", "history", "serve", "backup", "technique", "user", "plan"} <= top
    del commands["failwise"]
    for path, command in commands.items():
        assert command.help and "Example: failwise" in command.help, path

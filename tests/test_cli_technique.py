"""``failwise technique`` as a lifter and a program see it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app

runner = CliRunner()


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["technique", *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert set(data) == {"technique", "exercise", "allowed", "failure", "plan", "refusals"}
    return data


def rule_ids(data: dict[str, Any]) -> list[str]:
    return [refusal["rule"] for refusal in data["refusals"]]


def test_allowed_drop_set_json_contract() -> None:
    data = run_json("drop-set", "Bicep Curl (Cable)", "--load", "100", "--reps", "8")
    assert data == {
        "technique": "drop-set",
        "exercise": {"id": "cable-curl", "name": "Bicep Curl (Cable)"},
        "allowed": True,
        "failure": "go",
        "plan": {
            "drops": 1,
            "drop_fraction": {"min": 0.2, "max": 0.3},
            "load": {"min": 70.0, "max": 80.0},
            "expected_reps": {"min": 5, "max": 10},
        },
        "refusals": [],
    }


def test_refused_forced_reps_json_contract() -> None:
    # Alone by default: the bench can pin you, it is a heavy compound, and no one spots.
    data = run_json("forced-reps", "Bench Press (Barbell)")
    assert data["allowed"] is False and data["plan"] is None
    assert data["failure"] == "never"
    assert rule_ids(data) == ["never-set", "unsafe-exercise", "no-spotter"]
    for refusal in data["refusals"]:
        assert set(refusal) == {"rule", "text"} and refusal["text"].endswith(".")
    assert "alone-risky" in data["refusals"][0]["text"]


def test_other_plans_as_json() -> None:
    rest = run_json("rest-pause", "Leg Extension (Machine)", "--reps", "12")
    assert rest["plan"] == {
        "rest_seconds": {"min": 10, "max": 15},
        "mini_sets": 2,
        "expected_reps": [6, 3],
    }
    forced = run_json("forced-reps", "Pull Up", "--spotter", "--experience", "advanced")
    assert forced["allowed"] is True
    assert forced["plan"]["forced_reps_max"] == 2
    assert "spotter_instruction" in forced["plan"]
    bare = run_json("drop-set", "Leg Extension (Machine)")
    assert bare["plan"]["load"] is None and bare["plan"]["expected_reps"] is None


def test_options_reach_the_governor() -> None:
    assert rule_ids(run_json("drop-set", "Bicep Curl (Cable)", "--drop-sets-done", "2")) == [
        "drop-set-limit"
    ]
    assert rule_ids(run_json("drop-set", "Bicep Curl (Cable)", "--exercises-left", "3")) == [
        "not-end-of-workout"
    ]
    assert "deload" in rule_ids(
        run_json("rest-pause", "Lateral Raise (Dumbbell)", "--phase", "deload")
    )
    assert "fatigued" in rule_ids(run_json("rest-pause", "Lateral Raise (Dumbbell)", "--fatigued"))
    assert rule_ids(
        run_json("rest-pause", "Lateral Raise (Dumbbell)", "--experience", "beginner")
    ) == ["beginner"]
    assert "avoid-set" in rule_ids(run_json("rest-pause", "Pull Up", "--frequency", "3"))
    assert rule_ids(run_json("forced-reps", "Pull Up", "--alone")) == ["no-spotter"]


def test_the_set_defaults_to_the_last_one() -> None:
    assert run_json("drop-set", "Bicep Curl (Cable)", "--sets", "5")["allowed"] is True
    early = run_json("drop-set", "Bicep Curl (Cable)", "--set", "2", "--sets", "5")
    assert "not-final-set" in rule_ids(early)


def test_people_get_the_plan_in_plain_words() -> None:
    result = runner.invoke(
        app, ["technique", "drop-set", "Bicep Curl (Cable)", "--load", "100", "--reps", "8"]
    )
    assert result.exit_code == 0
    assert "ALLOWED" in result.stdout
    assert "Drop 20–30%: 70–80 (from 100), expect about 5–10 reps." in result.stdout
    rest = runner.invoke(app, ["technique", "rest-pause", "Bicep Curl (Cable)", "--reps", "10"])
    assert rest.exit_code == 0 and "Rest 10–15 s, then 2 mini-sets" in rest.stdout


def test_people_get_every_refusal_with_its_rule() -> None:
    result = runner.invoke(app, ["technique", "forced-reps", "Squat (Barbell)"])
    assert result.exit_code == 0, "a refusal is an answer, not an error"
    assert "REFUSED" in result.stdout
    for rule in ("never-set", "unsafe-exercise", "no-spotter"):
        assert rule in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["drop-set", "Bicep Crul (Cable)"], "did you mean: Bicep Curl (Cable)"),
        (["drop-set", "Bicep Curl (Cable)", "--load", "-5"], "load must be a positive number"),
        (["drop-set", "Bicep Curl (Cable)", "--reps", "0"], "reps must be at least 1"),
        (["drop-set", "Bicep Curl (Cable)", "--drop-sets-done", "-1"], "must be 0 or more"),
        (["drop-set", "Bicep Curl (Cable)", "--exercises-left", "-1"], "must be 0 or more"),
        (["rest-pause", "Pull Up", "--set", "4", "--sets", "3"], "set 4 is not one of the 3"),
    ],
)
def test_bad_input_exits_1_with_the_message_on_stderr(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["technique", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_the_command_has_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    command = group.get_command(group.context_class(group), "technique")  # type: ignore[attr-defined]
    assert command.help and "Example: failwise technique" in command.help

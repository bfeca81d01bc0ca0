"""`failwise cost` and `failwise fatigue` from the outside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app

runner = CliRunner()


def test_cost_json_contract_and_failure_costs_more() -> None:
    failure = runner.invoke(app, ["cost", "--reps", "10", "--rir", "0", "--json"])
    short = runner.invoke(app, ["cost", "--reps", "7", "--rir", "3", "--json"])
    assert failure.exit_code == 0 and short.exit_code == 0, failure.output
    hard, easy = json.loads(failure.stdout), json.loads(short.stdout)
    assert {"fatigue", "stimulus", "stimulus_to_fatigue", "recovery_hours"} <= set(hard)
    assert hard["fatigue"] == pytest.approx(25.0, abs=0.1)
    assert easy["fatigue"] == pytest.approx(8.0, abs=0.1)
    # Recovery in proportion to fatigue: Refalo's 25% against 8% is 3.1×.
    assert hard["recovery_hours"] / easy["recovery_hours"] == pytest.approx(25 / 8, abs=0.05)
    assert hard["recovery_hours"] == pytest.approx(16.0, abs=0.1)  # well within 48 h
    assert easy["stimulus_to_fatigue"] > hard["stimulus_to_fatigue"]


def _cost(*args: str) -> dict[str, float]:
    result = runner.invoke(app, ["cost", *args, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_cost_of_the_issues_sets() -> None:
    single, eight = _cost("--reps", "1", "--rir", "0"), _cost("--reps", "8", "--rir", "2")
    # A true single stimulates far less than 8 reps at RIR 2 (was 8.77, as a 10RM).
    assert single["stimulus"] < 1.0 < 7.7 < eight["stimulus"]
    assert single["stimulus_to_fatigue"] < eight["stimulus_to_fatigue"]
    # 10 reps with 10 in reserve cost a fraction of 7 at RIR 3 (was 7.9%, 23.8 h).
    far, near = _cost("--reps", "10", "--rir", "10"), _cost("--reps", "7", "--rir", "3")
    assert far["fatigue"] < near["fatigue"] / 3
    assert far["recovery_hours"] < near["recovery_hours"] / 3


def test_cost_for_an_exercise_and_a_load() -> None:
    result = runner.invoke(
        app,
        [
            "cost",
            "--reps",
            "12",
            "--rir",
            "1",
            "--load-pct",
            "65",
            "--exercise",
            "Bicep Curl (Cable)",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["systemic_fatigue"] < json.loads(result.stdout)["fatigue"]
    human = runner.invoke(app, ["cost", "--reps", "8", "--rir", "2"])
    assert "Going to failure with the same load (10 reps)" in human.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cost", "--reps", "8", "--rir", "11"], "RIR 11 is not on the scale"),
        (["cost", "--reps", "0", "--rir", "1"], "reps must be at least 1"),
        (["cost", "--reps", "8", "--rir", "1", "--exercise", "Benchh"], "unknown exercise"),
    ],
)
def test_cost_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and message in result.stderr


HISTORY = """datetime,exercise,load,reps,rir
2026-03-02 18:00,Squat (Barbell),140,5,2
2026-03-02 18:05,Squat (Barbell),140,5,1
2026-03-02 18:10,Squat (Barbell),140,5,0
2026-03-02 18:30,Leg Extension (Machine),60,12,
"""


def write(tmp_path: Path, text: str, name: str = "sets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_fatigue_json_reports_readiness_systemic_and_verdict(tmp_path: Path) -> None:
    path = write(tmp_path, HISTORY)
    soon = runner.invoke(app, ["fatigue", str(path), "--at", "2026-03-02 19:00", "--json"])
    later = runner.invoke(app, ["fatigue", str(path), "--at", "2026-03-05 19:00", "--json"])
    assert soon.exit_code == 0, soon.output
    now, then = json.loads(soon.stdout), json.loads(later.stdout)
    assert now["readiness"]["quads"] < 70 < 95 < then["readiness"]["quads"]
    assert "chest" not in now["readiness"]
    assert now["systemic_fatigue"] > then["systemic_fatigue"]
    # One session is too little history for a verdict either way.
    assert now["verdict"]["recommendation"] == "not-enough-history"
    assert now["verdict"]["fatigued"] is False


def test_fatigue_reads_ratings(tmp_path: Path) -> None:
    sets = write(tmp_path, HISTORY)
    ratings = write(
        tmp_path, "date,sleep,soreness,motivation\n2026-03-02,1,2,2\n2026-03-01,2,2,1\n", "r.csv"
    )
    result = runner.invoke(
        app,
        ["fatigue", str(sets), "--at", "2026-03-02 20:00", "--ratings", str(ratings), "--json"],
    )
    verdict = json.loads(result.stdout)["verdict"]
    assert verdict["recommendation"] == "avoid-failure"
    assert verdict["evidence"][0]["signal"] == "readiness"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "datetime,exercise,load,reps,rir\n2026-03-02,Squat (Barbell),abc,5,2\n",
            "line 2: load 'abc' is not valid",
        ),
        (
            "datetime,exercise,load,reps,rir\n2026-03-02,Squat (Barbell),100,5,2\n"
            "2026-03-03,Zercher Hop,100,5,2\n",
            "line 3: unknown exercise 'Zercher Hop'",
        ),
        (
            "datetime,exercise,load,reps,rir\n2026-03-02,Squat (Barbell),100,5\n",
            "line 2: expected 5 fields, found 4",
        ),
        (
            "datetime,exercise,load,reps,rir\n2026-03-02,Squat (Barbell),100,5,11\n",
            "line 2: RIR 11 is not on the scale",
        ),
        (
            "datetime,exercise,load,reps,rir\n2026-03-02,Squat (Barbell),-100,5,1\n",
            "line 2: load must be a positive number",
        ),
        ("date,exercise,load\n", "line 1: missing column(s) datetime, reps, rir"),
    ],
)
def test_fatigue_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    result = runner.invoke(app, ["fatigue", str(write(tmp_path, text)), "--at", "2026-03-04"])
    assert result.exit_code == 1
    assert message in result.stderr


def test_fatigue_human_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fatigue", str(write(tmp_path, HISTORY)), "--at", "2026-03-03"])
    assert result.exit_code == 0 and "quads" in result.stdout
    assert "Not enough history yet to judge fatigue (1 of 3 sessions)" in result.stdout
    bad = runner.invoke(app, ["fatigue", str(write(tmp_path, HISTORY)), "--at", "yesterday"])
    assert bad.exit_code == 1 and "--at 'yesterday'" in bad.stderr

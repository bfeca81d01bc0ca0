"""``failwise calibrate FILE``: the JSON contract, the summary, and errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app

runner = CliRunner()

HEADER = "date,exercise,load,reps,predicted_rir,reps_at_failure\n"

# The article's beginner: calls RIR 1, then does 4–5 more reps.
BEGINNER = HEADER + (
    "2026-03-02,Bicep Curl (Cable),30,10,1,14\n"
    "2026-03-04,Leg Extension (Machine),70,12,1,17\n"
    "2026-03-09,Bicep Curl (Cable),30,10,1,14\n"
    "2026-03-11,Leg Extension (Machine),70,12,1,17\n"
    "2026-03-16,Bicep Curl (Cable),30,10,1,14\n"
    "2026-03-18,Leg Extension (Machine),70,12,1,17\n"
)

CALIBRATED = HEADER + (
    "2026-03-02,Squat (Barbell),120,5,2,7\n"
    "2026-03-04,Leg Extension (Machine),70,12,1,14\n"
    "2026-03-09,Bench Press (Barbell),90,6,3,9\n"
    "2026-03-11,Bicep Curl (Cable),30,10,1,11\n"
    "2026-03-16,Squat (Barbell),120,5,2,7\n"
    "2026-03-18,Leg Extension (Machine),70,12,1,13\n"
)

OVER_REACHER = HEADER + (
    "2026-03-02,Squat (Barbell),120,5,3,6\n"
    "2026-03-04,Bench Press (Barbell),90,6,3,7\n"
    "2026-03-09,Squat (Barbell),120,5,3,6\n"
    "2026-03-11,Bench Press (Barbell),90,6,3,8\n"
    "2026-03-16,Leg Extension (Machine),70,10,2,10\n"
)


def write(tmp_path: Path, text: str, name: str = "tests.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def calibrate_json(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["calibrate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_the_json_contract(tmp_path: Path) -> None:
    data = calibrate_json(write(tmp_path, BEGINNER))
    assert set(data) >= {
        "tests",
        "bias",
        "mae",
        "verdict",
        "correction",
        "uncertainty",
        "by_class",
        "by_distance",
    }
    assert data["tests"] == 6
    assert data["verdict"] == "stops-short"
    assert data["mae"] == 3.5 and data["raw_bias"] == 3.5
    # The correction is the rep-aware one at 10 reps; every test was a set of
    # 10 or 12 reps, so it is near the constant bias.
    assert data["correction"] == data["correction_by_reps"]["10"]
    assert abs(data["correction"] - data["bias"]) < 0.3
    assert isinstance(data["correction"], float) and 3.0 <= data["correction"] <= 3.5
    assert data["correction"] == round(data["correction"], 2)
    assert data["last_tested_on"] == "2026-03-18"
    # Only classes and distances with tests appear.
    assert data["by_class"] == {
        "isolation": {
            "tests": 6,
            "bias": data["by_class"]["isolation"]["bias"],
            "raw_bias": 3.5,
            "mae": 3.5,
            "uncertainty": data["by_class"]["isolation"]["uncertainty"],
        }
    }
    assert list(data["by_distance"]) == ["0-1"]


def test_accurate_and_overshooting_lifters(tmp_path: Path) -> None:
    accurate = calibrate_json(write(tmp_path, CALIBRATED, "accurate.csv"))
    assert accurate["verdict"] == "accurate"
    assert set(accurate["by_class"]) == {"compound", "isolation"}
    assert set(accurate["by_distance"]) == {"0-1", "2-3"}
    over = calibrate_json(write(tmp_path, OVER_REACHER, "over.csv"))
    assert over["verdict"] == "overshoots"
    assert isinstance(over["bias"], float) and over["bias"] <= -1


# Errors +5, −3, 0, −4: on average close to right, each call 3 reps off.
SCATTERED = HEADER + (
    "2026-03-02,Bicep Curl (Cable),30,10,1,16\n"
    "2026-03-04,Leg Extension (Machine),70,12,3,12\n"
    "2026-03-09,Bicep Curl (Cable),30,10,2,12\n"
    "2026-03-11,Leg Extension (Machine),70,12,4,12\n"
)


def test_calls_that_scatter_are_inconsistent(tmp_path: Path) -> None:
    data = calibrate_json(write(tmp_path, SCATTERED))
    assert data["verdict"] == "inconsistent"
    assert data["mae"] == 3.0
    assert "keep a margin and test again" in data["description"]
    shown = runner.invoke(app, ["calibrate", str(write(tmp_path, SCATTERED, "shown.csv"))])
    assert shown.exit_code == 0, shown.output
    assert "INCONSISTENT" in shown.stdout
    assert "Trust your calls" not in shown.stdout
    assert "test again" in shown.stdout


def test_every_verdict_is_one_of_five(tmp_path: Path) -> None:
    files = {"none": HEADER, "b": BEGINNER, "c": CALIBRATED, "o": OVER_REACHER, "s": SCATTERED}
    verdicts = {
        calibrate_json(write(tmp_path, text, f"{name}.csv"))["verdict"]
        for name, text in files.items()
    }
    assert verdicts == {"untested", "stops-short", "accurate", "overshoots", "inconsistent"}


def test_a_file_with_no_tests_gives_the_prior(tmp_path: Path) -> None:
    data = calibrate_json(write(tmp_path, HEADER))
    assert data == {
        "tests": 0,
        "history_tests": 0,
        "bias": 0.95,
        "raw_bias": None,
        "mae": None,
        "verdict": "untested",
        "description": "no tests yet: these are the population's numbers, not yours",
        "correction": 0.95,
        "uncertainty": 1.5,
        "by_class": {},
        "by_distance": {},
        "last_tested_on": None,
        # The population's line (Halperin et al. 2022; Zourdos et al. 2021):
        # 0.95 at 10 reps, 0.18 more per rep.
        "correction_by_reps": {
            str(reps): round(0.95 + 0.18 * (reps - 10), 2) for reps in range(1, 31)
        },
    }
    assert data["correction_by_reps"]["1"] == -0.67
    assert data["correction_by_reps"]["30"] == 4.55


# Off by 1 rep on a set of 5 and by 4 on a set of 20 (calls near failure).
BY_REPS = HEADER + (
    "2026-03-02,Bicep Curl (Cable),30,5,1,7\n2026-03-04,Leg Extension (Machine),70,20,1,25\n"
)


def test_the_correction_for_every_set_length(tmp_path: Path) -> None:
    data = calibrate_json(write(tmp_path, BY_REPS))
    by_reps = data["correction_by_reps"]
    assert list(by_reps) == [str(reps) for reps in range(1, 31)]
    # With σ = 1.5 the line would be 0.66, 1.65, 3.64 (hand-computed in
    # tests/test_calibration_reps.py); calibrate re-estimates σ about the line
    # (1.58), which leaves a little more to the prior.
    assert by_reps["10"] == data["correction"] == 1.61
    assert by_reps["5"] == 0.62 and by_reps["20"] == 3.59
    assert all(by_reps[str(r)] < by_reps[str(r + 1)] for r in range(1, 30))


def test_people_see_the_correction_by_set_length(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calibrate", str(write(tmp_path, BY_REPS))])
    assert result.exit_code == 0, result.output
    assert "correction +1.61 reps at 10 reps (± 0.93)" in result.stdout
    assert "at 5 reps +0.62, at 10 +1.61, at 20 +3.59" in " ".join(result.stdout.split())


def test_blank_dates_and_loads_are_allowed(tmp_path: Path) -> None:
    data = calibrate_json(write(tmp_path, HEADER + ",Pull Up,,8,2,11\n"))
    assert data["tests"] == 1 and data["last_tested_on"] is None


def test_people_get_what_the_verdict_means(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calibrate", str(write(tmp_path, BEGINNER))])
    assert result.exit_code == 0, result.output
    assert "STOPS-SHORT" in result.stdout
    assert "When you feel 1 rep left, you have about 4 reps" in result.stdout
    assert "isolation" in result.stdout
    untested = runner.invoke(app, ["calibrate", str(write(tmp_path, HEADER, "none.csv"))])
    assert untested.exit_code == 0 and "UNTESTED" in untested.stdout
    assert "Halperin" in untested.stdout


# Names as the apps write them, none a catalog name exactly: "Leg Curl" is the family's
# default (Lying Leg Curl), "Leg Curl (Machine)" and "Zercher Hop" are guessed.
GENERIC = HEADER + (
    "2026-03-02,Leg Curl (Machine),50,10,2,12\n"
    "2026-03-04,Leg Curl,50,10,2,12\n"
    "2026-03-09,Leg Curl (Machine),50,10,1,11\n"
    "2026-03-11,Zercher Hop,60,5,2,7\n"
)


def test_a_name_no_catalog_entry_matches_calibrates_as_an_import_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lifter's "Leg Curl (Machine)" calibrates as the exercise an import of the same
    name makes (one guessed from the name), where it used to be an unknown exercise."""
    path = write(tmp_path, GENERIC)
    data = calibrate_json(path)
    assert data["tests"] == 4
    assert data["by_class"]["isolation"]["tests"] == 3, "the leg curls are isolation work"
    shown = runner.invoke(app, ["calibrate", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "guessed from their names" in shown.stdout
    assert "Leg Curl (Machine) (isolation, machine)" in shown.stdout
    assert "Lying Leg Curl" not in shown.stdout, "a catalog name is not a guess"
    # The same name in an import becomes the same kind of exercise.
    monkeypatch.setenv("FAILWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    export = write(
        tmp_path,
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\n"
        "2026-03-02 18:00:00,Legs,45m,Leg Curl (Machine),1,50,10,0,0,,,8\n",
        "strong.csv",
    )
    imported = runner.invoke(app, ["import", str(export), "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["guessed_exercises"] == ["Leg Curl (Machine)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "2026-03-02,Squat (Barbell),120,5,2,8\n2026-03-04,Squat (Barbell),120,8,2,6\n",
            "line 3: reps at failure (6) is fewer than the reps done (8)",
        ),
        (
            HEADER + "2026-03-02,!!!,120,5,2,8\n",
            "line 2: custom exercise name '!!!' has no letters or digits",
        ),
        (HEADER + "2026-03-02,Squat (Barbell),120,5,2\n", "line 2: expected 6 fields, found 5"),
        (HEADER + "2026-03-02,Squat (Barbell),120,five,2,8\n", "line 2: reps 'five' is not valid"),
        (HEADER + "2026-03-02,Squat (Barbell),nan,5,2,8\n", "line 2: load 'nan' is not valid"),
        (HEADER + "2026-03-02,Squat (Barbell),1e2,5,2,8\n", "line 2: load '1e2' is not valid"),
        (HEADER + "2026-03-02,Squat (Barbell),120,5,2,1e1\n", "reps_at_failure '1e1' is not valid"),
        (HEADER + "2026-03-02,Squat (Barbell),120,5,11,8\n", "line 2: predicted_rir: RIR 11"),
        (HEADER + "2026-03-02,Squat (Barbell),120,5,2,\n", "line 2: reps_at_failure: is empty"),
        (HEADER + "March 2,Squat (Barbell),120,5,2,8\n", "line 2: date 'March 2' is not valid"),
        (HEADER + "2026-03-02,,120,5,2,8\n", "line 2: the exercise name is empty"),
        (HEADER + "2026-03-02,Squat (Barbell),-5,5,2,8\n", "line 2: load must be a positive"),
        (
            "date,exercise,load,reps,reps_at_failure\n2026-03-02,Squat (Barbell),120,5,8\n",
            "line 1: missing column(s) predicted_rir",
        ),
        ("", "the file is empty"),
    ],
)
def test_bad_input_names_the_line_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    result = runner.invoke(app, ["calibrate", str(path), "--json"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert str(path) in result.stderr
    assert result.stdout == ""


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calibrate", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_the_command_is_documented_with_an_example() -> None:
    result = runner.invoke(app, ["calibrate", "--help"])
    assert result.exit_code == 0
    assert "Example: failwise calibrate tests.csv" in result.stdout

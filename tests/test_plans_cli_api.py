"""The plan from the outside: CLI JSON, the API, the printable page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from failwise.adapters.cli import app as cli
from failwise.adapters.web.app import create_app

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'plans.sqlite3'}"
    monkeypatch.setenv("FAILWISE_DATABASE_URL", url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    return url


def test_plan_new_json_has_the_documented_shape(database: str, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    result = runner.invoke(
        cli,
        [
            "plan",
            "new",
            "--days",
            "3",
            "--minutes",
            "60",
            "--alone",
            "--experience",
            "beginner",
            "--seed",
            "5",
            "--html",
            str(page),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) >= {"weeks", "weekly_sets"}
    week = plan["weeks"][0]
    assert set(week) >= {"number", "deload", "sessions"} and week["number"] == 1
    exercise = week["sessions"][0]["exercises"][0]
    assert set(exercise["exercise"]) == {"id", "name"}
    assert set(exercise["sets"][0]) >= {"reps", "target_rir", "failure", "technique"}
    assert set(exercise["sets"][0]["target_rir"]) == {"min", "max"}
    assert plan["weeks"][-1]["deload"] is True
    assert all(
        s["failure"] == "never"
        for session in plan["weeks"][-1]["sessions"]
        for e in session["exercises"]
        for s in e["sets"]
    )
    weeks = len(plan["weeks"])
    assert all(len(values) == weeks for values in plan["weekly_sets"].values())
    html = page.read_text()
    assert html.count('<section class="week">') == weeks and "<script" not in html
    same = runner.invoke(cli, ["plan", "show", "--json"])
    assert json.loads(same.stdout)["weeks"] == plan["weeks"]
    today = runner.invoke(cli, ["today", "--start", "--json"])
    data = json.loads(today.stdout)
    assert data["week"] == 1 and data["exercises"][0]["sets"][0]["planned"].startswith("1:1:0:")


def test_plan_errors(database: str) -> None:
    assert "no active plan" in runner.invoke(cli, ["today"]).stderr
    bad = runner.invoke(cli, ["plan", "new", "--days", "9"])
    assert bad.exit_code == 1 and "2 to 6 training days" in bad.stderr
    kit = runner.invoke(cli, ["plan", "new", "--equipment", "barbell,rocket"])
    assert kit.exit_code == 1 and "rocket" in kit.stderr


def test_plans_over_the_api(database: str) -> None:
    with TestClient(create_app(database)) as client:
        token = client.post(
            "/api/auth/signup", json={"username": "ann", "password": "correct horse"}
        ).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        assert client.get("/api/today", headers=headers).status_code == 404
        created = client.post("/api/plans", json={"days": 4, "minutes": 75}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["request"]["days"] == 4
        assert created.json()["request"]["preferred"] == []  # nothing in the log yet
        chosen = {"days": 3, "preferred": ["barbell-squat"]}
        named = client.post("/api/plans", json=chosen, headers=headers)
        assert named.status_code == 201 and named.json()["request"]["preferred"] == [
            "barbell-squat"
        ]
        assert client.post("/api/plans", json=chosen, headers=headers).status_code == 201
        today = client.post("/api/today/start", headers=headers).json()
        assert today["week"] == 1 and today["exercises"]
        page = client.get("/api/plans/active/print", headers=headers)
        assert page.status_code == 200 and "Week 1" in page.text
        assert client.get("/api/physique", headers=headers).json()["notes"]
        bad = client.post("/api/plans", json={"days": 9}, headers=headers)
        assert bad.status_code == 422
        client.cookies.clear()
        assert client.get("/api/plans/active").status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({"seed": True}, "seed", "not true or false"),  # not read as seed 1
        ({"days": True}, "days", "not true or false"),
        ({"seed": -1}, "seed", "greater than or equal to 0"),
        ({"seed": 2**31}, "seed", "less than or equal to 2147483647"),
        ({"days": 7}, "days", "less than or equal to 6"),
        ({"minutes": 29}, "minutes", "greater than or equal to 30"),
        ({"accumulation_weeks": 3}, "accumulation_weeks", "greater than or equal to 4"),
        ({"days": 3, "colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_a_plan_request_the_planner_cannot_honour_is_refused_by_name(
    database: str, body: dict[str, object], field: str, said: str
) -> None:
    with TestClient(create_app(database)) as client:
        token = client.post(
            "/api/auth/signup", json={"username": "ann", "password": "correct horse"}
        ).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        bad = client.post("/api/plans", json=body, headers=headers)
        assert bad.status_code == 422, bad.text
        (problem,) = bad.json()["detail"]
        assert problem["loc"] == ["body", field] and said in problem["msg"]
        assert client.get("/api/plans/active", headers=headers).status_code == 404  # none made


def test_settings_and_measurements_feed_the_physique(database: str) -> None:
    settings = runner.invoke(cli, ["settings", "--sex", "male", "--age", "34", "--json"])
    assert settings.exit_code == 0, settings.output
    assert json.loads(settings.stdout)["sex"] == "male"
    measured = runner.invoke(
        cli, ["measure", "--weight", "80", "--height", "180", "--neck", "38", "--waist", "85"]
    )
    assert measured.exit_code == 0, measured.output
    report = json.loads(runner.invoke(cli, ["physique", "--json"]).stdout)
    # US Navy (Hodgdon & Beckett 1984) for 180 cm, neck 38, waist 85: 16.1%
    assert report["body_fat_pct"] == pytest.approx(16.11, abs=0.05)
    assert report["body_fat_method"] == "navy"
    bad = runner.invoke(cli, ["settings", "--sex", "other"])
    assert bad.exit_code == 1 and "male or female" in bad.stderr
    negative = runner.invoke(cli, ["measure", "--waist=-3"])
    assert negative.exit_code == 1 and "waist must be a positive number" in negative.stderr

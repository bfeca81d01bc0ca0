"""Personal records read the same through the service, the API and the CLI.

The history: on 2 Nov 2026 a warm-up of 60 × 5 and 3 × 5 at 140 kg; on 9 Nov 1 × 8 at
120 kg and a warm-up single at 180. No RIR was called, so each set is taken at failure,
as every e1RM is (the calibration has no call to correct): 5 to failure is 86.3 % on
the RTS chart, 140 / 0.863 = 162.2 kg; 8 to failure is 78.6 %, 120 / 0.786 = 152.7 kg.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app as cli
from failwise.adapters.web.app import create_app
from failwise.services.accounts import Accounts
from failwise.services.records import SetType
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOV_2 = datetime(2026, 11, 2, 18, 0)
NOV_9 = datetime(2026, 11, 9, 18, 0)
PASSWORD = "correct horse"
SQUAT = "Squat (Barbell)"


@pytest.fixture
def url(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "160")
    return sqlite_url


@pytest.fixture
def log(url: str) -> Iterator[tuple[Coach, int]]:
    """The coach, and the lifter whose history it is."""
    database = Database(url)
    clock = Clock(NOV_2)
    coach = Coach(database, clock=clock)
    ann = Accounts(database).sign_up("ann", PASSWORD).user.id
    coach.sets.log(ann, LogRequest(SQUAT, 60, 5, set_type=SetType.WARM_UP))
    for _ in range(3):
        coach.sets.log(ann, LogRequest(SQUAT, 140, 5))
    coach.workouts.finish(ann)
    clock.now = NOV_9
    coach.sets.log(ann, LogRequest(SQUAT, 120, 8))
    coach.sets.log(ann, LogRequest(SQUAT, 180, 1, set_type=SetType.WARM_UP, confirmed=True))
    coach.workouts.finish(ann)
    yield coach, ann
    database.dispose()


def test_the_service_reads_the_records_of_the_working_sets(log: tuple[Coach, int]) -> None:
    coach, ann = log
    [(squat, records)] = coach.insights.records(ann)
    assert squat.name == SQUAT
    assert records.sets == 4
    assert records.e1rm is not None
    assert records.e1rm.e1rm == pytest.approx(162.22, abs=0.01)
    assert records.e1rm.set.performed_at == NOV_2
    first_140 = coach.insights.history(ann, SQUAT)[1]
    assert records.e1rm.set.ref == first_140.id
    assert records.heaviest is not None and records.heaviest.load == 140  # not the warm-up
    assert [(r.load, r.reps, r.set.performed_at) for r in records.reps] == [
        (140, 5, NOV_2),
        (120, 8, NOV_9),
    ]
    assert coach.insights.records(ann, "squat") == coach.insights.records(ann)
    assert coach.insights.records(ann, "Bench Press (Barbell)") == []


def _api_records(url: str, query: str = "") -> list[dict[str, Any]]:
    with TestClient(create_app(url)) as client:
        signed = client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD})
        token = signed.json()["token"]
        response = client.get(f"/api/records{query}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def test_the_api_and_the_cli_give_the_services_records(log: tuple[Coach, int], url: str) -> None:
    [squat] = _api_records(url)
    assert squat["exercise"]["name"] == SQUAT
    assert squat["unit"] == "kg"
    assert squat["e1rm"]["e1rm"] == 162.22
    assert squat["e1rm"]["set"]["logged_at"] == "2026-11-02T18:00:00Z"
    assert (squat["heaviest"]["load"], squat["heaviest"]["reps"]) == (140, 5)
    assert [(r["load"], r["reps"], r["set"]["logged_at"][:10]) for r in squat["reps"]] == [
        (140, 5, "2026-11-02"),
        (120, 8, "2026-11-09"),
    ]
    assert _api_records(url, "?exercise=squat") == [squat]
    result = CliRunner().invoke(cli, ["records", "--user", "ann", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [squat]


def test_the_cli_table_names_the_record_and_its_day(log: tuple[Coach, int], url: str) -> None:
    result = CliRunner().invoke(cli, ["records", SQUAT, "--user", "ann"])
    assert result.exit_code == 0, result.output
    assert "162.2" in result.stdout
    assert "140 × 5 on 2 Nov 2026" in result.stdout
    assert "120 × 8 on 9 Nov 2026" in result.stdout
    assert "180" not in result.stdout


def test_the_api_shows_records_in_the_lifters_pounds(log: tuple[Coach, int], url: str) -> None:
    with TestClient(create_app(url)) as client:
        signed = client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {signed.json()['token']}"}
        assert client.patch("/api/me/settings", json={"unit": "lb"}, headers=headers).is_success
        [squat] = client.get("/api/records", headers=headers).json()
    # 140 kg = 308.65 lb; 162.22 kg = 357.64 lb.
    assert squat["unit"] == "lb"
    assert squat["heaviest"]["load"] == 308.65
    assert squat["e1rm"]["e1rm"] == 357.64


def test_a_logged_set_that_beats_a_record_says_so(log: tuple[Coach, int], url: str) -> None:
    coach, ann = log
    # 140 × 6 without RIR: 6 to failure = 83.7 %, 140 / 0.837 = 167.3 kg against 162.2, and
    # one rep more than the fives at 140.
    result = coach.sets.log(ann, LogRequest(SQUAT, 140, 6))
    assert [(r.kind.value, round(r.value, 1), round(r.previous, 1)) for r in result.records] == [
        ("e1rm", 167.3, 162.2),
        ("reps", 6, 5),
    ]
    assert coach.sets.log(ann, LogRequest(SQUAT, 130, 5)).records == ()
    assert coach.sets.log(ann, LogRequest(SQUAT, 200, 1, set_type=SetType.WARM_UP)).records == ()
    first = coach.sets.log(ann, LogRequest("Bench Press (Barbell)", 100, 5))
    assert first.records == ()  # nothing to beat yet


def test_the_api_answers_a_new_record_with_the_logged_set(log: tuple[Coach, int], url: str) -> None:
    with TestClient(create_app(url)) as client:
        signed = client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {signed.json()['token']}"}
        body = {"exercise": SQUAT, "load": 142.5, "reps": 5}
        answer = client.post("/api/sets", json=body, headers=headers).json()
    # 142.5 / 0.863 = 165.1 kg against 162.2; 142.5 kg is heavier than 140.
    assert answer["records"] == [
        {"kind": "e1rm", "value": 165.12, "previous": 162.22, "load": 142.5, "unit": "kg"},
        {"kind": "heaviest", "value": 142.5, "previous": 140, "load": 142.5, "unit": "kg"},
    ]
    assert answer["record"] == (
        "New record: estimated 1RM 165.1 kg (was 162.2 kg); heaviest 142.5 kg (was 140 kg)."
    )


def test_failwise_log_says_new_record_as_the_api_does(log: tuple[Coach, int], url: str) -> None:
    result = CliRunner().invoke(cli, ["log", SQUAT, "142.5", "5", "--user", "ann", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert [record["kind"] for record in answer["records"]] == ["e1rm", "heaviest"]
    assert answer["record"] == (
        "New record: estimated 1RM 165.1 kg (was 162.2 kg); heaviest 142.5 kg (was 140 kg)."
    )
    said = CliRunner().invoke(cli, ["log", SQUAT, "140", "6", "--user", "ann"])
    assert said.exit_code == 0, said.output
    # 140 / 0.837 = 167.3 kg against 165.1; 6 reps at 140 against 5.
    assert "New record: estimated 1RM 167.3 kg (was 165.1 kg); 6 reps at 140 kg (was 5)." in (
        " ".join(said.stdout.split())
    )

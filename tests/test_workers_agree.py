"""Two server processes on one database answer alike: what one worker keeps in memory
of a lifter never outlives a change made through another.

A coach's deployment runs several workers behind one address, and a lifter's phone
reaches whichever it is given. Each test starts two real servers on the same database
(SQLite and PostgreSQL), has the lifter change something through one, and reads it at
once through the other, which had read the lifter before the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import serving, uvicorn_app

CURL = "Bicep Curl (Cable)"


@pytest.fixture
def workers(tmp_path: Path, database_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Two servers on one database, and a signed-in lifter's client for each."""
    with (
        serving(tmp_path, uvicorn_app, database_url=database_url, name="first") as (one, _),
        serving(tmp_path, uvicorn_app, database_url=database_url, name="second") as (two, _),
    ):
        signed = httpx.post(
            f"{one}/api/auth/signup",
            json={"username": "maya", "password": "correct horse battery"},
            timeout=30,
        )
        assert signed.status_code == 201, signed.text
        auth = {"Authorization": f"Bearer {signed.json()['token']}"}
        with (
            httpx.Client(base_url=one, headers=auth, timeout=30) as first,
            httpx.Client(base_url=two, headers=auth, timeout=30) as second,
        ):
            yield first, second


def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _rules(next_set: dict[str, Any]) -> set[str]:
    return {reason["rule"] for reason in next_set["reasons"]}


def test_an_rir_test_logged_through_one_worker_moves_the_calibration_the_other_serves(
    workers: tuple[httpx.Client, httpx.Client],
) -> None:
    first, second = workers
    assert _ok(second.get("/api/calibration"))["tests"] == 0
    # At rep 10 of a curl set the lifter called 2 in reserve, then did 5 more to failure.
    _ok(
        first.post(
            "/api/sets",
            json={
                "exercise": CURL,
                "load": 25,
                "reps": 15,
                "to_failure": True,
                "test": {"reps_at_call": 10, "predicted_rir": 2},
            },
        )
    )
    calibration = _ok(second.get("/api/calibration"))
    assert calibration["tests"] == 1
    assert calibration["raw_bias"] == pytest.approx(3.0)  # 5 left where 2 were called


def test_a_bad_day_rated_through_one_worker_holds_the_lifter_off_failure_on_the_other(
    workers: tuple[httpx.Client, httpx.Client],
) -> None:
    first, second = workers
    now = datetime.now(UTC)
    # The same curl set, as planned, on four days running (today the last): history enough
    # for a verdict, and no sign of fatigue in it.
    for days_ago in (3, 2, 1, 0):
        done = (now - timedelta(days=days_ago, minutes=5)).isoformat()
        curl = {"exercise": CURL, "load": 25, "reps": 12, "rir": 1, "logged_at": done}
        curl |= {"target_load": 25, "target_reps": 12, "target_rir": {"min": 1, "max": 1}}
        logged = _ok(first.post("/api/sets", json=curl))
        if days_ago:
            _ok(first.post(f"/api/workouts/{logged['set']['workout_id']}/finish"))
    before = _ok(second.get("/api/next", params={"exercise": CURL, "total_sets": 2}))
    assert before["fatigue"]["recommendation"] == "carry-on", before["fatigue"]
    assert "fatigued" not in _rules(before)
    today = now.date().isoformat()
    rated = {"sleep": 1, "soreness": 1, "motivation": 1}
    _ok(first.put(f"/api/readiness/{today}", json=rated))
    after = _ok(second.get("/api/next", params={"exercise": CURL, "total_sets": 2}))
    assert "fatigued" in _rules(after)
    assert after["failure"] != "go"


def test_an_exercise_added_through_one_worker_is_known_to_the_other_at_once(
    workers: tuple[httpx.Client, httpx.Client],
) -> None:
    first, second = workers
    name = "Tibialis Raise (Machine)"
    unknown = second.get("/api/next", params={"exercise": name})
    assert unknown.status_code in (404, 422), unknown.text
    exercise = {"name": name, "primary": ["calves"], "equipment": "machine"}
    _ok(first.post("/api/exercises", json=exercise))
    known = _ok(second.get("/api/next", params={"exercise": name}))
    assert known["exercise"]["name"] == name

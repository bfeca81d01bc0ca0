"""A lifter whose calls are off by more in long sets: the API and the pages apply the
correction for each set's reps, so a set of 20 reads differently from a set of 5.

Ann tested her calls three times: off by 1 rep on sets of 5 (curls), by 4 on sets of
20 (leg extensions). A week later she logs 30 kg × 5 curls and 70 kg × 20 leg
extensions, each called at RIR 4, the first of three sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD

from .conftest import Clock

PASSWORD = "correct horse battery staple"
CURL = "Bicep Curl (Cable)"
EXTENSION = "Leg Extension (Machine)"
T0 = datetime(2026, 3, 2, 18, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def app(sqlite_url: str, clock: Clock) -> FastAPI:
    return create_app(sqlite_url, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def post_set(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    answer = client.post("/api/sets", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture
def ann(client: TestClient, clock: Clock) -> dict[str, str]:
    answer = client.post("/api/auth/signup", json={"username": "ann", "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    tests = [(CURL, 30, 5, 1, 7), (EXTENSION, 70, 20, 1, 25), (CURL, 30, 5, 1, 7)]
    for day, (exercise, load, at_call, called, at_failure) in enumerate(tests):
        clock.now = T0 + timedelta(days=2 * day)
        test = {"reps_at_call": at_call, "predicted_rir": called}
        body = {"exercise": exercise, "load": load, "reps": at_failure, "test": test}
        workout = post_set(client, headers, body)["set"]["workout_id"]
        finished = client.post(f"/api/workouts/{workout}/finish", headers=headers)
        assert finished.status_code == 200, finished.text
    clock.now = T0 + timedelta(days=7)
    return headers


def first_set(
    client: TestClient, headers: dict[str, str], exercise: str, load: float, reps: int
) -> Any:
    body = {"exercise": exercise, "load": load, "reps": reps, "rir": 4, "total_sets": 3}
    return post_set(client, headers, body)["next"]


def test_the_api_corrects_a_set_of_20_by_more_than_a_set_of_5(
    client: TestClient, ann: dict[str, str]
) -> None:
    calibration = client.get("/api/calibration", headers=ann).json()
    by_reps = calibration["correction_by_reps"]
    assert list(by_reps) == [str(reps) for reps in range(1, 31)]
    assert calibration["correction"] == by_reps["10"]
    assert by_reps["20"] > by_reps["5"] + 1

    curls = first_set(client, ann, CURL, 30, 5)
    extensions = first_set(client, ann, EXTENSION, 70, 20)
    # The curls read at RIR 4 + 0.86: e1RM 40.4 kg (42.1 with the 10-rep +1.83); the
    # leg extensions at RIR 4 + 3.78: e1RM 151.7 kg (146.6 with +1.83). Each next load
    # reads the aim with the same correction as the set, so both rise a step or two.
    assert curls["rir_correction"] == 0.86 and curls["e1rm"] == 40.41
    assert extensions["rir_correction"] == 3.78 and extensions["e1rm"] == 151.69
    assert (curls["load"], extensions["load"]) == (32.5, 75)


def sign_in_on_the_web(client: TestClient) -> None:
    client.get("/signin")
    form = {"username": "ann", "password": PASSWORD, CSRF_FIELD: client.cookies.get(CSRF_COOKIE)}
    answer = client.post("/signin", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_the_pages_show_the_same_corrections_and_e1rms(
    client: TestClient, ann: dict[str, str]
) -> None:
    first_set(client, ann, CURL, 30, 5)
    first_set(client, ann, EXTENSION, 70, 20)
    sign_in_on_the_web(client)
    insights = client.get("/insights").text
    assert "<dt>Correction at 10 reps</dt><dd>+1.8 ± 0.8 reps</dd>" in insights
    assert "at 5 reps +0.9, at 20 +3.8" in insights
    curls = client.get("/today", params={"exercise": CURL, "sets": 3}).text
    extensions = client.get("/today", params={"exercise": EXTENSION, "sets": 3}).text
    assert "From your e1RM of 40.4 kg." in curls
    assert "From your e1RM of 151.7 kg." in extensions
    assert 'value="32.5"' in curls and 'value="75"' in extensions

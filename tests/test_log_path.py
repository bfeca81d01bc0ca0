"""What logging a set costs the database: the work of one set, in one transaction.

A lifter logs a set every couple of minutes, and a coach's server logs them for every
lifter at once: each statement is a round trip to PostgreSQL. A set logged into the
open workout is one transaction whose first statement checks the token, holds the
lifter's writes in line and reads the lifter and their open workout, and whose second
stores the set (SQLite adds one for the set's id): nothing the answer does not need.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, event

from failwise.adapters.web.app import create_app
from failwise.storage.tables import LifterStateRow
from tests.conftest import Clock

NOW = datetime(2026, 11, 30, 18, 0)  # naive UTC, as the services keep time
PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(database_url: str, clock: Clock) -> FastAPI:
    return create_app(database_url, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def sign_up(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/auth/signup", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


class Recorder:
    """The statements and transactions the app's engine runs."""

    def __init__(self, app: FastAPI) -> None:
        self.engine = app.state.database.engine
        self.statements: list[str] = []
        self.transactions = 0

    def _statement(self, *args: Any) -> None:
        self.statements.append(args[2])

    def _begin(self, *_args: Any) -> None:
        self.transactions += 1

    def __enter__(self) -> Recorder:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "begin", self._begin)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "begin", self._begin)


def squat(client: TestClient, auth: dict[str, str], key: str, load: float = 140) -> Any:
    return client.post(
        "/api/sets",
        json={"exercise": "Squat (Barbell)", "load": load, "reps": 5, "rir": 2},
        headers={**auth, "Idempotency-Key": key},
    )


def test_a_set_logged_into_the_open_workout_is_one_transaction_of_its_own_writes(
    app: FastAPI, client: TestClient, clock: Clock
) -> None:
    ann = sign_up(client, "ann")
    earlier = []
    for number in range(3):
        earlier.append(squat(client, ann, f"set-{number}").json()["set"])
        clock.now += timedelta(minutes=3)  # a set, three minutes' rest, the next
    with Recorder(app) as recorded:
        answer = squat(client, ann, "fourth")
    assert answer.status_code == 201, answer.text
    logged = answer.json()["set"]
    assert (logged["workout_id"], logged["position"]) == (earlier[0]["workout_id"], 4)
    assert recorded.transactions == 1
    writes = [s.split(None, 1)[0].upper() for s in recorded.statements]
    # The lock (token, lifter, open workout), the set, and on SQLite the set's id.
    assert writes[0] == "UPDATE" and "tokens" in recorded.statements[0]
    assert "workouts" in recorded.statements[0]
    assert writes.count("INSERT") == 1
    assert len(writes) <= 3, recorded.statements
    assert not [s for s in recorded.statements if s.lstrip().upper().startswith("SELECT")]


def test_the_first_set_of_a_day_opens_the_workout_the_next_ones_join(
    client: TestClient,
) -> None:
    ann = sign_up(client, "ann")
    first = squat(client, ann, "one").json()["set"]
    second = squat(client, ann, "two").json()["set"]
    assert first["workout_id"] == second["workout_id"]
    assert (first["position"], second["position"]) == (1, 2)
    finished = client.post(f"/api/workouts/{first['workout_id']}/finish", headers=ann)
    assert finished.status_code == 200, finished.text
    third = squat(client, ann, "three").json()["set"]
    assert third["workout_id"] != first["workout_id"] and third["position"] == 1


def test_a_token_signs_in_only_its_own_lifter_and_a_lifter_without_a_state_row_still_logs(
    app: FastAPI, client: TestClient
) -> None:
    ann, bob = sign_up(client, "ann"), sign_up(client, "bob")
    assert squat(client, ann, "same-key", load=140).status_code == 201
    # Bob's set under the same key is his own: the key is per lifter.
    bobs = squat(client, bob, "same-key", load=60)
    assert bobs.status_code == 201 and bobs.json()["set"]["load"] == 60
    # A lifter added by hand (no state row) is given one by the log that locks them.
    with app.state.database() as store:
        store.session.execute(delete(LifterStateRow))
        store.commit()
    again = squat(client, ann, "after", load=142.5)
    assert again.status_code == 201, again.text
    assert squat(client, bob, "same-key", load=60).status_code == 200  # a retry, not a set
    history = client.get("/api/history", headers=ann).json()
    assert [s["load"] for s in history] == [140, 142.5]
    expired = {"Authorization": "Bearer not-a-token"}
    assert squat(client, expired, "nobody").status_code == 401


def test_a_retry_finds_its_set_in_the_same_first_statement(
    app: FastAPI, client: TestClient
) -> None:
    ann = sign_up(client, "ann")
    stored = squat(client, ann, "k").json()["set"]
    with Recorder(app) as recorded:
        retry = squat(client, ann, "k")
    assert retry.status_code == 200 and retry.json()["set"]["id"] == stored["id"]
    assert not [s for s in recorded.statements if s.lstrip().upper().startswith("INSERT")]
    assert recorded.transactions == 1

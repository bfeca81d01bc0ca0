"""Short versions of the reliability scenarios, for CI.

Each test starts a real server process and drives it for a few seconds (see
:mod:`tests.reliability.driver`; the full versions and their figures are in
``RELIABILITY.md``). Run only these: ``pytest -m reliability``.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime

import pytest

from failwise.domain.context import Phase
from failwise.services.accounts import Accounts
from failwise.services.catalog import builtin_catalog
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database
from tests.reliability import driver

pytestmark = pytest.mark.reliability

CLIENTS = 4


def explain(result: driver.Result) -> str:
    lines = [f"{result.scenario}/{result.backend} failed (seed {result.seed}):"]
    lines += [f"  {failure}" for failure in result.failures]
    lines += [f"  e.g. {example}" for example in result.examples[:8]]
    lines.append(f"  statuses {result.statuses}; details {result.details}")
    return "\n".join(lines)


def check(result: driver.Result) -> None:
    assert result.passed, explain(result)
    assert result.lost == 0 and result.duplicates == 0
    assert result.acknowledged > 0
    assert result.stored == result.acknowledged + result.stored_unacknowledged


# --- item 1: load ---------------------------------------------------------------------------
def test_load_on_sqlite(sqlite_url: str) -> None:
    result = driver.load(sqlite_url, "sqlite", clients=CLIENTS, seconds=3)
    check(result)
    assert result.http_5xx == 0 and result.transport_errors == 0
    assert result.integrity == "ok"


def test_load_on_postgresql(postgres_url: str) -> None:
    result = driver.load(postgres_url, "postgresql", clients=CLIENTS, seconds=3)
    check(result)
    assert result.http_5xx == 0 and result.transport_errors == 0


# --- item 2: crash ----------------------------------------------------------------------------
def test_sigkill_mid_load_on_sqlite(sqlite_url: str) -> None:
    result = driver.crash(sqlite_url, "sqlite", clients=CLIENTS, seconds=4, crashes=1)
    check(result)
    assert result.server_kills == 2  # one mid-load, one at the end
    assert result.transport_errors > 0  # the clients did see the server die
    assert result.integrity == "ok"


def test_sigkill_mid_load_on_postgresql(postgres_url: str) -> None:
    result = driver.crash(postgres_url, "postgresql", clients=CLIENTS, seconds=4, crashes=1)
    check(result)
    assert result.server_kills == 2


# --- item 3: database outage -------------------------------------------------------------------
def test_postgresql_outage_mid_load(postgres_url: str) -> None:
    reason = driver.outage_skip_reason(postgres_url)
    if reason:
        pytest.skip(reason)
    result = driver.outage(postgres_url, clients=CLIENTS, seconds=6, outage_seconds=3)
    check(result)
    details = result.details
    assert details["requests_while_down"] > 0
    assert set(details["answers_while_down"]) == {"503"}
    assert details["same_server_process"]
    assert details["first_2xx_after_recovery_s"] is not None
    assert result.http_500 == 0


# --- item 4: offline replay --------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_offline_replay_of_1000_sets(backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    result = driver.replay(url, backend, sets=1000, duplicate_share=0.3, threads=4)
    check(result)
    assert result.stored == 1000 and result.acknowledged == 1000
    assert result.details["deliveries"] == 1300
    assert result.details["answers_201"] == 1000
    assert result.details["stored_in_logged_order"]
    assert result.details["api_history_in_logged_order"]


# --- the verifier itself: it must be able to fail ------------------------------------------------
def test_the_verifier_finds_lost_unknown_and_half_written(database_url: str) -> None:
    database = Database(database_url)
    try:
        user = Accounts(database).sign_up("verifier", "correct horse battery").user
        coach = Coach(database)
        body = {"exercise": "Squat (Barbell)", "load": 100.0, "reps": 5}
        stored = coach.sets.log(user.id, LogRequest(**body, rir=2, idempotency_key="kept"))
        coach.sets.log(user.id, LogRequest(**body, rir=2, idempotency_key="never-sent"))
        coach.sets.log(user.id, LogRequest(**body, rir=2))  # no key at all
        with database() as store:  # a workout with no set: what a half-written one looks like
            start = datetime(2026, 1, 1)
            store.add_workout(user.id, started_at=start, phase=Phase.NORMAL, notes="")
            store.commit()
    finally:
        database.dispose()
    expected = driver.Expectation(
        user.id,
        sent={"kept": body, "acked-but-lost": body, "wrong-id": body},
        acked={"kept": stored.set.id, "acked-but-lost": 12345},
    )
    found = driver.verify(database_url, [expected])
    assert found.stored == 3
    assert found.lost == 1
    assert found.unknown == 2
    assert found.half_written_workouts == 1
    assert found.lifters_with_several_open_workouts == 1
    assert found.duplicates == 0 and found.mismatched == 0
    assert found.integrity.startswith("ok")


def test_the_verifier_counts_duplicates_and_mismatches() -> None:
    row = namedtuple("row", "id idempotency_key exercise_id load reps logged_at")
    squat = builtin_catalog().resolve("Squat (Barbell)").id
    rows = [
        row(1, "a", squat, 100.0, 5, datetime(2026, 1, 1)),
        row(2, "a", squat, 100.0, 5, datetime(2026, 1, 1)),
        row(3, "b", squat, 90.0, 5, datetime(2026, 1, 1)),
    ]
    body = {"exercise": "Squat (Barbell)", "load": 100.0, "reps": 5}
    expected = driver.Expectation(7, sent={"a": body, "b": body}, acked={"a": 1, "b": 4})
    found = driver.Verification()
    driver._check_sets(found, expected, rows, builtin_catalog())
    assert found.duplicates == 1
    assert found.mismatched == 2  # b: another load, and another id than acknowledged
    assert found.lost == 0

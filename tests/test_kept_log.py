"""A coach that remembers the lifter's log between sets answers as one that reads it afresh.

A worker keeps what it read of a lifter's log after each set it logs, and trusts it
for the next set only when nobody else wrote in between (``services.prescriptions``).
Here two coaches share one database, as two web workers do, and a lifter logs a long
run of sets through either, in any order: sets of several exercises, warm-ups, RIR
tests, sets logged late into the past, days and weeks apart, with sets corrected and
deleted and days rated on the way. After every set, a third coach that has never seen
the lifter is asked for the same answer (the set sent again under its key); the next
set it prescribes and the records it reports must be those the lifter was given.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from failwise.services.accounts import Accounts
from failwise.services.ports import NotFound
from failwise.services.records import Readiness, SetType
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database
from tests.conftest import Clock

EXERCISES = {
    "Squat (Barbell)": (100.0, 5),
    "Bench Press (Barbell)": (80.0, 6),
    "Bicep Curl (Cable)": (25.0, 12),
}
START = datetime(2026, 3, 2, 18, 0)


def _a_set(rng: random.Random, key: str, logged_at: datetime | None) -> LogRequest:
    name = rng.choice(list(EXERCISES))
    load, reps = EXERCISES[name]
    kind = rng.choices([SetType.WORKING, SetType.WARM_UP], weights=[5, 1])[0]
    if kind is SetType.WARM_UP:
        return LogRequest(name, load / 2, reps, set_type=kind, idempotency_key=key)
    done = max(1, reps + rng.randint(-2, 2))
    if rng.random() < 0.08:  # an RIR test: a call at `done`, then on to failure
        return LogRequest(
            name,
            load,
            done + rng.randint(1, 4),
            to_failure=True,
            test_reps_at_call=done,
            test_predicted_rir=rng.choice([1.0, 2.0, 3.0]),
            idempotency_key=key,
            logged_at=logged_at,
        )
    return LogRequest(
        name,
        load + rng.choice([-5.0, -2.5, 0.0, 2.5, 5.0]),
        done,
        rir=rng.choice([0.0, 1.0, 1.5, 2.0, 3.0]),
        idempotency_key=key,
        logged_at=logged_at,
    )


@pytest.mark.parametrize(
    ("backend", "seed"), [*(("sqlite", seed) for seed in range(4)), ("postgres", 0)]
)
def test_the_next_set_from_a_kept_log_is_the_one_a_fresh_read_gives(
    request: pytest.FixtureRequest, backend: str, seed: int
) -> None:
    rng = random.Random(seed)
    database = Database(request.getfixturevalue(f"{backend}_url"))
    clock = Clock(START)
    lifter = Accounts(database).sign_up("ann", "correct horse battery").user.id
    workers = [Coach(database, clock=clock), Coach(database, clock=clock)]
    logged: list[int] = []
    kept_hits = 0
    for step in range(90):
        clock.now += rng.choice(
            [timedelta(minutes=2), timedelta(minutes=3), timedelta(hours=20), timedelta(days=9)]
        )
        worker = workers[0] if rng.random() < 0.8 else workers[1]
        roll = rng.random()
        if roll < 0.04 and logged:
            worker.sets.delete(lifter, logged.pop(rng.randrange(len(logged))))
            continue
        if roll < 0.08 and logged:
            stored = worker.sets.get(lifter, rng.choice(logged))
            name = worker.core.builtin.get(stored.exercise_id).name
            fixed = LogRequest(name, stored.data.load, stored.data.reps + 1, rir=1.0)
            worker.sets.edit(lifter, stored.id, fixed)
            continue
        if roll < 0.11:
            rated = Readiness(clock.now.date(), sleep=rng.randint(1, 5), soreness=3)
            worker.checkins.rate_day(lifter, rated)
            continue
        if roll < 0.14:
            with contextlib.suppress(NotFound):  # no workout open
                worker.workouts.finish(lifter)
        late = clock.now - timedelta(hours=rng.randint(1, 30)) if rng.random() < 0.07 else None
        request = _a_set(rng, f"set-{step}", late)
        before = worker.core.kept_log(lifter)
        result = worker.sets.log(lifter, request)
        kept_hits += before is not None and worker.core.kept_log(lifter) is not before
        logged.append(result.set.id)

        fresh = Coach(database, clock=clock).sets.log(lifter, request)
        assert not fresh.created
        assert fresh.set == result.set
        assert fresh.next == result.next, f"step {step}: {request}"
        assert fresh.records == result.records, f"step {step}: {request}"
    assert kept_hits > 20  # the kept log was used, not only read again
    database.dispose()


def test_a_set_logged_by_another_worker_in_between_counts_in_the_next_prescription(
    tmp_path: Path,
) -> None:
    """Three planned squat sets, the second logged through another worker: after the third,
    the first worker says the squats are done (its kept log held one set, not two)."""
    database = Database(f"sqlite:///{tmp_path / 'failwise.sqlite3'}")
    clock = Clock(START)
    lifter = Accounts(database).sign_up("ann", "correct horse battery").user.id
    first, second = Coach(database, clock=clock), Coach(database, clock=clock)
    squat = LogRequest("Squat (Barbell)", 100, 5, rir=2, total_sets=3)
    first.sets.log(lifter, replace(squat, idempotency_key="one"))
    clock.now += timedelta(minutes=3)
    second.sets.log(lifter, replace(squat, idempotency_key="two"))
    clock.now += timedelta(minutes=3)
    third = first.sets.log(lifter, replace(squat, idempotency_key="three"))
    assert third.set.position == 3
    assert third.next.exercise_done
    database.dispose()

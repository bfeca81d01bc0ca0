"""One high-frequency rule for the plan and the live coach: sessions a week of the same
exercise (domain.context.movement_of), not of every exercise with the same pattern.

A machine curl on Monday and a preacher curl on Thursday are two curls done once a week
each: the plan and the coach both let the final curl set go to failure. The same machine
curl on both days is one movement trained twice: its final set stays short of failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from failwise.domain.context import Experience, FailurePolicy
from failwise.domain.exercises import Mechanics, Muscle, Pattern
from failwise.domain.planning import Goal, PlanRequest
from failwise.domain.planning.effort import draft_week
from failwise.domain.planning.selection import Role, Slot
from failwise.services.catalog import builtin_catalog
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

MONDAY = datetime(2026, 3, 2, 18, 0)
THURSDAY = MONDAY + timedelta(days=3)
MACHINE_CURL = "Bicep Curl (Machine)"
PREACHER_CURL = "Preacher Curl (Machine)"
CURL_ROLE = Role(
    compound=False, mechanics=Mechanics.ISOLATION, patterns=(frozenset({Pattern.CURL}),)
)


def final_curl_sets_in_the_plan(monday: str, thursday: str) -> tuple[FailurePolicy, ...]:
    catalog = builtin_catalog()
    slots = [
        Slot(0, Muscle.BICEPS, CURL_ROLE, catalog.get(monday), (10, 15)),
        Slot(2, Muscle.BICEPS, CURL_ROLE, catalog.get(thursday), (10, 15)),
    ]
    asked = PlanRequest(
        goal=Goal.HYPERTROPHY, experience=Experience.INTERMEDIATE, days=4, minutes=90, spotter=True
    )
    drafts = draft_week(asked, slots, [3, 3], week=1, deload=False)
    return tuple(drafts[index][-1].failure for index in (0, 1))


def test_the_plan_takes_both_final_curl_sets_to_failure() -> None:
    assert final_curl_sets_in_the_plan("machine-curl", "machine-preacher-curl") == (
        FailurePolicy.GO,
        FailurePolicy.GO,
    )
    # The same curl twice a week is a high-frequency movement.
    assert FailurePolicy.GO not in final_curl_sets_in_the_plan("machine-curl", "machine-curl")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


def final_set_on_thursday(coach: Coach, lifter: int, clock: Clock, thursday: str) -> FailurePolicy:
    for _ in range(3):
        coach.sets.log(lifter, LogRequest(MACHINE_CURL, 30, 12, rir=2, total_sets=3))
    coach.workouts.finish(lifter)
    clock.now = THURSDAY
    coach.sets.log(lifter, LogRequest(thursday, 30, 12, rir=2, total_sets=3))
    shown = coach.sets.log(lifter, LogRequest(thursday, 30, 12, rir=2, total_sets=3)).next
    assert (shown.set_number, shown.total_sets) == (3, 3)
    return shown.prescription.failure


def test_the_coach_takes_the_final_preacher_curl_set_to_failure(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    assert final_set_on_thursday(coach, lifter, clock, PREACHER_CURL) is FailurePolicy.GO


def test_the_same_machine_curl_twice_a_week_stays_short_of_failure(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    assert final_set_on_thursday(coach, lifter, clock, MACHINE_CURL) is not FailurePolicy.GO

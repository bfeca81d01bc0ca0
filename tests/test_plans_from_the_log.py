"""A plan keeps the lifts the lifter trains: Plans.request_for fills PlanRequest.preferred
from the log (every exercise with a working set in the last 12 weeks, most-trained first),
unless the request names its own.

Ann has squatted and benched with a barbell for three weeks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from failwise.domain.decision import FailurePolicy
from failwise.domain.planning import Plan
from failwise.services.plans import Plans
from failwise.services.reported import LogRequest
from failwise.services.training import Coach

from .conftest import Clock

T0 = datetime(2026, 3, 2, 18, 0)
SQUAT, BENCH = "barbell-squat", "barbell-bench-press"


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def plans(coach: Coach, lifter: int, clock: Clock) -> Plans:
    for week in range(3):
        clock.now = T0 + timedelta(weeks=week)
        for _ in range(3):
            coach.sets.log(lifter, LogRequest(SQUAT, 120, 5, rir=2, spotter=True))
        for _ in range(2):
            coach.sets.log(lifter, LogRequest(BENCH, 90, 5, rir=2, spotter=True))
        coach.workouts.finish(lifter)
    return Plans(coach.core)


def first_week(plan: Plan) -> dict[str, set[FailurePolicy]]:
    """Each exercise of the plan's first week, with what its sets may do with failure."""
    found: dict[str, set[FailurePolicy]] = {}
    for session in plan.weeks[0].sessions:
        for planned in session.exercises:
            found.setdefault(planned.exercise.id, set()).update(s.failure for s in planned.sets)
    return found


def test_the_lifts_in_the_log_are_the_lifts_a_plan_prefers(plans: Plans, lifter: int) -> None:
    assert plans.trained_lifts(lifter) == [SQUAT, BENCH]  # 9 squat sets, 6 bench sets
    assert plans.request_for(lifter).preferred == {SQUAT, BENCH}
    assert plans.request_for(lifter, preferred=["leg-press"]).preferred == {"leg-press"}


def test_with_a_spotter_the_plan_keeps_the_barbell_squat_and_bench(plans: Plans) -> None:
    _, plan = plans.create(1, plans.request_for(1, days=3, minutes=60, spotter=True))
    assert {SQUAT, BENCH} <= set(first_week(plan))
    # Not the machine substitutes a plan without the log picks.
    _, stranger = plans.create(
        1, plans.request_for(1, days=3, minutes=60, spotter=True, preferred=[])
    )
    assert not {SQUAT, BENCH} & set(first_week(stranger))


def test_alone_the_bench_is_replaced_or_never_taken_near_failure(plans: Plans, lifter: int) -> None:
    _, plan = plans.create(lifter, plans.request_for(lifter, days=3, minutes=60, spotter=False))
    exercises = first_week(plan)
    assert BENCH not in exercises or exercises[BENCH] == {FailurePolicy.NEVER}


def test_the_lifts_with_an_e1rm_in_the_log_carry_loads_in_the_plan(plans: Plans) -> None:
    # 120 kg × 5 at RIR 2 and 90 kg × 5 at RIR 2: e1RMs of about 148 and 111 kg. Every
    # planned squat and bench set has a load, and a heavier one for the squat.
    _, plan = plans.create(1, plans.request_for(1, days=3, minutes=60, spotter=True))
    loads: dict[str, list[float | None]] = {SQUAT: [], BENCH: []}
    for session in plan.weeks[0].sessions:
        for planned in session.exercises:
            if planned.exercise.id in loads:
                loads[planned.exercise.id] += [s.load_kg for s in planned.sets]
    assert loads[SQUAT] and loads[BENCH]
    assert all(load is not None and load > 0 for load in loads[SQUAT] + loads[BENCH])
    assert min(x for x in loads[SQUAT] if x) > max(x for x in loads[BENCH] if x) * 1.1
    assert max(x for x in loads[SQUAT] if x) <= 130  # never above what the log supports

"""Plans on stored data: create, today's session, autoregulation, early deload, next mesocycle."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from failwise.domain.decision import FailurePolicy
from failwise.domain.planning import Goal
from failwise.services.accounts import Accounts
from failwise.services.plans import Plans, Today
from failwise.services.records import Measurement, Readiness
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

T0 = datetime(2026, 3, 2, 18, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


def _train(
    coach: Coach, plans: Plans, user: int, rir_offset: float, clock: Clock, *, finish: bool = True
) -> tuple[Today, dict[str, float]]:
    """Do today's planned session: every set at the planned reps, RIR off target by rir_offset."""
    today = plans.start_today(user)
    loads: dict[str, float] = {}
    for e, item in enumerate(today.exercises):
        for n, planned in enumerate(item.planned.sets):
            load = planned.load_kg or 20.0
            loads[item.planned.exercise.id] = load
            rir = max(0.0, min(10.0, planned.target_rir.low + rir_offset))
            reps = planned.reps if rir_offset >= 0 else max(1, planned.reps - 2)
            coach.sets.log(
                user,
                LogRequest(
                    item.planned.exercise.id,
                    load,
                    reps,
                    rir=rir,
                    target_reps=planned.reps,
                    target_load=load,
                    planned=f"{today.key}:{e}:{n}",
                ),
            )
            clock.now += timedelta(minutes=3)
    if finish:
        coach.workouts.finish(user)
    return today, loads


def test_a_plan_is_stored_and_today_walks_through_its_sessions(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    plans = Plans(coach.core)
    request = plans.request_for(lifter, goal=Goal.HYPERTROPHY, days=3, minutes=60, spotter=False)
    stored, _plan = plans.create(lifter, request)
    assert plans.active(lifter) is not None and plans.active(lifter)[0].id == stored.id  # type: ignore[index]
    first = plans.today(lifter)
    assert first is not None and (first.week, first.session_index) == (1, 0)
    assert first.exercises and all(e.planned.sets for e in first.exercises)
    _train(coach, plans, lifter, 0.0, clock)
    clock.now += timedelta(days=2)
    second = plans.today(lifter)
    assert second is not None and (second.week, second.session_index) == (1, 1)
    assert (
        len(coach.workouts.latest(lifter)) == 1
        and coach.workouts.latest(lifter)[0].plan_session == first.key
    )


def test_a_planned_session_left_open_is_done_two_days_later_and_the_next_one_comes(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    """Monday's planned session was trained but never finished. On Wednesday the plan
    offers the next session, not Monday's again as if it were in progress, and starting
    it is no conflict."""
    plans = Plans(coach.core)
    request = plans.request_for(lifter, goal=Goal.HYPERTROPHY, days=3, minutes=60, spotter=False)
    plans.create(lifter, request)
    first, _ = _train(coach, plans, lifter, 0.0, clock, finish=False)
    assert plans.today(lifter).workout is not None  # type: ignore[union-attr]
    clock.now += timedelta(days=2)
    second = plans.today(lifter)
    assert second is not None and second.workout is None
    assert (second.week, second.session_index) == (1, 1)
    started = plans.start_today(lifter)
    assert started.workout is not None and started.workout.plan_session == second.key
    monday = [w for w in coach.workouts.latest(lifter) if w.plan_session == first.key]
    assert len(monday) == 1 and not monday[0].is_open


# Sets easier than planned raise the next loads after one session; sets short of their
# reps hold them once and lower them after a second session short (DESIGN.md: "after two
# sessions missed, drop 5–10 %").
@pytest.mark.parametrize(("offset", "direction", "weeks"), [(2.0, 1, 1), (-1.0, -1, 2)])
def test_logged_sessions_move_the_next_loads(
    coach: Coach, lifter: int, clock: Clock, offset: float, direction: int, weeks: int
) -> None:
    plans = Plans(coach.core)
    # Known e1RMs give the plan starting loads.
    for name, load in (("Squat (Barbell)", 140), ("Bench Press (Barbell)", 100)):
        coach.sets.log(lifter, LogRequest(name, load, 5, rir=2))
    coach.workouts.finish(lifter)
    clock.now += timedelta(days=1)
    request = plans.request_for(lifter, days=2, minutes=60, spotter=True)
    plans.create(lifter, request)
    # Full weeks of two sessions: the first session comes back the week after.
    first, logged = _train(coach, plans, lifter, offset, clock)
    clock.now += timedelta(days=2)
    second, _ = _train(coach, plans, lifter, offset, clock)
    clock.now += timedelta(days=2)
    if offset < 0:
        # Short once: the exercises of the first session alone come back at the same loads.
        once = {e.planned.exercise.id for e in first.exercises} - {
            e.planned.exercise.id for e in second.exercises
        }
        week_two = plans.today(lifter)
        assert week_two is not None and once
        held = {e.planned.exercise.id: e.planned.sets[0].load_kg for e in week_two.exercises}
        assert all(held[k] == logged[k] for k in once)
    for _ in range(weeks - 1):
        for _ in range(2):
            _train(coach, plans, lifter, offset, clock)
            clock.now += timedelta(days=2)
    again = plans.today(lifter)
    assert again is not None and again.session.name == first.session.name
    assert again.week == 1 + weeks
    after = {e.planned.exercise.id: e.planned.sets[0].load_kg for e in again.exercises}
    moved = [(after[k] - load) * direction for k, load in logged.items() if after.get(k)]  # type: ignore[operator]
    assert moved and all(m > 0 for m in moved)
    assert all(e.note for e in again.exercises if e.planned.exercise.id in logged)


def test_persistent_fatigue_brings_the_deload_early(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    plans = Plans(coach.core)
    plans.create(lifter, plans.request_for(lifter, days=3, minutes=60))
    for day in range(21):
        coach.checkins.rate_day(lifter, Readiness((T0 + timedelta(days=day)).date(), 1, 1, 1))
    clock.now = T0 + timedelta(days=20)
    today = plans.today(lifter)
    assert today is not None and today.deload and today.early_deload
    assert all(s.failure is FailurePolicy.NEVER for e in today.exercises for s in e.planned.sets)


def test_the_physique_analysis_feeds_lagging_muscles(
    coach: Coach, lifter: int, db: Database
) -> None:
    Accounts(db).update_settings(lifter, {"sex": "male", "age": 30})
    coach.checkins.add_measurement(
        lifter,
        Measurement(
            T0.date(), 80.0, 180.0, None, {"neck": 38, "waist": 85, "arm": 30, "wrist": 17}
        ),
    )
    coach.sets.log(lifter, LogRequest("Bench Press (Barbell)", 100, 5, rir=1))
    coach.sets.log(lifter, LogRequest("Bent Over Row (Barbell)", 50, 5, rir=1))
    report = Plans(coach.core).physique(lifter)
    assert report.body_fat_pct is not None and 15 < report.body_fat_pct < 17
    lagging = {item.muscle.value for item in report.lagging}
    assert "back" in lagging
    request = Plans(coach.core).request_for(lifter)
    assert {m.value for m in request.lagging} >= {"back"}


def test_the_next_mesocycle_builds_on_the_last(coach: Coach, lifter: int, clock: Clock) -> None:
    plans = Plans(coach.core)
    first, _ = plans.create(lifter, plans.request_for(lifter, days=2, minutes=45, seed=3))
    _train(coach, plans, lifter, 0.0, clock)
    second, plan = plans.next_plan(lifter)
    assert second.id != first.id and second.request["seed"] == 4
    assert plans.active(lifter)[0].id == second.id  # type: ignore[index]
    assert plan.weeks[-1].deload

"""A set keeps as its target the next set the lifter was shown for it.

The app shows the next set (the answer to the set before, or the today page) and
sends it back with the set done (``shown``). The coach then takes it as the set's
target without working the decision out again: what is stored is what was on the
screen. Sent by an app that showed the coach's own answer, it stores exactly the set
the coach would have stored had it worked the target out itself, planned sessions and
extra sets included.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from failwise.adapters.web.app import create_app
from failwise.domain.errors import InvalidInput
from failwise.services.accounts import Accounts
from failwise.services.live import NextSet
from failwise.services.plans import Plans
from failwise.services.records import SetType
from failwise.services.reported import LogRequest, Shown
from failwise.services.training import Coach
from failwise.storage.database import Database
from tests.conftest import Clock

FREE = {"Squat (Barbell)": (100.0, 5), "Lateral Raise (Dumbbell)": (10.0, 12)}


def as_shown(following: NextSet) -> Shown | None:
    """What an app shows of the coach's next set, in the lifter's unit (nothing once the
    exercise's sets are done: the app says so instead)."""
    if following.exercise_done:
        return None
    target = following.prescription.target_rir
    return Shown(following.load_shown, following.reps, target.low, target.high)


def targets(coach: Coach, lifter: int, set_id: int) -> tuple[Any, ...]:
    """A stored set's target, and the planned set it carried out (in the lifter's own
    plan: its key without the plan's id)."""
    data = coach.sets.get(lifter, set_id).data
    planned = None if data.planned is None else data.planned.split(":", 1)[1]
    return (data.target_load, data.target_reps, data.target_rir_low, data.target_rir_high, planned)


@pytest.mark.parametrize("planned", [False, True], ids=["free", "planned"])
@pytest.mark.parametrize("seed", range(3))
def test_an_app_that_sends_what_the_coach_showed_stores_what_the_coach_would_have(
    db: Database, clock: Clock, planned: bool, seed: int
) -> None:
    """Ann's app sends no target and the coach works out what it showed; Ben's sends
    the next set as it was on his screen. They train alike, set for set: every set is
    stored with the same target and planned set, and the next set is the same."""
    rng = random.Random(seed)
    coach = Coach(db, clock=clock)
    ann, ben = (Accounts(db).sign_up(name, "correct horse").user.id for name in ("ann", "ben"))
    exercises = dict(FREE)
    if planned:
        plans = Plans(coach.core)
        for lifter in (ann, ben):
            plans.create(lifter, plans.request_for(lifter, days=3, minutes=60, spotter=True))
            today = plans.start_today(lifter)
        exercises = {
            item.planned.exercise.id: (
                item.planned.sets[0].load_kg or 20.0,
                item.planned.sets[0].reps,
            )
            for item in today.exercises[:2]
        }
    on_screen: dict[str, NextSet] = {}
    shown_and_kept = 0
    for step in range(40):
        clock.now += timedelta(minutes=rng.choice([2, 3, 4]))
        if step % 8 == 7:  # the session's end; the next one two days on
            clock.now += timedelta(days=2)
            for lifter in (ann, ben):
                coach.workouts.finish(lifter)
                if planned:
                    plans.start_today(lifter)
            on_screen = {}
        exercise = rng.choice(list(exercises))
        load, reps = exercises[exercise]
        # The answer to the set before when it was this exercise's (the app sends its
        # count of sets back), else the today page (with the sets the lifter chose).
        screen = on_screen.get(exercise)
        if screen is not None:
            total: int | None = screen.total_sets
        else:
            total = rng.choice([None, None, 3, 4])
            screen = coach.prescriptions.next_set(ben, exercise, total_sets=total)
        shown = as_shown(screen)
        if shown is not None and shown.load is not None and rng.random() < 0.7:
            load = shown.load  # as shown; else the lifter changed the load
        kind = SetType.WARM_UP if rng.random() < 0.1 else SetType.WORKING
        step_kg = coach.core.builtin.resolve(exercise).increment_kg  # the loads there are
        done = LogRequest(
            exercise,
            load + step_kg * rng.choice([0, 0, 1, -1]),
            max(1, reps + rng.randint(-2, 1)),
            rir=rng.choice([1.0, 2.0, 3.0]),
            set_type=kind,
            total_sets=total,
        )
        by_coach = coach.sets.log(ann, done)
        as_seen = coach.sets.log(ben, replace(done, shown=shown))
        assert targets(coach, ben, as_seen.set.id) == targets(coach, ann, by_coach.set.id), (
            f"step {step}: {done}"
        )
        assert as_seen.next.prescription == by_coach.next.prescription
        assert (as_seen.next.load, as_seen.next.reps) == (by_coach.next.load, by_coach.next.reps)
        shown_and_kept += shown is not None and kind is SetType.WORKING
        on_screen = {exercise: as_seen.next}
    assert shown_and_kept > 20  # most sets went the new way: the check is not vacuous


# --- over the API, as the phone sends it --------------------------------------------------


@pytest.fixture
def client(sqlite_url: str) -> TestClient:
    return TestClient(create_app(sqlite_url))


def _sign_up(client: TestClient, name: str = "ann", **settings: Any) -> dict[str, str]:
    answer = client.post("/api/auth/signup", json={"username": name, "password": "correct horse"})
    assert answer.status_code == 201, answer.text
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    if settings:
        assert client.patch("/api/me/settings", json=settings, headers=headers).status_code == 200
    return headers


def _log(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    answer = client.post("/api/sets", json={"exercise": "Squat (Barbell)", **body}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_set_keeps_the_target_that_was_on_the_screen(client: TestClient) -> None:
    """Squat 100 × 5 logged; the phone showed 97.5 kg × 6 at RIR 2–3 for the next set
    (its page from before), and the lifter did just that: the set's target is 97.5 × 6
    at RIR 2–3, not the coach's answer of now."""
    headers = _sign_up(client)
    first = _log(client, headers, load=100, reps=5, rir=2)
    coach_says = first["next"]
    assert (coach_says["load"], coach_says["reps"]) != (97.5, 6)
    shown = {"load": 97.5, "reps": 6, "target_rir": {"min": 2, "max": 3}}
    second = _log(client, headers, load=97.5, reps=6, rir=2, shown=shown)["set"]
    assert (second["target_load"], second["target_reps"]) == (97.5, 6)
    assert second["target_rir"] == {"min": 2, "max": 3}


def test_a_heavier_set_than_shown_did_not_miss_the_reps_shown(client: TestClient) -> None:
    """Shown 100 kg × 5, the lifter put 105 on and got 4: the RIR aimed at stays its
    target, the 5 reps do not (fewer reps with more load are no miss)."""
    headers = _sign_up(client)
    _log(client, headers, load=100, reps=5, rir=2)
    shown = {"load": 100, "reps": 5, "target_rir": {"min": 1, "max": 3}}
    done = _log(client, headers, load=105, reps=4, rir=1, shown=shown)["set"]
    assert done["target_load"] is None and done["target_reps"] is None
    assert done["target_rir"] == {"min": 1, "max": 3}


def test_a_target_in_pounds_is_kept_as_the_pounds_shown(client: TestClient) -> None:
    """A lifter in pounds shown 225 lb × 5: the set done at 225 lb keeps 225 lb × 5."""
    headers = _sign_up(client, unit="lb")
    _log(client, headers, load=225, reps=5, rir=2)
    shown = {"load": 225, "reps": 5, "target_rir": {"min": 1, "max": 3}}
    done = _log(client, headers, load=225, reps=5, rir=2, shown=shown)["set"]
    assert done["unit"] == "lb"
    assert math.isclose(done["target_load"], 225, abs_tol=0.01) and done["target_reps"] == 5


def test_targets_sent_with_the_set_outrank_the_set_shown(client: TestClient) -> None:
    headers = _sign_up(client)
    shown = {"load": 100, "reps": 5, "target_rir": {"min": 1, "max": 3}}
    done = _log(
        client,
        headers,
        load=100,
        reps=5,
        rir=2,
        target_load=100,
        target_reps=8,
        shown=shown,
    )["set"]
    assert done["target_reps"] == 8 and done["target_rir"] is None


@pytest.mark.parametrize(
    ("shown", "named"),
    [
        ({"load": -5, "reps": 5, "target_rir": {"min": 1, "max": 3}}, "load"),
        ({"load": 100, "reps": 0, "target_rir": {"min": 1, "max": 3}}, "reps"),
        ({"load": 100, "reps": 5, "target_rir": {"min": 3, "max": 1}}, "target_rir"),
        ({"load": 100, "reps": 5, "target_rir": {"min": 1, "max": 11}}, "max"),
        ({"load": 100, "reps": 5}, "target_rir"),
        ({"load": 100, "reps": 5, "target_rir": {"min": 1, "max": 3}, "why": "x"}, "why"),
    ],
)
def test_a_set_shown_that_no_app_could_show_is_refused_and_nothing_is_stored(
    client: TestClient, shown: dict[str, Any], named: str
) -> None:
    headers = _sign_up(client)
    body = {"exercise": "Squat (Barbell)", "load": 100, "reps": 5, "shown": shown}
    answer = client.post("/api/sets", json=body, headers=headers)
    assert answer.status_code == 422
    assert any(
        "shown" in error["loc"] and named in error["loc"] for error in answer.json()["detail"]
    ), answer.text
    assert client.get("/api/history", headers=headers).json() == []


def test_a_load_shown_as_not_a_number_is_refused(client: TestClient) -> None:
    headers = {**_sign_up(client), "Content-Type": "application/json"}
    body = '{"exercise": "Squat (Barbell)", "load": 100, "reps": 5, "shown": '
    for load in ("NaN", "Infinity"):
        sent = body + '{"load": ' + load + ', "reps": 5, "target_rir": {"min": 1, "max": 3}}}'
        answer = client.post("/api/sets", content=sent, headers=headers)
        assert answer.status_code == 422, answer.text
        assert "shown" in json.dumps(answer.json()["detail"])
    assert client.get("/api/history", headers=headers).json() == []


def test_the_service_refuses_a_set_shown_that_no_app_could_show(db: Database, clock: Clock) -> None:
    """The same checks for every adapter: a shown set whose load is not a number."""
    coach = Coach(db, clock=clock)
    lifter = Accounts(db).sign_up("ann", "correct horse").user.id
    for shown, field in [
        (Shown(math.nan, 5, 1, 3), "shown.load"),
        (Shown(100, 500, 1, 3), "shown.reps"),
        (Shown(100, 5, 3, 1), "shown.target_rir"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            coach.sets.log(lifter, LogRequest("Squat (Barbell)", 100, 5, rir=2, shown=shown))
        assert refused.value.field == field
    assert coach.workouts.latest(lifter) == []  # not even a workout was started


def test_a_set_past_the_sets_planned_is_an_extra_whatever_the_app_still_shows(
    db: Database, clock: Clock
) -> None:
    """One set of squats planned, and the app (offline, say) still shows it when the
    lifter does a second: the second is an extra, with no target, as the coach has it."""
    coach = Coach(db, clock=clock)
    lifter = Accounts(db).sign_up("ann", "correct horse").user.id
    shown = Shown(100, 5, 1, 3)
    logged = []
    for _ in range(2):
        clock.now += timedelta(minutes=3)
        request = LogRequest("Squat (Barbell)", 100, 5, rir=2, total_sets=1, shown=shown)
        logged.append(coach.sets.log(lifter, request))
    first, extra = (targets(coach, lifter, done.set.id) for done in logged)
    assert first == (100, 5, 1, 3, None)
    assert extra == (None, None, None, None, None) and logged[1].next.exercise_done

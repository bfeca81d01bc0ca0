"""Golden sessions: the live coach, set after set, as a coach would script it.

Every session runs twice on each database: through the services (as the CLI
and the pages call them) and through the REST API. Both lifters answer in the
same JSON shapes (:mod:`failwise.adapters.payloads`), so one script checks both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient

from failwise.adapters import payloads
from failwise.adapters.web.app import create_app
from failwise.services.accounts import Accounts
from failwise.services.plans import Plans
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

T0 = datetime(2026, 3, 2, 18, 0)
SQUAT = "Squat (Barbell)"
BENCH = "Bench Press (Barbell)"
DEADLIFT = "Deadlift (Barbell)"
CURL = "Bicep Curl (Cable)"
LEG_EXTENSION = "Leg Extension (Machine)"

Json = dict[str, Any]


class Lifter(Protocol):
    clock: Clock

    def settings(self, **changes: Any) -> None: ...
    def next(self, exercise: str, *, sets: int | None = None) -> Json: ...
    def log(
        self,
        exercise: str,
        load: float,
        reps: int,
        *,
        rir: float | None = None,
        to_failure: bool = False,
        sets: int | None = None,
        test: tuple[int, float] | None = None,
    ) -> Json: ...
    def start_planned_session(self, days: int) -> Json: ...
    def workout_sets(self) -> list[Json]: ...
    def calibration(self) -> Json: ...
    def finish(self) -> None: ...


class ServiceLifter:
    """A lifter who goes through the services, as the CLI and the pages do."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.clock = clock
        self.coach = Coach(database, clock=clock)
        self.accounts = Accounts(database)
        self.id = self.accounts.local_lifter().id

    def settings(self, **changes: Any) -> None:
        self.accounts.update_settings(self.id, changes)

    def next(self, exercise: str, *, sets: int | None = None) -> Json:
        return payloads.next_set(
            self.coach.prescriptions.next_set(self.id, exercise, total_sets=sets)
        )

    def log(
        self,
        exercise: str,
        load: float,
        reps: int,
        *,
        rir: float | None = None,
        to_failure: bool = False,
        sets: int | None = None,
        test: tuple[int, float] | None = None,
    ) -> Json:
        result = self.coach.sets.log(
            self.id,
            LogRequest(
                exercise,
                load,
                reps,
                rir=rir,
                to_failure=to_failure,
                total_sets=sets,
                test_reps_at_call=test[0] if test else None,
                test_predicted_rir=test[1] if test else None,
            ),
        )
        return {
            "set": payloads.stored_set(result.set, result.exercise, result.next.unit),
            "next": payloads.next_set(result.next),
        }

    def start_planned_session(self, days: int) -> Json:
        plans = Plans(self.coach.core)
        plans.create(self.id, plans.request_for(self.id, days=days))
        return payloads.today_payload(plans.start_today(self.id))

    def workout_sets(self) -> list[Json]:
        latest = self.coach.workouts.latest(self.id, limit=1)[0]
        detail = self.coach.workouts.get(self.id, latest.id)
        catalog = self.coach.exercises.catalog(self.id)
        unit = self.coach.prescriptions.next_set(self.id, SQUAT).unit
        return [payloads.stored_set(s, catalog.get(s.exercise_id), unit) for s in detail.sets]

    def calibration(self) -> Json:
        return payloads.calibration(self.coach.insights.calibration(self.id))

    def finish(self) -> None:
        self.coach.workouts.finish(self.id)


class ApiLifter:
    """A lifter who goes through the REST API."""

    def __init__(self, client: TestClient, clock: Clock) -> None:
        self.clock = clock
        self.client = client
        signed = client.post(
            "/api/auth/signup", json={"username": "ann", "password": "correct horse"}
        )
        assert signed.status_code == 201, signed.text
        client.cookies.clear()
        self.headers = {"Authorization": f"Bearer {signed.json()['token']}"}

    def _ok(self, response: Any, code: int = 200) -> Any:
        assert response.status_code == code, response.text
        return response.json()

    def settings(self, **changes: Any) -> None:
        self._ok(self.client.patch("/api/me/settings", json=changes, headers=self.headers))

    def next(self, exercise: str, *, sets: int | None = None) -> Json:
        params: dict[str, Any] = {"exercise": exercise}
        if sets is not None:
            params["total_sets"] = sets
        answer: Json = self._ok(self.client.get("/api/next", params=params, headers=self.headers))
        return answer

    def log(
        self,
        exercise: str,
        load: float,
        reps: int,
        *,
        rir: float | None = None,
        to_failure: bool = False,
        sets: int | None = None,
        test: tuple[int, float] | None = None,
    ) -> Json:
        body: Json = {"exercise": exercise, "load": load, "reps": reps, "to_failure": to_failure}
        if rir is not None:
            body["rir"] = rir
        if sets is not None:
            body["total_sets"] = sets
        if test is not None:
            body["test"] = {"reps_at_call": test[0], "predicted_rir": test[1]}
        answer: Json = self._ok(self.client.post("/api/sets", json=body, headers=self.headers), 201)
        return answer

    def start_planned_session(self, days: int) -> Json:
        self._ok(self.client.post("/api/plans", json={"days": days}, headers=self.headers), 201)
        today: Json = self._ok(self.client.post("/api/today/start", headers=self.headers))
        return today

    def workout_sets(self) -> list[Json]:
        latest = self._ok(self.client.get("/api/workouts", headers=self.headers))[0]
        detail = self._ok(self.client.get(f"/api/workouts/{latest['id']}", headers=self.headers))
        sets: list[Json] = detail["sets"]
        return sets

    def calibration(self) -> Json:
        answer: Json = self._ok(self.client.get("/api/calibration", headers=self.headers))
        return answer

    def finish(self) -> None:
        latest = self._ok(self.client.get("/api/workouts", headers=self.headers))[0]
        finish = f"/api/workouts/{latest['id']}/finish"
        self._ok(self.client.post(finish, headers=self.headers))


@pytest.fixture(params=["service", "api"])
def lifter(request: pytest.FixtureRequest, database_url: str) -> Iterator[Lifter]:
    clock = Clock(T0)
    if request.param == "service":
        database = Database(database_url)
        yield ServiceLifter(database, clock)
        database.dispose()
        return
    with TestClient(create_app(database_url, clock=clock)) as client:
        yield ApiLifter(client, clock)


def as_shown(lifter: Lifter, exercise: str, shown: Json, *, rir: float | None = None) -> Json:
    """Log the set exactly as the coach showed it (at ``rir`` when the lifter calls one)."""
    lifter.clock.now += timedelta(minutes=3)
    called = shown["aim_rir"] if rir is None else rir
    return lifter.log(exercise, shown["load"], shown["reps"], rir=called)


# --- within a session: the load holds on target -------------------------------------------------


def test_three_fives_at_140_logged_as_shown_hold_the_load_then_the_squat_is_done(
    lifter: Lifter,
) -> None:
    shown = lifter.log(SQUAT, 140, 5, rir=2, sets=3)["next"]
    for set_number in (2, 3):
        assert shown["set_number"] == set_number and shown["exercise_done"] is False
        assert abs(shown["load"] - 140) <= 2.5 and shown["reps"] == 5
        assert shown["unit"] == "kg"
        shown = as_shown(lifter, SQUAT, shown, rir=2)["next"]
    assert shown["exercise_done"] is True
    # No fourth "last set" to failure: nothing is prescribed after the planned sets.
    assert shown["load"] is None and shown["failure"] is None and shown["reps"] is None
    assert [s["load"] for s in lifter.workout_sets()] == [140, 140, 140]


def test_a_set_with_two_reps_more_in_reserve_than_aimed_makes_the_next_one_heavier(
    lifter: Lifter,
) -> None:
    lifter.settings(spotter=True)
    first = lifter.log(SQUAT, 140, 5, rir=2, sets=3)["next"]
    assert first["aim_rir"] == 2 and first["load"] == 140
    easier = as_shown(lifter, SQUAT, first, rir=4)["next"]
    # At most a tenth heavier (153.8 kg on the chart), on the lifter's 2.5 kg plates: 155.
    assert 140 * 1.025 <= easier["load"] <= 155
    assert easier["reps"] == 5


def test_a_missed_set_makes_the_next_lighter_and_keeps_the_reps(lifter: Lifter) -> None:
    lifter.settings(spotter=True)
    first = lifter.log(SQUAT, 140, 5, rir=2, sets=4)["next"]
    lifter.clock.now += timedelta(minutes=3)
    missed = lifter.log(SQUAT, first["load"], 3, rir=0)["next"]
    assert missed["load"] < first["load"]
    assert missed["reps"] == 5  # the rep target stays: 3 reps was a miss, not a new target


def test_a_set_logged_without_rir_counts_at_its_aim_and_is_said(lifter: Lifter) -> None:
    lifter.settings(spotter=True)
    first = lifter.log(BENCH, 100, 8, rir=2, sets=4)["next"]
    lifter.clock.now += timedelta(minutes=3)
    unrated = lifter.log(BENCH, first["load"], first["reps"], sets=4)
    assert unrated["set"]["rir"] is None
    assert unrated["next"]["assumed_rir"] == first["aim_rir"]
    assert unrated["next"]["load"] == first["load"]
    lifter.clock.now += timedelta(minutes=3)
    short = lifter.log(BENCH, first["load"], 5, sets=4)["next"]  # 5 of 8, no RIR: failure
    assert short["assumed_rir"] == 0
    assert short["load"] < first["load"] and short["reps"] == 8


def test_an_isolation_exercise_ends_after_its_last_set_to_failure(lifter: Lifter) -> None:
    shown = lifter.log(CURL, 30, 12, rir=1, sets=3)["next"]
    shown = as_shown(lifter, CURL, shown)["next"]
    assert shown["set_number"] == 3 and shown["failure"] == "go"
    assert shown["target_rir"]["min"] == 0  # go includes failure wherever it is shown
    done = lifter.log(CURL, shown["load"], shown["reps"], to_failure=True)["next"]
    assert done["exercise_done"] is True and done["failure"] is None
    again = lifter.next(CURL)
    assert again["exercise_done"] is True and again["set_number"] == 4


# --- units -------------------------------------------------------------------------------------


def test_a_pound_lifter_sees_every_figure_in_pounds(lifter: Lifter) -> None:
    lifter.settings(unit="lb", spotter=True)
    logged = lifter.log(SQUAT, 225, 5, rir=2, sets=3)
    assert (logged["set"]["unit"], logged["set"]["load"]) == ("lb", 225)
    following = logged["next"]
    assert following["unit"] == "lb" and following["load"] == 225
    assert following["load"] % 5 == 0  # two 2.5 lb plates are the smallest step
    assert 270 < following["e1rm"] < 300  # 225 × 5 @ RIR 2 (+0.95) in pounds, not 130 kg
    heavier = as_shown(lifter, SQUAT, following, rir=4)["next"]
    assert heavier["load"] > 225 and heavier["load"] % 5 == 0


# --- experience and calibration ---------------------------------------------------------------


def test_a_beginner_keeps_deadlifts_at_rir_2_or_more_until_calibrated(lifter: Lifter) -> None:
    lifter.settings(experience="beginner", spotter=True)
    final = lifter.next(DEADLIFT, sets=1)
    assert final["failure"] == "avoid" and final["target_rir"]["min"] >= 2
    lifter.settings(experience="advanced")
    assert lifter.next(DEADLIFT, sets=1)["target_rir"]["min"] == 1


def test_calls_that_scatter_are_inconsistent(lifter: Lifter) -> None:
    # Called at rep 8, then on to failure: errors of +5, −3, 0 and −4 reps.
    for predicted, failed_at in ((1, 14), (4, 9), (2, 10), (5, 9)):
        lifter.clock.now += timedelta(days=2)
        lifter.log(LEG_EXTENSION, 50, failed_at, test=(8, predicted))
    calibration = lifter.calibration()
    assert calibration["verdict"] == "inconsistent" and calibration["tests"] == 4
    lifter.settings(spotter=True)
    squat = lifter.next(SQUAT, sets=1)
    assert squat["target_rir"]["min"] >= 2  # scattered calls keep a margin on compounds


# --- a planned session ---------------------------------------------------------------------


def test_in_a_planned_session_the_targets_shown_and_stored_are_the_plans(lifter: Lifter) -> None:
    # Last week's squats give the plan an e1RM to load from.
    lifter.clock.now = T0 - timedelta(days=7)
    lifter.settings(spotter=True)
    for _ in range(3):
        lifter.clock.now += timedelta(minutes=3)
        lifter.log(SQUAT, 120, 8, rir=2, sets=3)
    lifter.finish()
    lifter.clock.now = T0
    today = lifter.start_planned_session(days=3)
    first = today["exercises"][0]
    name, planned = first["exercise"]["name"], first["sets"]
    shown_targets = []
    for index, planned_set in enumerate(planned):
        shown = lifter.next(name)
        assert shown["set_number"] == index + 1 and shown["total_sets"] == len(planned)
        assert shown["reps"] == planned_set["reps"]
        assert shown["target_rir"] == planned_set["target_rir"]
        if shown["failure"] == "go":
            assert shown["target_rir"]["min"] == 0  # go means failure, in every week
        if planned_set["load_kg"] is not None:
            assert shown["load"] == pytest.approx(planned_set["load_kg"])
        load = shown["load"] if shown["load"] is not None else 40.0
        lifter.clock.now += timedelta(minutes=3)
        lifter.log(name, load, shown["reps"], rir=shown["aim_rir"])
        shown_targets.append((shown["reps"], shown["target_rir"]))
    stored = [s for s in lifter.workout_sets() if s["exercise"]["name"] == name]
    assert [(s["target_reps"], s["target_rir"]) for s in stored] == shown_targets
    done = lifter.next(name)
    assert done["exercise_done"] is True
    following = today["exercises"][1]["exercise"] if len(today["exercises"]) > 1 else None
    assert done["next_exercise"] == following


# --- between sessions: progression ----------------------------------------------------------


def test_three_fives_at_140_made_at_rir_0_when_2_was_aimed_hold_140_next_session(
    lifter: Lifter,
) -> None:
    # DESIGN.md, between sessions: "when the aim was exceeded (RIR lower by 1 or more),
    # hold". The reps were all there, so no lighter load either.
    lifter.settings(spotter=True)
    first = lifter.log(SQUAT, 140, 5, rir=2, sets=3)
    assert first["next"]["aim_rir"] == 2
    for _ in range(2):
        lifter.clock.now += timedelta(minutes=3)
        lifter.log(SQUAT, 140, 5, rir=0)
    lifter.finish()
    lifter.clock.now += timedelta(days=3)
    following = lifter.next(SQUAT)
    assert following["load"] == 140 and following["reps"] == 5


def test_a_squat_session_short_of_its_reps_holds_once_and_comes_down_after_the_second(
    lifter: Lifter,
) -> None:
    # DESIGN.md: "after two sessions missed, drop 5–10 %". 3 x 5 at 140 made on target:
    # 142.5 next time. 3 x 4 done there, a rep short of each 5: the same 142.5 for 5
    # again. Short again: the chart's load for 5 is further down, but the drop stops at
    # 10 %, the plate step at or above 128.25 kg: 130.
    lifter.settings(spotter=True)

    def short_session() -> Json:
        # Each set at the load the coach shows, a rep short of the 5 it asks for.
        shown = lifter.next(SQUAT)
        for _ in range(3):
            lifter.clock.now += timedelta(minutes=3)
            logged = lifter.log(SQUAT, shown["load"], 4, rir=0, sets=3)
            assert logged["set"]["target_reps"] == 5
            shown = logged["next"]
        lifter.finish()
        lifter.clock.now += timedelta(days=3)
        return lifter.next(SQUAT)

    lifter.log(SQUAT, 140, 5, rir=2, sets=3)
    for _ in range(2):
        lifter.clock.now += timedelta(minutes=3)
        lifter.log(SQUAT, 140, 5, rir=2)
    lifter.finish()
    lifter.clock.now += timedelta(days=3)
    assert lifter.next(SQUAT)["load"] == 142.5  # made on target: one step on
    once = short_session()
    assert (once["load"], once["reps"]) == (142.5, 5)
    twice = short_session()
    assert (twice["load"], twice["reps"]) == (130.0, 5)


def test_all_sets_made_on_target_add_one_step_next_session(lifter: Lifter) -> None:
    lifter.settings(spotter=True)
    shown = lifter.log(SQUAT, 140, 5, rir=2, sets=3)["next"]
    for _ in range(2):
        shown = as_shown(lifter, SQUAT, shown, rir=2)["next"]
    lifter.finish()
    lifter.clock.now += timedelta(days=3)
    following = lifter.next(SQUAT)
    assert (following["set_number"], following["total_sets"]) == (1, 3)  # as many as last time
    assert following["load"] == 142.5 and following["reps"] == 5

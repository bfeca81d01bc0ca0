"""The live loop's promise, for any exercise and any number of sets: a lifter who logs
exactly what the coach prescribed is never asked to lift more within the session."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failwise.domain.exercises import Equipment, Exercise
from failwise.services.catalog import builtin_catalog
from failwise.services.records import DEFAULT_SETTINGS
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

LOADED = [
    e
    for e in builtin_catalog().exercises
    if e.equipment not in (Equipment.BODYWEIGHT, Equipment.BAND)
]
_names = itertools.count()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    exercise=st.sampled_from(LOADED),
    sets=st.integers(1, 6),
    start=st.floats(10, 250).map(lambda kg: round(kg * 2) / 2),
    reps=st.integers(1, 20),
    first_rir=st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, 6.0]),
    spotter=st.booleans(),
    unit=st.sampled_from(["kg", "lb"]),
    experience=st.sampled_from(["beginner", "intermediate", "advanced"]),
)
def test_logging_what_was_prescribed_never_raises_the_load_within_a_session(
    database: Database,
    exercise: Exercise,
    sets: int,
    start: float,
    reps: int,
    first_rir: float,
    spotter: bool,
    unit: str,
    experience: str,
) -> None:
    settings_ = {**DEFAULT_SETTINGS, "spotter": spotter, "unit": unit, "experience": experience}
    with database() as store:
        user = store.add_user(f"lifter{next(_names)}", "!", settings_)
        store.commit()
    clock = Clock(datetime(2026, 3, 2, 18, 0))
    coach = Coach(database, clock=clock)
    following = coach.sets.log(
        user.id,
        # The first load is the lifter's own choice, however unusual: confirmed.
        LogRequest(exercise.id, start, reps, rir=first_rir, total_sets=sets, confirmed=True),
    ).next
    shown: list[float] = []
    while not following.exercise_done:
        assert following.load is not None and following.load_shown is not None
        shown.append(following.load_shown)
        clock.now += timedelta(minutes=3)
        following = coach.sets.log(
            user.id,
            LogRequest(
                exercise.id,
                following.load_shown,
                following.reps,
                rir=following.aim_rir,
                total_sets=sets,
            ),
        ).next
    assert len(shown) == sets - 1
    assert all(later <= earlier for earlier, later in itertools.pairwise(shown)), shown

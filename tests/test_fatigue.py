"""Fatigue cost, recovery time and readiness, pinned to the studies' numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle
from failwise.domain.fatigue import (
    TimedSet,
    proximity_cost,
    recovery_state,
    set_cost,
    stimulus_to_fatigue,
)
from failwise.domain.stimulus import WorkSet
from failwise.domain.techniques import Technique
from failwise.services.catalog import builtin_catalog

catalog = builtin_catalog()
BENCH = catalog.resolve("Bench Press (Barbell)")
CURL = catalog.resolve("Bicep Curl (Cable)")
T0 = datetime(2026, 3, 2, 18, 0)


def reference(rir: float) -> float:
    """The reference set: 10RM load, 10 − RIR reps, a heavy compound."""
    return set_cost(int(10 - rir), rir, exercise=BENCH).fatigue


def test_acute_loss_follows_refalo_2023() -> None:
    # failure 25%, RIR 1 13%, RIR 3 8%
    assert reference(0) == pytest.approx(25.0, abs=0.01)
    assert reference(1) == pytest.approx(13.0, abs=0.01)
    assert reference(3) == pytest.approx(8.0, abs=0.01)
    assert proximity_cost(0) / proximity_cost(1) == pytest.approx(25 / 13)


def test_the_last_reps_carry_disproportionate_fatigue() -> None:
    # Convex: the step from RIR 1 to failure costs more than from RIR 3 to RIR 1.
    assert reference(0) - reference(1) > reference(1) - reference(3)


@pytest.mark.parametrize("short", [2, 3])
def test_failure_takes_two_to_three_times_as_long_to_recover(short: int) -> None:
    failure = set_cost(10, 0, exercise=BENCH).recovery_hours
    stopped = set_cost(10 - short, short, exercise=BENCH).recovery_hours
    assert 2.0 <= failure / stopped <= 3.0  # the article
    assert 24.0 <= failure - stopped <= 48.0  # Morán-Navarro et al. 2017


def test_techniques_past_failure_cost_more_again() -> None:
    plain = set_cost(12, 0, exercise=CURL)
    for technique in Technique:
        beyond = set_cost(12, 0, exercise=CURL, technique=technique)
        assert beyond.fatigue > plain.fatigue
        assert beyond.recovery_hours > plain.recovery_hours


def test_compounds_cost_more_systemic_fatigue_than_isolation() -> None:
    squat = set_cost(8, 1, exercise=catalog.resolve("Squat (Barbell)"))
    curl = set_cost(8, 1, exercise=CURL)
    assert squat.local == pytest.approx(curl.local)
    assert squat.systemic > 3 * curl.systemic
    assert curl.stimulus_to_fatigue > squat.stimulus_to_fatigue


def test_heavier_loads_cost_more_nervous_system() -> None:
    light = set_cost(5, 2, load_pct=60, exercise=BENCH)
    heavy = set_cost(5, 2, load_pct=85, exercise=BENCH)
    assert heavy.systemic > light.systemic and heavy.local == light.local


half_steps = st.integers(0, 18).map(lambda n: n / 2)


@given(reps=st.integers(1, 30), rir=half_steps)
def test_fatigue_strictly_increases_as_rir_falls_at_the_same_reps(reps: int, rir: float) -> None:
    closer = set_cost(reps, rir, exercise=BENCH)
    further = set_cost(reps, rir + 0.5, exercise=BENCH)
    assert closer.fatigue > further.fatigue
    assert closer.stimulus >= further.stimulus


@given(rtf=st.integers(2, 20), rir=st.integers(0, 5))
def test_fatigue_strictly_increases_as_rir_falls_at_the_same_load(rtf: int, rir: int) -> None:
    if rir + 1 >= rtf:
        return
    pct = 70.0
    closer = set_cost(rtf - rir, rir, load_pct=pct, exercise=CURL)
    further = set_cost(rtf - rir - 1, rir + 1, load_pct=pct, exercise=CURL)
    assert closer.fatigue > further.fatigue


def test_session_stimulus_to_fatigue_prefers_stopping_short_on_compounds() -> None:
    failure = [WorkSet(BENCH, 8, 0)] * 3
    short = [WorkSet(BENCH, 6, 2)] * 3
    assert stimulus_to_fatigue(short) > stimulus_to_fatigue(failure)
    assert stimulus_to_fatigue([]) == 0.0


def test_bad_load_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="between 0 and 100% of 1RM"):
        set_cost(5, 2, load_pct=120)


def _session(at: datetime, rir: float, sets: int = 3) -> list[TimedSet]:
    return [
        TimedSet(at + timedelta(minutes=3 * n), WorkSet(BENCH, 10 - int(rir), rir))
        for n in range(sets)
    ]


def test_readiness_drops_after_a_session_and_recovers() -> None:
    history = _session(T0, 0)
    right_after = recovery_state(history, T0 + timedelta(minutes=10))
    assert right_after.muscle(Muscle.CHEST) < 50
    assert right_after.muscle(Muscle.TRICEPS) > right_after.muscle(Muscle.CHEST)
    assert right_after.muscle(Muscle.QUADS) == 100.0
    later = recovery_state(history, T0 + timedelta(hours=72))
    assert later.muscle(Muscle.CHEST) > 95
    assert later.systemic_fatigue < right_after.systemic_fatigue
    # Sets after the moment asked about do not count.
    before = recovery_state(history, T0 - timedelta(hours=1))
    assert before.readiness == {} and before.systemic_readiness == 100.0


def test_failure_sessions_leave_the_muscle_less_ready_two_days_on() -> None:
    at = T0 + timedelta(hours=30)
    failure = recovery_state(_session(T0, 0), at).muscle(Muscle.CHEST)
    short = recovery_state(_session(T0, 3), at).muscle(Muscle.CHEST)
    assert short > failure


@given(
    rirs=st.lists(half_steps, min_size=1, max_size=6),
    hours=st.lists(st.floats(0.1, 200), min_size=2, max_size=6),
)
def test_readiness_recovers_monotonically_without_new_sets(
    rirs: list[float], hours: list[float]
) -> None:
    history = [
        TimedSet(T0 + timedelta(minutes=5 * n), WorkSet(BENCH, 5, rir))
        for n, rir in enumerate(rirs)
    ]
    start = T0 + timedelta(minutes=5 * len(rirs))
    previous = recovery_state(history, start)
    for elapsed in sorted(hours):
        state = recovery_state(history, start + timedelta(hours=elapsed))
        for muscle in BENCH.muscles:
            assert state.muscle(muscle) >= previous.muscle(muscle)
            assert 0 <= state.muscle(muscle) <= 100
        assert state.systemic_readiness >= previous.systemic_readiness
        previous = state

"""RIR tests found in history: a logged call, then a set to failure at its load, counted half."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.calibration import (
    HISTORY_WEIGHT,
    MIN_TESTS,
    POPULATION_BIAS,
    RirTest,
    SessionSet,
    calibrate,
    history_tests,
    next_test,
)
from failwise.domain.context import Phase
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise
from failwise.services.catalog import builtin_catalog

BENCH = builtin_catalog().resolve("Bench Press (Barbell)")
SQUAT = builtin_catalog().resolve("Squat (Barbell)")
DAY = date(2026, 3, 2)


def logged(load: float, reps: int, rir: float | None = None, **extra: object) -> SessionSet:
    return SessionSet(BENCH, load=load, reps=reps, rir=rir, performed_on=DAY, **extra)  # type: ignore[arg-type]


def test_two_calls_then_failure_at_the_same_load_are_two_tests() -> None:
    # 100 kg × 8 called at RIR 2, then × 8 at RIR 1, then 10 reps to failure:
    # the first call was right (2 left), the second under-called (2 left, not 1).
    tests = history_tests([logged(100, 8, 2), logged(100, 8, 1), logged(100, 10, 0)])
    assert [(t.reps, t.predicted_rir, t.reps_at_failure, t.error) for t in tests] == [
        (8, 2.0, 10, 0.0),
        (8, 1.0, 10, 1.0),
    ]
    assert all(
        t.weight == HISTORY_WEIGHT and t.load == 100 and t.performed_on == DAY for t in tests
    )


def test_a_set_marked_to_failure_checks_a_call_as_rir_zero_does() -> None:
    marked = history_tests([logged(100, 8, 2), logged(100, 9, None, to_failure=True)])
    assert [(t.reps, t.reps_at_failure) for t in marked] == [(8, 9)]


def test_no_failure_set_at_the_calls_load_means_no_test() -> None:
    # The failure set came at 90 kg: it says nothing of what 100 kg had left.
    assert history_tests([logged(100, 8, 2), logged(90, 12, 0)]) == []
    # A failure set before the call checks nothing either.
    assert history_tests([logged(100, 10, 0), logged(100, 8, 2)]) == []
    # Another exercise's failure set neither.
    other = SessionSet(SQUAT, load=100, reps=10, rir=0)
    assert history_tests([logged(100, 8, 2), other]) == []


def test_a_failure_set_that_did_fewer_reps_says_nothing_was_left() -> None:
    (test,) = history_tests([logged(100, 8, 2), logged(100, 6, 0)])
    assert test.actual_rir == 0 and test.error == -2.0


def test_a_set_without_a_call_is_no_test() -> None:
    assert history_tests([logged(100, 8), logged(100, 10, 0)]) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from([80.0, 100.0]),
            st.integers(1, 20),
            st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])),
        ),
        max_size=12,
    )
)
def test_every_test_is_a_call_checked_by_a_later_failure_at_its_load(
    rows: list[tuple[float, int, float | None]],
) -> None:
    session = [logged(load, reps, rir) for load, reps, rir in rows]
    tests = history_tests(session)
    calls = [
        s
        for i, s in enumerate(session)
        if s.rir and any(later.rir == 0 and later.load == s.load for later in session[i + 1 :])
    ]
    assert len(tests) == len(calls)
    for test, call in zip(tests, calls, strict=True):
        assert (test.reps, test.predicted_rir, test.load) == (call.reps, call.rir, call.load)
        assert test.reps_at_failure >= test.reps and test.weight == HISTORY_WEIGHT


@given(
    st.lists(
        st.tuples(
            st.sampled_from([BENCH, SQUAT]),
            st.sampled_from([80.0, 100.0, 100.0 + 1e-9, 102.5]),
            st.integers(1, 20),
            st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_each_call_is_checked_by_the_first_set_to_failure_after_it_at_its_load(
    rows: list[tuple[Exercise, float, int, float | None, bool]],
) -> None:
    # The rule read plainly: for each call, the sets after it, the first of the same
    # exercise at the same load that went to failure. (The finder reads the session once,
    # from the end back; a long session must not cost it a read of the rest per call.)
    session = [
        SessionSet(exercise, load=load, reps=reps, rir=rir, to_failure=failed and rir is None)
        for exercise, load, reps, rir, failed in rows
    ]
    expected = []
    for index, call in enumerate(session):
        if not call.called or call.rir is None:
            continue
        failure = next(
            (
                later
                for later in session[index + 1 :]
                if later.exercise.id == call.exercise.id
                and later.at_failure
                and abs(later.load - call.load) <= 1e-6
            ),
            None,
        )
        if failure is not None:
            expected.append((call.exercise.id, call.load, call.reps, call.rir, failure.reps))
    found = [
        (t.exercise.id, t.load, t.reps, t.predicted_rir, t.reps_at_failure)
        for t in history_tests(session)
    ]
    assert found == [(e, load, r, c, max(r, f)) for e, load, r, c, f in expected]


def under_caller(weight: float) -> list[RirTest]:
    return [
        RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=8 + more, weight=weight)
        for more in (4, 5, 4)
    ]


def test_a_history_pair_moves_the_bias_less_than_a_deliberate_test() -> None:
    # Three calls of RIR 1 with 4-5 left: deliberate tests pull the bias further
    # from the population's 0.95 toward their +3.3 than the same pairs from history,
    # and leave it surer.
    deliberate, history = calibrate(under_caller(1.0)), calibrate(under_caller(0.5))
    assert POPULATION_BIAS < history.bias < deliberate.bias
    assert history.uncertainty > deliberate.uncertainty
    assert history.by_reps.intercept < deliberate.by_reps.intercept
    assert history.tests == deliberate.tests == 3


@given(st.floats(0.05, 1.0), st.integers(0, 6))
def test_less_weight_never_moves_the_bias_further(weight: float, more: int) -> None:
    tests = [RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=8 + more)]
    full, part = calibrate(tests), calibrate([replace(t, weight=weight) for t in tests])
    assert abs(part.bias - POPULATION_BIAS) <= abs(full.bias - POPULATION_BIAS) + 1e-12


def test_weight_one_is_a_deliberate_test() -> None:
    tests = under_caller(1.0)
    plain = [
        RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=t.reps_at_failure) for t in tests
    ]
    assert calibrate(tests) == calibrate(plain)


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan")])
def test_a_weight_must_be_positive(weight: float) -> None:
    with pytest.raises(InvalidInput, match="weight"):
        RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=10, weight=weight)


def test_a_history_pair_does_not_put_off_the_next_deliberate_test() -> None:
    deliberate = RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=10, performed_on=DAY)
    later = replace(deliberate, performed_on=date(2026, 3, 20), weight=HISTORY_WEIGHT)
    calibration = calibrate([deliberate, later])
    assert calibration.last_tested_on == DAY
    assert (calibration.tests, calibration.history_tests) == (2, 1)


def test_calls_the_history_checks_do_not_stand_in_for_the_three_deliberate_tests() -> None:
    pairs = [
        RirTest(BENCH, reps=8, predicted_rir=1, reps_at_failure=9, performed_on=DAY, weight=0.5)
        for _ in range(20)
    ]
    curl = builtin_catalog().resolve("Bicep Curl (Cable)")
    plan = next_test(
        calibrate(pairs),
        last_test_on=None,
        today=DAY,
        candidates=[curl],
        spotter=False,
        phase=Phase.NORMAL,
        fatigued=False,
    )
    assert plan.due and plan.exercise == curl
    assert f"You have 0 RIR tests (and 20 calls your history checks); {MIN_TESTS}" in plan.reason

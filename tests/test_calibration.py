"""RIR calibration: bias against tested failure, shrinkage, corrections, and when to test."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.calibration import (
    MIN_ERROR_SD,
    POPULATION_BIAS,
    PRIOR_SD,
    RETEST_AFTER,
    SCATTER_THRESHOLD,
    Calibration,
    DistanceBucket,
    RirTest,
    Verdict,
    calibrate,
    correct_rir,
    distance_factor,
    is_safe_to_test,
    next_test,
)
from failwise.domain.context import CallTrust, Phase
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.domain.exercises import Exercise, Mechanics
from failwise.services.catalog import builtin_catalog


def exercise(name: str) -> Exercise:
    """A real catalog exercise, by the name a lifter's app exports."""
    return builtin_catalog().resolve(name)


LEG_EXTENSION = exercise("Leg Extension (Machine)")
CURL = exercise("Bicep Curl (Cable)")
SQUAT = exercise("Squat (Barbell)")
BENCH = exercise("Bench Press (Barbell)")
DB_BENCH = exercise("Bench Press (Dumbbell)")
LAT_RAISE = exercise("Lateral Raise (Dumbbell)")
CHEST_PRESS = exercise("Chest Press (Machine)")
SMITH_BENCH = exercise("Bench Press (Smith Machine)")
BARBELL_ROW = exercise("Bent Over Row (Barbell)")
GOBLET_SQUAT = exercise("Goblet Squat (Dumbbell)")

TODAY = date(2026, 4, 6)


def trial(
    ex: Exercise, reps: int, called: float, more: int, performed_on: date | None = None
) -> RirTest:
    """A test where the lifter called ``called`` after ``reps`` reps, then did ``more``."""
    return RirTest(
        ex,
        reps=reps,
        predicted_rir=called,
        reps_at_failure=reps + more,
        performed_on=performed_on,
    )


def beginner() -> list[RirTest]:
    # The article: beginners who think they are at RIR 1 are often at RIR 4–5.
    return [
        trial(LEG_EXTENSION if n % 2 else CURL, 10, 1, more) for n, more in enumerate((4, 5) * 3)
    ]


# --- the acceptance cases ---------------------------------------------------------


def test_a_beginner_who_calls_rir_1_and_does_4_to_5_more_stops_short_by_about_3_5() -> None:
    result = calibrate(beginner())
    assert result.tests == 6
    assert result.verdict is Verdict.STOPS_SHORT
    assert result.raw_bias == 3.5 and result.mae == 3.5
    # The correction is the rep-aware one at 10 reps; every test was a 10-rep
    # set, so it is the constant bias but for how each model weighs the scatter.
    assert result.correction == result.correction_for(10)
    assert result.correction == pytest.approx(result.bias, abs=0.05)
    assert 3.0 <= result.correction <= 3.5
    assert result.correction == pytest.approx(3.5, abs=0.15)
    assert result.uncertainty < 0.5
    called = correct_rir(result, 1)
    assert called.rir == pytest.approx(1 + result.bias)
    assert called.low < 4 < called.high and called.low < 5 < called.high


def test_five_consistent_beginner_tests_already_give_more_than_3() -> None:
    assert calibrate(beginner()[:5]).correction >= 3.0


def test_a_well_calibrated_lifter_is_accurate() -> None:
    errors = (0, 1, 0, -1, 1, 0)
    tests = [trial(SQUAT if n % 2 else CHEST_PRESS, 5, 2, 2 + e) for n, e in enumerate(errors)]
    result = calibrate(tests)
    assert result.verdict is Verdict.ACCURATE
    assert abs(result.bias) < 1
    assert result.raw_bias == pytest.approx(1 / 6)
    assert result.mae == pytest.approx(0.5)


def test_an_over_reacher_overshoots() -> None:
    # Calls 3 reps left, but failure comes after 1 or 2.
    tests = [trial(BENCH, 6, 3, more) for more in (1, 1, 2, 1, 1)]
    result = calibrate(tests)
    assert result.verdict is Verdict.OVERSHOOTS
    assert result.bias <= -1
    # Every test was a 6-rep set: there the line agrees with the constant bias;
    # at 10 reps it leans on the population's slope (longer sets, more left).
    assert result.correction_for(6) == pytest.approx(result.bias, abs=0.1)
    assert result.correction_for(6) < result.correction < 0
    assert correct_rir(result, 3).rir < 3


# --- scattered calls ---------------------------------------------------------------


def test_calls_that_scatter_are_inconsistent_not_accurate() -> None:
    # Errors +5, −3, 0, −4: an average near zero hides calls 3 reps off each time.
    tests = [
        trial(CURL, 10, 1, 6),  # called 1, had 6 left: +5
        trial(LEG_EXTENSION, 10, 3, 0),  # called 3, failed at once: −3
        trial(CURL, 10, 2, 2),  # 0
        trial(LEG_EXTENSION, 10, 4, 0),  # called 4, failed at once: −4
    ]
    result = calibrate(tests)
    assert [test.error for test in tests] == [5, -3, 0, -4]
    assert result.mae == 3.0
    assert result.verdict is Verdict.INCONSISTENT
    assert result.scatter is not None and result.scatter >= 1.5
    assert result.verdict.value == "inconsistent"
    assert "keep a margin and test again" in result.verdict.description
    assert result.call_trust is CallTrust.INCONSISTENT


def test_a_lifter_who_stops_short_every_time_by_3_or_4_stays_stops_short() -> None:
    result = calibrate([trial(CURL, 10, 1, 1 + error) for error in (3, 4, 3, 4)])
    assert result.verdict is Verdict.STOPS_SHORT
    assert result.scatter is not None and result.scatter < 1
    assert result.call_trust is CallTrust.CALIBRATED


def test_the_articles_beginner_stays_stops_short_and_calibrated() -> None:
    result = calibrate(beginner())
    assert result.verdict is Verdict.STOPS_SHORT
    assert result.call_trust is CallTrust.CALIBRATED


def test_two_tests_are_too_few_to_call_calls_inconsistent() -> None:
    # With 2 tests an SD has one degree of freedom: +5 then −3 is not yet a pattern.
    two = calibrate([trial(CURL, 10, 1, 6), trial(CURL, 10, 3, 0)])
    assert two.scatter is None
    assert two.verdict is not Verdict.INCONSISTENT
    assert two.call_trust is CallTrust.UNPROVEN


def test_a_steady_gap_between_compounds_and_isolation_is_not_scatter() -> None:
    # Exact on curls, 4 reps short on squats, every time: each class has its correction.
    tests = [trial(CURL, 10, 1, 1) for _ in range(4)] + [trial(SQUAT, 5, 1, 5) for _ in range(4)]
    result = calibrate(tests)
    assert result.scatter == 0
    assert result.verdict is not Verdict.INCONSISTENT
    assert result.call_trust is CallTrust.CALIBRATED


def test_trust_in_calls_needs_three_tests() -> None:
    assert calibrate([]).call_trust is CallTrust.UNPROVEN
    assert calibrate(beginner()[:2]).call_trust is CallTrust.UNPROVEN
    assert calibrate(beginner()[:3]).call_trust is CallTrust.CALIBRATED


def test_no_tests_gives_the_population_prior_not_an_error() -> None:
    result = calibrate([])
    assert result.tests == 0
    assert result.verdict is Verdict.UNTESTED
    # Halperin et al. 2022: lifters underpredict reps to failure by 0.95 on average.
    assert result.bias == result.correction == 0.95
    assert result.uncertainty == 1.5
    assert result.raw_bias is None and result.mae is None
    assert result.by_class == {} and result.by_distance == {}
    assert result.last_tested_on is None


# --- properties ---------------------------------------------------------------------

EXERCISES = (LEG_EXTENSION, CURL, SQUAT, BENCH)

rir_tests = st.builds(
    lambda ex, reps, called, more: trial(ex, reps, called, more),
    st.sampled_from(EXERCISES),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=0, max_value=20).map(lambda half: half / 2),
    st.integers(min_value=0, max_value=40),
)


def _consistent(result: Calibration) -> None:
    numbers = [result.bias, result.uncertainty, result.error_sd]
    for group in (*result.by_class.values(), *result.by_distance.values()):
        numbers += [group.bias, group.raw_bias, group.mae, group.uncertainty]
    assert all(math.isfinite(value) for value in numbers)
    assert 0 < result.uncertainty <= PRIOR_SD
    assert result.error_sd >= MIN_ERROR_SD
    assert result.verdict is Verdict.of(result.bias, result.tests, result.scatter)
    if result.tests == 0:
        assert result.verdict is Verdict.UNTESTED
    elif result.scatter is not None and result.scatter >= SCATTER_THRESHOLD:
        assert result.tests >= 3
        assert result.verdict is Verdict.INCONSISTENT
        assert result.call_trust is CallTrust.INCONSISTENT
    elif result.bias >= 1:
        assert result.verdict is Verdict.STOPS_SHORT
    elif result.bias <= -1:
        assert result.verdict is Verdict.OVERSHOOTS
    else:
        assert result.verdict is Verdict.ACCURATE
    assert sum(group.tests for group in result.by_class.values()) == result.tests
    assert sum(group.tests for group in result.by_distance.values()) == result.tests


@given(st.lists(rir_tests, max_size=25))
def test_any_tests_give_finite_numbers_and_a_verdict_that_matches_the_bias(
    tests: list[RirTest],
) -> None:
    result = calibrate(tests)
    _consistent(result)
    if not tests:
        assert result == calibrate([])
        assert result.bias == POPULATION_BIAS and result.uncertainty == PRIOR_SD
    for called in (0.0, 1.0, 5.5, 10.0):
        corrected = correct_rir(result, called, exercise=tests[0].exercise if tests else None)
        assert 0 <= corrected.low <= corrected.rir <= corrected.high <= 10


@given(
    st.integers(min_value=0, max_value=20).map(lambda half: half / 2),
    st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=12),
)
def test_the_bias_lies_between_the_prior_and_the_tests(called: float, more: list[int]) -> None:
    tests = [trial(CURL, 8, called, extra) for extra in more]
    result = calibrate(tests)
    assert result.raw_bias is not None
    low, high = sorted((POPULATION_BIAS, result.raw_bias))
    assert low - 1e-9 <= result.bias <= high + 1e-9


@given(st.integers(min_value=0, max_value=10))
def test_more_identical_tests_only_move_the_bias_closer_to_them(more: int) -> None:
    tests = [trial(CURL, 8, 1, more) for _ in range(8)]
    errors = [abs(calibrate(tests[:n]).bias - (more - 1)) for n in range(1, 9)]
    assert errors == sorted(errors, reverse=True)


# --- shrinkage ---------------------------------------------------------------------


def test_a_single_test_is_pulled_half_way_toward_the_population() -> None:
    # One test: the lifter's scatter is the default 1.5 reps, equal to the prior's
    # spread (1.5), so the test and the population prior (Halperin et al. 2022:
    # 0.95 reps) weigh the same.
    one = calibrate([trial(CURL, 10, 1, 5)])  # error +4
    assert one.raw_bias == 4
    assert one.bias == pytest.approx(2.475)  # (4 + 0.95) / 2
    assert one.uncertainty == pytest.approx(1.0607, abs=1e-4)  # 1.5 / √2
    accurate_once = calibrate([trial(CURL, 10, 1, 1)])  # error 0
    assert accurate_once.bias == pytest.approx(0.475)  # (0 + 0.95) / 2


def test_identical_tests_are_not_treated_as_exact() -> None:
    result = calibrate([trial(CURL, 10, 1, 4)] * 2)
    assert result.error_sd > MIN_ERROR_SD
    assert result.uncertainty > 0.5
    assert calibrate([trial(CURL, 10, 1, 4)] * 30).error_sd == MIN_ERROR_SD


def test_calls_far_from_failure_weigh_less() -> None:
    near = calibrate([trial(CURL, 10, 1, 4)] * 3)  # error +3 at RIR 1
    far = calibrate([trial(CURL, 5, 6, 9)] * 3)  # error +3 at RIR 6
    assert far.raw_bias == near.raw_bias == 3
    assert abs(far.bias - POPULATION_BIAS) < abs(near.bias - POPULATION_BIAS)
    assert far.uncertainty > near.uncertainty


def test_the_scatter_of_a_call_grows_with_distance_from_failure() -> None:
    # Zourdos et al. 2021 and Hackett et al. 2017: about twice the error far out.
    assert distance_factor(0) == distance_factor(1) == 1.0
    assert distance_factor(5) == 2.0
    assert distance_factor(9) > distance_factor(5) > distance_factor(3)


# --- by class and by distance --------------------------------------------------------


def test_by_class_separates_compounds_from_isolation() -> None:
    # Accurate on machines and curls, stops short on the big barbell lifts.
    tests = [trial(CURL, 10, 1, 1) for _ in range(4)] + [trial(SQUAT, 5, 2, 5) for _ in range(4)]
    result = calibrate(tests)
    assert set(result.by_class) == {Mechanics.COMPOUND, Mechanics.ISOLATION}
    compound, isolation = result.by_class[Mechanics.COMPOUND], result.by_class[Mechanics.ISOLATION]
    assert compound.tests == isolation.tests == 4
    assert compound.raw_bias == 3 and isolation.raw_bias == 0
    assert compound.mae == 3 and isolation.mae == 0
    # Each class is shrunk toward the lifter's other tests, never past its own.
    assert isolation.raw_bias < isolation.bias < result.bias < compound.bias < compound.raw_bias
    # A corrected call uses the class's own bias when it has tests.
    assert correct_rir(result, 2, SQUAT).rir == pytest.approx(2 + compound.bias)
    assert correct_rir(result, 2, CURL).rir == pytest.approx(2 + isolation.bias)
    assert correct_rir(result, 2).rir == pytest.approx(2 + result.bias)


def test_an_untested_class_uses_the_overall_bias_with_a_wider_interval() -> None:
    result = calibrate([trial(CURL, 10, 1, 3) for _ in range(5)])
    assert set(result.by_class) == {Mechanics.ISOLATION}
    overall = correct_rir(result, 2)
    squat = correct_rir(result, 2, SQUAT)
    assert squat.rir == overall.rir
    assert squat.high - squat.low > overall.high - overall.low


def test_by_distance_buckets_the_called_rir() -> None:
    tests = [
        trial(CURL, 10, 0, 1),
        trial(CURL, 10, 1.5, 2),
        trial(CURL, 8, 3, 5),
        trial(CURL, 6, 5, 8),
        trial(CURL, 4, 7, 11),
        trial(CURL, 4, 8, 12),
    ]
    result = calibrate(tests)
    assert list(result.by_distance) == [
        DistanceBucket.RIR_0_1,
        DistanceBucket.RIR_2_3,
        DistanceBucket.RIR_4_5,
        DistanceBucket.RIR_6_PLUS,
    ]
    assert [group.tests for group in result.by_distance.values()] == [2, 1, 1, 2]
    assert result.by_distance[DistanceBucket.RIR_0_1].raw_bias == 0.75
    assert result.by_distance[DistanceBucket.RIR_6_PLUS].raw_bias == 4
    assert [b.value for b in DistanceBucket] == ["0-1", "2-3", "4-5", "6+"]


def test_groups_without_tests_are_left_out() -> None:
    result = calibrate([trial(SQUAT, 5, 2, 3)])
    assert list(result.by_class) == [Mechanics.COMPOUND]
    assert list(result.by_distance) == [DistanceBucket.RIR_2_3]


def test_the_latest_dated_test_is_remembered() -> None:
    tests = [
        trial(CURL, 10, 1, 2, performed_on=date(2026, 3, 2)),
        trial(CURL, 10, 1, 2, performed_on=date(2026, 3, 9)),
        trial(CURL, 10, 1, 2),
    ]
    assert calibrate(tests).last_tested_on == date(2026, 3, 9)


# --- corrected calls ------------------------------------------------------------------


def test_a_corrected_call_far_from_failure_is_less_certain() -> None:
    result = calibrate(beginner())
    near, far = correct_rir(result, 1), correct_rir(result, 5)
    assert far.high - far.low > near.high - near.low
    assert far.rir == pytest.approx(5 + result.bias)


def test_a_corrected_call_stays_on_the_scale_but_is_not_snapped() -> None:
    over = calibrate([trial(BENCH, 6, 3, 0) for _ in range(6)])  # error −3
    assert correct_rir(over, 1).rir == 0 and correct_rir(over, 1).low == 0
    under = calibrate([trial(CURL, 2, 4, 10) for _ in range(6)])  # error +6
    assert correct_rir(under, 8).high == 10
    odd = correct_rir(calibrate(beginner()), 2)
    assert not (odd.rir * 2).is_integer()


def test_a_corrected_call_must_be_on_the_scale() -> None:
    with pytest.raises(InvalidEffort, match="RIR 11 is not on the scale"):
        correct_rir(calibrate([]), 11)


# --- the tests themselves -------------------------------------------------------------


def test_a_test_knows_its_actual_rir_and_error() -> None:
    one = RirTest(CURL, reps=10, predicted_rir=1, reps_at_failure=14, performed_on=TODAY, load=30)
    assert one.actual_rir == 4 and one.error == 3.0
    assert RirTest(CURL, reps=10, predicted_rir=2, reps_at_failure=10).error == -2.0


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (
            {"reps": 8, "predicted_rir": 2, "reps_at_failure": 6},
            InvalidInput,
            r"reps at failure \(6\) is fewer than the reps done \(8\)",
        ),
        ({"reps": 0, "predicted_rir": 2, "reps_at_failure": 6}, InvalidInput, "at least 1"),
        ({"reps": 8, "predicted_rir": 2.3, "reps_at_failure": 9}, InvalidEffort, "RIR 2.3"),
        ({"reps": 8, "predicted_rir": -1, "reps_at_failure": 9}, InvalidEffort, "RIR -1"),
        (
            {"reps": 8, "predicted_rir": 2, "reps_at_failure": 9, "load": -20},
            InvalidInput,
            "load must be a positive number",
        ),
    ],
)
def test_impossible_tests_are_refused(
    fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        RirTest(CURL, **fields)


# --- when to test next -----------------------------------------------------------------


def plan(
    calibration: Calibration,
    *,
    last: date | None = None,
    candidates: tuple[Exercise, ...] = (SQUAT, LEG_EXTENSION),
    spotter: bool = False,
    phase: Phase = Phase.NORMAL,
    fatigued: bool = False,
) -> tuple[bool, Exercise | None, str]:
    result = next_test(
        calibration,
        last_test_on=last,
        today=TODAY,
        candidates=candidates,
        spotter=spotter,
        phase=phase,
        fatigued=fatigued,
    )
    return result.due, result.exercise, result.reason


def settled() -> Calibration:
    """A lifter with enough consistent, recent tests."""
    return calibrate([trial(CURL, 10, 1, more) for more in (2, 1, 2, 2, 1, 2)])


def test_an_untested_lifter_is_due_on_a_safe_exercise() -> None:
    due, chosen, reason = plan(calibrate([]))
    assert due and chosen == LEG_EXTENSION
    assert "0 RIR tests" in reason and "Leg Extension (Machine)" in reason


def test_fewer_than_three_tests_are_due() -> None:
    due, _, reason = plan(calibrate(beginner()[:2]), last=TODAY - timedelta(days=2))
    assert due and "2 RIR tests" in reason


def test_an_uncertain_correction_is_due() -> None:
    # Three steady calls, but all far from failure (RIR 9), where calls are noisy.
    far = calibrate([trial(CURL, 5, 9, 10) for _ in range(3)])
    assert far.verdict is not Verdict.INCONSISTENT and far.uncertainty > 1
    due, _, reason = plan(far, last=TODAY - timedelta(days=3))
    assert due and "uncertain" in reason


def test_scattered_calls_are_due_for_another_test() -> None:
    scattered = calibrate([trial(CURL, 10, 1, more) for more in (0, 6, 1)])
    assert scattered.verdict is Verdict.INCONSISTENT
    due, _, reason = plan(scattered, last=TODAY - timedelta(days=3))
    assert due and "Your calls scatter" in reason and "test again" in reason


def test_a_settled_lifter_retests_after_four_weeks() -> None:
    calibration = settled()
    assert calibration.uncertainty <= 1
    due, chosen, reason = plan(calibration, last=TODAY - timedelta(days=10))
    assert not due and chosen is None
    assert "Not due" in reason and (TODAY + timedelta(days=18)).isoformat() in reason
    due, chosen, reason = plan(calibration, last=TODAY - RETEST_AFTER)
    assert due and chosen == LEG_EXTENSION and "28 days ago" in reason


def test_the_last_test_date_defaults_to_the_latest_dated_test() -> None:
    recent = [
        trial(CURL, 10, 1, more, performed_on=TODAY - timedelta(days=3)) for more in (2, 1, 2, 2)
    ]
    assert not plan(calibrate(recent))[0]
    old = [trial(CURL, 10, 1, more, performed_on=date(2026, 1, 5)) for more in (2, 1, 2, 2)]
    assert plan(calibrate(old))[0]
    undated = plan(settled())
    assert undated[0] and "dated" in undated[2]


def test_never_in_a_deload() -> None:
    due, chosen, reason = plan(calibrate([]), phase=Phase.DELOAD)
    assert not due and chosen is None and "deload" in reason


def test_never_under_accumulated_fatigue() -> None:
    due, chosen, reason = plan(calibrate([]), fatigued=True)
    assert not due and chosen is None and "fatigue" in reason


def test_only_on_safe_exercises() -> None:
    due, chosen, reason = plan(calibrate([]), candidates=(SQUAT, BENCH, DB_BENCH))
    assert not due and chosen is None
    assert "safe" in reason and "spotter" in reason
    # A spotter makes a free-weight compound safe to test.
    due, chosen, _ = plan(calibrate([]), candidates=(SQUAT,), spotter=True)
    assert due and chosen == SQUAT


def test_never_on_a_high_risk_exercise_even_with_a_spotter() -> None:
    due, chosen, _ = plan(calibrate([]), candidates=(BARBELL_ROW,), spotter=True)
    assert not due and chosen is None


def test_isolation_and_machines_are_preferred() -> None:
    pick = plan(
        calibrate([]), candidates=(SQUAT, CHEST_PRESS, LAT_RAISE, LEG_EXTENSION), spotter=True
    )
    assert pick[1] == LEG_EXTENSION  # isolation on a machine
    assert plan(calibrate([]), candidates=(SQUAT, CHEST_PRESS, LAT_RAISE))[1] == LAT_RAISE
    assert plan(calibrate([]), candidates=(GOBLET_SQUAT, CHEST_PRESS))[1] == CHEST_PRESS
    assert plan(calibrate([]), candidates=(BENCH, GOBLET_SQUAT), spotter=True)[1] == GOBLET_SQUAT


def test_a_last_test_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput, match="after today"):
        plan(calibrate([]), last=TODAY + timedelta(days=1))


@pytest.mark.parametrize(
    ("ex", "spotter", "safe"),
    [
        (LEG_EXTENSION, False, True),  # isolation on a machine
        (CURL, False, True),  # isolation
        (CHEST_PRESS, False, True),  # fixed-path machine
        (SQUAT, False, False),  # can pin a lifter alone
        (SQUAT, True, True),
        (GOBLET_SQUAT, False, False),  # free-weight compound: needs a spotter to test
        (GOBLET_SQUAT, True, True),
        (DB_BENCH, False, False),  # safe to press alone, but a free-weight compound to test
        (SMITH_BENCH, False, True),  # a Smith machine racks at any point of its path
        (SMITH_BENCH, True, True),
        (BARBELL_ROW, True, False),  # high injury risk at fatigue: never
    ],
)
def test_is_safe_to_test(ex: Exercise, spotter: bool, safe: bool) -> None:
    assert is_safe_to_test(ex, spotter=spotter) is safe

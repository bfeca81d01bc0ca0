"""Rep-aware RIR calibration: the bias as a line in the set's reps, fitted per lifter."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from failwise.domain.calibration import (
    CORRECTED_REPS,
    PRIOR_REP_BIAS,
    RepBias,
    RirTest,
    Verdict,
    calibrate,
    correct_rir,
    fit_rep_bias,
    rir_corrector,
)
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise
from failwise.domain.session import set_e1rm
from failwise.domain.strength import estimate_e1rm
from failwise.services.catalog import builtin_catalog

CURL: Exercise = builtin_catalog().get("cable-curl")  # Bicep Curl (Cable)


def near_failure(reps: int, error: int) -> RirTest:
    """A test called at RIR 1 (weight 1) whose error is ``error`` reps."""
    return RirTest(CURL, reps=reps, predicted_rir=1, reps_at_failure=reps + 1 + error)


# --- the regression, by hand ---------------------------------------------------------


def test_two_tests_at_5_and_20_reps_give_the_hand_computed_line() -> None:
    # Prior: intercept 0.95 (SD 1.5), slope 0.18 (SD 0.15); σ = 1.5, so σ² = 9/4.
    # Tests: error 1 at 5 reps (x = −5), error 4 at 20 reps (x = 10), weights 1.
    # Prior precision diag(4/9, 400/9); data Σw = 2, Σwx = 5, Σwx² = 125,
    # Σwy = 5, Σwxy = 35, each over σ²:
    #   precision = [[4/9 + 8/9, 20/9], [20/9, 400/9 + 500/9]] = [[4/3, 20/9], [20/9, 100]]
    #   right side = [4/9 · 0.95 + 20/9, 400/9 · 0.18 + 140/9] = [119/45, 212/9]
    #   determinant = 400/3 − 400/81 = 10400/81
    #   intercept = (100 · 119/45 − 20/9 · 212/9) · 81/10400 = 17180/10400
    #   slope = (4/3 · 212/9 − 20/9 · 119/45) · 81/10400 = 2068/10400
    line = fit_rep_bias([near_failure(5, 1), near_failure(20, 4)], error_sd=1.5)
    assert line.intercept == pytest.approx(17180 / 10400)
    assert line.slope == pytest.approx(2068 / 10400)
    # The posterior covariance is the inverse precision: [[100, −20/9], [−20/9, 4/3]] · 81/10400.
    assert line.intercept_sd == pytest.approx((100 * 81 / 10400) ** 0.5)
    assert line.slope_sd == pytest.approx((4 / 3 * 81 / 10400) ** 0.5)
    assert line.covariance == pytest.approx(-20 / 9 * 81 / 10400)
    assert round(line.at(5), 2) == 0.66 and round(line.at(20), 2) == 3.64


def test_one_test_at_10_reps_moves_only_the_intercept() -> None:
    # At x = 0 the test says nothing of the slope: a normal–normal update of the
    # intercept alone, (4/9 · 0.95 + 3 · 4/9) / (8/9) = 1.975.
    line = fit_rep_bias([near_failure(10, 3)], error_sd=1.5)
    assert line.intercept == pytest.approx(1.975)
    assert line.slope == pytest.approx(0.18)
    assert line.intercept_sd == pytest.approx((9 / 8) ** 0.5)
    assert line.slope_sd == pytest.approx(0.15)


def test_calls_far_from_failure_count_less() -> None:
    # Called at RIR 5: distance_factor 2, weight 1/4 — as if σ were 3.
    far = RirTest(CURL, reps=10, predicted_rir=5, reps_at_failure=18)  # error 3
    line = fit_rep_bias([far], error_sd=1.5)
    assert line.intercept == pytest.approx((0.95 / 2.25 + 3 / 9) / (1 / 2.25 + 1 / 9))


# --- the prior --------------------------------------------------------------------


def test_with_no_tests_the_correction_is_the_populations_line() -> None:
    untested = calibrate([])
    assert untested.by_reps == PRIOR_REP_BIAS
    assert fit_rep_bias([], error_sd=1.5) == PRIOR_REP_BIAS
    assert untested.correction == untested.correction_for(10) == 0.95
    assert untested.correction_for(20) == pytest.approx(0.95 + 10 * 0.18)
    assert list(untested.correction_by_reps) == list(CORRECTED_REPS) == list(range(1, 31))


def test_the_correction_needs_a_set_of_at_least_one_rep() -> None:
    with pytest.raises(InvalidInput, match="at least 1"):
        calibrate([]).correction_for(0)


def test_a_corrected_call_uses_the_sets_reps_when_given() -> None:
    result = calibrate([near_failure(5, 1), near_failure(20, 4), near_failure(12, 2)])
    short, long = correct_rir(result, 2, reps=5), correct_rir(result, 2, reps=20)
    assert short.rir == pytest.approx(2 + result.correction_for(5))
    assert long.rir == pytest.approx(2 + result.correction_for(20))
    # Without reps the constant bias still answers, as every caller had it.
    assert correct_rir(result, 2).rir == pytest.approx(2 + result.bias)


def test_a_corrector_takes_the_sets_reps_and_still_serves_callers_that_pass_only_the_call() -> None:
    result = calibrate([near_failure(5, 1), near_failure(20, 4), near_failure(12, 2)])
    corrected = rir_corrector(result, CURL)
    assert corrected(2) == correct_rir(result, 2, CURL).rir
    assert corrected(2, 20) == pytest.approx(2 + result.correction_for(20))
    # The session's e1RM passes the set's reps: a set of 10 is corrected as 10 reps.
    assert set_e1rm(100, 10, 2, corrected=corrected) == pytest.approx(
        estimate_e1rm(100, 10, 2 + result.correction_for(10))
    )


def test_the_line_is_less_certain_far_from_the_tested_reps() -> None:
    result = calibrate([near_failure(reps, 2) for reps in (8, 10, 12)])
    assert result.by_reps.sd_at(30) > result.by_reps.sd_at(10)


def test_errors_that_grow_with_the_sets_reps_are_not_scatter() -> None:
    # Off by 0 at 5 reps, 5 at 20: the errors' plain SD is 1.92 reps, past the
    # 1.5 that makes a lifter inconsistent, but the line explains them.
    grows = [
        near_failure(reps, error) for reps, error in ((5, 0), (9, 1), (12, 2), (16, 3), (20, 5))
    ]
    result = calibrate(grows)
    assert result.scatter is not None and result.scatter < 0.5
    assert result.verdict is Verdict.STOPS_SHORT
    assert result.correction_for(5) < 0.5 < 4 < result.correction_for(20)


# --- properties -------------------------------------------------------------------

REPS = st.integers(min_value=1, max_value=30)
# A call of RIR 1 can be off by −1 at most: failure at the very rep called.
ERRORS = st.integers(min_value=-1, max_value=8)


@settings(max_examples=60, deadline=None)
@given(reps=REPS, error=ERRORS, more=st.integers(min_value=1, max_value=6))
def test_more_tests_move_the_estimate_toward_the_data(reps: int, error: int, more: int) -> None:
    # The same test repeated: the line at those reps moves from the prior's value
    # toward the tests' error, and never past it.
    prior = PRIOR_REP_BIAS.at(reps)
    few = fit_rep_bias([near_failure(reps, error)], error_sd=1.5).at(reps)
    many = fit_rep_bias([near_failure(reps, error)] * (1 + more), error_sd=1.5).at(reps)
    assert abs(many - error) <= abs(few - error) + 1e-9 <= abs(prior - error) + 2e-9
    assert min(prior, error) - 1e-9 <= many <= max(prior, error) + 1e-9


@settings(max_examples=60, deadline=None)
@given(tests=st.lists(st.tuples(REPS, ERRORS), min_size=1, max_size=8))
def test_tests_make_the_line_more_certain(tests: list[tuple[int, int]]) -> None:
    line = fit_rep_bias([near_failure(reps, error) for reps, error in tests], error_sd=1.5)
    assert line.intercept_sd <= PRIOR_REP_BIAS.intercept_sd
    assert line.slope_sd <= PRIOR_REP_BIAS.slope_sd
    assert all(line.sd_at(reps) <= PRIOR_REP_BIAS.sd_at(reps) + 1e-12 for reps in CORRECTED_REPS)


@settings(max_examples=40, deadline=None)
@given(slope=st.floats(min_value=-0.3, max_value=0.6), intercept=st.floats(-3, 6))
def test_many_tests_on_a_line_recover_it(slope: float, intercept: float) -> None:
    # Errors on a line, in whole reps: rounding bends the line the tests really lie
    # on (1.5 + 0.004 per rep rounds to 1 below 10 reps and 2 above), so the fit is
    # held to the tests' own least-squares line. 42 tests over 5–20 reps leave the
    # prior (slope sd 0.15) little say: a few hundredths of a rep per rep.
    reps_done = (5, 8, 11, 14, 17, 20) * 7
    errors = [round(intercept + slope * (reps - 10)) for reps in reps_done]
    assume(min(errors) >= -1)
    line = fit_rep_bias(
        [near_failure(reps, error) for reps, error in zip(reps_done, errors, strict=True)],
        error_sd=0.75,
    )
    data = statistics.linear_regression([reps - 10 for reps in reps_done], errors)
    on_the_tests = RepBias(
        intercept=data.intercept, slope=data.slope, intercept_sd=0.0, slope_sd=0.0
    )
    for reps in (5, 10, 20):
        assert abs(line.at(reps) - on_the_tests.at(reps)) < 0.3


# --- the benchmark ----------------------------------------------------------------


def test_the_benchmark_ranks_the_corrections_as_the_studies_predict() -> None:
    # A small run of bench/calibration_reps.py (the full one is in the README):
    # knowing the reps beats one constant, which beats no correction at all.
    from bench.calibration_reps import run

    scores = run(lifters=150, sets=10, seed=1)
    for errors in (scores.all_reps, scores.tested_reps):
        assert errors["oracle"] < errors["rep-aware"] < errors["constant"] < errors["none"]

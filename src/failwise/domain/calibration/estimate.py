"""The estimate: a lifter's tests turned into a bias (:func:`calibrate`), and a call corrected.

>>> from failwise.domain.calibration.estimate import calibrate, correct_rir
>>> round(correct_rir(calibrate([]), 1).rir, 2)
1.95
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from failwise.domain.calibration.model import (
    DEFAULT_ERROR_SD,
    GROUP_SD,
    MIN_ERROR_SD,
    POPULATION_BIAS,
    PRIOR_REP_BIAS,
    PRIOR_SD,
    REFERENCE_REPS,
    SCATTER_MIN_TESTS,
    Calibration,
    DistanceBucket,
    GroupCalibration,
    RepBias,
    RirTest,
    Verdict,
    distance_factor,
    validate_reps,
)
from failwise.domain.effort import RIR_MAX, RIR_MIN, validate_rir
from failwise.domain.exercises import Exercise, Mechanics

# DEFAULT_ERROR_SD counts as one test's worth of scatter (a scaled inverse-χ²
# prior), so two identical tests do not make a lifter exact.
_ERROR_SD_PRIOR_TESTS = 1.0
# z of a central 80% interval of a normal distribution.
_Z80 = 1.2816


# --- the estimate ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Summary:
    """Tests reduced to what the normal model needs."""

    tests: int
    weight: float
    """Sum of the tests' weights, weight / distance_factor²: far calls count less, and a
    pair from history (weight 0.5) half as much as a deliberate test."""
    weighted_mean: float
    mean: float
    mae: float


def _weight(test: RirTest) -> float:
    # A test of weight w has error variance σ² · distance_factor² / w: every
    # weighted sum below (mean, squares, scatter, the line in reps) uses this.
    return test.weight / distance_factor(test.predicted_rir) ** 2


def _summarise(tests: Sequence[RirTest]) -> _Summary:
    weight = math.fsum(_weight(test) for test in tests)
    return _Summary(
        tests=len(tests),
        weight=weight,
        weighted_mean=math.fsum(_weight(test) * test.error for test in tests) / weight,
        mean=math.fsum(test.error for test in tests) / len(tests),
        mae=math.fsum(abs(test.error) for test in tests) / len(tests),
    )


def _squares(tests: Sequence[RirTest], centre: float) -> float:
    # Each call's error has variance σ² · distance_factor², so the weighted
    # squares estimate σ² with n − 1 degrees of freedom.
    return math.fsum(_weight(test) * (test.error - centre) ** 2 for test in tests)


def _scatter(tests: Sequence[RirTest], slope: float = 0.0) -> float | None:
    """The pooled sample SD of the errors about each class's mean, as if near failure.

    Each error first loses the part the set's length explains, ``slope · (reps
    − 10)`` with the lifter's fitted slope: a lifter off by 1 rep on sets of 5
    and by 3 on sets of 20 is consistent, and :meth:`Calibration.correction_for`
    corrects them set length by set length.
    """
    classes: dict[Mechanics, list[tuple[float, float]]] = {}
    for test in tests:
        detrended = test.error - slope * (test.reps - REFERENCE_REPS)
        classes.setdefault(test.exercise.mechanics, []).append((_weight(test), detrended))
    freedom = len(tests) - len(classes)
    if freedom < SCATTER_MIN_TESTS - 1:
        return None
    squares = 0.0
    for members in classes.values():
        weight = math.fsum(w for w, _ in members)
        centre = math.fsum(w * error for w, error in members) / weight
        squares += math.fsum(w * (error - centre) ** 2 for w, error in members)
    return math.sqrt(squares / freedom)


def _error_sd(tests: Sequence[RirTest], centre: float) -> float:
    # The lifter's own scatter, pooled with the default as if it were
    # _ERROR_SD_PRIOR_TESTS tests' worth.
    squares = _squares(tests, centre)
    freedom = max(len(tests) - 1, 0)
    pooled = (_ERROR_SD_PRIOR_TESTS * DEFAULT_ERROR_SD**2 + squares) / (
        _ERROR_SD_PRIOR_TESTS + freedom
    )
    return max(math.sqrt(pooled), MIN_ERROR_SD)


def _posterior(
    mean: float, variance: float, prior_mean: float, prior_variance: float
) -> tuple[float, float]:
    """Normal–normal update: precision-weighted mean and its standard deviation."""
    precision = 1.0 / variance + 1.0 / prior_variance
    centre = (mean / variance + prior_mean / prior_variance) / precision
    return centre, math.sqrt(1.0 / precision)


_K = TypeVar("_K")


def _groups(
    tests: Sequence[RirTest],
    key: Callable[[RirTest], _K],
    order: Sequence[_K],
    error_sd: float,
) -> dict[_K, GroupCalibration]:
    """Each group's bias, shrunk toward what the lifter's other groups say.

    The model is hierarchical: the lifter's bias ~ N(POPULATION_BIAS, PRIOR_SD²),
    a group's bias ~ N(lifter's bias, GROUP_SD²), a call's error ~ N(group's
    bias, (error_sd · distance_factor)²). A group's prior is the lifter's bias
    as the *other* groups estimate it, so no test is counted twice.
    """
    members: dict[_K, list[RirTest]] = {}
    for test in tests:
        members.setdefault(key(test), []).append(test)
    summaries = {group: _summarise(members[group]) for group in order if group in members}
    # A group mean's variance about the lifter's bias: sampling plus GROUP_SD².
    spread = {
        group: error_sd**2 / summary.weight + GROUP_SD**2 for group, summary in summaries.items()
    }
    result: dict[_K, GroupCalibration] = {}
    for group, summary in summaries.items():
        others = [other for other in summaries if other != group]
        precision = 1.0 / PRIOR_SD**2 + math.fsum(1.0 / spread[other] for other in others)
        lifter = (
            POPULATION_BIAS / PRIOR_SD**2
            + math.fsum(summaries[other].weighted_mean / spread[other] for other in others)
        ) / precision
        bias, uncertainty = _posterior(
            summary.weighted_mean,
            error_sd**2 / summary.weight,
            lifter,
            1.0 / precision + GROUP_SD**2,
        )
        result[group] = GroupCalibration(
            tests=summary.tests,
            bias=bias,
            raw_bias=summary.mean,
            mae=summary.mae,
            uncertainty=uncertainty,
        )
    return result


def fit_rep_bias(
    tests: Sequence[RirTest], error_sd: float, prior: RepBias = PRIOR_REP_BIAS
) -> RepBias:
    """The lifter's bias as a line in the set's reps: a Bayesian linear regression.

    Each test's error is ``a + b · (reps − 10) + noise``, the noise normal with
    SD ``error_sd · distance_factor(predicted_rir)``; ``a`` and ``b`` have the
    normal ``prior`` (the population's, :data:`PRIOR_REP_BIAS`). The posterior
    is normal, in closed form: with weights w = 1 / distance_factor², x = reps
    − 10 and y = error,

        precision = P₀ + [[Σw, Σwx], [Σwx, Σwx²]] / σ²
        mean = precision⁻¹ · (P₀ · prior mean + [Σwy, Σwxy] / σ²)

    so with no tests it is the prior, and each test pulls the line toward it.
    A lifter off by 1 rep at 5 reps and by 4 at 20 (calls near failure, σ =
    1.5): the line moves from the prior's 0.95 + 0.18 per rep to about 1.65 +
    0.20 per rep, off by 0.66 at 5 reps and by 3.64 at 20.

    >>> from failwise.domain.exercises import Catalog
    >>> curl = Catalog.from_records([{
    ...     "id": "cable-bicep-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
    ...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
    ...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
    ...     "primary": ["biceps"]}]).get("cable-bicep-curl")
    >>> fit_rep_bias([], error_sd=1.5) == PRIOR_REP_BIAS
    True
    >>> line = fit_rep_bias([RirTest(curl, reps=5, predicted_rir=1, reps_at_failure=7),
    ...                      RirTest(curl, reps=20, predicted_rir=1, reps_at_failure=25)],
    ...                     error_sd=1.5)
    >>> round(line.intercept, 3), round(line.slope, 3), round(line.at(5), 2), round(line.at(20), 2)
    (1.652, 0.199, 0.66, 3.64)
    """
    # The prior's precision matrix, the inverse of its covariance matrix.
    determinant = prior.intercept_sd**2 * prior.slope_sd**2 - prior.covariance**2
    p_aa = prior.slope_sd**2 / determinant
    p_ab = -prior.covariance / determinant
    p_bb = prior.intercept_sd**2 / determinant
    if not tests:
        return prior
    noise = error_sd**2
    weights = [_weight(test) for test in tests]
    offsets = [float(validate_reps(test.reps) - REFERENCE_REPS) for test in tests]
    errors = [test.error for test in tests]
    s = math.fsum(weights)
    sx = math.fsum(w * x for w, x in zip(weights, offsets, strict=True))
    sxx = math.fsum(w * x * x for w, x in zip(weights, offsets, strict=True))
    sy = math.fsum(w * y for w, y in zip(weights, errors, strict=True))
    sxy = math.fsum(w * x * y for w, x, y in zip(weights, offsets, errors, strict=True))
    aa, ab, bb = p_aa + s / noise, p_ab + sx / noise, p_bb + sxx / noise
    rhs_a = p_aa * prior.intercept + p_ab * prior.slope + sy / noise
    rhs_b = p_ab * prior.intercept + p_bb * prior.slope + sxy / noise
    det = aa * bb - ab * ab
    return RepBias(
        intercept=(bb * rhs_a - ab * rhs_b) / det,
        slope=(aa * rhs_b - ab * rhs_a) / det,
        intercept_sd=math.sqrt(bb / det),
        slope_sd=math.sqrt(aa / det),
        covariance=-ab / det,
    )


def _rep_bias(tests: Sequence[RirTest], error_sd: float) -> RepBias:
    """:func:`fit_rep_bias` with the lifter's scatter about their own line.

    The scatter ``error_sd`` was measured about the tests' mean; a lifter whose
    error grows with reps scatters less about their line, so it is measured
    again about the first fit (2 degrees of freedom spent on the line, pooled
    with DEFAULT_ERROR_SD as :func:`_error_sd` pools) and the line refitted.
    """
    first = fit_rep_bias(tests, error_sd)
    squares = math.fsum(_weight(test) * (test.error - first.at(test.reps)) ** 2 for test in tests)
    freedom = max(len(tests) - 2, 0)
    pooled = (_ERROR_SD_PRIOR_TESTS * DEFAULT_ERROR_SD**2 + squares) / (
        _ERROR_SD_PRIOR_TESTS + freedom
    )
    return fit_rep_bias(tests, max(math.sqrt(pooled), MIN_ERROR_SD))


_UNTESTED = Calibration(
    tests=0,
    bias=POPULATION_BIAS,
    raw_bias=None,
    mae=None,
    scatter=None,
    verdict=Verdict.UNTESTED,
    uncertainty=PRIOR_SD,
    error_sd=DEFAULT_ERROR_SD,
    by_class={},
    by_distance={},
    last_tested_on=None,
)
"""A lifter with no tests: the population prior (Halperin et al. 2022)."""


def calibrate(tests: Sequence[RirTest]) -> Calibration:
    """A lifter's RIR calibration from their tests; the population prior when there are none.

    The bias is a normal–normal (empirical Bayes) estimate: the tests' mean
    error, each test weighted by 1 / distance_factor² because calls far from
    failure are noisier, pulled toward :data:`POPULATION_BIAS` with the prior's
    weight 1 / PRIOR_SD²::

        bias = (W/σ² · mean + 1/τ² · 0.95) / (W/σ² + 1/τ²)
        uncertainty = 1 / sqrt(W/σ² + 1/τ²)

    with W the sum of the weights, τ = PRIOR_SD and σ the lifter's own scatter
    (pooled with DEFAULT_ERROR_SD while tests are few, never below
    MIN_ERROR_SD). One test moves the estimate about half way; five consistent
    ones nearly all the way.

    >>> prior = calibrate([])
    >>> prior.verdict, prior.bias, prior.uncertainty, prior.mae
    (<Verdict.UNTESTED: 'untested'>, 0.95, 1.5, None)
    """
    if not tests:
        return _UNTESTED
    summary = _summarise(tests)
    error_sd = _error_sd(tests, summary.weighted_mean)
    by_reps = _rep_bias(tests, error_sd)
    scatter = _scatter(tests, by_reps.slope)
    bias, uncertainty = _posterior(
        summary.weighted_mean, error_sd**2 / summary.weight, POPULATION_BIAS, PRIOR_SD**2
    )
    # The retest schedule asks for deliberate tests: a call the history checks
    # (weight under 1) does not put the next one off.
    dates = [test.performed_on for test in tests if test.performed_on and test.weight >= 1.0]
    return Calibration(
        tests=summary.tests,
        bias=bias,
        raw_bias=summary.mean,
        mae=summary.mae,
        scatter=scatter,
        verdict=Verdict.of(bias, summary.tests, scatter),
        uncertainty=uncertainty,
        error_sd=error_sd,
        by_class=_groups(tests, lambda test: test.exercise.mechanics, tuple(Mechanics), error_sd),
        by_distance=_groups(
            tests,
            lambda test: DistanceBucket.of(test.predicted_rir),
            tuple(DistanceBucket),
            error_sd,
        ),
        last_tested_on=max(dates) if dates else None,
        by_reps=by_reps,
        history_tests=sum(test.weight < 1.0 for test in tests),
    )


# --- using it --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorrectedRir:
    """A corrected RIR call: the likely reps left, and an 80% interval around it.

    Clipped to the scale (0–10) but not snapped to half steps: it is an
    estimate, not a call.
    """

    rir: float
    low: float
    high: float


def _clip(rir: float) -> float:
    return min(max(rir, RIR_MIN), RIR_MAX)


def correct_rir(
    calibration: Calibration,
    predicted_rir: float,
    exercise: Exercise | None = None,
    *,
    reps: int | None = None,
) -> CorrectedRir:
    """The reps really left when the lifter calls ``predicted_rir``.

    Given the set's ``reps`` (done when the call was made), uses the bias at
    that set length (:meth:`Calibration.correction_for`): calls in longer sets
    are further off (Halperin et al. 2022; Zourdos et al. 2021). Without it,
    uses the bias of the exercise's class when the lifter has tested that
    class, else the lifter's constant bias. The interval holds both the
    uncertainty of the bias and the scatter of one call, which grows with
    distance from failure (Zourdos et al. 2021).

    >>> untested = correct_rir(calibrate([]), 2)
    >>> round(untested.rir, 2), untested.low, round(untested.high, 2)
    (2.95, 0.0, 6.03)
    >>> round(correct_rir(calibrate([]), 2, reps=20).rir, 2)
    4.75
    """
    called = validate_rir(predicted_rir)
    bias, uncertainty = calibration.bias, calibration.uncertainty
    if reps is not None:
        # The line's class is the lifter's whole: the set's length already
        # carries most of what tells compounds (few reps) from isolation.
        bias, uncertainty = calibration.correction_for(reps), calibration.by_reps.sd_at(reps)
    elif exercise is not None:
        group = calibration.by_class.get(exercise.mechanics)
        if group is not None:
            bias, uncertainty = group.bias, group.uncertainty
        elif calibration.tests:
            # Tested on the other class only: this class may differ by GROUP_SD.
            uncertainty = math.hypot(uncertainty, GROUP_SD)
    scatter = calibration.error_sd * distance_factor(called)
    half_width = _Z80 * math.hypot(uncertainty, scatter)
    centre = called + bias
    return CorrectedRir(
        rir=_clip(centre), low=_clip(centre - half_width), high=_clip(centre + half_width)
    )


class RirCorrector(Protocol):
    """A lifter's map from a called RIR (and, when known, the set's reps) to the true one.

    A :func:`rir_corrector` is also a ``Callable[[float], float]``: code that
    passes only the call keeps working, and code that knows the set's reps
    passes them as a second argument.
    """

    def __call__(self, rir: float, reps: int | None = None, /) -> float: ...


def rir_corrector(calibration: Calibration, exercise: Exercise | None = None) -> RirCorrector:
    """The lifter's calibration as a map from a called RIR, and the set's reps, to the true RIR.

    Without reps it is :func:`correct_rir` as before (the exercise's class, else
    the constant bias); with them, the correction for that set length.

    >>> corrected = rir_corrector(calibrate([]))
    >>> round(corrected(2), 2), round(corrected(2, 5), 2), round(corrected(2, 20), 2)
    (2.95, 2.05, 4.75)
    """

    def corrected(rir: float, reps: int | None = None, /) -> float:
        return correct_rir(calibration, rir, exercise, reps=reps).rir

    return corrected

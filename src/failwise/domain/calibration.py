"""RIR calibration: how far a lifter's reps-in-reserve calls are from tested failure.

A *test* is a set where the lifter calls the RIR at some rep, then keeps going
to failure, so the true RIR is known: the reps done after the call. Its error
is ``actual RIR − predicted RIR``: positive when more reps were left than the
lifter thought (they stop short), negative when failure came sooner than
called (they overshoot).

:func:`calibrate` turns a lifter's tests into a bias, shrunk toward the
population (Halperin et al. 2022: lifters underpredict by about 0.95 reps)
while tests are few; :func:`correct_rir` applies it to a future call, with an
interval that widens far from failure; :func:`next_test` says when to test
again and on which exercise.

A beginner who calls RIR 1 and then does 4–5 more reps, six times over:

>>> from failwise.domain.exercises import Catalog
>>> curl = Catalog.from_records([{
...     "id": "cable-bicep-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
...     "primary": ["biceps"]}]).get("cable-bicep-curl")
>>> tests = [RirTest(curl, reps=10, predicted_rir=1, reps_at_failure=10 + more)
...          for more in (4, 5, 4, 5, 4, 5)]
>>> beginner = calibrate(tests)
>>> beginner.verdict, round(beginner.correction, 1), round(beginner.uncertainty, 1)
(<Verdict.STOPS_SHORT: 'stops-short'>, 3.4, 0.3)
>>> called = correct_rir(beginner, 1)
>>> round(called.rir, 1), round(called.low, 1), round(called.high, 1)
(4.4, 3.3, 5.5)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from failwise.domain.context import CallTrust, Phase
from failwise.domain.effort import RIR_MAX, RIR_MIN, validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, InjuryRisk, Mechanics

__all__ = [
    "DEFAULT_ERROR_SD",
    "DISTANCE_GROWTH",
    "GROUP_SD",
    "MAX_UNCERTAINTY",
    "MIN_ERROR_SD",
    "MIN_TESTS",
    "POPULATION_BIAS",
    "PRIOR_SD",
    "RETEST_AFTER",
    "SCATTER_MIN_TESTS",
    "SCATTER_THRESHOLD",
    "VERDICT_THRESHOLD",
    "Calibration",
    "CorrectedRir",
    "DistanceBucket",
    "GroupCalibration",
    "RirTest",
    "TestPlan",
    "Verdict",
    "calibrate",
    "correct_rir",
    "distance_factor",
    "is_safe_to_test",
    "next_test",
]

# --- the population prior and the noise model ------------------------------------

# Halperin et al. 2022 (Sports Med, meta-analysis): lifters underpredict the
# reps they have left before failure by about 0.95 reps on average.
POPULATION_BIAS = 0.95

# How far one lifter's own bias sits from that average. Near failure a call is
# off by about 1 rep (Hackett et al. 2017: ~1 rep when 0–5 remain) to 2 reps
# (Zourdos et al. 2021: 2.05 reps at a called RPE 9), and the article's
# beginners who feel RIR 1 but are at RIR 4–5 (+3 to +4) must sit inside the
# prior, not off its edge: 0.95 ± 2 × 1.5 spans −2 to +4.
PRIOR_SD = 1.5

# How much one lifter's calls scatter around their own bias, near failure,
# before their tests say otherwise: mean absolute errors of 1–2 reps (Hackett
# 2017; Zourdos 2021), and a normal's mean absolute deviation is 0.8 of its SD.
DEFAULT_ERROR_SD = 1.5
# That default counts as one test's worth of scatter (a scaled inverse-χ²
# prior), so two identical tests do not make a lifter exact.
_ERROR_SD_PRIOR_TESTS = 1.0
# Calls are made in half reps and failure is counted in whole reps: no lifter's
# calls are trusted to better than this, however consistent their tests.
MIN_ERROR_SD = 0.75

# Error grows with distance from failure: Zourdos et al. 2021 measured 2.05,
# 3.65 and 5.15 reps at called RPE 9, 7 and 5 in 16-rep squat sets (+0.38 of
# the near-failure error per rep further out); Hackett et al. 2017, ~1 rep
# when 0–5 remain and >2 when 7–10 remain (about +0.17 per rep). Between them:
# the scatter of a call grows by a quarter for each rep beyond RIR 1.
DISTANCE_GROWTH = 0.25

# How far a lifter's bias on one class of exercise (or one distance from
# failure) may sit from their overall bias. A coaching heuristic, smaller than
# the spread between lifters (PRIOR_SD): it is the same lifter reading effort.
GROUP_SD = 1.0

# The verdict's line, from the spec: a bias within a rep is accurate.
VERDICT_THRESHOLD = 1.0

# Trained lifters' calls near failure err by about 0.65 reps (Refalo et al.
# 2023); Hackett et al. 2017 found ~1 rep when 0–5 remain. A lifter whose test
# errors scatter with a standard deviation of 1.5 reps or more, more than twice
# that, is inconsistent: no single correction makes their calls hold.
SCATTER_THRESHOLD = 1.5
# A standard deviation from 2 tests rests on one degree of freedom: two calls
# a rep or two apart either way would already look "inconsistent". From 3 tests
# (2 degrees of freedom) the sample SD is worth acting on; the same 3 as
# MIN_TESTS below. Each class of exercise tested spends one degree of freedom
# on its own mean, so 4 tests are needed when both classes are tested.
SCATTER_MIN_TESTS = 3

# z of a central 80% interval of a normal distribution.
_Z80 = 1.2816

# Scheduling: test until there are this many tests, while the correction is
# less certain than a rep, and again every four weeks, since calls improve
# with experience (the article: beginners misjudge failure most).
MIN_TESTS = 3
MAX_UNCERTAINTY = 1.0
RETEST_AFTER = timedelta(weeks=4)


def distance_factor(predicted_rir: float) -> float:
    """How much more a call this far from failure scatters than a call at RIR 0–1.

    >>> distance_factor(1), distance_factor(3), distance_factor(5)
    (1.0, 1.5, 2.0)
    """
    return 1.0 + DISTANCE_GROWTH * max(0.0, predicted_rir - 1.0)


# --- tests -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RirTest:
    """One RIR test: a call made mid-set, then the set taken to failure.

    >>> from failwise.domain.exercises import Catalog
    >>> press = Catalog.from_records([{
    ...     "id": "machine-chest-press", "name": "Chest Press (Machine)",
    ...     "pattern": "horizontal-push", "mechanics": "compound", "equipment": "machine",
    ...     "fixed_path": True, "heavy_compound": False, "injury_risk": "low",
    ...     "needs_spotter": False, "primary": ["chest"]}]).get("machine-chest-press")
    >>> test = RirTest(press, reps=8, predicted_rir=2, reps_at_failure=11)
    >>> test.actual_rir, test.error
    (3, 1.0)
    >>> RirTest(press, reps=8, predicted_rir=2, reps_at_failure=6)
    Traceback (most recent call last):
    ...
    failwise.domain.errors.InvalidInput: reps at failure (6) is fewer than the reps done (8): \
count every rep of the set, the ones before the call included
    """

    exercise: Exercise
    reps: int
    """Reps done when the lifter called the RIR."""
    predicted_rir: float
    """The reps the lifter thought were left at that point."""
    reps_at_failure: int
    """Reps done in all when the set reached failure, counting those before the call."""
    performed_on: date | None = None
    load: float | None = None

    def __post_init__(self) -> None:
        if self.reps < 1:
            raise InvalidInput(f"reps must be at least 1, not {self.reps}")
        object.__setattr__(self, "predicted_rir", validate_rir(self.predicted_rir))
        if self.reps_at_failure < self.reps:
            raise InvalidInput(
                f"reps at failure ({self.reps_at_failure}) is fewer than the reps done "
                f"({self.reps}): count every rep of the set, the ones before the call included"
            )
        if self.load is not None and not (math.isfinite(self.load) and self.load > 0):
            raise InvalidInput(f"load must be a positive number, not {self.load:g}")

    @property
    def actual_rir(self) -> int:
        """The reps that really were left when the call was made."""
        return self.reps_at_failure - self.reps

    @property
    def error(self) -> float:
        """``actual − predicted``: positive when the lifter had more left than they called."""
        return self.actual_rir - self.predicted_rir


class Verdict(StrEnum):
    """What a lifter's calibrated bias says about their RIR calls."""

    ACCURATE = "accurate"
    """Their calls are within a rep of failure on average."""
    STOPS_SHORT = "stops-short"
    """They have a rep or more left when they think they are close."""
    OVERSHOOTS = "overshoots"
    """They reach failure a rep or more sooner than they call."""
    UNTESTED = "untested"
    """No tests yet: the numbers are the population prior, not the lifter's own."""
    INCONSISTENT = "inconsistent"
    """The tests scatter (SD of 1.5 reps or more): no single correction holds."""

    @classmethod
    def of(cls, bias: float, tests: int, scatter: float | None = None) -> Verdict:
        """The verdict for a (shrunk) bias estimated from ``tests`` tests.

        ``scatter`` is the standard deviation of the tests' errors; from
        :data:`SCATTER_MIN_TESTS` tests on, a scatter of :data:`SCATTER_THRESHOLD`
        reps or more makes the lifter inconsistent, whatever the bias.

        >>> Verdict.of(0.4, tests=5), Verdict.of(3.4, tests=6), Verdict.of(-1.2, tests=4)
        (<Verdict.ACCURATE: 'accurate'>, <Verdict.STOPS_SHORT: 'stops-short'>, \
<Verdict.OVERSHOOTS: 'overshoots'>)
        >>> Verdict.of(0.4, tests=4, scatter=4.0), Verdict.of(0.4, tests=2, scatter=4.0)
        (<Verdict.INCONSISTENT: 'inconsistent'>, <Verdict.ACCURATE: 'accurate'>)
        """
        if tests == 0:
            return cls.UNTESTED
        if tests >= SCATTER_MIN_TESTS and scatter is not None and scatter >= SCATTER_THRESHOLD:
            return cls.INCONSISTENT
        if bias >= VERDICT_THRESHOLD:
            return cls.STOPS_SHORT
        if bias <= -VERDICT_THRESHOLD:
            return cls.OVERSHOOTS
        return cls.ACCURATE

    @property
    def description(self) -> str:
        return {
            Verdict.ACCURATE: "your RIR calls land within a rep of failure",
            Verdict.STOPS_SHORT: "you have more reps left than you think: you stop short",
            Verdict.OVERSHOOTS: "you reach failure sooner than you think: you overshoot",
            Verdict.UNTESTED: "no tests yet: these are the population's numbers, not yours",
            Verdict.INCONSISTENT: (
                "your calls scatter: one set you are close, the next you are reps off, "
                "so keep a margin and test again"
            ),
        }[self]


class DistanceBucket(StrEnum):
    """How far from failure a call was, by the RIR the lifter called."""

    RIR_0_1 = "0-1"
    RIR_2_3 = "2-3"
    RIR_4_5 = "4-5"
    RIR_6_PLUS = "6+"

    @classmethod
    def of(cls, predicted_rir: float) -> DistanceBucket:
        """The bucket of a called RIR; half steps go with the whole rep below.

        >>> [DistanceBucket.of(rir).value for rir in (0, 1.5, 2, 5.5, 6, 10)]
        ['0-1', '0-1', '2-3', '4-5', '6+', '6+']
        """
        if predicted_rir < 2:
            return cls.RIR_0_1
        if predicted_rir < 4:
            return cls.RIR_2_3
        if predicted_rir < 6:
            return cls.RIR_4_5
        return cls.RIR_6_PLUS


@dataclass(frozen=True, slots=True)
class GroupCalibration:
    """The calibration of one class of exercise or one distance from failure."""

    tests: int
    bias: float
    """Shrunk toward what the lifter's other tests say, and through them the population."""
    raw_bias: float
    """The plain mean error of this group's tests."""
    mae: float
    """Mean absolute error of this group's tests (reps)."""
    uncertainty: float
    """Standard deviation of ``bias`` (reps)."""


@dataclass(frozen=True, slots=True)
class Calibration:
    """A lifter's RIR calibration: how far off their calls are, and how sure that is.

    With no tests, every number is the population prior (``bias`` 0.95,
    ``uncertainty`` 1.5) and the verdict is :attr:`Verdict.UNTESTED`.
    """

    tests: int
    bias: float
    """Mean error (actual − predicted RIR), shrunk toward the population while tests are few."""
    raw_bias: float | None
    """The plain mean error of the tests; ``None`` when untested."""
    mae: float | None
    """Mean absolute error of the tests (reps); ``None`` when untested."""
    scatter: float | None
    """Sample SD of the tests' errors, as near failure (reps).

    Taken about each class's own mean (compound, isolation), since a steady
    gap between the classes is corrected class by class, not scatter; calls
    further from failure are scaled down by :func:`distance_factor`, since
    they scatter more by nature. ``None`` until the tests leave 2 degrees of
    freedom (3 tests of one class, 4 of two): too few to judge.
    """
    verdict: Verdict
    uncertainty: float
    """Standard deviation of ``bias`` (reps)."""
    error_sd: float
    """How much single calls near failure scatter around ``bias`` (reps)."""
    by_class: Mapping[Mechanics, GroupCalibration]
    """Compound and isolation exercises; only classes with tests appear."""
    by_distance: Mapping[DistanceBucket, GroupCalibration]
    """Calls by distance from failure; only buckets with tests appear."""
    last_tested_on: date | None = None
    """The latest dated test, if any test carries a date."""

    @property
    def correction(self) -> float:
        """Reps to add to the lifter's future RIR calls."""
        return self.bias

    @property
    def call_trust(self) -> CallTrust:
        """How far the decision rules may rely on the lifter's calls.

        Pass it to :class:`failwise.domain.context.SetContext` as ``call_trust``.
        Calibrated from :data:`MIN_TESTS` tests once they are enough to judge
        their scatter and agree; inconsistent when they scatter; unproven
        before that.

        >>> calibrate([]).call_trust
        <CallTrust.UNPROVEN: 'unproven'>
        """
        if self.verdict is Verdict.INCONSISTENT:
            return CallTrust.INCONSISTENT
        if self.tests >= MIN_TESTS and self.scatter is not None:
            return CallTrust.CALIBRATED
        return CallTrust.UNPROVEN


# --- the estimate ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Summary:
    """Tests reduced to what the normal model needs."""

    tests: int
    weight: float
    """Sum of the tests' weights, 1 / distance_factor²: far calls count less."""
    weighted_mean: float
    mean: float
    mae: float


def _weight(test: RirTest) -> float:
    return 1.0 / distance_factor(test.predicted_rir) ** 2


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


def _scatter(tests: Sequence[RirTest]) -> float | None:
    """The pooled sample SD of the errors about each class's mean, as if near failure."""
    classes: dict[Mechanics, list[RirTest]] = {}
    for test in tests:
        classes.setdefault(test.exercise.mechanics, []).append(test)
    freedom = len(tests) - len(classes)
    if freedom < SCATTER_MIN_TESTS - 1:
        return None
    squares = math.fsum(
        _squares(members, _summarise(members).weighted_mean) for members in classes.values()
    )
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
        return Calibration(
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
    summary = _summarise(tests)
    scatter = _scatter(tests)
    error_sd = _error_sd(tests, summary.weighted_mean)
    bias, uncertainty = _posterior(
        summary.weighted_mean, error_sd**2 / summary.weight, POPULATION_BIAS, PRIOR_SD**2
    )
    dates = [test.performed_on for test in tests if test.performed_on is not None]
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
    calibration: Calibration, predicted_rir: float, exercise: Exercise | None = None
) -> CorrectedRir:
    """The reps really left when the lifter calls ``predicted_rir``.

    Uses the bias of the exercise's class when the lifter has tested that
    class. The interval holds both the uncertainty of the bias and the scatter
    of one call, which grows with distance from failure (Zourdos et al. 2021).

    >>> untested = correct_rir(calibrate([]), 2)
    >>> round(untested.rir, 2), untested.low, round(untested.high, 2)
    (2.95, 0.0, 6.03)
    """
    called = validate_rir(predicted_rir)
    bias, uncertainty = calibration.bias, calibration.uncertainty
    if exercise is not None:
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


# --- when and where to test next -------------------------------------------------


@dataclass(frozen=True, slots=True)
class TestPlan:
    """Whether to run an RIR test today, on which exercise, and why."""

    __test__ = False  # a plan, not a pytest test class

    due: bool
    exercise: Exercise | None
    """The exercise to test on; ``None`` when no test should be done today."""
    reason: str


def _is_machine(exercise: Exercise) -> bool:
    return exercise.fixed_path or exercise.equipment is Equipment.MACHINE


def is_safe_to_test(exercise: Exercise, *, spotter: bool) -> bool:
    """Whether an RIR test (a set taken to failure) is safe on this exercise.

    Machine (fixed path) and isolation exercises are; anything else only with
    a spotter; an exercise with a high injury risk at fatigue never is, and
    neither is one that can pin a lifter who is alone.
    """
    if exercise.injury_risk is InjuryRisk.HIGH:
        return False
    if spotter:
        return True
    if exercise.needs_spotter:
        return False
    return exercise.is_isolation or _is_machine(exercise)


def _test_preference(exercise: Exercise) -> tuple[int, int]:
    # Isolation on a machine first: failure there is safe and cheap to recover
    # from (the article's "isolation" and "machine" rules).
    kind = (not exercise.is_isolation) * 2 + (not _is_machine(exercise))
    risk = 0 if exercise.injury_risk is InjuryRisk.LOW else 1
    return (kind, risk)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def next_test(
    calibration: Calibration,
    *,
    last_test_on: date | None,
    today: date,
    candidates: Sequence[Exercise],
    spotter: bool,
    phase: Phase,
    fatigued: bool,
) -> TestPlan:
    """Whether to test the lifter's RIR calls today, and on which of ``candidates``.

    A test is due with fewer than :data:`MIN_TESTS` tests, while the calls
    scatter (:attr:`Verdict.INCONSISTENT`), while the correction is less
    certain than :data:`MAX_UNCERTAINTY`, or
    :data:`RETEST_AFTER` since the last test (``last_test_on``, else the
    latest dated test). Never in a deload or under accumulated fatigue, and
    only on an exercise :func:`is_safe_to_test`; isolation and machine
    exercises are preferred.
    """
    last = last_test_on if last_test_on is not None else calibration.last_tested_on
    if last is not None and last > today:
        raise InvalidInput(
            f"the last test ({last.isoformat()}) is after today ({today.isoformat()})"
        )
    if calibration.tests < MIN_TESTS:
        why = (
            f"You have {_plural(calibration.tests, 'RIR test')}; "
            f"{MIN_TESTS} are needed before your correction can be trusted"
        )
    elif calibration.verdict is Verdict.INCONSISTENT:
        why = (
            f"Your calls scatter (SD {calibration.scatter or 0.0:.1f} reps over "
            f"{calibration.tests} tests): test again to see whether they settle"
        )
    elif calibration.uncertainty > MAX_UNCERTAINTY:
        why = f"Your correction is still uncertain (±{calibration.uncertainty:.1f} reps)"
    elif last is None:
        why = "None of your tests is dated, so there is no telling whether they are current"
    elif today - last >= RETEST_AFTER:
        why = (
            f"Your last test was {_plural((today - last).days, 'day')} ago: "
            "RIR calls change as you gain experience, so retest every 4 weeks"
        )
    else:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"Not due: {_plural(calibration.tests, 'test')}, correction "
                f"±{calibration.uncertainty:.1f} reps; next test from "
                f"{(last + RETEST_AFTER).isoformat()}."
            ),
        )
    if phase is Phase.DELOAD:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but not in a deload week: a test goes to failure and a deload "
                "keeps every set easy. Test the week after."
            ),
        )
    if fatigued:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but not under accumulated fatigue: failure now digs the hole "
                "deeper, and a tired lifter's calls are not their usual ones. "
                "Test once you have recovered."
            ),
        )
    safe = [exercise for exercise in candidates if is_safe_to_test(exercise, spotter=spotter)]
    if not safe:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but none of today's exercises is safe to take to failure"
                + ("" if spotter else " alone")
                + ": test on a machine or isolation exercise"
                + ("." if spotter else ", or with a spotter.")
            ),
        )
    chosen = min(safe, key=_test_preference)
    return TestPlan(
        due=True,
        exercise=chosen,
        reason=(
            f"{why}. Test on {chosen.name}: on one working set, call your RIR at the rep "
            "where you would normally stop, then keep going to failure and log both."
        ),
    )

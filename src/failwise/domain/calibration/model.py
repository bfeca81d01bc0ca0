"""What RIR calibration is made of: the tests, the verdicts and the calibration itself.

The population prior and the noise model live here too (the numbers
:mod:`failwise.domain.calibration.estimate` fits with); the package's docstring
(:mod:`failwise.domain.calibration`) tells the whole story.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from failwise.domain.context import CallTrust
from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, Mechanics

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

# --- bias by the set's reps ------------------------------------------------------

# A call's bias is a line in the set's reps (the reps done when the call is
# made): bias(reps) = intercept + slope · (reps − REFERENCE_REPS). The
# intercept is the bias of a 10-rep set, the middle of the 5–20 reps most
# tests and studies use; ``Calibration.correction`` is the correction there.
REFERENCE_REPS = 10
# The reps a correction is given for (``Calibration.correction_by_reps``): a
# single to a set of 30, the longest sets the studies tested.
CORRECTED_REPS = range(1, 31)

# Calls are less accurate in longer sets. Halperin et al. 2022 (meta-regression,
# preprint osf.io/x256f): underprediction grows by 0.06 reps per rep in sets of
# fewer than 12 reps to failure and by 0.47 per rep beyond 12, which, drawn as
# one line over 5–20 reps, is a slope of 0.28. Zourdos et al. 2021 measured an
# error of 2.05 reps at a called RPE 9 in 16-rep squat sets; against Halperin's
# pooled 0.95 (taken here as the bias of a 10-rep set, an assumption: the
# pooled sets were mostly of moderate length) that is (2.05 − 0.95) / 6 = 0.18
# per rep. We take the smaller, 0.18: it is measured at one set length on calls
# near failure, as a lifter's tests are. It puts the bias of a single at
# 0.95 − 9 × 0.18 = −0.67, between the −0.2 (experienced) and −1.0 (novice)
# Zourdos et al. 2016 found at a 1RM (RPE 9.8 and 9.0 called on a true RPE 10).
# Remmert et al. 2023 report the same direction (less accurate in sets of more
# reps); no number of theirs is used.
REPS_SLOPE = 0.18
# How far one lifter's slope sits from that. No study reports a spread of
# slopes between lifters: an assumption. 0.15 puts Halperin's steeper 0.28 and
# a flat 0 (a lifter whose error does not grow) each within about one SD, and
# a slope of 0.48 (4.5 reps more error at 25 reps than at 10) at two.
SLOPE_SD = 0.15


# A call in the lifter's history, followed later in the session by a set to
# failure at the same load, counts half a deliberate test: the failure set came
# after rest and with the fatigue of the sets before it, so its reps are a
# lower bound on what the called set had left (sets to failure at the same load
# lose reps from one to the next at short rests: Willardson & Burkett 2005),
# and the lifter did not know the call would be checked. Treating its error as
# twice as variable (weight 0.5) keeps such pairs from outvoting the lifter's
# own tests. The 0.5 is a judgement, not a measured number.
HISTORY_WEIGHT = 0.5

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


@dataclass(frozen=True, slots=True)
class RepBias:
    """A bias that grows with the set's reps: ``intercept + slope · (reps − 10)``.

    The intercept and slope are normal (jointly, with ``covariance``); the
    population prior is :data:`PRIOR_REP_BIAS`.

    >>> line = RepBias(intercept=1.0, slope=0.2, intercept_sd=0.5, slope_sd=0.1)
    >>> line.at(5), line.at(10), line.at(20)
    (0.0, 1.0, 3.0)
    >>> round(line.sd_at(20), 3)
    1.118
    """

    intercept: float
    """The bias of a 10-rep set (reps)."""
    slope: float
    """How much the bias grows per rep of the set (reps per rep)."""
    intercept_sd: float
    slope_sd: float
    covariance: float = 0.0
    """Covariance of intercept and slope (their estimates share the tests)."""

    def at(self, reps: float) -> float:
        """The bias of a set of ``reps`` reps."""
        return self.intercept + self.slope * (reps - REFERENCE_REPS)

    def sd_at(self, reps: float) -> float:
        """The standard deviation of :meth:`at` (reps)."""
        offset = reps - REFERENCE_REPS
        variance = (
            self.intercept_sd**2 + 2.0 * offset * self.covariance + offset**2 * self.slope_sd**2
        )
        return math.sqrt(max(variance, 0.0))


PRIOR_REP_BIAS = RepBias(
    intercept=POPULATION_BIAS, slope=REPS_SLOPE, intercept_sd=PRIOR_SD, slope_sd=SLOPE_SD
)
"""The population's bias by reps, before any test (intercept and slope independent)."""


def validate_reps(reps: int) -> int:
    """The reps of a set, checked: a whole number of at least 1.

    >>> validate_reps(8)
    8
    >>> validate_reps(0)
    Traceback (most recent call last):
    ...
    failwise.domain.errors.InvalidInput: reps must be at least 1, not 0
    """
    if isinstance(reps, bool) or not isinstance(reps, int):
        raise InvalidInput(f"reps must be a whole number, not {reps!r}")
    if reps < 1:
        raise InvalidInput(f"reps must be at least 1, not {reps}")
    return reps


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
    weight: float = 1.0
    """How much the test counts beside a deliberate one (1): a pair found in the
    lifter's history counts :data:`HISTORY_WEIGHT`."""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise InvalidInput(f"a test's weight must be a positive number, not {self.weight:g}")
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
    gap between the classes is corrected class by class, not scatter, once the
    part the set's reps explain (``by_reps.slope`` per rep) is taken out; calls
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
    """The latest dated deliberate test (weight 1), if any carries a date: the retest
    schedule counts from it, and a call the history checks is not the test it asks for."""
    by_reps: RepBias = PRIOR_REP_BIAS
    """The bias as a line in the set's reps (the population's until tested)."""
    history_tests: int = 0
    """Those of :attr:`tests` counted below a deliberate test (weight under 1): calls
    the lifter's history checks (:func:`failwise.domain.calibration.history_tests`)."""

    @property
    def correction(self) -> float:
        """Reps to add to the lifter's RIR call on a 10-rep set (:meth:`correction_for`)."""
        return self.correction_for(REFERENCE_REPS)

    def correction_for(self, reps: int) -> float:
        """Reps to add to the lifter's RIR call on a set of ``reps`` reps.

        >>> from failwise.domain.calibration import calibrate
        >>> untested = calibrate([])
        >>> [round(untested.correction_for(reps), 2) for reps in (1, 5, 10, 20, 30)]
        [-0.67, 0.05, 0.95, 2.75, 4.55]
        """
        return self.by_reps.at(validate_reps(reps))

    @property
    def correction_by_reps(self) -> dict[int, float]:
        """:meth:`correction_for` every set length from a single to 30 reps."""
        return {reps: self.correction_for(reps) for reps in CORRECTED_REPS}

    @property
    def call_trust(self) -> CallTrust:
        """How far the decision rules may rely on the lifter's calls.

        Pass it to :class:`failwise.domain.context.SetContext` as ``call_trust``.
        Calibrated from :data:`MIN_TESTS` tests once they are enough to judge
        their scatter and agree; inconsistent when they scatter; unproven
        before that.

        >>> from failwise.domain.calibration import calibrate
        >>> calibrate([]).call_trust
        <CallTrust.UNPROVEN: 'unproven'>
        """
        if self.verdict is Verdict.INCONSISTENT:
            return CallTrust.INCONSISTENT
        if self.tests >= MIN_TESTS and self.scatter is not None:
            return CallTrust.CALIBRATED
        return CallTrust.UNPROVEN

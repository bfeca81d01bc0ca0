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

Calls are further off in longer sets (Halperin et al. 2022; Zourdos et al.
2021), so the bias is also fitted as a line in the set's reps
(:attr:`Calibration.by_reps`, :func:`fit_rep_bias`):
:meth:`Calibration.correction_for` gives the correction for a set of any
length, ``correction`` is the one at 10 reps, and ``correct_rir(..., reps=)``
and :func:`rir_corrector` use it.

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

from failwise.domain.calibration.estimate import (
    CorrectedRir,
    RirCorrector,
    calibrate,
    correct_rir,
    fit_rep_bias,
    rir_corrector,
)
from failwise.domain.calibration.history import SessionSet, history_tests
from failwise.domain.calibration.model import (
    CORRECTED_REPS,
    DEFAULT_ERROR_SD,
    DISTANCE_GROWTH,
    GROUP_SD,
    HISTORY_WEIGHT,
    MAX_UNCERTAINTY,
    MIN_ERROR_SD,
    MIN_TESTS,
    POPULATION_BIAS,
    PRIOR_REP_BIAS,
    PRIOR_SD,
    REFERENCE_REPS,
    REPS_SLOPE,
    RETEST_AFTER,
    SCATTER_MIN_TESTS,
    SCATTER_THRESHOLD,
    SLOPE_SD,
    VERDICT_THRESHOLD,
    Calibration,
    DistanceBucket,
    GroupCalibration,
    RepBias,
    RirTest,
    Verdict,
    distance_factor,
)
from failwise.domain.calibration.schedule import TestPlan, is_safe_to_test, next_test

__all__ = [
    "CORRECTED_REPS",
    "DEFAULT_ERROR_SD",
    "DISTANCE_GROWTH",
    "GROUP_SD",
    "HISTORY_WEIGHT",
    "MAX_UNCERTAINTY",
    "MIN_ERROR_SD",
    "MIN_TESTS",
    "POPULATION_BIAS",
    "PRIOR_REP_BIAS",
    "PRIOR_SD",
    "REFERENCE_REPS",
    "REPS_SLOPE",
    "RETEST_AFTER",
    "SCATTER_MIN_TESTS",
    "SCATTER_THRESHOLD",
    "SLOPE_SD",
    "VERDICT_THRESHOLD",
    "Calibration",
    "CorrectedRir",
    "DistanceBucket",
    "GroupCalibration",
    "RepBias",
    "RirCorrector",
    "RirTest",
    "SessionSet",
    "TestPlan",
    "Verdict",
    "calibrate",
    "correct_rir",
    "distance_factor",
    "fit_rep_bias",
    "history_tests",
    "is_safe_to_test",
    "next_test",
    "rir_corrector",
]

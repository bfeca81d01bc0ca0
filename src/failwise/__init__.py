"""failwise: a strength-training coach built around proximity to failure.

For every set it decides whether to go to failure, stop 1–3 reps short, or
never approach failure, and says why.

>>> from failwise import SetContext, prescribe, builtin_catalog
>>> curl = builtin_catalog().resolve("Bicep Curl (Cable)")
>>> prescribe(SetContext(exercise=curl, set_number=3, total_sets=3)).failure
<FailurePolicy.GO: 'go'>
"""

from failwise.domain.calibration import (
    Calibration,
    RirCorrector,
    RirTest,
    Verdict,
    calibrate,
    correct_rir,
    rir_corrector,
)
from failwise.domain.decision import (
    Experience,
    FailurePolicy,
    Phase,
    Prescription,
    Reason,
    SetContext,
    Techniques,
    prescribe,
)
from failwise.domain.detection import (
    DailyRating,
    FatigueVerdict,
    LoggedSet,
    Recommendation,
    detect_accumulated_fatigue,
)
from failwise.domain.effort import FailureKind, RirRange, rir_from_rpe, rpe_from_rir
from failwise.domain.errors import FailwiseError, InvalidEffort, InvalidInput, UnknownExercise
from failwise.domain.exercises import (
    Catalog,
    Equipment,
    Exercise,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.fatigue import (
    SetCost,
    TimedSet,
    recovery_state,
    session_recovery_hours,
    set_cost,
)
from failwise.domain.stimulus import WorkSet, set_stimulus, weekly_growth
from failwise.domain.strength import (
    FORMULAS,
    e1rm,
    e1rm_estimates,
    load_for,
    percent_1rm,
    plates_per_side,
    round_to_increment,
)
from failwise.domain.techniques import Technique, TechniqueRequest, govern
from failwise.services.catalog import builtin_catalog

__version__ = "0.1.0"

__all__ = [
    "FORMULAS",
    "Calibration",
    "Catalog",
    "DailyRating",
    "Equipment",
    "Exercise",
    "Experience",
    "FailureKind",
    "FailurePolicy",
    "FailwiseError",
    "FatigueVerdict",
    "InjuryRisk",
    "InvalidEffort",
    "InvalidInput",
    "LoggedSet",
    "Mechanics",
    "Muscle",
    "Pattern",
    "Phase",
    "Prescription",
    "Reason",
    "Recommendation",
    "RirCorrector",
    "RirRange",
    "RirTest",
    "SetContext",
    "SetCost",
    "Technique",
    "TechniqueRequest",
    "Techniques",
    "TimedSet",
    "UnknownExercise",
    "Verdict",
    "WorkSet",
    "__version__",
    "builtin_catalog",
    "calibrate",
    "correct_rir",
    "detect_accumulated_fatigue",
    "e1rm",
    "e1rm_estimates",
    "govern",
    "load_for",
    "percent_1rm",
    "plates_per_side",
    "prescribe",
    "recovery_state",
    "rir_corrector",
    "rir_from_rpe",
    "round_to_increment",
    "rpe_from_rir",
    "session_recovery_hours",
    "set_cost",
    "set_stimulus",
    "weekly_growth",
]

"""failwise: a strength-training coach built around proximity to failure.

For every set it decides whether to go to failure, stop 1–3 reps short, or
never approach failure, and says why.

>>> from failwise import SetContext, prescribe, builtin_catalog
>>> curl = builtin_catalog().resolve("Bicep Curl (Cable)")
>>> prescribe(SetContext(exercise=curl, set_number=3, total_sets=3)).failure
<FailurePolicy.GO: 'go'>
"""

# The public names are imported on first use (PEP 562 module __getattr__): a program that
# imports one part of failwise (the command line's `failwise prescribe`) does not pay for
# the whole library. Type checkers read the imports below.
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Where each public name lives.
_HOMES = {
    "Calibration": "failwise.domain.calibration",
    "RirCorrector": "failwise.domain.calibration",
    "RirTest": "failwise.domain.calibration",
    "Verdict": "failwise.domain.calibration",
    "calibrate": "failwise.domain.calibration",
    "correct_rir": "failwise.domain.calibration",
    "rir_corrector": "failwise.domain.calibration",
    "Experience": "failwise.domain.decision",
    "FailurePolicy": "failwise.domain.decision",
    "Phase": "failwise.domain.decision",
    "Prescription": "failwise.domain.decision",
    "Reason": "failwise.domain.decision",
    "SetContext": "failwise.domain.decision",
    "Techniques": "failwise.domain.decision",
    "prescribe": "failwise.domain.decision",
    "DailyRating": "failwise.domain.detection",
    "FatigueVerdict": "failwise.domain.detection",
    "LoggedSet": "failwise.domain.detection",
    "Recommendation": "failwise.domain.detection",
    "detect_accumulated_fatigue": "failwise.domain.detection",
    "FailureKind": "failwise.domain.effort",
    "RirRange": "failwise.domain.effort",
    "rir_from_rpe": "failwise.domain.effort",
    "rpe_from_rir": "failwise.domain.effort",
    "FailwiseError": "failwise.domain.errors",
    "InvalidEffort": "failwise.domain.errors",
    "InvalidInput": "failwise.domain.errors",
    "UnknownExercise": "failwise.domain.errors",
    "Catalog": "failwise.domain.exercises",
    "Equipment": "failwise.domain.exercises",
    "Exercise": "failwise.domain.exercises",
    "InjuryRisk": "failwise.domain.exercises",
    "Mechanics": "failwise.domain.exercises",
    "Muscle": "failwise.domain.exercises",
    "Pattern": "failwise.domain.exercises",
    "SetCost": "failwise.domain.fatigue",
    "TimedSet": "failwise.domain.fatigue",
    "recovery_state": "failwise.domain.fatigue",
    "session_recovery_hours": "failwise.domain.fatigue",
    "set_cost": "failwise.domain.fatigue",
    "WorkSet": "failwise.domain.stimulus",
    "set_stimulus": "failwise.domain.stimulus",
    "weekly_growth": "failwise.domain.stimulus",
    "FORMULAS": "failwise.domain.strength",
    "e1rm": "failwise.domain.strength",
    "e1rm_estimates": "failwise.domain.strength",
    "load_for": "failwise.domain.strength",
    "percent_1rm": "failwise.domain.strength",
    "plates_per_side": "failwise.domain.strength",
    "round_to_increment": "failwise.domain.strength",
    "Technique": "failwise.domain.techniques",
    "TechniqueRequest": "failwise.domain.techniques",
    "govern": "failwise.domain.techniques",
    "builtin_catalog": "failwise.services.catalog",
}

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


# Hidden from type checkers, which take the names from the imports above (and so still
# catch a misspelt one).
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module 'failwise' has no attribute {name!r}")
        value = getattr(import_module(home), name)
        globals()[name] = value  # found directly from now on
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})

"""The answers of what the log says: calibration, fatigue, e1RM series, volume and
personal records (see :mod:`failwise.adapters.web.schemas` for what every body shares)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from failwise.adapters.web.schemas import ExerciseRef, FatigueVerdictOut, Out, RangeOut

# --- the models --------------------------------------------------------------------------


class GroupCalibrationOut(Out):
    tests: int
    bias: float
    raw_bias: float
    mae: float
    uncertainty: float


class CalibrationOut(Out):
    tests: int
    history_tests: int = 0
    """Of ``tests``, the calls the lifter's history checks (a set logged with an RIR, then
    later in the session a set to failure at the same load), each counted half a test."""
    bias: float
    """Mean error, actual − called RIR (reps), shrunk toward the population while tests
    are few."""
    raw_bias: float | None
    mae: float | None
    verdict: Literal["accurate", "stops-short", "overshoots", "inconsistent", "untested"]
    description: str
    correction: float
    """Reps to add to a call on a set of 10 reps."""
    correction_by_reps: dict[str, float]
    """Reps to add to a call on a set of 1 to 30 reps, keyed by the reps ("1" to "30"):
    calls are further off in longer sets (Halperin et al. 2022)."""
    uncertainty: float
    by_class: dict[str, GroupCalibrationOut]
    by_distance: dict[str, GroupCalibrationOut]
    last_tested_on: date | None


class FatigueOut(Out):
    at: datetime
    readiness: dict[str, float]
    """0–100% per trained muscle, least ready first; a muscle not listed is fully ready."""
    systemic_fatigue: float
    systemic_readiness: float
    verdict: FatigueVerdictOut


class E1rmPoint(Out):
    date: date
    e1rm: float


class E1rmSeriesOut(Out):
    exercise: ExerciseRef
    unit: Literal["kg", "lb"] = "kg"
    """The unit of every ``e1rm``: the lifter's."""
    points: list[E1rmPoint]


class LandmarksOut(Out):
    """Weekly-set landmarks (coaching heuristics): minimum effective, maximum adaptive
    (a range) and maximum recoverable volume."""

    mev: float
    mav: RangeOut
    mrv: float


class MuscleVolumeOut(Out):
    sets: float
    """Effective sets (proximity-weighted; indirect sets count half)."""
    landmarks: LandmarksOut | None
    zone: Literal["below-mev", "mev", "mav", "above-mav", "above-mrv"] | None


class WeekVolumeOut(Out):
    week: date
    """The Monday the week starts on."""
    muscles: dict[str, MuscleVolumeOut]


class VolumeOut(Out):
    weeks: list[WeekVolumeOut]


# --- personal records ----------------------------------------------------------------


class RecordSetOut(Out):
    """The set that holds a record."""

    set_id: int | None
    logged_at: datetime
    load: float
    """In the record's ``unit``."""
    reps: int
    rir: float | None
    to_failure: bool


class E1rmRecordOut(Out):
    e1rm: float
    """In the record's ``unit``: the RTS chart on reps + RIR (corrected by the lifter's
    calibration; a set without RIR taken at failure)."""
    set: RecordSetOut


class RepRecordOut(Out):
    """The most reps done at one load."""

    load: float
    reps: int
    set: RecordSetOut


class ExerciseRecordsOut(Out):
    """An exercise's personal records, from its working sets (warm-ups set none)."""

    exercise: ExerciseRef
    unit: Literal["kg", "lb"]
    """The lifter's unit: every load and e1RM here is in it."""
    sets: int
    """The working sets the records were read from."""
    e1rm: E1rmRecordOut | None
    heaviest: RecordSetOut | None
    reps: list[RepRecordOut]
    """One per load, heaviest load first."""

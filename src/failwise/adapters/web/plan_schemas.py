"""The plan API's answers: physique analysis, plans and today's session (see
:mod:`failwise.adapters.web.schemas` for what every body shares)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from failwise.adapters.web.schemas import ExerciseRef, Out, RirRangeOut
from failwise.domain.exercises import Muscle

# --- physique, plans and today's session ---------------------------------------------

Failure = Literal["go", "avoid", "never"]


class ProportionOut(Out):
    name: str
    value: float
    reference: float
    ratio_to_reference: float
    source: str


class BalanceOut(Out):
    name: str
    value: float
    reference: float
    source: str


class LaggingOut(Out):
    muscle: Muscle
    score: float
    evidence: list[str]


class PhysiqueOut(Out):
    """Body composition, proportions and lift balance; what is unknown is null or absent."""

    body_fat_pct: float | None
    body_fat_method: Literal["given", "navy"] | None
    lean_mass_kg: float | None
    ffmi: float | None
    normalised_ffmi: float | None
    proportions: list[ProportionOut]
    balance: list[BalanceOut]
    lagging: list[LaggingOut]
    notes: list[str]


class RepRangeOut(Out):
    min: int
    max: int


class PlannedSetOut(Out):
    reps: int
    target_rir: RirRangeOut
    failure: Failure
    technique: str | None
    load_kg: float | None
    reasons: list[str]


class PlannedExerciseOut(Out):
    exercise: ExerciseRef
    rep_range: RepRangeOut
    sets: list[PlannedSetOut]


class PlannedSessionOut(Out):
    name: str
    day_index: int
    minutes: float
    exercises: list[PlannedExerciseOut]


class PlanWeekOut(Out):
    number: int
    deload: bool
    sessions: list[PlannedSessionOut]


class PlanOut(Out):
    """A mesocycle: every week, session, exercise and set, with its target."""

    id: int
    name: str
    created_at: datetime
    request: dict[str, Any]
    """What it was generated from."""
    weeks: list[PlanWeekOut]
    weekly_sets: dict[str, list[float]]
    shortfalls: dict[str, str]


class PlanRef(Out):
    id: int
    name: str


class TodaySetOut(Out):
    planned: str
    """The planned set's key: send it back when logging the set."""
    reps: int
    load: float | None
    """In the session's ``unit``, on the lifter's plates."""
    load_kg: float | None
    target_rir: RirRangeOut
    failure: Failure
    technique: str | None


class TodayExerciseOut(Out):
    exercise: ExerciseRef
    note: str
    sets: list[TodaySetOut]


class TodayOut(Out):
    """Today's planned session, adapted to the log."""

    unit: Literal["kg", "lb"]
    """The lifter's unit: each set's ``load`` is in it."""
    plan: PlanRef
    week: int
    session: str
    key: str
    deload: bool
    early_deload: bool
    fatigue: Literal["not-enough-history", "carry-on", "avoid-failure", "deload"]
    exercises: list[TodayExerciseOut]

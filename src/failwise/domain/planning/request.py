"""What the lifter asks of a plan: :class:`PlanRequest`, its limits and defaults.

A request is checked and coerced when it is made (enum values from their text,
numbers in range), so a plan is only ever generated from a valid one; every
error is an :class:`~failwise.domain.errors.InvalidInput` naming the field.

>>> request = PlanRequest(goal="strength", experience="beginner", days=3, minutes=60)
>>> request.goal, request.accumulation
(<Goal.STRENGTH: 'strength'>, 4)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from failwise.domain.context import Experience
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Muscle
from failwise.domain.stimulus import LANDMARKS, VolumeLandmarks

__all__ = [
    "DEFAULT_ACCUMULATION_WEEKS",
    "LAGGING_ONLY_LANDMARKS",
    "MAINTENANCE_LANDMARKS",
    "MAX_ACCUMULATION_WEEKS",
    "MAX_DAYS",
    "MAX_MINUTES",
    "MAX_SEED",
    "MAX_SET_ADJUSTMENT",
    "MIN_ACCUMULATION_WEEKS",
    "MIN_DAYS",
    "MIN_MINUTES",
    "PLAN_LANDMARKS",
    "Goal",
    "PlanRequest",
]


class Goal(StrEnum):
    """What the lifter trains for."""

    HYPERTROPHY = "hypertrophy"
    STRENGTH = "strength"
    BOTH = "both"


MIN_DAYS, MAX_DAYS = 2, 6
MIN_MINUTES, MAX_MINUTES = 30, 180
MIN_ACCUMULATION_WEEKS, MAX_ACCUMULATION_WEEKS = 4, 6
MAX_SEED = 2**31 - 1
"""Seeds are whole numbers from 0 to this: any tie-break a lifter needs, and storable."""
# RP-style mesocycles run 4–6 accumulation weeks before a deload. A beginner
# starts short: they reach a deload, and fresh e1RMs, sooner while their RIR
# calls are still being learned (the article: beginners misjudge RIR by 3–4
# reps); advanced lifters, whose progress is slower, get the longest ramp.
DEFAULT_ACCUMULATION_WEEKS: Mapping[Experience, int] = {
    Experience.BEGINNER: 4,
    Experience.INTERMEDIATE: 5,
    Experience.ADVANCED: 6,
}

# Glutes, calves, abs and traps are trained at a maintenance dose: 4 weekly
# sets, Pelland et al. 2024's minimum effective dose, held all mesocycle
# (unless the muscle lags: then it ramps through MAV like the others).
# MAV and MRV follow RP's published landmarks (Israetel: calves MAV 12–16,
# MRV 20; abs MAV 16–20, MRV 25; traps MAV 12–20, MRV 26), with the bottom of
# MAV pulled down to 8 so a lagging muscle starts where a dedicated block
# would. Glutes differ: RP's MRV of 16 counts dedicated glute work on top of
# squats and hinges, while failwise counts those squats, lunges and hinges as
# full glute sets (the glutes are a primary mover in them), so a plan with
# quads and hamstrings in their MAV already gives the glutes 12–20 sets; the
# cap sits at 26, the traps' figure, to leave room for that leg work.
MAINTENANCE_LANDMARKS: Mapping[Muscle, VolumeLandmarks] = {
    Muscle.GLUTES: VolumeLandmarks(4, 8, 16, 26),
    Muscle.CALVES: VolumeLandmarks(4, 8, 16, 20),
    Muscle.ABS: VolumeLandmarks(4, 8, 20, 25),
    Muscle.TRAPS: VolumeLandmarks(4, 8, 20, 26),
}
PLAN_LANDMARKS: Mapping[Muscle, VolumeLandmarks] = {**LANDMARKS, **MAINTENANCE_LANDMARKS}
"""The muscles a plan trains by default, with their weekly-set landmarks."""
# Forearms, adductors and the lower back get enough from the lifts above for
# most lifters (every pull and curl grips, squats and lunges load the
# adductors, squats, hinges and rows hold the spine), so a plan gives them no
# sets of their own. When the physique analysis or the lifter flags one as
# lagging, a coach adds direct work a few times a week, as for the
# maintenance muscles: 4 sets as the floor (Pelland et al. 2024's minimum
# effective dose), a ramp from 8 toward 16 (the maintenance muscles' MAV).
# The MRV counts the half sets those lifts already give (Pelland: indirect
# sets as half), so it sits where the traps' does (26) for the forearms and
# the lower back, which every pull or hinge loads, and at the calves' 20 for
# the adductors.
LAGGING_ONLY_LANDMARKS: Mapping[Muscle, VolumeLandmarks] = {
    Muscle.FOREARMS: VolumeLandmarks(4, 8, 16, 26),
    Muscle.ADDUCTORS: VolumeLandmarks(4, 8, 16, 20),
    Muscle.LOWER_BACK: VolumeLandmarks(4, 8, 16, 26),
}
"""Landmarks of the muscles a plan trains directly only when they lag."""
_ALL_LANDMARKS: Mapping[Muscle, VolumeLandmarks] = {**PLAN_LANDMARKS, **LAGGING_ONLY_LANDMARKS}

# Weekly sets a mesocycle outcome may shift a muscle's ramp by, either way.
MAX_SET_ADJUSTMENT = 6.0


@dataclass(frozen=True)
class PlanRequest:
    """What the lifter asks of a plan."""

    goal: Goal
    experience: Experience
    days: int
    """Training days a week, 2 to 6."""
    minutes: int
    """Minutes a session may take, warm-up included: 30 to 180."""
    equipment: frozenset[Equipment] = frozenset(Equipment)
    spotter: bool = False
    """A competent spotter or safety arms are there; the cautious default is no."""
    lagging: frozenset[Muscle] = frozenset()
    """Muscles to prioritise (from the physique analysis, or the lifter's own call).

    Any muscle may lag: one the landmarks leave out is added with its own
    (:data:`PLAN_LANDMARKS`, or :data:`LAGGING_ONLY_LANDMARKS` for the forearms,
    adductors and lower back), so it gets direct work.
    """
    seed: int = 0
    """Breaks ties among equally good exercises: same request and seed, same plan."""
    accumulation_weeks: int | None = None
    """4 to 6; by default 4 for a beginner, 5 intermediate, 6 advanced."""
    e1rms: Mapping[str, float] = field(default_factory=dict)
    """Known estimated 1RMs in kg, by exercise id: the sets of those exercises get loads."""
    landmarks: Mapping[Muscle, VolumeLandmarks] = field(
        default_factory=lambda: dict(PLAN_LANDMARKS)
    )
    """The muscles to train and their weekly-set landmarks."""
    set_adjustments: Mapping[Muscle, float] = field(default_factory=dict)
    """Weekly sets added to (or taken from) a muscle's ramp, learned from earlier mesocycles."""
    preferred: frozenset[str] = frozenset()
    """Exercise ids the lifter trains (from the log): chosen over substitutes of the same
    role, unless the lifter trains alone and the lift can pin them."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "goal", _coerce(Goal, self.goal, "goal"))
        object.__setattr__(self, "experience", _coerce(Experience, self.experience, "experience"))
        _check_days(self.days)
        _check_minutes(self.minutes)
        object.__setattr__(self, "equipment", _equipment(self.equipment))
        object.__setattr__(self, "spotter", bool(self.spotter))
        lagging = frozenset(_coerce(Muscle, muscle, "lagging") for muscle in self.lagging)
        object.__setattr__(self, "lagging", lagging)
        landmarks = _landmarks(self.landmarks)
        for muscle in sorted(lagging - set(landmarks)):
            landmarks[muscle] = _ALL_LANDMARKS[muscle]
        object.__setattr__(self, "landmarks", landmarks)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise InvalidInput(f"seed must be a whole number, not {self.seed!r}", field="seed")
        if not 0 <= self.seed <= MAX_SEED:
            raise InvalidInput(f"seed must be from 0 to {MAX_SEED}, not {self.seed}", field="seed")
        _check_accumulation_weeks(self.accumulation_weeks)
        object.__setattr__(self, "e1rms", _e1rms(self.e1rms))
        object.__setattr__(self, "set_adjustments", _set_adjustments(self.set_adjustments))
        object.__setattr__(self, "preferred", _preferred(self.preferred))

    @property
    def accumulation(self) -> int:
        """Accumulation weeks of the mesocycle (the deload week comes after them)."""
        if self.accumulation_weeks is not None:
            return self.accumulation_weeks
        return DEFAULT_ACCUMULATION_WEEKS[self.experience]


# --- checking and coercing the request's fields --------------------------------


def _coerce(kind: type[StrEnum], value: object, name: str) -> Any:
    """``value`` as a member of ``kind`` (its own value or its text)."""
    try:
        return value if isinstance(value, kind) else kind(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{name} {value!r} is not one of {allowed}", field=name) from None


def _check_days(days: object) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidInput(f"days must be a whole number, not {days!r}", field="days")
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(
            f"a plan has {MIN_DAYS} to {MAX_DAYS} training days a week, not {days}",
            field="days",
        )


def _check_minutes(minutes: object) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise InvalidInput(f"minutes must be a number, not {minutes!r}", field="minutes")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"a session takes {MIN_MINUTES} to {MAX_MINUTES} minutes, not {minutes:g}",
            field="minutes",
        )


def _equipment(items: Iterable[object]) -> frozenset[Equipment]:
    equipment = frozenset(_coerce(Equipment, item, "equipment") for item in items)
    if not equipment:
        raise InvalidInput("name at least one piece of equipment", field="equipment")
    return equipment


def _landmarks(items: Mapping[Muscle, VolumeLandmarks]) -> dict[Muscle, VolumeLandmarks]:
    landmarks = {_coerce(Muscle, muscle, "landmarks"): marks for muscle, marks in items.items()}
    if not landmarks:
        raise InvalidInput("a plan needs at least one muscle to train", field="landmarks")
    for muscle, marks in landmarks.items():
        if not 0 < marks.mev <= marks.mav_low <= marks.mav_high <= marks.mrv:
            raise InvalidInput(
                f"{muscle.value}: landmarks must rise MEV ≤ MAV ≤ MRV, "
                f"not {marks.mev:g}/{marks.mav_low:g}–{marks.mav_high:g}/{marks.mrv:g}",
                field="landmarks",
            )
    return landmarks


def _check_accumulation_weeks(weeks: object) -> None:
    if weeks is not None and (
        isinstance(weeks, bool)
        or not isinstance(weeks, int)
        or not MIN_ACCUMULATION_WEEKS <= weeks <= MAX_ACCUMULATION_WEEKS
    ):
        raise InvalidInput(
            f"a mesocycle has {MIN_ACCUMULATION_WEEKS} to {MAX_ACCUMULATION_WEEKS} "
            f"accumulation weeks, not {weeks!r}",
            field="accumulation_weeks",
        )


def _e1rms(items: Mapping[str, object]) -> dict[str, float]:
    e1rms: dict[str, float] = {}
    for exercise_id, value in items.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise InvalidInput(
                f"e1RM of {exercise_id!r} must be a positive number of kg, not {value!r}",
                field="e1rms",
            )
        e1rms[str(exercise_id)] = float(value)
    return e1rms


def _set_adjustments(items: Mapping[Muscle, object]) -> dict[Muscle, float]:
    adjustments: dict[Muscle, float] = {}
    for muscle, value in items.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(
                f"set adjustment of {muscle} must be a number, not {value!r}",
                field="set_adjustments",
            )
        limited = max(-MAX_SET_ADJUSTMENT, min(MAX_SET_ADJUSTMENT, float(value)))
        adjustments[_coerce(Muscle, muscle, "set_adjustments")] = limited
    return adjustments


def _preferred(items: Iterable[object]) -> frozenset[str]:
    if isinstance(items, str):
        raise InvalidInput(
            f"preferred must be a set of exercise ids, not the text {items!r}", field="preferred"
        )
    preferred: set[str] = set()
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidInput(
                f"preferred exercise ids must be text, not {item!r}", field="preferred"
            )
        preferred.add(item)
    return frozenset(preferred)

"""The training plan: a mesocycle of accumulation weeks and a deload, set by set.

:func:`generate_plan` turns a :class:`PlanRequest` (goal, experience, days and
minutes a week, equipment, spotter, lagging muscles, known e1RMs, a seed) into
a :class:`Plan`: a split that fits the days, exercises from the catalog for the
equipment, weekly sets per muscle ramped between the volume landmarks, and for
every set its target reps, target RIR, failure decision (from
:func:`failwise.domain.decision.prescribe`), intensity technique (within
:func:`failwise.domain.techniques.govern`) and starting load.

How the plan is built, in order:

1. **Split** (:func:`split_for`): 2 or 3 days full body, 4 upper/lower, 5
   upper/lower/push/pull/legs, 6 push/pull/legs twice; every muscle is trained
   at least twice a week, and a lagging muscle gets an isolation exercise in
   every session (specialisation raises frequency).
2. **Exercises**: for each muscle of a session a compound then an isolation
   exercise, chosen from the catalog for the equipment (see
   :func:`_candidate_key` for the order of preference); a seeded hash breaks
   ties among equally good exercises, so the plan is the same for the same
   request and seed.
3. **Volume**: a weekly-set target per muscle ramps across the accumulation
   weeks from MEV (lagging: the bottom of MAV) toward the middle of MAV (by
   experience; lagging: the top of MAV), at most 2 sets a week more, and is
   filled set by set — lagging muscles to MEV first, then the others, then the
   maintenance muscles, then the ramp of the lagging muscles, then the rest —
   never over any muscle's MRV (indirect sets counted as half, Pelland et al.
   2024) or the session's minutes. When time runs short, the muscles filled
   last stay nearest MEV; a muscle left under MEV is listed in
   :attr:`Plan.shortfalls` with the reason.
4. **Effort**: RIR falls across the accumulation weeks
   (:func:`rir_progression`, 3 → 1 on compounds, 3 → 0 on isolation), and is
   clamped into the engine's target range for the set: where the engine asks
   for RIR 0–1 or 1 from the first week (machines, isolation, final sets),
   the target stays there and reaches 0 in the last week on sets that may go
   to failure. The deload week halves the sets and is ``never`` on every set.
5. **Techniques**: drop sets on the final set of one of the last two
   exercises of a session, in the last two accumulation weeks, where the
   governor allows them.
6. **Loads**: from known e1RMs on the RTS chart, rounded to the exercise's step.

>>> from failwise.domain.exercises import Muscle
>>> request = PlanRequest(goal=Goal.HYPERTROPHY, experience=Experience.BEGINNER,
...                       days=3, minutes=60, lagging=frozenset({Muscle.BICEPS}))
>>> request.accumulation, [session.name for session in split_for(3)]
(4, ['Full body A', 'Full body B', 'Full body C'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from failwise.domain.context import Experience, FailurePolicy, Phase, SetContext
from failwise.domain.decision import prescribe
from failwise.domain.effort import RirRange
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Catalog,
    Equipment,
    Exercise,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT, LANDMARKS, VolumeLandmarks
from failwise.domain.strength import estimate_load, round_to_increment
from failwise.domain.techniques import (
    MAX_DROP_SETS_PER_SESSION,
    Technique,
    TechniqueRequest,
    govern,
)

__all__ = [
    "DEFAULT_ACCUMULATION_WEEKS",
    "MAINTENANCE_LANDMARKS",
    "MAX_ACCUMULATION_WEEKS",
    "MAX_SETS_PER_EXERCISE",
    "MIN_ACCUMULATION_WEEKS",
    "PLAN_LANDMARKS",
    "Goal",
    "Plan",
    "PlanExercise",
    "PlanRequest",
    "PlanSession",
    "PlanSet",
    "PlanWeek",
    "SessionTemplate",
    "generate_plan",
    "plan_from_dict",
    "plan_to_dict",
    "rep_range_for",
    "rir_progression",
    "session_minutes",
    "set_minutes",
    "split_for",
    "weekly_frequency",
    "weekly_sets",
]


class Goal(StrEnum):
    """What the lifter trains for."""

    HYPERTROPHY = "hypertrophy"
    STRENGTH = "strength"
    BOTH = "both"


# --- the request -----------------------------------------------------------

MIN_DAYS, MAX_DAYS = 2, 6
MIN_MINUTES, MAX_MINUTES = 30, 180
MIN_ACCUMULATION_WEEKS, MAX_ACCUMULATION_WEEKS = 4, 6
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
    """Muscles to prioritise (from the physique analysis, or the lifter's own call)."""
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

    def __post_init__(self) -> None:
        def coerce(kind: type[StrEnum], value: object, name: str) -> Any:
            try:
                return value if isinstance(value, kind) else kind(str(value))
            except ValueError:
                allowed = ", ".join(member.value for member in kind)
                raise InvalidInput(
                    f"{name} {value!r} is not one of {allowed}", field=name
                ) from None

        object.__setattr__(self, "goal", coerce(Goal, self.goal, "goal"))
        object.__setattr__(self, "experience", coerce(Experience, self.experience, "experience"))
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise InvalidInput(f"days must be a whole number, not {self.days!r}", field="days")
        if not MIN_DAYS <= self.days <= MAX_DAYS:
            raise InvalidInput(
                f"a plan has {MIN_DAYS} to {MAX_DAYS} training days a week, not {self.days}",
                field="days",
            )
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int | float):
            raise InvalidInput(f"minutes must be a number, not {self.minutes!r}", field="minutes")
        if not MIN_MINUTES <= self.minutes <= MAX_MINUTES:
            raise InvalidInput(
                f"a session takes {MIN_MINUTES} to {MAX_MINUTES} minutes, not {self.minutes:g}",
                field="minutes",
            )
        equipment = frozenset(coerce(Equipment, item, "equipment") for item in self.equipment)
        if not equipment:
            raise InvalidInput("name at least one piece of equipment", field="equipment")
        object.__setattr__(self, "equipment", equipment)
        object.__setattr__(self, "spotter", bool(self.spotter))
        landmarks = {
            coerce(Muscle, muscle, "landmarks"): marks for muscle, marks in self.landmarks.items()
        }
        if not landmarks:
            raise InvalidInput("a plan needs at least one muscle to train", field="landmarks")
        for muscle, marks in landmarks.items():
            if not 0 < marks.mev <= marks.mav_low <= marks.mav_high <= marks.mrv:
                raise InvalidInput(
                    f"{muscle.value}: landmarks must rise MEV ≤ MAV ≤ MRV, "
                    f"not {marks.mev:g}/{marks.mav_low:g}–{marks.mav_high:g}/{marks.mrv:g}",
                    field="landmarks",
                )
        object.__setattr__(self, "landmarks", landmarks)
        lagging = frozenset(coerce(Muscle, muscle, "lagging") for muscle in self.lagging)
        untracked = sorted(muscle.value for muscle in lagging - set(landmarks))
        if untracked:
            raise InvalidInput(
                f"the plan sets no volume for {', '.join(untracked)}: a lagging muscle must be "
                f"one of {', '.join(muscle.value for muscle in landmarks)}",
                field="lagging",
            )
        object.__setattr__(self, "lagging", lagging)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise InvalidInput(f"seed must be a whole number, not {self.seed!r}", field="seed")
        weeks = self.accumulation_weeks
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
        e1rms: dict[str, float] = {}
        for exercise_id, value in self.e1rms.items():
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
        object.__setattr__(self, "e1rms", e1rms)
        adjustments: dict[Muscle, float] = {}
        for muscle, value in self.set_adjustments.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(
                    f"set adjustment of {muscle} must be a number, not {value!r}",
                    field="set_adjustments",
                )
            limited = max(-MAX_SET_ADJUSTMENT, min(MAX_SET_ADJUSTMENT, float(value)))
            adjustments[coerce(Muscle, muscle, "set_adjustments")] = limited
        object.__setattr__(self, "set_adjustments", adjustments)

    @property
    def accumulation(self) -> int:
        """Accumulation weeks of the mesocycle (the deload week comes after them)."""
        if self.accumulation_weeks is not None:
            return self.accumulation_weeks
        return DEFAULT_ACCUMULATION_WEEKS[self.experience]


# --- the plan ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanSet:
    """One planned working set."""

    reps: int
    """Target reps."""
    target_rir: RirRange
    """Reps in reserve to stop at: the week's RIR, within the decision engine's range."""
    failure: FailurePolicy
    """The decision engine's call: go, avoid or never."""
    technique: str | None = None
    """An intensity technique after the set (``drop-set``), or None."""
    load_kg: float | None = None
    """Starting load from the lifter's e1RM, rounded to the exercise's step; None if unknown."""
    reasons: tuple[str, ...] = ()
    """Ids of the decision rules that fired, strongest effect first."""


@dataclass(frozen=True, slots=True)
class PlanExercise:
    exercise: Exercise
    sets: tuple[PlanSet, ...]
    rep_range: tuple[int, int]
    """The rep range for double progression: reps climb to the top, then the load goes up."""


@dataclass(frozen=True, slots=True)
class PlanSession:
    name: str
    day_index: int
    """Suggested day of the week, 0 to 6, spacing sessions for recovery."""
    exercises: tuple[PlanExercise, ...]


@dataclass(frozen=True, slots=True)
class PlanWeek:
    number: int
    """1-based; the deload is the last week."""
    deload: bool
    sessions: tuple[PlanSession, ...]


@dataclass(frozen=True)
class Plan:
    weeks: tuple[PlanWeek, ...]
    weekly_sets: dict[Muscle, tuple[float, ...]]
    """Weekly sets per trained muscle, week by week, indirect sets counted as half."""
    shortfalls: dict[Muscle, str] = field(default_factory=dict)
    """Muscles left under their MEV in some accumulation week, with the reason."""


# --- the split ---------------------------------------------------------------

_FULL = frozenset(Muscle)
_UPPER = frozenset(
    {
        Muscle.CHEST,
        Muscle.BACK,
        Muscle.SHOULDERS,
        Muscle.BICEPS,
        Muscle.TRICEPS,
        Muscle.TRAPS,
        Muscle.FOREARMS,
    }
)
_LOWER = frozenset(
    {
        Muscle.QUADS,
        Muscle.HAMSTRINGS,
        Muscle.GLUTES,
        Muscle.CALVES,
        Muscle.ABS,
        Muscle.ADDUCTORS,
        Muscle.LOWER_BACK,
    }
)
_PUSH = frozenset({Muscle.CHEST, Muscle.SHOULDERS, Muscle.TRICEPS})
_PULL = frozenset({Muscle.BACK, Muscle.BICEPS, Muscle.TRAPS, Muscle.FOREARMS})


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    """A session of the split: its name, suggested weekday and the muscles it trains."""

    name: str
    day_index: int
    muscles: frozenset[Muscle]


def split_for(days: int) -> tuple[SessionTemplate, ...]:
    """The split for ``days`` training days a week.

    Every muscle is trained at least twice a week (Schoenfeld et al. 2016: twice
    a week beats once for hypertrophy at equal volume), and the suggested days
    leave 48 hours between sessions of a muscle where the week allows
    (Morán-Navarro et al. 2017: sets to failure need 24–48 h more to recover).

    - 2 days: full body A/B (Mon, Thu);
    - 3 days: full body A/B/C (Mon, Wed, Fri);
    - 4 days: upper/lower twice (Mon, Tue, Thu, Fri);
    - 5 days: upper, lower, push, pull, legs (Mon, Tue, Thu, Fri, Sat);
    - 6 days: push/pull/legs twice (Mon–Sat).

    >>> [(s.name, s.day_index) for s in split_for(4)]
    [('Upper A', 0), ('Lower A', 1), ('Upper B', 3), ('Lower B', 4)]
    """
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(f"a plan has 2 to 6 training days a week, not {days}", field="days")
    if days == 2:
        return (
            SessionTemplate("Full body A", 0, _FULL),
            SessionTemplate("Full body B", 3, _FULL),
        )
    if days == 3:
        return (
            SessionTemplate("Full body A", 0, _FULL),
            SessionTemplate("Full body B", 2, _FULL),
            SessionTemplate("Full body C", 4, _FULL),
        )
    if days == 4:
        return (
            SessionTemplate("Upper A", 0, _UPPER),
            SessionTemplate("Lower A", 1, _LOWER),
            SessionTemplate("Upper B", 3, _UPPER),
            SessionTemplate("Lower B", 4, _LOWER),
        )
    if days == 5:
        return (
            SessionTemplate("Upper", 0, _UPPER),
            SessionTemplate("Lower", 1, _LOWER),
            SessionTemplate("Push", 3, _PUSH),
            SessionTemplate("Pull", 4, _PULL),
            SessionTemplate("Legs", 5, _LOWER),
        )
    return (
        SessionTemplate("Push A", 0, _PUSH),
        SessionTemplate("Pull A", 1, _PULL),
        SessionTemplate("Legs A", 2, _LOWER),
        SessionTemplate("Push B", 3, _PUSH),
        SessionTemplate("Pull B", 4, _PULL),
        SessionTemplate("Legs B", 5, _LOWER),
    )


# --- exercise roles and choice ----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Role:
    """A place for a muscle in a session: its compound, or its isolation exercise."""

    compound: bool
    mechanics: Mechanics | None
    """The mechanics the exercise must have; None accepts either."""
    patterns: tuple[frozenset[Pattern], ...]
    """Acceptable movement patterns, preferred tier first."""

    def tier(self, pattern: Pattern) -> int | None:
        for index, patterns in enumerate(self.patterns):
            if pattern in patterns:
                return index
        return None


def _role(compound: bool, *tiers: set[Pattern]) -> _Role:
    mechanics = Mechanics.COMPOUND if compound else Mechanics.ISOLATION
    return _Role(compound, mechanics, tuple(frozenset(tier) for tier in tiers))


P = Pattern
# Compound first, then isolation (the brief and common coaching: the big lift
# while fresh, isolation to finish the muscle). Lateral raises come before
# rear-delt work (the side delts get little from pressing); squats and leg
# presses before lunges (easier to load and to progress).
_ROLES: Mapping[Muscle, tuple[_Role, ...]] = {
    Muscle.CHEST: (_role(True, {P.HORIZONTAL_PUSH}), _role(False, {P.FLY})),
    Muscle.BACK: (
        _role(True, {P.VERTICAL_PULL, P.HORIZONTAL_PULL}),
        _role(False, {P.PULLOVER}),
    ),
    Muscle.SHOULDERS: (
        _role(True, {P.VERTICAL_PUSH}),
        _role(False, {P.LATERAL_RAISE}, {P.REAR_DELT}),
    ),
    Muscle.QUADS: (
        _role(True, {P.SQUAT, P.LEG_PRESS}, {P.LUNGE}),
        _role(False, {P.KNEE_EXTENSION}),
    ),
    Muscle.HAMSTRINGS: (_role(True, {P.HINGE}), _role(False, {P.KNEE_FLEXION})),
    # Hip thrusts are compounds and kickbacks isolation: either serves the glutes.
    Muscle.GLUTES: (_Role(False, None, (frozenset({P.HIP_THRUST}), frozenset({P.HIP_ABDUCTION}))),),
    Muscle.TRICEPS: (_role(False, {P.TRICEPS_EXTENSION}),),
    Muscle.BICEPS: (_role(False, {P.CURL}),),
    Muscle.TRAPS: (_role(False, {P.SHRUG}),),
    Muscle.CALVES: (_role(False, {P.CALF_RAISE}),),
    Muscle.ABS: (_role(False, {P.CORE}),),
    Muscle.FOREARMS: (_role(False, {P.WRIST}, {P.CURL}),),
    Muscle.ADDUCTORS: (_role(False, {P.HIP_ADDUCTION}),),
    Muscle.LOWER_BACK: (_role(False, {P.HINGE}, {P.CORE}),),
}
del P

# Order in which muscles take sets, biggest first: their compounds give the
# smaller muscles indirect sets (Pelland: half a set each) before those are
# topped up directly.
_FILL_ORDER: tuple[Muscle, ...] = (
    Muscle.QUADS,
    Muscle.HAMSTRINGS,
    Muscle.BACK,
    Muscle.CHEST,
    Muscle.SHOULDERS,
    Muscle.GLUTES,
    Muscle.TRICEPS,
    Muscle.BICEPS,
    Muscle.TRAPS,
    Muscle.CALVES,
    Muscle.ABS,
    Muscle.FOREARMS,
    Muscle.ADDUCTORS,
    Muscle.LOWER_BACK,
)
# Order of exercises within a session: compounds, legs first (the most
# demanding lifts while fresh), then isolation ending with the arms, where
# the article puts drop sets ("isolation exercises at the end of a workout").
_COMPOUND_ORDER: tuple[Muscle, ...] = (
    Muscle.QUADS,
    Muscle.HAMSTRINGS,
    Muscle.CHEST,
    Muscle.BACK,
    Muscle.SHOULDERS,
)
_ISOLATION_ORDER: tuple[Muscle, ...] = (
    Muscle.QUADS,
    Muscle.HAMSTRINGS,
    Muscle.GLUTES,
    Muscle.ADDUCTORS,
    Muscle.LOWER_BACK,
    Muscle.CHEST,
    Muscle.BACK,
    Muscle.SHOULDERS,
    Muscle.TRAPS,
    Muscle.CALVES,
    Muscle.ABS,
    Muscle.FOREARMS,
    Muscle.TRICEPS,
    Muscle.BICEPS,
)

# Built-in exercises a plan does not pick (a lifter can still log them):
# front raises train the front delts, which every press already trains; holds
# and anti-rotation drills are timed, not done for reps near failure.
_NOT_PLANNED = frozenset(
    {
        "dumbbell-front-raise",
        "cable-front-raise",
        "plank",
        "side-plank",
        "copenhagen-plank",
        "dead-bug",
        "cable-pallof-press",
        "band-lateral-walk",
        "superman",
    }
)
# Strength is specific to the lift trained: a strength plan puts the squat,
# bench press, deadlift and overhead press first where the lifter can do them.
_MAIN_LIFTS = frozenset(
    {"barbell-squat", "barbell-bench-press", "barbell-deadlift", "barbell-overhead-press"}
)
# Hypertrophy: the more stable the exercise, the closer to failure it can go
# safely (the article's machine rule), so fixed paths come first, then cables
# and dumbbells, free bars, and last what is hard to load progressively.
_STABILITY: Mapping[Equipment, int] = {
    Equipment.MACHINE: 0,
    Equipment.SMITH_MACHINE: 0,
    Equipment.CABLE: 1,
    Equipment.DUMBBELL: 2,
    Equipment.EZ_BAR: 3,
    Equipment.BARBELL: 3,
    Equipment.TRAP_BAR: 3,
    Equipment.KETTLEBELL: 4,
    Equipment.BODYWEIGHT: 4,
    Equipment.BAND: 5,
}
# Strength: the barbell, where the heaviest loads are lifted and measured,
# then what loads as heavily (machines) before what runs out of weight (dumbbells).
_LOADABILITY: Mapping[Equipment, int] = {
    Equipment.BARBELL: 0,
    Equipment.TRAP_BAR: 1,
    Equipment.MACHINE: 2,
    Equipment.SMITH_MACHINE: 2,
    Equipment.DUMBBELL: 3,
    Equipment.EZ_BAR: 3,
    Equipment.CABLE: 3,
    Equipment.KETTLEBELL: 4,
    Equipment.BODYWEIGHT: 4,
    Equipment.BAND: 5,
}
_FREE_BARS = frozenset({Equipment.BARBELL, Equipment.TRAP_BAR})

_MASK64 = (1 << 64) - 1


def _tie_break(seed: int, exercise_id: str) -> int:
    """A seeded, deterministic pseudo-random rank for ``exercise_id``.

    The domain imports no ``random`` module (it is kept pure, see
    ``tests/test_layering.py``): FNV-1a hashes the id, and a SplitMix64 round
    mixes in the seed. Python's own ``hash`` of a string changes from process
    to process, so it cannot serve.

    >>> _tie_break(1, "cable-curl") == _tie_break(1, "cable-curl")
    True
    >>> _tie_break(1, "cable-curl") != _tie_break(2, "cable-curl")
    True
    """
    value = 0xCBF29CE484222325
    for byte in exercise_id.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & _MASK64
    value = (value + (seed & _MASK64) * 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _candidate_key(
    exercise: Exercise,
    muscle: Muscle,
    role: _Role,
    request: PlanRequest,
    *,
    strength_ranked: bool,
    chosen: Sequence[Exercise],
) -> tuple[int, ...]:
    """How good ``exercise`` is for ``muscle`` in ``role``: lower is better.

    In order: no lift that can pin a lifter training alone (the article: never
    to failure "when training alone without a spotter on risky movements"; a
    safe alternative is taken whenever the equipment offers one); no high injury risk (the
    article: heavy barbell rows, behind-the-neck press); for a beginner, no
    moderate-risk accessory and no free-bar accessory (the main lifts stay);
    the muscle as the exercise's first primary mover; the goal's preference
    (strength: the main lifts, heavy compounds, the barbell; otherwise the most
    stable equipment); variety across the week's sessions for hypertrophy, the
    same main lift for strength; the preferred patterns of the role; and last
    the seeded tie-break.
    """
    beginner = request.experience is Experience.BEGINNER
    alone_risky = int(exercise.needs_spotter and not request.spotter)
    if exercise.injury_risk is InjuryRisk.HIGH:
        risk = 2
    elif exercise.injury_risk is InjuryRisk.MODERATE and beginner and not exercise.heavy_compound:
        risk = 1
    else:
        risk = 0
    beginner_bar = int(
        beginner and exercise.equipment in _FREE_BARS and not exercise.heavy_compound
    )
    focus = 0 if exercise.primary[0] is muscle else 1
    if strength_ranked:
        lift = 0 if exercise.id in _MAIN_LIFTS else 1 if exercise.heavy_compound else 2
        preference = (lift, _LOADABILITY[exercise.equipment])
        variety = 0 if any(e.id == exercise.id for e in chosen) else 1
    else:
        stability = 0 if exercise.fixed_path else _STABILITY[exercise.equipment]
        preference = (0, stability)
        if any(e.id == exercise.id for e in chosen):
            variety = 2
        elif any(e.pattern is exercise.pattern for e in chosen):
            variety = 1
        else:
            variety = 0
    tier = role.tier(exercise.pattern)
    return (
        alone_risky,
        risk,
        beginner_bar,
        focus,
        *preference,
        variety,
        0 if tier is None else tier,
        _tie_break(request.seed, exercise.id),
    )


def _candidates(
    catalog: Catalog, muscle: Muscle, role: _Role, request: PlanRequest
) -> list[Exercise]:
    return [
        exercise
        for exercise in catalog
        if not exercise.custom
        and exercise.id not in _NOT_PLANNED
        and exercise.equipment in request.equipment
        and muscle in exercise.primary
        and (role.mechanics is None or exercise.mechanics is role.mechanics)
        and role.tier(exercise.pattern) is not None
    ]


# --- reps, effort and time ---------------------------------------------------


def rep_range_for(goal: Goal, exercise: Exercise, *, main: bool = False) -> tuple[int, int]:
    """The rep range of an exercise in a plan for ``goal``.

    Strength gains favour heavy loads while growth is similar across loads
    taken near failure (Schoenfeld et al. 2017, J Strength Cond Res): strength
    compounds 3–6 reps, hypertrophy compounds 6–10 and isolation 10–15;
    isolation in a strength plan 8–12 (heavy isolation strains joints more than
    it builds the main lifts). ``both`` trains each muscle's main compound of
    the week (``main``) at 4–6 and everything else for hypertrophy.

    >>> from failwise.domain.exercises import Catalog
    >>> curl = Catalog.from_records([{
    ...     "id": "cable-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
    ...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
    ...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
    ...     "primary": ["biceps"]}]).get("cable-curl")
    >>> rep_range_for(Goal.HYPERTROPHY, curl), rep_range_for(Goal.STRENGTH, curl)
    ((10, 15), (8, 12))
    """
    if exercise.is_isolation:
        return (8, 12) if goal is Goal.STRENGTH else (10, 15)
    if goal is Goal.STRENGTH:
        return (3, 6)
    if goal is Goal.BOTH and main:
        return (4, 6)
    return (6, 10)


def _target_reps(rep_range: tuple[int, int]) -> int:
    # The lower middle of the range: room to add reps (double progression)
    # and room to lose one on a bad day without leaving the range.
    low, high = rep_range
    return low + (high - low) // 2


# RIR at the start of every mesocycle, and where compounds and isolation end:
# RP-style mesocycles go from RIR 3 to 0–1; the article keeps compounds at
# RIR 1–3 and lets isolation reach 0.
START_RIR = 3.0
COMPOUND_FINAL_RIR = 1.0
ISOLATION_FINAL_RIR = 0.0


def rir_progression(weeks: int, mechanics: Mechanics) -> tuple[float, ...]:
    """Target RIR week by week across ``weeks`` accumulation weeks, in half steps.

    >>> rir_progression(4, Mechanics.ISOLATION)
    (3.0, 2.0, 1.0, 0.0)
    >>> rir_progression(5, Mechanics.COMPOUND)
    (3.0, 2.5, 2.0, 1.5, 1.0)
    """
    if weeks < 2:
        raise InvalidInput(f"a RIR progression needs at least 2 weeks, not {weeks}")
    end = COMPOUND_FINAL_RIR if mechanics is Mechanics.COMPOUND else ISOLATION_FINAL_RIR
    values = []
    for index in range(weeks):
        raw = START_RIR - (START_RIR - end) * index / (weeks - 1)
        values.append(math.floor(raw * 2 + 0.5) / 2)
    return tuple(values)


# Minutes a working set takes, rest included. Rest: about 3 minutes after a
# heavy compound or a low-rep set, 2 after other compounds, 90 s after
# isolation (Schoenfeld et al. 2016: 3-minute rests beat 1-minute rests for
# both strength and growth; Grgic et al. 2017: at least 2 minutes for
# multi-joint lifts, 60–90 s can do for single-joint ones); plus ~30 s of work.
HEAVY_SET_MINUTES = 3.5
COMPOUND_SET_MINUTES = 2.5
ISOLATION_SET_MINUTES = 2.0
# Warm-up sets and setting up a station: ramping up to a heavy compound takes
# several sets; an isolation exercise one light set.
HEAVY_EXERCISE_MINUTES = 4.0
COMPOUND_EXERCISE_MINUTES = 2.0
ISOLATION_EXERCISE_MINUTES = 1.0
# A general warm-up before the first exercise.
SESSION_WARM_UP_MINUTES = 5.0
# A drop set adds the change of load and a second run to failure.
DROP_SET_MINUTES = 1.0
# Beyond about 5 hard sets of one exercise in a session, the later sets are
# done in fatigue and give less; more volume goes to another exercise or day
# (a coaching heuristic).
MAX_SETS_PER_EXERCISE = 5
# An exercise worth its warm-up and set-up gets at least 2 working sets.
MIN_SETS_PER_EXERCISE = 2
# RP: add 1–2 sets a week per muscle across a mesocycle.
MAX_RAMP_PER_WEEK = 2.0


def _is_heavy(exercise: Exercise, reps: int) -> bool:
    return not exercise.is_isolation and (exercise.heavy_compound or reps <= 6)


def set_minutes(exercise: Exercise, reps: int) -> float:
    """Minutes a working set of ``exercise`` at ``reps`` takes, rest included."""
    if exercise.is_isolation:
        return ISOLATION_SET_MINUTES
    return HEAVY_SET_MINUTES if _is_heavy(exercise, reps) else COMPOUND_SET_MINUTES


def _exercise_minutes(exercise: Exercise, reps: int) -> float:
    if exercise.is_isolation:
        return ISOLATION_EXERCISE_MINUTES
    return HEAVY_EXERCISE_MINUTES if _is_heavy(exercise, reps) else COMPOUND_EXERCISE_MINUTES


def session_minutes(session: PlanSession) -> float:
    """Estimated minutes of a session: warm-up, warm-up sets, working sets and rests."""
    total = SESSION_WARM_UP_MINUTES if session.exercises else 0.0
    for planned in session.exercises:
        reps = planned.sets[0].reps if planned.sets else _target_reps(planned.rep_range)
        total += _exercise_minutes(planned.exercise, reps)
        for work in planned.sets:
            total += set_minutes(planned.exercise, work.reps)
            if work.technique == Technique.DROP_SET.value:
                total += DROP_SET_MINUTES
    return total


def weekly_frequency(week: PlanWeek) -> dict[Pattern, int]:
    """Sessions of the week that train each movement pattern (for the high-frequency rule)."""
    counts: dict[Pattern, int] = {}
    for session in week.sessions:
        for pattern in {planned.exercise.pattern for planned in session.exercises}:
            counts[pattern] = counts.get(pattern, 0) + 1
    return counts


def weekly_sets(week: PlanWeek, muscles: Sequence[Muscle]) -> dict[Muscle, float]:
    """Sets per muscle in a week: 1 for a primary mover, half for a secondary (Pelland)."""
    totals = dict.fromkeys(muscles, 0.0)
    for session in week.sessions:
        for planned in session.exercises:
            for muscle in planned.exercise.primary:
                if muscle in totals:
                    totals[muscle] += len(planned.sets)
            for muscle in planned.exercise.secondary:
                if muscle in totals:
                    totals[muscle] += INDIRECT_SET_WEIGHT * len(planned.sets)
    return totals


# --- volume ------------------------------------------------------------------

# Where in MAV each experience level peaks (0 = bottom, 1 = top): a beginner
# still grows from little volume, an advanced lifter needs more (RP's
# landmarks rise with training age). A lagging muscle peaks half a MAV higher,
# at the top for intermediate and advanced lifters.
_PEAK_IN_MAV: Mapping[Experience, float] = {
    Experience.BEGINNER: 0.0,
    Experience.INTERMEDIATE: 0.5,
    Experience.ADVANCED: 0.75,
}
_LAGGING_PEAK_BONUS = 0.5


def _volume_ramp(request: PlanRequest, muscle: Muscle) -> tuple[float, ...]:
    """Target weekly sets of ``muscle`` for each accumulation week."""
    marks = request.landmarks[muscle]
    weeks = request.accumulation
    lagging = muscle in request.lagging
    shift = request.set_adjustments.get(muscle, 0.0)
    if muscle in MAINTENANCE_LANDMARKS and not lagging:
        held = min(max(marks.mev + shift, marks.mev), marks.mav_high)
        return (float(held),) * weeks
    position = _PEAK_IN_MAV[request.experience] + (_LAGGING_PEAK_BONUS if lagging else 0.0)
    start = marks.mav_low if lagging else marks.mev
    peak = marks.mav_low + min(position, 1.0) * (marks.mav_high - marks.mav_low)
    start = min(max(start + shift, marks.mev), marks.mav_high)
    peak = min(max(peak + shift, start), marks.mav_high, start + MAX_RAMP_PER_WEEK * (weeks - 1))
    return tuple(
        float(math.ceil(start + (peak - start) * index / (weeks - 1) - 1e-9))
        for index in range(weeks)
    )


@dataclass(frozen=True, slots=True)
class _Slot:
    """An exercise a session may hold, and for which muscle and role."""

    session: int
    muscle: Muscle
    role: _Role
    exercise: Exercise
    rep_range: tuple[int, int]

    @property
    def reps(self) -> int:
        return _target_reps(self.rep_range)


def _build_slots(
    request: PlanRequest, catalog: Catalog, split: Sequence[SessionTemplate]
) -> tuple[list[_Slot], dict[Muscle, bool]]:
    """Every exercise each session may hold, in session order; and which muscles have any."""
    slots: list[_Slot] = []
    chosen: dict[tuple[Muscle, bool], list[Exercise]] = {}
    has_exercise: dict[Muscle, bool] = dict.fromkeys(request.landmarks, False)
    tracked = [muscle for muscle in _FILL_ORDER if muscle in request.landmarks]
    for index, template in enumerate(split):
        in_session: list[_Slot] = []
        used: set[str] = set()
        for muscle in tracked:
            trained = muscle in template.muscles
            if not trained and muscle not in request.lagging:
                continue
            for role in _ROLES[muscle]:
                # Outside its own sessions a lagging muscle gets isolation only.
                if role.compound and not trained:
                    continue
                key = (muscle, role.compound)
                previous = chosen.setdefault(key, [])
                strength_ranked = role.compound and (
                    request.goal is Goal.STRENGTH or (request.goal is Goal.BOTH and not previous)
                )
                options = [
                    exercise
                    for exercise in _candidates(catalog, muscle, role, request)
                    if exercise.id not in used
                ]
                if not options:
                    continue
                best = min(
                    options,
                    key=lambda exercise: _candidate_key(
                        exercise,
                        muscle,
                        role,
                        request,
                        strength_ranked=strength_ranked,
                        chosen=previous,
                    ),
                )
                main = strength_ranked and request.goal is Goal.BOTH
                previous.append(best)
                used.add(best.id)
                has_exercise[muscle] = True
                in_session.append(
                    _Slot(index, muscle, role, best, rep_range_for(request.goal, best, main=main))
                )

        def position(slot: _Slot) -> tuple[int, int]:
            if slot.role.compound:
                return (0, _COMPOUND_ORDER.index(slot.muscle))
            return (1, _ISOLATION_ORDER.index(slot.muscle))

        slots.extend(sorted(in_session, key=position))
    return slots, has_exercise


class _Allocation:
    """Sets per slot for one week, filled set by set within landmarks and minutes."""

    def __init__(self, request: PlanRequest, slots: Sequence[_Slot], sessions: int) -> None:
        self.request = request
        self.slots = slots
        self.counts = [0] * len(slots)
        self.totals: dict[Muscle, float] = dict.fromkeys(request.landmarks, 0.0)
        self.minutes = [0.0] * sessions

    def copy(self) -> _Allocation:
        other = _Allocation(self.request, self.slots, len(self.minutes))
        other.counts = list(self.counts)
        other.totals = dict(self.totals)
        other.minutes = list(self.minutes)
        return other

    def _cost(self, index: int, sets: int) -> float:
        slot = self.slots[index]
        cost = sets * set_minutes(slot.exercise, slot.reps)
        if self.counts[index] == 0:
            cost += _exercise_minutes(slot.exercise, slot.reps)
            if not any(
                self.counts[i] for i, s in enumerate(self.slots) if s.session == slot.session
            ):
                cost += SESSION_WARM_UP_MINUTES
        return cost

    def fits(self, index: int, sets: int) -> bool:
        slot = self.slots[index]
        if self.counts[index] + sets > MAX_SETS_PER_EXERCISE:
            return False
        if self.minutes[slot.session] + self._cost(index, sets) > self.request.minutes + 1e-9:
            return False
        for muscle in slot.exercise.primary:
            marks = self.request.landmarks.get(muscle)
            if marks is not None and self.totals[muscle] + sets > marks.mrv + 1e-9:
                return False
        for muscle in slot.exercise.secondary:
            marks = self.request.landmarks.get(muscle)
            extra = INDIRECT_SET_WEIGHT * sets
            if marks is not None and self.totals[muscle] + extra > marks.mrv + 1e-9:
                return False
        return True

    def add(self, index: int, sets: int) -> None:
        slot = self.slots[index]
        self.minutes[slot.session] += self._cost(index, sets)
        self.counts[index] += sets
        for muscle in slot.exercise.primary:
            if muscle in self.totals:
                self.totals[muscle] += sets
        for muscle in slot.exercise.secondary:
            if muscle in self.totals:
                self.totals[muscle] += INDIRECT_SET_WEIGHT * sets

    def direct(self, muscle: Muscle) -> int:
        """Sets this week of exercises that train ``muscle`` directly."""
        return sum(
            count
            for count, slot in zip(self.counts, self.slots, strict=True)
            if muscle in slot.exercise.primary
        )

    def direct_in_session(self, muscle: Muscle, session: int) -> int:
        return sum(
            count
            for count, slot in zip(self.counts, self.slots, strict=True)
            if slot.session == session and muscle in slot.exercise.primary
        )

    def _options(self, muscle: Muscle, deficit: float) -> list[tuple[int, ...]]:
        options = []
        for index, slot in enumerate(self.slots):
            own = slot.muscle is muscle
            # Another muscle's exercise that trains this one directly (chin-ups
            # for the biceps) serves when the muscle's own exercises are full.
            if not own and muscle not in slot.exercise.primary:
                continue
            count = self.counts[index]
            opening = count == 0
            # Compound sets first; the isolation exercise opens once the
            # compound has 3 sets, and the two then alternate.
            stage = count if slot.role.compound else count + 3
            options.append(
                (
                    int(not own),
                    # A last set goes to an exercise already in the session.
                    int(opening and deficit <= 1),
                    self.direct_in_session(muscle, slot.session),
                    stage,
                    round(self.minutes[slot.session] * 10),
                    index,
                )
            )
        return sorted(options)

    def add_one(self, muscle: Muscle, level: float) -> bool:
        """Add sets for ``muscle``: one to an open exercise, two to open one; False if none fit."""
        for *_, index in self._options(muscle, level - self.totals[muscle]):
            sets = MIN_SETS_PER_EXERCISE if self.counts[index] == 0 else 1
            if self.fits(index, sets):
                self.add(index, sets)
                return True
        return False

    def out_of_time(self, muscle: Muscle) -> bool:
        """Whether every exercise that could add a set for ``muscle`` is stopped by the clock."""
        for *_, index in self._options(muscle, 0.0):
            sets = MIN_SETS_PER_EXERCISE if self.counts[index] == 0 else 1
            session = self.slots[index].session
            if self.minutes[session] + self._cost(index, sets) <= self.request.minutes + 1e-9:
                return False
        return True

    def fill(self, levels: Mapping[Muscle, float]) -> None:
        """Round robin, biggest muscles first, until every muscle reaches its level or is stuck."""
        order = [muscle for muscle in _FILL_ORDER if muscle in levels]
        stuck: set[Muscle] = set()
        progress = True
        while progress:
            progress = False
            for muscle in order:
                if muscle in stuck or self.totals[muscle] >= levels[muscle] - 1e-9:
                    continue
                if self.add_one(muscle, levels[muscle]):
                    progress = True
                else:
                    stuck.add(muscle)


# Times a week is filled again to take back a muscle's overshoot (each pass
# settles most of what is left; two leave nothing worth a set).
REFILLS = 2
_Tiers = tuple[tuple[list[Muscle], dict[Muscle, float]], ...]


def _fill_week(
    previous: _Allocation,
    tiers: _Tiers,
    target: Mapping[Muscle, float],
    lowered: Mapping[Muscle, float],
) -> _Allocation:
    """Last week's sets, plus what this week's tiers add (each muscle's levels ``lowered``)."""
    allocation = previous.copy()
    for group, levels in tiers:
        allocation.fill({m: levels[m] - lowered.get(m, 0.0) for m in group})
    # Whatever the lowering undershot is topped up to the real target.
    allocation.fill(target)
    return allocation


def _allocate(request: PlanRequest, slots: Sequence[_Slot], sessions: int) -> list[_Allocation]:
    """Sets per slot for each accumulation week; each week builds on the one before."""
    muscles = list(request.landmarks)
    ramps = {muscle: _volume_ramp(request, muscle) for muscle in muscles}
    lagging = [m for m in muscles if m in request.lagging]
    main = [m for m in muscles if m not in request.lagging and m not in MAINTENANCE_LANDMARKS]
    kept = [m for m in muscles if m not in request.lagging and m in MAINTENANCE_LANDMARKS]
    weeks: list[_Allocation] = []
    previous = _Allocation(request, slots, sessions)
    for week in range(request.accumulation):
        target = {muscle: ramps[muscle][week] for muscle in muscles}
        mev = {m: min(request.landmarks[m].mev, target[m]) for m in muscles}
        # Lagging muscles reach MEV first, then the others, then the
        # maintenance muscles; then the lagging ramp, then everyone's.
        tiers: _Tiers = (
            (lagging, mev),
            (main, mev),
            (kept, mev),
            (lagging, target),
            (main + kept, target),
        )

        # A muscle topped up directly before the big lifts hand it their
        # indirect half sets ends above its target: fill the week again with
        # its levels lowered by the excess, unless that leaves a muscle worse off.
        lowered: dict[Muscle, float] = {}
        best = _fill_week(previous, tiers, target, lowered)
        for _ in range(REFILLS):
            excess = {
                m: math.floor(best.totals[m] - target[m] + 1e-9)
                for m in muscles
                if best.direct(m) > previous.direct(m)
            }
            excess = {m: value for m, value in excess.items() if value >= 1}
            if not excess:
                break
            for muscle, value in excess.items():
                lowered[muscle] = lowered.get(muscle, 0.0) + value
            candidate = _fill_week(previous, tiers, target, lowered)
            if any(candidate.totals[m] < min(target[m], best.totals[m]) - 1e-9 for m in muscles):
                break
            best = candidate
        weeks.append(best)
        previous = best
    return weeks


# --- effort per set ------------------------------------------------------------


def _clamp(rir: float, allowed: RirRange) -> float:
    return min(max(rir, allowed.low), allowed.high)


def _phase(exercise: Exercise, totals: Mapping[Muscle, float], request: PlanRequest) -> Phase:
    # The article: stay short of failure "during high-volume phases (when total
    # weekly sets are already high)": above the top of MAV, nearing MRV.
    for muscle in exercise.primary:
        marks = request.landmarks.get(muscle)
        if marks is not None and totals.get(muscle, 0.0) > marks.mav_high + 1e-9:
            return Phase.HIGH_VOLUME
    return Phase.NORMAL


@dataclass(frozen=True, slots=True)
class _Draft:
    """A set being planned: its context, the engine's range and the chosen target."""

    context: SetContext
    allowed: RirRange
    failure: FailurePolicy
    reasons: tuple[str, ...]
    target: RirRange


def _draft_week(
    request: PlanRequest,
    slots: Sequence[_Slot],
    counts: Sequence[int],
    *,
    week: int,
    deload: bool,
) -> dict[int, list[_Draft]]:
    frequency: dict[Pattern, set[int]] = {}
    totals: dict[Muscle, float] = dict.fromkeys(request.landmarks, 0.0)
    for slot, count in zip(slots, counts, strict=True):
        if count:
            frequency.setdefault(slot.exercise.pattern, set()).add(slot.session)
            for muscle in slot.exercise.primary:
                if muscle in totals:
                    totals[muscle] += count
            for muscle in slot.exercise.secondary:
                if muscle in totals:
                    totals[muscle] += INDIRECT_SET_WEIGHT * count
    drafts: dict[int, list[_Draft]] = {}
    for index, (slot, count) in enumerate(zip(slots, counts, strict=True)):
        if not count:
            continue
        exercise = slot.exercise
        phase = Phase.DELOAD if deload else _phase(exercise, totals, request)
        progression = rir_progression(request.accumulation, exercise.mechanics)
        sets = []
        for number in range(1, count + 1):
            context = SetContext(
                exercise=exercise,
                set_number=number,
                total_sets=count,
                weekly_frequency=len(frequency[exercise.pattern]),
                phase=phase,
                spotter=request.spotter,
                lagging=request.lagging,
                experience=request.experience,
            )
            decision = prescribe(context)
            if deload:
                # The deload keeps the engine's own easy range (RIR 3–5).
                target = decision.target_rir
            else:
                point = _clamp(progression[week], decision.target_rir)
                target = RirRange(point, point)
            sets.append(
                _Draft(
                    context=context,
                    allowed=decision.target_rir,
                    failure=decision.failure,
                    reasons=tuple(reason.rule for reason in decision.reasons),
                    target=target,
                )
            )
        drafts[index] = sets
    return drafts


def _smooth(weeks: list[dict[int, list[_Draft]]]) -> None:
    """Keep each set's target RIR from rising across the accumulation weeks.

    Sets are matched from the end (the final set with the final set), since
    added sets go in front. A week whose range moved up (a high-volume phase
    begins) would otherwise ask for less effort than the week before; the
    earlier week's target is raised instead, within its own range.
    """
    for week in range(len(weeks) - 2, -1, -1):
        for index, drafts in weeks[week].items():
            later = weeks[week + 1].get(index)
            if not later:
                continue
            for back in range(1, min(len(drafts), len(later)) + 1):
                draft, following = drafts[-back], later[-back]
                if draft.target.low < following.target.low:
                    point = min(following.target.low, draft.allowed.high)
                    if point > draft.target.low:
                        drafts[-back] = _Draft(
                            draft.context,
                            draft.allowed,
                            draft.failure,
                            draft.reasons,
                            RirRange(point, point),
                        )


# --- loads and techniques --------------------------------------------------------


def _load(request: PlanRequest, exercise: Exercise, reps: int, target: RirRange) -> float | None:
    e1rm = request.e1rms.get(exercise.id)
    if e1rm is None:
        return None
    middle = (target.low + target.high) / 2
    load = round_to_increment(estimate_load(e1rm, reps, middle), exercise.increment_kg)
    return max(load, exercise.increment_kg)


# Drop sets belong to the peak of the mesocycle: the last two accumulation
# weeks, when RIR reaches 0–1 (RP-style overreaching), and the article's
# "used sparingly" keeps them there.
DROP_SET_WEEKS = 2


def _place_drop_sets(
    request: PlanRequest,
    exercises: list[tuple[_Slot, list[_Draft], list[PlanSet]]],
    minutes_used: float,
) -> None:
    """Put drop sets on the final set of the last two exercises where the governor allows.

    At most one a session, and a second only on a lagging muscle's exercise
    (the article: "1-2 drop sets per session maximum"); never where the load
    gives nothing to drop (bodyweight and bands).
    """
    done = 0
    for position in range(len(exercises) - 1, max(len(exercises) - 3, -1), -1):
        if done >= MAX_DROP_SETS_PER_SESSION:
            break
        slot, drafts, planned = exercises[position]
        if slot.exercise.equipment in (Equipment.BODYWEIGHT, Equipment.BAND):
            continue
        if done and not (request.lagging & set(slot.exercise.primary)):
            continue
        if minutes_used + DROP_SET_MINUTES > request.minutes + 1e-9:
            break
        final = planned[-1]
        decision = govern(
            TechniqueRequest(
                drafts[-1].context,
                Technique.DROP_SET,
                load=final.load_kg,
                reps=final.reps,
                drop_sets_done=done,
                exercises_left=len(exercises) - 1 - position,
            )
        )
        if not decision.allowed:
            continue
        planned[-1] = PlanSet(
            reps=final.reps,
            target_rir=final.target_rir,
            failure=final.failure,
            technique=Technique.DROP_SET.value,
            load_kg=final.load_kg,
            reasons=final.reasons,
        )
        done += 1
        minutes_used += DROP_SET_MINUTES


# --- the generator ----------------------------------------------------------------


def generate_plan(request: PlanRequest, catalog: Catalog) -> Plan:
    """A mesocycle for ``request``: accumulation weeks, then a deload week.

    Deterministic: the same request (seed included) and catalog give the same plan.
    """
    split = split_for(request.days)
    slots, has_exercise = _build_slots(request, catalog, split)
    allocations = _allocate(request, slots, len(split))
    last = allocations[-1].counts
    # The deload halves the sets (rounded up per exercise, so no exercise
    # vanishes) and keeps every set easy.
    deload_counts = [(count + 1) // 2 for count in last]
    weeks_counts = [allocation.counts for allocation in allocations] + [deload_counts]
    drafts = [
        _draft_week(request, slots, counts, week=week, deload=week == request.accumulation)
        for week, counts in enumerate(weeks_counts)
    ]
    _smooth(drafts[: request.accumulation])

    weeks: list[PlanWeek] = []
    for week, week_drafts in enumerate(drafts):
        deload = week == request.accumulation
        technique_week = not deload and week >= request.accumulation - DROP_SET_WEEKS
        sessions = []
        for index, template in enumerate(split):
            exercises: list[tuple[_Slot, list[_Draft], list[PlanSet]]] = []
            for slot_index, slot in enumerate(slots):
                if slot.session != index or slot_index not in week_drafts:
                    continue
                sets = week_drafts[slot_index]
                planned = [
                    PlanSet(
                        reps=slot.reps,
                        target_rir=draft.target,
                        failure=draft.failure,
                        technique=None,
                        load_kg=_load(request, slot.exercise, slot.reps, draft.target),
                        reasons=draft.reasons,
                    )
                    for draft in sets
                ]
                exercises.append((slot, sets, planned))
            if technique_week and exercises:
                draft_session = PlanSession(
                    template.name,
                    template.day_index,
                    tuple(PlanExercise(s.exercise, tuple(p), s.rep_range) for s, _, p in exercises),
                )
                _place_drop_sets(request, exercises, session_minutes(draft_session))
            sessions.append(
                PlanSession(
                    name=template.name,
                    day_index=template.day_index,
                    exercises=tuple(
                        PlanExercise(slot.exercise, tuple(planned), slot.rep_range)
                        for slot, _, planned in exercises
                    ),
                )
            )
        weeks.append(PlanWeek(number=week + 1, deload=deload, sessions=tuple(sessions)))

    muscles = list(request.landmarks)
    per_week = [weekly_sets(week, muscles) for week in weeks]
    volume = {muscle: tuple(totals[muscle] for totals in per_week) for muscle in muscles}
    shortfalls = {
        muscle: _shortfall(request, muscle, volume[muscle], allocations, has_exercise[muscle])
        for muscle in muscles
        if min(volume[muscle][: request.accumulation]) < request.landmarks[muscle].mev - 1e-9
    }
    return Plan(weeks=tuple(weeks), weekly_sets=volume, shortfalls=shortfalls)


def _shortfall(
    request: PlanRequest,
    muscle: Muscle,
    volume: Sequence[float],
    allocations: Sequence[_Allocation],
    has_exercise: bool,
) -> str:
    """Why ``muscle`` stays under its MEV, in words the lifter can act on."""
    mev = request.landmarks[muscle].mev
    week = min(range(request.accumulation), key=lambda index: volume[index])
    lowest = volume[week]
    if not has_exercise:
        return (
            f"No exercise in the catalog trains {muscle.value} with your equipment: "
            f"{lowest:g} weekly sets from other lifts, under its MEV of {mev:g}."
        )
    if allocations[week].out_of_time(muscle):
        return (
            f"{request.days} sessions of {request.minutes:g} minutes leave room for "
            f"{lowest:g} weekly sets of {muscle.value}, under its MEV of {mev:g}: "
            "more time or days would let it grow, fewer sets still maintain it."
        )
    return (
        f"Your equipment offers too few exercises for {muscle.value} to reach its MEV "
        f"of {mev:g} at {MAX_SETS_PER_EXERCISE} sets an exercise a session: {lowest:g} weekly sets."
    )


# --- JSON ------------------------------------------------------------------------


def _rir_dict(rir: RirRange) -> dict[str, float]:
    return {"min": rir.low, "max": rir.high}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (what the CLI prints and the storage keeps)."""
    return {
        "weeks": [
            {
                "number": week.number,
                "deload": week.deload,
                "sessions": [
                    {
                        "name": session.name,
                        "day_index": session.day_index,
                        "minutes": round(session_minutes(session), 1),
                        "exercises": [
                            {
                                "exercise": {
                                    "id": planned.exercise.id,
                                    "name": planned.exercise.name,
                                },
                                "rep_range": {
                                    "min": planned.rep_range[0],
                                    "max": planned.rep_range[1],
                                },
                                "sets": [
                                    {
                                        "reps": work.reps,
                                        "target_rir": _rir_dict(work.target_rir),
                                        "failure": work.failure.value,
                                        "technique": work.technique,
                                        "load_kg": work.load_kg,
                                        "reasons": list(work.reasons),
                                    }
                                    for work in planned.sets
                                ],
                            }
                            for planned in session.exercises
                        ],
                    }
                    for session in week.sessions
                ],
            }
            for week in plan.weeks
        ],
        "weekly_sets": {muscle.value: list(values) for muscle, values in plan.weekly_sets.items()},
        "shortfalls": {muscle.value: text for muscle, text in plan.shortfalls.items()},
    }


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise InvalidInput(f"plan data: {where} has no {key!r}", field=f"{where}.{key}")
    value = data[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise InvalidInput(f"plan data: {where}.{key} has the wrong type", field=f"{where}.{key}")
    if not isinstance(value, kind):
        raise InvalidInput(f"plan data: {where}.{key} has the wrong type", field=f"{where}.{key}")
    return value


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    return float(_get(data, key, (int, float), where))


def _set_from_dict(data: Mapping[str, Any], where: str) -> PlanSet:
    rir = _get(data, "target_rir", Mapping, where)
    technique = data.get("technique")
    if technique is not None and technique not in {t.value for t in Technique}:
        raise InvalidInput(f"plan data: {where}.technique {technique!r} is unknown")
    load = data.get("load_kg")
    if load is not None and (isinstance(load, bool) or not isinstance(load, int | float)):
        raise InvalidInput(f"plan data: {where}.load_kg must be a number or null")
    reasons = data.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise InvalidInput(f"plan data: {where}.reasons must be a list of rule ids")
    try:
        failure = FailurePolicy(_get(data, "failure", str, where))
    except ValueError:
        raise InvalidInput(f"plan data: {where}.failure is not go, avoid or never") from None
    return PlanSet(
        reps=int(_get(data, "reps", int, where)),
        target_rir=RirRange(
            _number(rir, "min", f"{where}.target_rir"), _number(rir, "max", f"{where}.target_rir")
        ),
        failure=failure,
        technique=technique,
        load_kg=None if load is None else float(load),
        reasons=tuple(reasons),
    )


def plan_from_dict(data: Mapping[str, Any], catalog: Catalog) -> Plan:
    """Read back what :func:`plan_to_dict` wrote; exercises are looked up in ``catalog``.

    Session minutes are not read: they are recomputed from the sets.
    """
    weeks = []
    for w, week in enumerate(_get(data, "weeks", list, "plan")):
        where = f"weeks[{w}]"
        sessions = []
        for s, session in enumerate(_get(week, "sessions", list, where)):
            at = f"{where}.sessions[{s}]"
            exercises = []
            for e, planned in enumerate(_get(session, "exercises", list, at)):
                here = f"{at}.exercises[{e}]"
                exercise = catalog.get(
                    _get(_get(planned, "exercise", Mapping, here), "id", str, here)
                )
                reps = _get(planned, "rep_range", Mapping, here)
                sets = tuple(
                    _set_from_dict(item, f"{here}.sets[{i}]")
                    for i, item in enumerate(_get(planned, "sets", list, here))
                )
                exercises.append(
                    PlanExercise(
                        exercise=exercise,
                        sets=sets,
                        rep_range=(
                            int(_get(reps, "min", int, here)),
                            int(_get(reps, "max", int, here)),
                        ),
                    )
                )
            sessions.append(
                PlanSession(
                    name=_get(session, "name", str, at),
                    day_index=int(_get(session, "day_index", int, at)),
                    exercises=tuple(exercises),
                )
            )
        weeks.append(
            PlanWeek(
                number=int(_get(week, "number", int, where)),
                deload=bool(_get(week, "deload", bool, where)),
                sessions=tuple(sessions),
            )
        )

    def muscle(name: object) -> Muscle:
        try:
            return Muscle(str(name))
        except ValueError:
            raise InvalidInput(f"plan data: {name!r} is not a muscle") from None

    volume = {
        muscle(name): tuple(float(value) for value in values)
        for name, values in _get(data, "weekly_sets", Mapping, "plan").items()
    }
    shortfalls = {muscle(name): str(text) for name, text in data.get("shortfalls", {}).items()}
    return Plan(weeks=tuple(weeks), weekly_sets=volume, shortfalls=shortfalls)

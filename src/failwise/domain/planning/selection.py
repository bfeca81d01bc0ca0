"""Choosing a plan's exercises: each muscle's roles in a session, and the best for each.

For each muscle of a session a compound then an isolation exercise, chosen from
the catalog for the equipment (see :func:`_candidate_key` for the order of
preference); a seeded hash breaks ties among equally good exercises, so the
plan is the same for the same request and seed. Each chosen exercise is a
:class:`Slot` with its rep range (:func:`rep_range_for`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from failwise.domain.context import Experience
from failwise.domain.exercises import (
    Catalog,
    Equipment,
    Exercise,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.planning.plan import target_reps
from failwise.domain.planning.request import Goal, PlanRequest
from failwise.domain.planning.split import SessionTemplate

__all__ = ["FILL_ORDER", "Role", "Slot", "build_slots", "rep_range_for"]


@dataclass(frozen=True, slots=True)
class Role:
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


def _role(compound: bool, *tiers: set[Pattern]) -> Role:
    mechanics = Mechanics.COMPOUND if compound else Mechanics.ISOLATION
    return Role(compound, mechanics, tuple(frozenset(tier) for tier in tiers))


P = Pattern
# Compound first, then isolation (the brief and common coaching: the big lift
# while fresh, isolation to finish the muscle). Lateral raises come before
# rear-delt work (the side delts get little from pressing); squats and leg
# presses before lunges (easier to load and to progress).
_ROLES: Mapping[Muscle, tuple[Role, ...]] = {
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
    Muscle.GLUTES: (Role(False, None, (frozenset({P.HIP_THRUST}), frozenset({P.HIP_ABDUCTION}))),),
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
FILL_ORDER: tuple[Muscle, ...] = (
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
_UNLOADABLE = frozenset({Equipment.BODYWEIGHT, Equipment.BAND})
_REPEAT_PENALTY = _STABILITY[Equipment.BARBELL]

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
    role: Role,
    request: PlanRequest,
    *,
    strength_ranked: bool,
    chosen: Sequence[Exercise],
) -> tuple[int, ...]:
    """How good ``exercise`` is for ``muscle`` in ``role``: lower is better.

    In order: no high injury risk (the article: heavy barbell rows,
    behind-the-neck press); a compound whose load can grow (not bodyweight or
    bands); no lift that can pin a lifter training alone (the article: never
    to failure "when training alone without a spotter on risky movements"; a
    safe, loadable alternative is taken whenever the equipment offers one);
    for a beginner, no moderate-risk accessory and no free-bar accessory (the
    main lifts stay); the muscle as the exercise's first primary mover; an
    exercise the lifter trains (:attr:`PlanRequest.preferred`); the preferred
    patterns of the role; the goal's preference (strength: the main lifts,
    heavy compounds, the barbell; otherwise the most stable equipment); variety
    across the week's sessions for hypertrophy, the same main lift for
    strength; and last the seeded tie-break.
    """
    tier = role.tier(exercise.pattern)
    return (
        *_safety_ranks(exercise, role, request),
        0 if exercise.primary[0] is muscle else 1,  # the muscle as its first mover
        # What the lifter already trains comes before a substitute: the lifts
        # they know, with loads in their log (unless alone and risky, above).
        0 if exercise.id in request.preferred else 1,
        # The movement before the equipment: lateral raises in every shoulder
        # session (the side delts get little from pressing), squats and leg
        # presses before lunges.
        0 if tier is None else tier,
        *_goal_ranks(exercise, role, strength_ranked=strength_ranked, chosen=chosen),
        _tie_break(request.seed, exercise.id),
    )


def _safety_ranks(exercise: Exercise, role: Role, request: PlanRequest) -> tuple[int, ...]:
    """High injury risk, an unloadable compound, a lift that can pin a lifter alone, and a
    beginner's risky or free-bar accessory: each 1 when it holds (lower is better)."""
    beginner = request.experience is Experience.BEGINNER
    # A compound's load must be able to grow with the lifter (double
    # progression adds load): push-ups do not load a 120 kg bencher. Alone,
    # the article's rule is "never to failure" on a lift that can pin, not
    # "never do it": a bench press stopped 2–4 reps short still beats push-ups
    # when nothing loadable is safer.
    unloadable = int(role.compound and exercise.equipment in _UNLOADABLE)
    accessory = beginner and not exercise.heavy_compound
    return (
        int(exercise.injury_risk is InjuryRisk.HIGH),
        unloadable,
        int(exercise.needs_spotter and not request.spotter),
        int(accessory and exercise.injury_risk is InjuryRisk.MODERATE),
        int(accessory and exercise.equipment in _FREE_BARS),
    )


def _goal_ranks(
    exercise: Exercise, role: Role, *, strength_ranked: bool, chosen: Sequence[Exercise]
) -> tuple[int, ...]:
    """The goal's preference, then variety across the week's sessions (lower is better)."""
    again = any(e.id == exercise.id for e in chosen)
    if strength_ranked:
        lift = 0 if exercise.id in _MAIN_LIFTS else 1 if exercise.heavy_compound else 2
        # The same main lift all week, for strength.
        return (lift, _LOADABILITY[exercise.equipment], 0 if again else 1)
    stability = 0 if exercise.fixed_path else _STABILITY[exercise.equipment]
    # The same isolation exercise in two sessions is one movement trained
    # twice a week, which the high-frequency rule holds back from failure;
    # another of the muscle's isolation exercises keeps each final set to
    # failure (a machine curl Monday, a preacher curl Thursday). It yields
    # to a fresh exercise as stable as a free bar, not to what is hard to
    # load (kettlebells, bodyweight, bands).
    if not role.compound and again:
        stability += _REPEAT_PENALTY
    same_pattern = any(e.pattern is exercise.pattern for e in chosen)
    variety = 2 if again else 1 if same_pattern else 0
    return (0, stability, variety)


def _candidates(
    catalog: Catalog, muscle: Muscle, role: Role, request: PlanRequest
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


@dataclass(frozen=True, slots=True)
class Slot:
    """An exercise a session may hold, and for which muscle and role."""

    session: int
    muscle: Muscle
    role: Role
    exercise: Exercise
    rep_range: tuple[int, int]
    own: bool = True
    """The session is one of the muscle's own (legs on a leg day); False for a lagging
    muscle's extra isolation on another day."""

    @property
    def reps(self) -> int:
        return target_reps(self.rep_range)


def build_slots(
    request: PlanRequest, catalog: Catalog, split: Sequence[SessionTemplate]
) -> tuple[list[Slot], dict[Muscle, bool]]:
    """Every exercise each session may hold, in session order; and which muscles have any."""
    slots: list[Slot] = []
    chosen: dict[tuple[Muscle, bool], list[Exercise]] = {}
    has_exercise: dict[Muscle, bool] = dict.fromkeys(request.landmarks, False)
    tracked = [muscle for muscle in FILL_ORDER if muscle in request.landmarks]
    for index, template in enumerate(split):
        in_session: list[Slot] = []
        used: set[str] = set()
        for muscle in tracked:
            trained = muscle in template.muscles
            if not trained and muscle not in request.lagging:
                continue
            for role in _ROLES[muscle]:
                # Outside its own sessions a lagging muscle gets isolation only.
                if role.compound and not trained:
                    continue
                previous = chosen.setdefault((muscle, role.compound), [])
                strength_ranked = role.compound and (
                    request.goal is Goal.STRENGTH or (request.goal is Goal.BOTH and not previous)
                )
                best = _best_exercise(
                    catalog, muscle, role, request, strength_ranked, previous, used
                )
                if best is None:
                    continue
                main = strength_ranked and request.goal is Goal.BOTH
                previous.append(best)
                used.add(best.id)
                has_exercise[muscle] = True
                rep_range = rep_range_for(request.goal, best, main=main)
                in_session.append(Slot(index, muscle, role, best, rep_range, own=trained))
        slots.extend(sorted(in_session, key=_position_in_session))
    return slots, has_exercise


def _best_exercise(
    catalog: Catalog,
    muscle: Muscle,
    role: Role,
    request: PlanRequest,
    strength_ranked: bool,
    chosen: Sequence[Exercise],
    used: set[str],
) -> Exercise | None:
    """The best candidate for ``muscle`` in ``role`` not yet in the session, if any."""
    options = [
        exercise
        for exercise in _candidates(catalog, muscle, role, request)
        if exercise.id not in used
    ]
    if not options:
        return None
    return min(
        options,
        key=lambda exercise: _candidate_key(
            exercise, muscle, role, request, strength_ranked=strength_ranked, chosen=chosen
        ),
    )


def _position_in_session(slot: Slot) -> tuple[int, int]:
    if slot.role.compound:
        return (0, _COMPOUND_ORDER.index(slot.muscle))
    return (1, _ISOLATION_ORDER.index(slot.muscle))

"""Autoregulation: the plan adapts to what the lifter logs.

- :func:`adjust_next` sets the next session's load and reps for an exercise
  from the sets just logged: double progression climbs the rep range, then adds
  the exercise's increment; sets with more in reserve raise the load by the RTS
  chart; sets that made their reps at less reserve than aimed, or a first
  session short of its reps, hold it; a second session short in a row takes
  5–10 % off (DESIGN.md, "Between sessions").
- :func:`volume_adjustment` holds or cuts the weekly sets when the
  accumulated-fatigue verdict says so.
- :func:`needs_early_deload` calls the deload early when fatigue persists.
- :func:`next_mesocycle` writes the next plan request from how the last
  mesocycle went.

>>> from failwise.domain.exercises import Catalog
>>> squat = Catalog.from_records([{
...     "id": "barbell-squat", "name": "Squat (Barbell)", "pattern": "squat",
...     "mechanics": "compound", "equipment": "barbell", "fixed_path": False,
...     "heavy_compound": True, "injury_risk": "moderate", "needs_spotter": True,
...     "primary": ["quads", "glutes"]}]).get("barbell-squat")
>>> planned = ExerciseTargets(reps=5, target_rir=RirRange(2, 2), rep_range=(3, 6))
>>> easy = [Performance(load_kg=100, reps=5, rir=4)] * 3
>>> adjust_next(planned, easy, squat).load_kg  # 2 reps more in reserve: heavier
107.5
>>> hard = [Performance(load_kg=100, reps=5, rir=0)] * 3
>>> adjust_next(planned, hard, squat).load_kg  # the reps, but 2 less in reserve: hold
100
>>> short = [Performance(load_kg=100, reps=4, rir=0)] * 3
>>> adjust_next(planned, short, squat).load_kg  # a rep short: hold, and try again
100
>>> adjust_next(planned, short, squat, missed_before=True).load_kg  # twice: 10 % off
90.0
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from failwise.domain.calibration import RirCorrector
from failwise.domain.detection import FatigueVerdict, Recommendation
from failwise.domain.effort import RirRange, validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, Muscle
from failwise.domain.planning import (
    MAX_ACCUMULATION_WEEKS,
    MIN_ACCUMULATION_WEEKS,
    PlanExercise,
    PlanRequest,
)
from failwise.domain.session import aim_of, uncorrected
from failwise.domain.strength import estimate_e1rm, estimate_load, round_to_increment

__all__ = [
    "DELOAD_VOLUME_FACTOR",
    "ExerciseTargets",
    "MesocycleOutcome",
    "NextTargets",
    "Performance",
    "VolumeAdjustment",
    "adjust_next",
    "adjusted_sets",
    "needs_early_deload",
    "next_mesocycle",
    "volume_adjustment",
]


@dataclass(frozen=True, slots=True)
class Performance:
    """A working set as logged: load, reps, and reps in reserve as the lifter called it."""

    load_kg: float
    reps: int
    rir: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.load_kg) or self.load_kg <= 0:
            raise InvalidInput(
                f"load must be a positive number, not {self.load_kg:g}", field="load"
            )
        if self.reps < 1:
            raise InvalidInput(f"reps must be at least 1, not {self.reps}", field="reps")
        validate_rir(self.rir)


@dataclass(frozen=True, slots=True)
class ExerciseTargets:
    """What an exercise's sets asked for in a session."""

    reps: int
    """Target reps of each set."""
    target_rir: RirRange
    """Reps in reserve the sets should stop at (the span over all the sets)."""
    rep_range: tuple[int, int]
    """The rep range of double progression."""
    load_kg: float | None = None
    """The planned load, when the plan had one."""

    def __post_init__(self) -> None:
        low, high = self.rep_range
        if not 1 <= low <= high:
            raise InvalidInput(f"rep range {low}–{high} is not a range of reps", field="rep_range")
        if self.reps < 1:
            raise InvalidInput(f"target reps must be at least 1, not {self.reps}", field="reps")

    @classmethod
    def of(cls, planned: PlanExercise) -> ExerciseTargets:
        """The targets of a planned exercise: its reps, and the RIR span of its sets."""
        if not planned.sets:
            raise InvalidInput(f"{planned.exercise.name} has no planned sets")
        loads = [work.load_kg for work in planned.sets if work.load_kg is not None]
        return cls(
            reps=planned.sets[0].reps,
            target_rir=RirRange(
                min(work.target_rir.low for work in planned.sets),
                max(work.target_rir.high for work in planned.sets),
            ),
            rep_range=planned.rep_range,
            load_kg=max(loads) if loads else None,
        )


@dataclass(frozen=True, slots=True)
class NextTargets:
    """The next session's targets for an exercise, and why."""

    load_kg: float
    reps: int
    e1rm: float
    """The session's estimated 1RM (kg): the load for any other target follows from it."""
    rule: str
    """``double-progression``, ``missed``, ``missed-again``, ``held``, ``rebased``,
    ``beat`` or ``on-target``."""
    text: str


def _current_load(logged: Sequence[Performance]) -> float:
    # The working load is the heaviest one the lifter used on the exercise.
    return max(work.load_kg for work in logged)


def adjust_next(
    planned: ExerciseTargets | PlanExercise,
    logged: Sequence[Performance],
    exercise: Exercise,
    *,
    corrected: RirCorrector = uncorrected,
    missed_before: bool = False,
    aimed: bool = True,
) -> NextTargets:
    """Next session's load and reps for ``exercise`` from the sets just logged.

    The session's e1RM is the mean of the logged sets' estimates on the RTS
    chart (reps done + RIR called = the set's RM), so the next load for the
    planned reps at the target RIR is ``load × chart(reps + target RIR) /
    chart(reps + logged RIR)``, rounded to the exercise's step. In order:

    - **double-progression** — every set reached the top of the rep range at
      or above the target RIR: reps go back to the bottom and the load goes up
      by the exercise's increment (DESIGN.md: "add the exercise's increment
      next time");
    - **missed** — a set fell short of the target reps: the same load and reps
      again, once;
    - **missed-again** — a set fell short of the target reps, and so did one in
      the session before (``missed_before``): lighter by 5–10 % (DESIGN.md:
      "after two sessions missed, drop 5–10 %"), where the chart puts the load
      for the target reps inside that span, and by at least one step;
    - **held** — every set made its reps, but harder than the target RIR on
      average: the same load and reps again (DESIGN.md: "when the aim was
      exceeded, hold"). One more rep at one less in reserve is the same effort
      on the chart, and a single hard day is no reason to back off;
    - **rebased** — sets that were not done against these targets (``aimed``
      false: imported history, or RIR tests taken to failure on purpose) had no
      aim to exceed and no reps to miss: when they were harder or shorter than
      the targets, the chart reads their effort and gives the load for the
      targets (at least one step lighter);
    - **beat** — the target reps at more reserve than the target on average:
      heavier (at least one step);
    - **on-target** — same load, one more rep (double progression's rep step).

    ``corrected`` maps a called RIR to the lifter's true one (their calibration):
    the same correction reads the e1RM and sets the load, so a session that met
    its aim gives its load back. It is given each set's reps, and the reps the
    load is for, since calls are further off in longer sets.
    """
    targets = ExerciseTargets.of(planned) if isinstance(planned, PlanExercise) else planned
    if not logged:
        raise InvalidInput(f"log at least one working set of {exercise.name} to adjust it")
    step = exercise.increment_kg
    aim = aim_of(targets.target_rir)
    e1rm = statistics.fmean(
        estimate_e1rm(w.load_kg, w.reps, corrected(w.rir, w.reps)) for w in logged
    )

    def chart_load(reps: int) -> float:
        return round_to_increment(estimate_load(e1rm, reps, corrected(aim, reps)), step)

    return _next_targets(
        targets, logged, e1rm, chart_load, step, missed_before=missed_before, aimed=aimed
    )


# After two sessions short of their reps, the load comes down by 5–10 % (DESIGN.md,
# "Between sessions": "after two sessions missed, drop 5–10 %").
MISSED_DROP_LOW = 0.05
MISSED_DROP_HIGH = 0.10


def _dropped(current: float, chart: float, step: float) -> float:
    """The load after two sessions short: ``chart`` (the chart's load for the target reps)
    kept to the plate steps 5–10 % under ``current``; where no step falls in that span (a
    light load), one step down; never below one step."""
    lightest = math.ceil(round(current * (1 - MISSED_DROP_HIGH) / step, 6)) * step
    heaviest = math.floor(round(current * (1 - MISSED_DROP_LOW) / step, 6)) * step
    dropped = min(max(chart, lightest), heaviest) if lightest <= heaviest else current - step
    return max(round(min(dropped, current - step), 6), step)


def _next_targets(
    targets: ExerciseTargets,
    logged: Sequence[Performance],
    e1rm: float,
    chart_load: Callable[[int], float],
    step: float,
    *,
    missed_before: bool,
    aimed: bool,
) -> NextTargets:
    """The outcome :func:`adjust_next` lists, from the session's e1RM and its sets."""
    current = _current_load(logged)
    mean_rir = statistics.fmean(work.rir for work in logged)
    low, high = targets.rep_range
    if all(w.reps >= high and w.rir >= targets.target_rir.low for w in logged):
        return NextTargets(
            round(current + step, 6),
            low,
            e1rm,
            "double-progression",
            f"Every set reached {high} reps, the top of {low}–{high}: "
            f"add one step of load and start again at {low} reps.",
        )
    short = any(w.reps < targets.reps for w in logged)
    if not aimed and (short or mean_rir < targets.target_rir.low):
        load = max(min(chart_load(targets.reps), round(current - step, 6)), step)
        return NextTargets(
            load,
            targets.reps,
            e1rm,
            "rebased",
            f"Last time was harder than {targets.reps} reps at {targets.target_rir} (you "
            f"averaged RIR {round(mean_rir, 1):g}): a lighter load for that effort.",
        )
    if short:
        if not missed_before:
            return NextTargets(
                current,
                targets.reps,
                e1rm,
                "missed",
                f"A set fell short of the plan ({targets.reps} reps at "
                f"{targets.target_rir}): the same load next time, to make the reps; "
                "a second session short takes 5–10 % off.",
            )
        return NextTargets(
            _dropped(current, chart_load(targets.reps), step),
            targets.reps,
            e1rm,
            "missed-again",
            f"Two sessions in a row short of the plan ({targets.reps} reps at "
            f"{targets.target_rir}): a lighter load next time to land on target.",
        )
    if mean_rir < targets.target_rir.low:
        return NextTargets(
            current,
            targets.reps,
            e1rm,
            "held",
            f"Every set made its {targets.reps} reps, but harder than planned (you "
            f"averaged RIR {round(mean_rir, 1):g} against {targets.target_rir}): "
            f"keep the load and aim for {targets.reps} reps at {targets.target_rir} again.",
        )
    if mean_rir > targets.target_rir.high:
        load = max(chart_load(targets.reps), round(current + step, 6))
        return NextTargets(
            load,
            targets.reps,
            e1rm,
            "beat",
            f"You had more in reserve than planned (RIR {round(mean_rir, 1):g} against "
            f"{targets.target_rir}): a heavier load next time.",
        )
    reps = min(targets.reps + 1, high)
    return NextTargets(
        current,
        reps,
        e1rm,
        "on-target",
        f"On target: keep the load and aim for {reps} reps.",
    )


# --- volume and deloads ---------------------------------------------------------

# A deload verdict cuts the coming week's sets by a third (RP-style: back
# toward MEV while fatigue clears, without a full deload yet).
DELOAD_VOLUME_FACTOR = 2 / 3


@dataclass(frozen=True, slots=True)
class VolumeAdjustment:
    """What the fatigue verdict does to next week's planned sets."""

    factor: float
    """Multiply the planned sets by this."""
    ramp: bool
    """Whether the week's planned increase goes ahead (False: hold last week's sets)."""
    reason: str


def volume_adjustment(verdict: FatigueVerdict) -> VolumeAdjustment:
    """Hold or cut next week's sets on the fatigue verdict.

    ``carry-on`` (and ``not-enough-history``) keeps the plan's ramp;
    ``avoid-failure`` (one sign) holds the sets where they are, since adding
    volume to a lifter already showing fatigue digs the hole deeper;
    ``deload`` (two or more signs) cuts them by a third.
    """
    if verdict.recommendation is Recommendation.NOT_ENOUGH_HISTORY:
        return VolumeAdjustment(1.0, True, "Too little history to judge fatigue: the ramp goes on.")
    if verdict.recommendation is Recommendation.CARRY_ON:
        return VolumeAdjustment(1.0, True, "No sign of accumulated fatigue: the ramp goes on.")
    if verdict.recommendation is Recommendation.AVOID_FAILURE:
        return VolumeAdjustment(
            1.0, False, "One sign of accumulated fatigue: hold last week's sets, add none."
        )
    return VolumeAdjustment(
        DELOAD_VOLUME_FACTOR,
        False,
        "Several signs of accumulated fatigue: a third fewer sets until they clear.",
    )


def adjusted_sets(planned: int, held: int, adjustment: VolumeAdjustment) -> int:
    """Sets of an exercise next week: ``planned`` by the plan, ``held`` = last week's.

    >>> cut = VolumeAdjustment(DELOAD_VOLUME_FACTOR, False, "")
    >>> adjusted_sets(4, 3, cut)
    2
    """
    base = planned if adjustment.ramp else min(planned, held)
    return max(1, math.floor(base * adjustment.factor + 0.5)) if base else 0


# Two weeks in a row with a sign of fatigue, or a deload verdict twice, is
# no longer a bad day: the accumulated fatigue persists (the article: never
# train to failure "when you're already showing signs of accumulated fatigue").
PERSISTENT_WEEKS = 2


def needs_early_deload(verdicts: Sequence[FatigueVerdict]) -> bool:
    """Whether to deload before the mesocycle's last accumulation week.

    ``verdicts`` are this mesocycle's weekly verdicts (any order). Persistent
    fatigue is the last two weekly verdicts both showing fatigue
    (``avoid-failure`` or ``deload``), or a ``deload`` verdict in two weeks,
    consecutive or not.

    >>> from datetime import datetime
    >>> def week(day, kind):
    ...     return FatigueVerdict(Recommendation(kind), (), datetime(2026, 3, day))
    >>> needs_early_deload([week(2, "carry-on"), week(9, "avoid-failure")])
    False
    >>> needs_early_deload([week(2, "avoid-failure"), week(9, "avoid-failure")])
    True
    """
    ordered = sorted(verdicts, key=lambda verdict: verdict.at)
    recent = ordered[-PERSISTENT_WEEKS:]
    if len(recent) == PERSISTENT_WEEKS and all(verdict.fatigued for verdict in recent):
        return True
    deloads = sum(verdict.recommendation is Recommendation.DELOAD for verdict in ordered)
    return deloads >= PERSISTENT_WEEKS


# --- the next mesocycle ---------------------------------------------------------

# Weekly sets a muscle's ramp moves by from one mesocycle to the next (RP:
# adjust the starting volume by a set or two per muscle from how it responded).
SET_STEP = 2.0


@dataclass(frozen=True, slots=True)
class MesocycleOutcome:
    """How a mesocycle went, as the next plan needs it."""

    weeks_completed: int
    """Accumulation weeks done before the deload."""
    early_deload: bool
    """The deload came early because fatigue persisted."""
    e1rms: Mapping[str, float] = field(default_factory=dict)
    """The latest e1RM per exercise id (kg)."""
    progressed: frozenset[Muscle] = frozenset()
    """Muscles whose lifts gained e1RM or reps over the mesocycle."""
    stalled: frozenset[Muscle] = frozenset()
    """Muscles whose lifts did not."""

    def __post_init__(self) -> None:
        if self.weeks_completed < 0:
            raise InvalidInput(
                f"weeks completed must be 0 or more, not {self.weeks_completed}",
                field="weeks_completed",
            )
        both = self.progressed & self.stalled
        if both:
            names = ", ".join(sorted(muscle.value for muscle in both))
            raise InvalidInput(f"{names} cannot have both progressed and stalled")


def next_mesocycle(previous: PlanRequest, outcome: MesocycleOutcome) -> PlanRequest:
    """The request for the next mesocycle, from the last one's request and outcome.

    - An early deload means the ramp outran recovery: one accumulation week
      fewer, and the muscles that stalled start :data:`SET_STEP` sets lower.
    - A mesocycle run to the end: muscles that stalled while recovering well
      get :data:`SET_STEP` more sets (they need more stimulus); muscles that
      progressed keep their volume (what works is not changed). A lifter who
      recovered through the whole ramp gets a week more, up to the maximum.
    - The latest e1RMs replace the old ones; the seed moves on by one so the
      exercise choice may vary between mesocycles.

    >>> from failwise.domain.context import Experience
    >>> from failwise.domain.planning import Goal
    >>> before = PlanRequest(goal=Goal.HYPERTROPHY, experience=Experience.INTERMEDIATE,
    ...                      days=4, minutes=60, seed=7)
    >>> after = next_mesocycle(before, MesocycleOutcome(
    ...     weeks_completed=3, early_deload=True, stalled=frozenset({Muscle.CHEST})))
    >>> after.accumulation, after.set_adjustments[Muscle.CHEST], after.seed
    (4, -2.0, 8)
    """
    adjustments = dict(previous.set_adjustments)
    weeks = previous.accumulation
    if outcome.early_deload:
        weeks = max(MIN_ACCUMULATION_WEEKS, weeks - 1)
        for muscle in outcome.stalled:
            adjustments[muscle] = adjustments.get(muscle, 0.0) - SET_STEP
    else:
        for muscle in outcome.stalled:
            adjustments[muscle] = adjustments.get(muscle, 0.0) + SET_STEP
        if outcome.weeks_completed >= weeks:
            weeks = min(MAX_ACCUMULATION_WEEKS, weeks + 1)
    return replace(
        previous,
        accumulation_weeks=weeks,
        e1rms={**previous.e1rms, **outcome.e1rms},
        set_adjustments={m: v for m, v in adjustments.items() if m in previous.landmarks},
        seed=previous.seed + 1,
    )

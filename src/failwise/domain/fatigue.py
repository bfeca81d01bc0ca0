"""What a set costs: acute fatigue, recovery time, and each muscle's readiness over time.

The fatigue of a set is its acute performance loss, in percent, on the scale
of Refalo et al. 2023 (bench velocity loss after sets to failure, RIR 1 and
RIR 3: about 25%, 13% and 8%). The curve through those three points is convex
in proximity to failure: the last one or two reps carry most of the fatigue.

It has two parts:

- **local** — the muscles that did the work; longer sets cost more;
- **systemic** — neural and whole-body; heavier loads and heavy compounds cost more.

The reference set — a heavy compound with a 10RM load (73.9% of 1RM on the
RTS chart), stopped at some RIR — costs exactly the Refalo figures in both
parts.

>>> from failwise.domain.exercises import Catalog
>>> round(proximity_cost(0), 1), round(proximity_cost(1), 1), round(proximity_cost(3), 1)
(25.0, 13.0, 8.0)
>>> round(recovery_hours(proximity_cost(0)) / recovery_hours(proximity_cost(3)), 1)
2.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, ExerciseClass, Muscle, class_of
from failwise.domain.stimulus import WorkSet, set_stimulus
from failwise.domain.strength import chart_percent, percent_1rm, reps_to_failure
from failwise.domain.techniques import Technique

# Refalo et al. 2023 (Sports Med Open): acute velocity loss 25% at failure,
# 13% at RIR 1, 8% at RIR 3, with the same load: the reference set does
# 10 − RIR reps. Dividing out those reps (the square root of reps done, below)
# leaves a per-proximity curve fitted exactly by a + b·e^(−k·RIR): with
# u = e^(−k), b(1 − u) = c0 − c1 and b·u(1 − u²) = c1 − c3.
REFALO_LOSS = {0.0: 25.0, 1.0: 13.0, 3.0: 8.0}
REFERENCE_REPS_TO_FAILURE = 10.0


def _reps_factor(reps: float) -> float:
    # Longer sets cost the muscle more, with diminishing returns.
    return math.sqrt(reps / REFERENCE_REPS_TO_FAILURE)


_C0, _C1, _C3 = (
    REFALO_LOSS[rir] / _reps_factor(REFERENCE_REPS_TO_FAILURE - rir) for rir in (0.0, 1.0, 3.0)
)
_U = (-1.0 + math.sqrt(1.0 + 4.0 * (_C1 - _C3) / (_C0 - _C1))) / 2.0
_K = -math.log(_U)
_B = (_C0 - _C1) / (1.0 - _U)
_A = _C0 - _B

# The reference set's load: a 10RM on the RTS chart (73.9% of 1RM).
REFERENCE_LOAD_PCT = percent_1rm(10, 0, "rts")

# Systemic (neural) cost by kind of exercise, relative to a heavy compound.
# The article: "Training to failure on heavy compounds is extremely taxing on
# the nervous system"; isolation and machine work much less so.
SYSTEMIC_BY_KIND = {
    ExerciseClass.HEAVY_COMPOUND: 1.0,
    ExerciseClass.FREE_COMPOUND: 0.6,
    ExerciseClass.MACHINE_COMPOUND: 0.45,
    ExerciseClass.ISOLATION: 0.2,
}

# Absolute failure — going past initial failure — costs more again (the
# article: "Absolute failure involves extreme fatigue and has different
# recovery implications"). Multipliers on the set's cost: a drop set adds most
# of a second failure set at a lighter load, rest-pause a few more reps at
# failure, forced reps assisted reps past muscular failure.
TECHNIQUE_MULTIPLIER = {
    Technique.DROP_SET: 1.5,
    Technique.REST_PAUSE: 1.4,
    Technique.FORCED_REPS: 1.6,
}

# Recovery time, affine in fatigue, anchored so that for the reference set
# failure takes 2.5× as long as stopping at RIR 3 (the article: "2-3 times
# longer") and 36 h longer (Morán-Navarro et al. 2017: 24–48 h longer): RIR 3
# recovers in 24 h, failure in 60 h.
_RECOVERY_SLOPE = (60.0 - 24.0) / (25.0 - 8.0)
_RECOVERY_BASE = 24.0 - _RECOVERY_SLOPE * 8.0
# Recovery is exponential; the recovery time is when 95% of the loss is gone.
_RESIDUAL_AT_RECOVERY = 0.05


def _proximity(rir: float) -> float:
    """Loss per unit of set length at ``rir``: convex, falling as RIR grows."""
    return _A + _B * math.exp(-_K * validate_rir(rir))


def proximity_cost(rir: float) -> float:
    """Acute performance loss (%) of the reference set stopped at ``rir`` (RIR < 10)."""
    reps = REFERENCE_REPS_TO_FAILURE - validate_rir(rir)
    if reps < 1:
        raise InvalidInput(f"the reference set has no reps left to do at RIR {rir:g}")
    return _proximity(rir) * _reps_factor(reps)


def recovery_hours(fatigue: float) -> float:
    """Hours until 95% of a set's fatigue is gone."""
    if not math.isfinite(fatigue) or fatigue < 0:
        raise InvalidInput(f"fatigue must be zero or more, not {fatigue:g}")
    return _RECOVERY_BASE + _RECOVERY_SLOPE * fatigue


def estimated_load_pct(reps: int, rir: float) -> float:
    """%1RM for reps at RIR, from the RTS chart (continued past its end)."""
    return chart_percent(reps_to_failure(reps, rir))


@dataclass(frozen=True, slots=True)
class SetCost:
    """What one set costs and gives."""

    local: float
    """Acute performance loss (%) of the muscles that did the work."""
    systemic: float
    """Acute neural and whole-body performance loss (%)."""
    stimulus: float
    """Growth stimulus (Robinson et al. 2024 units, 8.77 at failure)."""
    recovery_hours: float
    """Hours until 95% of the fatigue is gone."""

    @property
    def fatigue(self) -> float:
        """Local and systemic fatigue, weighted equally."""
        return (self.local + self.systemic) / 2.0

    @property
    def stimulus_to_fatigue(self) -> float:
        return self.stimulus / self.fatigue


def set_cost(
    reps: int,
    rir: float,
    *,
    load_pct: float | None = None,
    exercise: Exercise | None = None,
    technique: Technique | None = None,
) -> SetCost:
    """The cost of ``reps`` at ``rir``; ``exercise=None`` is the reference heavy compound.

    >>> failure, short = set_cost(8, 0), set_cost(8, 3)
    >>> failure.fatigue > short.fatigue and failure.stimulus > short.stimulus
    True
    >>> short.stimulus_to_fatigue > failure.stimulus_to_fatigue
    True
    """
    reps_to_failure(reps, rir)  # validates reps and RIR
    if load_pct is None:
        load_pct = estimated_load_pct(reps, rir)
    if not math.isfinite(load_pct) or not 0 < load_pct <= 100:
        raise InvalidInput(f"load must be between 0 and 100% of 1RM, not {load_pct:g}%")
    local = _proximity(rir) * _reps_factor(reps)
    # Heavier loads cost the nervous system more (bounded both ways).
    neural = min(1.4, max(0.5, load_pct / REFERENCE_LOAD_PCT))
    # No exercise is the reference set: a heavy compound.
    kind = ExerciseClass.HEAVY_COMPOUND if exercise is None else class_of(exercise)
    systemic = local * neural * SYSTEMIC_BY_KIND[kind]
    stimulus = set_stimulus(rir, reps=reps, load_pct=load_pct)
    if technique is not None:
        multiplier = TECHNIQUE_MULTIPLIER[technique]
        local, systemic = local * multiplier, systemic * multiplier
    fatigue = (local + systemic) / 2.0
    return SetCost(
        local=local,
        systemic=systemic,
        stimulus=stimulus,
        recovery_hours=recovery_hours(fatigue),
    )


def work_cost(work: WorkSet, technique: Technique | None = None) -> SetCost:
    return set_cost(
        work.reps,
        work.rir,
        load_pct=work.load_pct,
        exercise=work.exercise,
        technique=technique,
    )


def stimulus_to_fatigue(sets: Iterable[WorkSet]) -> float:
    """Stimulus-to-fatigue ratio of a session or a week of sets (0 when empty)."""
    stimulus = fatigue = 0.0
    for work in sets:
        cost = work_cost(work)
        stimulus += cost.stimulus
        fatigue += cost.fatigue
    return stimulus / fatigue if fatigue else 0.0


@dataclass(frozen=True, slots=True)
class TimedSet:
    """A set with the moment it was done."""

    performed_at: datetime
    work: WorkSet
    technique: Technique | None = None


def _residual(cost: float, hours: float, elapsed_hours: float) -> float:
    # Exponential recovery with 95% gone at `hours`: tau = hours / ln(20).
    tau = hours / math.log(1.0 / _RESIDUAL_AT_RECOVERY)
    return cost * math.exp(-elapsed_hours / tau)


@dataclass(frozen=True, slots=True)
class RecoveryState:
    """Each muscle's readiness and the systemic fatigue at one moment."""

    at: datetime
    readiness: dict[Muscle, float]
    """0–100% per muscle trained in the history; a muscle not listed is fully ready."""
    systemic_readiness: float

    @property
    def systemic_fatigue(self) -> float:
        return 100.0 - self.systemic_readiness

    def muscle(self, muscle: Muscle) -> float:
        return self.readiness.get(muscle, 100.0)


def recovery_state(sets: Iterable[TimedSet], at: datetime) -> RecoveryState:
    """Readiness of every trained muscle at ``at``; sets after ``at`` are ignored.

    Residual losses combine multiplicatively (three sets each leaving 10% leave
    the muscle at 0.9³ = 72.9%), so readiness stays within 0–100% and rises
    monotonically while no new set is done. Secondary muscles take half the
    local cost (Pelland et al. 2024: indirect sets count half).
    """
    readiness: dict[Muscle, float] = {}
    systemic = 1.0
    for timed in sets:
        elapsed = (at - timed.performed_at).total_seconds() / 3600.0
        if elapsed < 0:
            continue
        cost = work_cost(timed.work, timed.technique)
        hours = cost.recovery_hours
        local_left = _residual(cost.local, hours, elapsed) / 100.0
        systemic *= 1.0 - _residual(cost.systemic, hours, elapsed) / 100.0
        exercise = timed.work.exercise
        for muscle in exercise.primary:
            readiness[muscle] = readiness.get(muscle, 1.0) * (1.0 - local_left)
        for muscle in exercise.secondary:
            readiness[muscle] = readiness.get(muscle, 1.0) * (1.0 - local_left / 2.0)
    return RecoveryState(
        at=at,
        readiness={muscle: 100.0 * value for muscle, value in readiness.items()},
        systemic_readiness=100.0 * systemic,
    )

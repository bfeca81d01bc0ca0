"""What a set costs: acute fatigue, recovery time, and each muscle's readiness over time.

The fatigue of a set is its acute performance loss, in percent, on the scale
of Refalo et al. 2023 (bench velocity loss after sets to failure, RIR 1 and
RIR 3 with the same load: about 25%, 13% and 8%). Each rep costs according to
how close to failure it is, so the last reps carry the fatigue and a set that
stops far from failure costs little.

It has two parts:

- **local** — the muscles that did the work;
- **systemic** — neural and whole-body; heavier loads and heavy compounds cost more.

The reference set — a heavy compound with a 10RM load (73.9% of 1RM on the
RTS chart), stopped at some RIR — costs exactly the Refalo figures in both
parts.

Recovery takes time in proportion to the fatigue, so the sets of a session
add up: three reference sets to failure (Morán-Navarro et al. 2017's failure
session) take 48 h, one of them 16 h.

>>> round(proximity_cost(0), 1), round(proximity_cost(1), 1), round(proximity_cost(3), 1)
(25.0, 13.0, 8.0)
>>> round(set_cost(10, 0).recovery_hours, 1), round(set_cost(10, 10).fatigue, 1)
(16.0, 2.1)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, ExerciseClass, Muscle, class_of
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT, WorkSet, set_stimulus
from failwise.domain.strength import chart_percent, percent_1rm, reps_to_failure
from failwise.domain.techniques import Technique

# Refalo et al. 2023 (Sports Med Open): acute velocity loss 25% at failure,
# 13% at RIR 1, 8% at RIR 3, with the same load: the reference set does
# 10 − RIR reps, so it stops with RIR reps in reserve after reps that each had
# d = RIR, RIR + 1, …, 9 reps in reserve. The differences of Refalo's figures
# are what reps cost by their distance d from failure:
#   the rep at failure (d = 0)          25 − 13 = 12
#   the reps at d = 1 and 2             13 −  8 =  5
#   the reps at d = 3 … 9                          8
# A rep with d in reserve costs C·v^d, the rep at failure S more on top (the
# article: the last 1–2 reps carry disproportionate fatigue). Then
# C(v + v²) = 5 and C(v³ + … + v⁹) = 8 give v and C; S = 12 − C. Beyond
# d = 9, outside Refalo's range, the same decay continues (a modelling
# assumption): a rep 10 or more from failure costs little.
REFALO_LOSS = {0.0: 25.0, 1.0: 13.0, 3.0: 8.0}
REFERENCE_REPS_TO_FAILURE = 10.0
_FAILURE_REP = REFALO_LOSS[0.0] - REFALO_LOSS[1.0]
_NEAR_REPS = REFALO_LOSS[1.0] - REFALO_LOSS[3.0]
_FAR_REPS = REFALO_LOSS[3.0]


def _decay() -> float:
    # Bisection for v in (0, 1): (v³ + … + v⁹) / (v + v²) rises from 0 to 3.5.
    def ratio(v: float) -> float:
        return sum(v**d for d in range(3, 10)) / (v + v * v)

    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if ratio(middle) < _FAR_REPS / _NEAR_REPS else (low, middle)
    return (low + high) / 2


_V = _decay()
_C = _NEAR_REPS / (_V + _V * _V)
_S = _FAILURE_REP - _C

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

# Recovery clears fatigue at a steady rate, so a session's sets add up and
# the time is in proportion to the fatigue. Anchor: Morán-Navarro et al.
# 2017's failure session, three sets of 10 at a 10RM load (three reference
# sets, 3 × 25% = 75%), recovered within 48 h — 0.64 h per % of loss. Their
# session of the same work short of failure (6 × 5 at the same load) then
# recovers in 18 h, 30 h sooner; one set to failure in 16 h, well within the
# 48 h after which Refalo et al. 2023 found no difference.
MORAN_NAVARRO_FAILURE_SESSION_HOURS = 48.0
HOURS_PER_PERCENT = MORAN_NAVARRO_FAILURE_SESSION_HOURS / (3 * REFALO_LOSS[0.0])


def _local(reps: float, rir: float) -> float:
    """Loss (%) of ``reps`` stopped at ``rir``: C·v^d summed over the reps, S more at failure."""
    spread = _C * math.pow(_V, rir) * (1.0 - math.pow(_V, reps)) / (1.0 - _V)
    # A half rep in reserve ("maybe one more") takes half the failure rep's extra.
    return spread + _S * max(0.0, 1.0 - rir)


def proximity_cost(rir: float) -> float:
    """Acute performance loss (%) of the reference set stopped at ``rir`` (RIR < 10)."""
    reps = REFERENCE_REPS_TO_FAILURE - validate_rir(rir)
    if reps < 1:
        raise InvalidInput(f"the reference set has no reps left to do at RIR {rir:g}")
    return _local(reps, rir)


def recovery_hours(fatigue: float) -> float:
    """Hours until ``fatigue`` (acute loss, %) is gone: 0.64 h per %.

    >>> recovery_hours(75.0)
    48.0
    """
    if not math.isfinite(fatigue) or fatigue < 0:
        raise InvalidInput(f"fatigue must be zero or more, not {fatigue:g}")
    return HOURS_PER_PERCENT * fatigue


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
    """Hours until the fatigue is gone, local and systemic (the slower of the two)."""

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
    local = _local(reps, rir)
    # Heavier loads cost the nervous system more (bounded both ways).
    neural = min(1.4, max(0.5, load_pct / REFERENCE_LOAD_PCT))
    # No exercise is the reference set: a heavy compound.
    kind = ExerciseClass.HEAVY_COMPOUND if exercise is None else class_of(exercise)
    systemic = local * neural * SYSTEMIC_BY_KIND[kind]
    stimulus = set_stimulus(rir, reps=reps, load_pct=load_pct)
    if technique is not None:
        multiplier = TECHNIQUE_MULTIPLIER[technique]
        local, systemic = local * multiplier, systemic * multiplier
    return SetCost(
        local=local,
        systemic=systemic,
        stimulus=stimulus,
        recovery_hours=recovery_hours(max(local, systemic)),
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


def _loads(work: WorkSet, cost: SetCost) -> dict[Muscle, float]:
    # Secondary muscles take half the local cost (Pelland et al. 2024:
    # indirect sets count half).
    loads = dict.fromkeys(work.exercise.secondary, INDIRECT_SET_WEIGHT * cost.local)
    loads.update(dict.fromkeys(work.exercise.primary, cost.local))
    return loads


def session_recovery_hours(sets: Iterable[WorkSet | TimedSet]) -> float:
    """Hours until every muscle and the nervous system have recovered from ``sets``.

    The sets add up: each muscle's loss and the systemic loss are summed, and
    the largest takes :func:`recovery_hours` (recovery during the session
    itself is not counted). One set's time is its ``recovery_hours``.

    >>> from failwise.domain.exercises import exercise_from_record
    >>> bench = exercise_from_record({
    ...     "id": "bench", "name": "Bench", "pattern": "horizontal-push",
    ...     "mechanics": "compound", "equipment": "barbell", "fixed_path": False,
    ...     "heavy_compound": True, "injury_risk": "moderate", "needs_spotter": True,
    ...     "primary": ["chest"], "secondary": ["triceps"], "increment_kg": 2.5})
    >>> round(session_recovery_hours([WorkSet(bench, 10, 0)] * 3), 1)
    48.0
    """
    pools: dict[Muscle, float] = {}
    systemic = 0.0
    for item in sets:
        work, technique = (
            (item.work, item.technique) if isinstance(item, TimedSet) else (item, None)
        )
        cost = work_cost(work, technique)
        for muscle, loss in _loads(work, cost).items():
            pools[muscle] = pools.get(muscle, 0.0) + loss
        systemic += cost.systemic
    return recovery_hours(max([systemic, *pools.values()]))


def _readiness(loss: float) -> float:
    # Losses compound: two 10% losses leave 100·e^(−0.2) = 81.9%, never below 0.
    return 100.0 * math.exp(-loss / 100.0)


def recovery_state(sets: Iterable[TimedSet], at: datetime) -> RecoveryState:
    """Readiness of every trained muscle at ``at``; sets after ``at`` are ignored.

    Each muscle, and the nervous system, holds the loss its sets left
    (secondary muscles half the local cost, Pelland et al. 2024), cleared at
    the steady rate of :func:`recovery_hours`: a set's loss is gone after its
    ``recovery_hours``, a session's after :func:`session_recovery_hours`.
    Readiness is ``100·e^(−loss/100)``: within 0–100%, 100% once the loss is
    gone, rising monotonically while no new set is done.
    """
    done = sorted(
        (timed for timed in sets if timed.performed_at <= at), key=lambda t: t.performed_at
    )
    rate = 1.0 / HOURS_PER_PERCENT
    pools: dict[Muscle, float] = {}
    cleared_at: dict[Muscle, datetime] = {}
    systemic = 0.0
    systemic_at: datetime | None = None

    def cleared(loss: float, since: datetime, until: datetime) -> float:
        return max(0.0, loss - rate * (until - since).total_seconds() / 3600.0)

    for timed in done:
        cost = work_cost(timed.work, timed.technique)
        for muscle, loss in _loads(timed.work, cost).items():
            before = pools.get(muscle, 0.0)
            if muscle in cleared_at:
                before = cleared(before, cleared_at[muscle], timed.performed_at)
            pools[muscle] = before + loss
            cleared_at[muscle] = timed.performed_at
        if systemic_at is not None:
            systemic = cleared(systemic, systemic_at, timed.performed_at)
        systemic, systemic_at = systemic + cost.systemic, timed.performed_at
    left = {muscle: cleared(loss, cleared_at[muscle], at) for muscle, loss in pools.items()}
    systemic_left = cleared(systemic, systemic_at, at) if systemic_at is not None else 0.0
    return RecoveryState(
        at=at,
        readiness={muscle: _readiness(loss) for muscle, loss in left.items()},
        systemic_readiness=_readiness(systemic_left),
    )

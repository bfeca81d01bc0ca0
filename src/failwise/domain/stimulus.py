"""What a set gives: hypertrophy stimulus by proximity to failure, and weekly volume.

A set's stimulus follows Robinson et al. 2024: muscle growth falls gradually
as sets stop further from failure, about 6% of the stimulus per rep in
reserve — a slope, not a cliff. Weekly stimulus per muscle follows Pelland et
al. 2024: indirect sets count half, and growth rises like a square root of
weekly sets.

>>> round(set_stimulus(0), 2), round(set_stimulus(3), 2)
(8.77, 7.24)
>>> round(weekly_growth(10), 2)
4.18
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from failwise.domain.effort import validate_rir
from failwise.domain.exercises import Exercise, Muscle

# Robinson et al. 2024, marginal means of muscle growth (%) by RIR:
# RIR 0 8.77, 1 8.25, 2 7.73, 3 7.22, 5 6.19, 10 3.67. A straight line through
# them: 8.77 at failure, 0.51 percentage points less per rep in reserve
# (it meets 3.67 at RIR 10 exactly and every other point within 0.03).
ROBINSON_AT_FAILURE = 8.77
ROBINSON_SLOPE_PER_RIR = 0.51
ROBINSON_MARGINAL_MEANS: dict[float, float] = {
    0: 8.77,
    1: 8.25,
    2: 7.73,
    3: 7.22,
    5: 6.19,
    10: 3.67,
}

# Pelland et al. 2024: hypertrophy by weekly sets (1 → 0.74%, 4 → 2.21%,
# 10 → 4.18%, 20 → 6.54%, 45 → 10.77%), rising like a square root.
PELLAND_POINTS: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (1.0, 0.74),
    (4.0, 2.21),
    (10.0, 4.18),
    (20.0, 6.54),
    (45.0, 10.77),
)
# Pelland et al. 2024: an indirect (synergist) set counts as half a set.
INDIRECT_SET_WEIGHT = 0.5
# Pelland et al. 2024: the minimum effective dose is about 4 sets a week.
MINIMUM_EFFECTIVE_SETS = 4.0


def set_stimulus(rir: float) -> float:
    """Growth stimulus of one set at ``rir`` reps in reserve, in Robinson's % units.

    >>> set_stimulus(1) > set_stimulus(2) > set_stimulus(10) > 0
    True
    """
    return ROBINSON_AT_FAILURE - ROBINSON_SLOPE_PER_RIR * validate_rir(rir)


def effective_sets(rir: float) -> float:
    """How much of a set to failure one set at ``rir`` is worth (1.0 at failure)."""
    return set_stimulus(rir) / ROBINSON_AT_FAILURE


def weekly_growth(sets: float) -> float:
    """Pelland's hypertrophy (%) for ``sets`` direct weekly sets.

    Exact at the published points; between them, linear in the square root of
    sets (the shape Pelland reports); beyond 45 sets, the last segment's slope
    in square-root space continues.

    >>> weekly_growth(0), weekly_growth(4), round(weekly_growth(45), 2)
    (0.0, 2.21, 10.77)
    """
    if not math.isfinite(sets) or sets < 0:
        raise ValueError(f"weekly sets must be zero or more, not {sets}")
    points = PELLAND_POINTS
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if sets <= x1:
            if x0 == 0.0:
                return y1 * sets / x1  # below one set: a share of one set's growth
            share = (math.sqrt(sets) - math.sqrt(x0)) / (math.sqrt(x1) - math.sqrt(x0))
            return y0 + share * (y1 - y0)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    slope = (y1 - y0) / (math.sqrt(x1) - math.sqrt(x0))
    return y1 + slope * (math.sqrt(sets) - math.sqrt(x1))


def marginal_growth(sets: float) -> float:
    """Growth (%) added by one more weekly set at ``sets`` (≈0.24% near 20 sets)."""
    return weekly_growth(sets + 1) - weekly_growth(sets)


@dataclass(frozen=True, slots=True)
class WorkSet:
    """A set as the models see it: what was lifted, how hard, with which exercise."""

    exercise: Exercise
    reps: int
    rir: float
    load_pct: float | None = None
    """Load as % of 1RM; when unknown it is read off the RTS chart from reps + RIR."""


def muscle_sets(sets: Iterable[WorkSet]) -> dict[Muscle, float]:
    """Effective weekly sets per muscle: proximity-weighted, indirect sets as half."""
    totals: dict[Muscle, float] = {}
    for work in sets:
        worth = effective_sets(work.rir)
        for muscle in work.exercise.primary:
            totals[muscle] = totals.get(muscle, 0.0) + worth
        for muscle in work.exercise.secondary:
            totals[muscle] = totals.get(muscle, 0.0) + INDIRECT_SET_WEIGHT * worth
    return totals


def weekly_stimulus(sets: Iterable[WorkSet]) -> dict[Muscle, float]:
    """Pelland growth (%) per muscle for a week of sets."""
    return {muscle: weekly_growth(count) for muscle, count in muscle_sets(sets).items()}


@dataclass(frozen=True, slots=True)
class VolumeLandmarks:
    """Weekly-set landmarks of one muscle (coaching heuristics: RP Strength, Israetel)."""

    mev: float
    """Minimum effective volume."""
    mav_low: float
    mav_high: float
    """The range of maximum adaptive volume."""
    mrv: float
    """Maximum recoverable volume."""

    def zone(self, sets: float) -> str:
        """``below-mev``, ``mev``, ``mav``, ``above-mav`` or ``above-mrv``."""
        if sets < self.mev:
            return "below-mev"
        if sets < self.mav_low:
            return "mev"
        if sets <= self.mav_high:
            return "mav"
        if sets <= self.mrv:
            return "above-mav"
        return "above-mrv"


# Volume landmarks per muscle (MEV / MAV / MRV): coaching heuristics (RP Strength, Israetel).
LANDMARKS: Mapping[Muscle, VolumeLandmarks] = {
    Muscle.CHEST: VolumeLandmarks(10, 12, 20, 22),
    Muscle.BACK: VolumeLandmarks(10, 14, 22, 25),
    Muscle.SHOULDERS: VolumeLandmarks(8, 12, 20, 22),
    Muscle.BICEPS: VolumeLandmarks(8, 14, 20, 22),
    Muscle.TRICEPS: VolumeLandmarks(6, 10, 14, 18),
    Muscle.QUADS: VolumeLandmarks(8, 12, 18, 20),
    Muscle.HAMSTRINGS: VolumeLandmarks(6, 10, 16, 18),
}

"""What a set gives: hypertrophy stimulus by proximity to failure, reps and load, and weekly volume.

A set's stimulus follows Robinson et al. 2024: muscle growth falls gradually
as sets stop further from failure, about 6% of the stimulus per rep in
reserve — a slope, not a cliff. That relation was measured on moderate rep
ranges; outside them a set gives less (:func:`rep_load_factor`): very low reps
have few reps at full recruitment, very light loads grow less. Weekly stimulus
per muscle follows Pelland et al. 2024: indirect sets count half, and growth
rises like a square root of weekly sets.

>>> round(set_stimulus(0), 2), round(set_stimulus(3), 2)
(8.77, 7.24)
>>> round(set_stimulus(0, reps=1), 2), round(set_stimulus(2, reps=8), 2)
(0.61, 7.75)
>>> round(weekly_growth(10), 2)
4.18
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, Muscle
from failwise.domain.strength import chart_percent, reps_to_failure

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


# Robinson's relation holds across moderate rep ranges, and Schoenfeld et al.
# 2017 (meta-analysis) found similar hypertrophy from low and high loads taken
# near failure: from about 5 reps (86% of 1RM on the RTS chart) up to loads of
# about 30% of 1RM a set counts in full.
FULL_STIMULUS_REPS = 5
LIGHTEST_FULL_LOAD_PCT = 30.0
# Below 5 reps a set has few reps at full recruitment: however heavy, a single
# is one such rep (the "effective reps" argument — a modelling assumption, not
# a measured curve). The factor is (reps / 5) ** p, with p set so that
# Schoenfeld et al. 2014's volume-equated groups grow alike, as they did
# (biceps thickness +4.3 mm after 7 sets of 3RM, +4.2 mm after 3 sets of
# 10RM): 21 weekly sets of 3 reps worth 9 weekly sets of 10, so a 3-rep set
# is worth 9/21 = 3/7 of a set: (3/5) ** p = 3/7.
LOW_REP_EXPONENT = math.log(3 / 7) / math.log(3 / 5)


def rep_load_factor(reps: int, load_pct: float) -> float:
    """Share of Robinson's stimulus a set of ``reps`` at ``load_pct`` % of 1RM gives.

    1 from 5 reps up and down to 30% of 1RM; below 5 reps
    ``(reps / 5) ** 1.66`` (3 reps: 3/7, a single: 0.07); below 30% of 1RM in
    proportion to the load (Lasevicius et al. 2018: 20% of 1RM grew less than
    40–80%; the straight line is a modelling assumption).

    >>> rep_load_factor(10, 74), round(rep_load_factor(3, 92), 3), round(rep_load_factor(1, 100), 3)
    (1.0, 0.429, 0.069)
    >>> round(rep_load_factor(40, 20), 3)
    0.667
    """
    if reps < 1:
        raise InvalidInput(f"reps must be at least 1, not {reps}")
    if not math.isfinite(load_pct) or not 0 < load_pct <= 100:
        raise InvalidInput(f"load must be between 0 and 100% of 1RM, not {load_pct:g}%")
    by_reps = math.pow(min(1.0, reps / FULL_STIMULUS_REPS), LOW_REP_EXPONENT)
    by_load = min(1.0, load_pct / LIGHTEST_FULL_LOAD_PCT)
    return by_reps * by_load


def set_stimulus(rir: float, *, reps: int | None = None, load_pct: float | None = None) -> float:
    """Growth stimulus of one set at ``rir`` reps in reserve, in Robinson's % units.

    Without ``reps`` the set is in the moderate rep range Robinson's relation
    was measured on; with them, :func:`rep_load_factor` scales it (a load not
    given is read off the RTS chart from reps + RIR).

    >>> set_stimulus(1) > set_stimulus(2) > set_stimulus(10) > 0
    True
    >>> set_stimulus(0, reps=1) < set_stimulus(2, reps=8)
    True
    """
    stimulus = ROBINSON_AT_FAILURE - ROBINSON_SLOPE_PER_RIR * validate_rir(rir)
    if reps is None:
        return stimulus
    if load_pct is None:
        load_pct = chart_percent(reps_to_failure(reps, rir))
    return stimulus * rep_load_factor(reps, load_pct)


def effective_sets(rir: float, *, reps: int | None = None, load_pct: float | None = None) -> float:
    """How much of a moderate-rep set to failure one set is worth (1.0 at failure)."""
    return set_stimulus(rir, reps=reps, load_pct=load_pct) / ROBINSON_AT_FAILURE


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
    """Effective weekly sets per muscle: weighted by proximity, reps and load; indirect as half."""
    totals: dict[Muscle, float] = {}
    for work in sets:
        worth = effective_sets(work.rir, reps=work.reps, load_pct=work.load_pct)
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

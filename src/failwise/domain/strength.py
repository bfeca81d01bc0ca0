"""Strength math: estimated 1RM, the load for a target, rounding, plates.

Reps to failure is reps done plus reps in reserve: 5 reps at RIR 2 is a 7RM
effort. Every estimate here goes through it.

>>> round(e1rm(100, 5, rir=2), 1)
123.3
>>> round(e1rm(100, 5, rir=2, formula="rts"), 1)
123.3
>>> round(load_for(140, 5, rir=2, formula="rts"), 1)
113.5
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from failwise.domain.effort import check_reserve
from failwise.domain.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# RTS / Tuchscherer RPE chart: %1RM by reps (columns 1–12) and RPE (rows).
RTS_CHART: dict[float, tuple[float, ...]] = {
    10.0: (100.0, 95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0),
    9.5: (97.8, 93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7),
    9.0: (95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3),
    8.5: (93.9, 90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0),
    8.0: (92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6),
    7.5: (90.7, 87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0, 61.3),
    7.0: (89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3, 62.6, 59.9),
    6.5: (87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0, 61.3, 58.6),
}


def _chart_by_reps_to_failure() -> dict[float, float]:
    # The chart depends only on reps + RIR (5 @ RPE 8 = 7RM = 81.1%), so it
    # collapses to one curve over reps to failure, in half steps 1–15.5.
    curve: dict[float, float] = {}
    for rpe, row in RTS_CHART.items():
        for reps, percent in enumerate(row, start=1):
            curve.setdefault(reps + (10.0 - rpe), percent)
    return dict(sorted(curve.items()))


RTS_CURVE: dict[float, float] = _chart_by_reps_to_failure()
RTS_MAX_REPS_TO_FAILURE = max(RTS_CURVE)
_RTS_POINTS = tuple(RTS_CURVE)  # in order: the chart's half steps
_CHART_POINTS = sorted(RTS_CURVE.items())
# The chart's percents negated, rising: what bisect searches (the percents fall throughout).
_FALLING_PERCENTS = [-percent for _, percent in _CHART_POINTS]
if any(b <= a for a, b in itertools.pairwise(_FALLING_PERCENTS)):
    raise AssertionError("the RTS chart's percent must fall as reps to failure rise")


def rts_percent(reps_to_failure: float) -> float:
    """%1RM for a number of reps to failure on the RTS chart.

    Between half steps the chart is interpolated linearly; outside 1–15.5
    reps to failure it has no answer and :class:`InvalidInput` is raised.

    >>> rts_percent(7)
    81.1
    >>> rts_percent(1.25)
    98.9
    """
    points = _RTS_POINTS
    if not points[0] <= reps_to_failure <= points[-1]:
        raise InvalidInput(
            f"the RTS chart covers 1 to {points[-1]:g} reps to failure, "
            f"not {reps_to_failure:g}: use a formula such as epley"
        )
    exact = RTS_CURVE.get(reps_to_failure)
    if exact is not None:
        return exact
    above = bisect.bisect_right(points, reps_to_failure)
    lower, upper = points[above - 1], points[above]
    share = (reps_to_failure - lower) / (upper - lower)
    return round(RTS_CURVE[lower] + share * (RTS_CURVE[upper] - RTS_CURVE[lower]), 4)


# Epley's curve scaled to meet the chart at its last column (see chart_percent).
_EPLEY_SCALE = rts_percent(RTS_MAX_REPS_TO_FAILURE) * (1.0 + RTS_MAX_REPS_TO_FAILURE / 30.0)


@functools.lru_cache(maxsize=4096)
def chart_percent(reps_to_failure: float) -> float:
    """%1RM on the RTS chart, continued past its last column along Epley's curve.

    The chart ends at 15.5 reps to failure; beyond it, Epley's shape is scaled
    to meet the chart there, so the curve has no jump (used wherever failwise
    itself estimates, e.g. a 15-rep set at RIR 2).

    >>> chart_percent(7)
    81.1
    >>> round(chart_percent(16), 1) < 58.6
    True
    """
    if reps_to_failure <= RTS_MAX_REPS_TO_FAILURE:
        return rts_percent(reps_to_failure)
    return _EPLEY_SCALE / (1.0 + reps_to_failure / 30.0)


def reps_to_failure_at(percent: float) -> float:
    """Reps to failure at a load of ``percent`` of 1RM: the inverse of :func:`chart_percent`.

    >>> reps_to_failure_at(81.1)
    7.0
    >>> reps_to_failure_at(100.0), reps_to_failure_at(120.0)
    (1.0, 1.0)
    """
    if not math.isfinite(percent) or percent <= 0:
        raise InvalidInput(f"a load of {percent:g}% of 1RM cannot be lifted for reps")
    if percent >= RTS_CURVE[1.0]:
        return 1.0
    # The chart falls as reps to failure rise: the first point at or below ``percent``
    # closes the first pair of points around it.
    after = bisect.bisect_left(_FALLING_PERCENTS, -percent)
    if after < len(_CHART_POINTS):
        (r0, p0), (r1, p1) = _CHART_POINTS[after - 1], _CHART_POINTS[after]
        return r0 + (p0 - percent) / (p0 - p1) * (r1 - r0)
    return 30.0 * (_EPLEY_SCALE / percent - 1.0)


def reps_to_failure_at_many(percent: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """:func:`reps_to_failure_at` of each of ``percent`` (each finite and above 0), the same
    float operations in the same order: the same numbers, to the bit.

    >>> import numpy as np
    >>> reps_to_failure_at_many(np.array([81.1, 100.0, 120.0, 30.0])).tolist() == [
    ...     reps_to_failure_at(p) for p in (81.1, 100.0, 120.0, 30.0)]
    True
    """
    # Imported here: only a whole history's analysis needs it, and the command line's
    # quick answers (prescribe, e1rm, load) start without it.
    import numpy as np

    reps = np.array([r for r, _ in _CHART_POINTS])
    percents = np.array([p for _, p in _CHART_POINTS])
    after = np.searchsorted(np.array(_FALLING_PERCENTS), -percent, side="left")
    inside = np.clip(after, 1, len(_CHART_POINTS) - 1)
    r0, p0, r1, p1 = reps[inside - 1], percents[inside - 1], reps[inside], percents[inside]
    result = np.where(
        after < len(_CHART_POINTS),
        r0 + (p0 - percent) / (p0 - p1) * (r1 - r0),
        30.0 * (_EPLEY_SCALE / percent - 1.0),
    )
    return np.where(percent >= RTS_CURVE[1.0], 1.0, result)


@functools.lru_cache(maxsize=4096)
def estimate_e1rm(load: float, reps: float, rir: float = 0.0) -> float:
    """failwise's own e1RM: :func:`chart_percent` on reps to failure.

    Kept for the last few thousand (load, reps, RIR): a lifter's log repeats the same
    sets (3 × 5 at 140, week after week), and every view reads their e1RMs again.
    """
    return 100.0 * _check_load(load) / chart_percent(reps_to_failure(reps, rir))


def estimate_load(e1rm: float, reps: float, rir: float = 0.0) -> float:
    """failwise's own load for a target (unrounded): the inverse of :func:`estimate_e1rm`."""
    return _check_load(e1rm, "e1RM") * chart_percent(reps_to_failure(reps, rir)) / 100.0


# Each formula as the fraction of 1RM a load of r reps to failure represents,
# the inverse of the published e1RM expression (w load, r reps to failure).
_FRACTIONS: dict[str, Callable[[float], float]] = {
    # Epley 1985: e1RM = w(1 + r/30)
    "epley": lambda r: 1.0 / (1.0 + r / 30.0),
    # Brzycki 1993: e1RM = 36w / (37 − r)
    "brzycki": lambda r: (37.0 - r) / 36.0,
    # Lander 1985: e1RM = 100w / (101.3 − 2.67123r)
    "lander": lambda r: (101.3 - 2.67123 * r) / 100.0,
    # Lombardi 1989: e1RM = w·r^0.10
    "lombardi": lambda r: r**-0.10,
    # Mayhew et al. 1992: e1RM = 100w / (52.2 + 41.9e^(−0.055r))
    "mayhew": lambda r: (52.2 + 41.9 * math.exp(-0.055 * r)) / 100.0,
    # O'Conner et al. 1989: e1RM = w(1 + 0.025r)
    "oconner": lambda r: 1.0 / (1.0 + 0.025 * r),
    # Wathan 1994: e1RM = 100w / (48.8 + 53.8e^(−0.075r))
    "wathan": lambda r: (48.8 + 53.8 * math.exp(-0.075 * r)) / 100.0,
    # RTS / Tuchscherer chart.
    "rts": lambda r: rts_percent(r) / 100.0,
}
FORMULAS: tuple[str, ...] = tuple(_FRACTIONS)
"""Names accepted wherever a formula is asked for; ``epley`` is the default."""

# Reynolds et al. 2006: the formulas are most valid at 10 reps or fewer.
MOST_VALID_REPS = 10


def reps_to_failure(reps: float, rir: float = 0.0) -> float:
    """Reps done plus reps in reserve: the RM the set was equivalent to."""
    if reps < 1:
        raise InvalidInput(f"reps must be at least 1, not {reps:g}")
    return reps + check_reserve(rir)


def percent_1rm(reps: float, rir: float = 0.0, formula: str = "epley") -> float:
    """%1RM that ``reps`` at ``rir`` represent under ``formula``.

    >>> round(percent_1rm(5, 2, "rts"), 1)
    81.1
    """
    return 100.0 * _fraction(reps_to_failure(reps, rir), formula)


def _fraction(rtf: float, formula: str) -> float:
    try:
        fraction = _FRACTIONS[formula.lower()]
    except KeyError:
        raise InvalidInput(
            f"unknown formula {formula!r}: use one of {', '.join(FORMULAS)}"
        ) from None
    value = fraction(rtf)
    if not 0 < value <= 1.5:
        raise InvalidInput(f"{formula} gives no sensible estimate at {rtf:g} reps to failure")
    return value


def _check_load(load: float, what: str = "load") -> float:
    if not math.isfinite(load) or load <= 0:
        raise InvalidInput(f"{what} must be a positive number, not {load:g}")
    return float(load)


def e1rm(load: float, reps: float, rir: float = 0.0, formula: str = "epley") -> float:
    """Estimated one-rep max from a set of ``reps`` with ``load`` at ``rir``.

    >>> round(e1rm(100, 10), 1)
    133.3
    >>> round(e1rm(100, 10, formula="brzycki"), 1)
    133.3
    """
    return _check_load(load) / _fraction(reps_to_failure(reps, rir), formula)


def e1rm_estimates(load: float, reps: float, rir: float = 0.0) -> dict[str, float]:
    """The estimate of every formula; a formula with no answer here is left out."""
    estimates: dict[str, float] = {}
    for formula in FORMULAS:
        try:
            estimates[formula] = e1rm(load, reps, rir, formula)
        except InvalidInput:
            if formula not in ("rts", "brzycki", "lander"):
                raise
    return estimates


def load_for(e1rm: float, reps: float, rir: float = 0.0, formula: str = "epley") -> float:
    """The load for ``reps`` at ``rir`` for a lifter whose 1RM is ``e1rm`` (unrounded)."""
    return _check_load(e1rm, "e1RM") * _fraction(reps_to_failure(reps, rir), formula)


def round_to_increment(load: float, increment: float, *, down: bool = False) -> float:
    """``load`` rounded to the nearest multiple of ``increment`` (or down to one).

    >>> round_to_increment(113.4, 2.5)
    112.5
    >>> round_to_increment(101.9, 2.5, down=True)
    100.0
    """
    _check_load(increment, "increment")
    if not math.isfinite(load) or load < 0:
        raise InvalidInput(f"load must be zero or more, not {load:g}")
    steps = load / increment
    # A tiny epsilon keeps 112.49999999 from rounding the wrong way.
    whole = math.floor(steps + 1e-9) if down else math.floor(steps + 0.5 + 1e-9)
    return round(whole * increment, 6)


KG_PLATES: tuple[float, ...] = (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25)
LB_PLATES: tuple[float, ...] = (45.0, 35.0, 25.0, 10.0, 5.0, 2.5)
KG_BAR = 20.0
LB_BAR = 45.0


@dataclass(frozen=True, slots=True)
class PlateLoad:
    """Plates to put on each side of a bar for a target load."""

    target: float
    bar: float
    per_side: tuple[float, ...]
    """Plates on one side, heaviest first."""

    @property
    def total(self) -> float:
        """What the bar actually weighs with these plates."""
        return round(self.bar + 2 * sum(self.per_side), 6)

    @property
    def shortfall(self) -> float:
        """How far below the target the loaded bar is (0 when exact)."""
        return round(self.target - self.total, 6)


def plates_per_side(
    target: float,
    bar: float = KG_BAR,
    plates: Sequence[float] | Mapping[float, int] = KG_PLATES,
) -> PlateLoad:
    """The fewest plates per side that load the bar as close to ``target`` as possible.

    ``plates`` is either the plate sizes (as many pairs of each as needed) or a
    mapping of plate size to the number of pairs available. The bar is never
    loaded above the target.

    >>> plates_per_side(100).per_side
    (25.0, 15.0)
    >>> plates_per_side(60, plates={15: 1, 10: 2}).per_side
    (10.0, 10.0)
    >>> plates_per_side(225, bar=45, plates=LB_PLATES).per_side
    (45.0, 45.0)
    """
    _check_load(target, "target load")
    if not math.isfinite(bar) or bar < 0:
        raise InvalidInput(f"bar weight must be zero or more, not {bar:g}")
    if target < bar:
        raise InvalidInput(f"target {target:g} is lighter than the bar ({bar:g})")
    inventory: dict[float, int | None]
    if isinstance(plates, Mapping):
        inventory = {float(size): int(count) for size, count in plates.items()}
    else:
        inventory = {float(size): None for size in plates}
    for size, count in inventory.items():
        if not math.isfinite(size) or size <= 0 or (count is not None and count < 0):
            raise InvalidInput(f"plate {size:g} with {count} pairs is not a usable plate")
    # Work in hundredths so 1.25 kg plates stay exact.
    unit = 100
    # Never above the target: floor, with a hair of tolerance for float noise.
    goal = math.floor((target - bar) / 2 * unit + 1e-6)
    sizes = sorted(inventory, reverse=True)
    # best[w] = the fewest plates that make w exactly, as a tuple of sizes.
    best: dict[int, tuple[float, ...]] = {0: ()}
    for size in sizes:
        step = round(size * unit)
        limit = inventory[size]
        count_max = goal // step if limit is None else min(limit, goal // step)
        updated = dict(best)
        for weight, combo in best.items():
            for count in range(1, count_max + 1):
                total = weight + count * step
                if total > goal:
                    break
                candidate = combo + (size,) * count
                known = updated.get(total)
                # Fewest plates; among equals, the heaviest plates first (25+15, not 20+20).
                if known is None or (len(candidate), known) < (len(known), candidate):
                    updated[total] = candidate
        best = updated
    reached = max(best)
    return PlateLoad(target=float(target), bar=float(bar), per_side=best[reached])

"""The effort scale: reps in reserve (RIR), RPE, and the kinds of failure.

RIR is what failwise stores: the reps that could realistically still have been
done at the end of a set. RPE is derived from it (``RPE = 10 − RIR``), never
stored on its own. Both move in half steps, as on the RIR-based RPE scale of
Zourdos et al. 2016 and Helms et al. 2016.

>>> rpe_from_rir(2)
8.0
>>> rir_from_rpe(9.5)
0.5
>>> describe_rpe(8.5)
'1–2 reps left'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from failwise.domain.errors import InvalidEffort

RIR_MIN = 0.0
RIR_MAX = 10.0
RPE_MIN = 10.0 - RIR_MAX
RPE_MAX = 10.0 - RIR_MIN

# Descriptors of the RIR-based RPE scale (Zourdos et al. 2016; Helms et al. 2016).
_RPE_DESCRIPTORS: dict[float, str] = {
    10.0: "maximal effort: no more reps, no more load (failure)",
    9.5: "no more reps, but could have added a little load",
    9.0: "1 rep left",
    8.5: "1–2 reps left",
    8.0: "2 reps left",
    7.5: "2–3 reps left",
    7.0: "3 reps left",
    6.5: "3–4 reps left",
    6.0: "4 reps left",
    5.5: "4–5 reps left",
    5.0: "5–6 reps left: moderate effort",
}
_LIGHT = "light effort: many reps left (warm-up territory)"


def _is_half_step(value: float) -> bool:
    return math.isfinite(value) and (value * 2).is_integer()


def validate_rir(rir: float) -> float:
    """Return ``rir`` as a float if it is on the scale, else raise :class:`InvalidEffort`.

    >>> validate_rir(1.5)
    1.5
    >>> validate_rir(-1)
    Traceback (most recent call last):
    ...
    failwise.domain.errors.InvalidEffort: RIR -1 is not on the scale: use 0 to 10 in half steps
    """
    if not _is_half_step(float(rir)) or not RIR_MIN <= rir <= RIR_MAX:
        raise InvalidEffort(f"RIR {rir:g} is not on the scale: use 0 to 10 in half steps")
    return float(rir)


def check_reserve(rir: float) -> float:
    """Return ``rir`` if it lies within 0–10, in any step: for model estimates.

    Lifters call RIR in half steps (:func:`validate_rir`); an estimate, such as
    a call corrected by calibration, may fall between them.

    >>> check_reserve(2.95)
    2.95
    """
    if not math.isfinite(float(rir)) or not RIR_MIN <= rir <= RIR_MAX:
        raise InvalidEffort(f"RIR {rir:g} is not on the scale: use 0 to 10")
    return float(rir)


def validate_rpe(rpe: float) -> float:
    """Return ``rpe`` as a float if it is on the scale, else raise :class:`InvalidEffort`.

    >>> validate_rpe(11)
    Traceback (most recent call last):
    ...
    failwise.domain.errors.InvalidEffort: RPE 11 is not on the scale: use 0 to 10 in half steps
    """
    if not _is_half_step(float(rpe)) or not RPE_MIN <= rpe <= RPE_MAX:
        raise InvalidEffort(f"RPE {rpe:g} is not on the scale: use 0 to 10 in half steps")
    return float(rpe)


def rpe_from_rir(rir: float) -> float:
    """RPE for a number of reps in reserve: ``10 − RIR``."""
    return 10.0 - validate_rir(rir)


def rir_from_rpe(rpe: float) -> float:
    """Reps in reserve for an RPE: ``10 − RPE``."""
    return 10.0 - validate_rpe(rpe)


def describe_rpe(rpe: float) -> str:
    """The lifter's words for an RPE on the Zourdos/Helms scale."""
    return _RPE_DESCRIPTORS.get(validate_rpe(rpe), _LIGHT)


def describe_rir(rir: float) -> str:
    """The lifter's words for a number of reps in reserve."""
    return describe_rpe(rpe_from_rir(rir))


def reached_failure(rir: float | None, to_failure: bool) -> bool:
    """Whether a set reached failure: marked so, or logged with no rep left (RIR 0, RPE 10).

    >>> reached_failure(0.0, False), reached_failure(None, True)
    (True, True)
    >>> reached_failure(0.5, False), reached_failure(None, False)
    (False, False)
    """
    return to_failure or rir == 0


@dataclass(frozen=True, slots=True)
class ScaleRow:
    """One row of the RIR/RPE table."""

    rpe: float
    rir: float
    description: str


def scale(lowest_rpe: float = 5.0) -> tuple[ScaleRow, ...]:
    """The RIR/RPE table from RPE 10 down to ``lowest_rpe`` in half steps.

    >>> [(row.rpe, row.rir) for row in scale(9)]
    [(10.0, 0.0), (9.5, 0.5), (9.0, 1.0)]
    """
    floor = validate_rpe(lowest_rpe)
    rows = []
    rpe = RPE_MAX
    while rpe >= floor:
        rows.append(ScaleRow(rpe=rpe, rir=10.0 - rpe, description=describe_rpe(rpe)))
        rpe -= 0.5
    return tuple(rows)


class FailureKind(StrEnum):
    """How a set ended at failure (the article's three kinds)."""

    TECHNICAL = "technical"
    """Form breaks down: the weight still moves, but not with proper form."""
    MUSCULAR = "muscular"
    """The rep cannot be completed even with form breakdown."""
    ABSOLUTE = "absolute"
    """Beyond initial failure with drop sets, rest-pause or forced reps."""

    @property
    def description(self) -> str:
        return {
            FailureKind.TECHNICAL: "form broke down; the weight still moved",
            FailureKind.MUSCULAR: "could not complete the rep even with form breakdown",
            FailureKind.ABSOLUTE: "pushed past initial failure (drop set, rest-pause, forced reps)",
        }[self]


@dataclass(frozen=True, slots=True)
class RirRange:
    """A closed range of reps in reserve, ``low`` to ``high`` inclusive.

    >>> RirRange(0, 1) & RirRange(1, 3)
    RirRange(low=1.0, high=1.0)
    >>> RirRange(1, 3).rpe
    (7.0, 9.0)
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", validate_rir(self.low))
        object.__setattr__(self, "high", validate_rir(self.high))
        if self.low > self.high:
            raise InvalidEffort(f"RIR range {self.low:g}–{self.high:g} is empty")

    def __and__(self, other: RirRange) -> RirRange:
        """The intersection; raises :class:`InvalidEffort` when the ranges do not overlap."""
        return RirRange(max(self.low, other.low), min(self.high, other.high))

    def overlaps(self, other: RirRange) -> bool:
        return max(self.low, other.low) <= min(self.high, other.high)

    def __contains__(self, rir: object) -> bool:
        return isinstance(rir, int | float) and self.low <= rir <= self.high

    @property
    def rpe(self) -> tuple[float, float]:
        """The same range on the RPE scale, lowest RPE first."""
        return (10.0 - self.high, 10.0 - self.low)

    def __str__(self) -> str:
        if self.low == self.high:
            return f"RIR {self.low:g}"
        return f"RIR {self.low:g}–{self.high:g}"

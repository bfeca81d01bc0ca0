"""The main lifts: strength against body weight, and the balance between lifts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle
from failwise.domain.physique.body import BodyInput, Sex
from failwise.domain.physique.proportions import _shortfall


class Lift(StrEnum):
    """The main lifts whose balance the analysis reads."""

    SQUAT = "squat"
    DEADLIFT = "deadlift"
    BENCH = "bench"
    OVERHEAD_PRESS = "overhead-press"
    ROW = "row"
    PULL_UP = "pull-up"
    """The whole load moved: body weight plus added load (less any assistance)."""


# Catalog exercises whose e1RM stands for a main lift: the lift itself and
# variants done at about the same load (weaker variants — pause, box, close
# grip, seated dumbbell — would understate the lift and are left out).
LIFT_EXERCISES: Mapping[str, Lift] = {
    "barbell-squat": Lift.SQUAT,
    "low-bar-squat": Lift.SQUAT,
    "safety-bar-squat": Lift.SQUAT,
    "barbell-deadlift": Lift.DEADLIFT,
    "sumo-deadlift": Lift.DEADLIFT,
    "trap-bar-deadlift": Lift.DEADLIFT,
    "barbell-bench-press": Lift.BENCH,
    "barbell-overhead-press": Lift.OVERHEAD_PRESS,
    "seated-barbell-overhead-press": Lift.OVERHEAD_PRESS,
    "barbell-bent-over-row": Lift.ROW,
    "pendlay-row": Lift.ROW,
    "pull-up": Lift.PULL_UP,
    "chin-up": Lift.PULL_UP,
    "neutral-grip-pull-up": Lift.PULL_UP,
}
MAX_E1RM_KG = 700.0
"""Above every raw world record: a larger e1RM is a typo or pounds."""

# Strength relative to body weight: e1RM ÷ body weight at an intermediate
# level. Coaching heuristics, not norms: rounded from the strength-standard
# tables coaches use (ExRx / Lon Kilgore's tables, Rippetoe & Kilgore).
STRENGTH_STANDARDS_SOURCE = (
    "intermediate strength standard, a coaching heuristic after the ExRx / Kilgore tables"
)
STRENGTH_STANDARDS: Mapping[Sex, Mapping[Lift, float]] = {
    Sex.MALE: {
        Lift.SQUAT: 1.5,
        Lift.DEADLIFT: 1.75,
        Lift.BENCH: 1.0,
        Lift.OVERHEAD_PRESS: 0.65,
        Lift.ROW: 0.9,
    },
    Sex.FEMALE: {
        Lift.SQUAT: 1.0,
        Lift.DEADLIFT: 1.25,
        Lift.BENCH: 0.65,
        Lift.OVERHEAD_PRESS: 0.45,
        Lift.ROW: 0.6,
    },
}

# Balance between lifts, coaching heuristics (Rippetoe & Kilgore, Starting
# Strength; Stronger by Science strength ratios; Poliquin's structural balance
# puts the deadlift at 120% of the back squat).
BALANCE_SOURCE = "coaching heuristic: Rippetoe & Kilgore; Stronger by Science; Poliquin"
BENCH_TO_SQUAT = 0.75
DEADLIFT_TO_SQUAT = 1.2
PRESS_TO_BENCH = 0.65
ROW_TO_BENCH = 0.9
# Poliquin 1997, structural balance: a supinated chin-up (body weight plus
# added load) is 81% of the close-grip bench, itself about 90% of the bench.
PULL_UP_TO_BENCH = 0.81 * 0.9
# Every lift in bench units, from the ratios above: what the group ratios
# (upper vs lower, pull vs push) expect of whichever lifts are known.
EXPECTED_VS_BENCH: Mapping[Lift, float] = {
    Lift.BENCH: 1.0,
    Lift.SQUAT: 1.0 / BENCH_TO_SQUAT,
    Lift.DEADLIFT: DEADLIFT_TO_SQUAT / BENCH_TO_SQUAT,
    Lift.OVERHEAD_PRESS: PRESS_TO_BENCH,
    Lift.ROW: ROW_TO_BENCH,
    Lift.PULL_UP: PULL_UP_TO_BENCH,
}

_LIFT_LABELS: Mapping[Lift, str] = {
    Lift.SQUAT: "squat",
    Lift.DEADLIFT: "deadlift",
    Lift.BENCH: "bench",
    Lift.OVERHEAD_PRESS: "overhead press",
    Lift.ROW: "row",
    Lift.PULL_UP: "pull-up",
}
_HINGE = (Muscle.HAMSTRINGS, Muscle.GLUTES, Muscle.LOWER_BACK)
_LEGS = (Muscle.QUADS, Muscle.GLUTES, Muscle.HAMSTRINGS)
_PRESSING = (Muscle.CHEST, Muscle.SHOULDERS)


@dataclass(frozen=True, slots=True)
class RelativeStrength:
    """A lift's e1RM in multiples of body weight, against an intermediate standard."""

    lift: Lift
    e1rm_kg: float
    multiple: float
    """e1RM ÷ body weight."""
    standard: float
    """The intermediate multiple for the lifter's sex (a coaching heuristic)."""
    source: str
    ratio_to_standard: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratio_to_standard", self.multiple / self.standard)


@dataclass(frozen=True, slots=True)
class BalanceRatio:
    """The ratio of two lifts (or groups of lifts) against a coaching reference.

    Two-sided: below the reference the ``low_side`` lags (``muscles_if_low``),
    above it the ``high_side`` does (``muscles_if_high``).
    """

    name: str
    """``row-to-bench``, ``upper-to-lower``, …: numerator to denominator."""
    value: float
    reference: float
    source: str
    parts: str
    """The e1RMs it was computed from, e.g. ``row 60 kg ÷ bench 100 kg``."""
    low_side: str
    """What lags when the ratio is below the reference (the numerator)."""
    high_side: str
    """What lags when the ratio is above the reference (the denominator)."""
    muscles_if_low: tuple[Muscle, ...]
    muscles_if_high: tuple[Muscle, ...]
    ratio_to_reference: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratio_to_reference", self.value / self.reference)

    @property
    def shortfall(self) -> float:
        """How far the weaker side falls short of what the stronger predicts."""
        if self.ratio_to_reference < 1.0:
            return _shortfall(self.ratio_to_reference)
        return _shortfall(1.0 / self.ratio_to_reference)

    @property
    def lagging_side(self) -> str | None:
        if self.ratio_to_reference < 1.0:
            return self.low_side
        return self.high_side if self.ratio_to_reference > 1.0 else None

    @property
    def lagging_muscles(self) -> tuple[Muscle, ...]:
        if self.ratio_to_reference < 1.0:
            return self.muscles_if_low
        return self.muscles_if_high if self.ratio_to_reference > 1.0 else ()


def lifts_from_e1rms(e1rms: Mapping[str, float]) -> dict[Lift, float]:
    """The best e1RM of each main lift from e1RMs by catalog exercise id.

    Exercises that are not a main lift (or a close variant) are ignored.

    >>> lifts_from_e1rms({"barbell-squat": 140, "low-bar-squat": 150, "leg-press": 300})
    {<Lift.SQUAT: 'squat'>: 150}
    """
    best: dict[Lift, float] = {}
    for exercise_id, e1rm in e1rms.items():
        lift = LIFT_EXERCISES.get(exercise_id)
        if lift is not None and e1rm > best.get(lift, -math.inf):
            best[lift] = e1rm
    return best


def _check_strength(strength: Mapping[Lift, float]) -> dict[Lift, float]:
    checked: dict[Lift, float] = {}
    for key, value in strength.items():
        try:
            lift = Lift(key)
        except ValueError:
            allowed = ", ".join(lift.value for lift in Lift)
            raise InvalidInput(
                f"{key!r} is not a main lift; use one of {allowed}", field=f"strength.{key}"
            ) from None
        if not math.isfinite(value) or not 0 < value <= MAX_E1RM_KG:
            raise InvalidInput(
                f"{_LIFT_LABELS[lift]} e1RM {value:g} kg is outside 0–{MAX_E1RM_KG:g} kg: "
                "check the value and unit",
                field=f"strength.{lift.value}",
            )
        checked[lift] = float(value)
    return checked


def _relative_strength(body: BodyInput, lifts: Mapping[Lift, float]) -> list[RelativeStrength]:
    standards = STRENGTH_STANDARDS[body.sex]
    return [
        RelativeStrength(
            lift=lift,
            e1rm_kg=e1rm,
            multiple=e1rm / body.weight_kg,
            standard=standards[lift],
            source=STRENGTH_STANDARDS_SOURCE,
        )
        for lift, e1rm in lifts.items()
        if lift in standards
    ]


@dataclass(frozen=True, slots=True)
class _BalanceRule:
    name: str
    top: tuple[Lift, ...]
    """The numerator's lifts; the ``optional`` ones may be missing."""
    bottom: tuple[Lift, ...]
    low_side: str
    high_side: str
    muscles_if_low: tuple[Muscle, ...]
    muscles_if_high: tuple[Muscle, ...]
    optional: frozenset[Lift] = frozenset()
    reference: float | None = None
    """None: the sum of :data:`EXPECTED_VS_BENCH` of the lifts present."""


_BALANCE_RULES = (
    _BalanceRule(
        "bench-to-squat",
        (Lift.BENCH,),
        (Lift.SQUAT,),
        "bench",
        "squat",
        (Muscle.CHEST,),
        (Muscle.QUADS,),
        reference=BENCH_TO_SQUAT,
    ),
    _BalanceRule(
        "deadlift-to-squat",
        (Lift.DEADLIFT,),
        (Lift.SQUAT,),
        "deadlift",
        "squat",
        _HINGE,
        (Muscle.QUADS,),
        reference=DEADLIFT_TO_SQUAT,
    ),
    _BalanceRule(
        "press-to-bench",
        (Lift.OVERHEAD_PRESS,),
        (Lift.BENCH,),
        "overhead press",
        "bench",
        (Muscle.SHOULDERS,),
        (Muscle.CHEST,),
        reference=PRESS_TO_BENCH,
    ),
    _BalanceRule(
        "row-to-bench",
        (Lift.ROW,),
        (Lift.BENCH,),
        "row",
        "bench",
        (Muscle.BACK,),
        (Muscle.CHEST,),
        reference=ROW_TO_BENCH,
    ),
    _BalanceRule(
        "upper-to-lower",
        (Lift.BENCH, Lift.OVERHEAD_PRESS),
        (Lift.SQUAT, Lift.DEADLIFT),
        "upper body",
        "lower body",
        _PRESSING,
        _LEGS,
    ),
    _BalanceRule(
        "pull-to-push",
        (Lift.ROW, Lift.PULL_UP),
        (Lift.BENCH, Lift.OVERHEAD_PRESS),
        "pulling",
        "pushing",
        (Muscle.BACK,),
        _PRESSING,
        optional=frozenset({Lift.ROW, Lift.PULL_UP}),
    ),
)


def _balance(lifts: Mapping[Lift, float], notes: list[str]) -> list[BalanceRatio]:
    ratios = []
    for rule in _BALANCE_RULES:
        required = [lift for lift in (*rule.top, *rule.bottom) if lift not in rule.optional]
        missing = [_LIFT_LABELS[lift] for lift in required if lift not in lifts]
        top = [lift for lift in rule.top if lift in lifts]
        if not top:
            missing += [" or ".join(_LIFT_LABELS[lift] for lift in rule.top)]
        if missing:
            unique = list(dict.fromkeys(missing))
            notes.append(f"no {', '.join(unique)} e1RM: {rule.name} not assessed")
            continue
        reference = rule.reference
        if reference is None:
            reference = sum(EXPECTED_VS_BENCH[lift] for lift in top) / sum(
                EXPECTED_VS_BENCH[lift] for lift in rule.bottom
            )

        def side(group: list[Lift] | tuple[Lift, ...]) -> str:
            text = " + ".join(f"{_LIFT_LABELS[lift]} {lifts[lift]:.1f} kg" for lift in group)
            return f"({text})" if len(group) > 1 else text

        ratios.append(
            BalanceRatio(
                name=rule.name,
                value=sum(lifts[lift] for lift in top) / sum(lifts[lift] for lift in rule.bottom),
                reference=reference,
                source=BALANCE_SOURCE,
                parts=f"{side(top)} ÷ {side(rule.bottom)}",
                low_side=rule.low_side,
                high_side=rule.high_side,
                muscles_if_low=rule.muscles_if_low,
                muscles_if_high=rule.muscles_if_high,
            )
        )
    return ratios

"""Physique and strength analysis: body fat, FFMI, proportions, lift balance, lagging muscles.

From a body (height, weight, sex, age, and whatever circumferences the lifter
measured) and the e1RMs of the main lifts, :func:`analyse_physique` estimates
body fat (given, or the US Navy circumference method), lean mass and FFMI,
compares proportions with the classic references, weighs each lift against
body weight and against the other lifts, and ranks the muscles that lag, each
with the evidence that put it there.

Missing inputs narrow the analysis and say so in ``notes``; impossible ones
(a waist larger than the lifter is tall, a negative weight) raise
:class:`InvalidInput` naming the field.

>>> body = BodyInput(height_cm=180, weight_kg=80, sex=Sex.MALE, age=30, neck_cm=38, waist_cm=85)
>>> report = analyse_physique(body, {Lift.BENCH: 100, Lift.ROW: 60})
>>> round(report.body_fat_pct, 1), report.body_fat_method.value
(16.1, 'navy')
>>> round(report.ffmi, 1), round(report.normalised_ffmi, 1)
(20.7, 20.7)
>>> [(lag.muscle.value, round(lag.score, 2)) for lag in report.lagging]
[('back', 0.33)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class BodyFatMethod(StrEnum):
    GIVEN = "given"
    """The lifter entered it (a DEXA scan, calipers, a scale)."""
    NAVY = "navy"
    """Estimated from neck, waist (and hips) by the US Navy method."""


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

# Plausible ranges: outside them a value is a typo or a unit mix-up.
HEIGHT_RANGE_CM = (100.0, 250.0)
WEIGHT_RANGE_KG = (25.0, 350.0)
AGE_RANGE = (10.0, 100.0)
BODY_FAT_RANGE_PCT = (2.0, 70.0)
MAX_E1RM_KG = 700.0
"""Above every raw world record: a larger e1RM is a typo or pounds."""

# US Navy circumference method, metric form, circumferences and height in cm
# (Hodgdon & Beckett 1984, Naval Health Research Center reports 84-11, 84-29).
NAVY_MALE = (1.0324, 0.19077, 0.15456)
"""%BF = 495 / (1.0324 − 0.19077·log10(waist − neck) + 0.15456·log10(height)) − 450."""
NAVY_FEMALE = (1.29579, 0.35004, 0.22100)
"""%BF = 495 / (1.29579 − 0.35004·log10(waist + hips − neck) + 0.22100·log10(height)) − 450."""

# Kouri et al. 1995 (Clin J Sport Med 5:223): FFMI normalised to 1.80 m adds
# 6.1 per metre below it; about 25 was the ceiling of drug-free men.
FFMI_REFERENCE_HEIGHT_M = 1.8
FFMI_HEIGHT_SLOPE = 6.1
DRUG_FREE_FFMI_CEILING = 25.0

# A tape measure and an e1RM both carry a few percent of error: a shortfall
# below this is noise, not a lagging muscle.
LAGGING_THRESHOLD = 0.05

# Proportion references. Steve Reeves, "Building the Classic Physique: The
# Natural Way" (1995): flexed arm 252% of wrist, calf 192% of ankle, thigh
# 175% of knee, arm = calf = neck. John McCallum, "Keys to Progress"
# (Strength & Health, 1960s), the Grecian ideal from the wrist: chest 6.5 ×
# wrist, forearm 29% and calf 34% of that chest.
GOLDEN_RATIO = 1.618
REEVES = "Steve Reeves, Building the Classic Physique (1995)"
MCCALLUM = "John McCallum, Keys to Progress (Grecian ideal)"
SHOULDER_TO_WAIST = GOLDEN_RATIO
ARM_TO_WRIST = 2.52
CALF_TO_ANKLE = 1.92
THIGH_TO_KNEE = 1.75
CHEST_TO_WRIST = 6.5
FOREARM_TO_WRIST = 0.29 * CHEST_TO_WRIST
CALF_TO_WRIST = 0.34 * CHEST_TO_WRIST

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
_ARMS = (Muscle.BICEPS, Muscle.TRICEPS)
_HINGE = (Muscle.HAMSTRINGS, Muscle.GLUTES, Muscle.LOWER_BACK)
_LEGS = (Muscle.QUADS, Muscle.GLUTES, Muscle.HAMSTRINGS)
_PRESSING = (Muscle.CHEST, Muscle.SHOULDERS)


def _check_range(
    name: str, label: str, value: float, bounds: tuple[float, float], unit: str
) -> None:
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        unit = unit if unit == "%" else f" {unit}"
        raise InvalidInput(
            f"{label} {value:g}{unit} is outside {low:g}–{high:g}{unit}: "
            "check the value and its unit",
            field=name,
        )


_CIRCUMFERENCES = (
    "neck_cm",
    "waist_cm",
    "hips_cm",
    "shoulders_cm",
    "chest_cm",
    "arm_cm",
    "forearm_cm",
    "thigh_cm",
    "calf_cm",
    "wrist_cm",
    "knee_cm",
    "ankle_cm",
)


@dataclass(frozen=True, slots=True)
class BodyInput:
    """A lifter's body as measured: lengths in cm, weight in kg."""

    height_cm: float
    weight_kg: float
    sex: Sex
    age: float
    body_fat_pct: float | None = None
    """Measured body fat (%); when absent, the US Navy method estimates it."""
    neck_cm: float | None = None
    """Below the larynx (US Navy method)."""
    waist_cm: float | None = None
    """At the navel for men, at the narrowest point for women (US Navy method)."""
    hips_cm: float | None = None
    """At the widest point of the buttocks (US Navy method, women)."""
    shoulders_cm: float | None = None
    """Around the shoulders at the widest point of the deltoids."""
    chest_cm: float | None = None
    arm_cm: float | None = None
    """Upper arm, flexed, at the peak of the biceps."""
    forearm_cm: float | None = None
    thigh_cm: float | None = None
    calf_cm: float | None = None
    wrist_cm: float | None = None
    """The frame: above the wrist bone, the hand side of it."""
    knee_cm: float | None = None
    """The frame for the thigh (Reeves)."""
    ankle_cm: float | None = None
    """The frame for the calf (Reeves), at the narrowest point."""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "sex", Sex(self.sex))
        except ValueError:
            raise InvalidInput(
                f"sex must be male or female, not {self.sex!r}", field="sex"
            ) from None
        _check_range("height_cm", "height", self.height_cm, HEIGHT_RANGE_CM, "cm")
        _check_range("weight_kg", "weight", self.weight_kg, WEIGHT_RANGE_KG, "kg")
        _check_range("age", "age", self.age, AGE_RANGE, "years")
        if self.body_fat_pct is not None:
            _check_range("body_fat_pct", "body fat", self.body_fat_pct, BODY_FAT_RANGE_PCT, "%")
        for name in _CIRCUMFERENCES:
            value = getattr(self, name)
            if value is None:
                continue
            label = name.removesuffix("_cm")
            if not math.isfinite(value) or value <= 0:
                raise InvalidInput(
                    f"{label} must be a positive number of centimetres, not {value:g}", field=name
                )
            if value >= self.height_cm:
                relation = "larger than" if value > self.height_cm else "as large as"
                raise InvalidInput(
                    f"{label} {value:g} cm is {relation} height {self.height_cm:g} cm",
                    field=name,
                )
        neck, waist = self.neck_cm, self.waist_cm
        if neck is not None and waist is not None and waist <= neck:
            raise InvalidInput(
                f"waist {waist:g} cm is not larger than neck {neck:g} cm: "
                "measure the waist at the navel and the neck below the larynx",
                field="waist_cm",
            )

    @property
    def height_m(self) -> float:
        return self.height_cm / 100.0


def navy_body_fat(
    sex: Sex, height_cm: float, neck_cm: float, waist_cm: float, hips_cm: float | None = None
) -> float:
    """Body fat (%) by the US Navy circumference method (Hodgdon & Beckett 1984).

    Men: ``495 / (1.0324 − 0.19077·log10(waist − neck) + 0.15456·log10(height)) − 450``;
    women: ``495 / (1.29579 − 0.35004·log10(waist + hips − neck) + 0.22100·log10(height)) − 450``,
    all in cm. The result is not clamped: a lean lifter can get a value the
    formula was never fitted for (below 2%), which the caller judges.

    >>> round(navy_body_fat(Sex.MALE, 180, 38, 85), 2)
    16.11
    >>> round(navy_body_fat(Sex.FEMALE, 165, 32, 70, 95), 2)
    24.86
    """
    if Sex(sex) is Sex.MALE:
        intercept, girth_slope, height_slope = NAVY_MALE
        girth = waist_cm - neck_cm
    else:
        if hips_cm is None:
            raise InvalidInput("the US Navy method needs the hips for women", field="hips_cm")
        intercept, girth_slope, height_slope = NAVY_FEMALE
        girth = waist_cm + hips_cm - neck_cm
    if girth <= 0 or height_cm <= 0:
        raise InvalidInput(
            f"the US Navy method needs a waist larger than the neck, not waist {waist_cm:g} cm "
            f"and neck {neck_cm:g} cm",
            field="waist_cm",
        )
    density = intercept - girth_slope * math.log10(girth) + height_slope * math.log10(height_cm)
    return 495.0 / density - 450.0


def fat_free_mass_index(lean_mass_kg: float, height_cm: float) -> float:
    """FFMI: lean mass (kg) over height (m) squared (Kouri et al. 1995).

    >>> round(fat_free_mass_index(72.25, 175), 2)
    23.59
    """
    return lean_mass_kg / (height_cm / 100.0) ** 2


def normalised_ffmi(ffmi: float, height_cm: float) -> float:
    """FFMI adjusted to a 1.80 m lifter: ``FFMI + 6.1 × (1.8 − height m)`` (Kouri et al. 1995).

    >>> round(normalised_ffmi(20.0, 170), 2)  # 20 + 6.1 × 0.10
    20.61
    """
    return ffmi + FFMI_HEIGHT_SLOPE * (FFMI_REFERENCE_HEIGHT_M - height_cm / 100.0)


def _shortfall(ratio_to_reference: float) -> float:
    return max(0.0, 1.0 - ratio_to_reference)


@dataclass(frozen=True, slots=True)
class Proportion:
    """One measurement against a classic reference; below it, ``muscles`` lag."""

    name: str
    """``shoulder-to-waist``, ``arm-to-wrist``, ``calf-to-arm``, …"""
    value: float
    reference: float
    source: str
    muscles: tuple[Muscle, ...]
    """The muscles this proportion speaks for."""
    parts: str
    """The measurements it was computed from, e.g. ``arm 38 cm ÷ wrist 17.5 cm``."""
    ratio_to_reference: float = field(init=False)
    """``value / reference``: 1.0 is on the reference, 0.9 is 10% short."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratio_to_reference", self.value / self.reference)

    @property
    def shortfall(self) -> float:
        """How far below the reference (0.10 for 10% short); 0 at or above it."""
        return _shortfall(self.ratio_to_reference)


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


@dataclass(frozen=True, slots=True)
class LaggingMuscle:
    """A muscle that falls short, with every measurement and ratio that says so."""

    muscle: Muscle
    score: float
    """Sum of the shortfalls (0.10 for 10% short) that point at this muscle."""
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhysiqueReport:
    body_fat_pct: float | None = None
    body_fat_method: BodyFatMethod | None = None
    lean_mass_kg: float | None = None
    ffmi: float | None = None
    normalised_ffmi: float | None = None
    """FFMI adjusted to 1.80 m (Kouri et al. 1995)."""
    ffmi_ceiling: float | None = None
    """About 25 for drug-free men (Kouri et al. 1995): context, not a verdict."""
    proportions: tuple[Proportion, ...] = ()
    relative_strength: tuple[RelativeStrength, ...] = ()
    balance: tuple[BalanceRatio, ...] = ()
    lagging: tuple[LaggingMuscle, ...] = ()
    """Most lagging first."""
    notes: tuple[str, ...] = ()
    """What could not be assessed, and why."""

    @property
    def lagging_muscles(self) -> frozenset[Muscle]:
        """The lagging muscles, as :class:`~failwise.domain.context.SetContext` takes them."""
        return frozenset(lag.muscle for lag in self.lagging)


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


def _cm(value: float) -> str:
    return f"{value:g} cm"


def _missing(labels: list[str]) -> str:
    return "no " + " or ".join(labels) + " measurement"


def _body_fat(body: BodyInput, notes: list[str]) -> tuple[float | None, BodyFatMethod | None]:
    if body.body_fat_pct is not None:
        return body.body_fat_pct, BodyFatMethod.GIVEN
    neck, waist, hips = body.neck_cm, body.waist_cm, body.hips_cm
    needed = {"neck": neck, "waist": waist}
    if body.sex is Sex.FEMALE:
        needed["hips"] = hips
    missing = [label for label, value in needed.items() if value is None]
    if neck is None or waist is None or missing:
        notes.append(
            f"{_missing(missing)}: body fat not estimated (the US Navy method needs "
            f"{', '.join(needed)}), so lean mass and FFMI are not computed"
        )
        return None, None
    estimate = navy_body_fat(body.sex, body.height_cm, neck, waist, hips)
    low, high = BODY_FAT_RANGE_PCT
    if not low <= estimate <= high:
        notes.append(
            f"the US Navy method gives {estimate:.1f}% body fat from these circumferences, "
            f"outside {low:g}–{high:g}%: body fat not estimated; re-measure or enter it"
        )
        return None, None
    return estimate, BodyFatMethod.NAVY


def _proportions(body: BodyInput, notes: list[str]) -> list[Proportion]:
    measured = {
        name.removesuffix("_cm"): getattr(body, name)
        for name in _CIRCUMFERENCES
        if getattr(body, name) is not None
    }
    if not set(measured) - {"neck", "waist", "hips"}:
        notes.append("no shoulder, chest, limb or frame circumferences: proportions not assessed")
        return []
    found: list[Proportion] = []

    def ratio(
        name: str,
        top: str,
        bottom: str,
        reference: float,
        source: str,
        muscles: tuple[Muscle, ...],
    ) -> bool:
        if top not in measured or bottom not in measured:
            lacking = [label for label in (top, bottom) if label not in measured]
            notes.append(f"{_missing(lacking)}: {name} not assessed")
            return False
        found.append(
            Proportion(
                name=name,
                value=measured[top] / measured[bottom],
                reference=reference,
                source=source,
                muscles=muscles,
                parts=f"{top} {_cm(measured[top])} ÷ {bottom} {_cm(measured[bottom])}",
            )
        )
        return True

    ratio(
        "shoulder-to-waist",
        "shoulders",
        "waist",
        SHOULDER_TO_WAIST,
        f"golden ratio {GOLDEN_RATIO}, the Grecian ideal as in Reeves' proportions",
        (Muscle.SHOULDERS,),
    )
    # Reeves: arm and calf of equal girth. Whichever is smaller lags the other.
    if "arm" in measured and "calf" in measured and measured["calf"] < measured["arm"]:
        ratio("calf-to-arm", "calf", "arm", 1.0, f"{REEVES}: calf = arm", (Muscle.CALVES,))
    else:
        ratio("arm-to-calf", "arm", "calf", 1.0, f"{REEVES}: arm = calf", _ARMS)
    ratio("arm-to-wrist", "arm", "wrist", ARM_TO_WRIST, f"{REEVES}: arm = 252% of wrist", _ARMS)
    ratio(
        "forearm-to-wrist",
        "forearm",
        "wrist",
        FOREARM_TO_WRIST,
        f"{MCCALLUM}: forearm = 29% of a chest of 6.5 × wrist",
        (Muscle.FOREARMS,),
    )
    ratio(
        "chest-to-wrist",
        "chest",
        "wrist",
        CHEST_TO_WRIST,
        f"{MCCALLUM}: chest = 6.5 × wrist",
        (Muscle.CHEST,),
    )
    if "calf" in measured and "ankle" not in measured and "wrist" in measured:
        ratio(
            "calf-to-wrist",
            "calf",
            "wrist",
            CALF_TO_WRIST,
            f"{MCCALLUM}: calf = 34% of a chest of 6.5 × wrist",
            (Muscle.CALVES,),
        )
    else:
        ratio(
            "calf-to-ankle",
            "calf",
            "ankle",
            CALF_TO_ANKLE,
            f"{REEVES}: calf = 192% of ankle",
            (Muscle.CALVES,),
        )
    ratio(
        "thigh-to-knee",
        "thigh",
        "knee",
        THIGH_TO_KNEE,
        f"{REEVES}: thigh = 175% of knee",
        (Muscle.QUADS,),
    )
    return found


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


def _lagging(
    proportions: list[Proportion], balance: list[BalanceRatio]
) -> tuple[LaggingMuscle, ...]:
    scores: dict[Muscle, float] = {}
    evidence: dict[Muscle, list[str]] = {}

    def add(muscles: tuple[Muscle, ...], shortfall: float, text: str) -> None:
        if shortfall < LAGGING_THRESHOLD:
            return
        for muscle in muscles:
            scores[muscle] = scores.get(muscle, 0.0) + shortfall
            evidence.setdefault(muscle, []).append(text)

    for proportion in proportions:
        add(
            proportion.muscles,
            proportion.shortfall,
            f"{proportion.name}: {proportion.parts} = {proportion.value:.2f}, "
            f"{proportion.shortfall:.0%} short of {proportion.reference:.2f} "
            f"({proportion.source})",
        )
    for ratio in balance:
        add(
            ratio.lagging_muscles,
            ratio.shortfall,
            f"{ratio.name}: {ratio.parts} = {ratio.value:.2f} against {ratio.reference:.2f}: "
            f"{ratio.lagging_side} {ratio.shortfall:.0%} short ({ratio.source})",
        )
    order = list(Muscle)
    ranked = sorted(scores, key=lambda muscle: (-scores[muscle], order.index(muscle)))
    return tuple(
        LaggingMuscle(muscle=muscle, score=scores[muscle], evidence=tuple(evidence[muscle]))
        for muscle in ranked
    )


def analyse_physique(
    body: BodyInput | None, strength: Mapping[Lift, float] | None
) -> PhysiqueReport:
    """Body composition, proportions and lift balance, and the muscles that lag.

    ``strength`` maps each main lift to its e1RM in kg (see
    :func:`lifts_from_e1rms`); for :attr:`Lift.PULL_UP` that is the whole load
    moved, body weight included. Either argument may be ``None``: the report
    then holds what the other allows, and ``notes`` says what is missing.

    Lagging muscles come from shortfalls against references — proportions
    (men only: the references are male physiques) and the balance between
    lifts — summed per muscle; a shortfall under 5% is noise and does not
    count. Strength relative to body weight is context, not lagging evidence:
    a novice falls short of every standard at once, which says nothing about
    balance.

    >>> analyse_physique(None, None).notes[0]
    'no body measurements: body composition, proportions and relative strength not assessed'
    """
    notes: list[str] = []
    lifts = _check_strength(strength) if strength else {}
    body_fat: float | None = None
    method: BodyFatMethod | None = None
    lean: float | None = None
    index: float | None = None
    normalised: float | None = None
    ceiling: float | None = None
    proportions: list[Proportion] = []
    relative: list[RelativeStrength] = []
    if body is None:
        notes.append(
            "no body measurements: body composition, proportions and relative strength not assessed"
        )
    else:
        body_fat, method = _body_fat(body, notes)
        if body_fat is not None:
            lean = body.weight_kg * (1.0 - body_fat / 100.0)
            index = fat_free_mass_index(lean, body.height_cm)
            normalised = normalised_ffmi(index, body.height_cm)
            if body.sex is Sex.MALE:
                ceiling = DRUG_FREE_FFMI_CEILING
            else:
                notes.append("Kouri et al. 1995 studied men: no drug-free FFMI reference for women")
        proportions = _proportions(body, notes)
        if proportions and body.sex is Sex.FEMALE:
            notes.append(
                "the classic proportions (Reeves, McCallum) describe male physiques: "
                "reported, but not counted toward lagging muscles"
            )
        relative = _relative_strength(body, lifts)
    if not lifts:
        notes.append("no e1RMs of the main lifts: strength and its balance not assessed")
        balance: list[BalanceRatio] = []
    else:
        balance = _balance(lifts, notes)
    counted = proportions if body is not None and body.sex is Sex.MALE else []
    return PhysiqueReport(
        body_fat_pct=body_fat,
        body_fat_method=method,
        lean_mass_kg=lean,
        ffmi=index,
        normalised_ffmi=normalised,
        ffmi_ceiling=ceiling,
        proportions=tuple(proportions),
        relative_strength=tuple(relative),
        balance=tuple(balance),
        lagging=_lagging(counted, balance),
        notes=tuple(notes),
    )

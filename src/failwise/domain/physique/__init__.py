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

from collections.abc import Mapping
from dataclasses import dataclass

from failwise.domain.exercises import Muscle
from failwise.domain.physique.body import (
    AGE_RANGE,
    BODY_FAT_RANGE_PCT,
    DRUG_FREE_FFMI_CEILING,
    FFMI_HEIGHT_SLOPE,
    FFMI_REFERENCE_HEIGHT_M,
    HEIGHT_RANGE_CM,
    NAVY_FEMALE,
    NAVY_MALE,
    WEIGHT_RANGE_KG,
    BodyFatMethod,
    BodyInput,
    Sex,
    _body_fat,
    fat_free_mass_index,
    navy_body_fat,
    normalised_ffmi,
)
from failwise.domain.physique.lifts import (
    BALANCE_SOURCE,
    BENCH_TO_SQUAT,
    DEADLIFT_TO_SQUAT,
    EXPECTED_VS_BENCH,
    LIFT_EXERCISES,
    MAX_E1RM_KG,
    PRESS_TO_BENCH,
    PULL_UP_TO_BENCH,
    ROW_TO_BENCH,
    STRENGTH_STANDARDS,
    STRENGTH_STANDARDS_SOURCE,
    BalanceRatio,
    Lift,
    RelativeStrength,
    _balance,
    _check_strength,
    _relative_strength,
    lifts_from_e1rms,
)
from failwise.domain.physique.proportions import (
    ARM_TO_WRIST,
    CALF_TO_ANKLE,
    CALF_TO_WRIST,
    CHEST_TO_WRIST,
    FOREARM_TO_WRIST,
    GOLDEN_RATIO,
    MCCALLUM,
    REEVES,
    SHOULDER_TO_WAIST,
    THIGH_TO_KNEE,
    Proportion,
    _proportions,
)

__all__ = [
    "AGE_RANGE",
    "ARM_TO_WRIST",
    "BALANCE_SOURCE",
    "BENCH_TO_SQUAT",
    "BODY_FAT_RANGE_PCT",
    "CALF_TO_ANKLE",
    "CALF_TO_WRIST",
    "CHEST_TO_WRIST",
    "DEADLIFT_TO_SQUAT",
    "DRUG_FREE_FFMI_CEILING",
    "EXPECTED_VS_BENCH",
    "FFMI_HEIGHT_SLOPE",
    "FFMI_REFERENCE_HEIGHT_M",
    "FOREARM_TO_WRIST",
    "GOLDEN_RATIO",
    "HEIGHT_RANGE_CM",
    "LAGGING_THRESHOLD",
    "LIFT_EXERCISES",
    "MAX_E1RM_KG",
    "MCCALLUM",
    "NAVY_FEMALE",
    "NAVY_MALE",
    "PRESS_TO_BENCH",
    "PULL_UP_TO_BENCH",
    "REEVES",
    "ROW_TO_BENCH",
    "SHOULDER_TO_WAIST",
    "STRENGTH_STANDARDS",
    "STRENGTH_STANDARDS_SOURCE",
    "THIGH_TO_KNEE",
    "WEIGHT_RANGE_KG",
    "BalanceRatio",
    "BodyFatMethod",
    "BodyInput",
    "LaggingMuscle",
    "Lift",
    "PhysiqueReport",
    "Proportion",
    "RelativeStrength",
    "Sex",
    "analyse_physique",
    "fat_free_mass_index",
    "lifts_from_e1rms",
    "navy_body_fat",
    "normalised_ffmi",
]

# A tape measure and an e1RM both carry a few percent of error: a shortfall
# below this is noise, not a lagging muscle.
LAGGING_THRESHOLD = 0.05


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
    composition = _Composition()
    proportions: list[Proportion] = []
    relative: list[RelativeStrength] = []
    if body is None:
        notes.append(
            "no body measurements: body composition, proportions and relative strength not assessed"
        )
    else:
        composition = _composition(body, notes)
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
        body_fat_pct=composition.body_fat_pct,
        body_fat_method=composition.body_fat_method,
        lean_mass_kg=composition.lean_mass_kg,
        ffmi=composition.ffmi,
        normalised_ffmi=composition.normalised_ffmi,
        ffmi_ceiling=composition.ffmi_ceiling,
        proportions=tuple(proportions),
        relative_strength=tuple(relative),
        balance=tuple(balance),
        lagging=_lagging(counted, balance),
        notes=tuple(notes),
    )


@dataclass(frozen=True, slots=True)
class _Composition:
    """Body fat, lean mass and FFMI: what the report says of the body's make-up."""

    body_fat_pct: float | None = None
    body_fat_method: BodyFatMethod | None = None
    lean_mass_kg: float | None = None
    ffmi: float | None = None
    normalised_ffmi: float | None = None
    ffmi_ceiling: float | None = None


def _composition(body: BodyInput, notes: list[str]) -> _Composition:
    body_fat, method = _body_fat(body, notes)
    if body_fat is None:
        return _Composition(body_fat_method=method)
    lean = body.weight_kg * (1.0 - body_fat / 100.0)
    index = fat_free_mass_index(lean, body.height_cm)
    ceiling: float | None = None
    if body.sex is Sex.MALE:
        ceiling = DRUG_FREE_FFMI_CEILING
    else:
        notes.append("Kouri et al. 1995 studied men: no drug-free FFMI reference for women")
    return _Composition(
        body_fat_pct=body_fat,
        body_fat_method=method,
        lean_mass_kg=lean,
        ffmi=index,
        normalised_ffmi=normalised_ffmi(index, body.height_cm),
        ffmi_ceiling=ceiling,
    )

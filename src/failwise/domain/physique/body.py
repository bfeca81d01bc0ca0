"""The body as measured: its checks, body fat (given or by the US Navy method) and FFMI."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from failwise.domain.errors import InvalidInput


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class BodyFatMethod(StrEnum):
    GIVEN = "given"
    """The lifter entered it (a DEXA scan, calipers, a scale)."""
    NAVY = "navy"
    """Estimated from neck, waist (and hips) by the US Navy method."""


# Plausible ranges: outside them a value is a typo or a unit mix-up.
HEIGHT_RANGE_CM = (100.0, 250.0)
WEIGHT_RANGE_KG = (25.0, 350.0)
AGE_RANGE = (10.0, 100.0)
BODY_FAT_RANGE_PCT = (2.0, 70.0)

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

"""Proportions against the classic references (Reeves, McCallum): which muscles they say lag."""

from __future__ import annotations

from dataclasses import dataclass, field

from failwise.domain.exercises import Muscle
from failwise.domain.physique.body import _CIRCUMFERENCES, BodyInput, _cm, _missing

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
_ARMS = (Muscle.BICEPS, Muscle.TRICEPS)


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
class _Reference:
    """A proportion's reference: ``top ÷ bottom`` should be ``reference``, else ``muscles`` lag."""

    name: str
    top: str
    bottom: str
    reference: float
    source: str
    muscles: tuple[Muscle, ...]


_REFERENCES = {
    reference.name: reference
    for reference in (
        _Reference(
            "shoulder-to-waist",
            "shoulders",
            "waist",
            SHOULDER_TO_WAIST,
            f"golden ratio {GOLDEN_RATIO}, the Grecian ideal as in Reeves' proportions",
            (Muscle.SHOULDERS,),
        ),
        _Reference("calf-to-arm", "calf", "arm", 1.0, f"{REEVES}: calf = arm", (Muscle.CALVES,)),
        _Reference("arm-to-calf", "arm", "calf", 1.0, f"{REEVES}: arm = calf", _ARMS),
        _Reference(
            "arm-to-wrist", "arm", "wrist", ARM_TO_WRIST, f"{REEVES}: arm = 252% of wrist", _ARMS
        ),
        _Reference(
            "forearm-to-wrist",
            "forearm",
            "wrist",
            FOREARM_TO_WRIST,
            f"{MCCALLUM}: forearm = 29% of a chest of 6.5 × wrist",
            (Muscle.FOREARMS,),
        ),
        _Reference(
            "chest-to-wrist",
            "chest",
            "wrist",
            CHEST_TO_WRIST,
            f"{MCCALLUM}: chest = 6.5 × wrist",
            (Muscle.CHEST,),
        ),
        _Reference(
            "calf-to-wrist",
            "calf",
            "wrist",
            CALF_TO_WRIST,
            f"{MCCALLUM}: calf = 34% of a chest of 6.5 × wrist",
            (Muscle.CALVES,),
        ),
        _Reference(
            "calf-to-ankle",
            "calf",
            "ankle",
            CALF_TO_ANKLE,
            f"{REEVES}: calf = 192% of ankle",
            (Muscle.CALVES,),
        ),
        _Reference(
            "thigh-to-knee",
            "thigh",
            "knee",
            THIGH_TO_KNEE,
            f"{REEVES}: thigh = 175% of knee",
            (Muscle.QUADS,),
        ),
    )
}


def _references(measured: dict[str, float]) -> list[_Reference]:
    """The references that apply to what was measured, in the order they are reported."""
    # Reeves: arm and calf of equal girth. Whichever is smaller lags the other.
    calf_lags = "arm" in measured and "calf" in measured and measured["calf"] < measured["arm"]
    # The calf against the ankle (Reeves), or against the wrist when no ankle was measured.
    by_wrist = "calf" in measured and "ankle" not in measured and "wrist" in measured
    names = (
        "shoulder-to-waist",
        "calf-to-arm" if calf_lags else "arm-to-calf",
        "arm-to-wrist",
        "forearm-to-wrist",
        "chest-to-wrist",
        "calf-to-wrist" if by_wrist else "calf-to-ankle",
        "thigh-to-knee",
    )
    return [_REFERENCES[name] for name in names]


def _proportions(body: BodyInput, notes: list[str]) -> list[Proportion]:
    measured: dict[str, float] = {
        name.removesuffix("_cm"): getattr(body, name)
        for name in _CIRCUMFERENCES
        if getattr(body, name) is not None
    }
    if not set(measured) - {"neck", "waist", "hips"}:
        notes.append("no shoulder, chest, limb or frame circumferences: proportions not assessed")
        return []
    found: list[Proportion] = []
    for ref in _references(measured):
        top, bottom = ref.top, ref.bottom
        if top not in measured or bottom not in measured:
            lacking = [label for label in (top, bottom) if label not in measured]
            notes.append(f"{_missing(lacking)}: {ref.name} not assessed")
            continue
        found.append(
            Proportion(
                name=ref.name,
                value=measured[top] / measured[bottom],
                reference=ref.reference,
                source=ref.source,
                muscles=ref.muscles,
                parts=f"{top} {_cm(measured[top])} ÷ {bottom} {_cm(measured[bottom])}",
            )
        )
    return found

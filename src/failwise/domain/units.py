"""Load units: failwise stores kilograms, and shows and takes loads in the lifter's unit.

A pound is exactly 0.45359237 kg (the international pound of 1959). A load
shown to a lifter is rounded to what they can put on the bar in their unit:
in kilograms, the exercise's increment; in pounds, a multiple of 2.5 lb near
it (a 2.5 kg barbell step is 5 lb: two 2.5 lb plates).

>>> LB.shown(102.058, 2.5), LB.step(2.5), KG.step(2.5)
(225.0, 5.0, 2.5)
>>> round(LB.to_kg(225), 3)
102.058
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from failwise.domain.errors import InvalidInput
from failwise.domain.strength import round_to_increment

__all__ = ["KG", "KG_PER_LB", "LB", "Unit", "UnitName", "unit_named"]

KG_PER_LB = 0.45359237
"""The international pound, exactly."""
# The smallest plate pair most gyms have in pounds: two 1.25 lb plates.
_LB_STEP = 2.5


class UnitName(StrEnum):
    KG = "kg"
    LB = "lb"


@dataclass(frozen=True, slots=True)
class Unit:
    """A load unit: conversion to and from kilograms, and the steps loads are rounded to."""

    name: UnitName

    @property
    def kg_per_unit(self) -> float:
        return KG_PER_LB if self.name is UnitName.LB else 1.0

    def to_kg(self, value: float) -> float:
        """A load in this unit, in kilograms."""
        return value * self.kg_per_unit

    def of_kg(self, kg: float) -> float:
        """A load in kilograms, in this unit (unrounded)."""
        return kg / self.kg_per_unit

    def step(self, increment_kg: float) -> float:
        """The exercise's loading step in this unit: in pounds, a multiple of 2.5 lb."""
        if self.name is UnitName.KG:
            return increment_kg
        return max(_LB_STEP, round(increment_kg / KG_PER_LB / _LB_STEP) * _LB_STEP)

    def shown(self, kg: float, increment_kg: float) -> float:
        """``kg`` as the lifter loads it: in this unit, rounded to the exercise's step."""
        return round(round_to_increment(self.of_kg(kg), self.step(increment_kg)), 3)

    def rounded_kg(self, kg: float, increment_kg: float) -> float:
        """``kg`` rounded to a load the lifter can put on in this unit, back in kilograms."""
        if self.name is UnitName.KG:
            return round_to_increment(kg, increment_kg)
        return self.to_kg(self.shown(kg, increment_kg))

    def stepped(self, kg: float, loaded_kg: float, increment_kg: float) -> float:
        """``kg`` rounded to a whole number of the exercise's steps (in this unit) from
        ``loaded_kg``, a load the lifter put on, back in kilograms: the lifter's plates
        made that load, so one step more or less is on them too, where the exercise's
        usual steps may not be (from 101 kg, one 2.5 kg step heavier is 103.5, not 102.5
        or 105). From a load on those steps it is :meth:`rounded_kg`.

        >>> KG.stepped(104.2, 101, 2.5), KG.stepped(104.2, 100, 2.5) == KG.rounded_kg(104.2, 2.5)
        (103.5, True)
        >>> LB.of_kg(LB.stepped(105, LB.to_kg(225), 2.5))
        230.0
        """
        step = self.step(increment_kg)
        here = self.of_kg(loaded_kg)
        steps = math.floor((self.of_kg(kg) - here) / step + 0.5 + 1e-9)
        moved = round(here + steps * step, 6)
        return self.to_kg(moved if moved > 0 else step)

    def __str__(self) -> str:
        return self.name.value


KG = Unit(UnitName.KG)
LB = Unit(UnitName.LB)


def unit_named(name: str) -> Unit:
    """``kg`` or ``lb``; anything else is a clear error.

    >>> unit_named("lb").name.value
    'lb'
    """
    try:
        return Unit(UnitName(name.strip().lower()))
    except ValueError:
        raise InvalidInput(f"unit must be kg or lb, not {name!r}", field="unit") from None

"""Cautious guesses at an exercise the catalog does not know, from its name alone.

An import brings names like ``Snatch Grip Deadlift`` or ``Log Press`` that no
catalog holds. Their sets must not be lost, so each becomes the lifter's own
exercise, and the decision rules need its attributes before the lifter has said
a word about it. A wrong guess on the safe side costs a rep or two in reserve;
a wrong guess on the unsafe side tells a lifter to grind a heavy barbell to
failure. So the guess leans the way a careful coach would:

- only a name that says so is a machine: ``machine``, ``smith``, ``leg press``,
  ``hack squat``, ``pec deck``… A fixed path is the one thing that lets a
  compound go to failure, and it is never assumed;
- a name that names no equipment is taken as a free weight on a bar, the
  riskiest load (a deadlift, squat, press or row without a word about the
  equipment is a barbell one);
- deadlifts, squats, barbell presses and the Olympic lifts are heavy compounds
  (stop 1–3 reps short); barbell presses and squats can pin a lifter alone
  (never near failure without a spotter); free-weight rows flex a loaded spine
  and the Olympic lifts are all technique (high injury risk: never near failure);
- a name that says nothing known is a heavy free-weight compound: the rules
  then keep it short of failure until the lifter says what it is.

Every guess is marked as one (:attr:`~failwise.domain.exercises.Exercise.guessed`)
so the lifter can be shown it and correct it.

>>> guess = guess_exercise("Snatch Grip Deadlift")
>>> guess.equipment.value, guess.pattern.value, guess.heavy_compound, guess.fixed_path
('barbell', 'hinge', True, False)
>>> guess_exercise("Chest Press Machine").fixed_path
True
>>> guess_exercise("Cable Fly Thing").mechanics.value
'isolation'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from failwise.domain.exercises import (
    Catalog,
    Equipment,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.guess_words import (
    EQUIPMENT_WORDS,
    INCREMENT_KG,
    MOVEMENTS,
    MUSCLE_WORDS,
    UNKNOWN_MOVEMENT,
    says,
    words_of,
)

__all__ = ["Guess", "add_guessed", "guess_exercise"]

_GUIDED = frozenset({Equipment.MACHINE, Equipment.SMITH_MACHINE})
_BARS = frozenset({Equipment.BARBELL, Equipment.TRAP_BAR, Equipment.EZ_BAR})
_HANDHELD = frozenset({Equipment.DUMBBELL, Equipment.KETTLEBELL, Equipment.BODYWEIGHT})


@dataclass(frozen=True, slots=True)
class Guess:
    """The attributes guessed for a name: what :meth:`Catalog.add_custom` takes."""

    pattern: Pattern
    mechanics: Mechanics
    equipment: Equipment
    fixed_path: bool
    heavy_compound: bool
    injury_risk: InjuryRisk
    needs_spotter: bool
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...]
    increment_kg: float
    known_movement: bool
    """Whether a word of the name told the movement (else the cautious default)."""

    def attributes(self) -> dict[str, Any]:
        """The keyword arguments of :meth:`Catalog.add_custom`."""
        return {
            "pattern": self.pattern,
            "mechanics": self.mechanics,
            "equipment": self.equipment,
            "fixed_path": self.fixed_path,
            "heavy_compound": self.heavy_compound,
            "injury_risk": self.injury_risk,
            "needs_spotter": self.needs_spotter,
            "primary": list(self.primary),
            "secondary": list(self.secondary),
            "increment_kg": self.increment_kg,
        }


def guess_exercise(name: str) -> Guess:
    """The attributes a careful coach would assume for ``name``, knowing nothing else.

    See the module's docstring for the leanings; the result is only a guess
    until the lifter corrects it.
    """
    text = words_of(name)
    movement = next((m for m in MOVEMENTS if says(text, m.words)), UNKNOWN_MOVEMENT)
    named = next((kind for words, kind in EQUIPMENT_WORDS if says(text, words)), None)
    equipment = named or movement.default
    primary, secondary, pattern = movement.primary, movement.secondary, movement.pattern
    if movement is UNKNOWN_MOVEMENT:
        found = next(((m, p) for word, m, p in MUSCLE_WORDS if says(text, (word,))), None)
        if found is not None:
            primary, pattern = (found[0],), found[1]
    if equipment in _GUIDED:
        heavy, risk = False, InjuryRisk.LOW
        # A smith machine still pins a lifter under a failed press or squat.
        spotter = movement.spotter and equipment is Equipment.SMITH_MACHINE
    elif equipment in _BARS:
        heavy, risk, spotter = movement.bar_heavy, movement.bar_risk, movement.spotter
    elif equipment in _HANDHELD:
        heavy, risk = movement.hand_heavy, movement.hand_risk
        # Dumbbells over the face on a bench pin a lifter as a bar does.
        spotter = (
            movement.spotter
            and pattern is Pattern.HORIZONTAL_PUSH
            and (equipment is not Equipment.BODYWEIGHT)
        )
    else:  # a cable or a band lets go when the lifter fails
        heavy, risk, spotter = False, InjuryRisk.LOW, False
    return Guess(
        pattern=pattern,
        mechanics=movement.mechanics,
        equipment=equipment,
        fixed_path=equipment in _GUIDED,
        heavy_compound=heavy and movement.mechanics is Mechanics.COMPOUND,
        injury_risk=risk,
        needs_spotter=spotter,
        primary=primary,
        secondary=tuple(m for m in secondary if m not in primary),
        increment_kg=INCREMENT_KG.get(equipment, 2.5),
        known_movement=movement is not UNKNOWN_MOVEMENT,
    )


def add_guessed(catalog: Catalog, name: str) -> Catalog:
    """``catalog`` with ``name`` added as the lifter's own exercise, its attributes guessed.

    >>> from failwise.domain.exercises import Catalog
    >>> mine = add_guessed(Catalog(()), "Log Press")
    >>> log = mine.resolve("log press")
    >>> log.custom, log.guessed, log.equipment.value, log.pattern.value
    (True, True, 'barbell', 'vertical-push')
    """
    return catalog.add_custom(name, guessed=True, **guess_exercise(name).attributes())

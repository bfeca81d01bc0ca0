"""A load far beyond what the lifter can lift is asked about before it is stored.

A typo on a phone keyboard is one key: "225" for "22.5", "1500" for "150", kilograms
typed in pounds. :func:`check_load` lets such a set through only when the lifter
confirms it (:class:`NeedsConfirmation` until then); every adapter logs and edits
sets through the services, so the rule is the same in the API, the web and the CLI.

The limits:

- **With an e1RM on the exercise** (the best of its working sets in the window the
  coach reads): 1.5 × that e1RM. The e1RM is the load the lifter could lift for one
  rep; no one adds half their 1RM between two sessions, while the usual slips (a
  missed decimal mark: ×10; kilograms typed as pounds: ×2.2) land far above it.
- **Without one** (a first set; or a bodyweight or band exercise, whose e1RM counts
  only the added load): a norm for the kind of exercise, above what strong lifters move for
  one rep on it, so that only a slip reaches it: 150 kg on an isolation exercise
  (a leg curl or extension stack tops out near 100–150 kg), 100 kg on a dumbbell,
  kettlebell or bodyweight exercise (per hand, or added to the body; gyms' heaviest
  dumbbells weigh 50–80 kg), 600 kg on a leg press (a full sled), and 350 kg on any
  other compound (above the raw squat and deadlift of all but elite lifters, who
  confirm once and then have an e1RM).

Confirming costs one tap; storing 225 kg instead of 22.5 kg spoils the e1RM, the next
prescription and the history.

>>> from failwise.services.catalog import builtin_catalog
>>> curl = builtin_catalog().resolve("Seated Leg Curl (Machine)")
>>> load_limit(curl, e1rm=100.0)
150.0
>>> load_limit(curl, e1rm=None)
150.0
>>> check_load(140.0, curl, e1rm=100.0)
>>> check_load(300.0, curl, e1rm=100.0)
Traceback (most recent call last):
...
failwise.services.plausibility.NeedsConfirmation: 300 kg is far above your e1RM of 100 kg on \
Seated Leg Curl (Machine): a typo? Log it again to confirm.
>>> check_load(300.0, curl, e1rm=100.0, confirmed=True)
"""

from __future__ import annotations

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, Mechanics, Pattern
from failwise.domain.units import KG, Unit
from failwise.services.live import UNLOADED

E1RM_FACTOR = 1.5
"""A load above this many times the lifter's e1RM on the exercise is asked about."""
ISOLATION_NORM_KG = 150.0
HAND_NORM_KG = 100.0
"""Dumbbells and kettlebells (per hand), and the load added to a bodyweight exercise."""
LEG_PRESS_NORM_KG = 600.0
COMPOUND_NORM_KG = 350.0
_BY_HAND = {Equipment.DUMBBELL, Equipment.KETTLEBELL, Equipment.BODYWEIGHT, Equipment.BAND}


class NeedsConfirmation(InvalidInput):
    """A load far above what the lifter can lift: stored only when they confirm it."""

    kind = "needs_confirmation"
    """What the API's 422 calls it, so a client can offer to send the set again."""

    def __init__(self, message: str, *, load_kg: float, limit_kg: float) -> None:
        super().__init__(message, field="load")
        self.load_kg = load_kg
        self.limit_kg = limit_kg


def norm_kg(exercise: Exercise) -> float:
    """The load for one rep that only a slip of the keyboard reaches on this kind of exercise."""
    if exercise.equipment in _BY_HAND:
        return HAND_NORM_KG
    if exercise.mechanics is Mechanics.ISOLATION:
        return ISOLATION_NORM_KG
    if exercise.pattern is Pattern.LEG_PRESS:
        return LEG_PRESS_NORM_KG
    return COMPOUND_NORM_KG


def load_limit(exercise: Exercise, *, e1rm: float | None) -> float:
    """The heaviest load (kg) stored without a confirmation."""
    if e1rm is None or e1rm <= 0 or exercise.equipment in UNLOADED:
        return norm_kg(exercise)
    return E1RM_FACTOR * e1rm


def check_load(
    load_kg: float,
    exercise: Exercise,
    *,
    e1rm: float | None,
    unit: Unit = KG,
    confirmed: bool = False,
) -> None:
    """Nothing when the load is plausible or confirmed, else :class:`NeedsConfirmation`."""
    limit = load_limit(exercise, e1rm=e1rm)
    if confirmed or load_kg <= limit:
        return

    def shown(kg: float) -> str:
        return f"{round(unit.of_kg(kg), 1):g} {unit}"

    if e1rm is not None and limit == E1RM_FACTOR * e1rm:
        why = f"far above your e1RM of {shown(e1rm)} on {exercise.name}"
    else:
        why = (
            f"far above what {exercise.name} is loaded with "
            f"(hardly anyone lifts over {shown(limit)} on it)"
        )
    raise NeedsConfirmation(
        f"{shown(load_kg)} is {why}: a typo? Log it again to confirm.",
        load_kg=load_kg,
        limit_kg=limit,
    )

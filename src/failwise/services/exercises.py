"""The lifter's exercises: the catalog they train from, and the exercises they add or correct.

The catalog is the built-in one and the lifter's own exercises (cached per
lifter in :class:`~failwise.services.core.Core`). What a lifter leaves out of
their own exercise is guessed from its name, on the cautious side, and marked
as guessed until they correct it.
"""

from __future__ import annotations

from typing import Any

from failwise.domain.exercises import Catalog, Equipment, Exercise, exercise_to_record
from failwise.domain.guess import guess_exercise
from failwise.services.core import Core

# What decides how close to failure an exercise may go: left out, they are guessed.
_RISK_ATTRIBUTES = frozenset(
    {"mechanics", "pattern", "fixed_path", "heavy_compound", "injury_risk", "needs_spotter"}
)


class Exercises:
    """The lifter's catalog and their own exercises, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def catalog(self, user_id: int) -> Catalog:
        """The built-in exercises and the lifter's own."""
        with self.core.stores() as store:
            return self.core.catalog(store, user_id)

    def add_custom(self, user_id: int, name: str, **attributes: Any) -> Exercise:
        """Add the lifter's own exercise; what they leave out is guessed from the name
        (and the equipment they name), on the cautious side, and marked as guessed."""
        equipment = attributes.get("equipment")
        hint = f"{name} ({Equipment(equipment).value})" if equipment is not None else name
        guessed = guess_exercise(hint).attributes()
        left_out = _RISK_ATTRIBUTES - set(attributes)
        attributes = {**guessed, **attributes, "guessed": bool(left_out)}
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id).add_custom(name, **attributes)
            exercise = catalog.exercises[-1]
            store.add_custom_exercise(user_id, exercise_record(exercise))
            store.history_changed(user_id)  # the lifter's catalog
            store.commit()
        return exercise

    def correct_custom(self, user_id: int, exercise: str, **changes: Any) -> Exercise:
        """Correct the attributes of the lifter's own exercise (by id or any of its names).

        The rule is :meth:`~failwise.domain.exercises.Catalog.correct_custom`: only the
        lifter's own exercises, only the attributes in ``CORRECTABLE``, and the exercise
        is no longer marked as guessed. Raises :class:`UnknownExercise` for a name the
        lifter's catalog does not know, :class:`InvalidInput` for a built-in or a bad value.
        """
        with self.core.stores() as store:
            store.lock_lifter(user_id)
            catalog = self.core.catalog(store, user_id)
            found = catalog.resolve(exercise)
            corrected = catalog.correct_custom(found.id, **changes).get(found.id)
            store.update_custom_exercise(user_id, exercise_record(corrected))
            # The attributes feed the catalog, the calibration's classes and the verdict.
            store.history_changed(user_id)
            store.commit()
        return corrected


def exercise_record(exercise: Exercise) -> dict[str, Any]:
    """An exercise as a catalog record (what a custom exercise is stored as)."""
    return exercise_to_record(exercise)

"""The idempotency key of an imported set: the same set in every export of it gets the
same key, so importing a file again adds nothing."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from failwise.domain.exercises import name_key
from failwise.services.imports.parsed import ImportedSet
from failwise.services.records import SetType

IMPORT_KEY_PREFIX = "import:"


def import_key(item: ImportedSet) -> str:
    """The same set in the same workout gets the same key in every export of it: a digest
    of the workout's start (to the minute), the exercise's name as a key, the set's place
    among the exercise's sets and its type. The format is kept as it was first written
    (``tests/test_import_service.py`` holds keys earlier versions gave): a changed key
    would store every set of a file imported before again."""
    if item.key:
        return item.key
    identity = f"{_exercise_in_workout(item.workout_start, item.exercise_name)}{item.set_index}|"
    identity += KINDS[item.set_type]
    return IMPORT_KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:40]


KINDS = {kind: kind.value for kind in SetType}
"""Each set type as it is stored and keyed (an enum's ``.value`` is a slow property)."""


@functools.lru_cache(maxsize=4096)
def _exercise_in_workout(start: datetime, name: str) -> str:
    """The start of the keys of an exercise's sets in a workout: its start to the minute and
    the exercise's name key (every set of the exercise in the workout asks)."""
    return f"{start.isoformat(timespec='minutes')}|{_name_key(name)}|"


_name_key = functools.lru_cache(maxsize=4096)(name_key)
"""An exercise's name as a key, once per name (an export names a few hundred exercises in
tens of thousands of workouts)."""

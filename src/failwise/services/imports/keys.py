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
_name_key = functools.lru_cache(maxsize=4096)(name_key)


def import_key(item: ImportedSet) -> str:
    """The same set in the same workout gets the same key in every export of it."""
    if item.key:
        return item.key
    identity = "|".join(
        (
            _minute(item.workout_start),
            _name_key(item.exercise_name),
            str(item.set_index),
            KINDS[item.set_type],
        )
    )
    return IMPORT_KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:40]


KINDS = {kind: kind.value for kind in SetType}
"""Each set type as it is stored and keyed (an enum's ``.value`` is a slow property)."""


@functools.lru_cache(maxsize=4096)
def _minute(start: datetime) -> str:
    """A workout's start as its sets' keys spell it (every set of a workout asks)."""
    return start.isoformat(timespec="minutes")

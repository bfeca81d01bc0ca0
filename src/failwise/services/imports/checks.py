"""What an imported set may hold before it is stored: out-of-range numbers, texts too long,
dates outside a training log, cardio rows and failed attempts are left out with why; stray
control characters are dropped from texts."""

from __future__ import annotations

import functools
import operator
from dataclasses import replace
from datetime import datetime

from failwise.domain.exercises import MAX_NAME
from failwise.domain.inputs import MAX_LOAD_KG, cleaned
from failwise.services.imports.parsed import ImportedSet
from failwise.services.records import (
    EARLIEST_DAY,
    LATEST_DAY,
    in_log_range,
)
from failwise.services.reported import MAX_KEY, MAX_NOTES, MAX_REPS, MAX_REST_SECONDS

# What a stored set can hold is what a logged set may hold (services.reported, the
# domain's inputs); an export beyond it is a corrupt line, not a set.
MAX_SOURCE = 32


_NUMBERS: tuple[tuple[str, float, float], ...] = (
    ("reps", 1, MAX_REPS),
    ("load", 0, MAX_LOAD_KG),
    ("RIR", 0, 10),
    ("target reps", 0, MAX_REPS),
    ("reps at the RIR call", 0, MAX_REPS),
    ("target load", 0, MAX_LOAD_KG),
    ("rest", 0, MAX_REST_SECONDS),
    ("target RIR", 0, 10),
    ("target RIR", 0, 10),
    ("called RIR", 0, 10),
    ("inferred RIR", 0, 10),
)
"""What each number a set may carry is called in a problem, and the range it must be in:
those of :data:`_common`, then those of :data:`_rare`, in their order."""
_common = operator.attrgetter("reps", "load_kg", "rir")
"""The numbers nearly every set read from an export carries."""
_rare = operator.attrgetter(
    "target_reps",
    "test_reps_at_call",
    "target_load_kg",
    "rest_seconds",
    "target_rir",
    "target_rir_high",
    "test_predicted_rir",
    "rir_inferred",
)
"""The numbers only a few exports carry (failwise's own, Liftosaur's targets)."""
_NONE_RARE = (None,) * 8


def _out_of_range(item: ImportedSet) -> str | None:
    values = _common(item)
    rare = _rare(item)
    if rare != _NONE_RARE:  # most sets have none: the three common ones are all to check
        values += rare
    for (name, low, high), value in zip(_NUMBERS, values, strict=False):
        if value is not None and not low <= value <= high:
            return f"the {name} {value:g} is out of range ({low:g} to {high:g})"
    if (
        len(item.exercise_name) > MAX_NAME
        or (item.key is not None and len(item.key) > MAX_KEY)
        or (item.source is not None and len(item.source) > MAX_SOURCE)
    ):
        texts = (
            ("exercise name", item.exercise_name, MAX_NAME),
            ("set key", item.key or "", MAX_KEY),
            ("source", item.source or "", MAX_SOURCE),
        )
        name, _, longest = next(text for text in texts if len(text[1]) > text[2])
        return f"the {name} is longer than {longest} characters"
    return None


def cleaned_set(item: ImportedSet) -> ImportedSet:
    """The set with what cannot be stored or shown dropped from its texts: another app's
    file may carry a stray NUL or escape sequence, and a set is worth more than a byte.

    The same set when there is nothing to drop: printable text holds no control
    character, NUL or lone surrogate, and most sets' texts are printable and short.
    """
    name, notes = item.exercise_name, item.notes
    workout_name, workout_notes = item.workout_name, item.workout_notes
    if (
        len(name) <= MAX_NAME
        and len(workout_name) <= MAX_NAME
        and len(notes) <= MAX_NOTES
        and len(workout_notes) <= MAX_NOTES
        and name.isprintable()
        and workout_name.isprintable()
        and notes.isprintable()
        and workout_notes.isprintable()
    ):
        return item
    return replace(
        item,
        exercise_name=_cleaned_text(name, max_length=MAX_NAME, multiline=False),
        notes=_cleaned_text(notes, max_length=MAX_NOTES),
        workout_notes=_cleaned_text(workout_notes, max_length=MAX_NOTES),
        workout_name=_cleaned_text(workout_name, max_length=MAX_NAME, multiline=False),
    )


# A workout's name and notes come with each of its sets: each text is cleaned once.
_cleaned_text = functools.lru_cache(maxsize=1024)(cleaned)


@functools.lru_cache(maxsize=4096)
def _in_log_range(moment: datetime) -> bool:
    """:func:`in_log_range` of a moment's day, once per moment (a workout's sets share
    its start and end)."""
    return in_log_range(moment.date())


def unstorable(item: ImportedSet) -> str | None:
    if item.is_cardio:
        return "a cardio or timed row (distance or time, no reps): not a strength set"
    if not item.reps:
        return "a failed attempt with 0 reps: kept out of the log"
    if item.load_kg is not None and item.load_kg < 0:
        return f"a negative load ({item.load_kg:g} kg, an assisted set?) cannot be stored"
    too_much = _out_of_range(item)
    if too_much is not None:
        return too_much + ": the set cannot be stored"
    for moment in (item.workout_start, item.workout_end, item.logged_at):
        if moment is not None and not _in_log_range(moment):
            return (
                f"the date {moment.date().isoformat()} is outside the dates a training log "
                f"holds ({EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()})"
            )
    return None

"""What an imported set may hold before it is stored: each number in its range, each text
within its length; a set beyond them is left out with a reason naming what is wrong."""

from __future__ import annotations

from datetime import datetime

import pytest

from failwise.services.imports.checks import cleaned_set, unstorable
from failwise.services.imports.parsed import ImportedSet


def imported(**changes: object) -> ImportedSet:
    item = ImportedSet(
        line=2,
        workout_start=datetime(2024, 5, 1, 18, 0),
        workout_name="Legs",
        exercise_name="Squat (Barbell)",
        set_index=0,
        load_kg=100.0,
        reps=5,
        rir=2.0,
    )
    for name, value in changes.items():
        setattr(item, name, value)
    return item


def test_a_set_within_every_range_is_storable() -> None:
    assert unstorable(imported()) is None
    assert unstorable(imported(target_rir=1.0, target_rir_high=3.0, rest_seconds=180)) is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"reps": 10_000}, "the reps 10000 is out of range"),
        ({"load_kg": 1e9}, "the load 1e+09 is out of range"),
        ({"rir": 11.0}, "the RIR 11 is out of range"),
        ({"rir": float("nan")}, "the RIR nan is out of range"),
        ({"target_reps": -1}, "the target reps -1 is out of range"),
        ({"test_reps_at_call": 10_000}, "the reps at the RIR call 10000 is out of range"),
        ({"target_load_kg": -5.0}, "the target load -5 is out of range"),
        ({"rest_seconds": 10**9}, "the rest 1e+09 is out of range"),
        ({"target_rir": 12.0}, "the target RIR 12 is out of range"),
        ({"target_rir_high": 12.0}, "the target RIR 12 is out of range"),
        ({"test_predicted_rir": -1.0}, "the called RIR -1 is out of range"),
        ({"rir_inferred": 20.0}, "the inferred RIR 20 is out of range"),
        ({"key": "k" * 500}, "the set key is longer than"),
        ({"source": "s" * 100}, "the source is longer than"),
    ],
)
def test_a_number_out_of_range_or_a_text_too_long_is_named_and_the_set_left_out(
    changes: dict[str, object], named: str
) -> None:
    reason = unstorable(imported(**changes))
    assert reason is not None and reason.startswith(named), reason
    assert reason.endswith("the set cannot be stored")


def test_a_set_with_nothing_to_clean_is_the_same_set_and_a_stray_nul_is_dropped() -> None:
    item = imported(notes="paused")
    assert cleaned_set(item) is item
    cleaned = cleaned_set(imported(notes="pau\x00sed", exercise_name="Squat\x1b (Barbell)"))
    assert "\x00" not in cleaned.notes and "\x1b" not in cleaned.exercise_name

"""The history analysis read one set at a time says what it said reading the history whole:
the same profile, rule breaks, volume, e1RM trends and weekly fatigue verdicts, to the bit
(``tests/analysis_reference.py`` is the analysis as it was)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failwise.domain.analysis import HistoryColumns, HistorySet, analyse, analyse_columns
from failwise.domain.exercises import Exercise, class_of
from failwise.domain.strength import reps_to_failure_at, reps_to_failure_at_many
from failwise.services.catalog import builtin_catalog

from . import analysis_reference as reference

catalog = builtin_catalog()
LIFTS = [
    catalog.resolve(name)
    for name in (
        "Squat (Barbell)",
        "Bench Press (Barbell)",
        "Bicep Curl (Cable)",
        "Leg Press",
        "Pull Up",
    )
]
START = datetime(2026, 1, 5)  # a Monday


def calibrated(_: Exercise) -> reference.RirCorrector:
    """A lifter who calls one rep short of the truth, within the scale."""

    def corrected(rir: float, reps: int | None = None) -> float:
        return min(10.0, rir + 1.0)

    return corrected


a_set = st.builds(
    lambda day, minutes, lift, load, reps, rir, kind, inferred, workout: HistorySet(
        START + timedelta(days=day, minutes=minutes),
        LIFTS[lift],
        load,
        reps,
        rir,
        working=kind != "warm-up",
        to_failure=kind == "failure",
        rir_inferred=inferred,
        workout=workout,
    ),
    st.integers(0, 110),
    st.sampled_from([0, 0, 18 * 60, 18 * 60 + 3, 23 * 60 + 59]),
    st.integers(0, len(LIFTS) - 1),
    st.sampled_from([0.0, 40.0, 60.0, 100.0, 100.04, 102.5, 140.0]),
    st.integers(0, 15),
    st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0])),
    st.sampled_from(["working", "working", "warm-up", "failure"]),
    st.one_of(st.none(), st.sampled_from([0.0, 2.5])),
    st.sampled_from(["", "a", "b", "c"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(a_set, max_size=150), st.booleans())
def test_one_pass_reads_a_history_as_the_whole_of_it_did(
    sets: list[HistorySet], with_calibration: bool
) -> None:
    corrector = calibrated if with_calibration else None
    assert analyse(sets, main_lifts=3, corrector=corrector) == reference.analyse(
        sets, main_lifts=3, corrector=corrector
    )


def test_a_history_as_columns_reads_as_the_whole_of_it_did() -> None:
    squat, curl = LIFTS[0], LIFTS[2]
    history = [
        HistorySet(START + timedelta(days=day, minutes=n), lift, load, 5, rir, workout=str(day))
        for day in range(0, 70, 2)
        for n, (lift, load, rir) in enumerate(
            [(squat, 140.0 - day / 10, None), (squat, 140.0, 0.0), (curl, 30.0, 0.0)]
        )
    ]
    found = analyse_columns(HistoryColumns.of(history))
    assert found == analyse(history) == reference.analyse(history)
    # Every squat logged to failure breaks the heavy-compound rule, in the order done.
    squats = [b for b in found.rule_breaks if b.exercise.id == squat.id]
    assert len(squats) == 35 and all("heavy-compound" in b.rules for b in squats)
    assert [b.performed_at for b in found.rule_breaks] == sorted(
        b.performed_at for b in found.rule_breaks
    )
    # Some squats were read without a call: their RIR is inferred, a floor.
    assert sum(found.profiles[squat_group(squat)].inferred_at_least.values()) == 35


def squat_group(exercise: Exercise) -> str:
    return class_of(exercise).group


def test_a_history_out_of_order_is_refused_not_misread() -> None:
    squat = LIFTS[0]
    history = [
        HistorySet(START, squat, 100.0, 5, 2.0, workout="a"),
        HistorySet(START - timedelta(days=1), squat, 100.0, 5, 2.0, workout="a"),
    ]
    with pytest.raises(ValueError, match="order done"):
        analyse_columns(HistoryColumns.of(history))


def test_an_empty_history_reads_as_nothing_done() -> None:
    found = analyse([])
    assert found == reference.analyse([])
    assert found.sets == 0 and found.first is None and not found.fatigue_by_week


@given(st.lists(st.floats(0.5, 150.0), max_size=50))
def test_reps_to_failure_on_a_column_are_the_reps_one_by_one(percents: list[float]) -> None:
    column = reps_to_failure_at_many(np.array(percents, dtype=np.float64)).tolist()
    assert column == [reps_to_failure_at(p) for p in percents]

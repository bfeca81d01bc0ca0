"""The RIR/RPE scale, its descriptors and its errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.effort import (
    FailureKind,
    RirRange,
    describe_rir,
    describe_rpe,
    rir_from_rpe,
    rpe_from_rir,
    scale,
    validate_rir,
    validate_rpe,
)
from failwise.domain.errors import InvalidEffort

half_steps = st.integers(0, 20).map(lambda n: n / 2)


@pytest.mark.parametrize(
    ("rpe", "rir"), [(10, 0), (9.5, 0.5), (9, 1), (8.5, 1.5), (8, 2), (7, 3), (6, 4), (5, 5)]
)
def test_rpe_is_ten_minus_rir(rpe: float, rir: float) -> None:
    assert rpe_from_rir(rir) == rpe
    assert rir_from_rpe(rpe) == rir


@given(half_steps)
def test_round_trip(rir: float) -> None:
    assert rir_from_rpe(rpe_from_rir(rir)) == rir


@pytest.mark.parametrize(
    ("rpe", "words"),
    [
        (10, "no more reps"),
        (9.5, "could have added a little load"),
        (9, "1 rep left"),
        (8.5, "1–2 reps left"),
        (8, "2 reps left"),
        (7.5, "2–3 reps left"),
        (7, "3 reps left"),
        (5, "5–6 reps left"),
        (3, "light effort"),
    ],
)
def test_descriptors_follow_the_zourdos_helms_scale(rpe: float, words: str) -> None:
    assert words in describe_rpe(rpe)


def test_describe_rir_uses_the_same_scale() -> None:
    assert describe_rir(1) == describe_rpe(9)


@pytest.mark.parametrize(
    ("call", "value", "message"),
    [
        (validate_rpe, 11, "RPE 11 is not on the scale: use 0 to 10 in half steps"),
        (validate_rpe, 7.3, "RPE 7.3 is not on the scale"),
        (validate_rpe, float("nan"), "RPE nan is not on the scale"),
        (validate_rir, -1, "RIR -1 is not on the scale: use 0 to 10 in half steps"),
        (validate_rir, 10.5, "RIR 10.5 is not on the scale"),
        (validate_rir, 0.25, "RIR 0.25 is not on the scale"),
    ],
)
def test_off_scale_values_raise_a_typed_error_naming_value_and_range(
    call: object, value: float, message: str
) -> None:
    with pytest.raises(InvalidEffort) as caught:
        call(value)  # type: ignore[operator]
    assert message in str(caught.value)


def test_scale_table_runs_in_half_steps_from_failure() -> None:
    rows = scale(5)
    assert [row.rpe for row in rows] == [10 - n / 2 for n in range(11)]
    assert all(row.rir == 10 - row.rpe for row in rows)


def test_failure_kinds() -> None:
    assert [kind.value for kind in FailureKind] == ["technical", "muscular", "absolute"]
    assert "past initial failure" in FailureKind.ABSOLUTE.description


def test_rir_ranges_intersect() -> None:
    isolation, early = RirRange(0, 1), RirRange(1, 3)
    assert isolation & early == RirRange(1, 1)
    assert str(isolation & early) == "RIR 1"
    assert str(early) == "RIR 1–3"
    assert 2 in early and 0 not in early
    assert not RirRange(0, 1).overlaps(RirRange(2, 4))
    with pytest.raises(InvalidEffort, match="empty"):
        RirRange(0, 1) & RirRange(2, 4)

"""Strength math against the RTS chart and hand-computed formula values."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain import strength
from failwise.domain.errors import InvalidEffort, InvalidInput

# The RTS (Tuchscherer) chart as published, row by row (RPE 10 down to 6.5), reps 1–12.
PRINTED_CHART = """
10  100.0 95.5 92.2 89.2 86.3 83.7 81.1 78.6 76.2 73.9 70.7 68.0
9.5  97.8 93.9 90.7 87.8 85.0 82.4 79.9 77.4 75.1 72.3 69.4 66.7
9    95.5 92.2 89.2 86.3 83.7 81.1 78.6 76.2 73.9 70.7 68.0 65.3
8.5  93.9 90.7 87.8 85.0 82.4 79.9 77.4 75.1 72.3 69.4 66.7 64.0
8    92.2 89.2 86.3 83.7 81.1 78.6 76.2 73.9 70.7 68.0 65.3 62.6
7.5  90.7 87.8 85.0 82.4 79.9 77.4 75.1 72.3 69.4 66.7 64.0 61.3
7    89.2 86.3 83.7 81.1 78.6 76.2 73.9 70.7 68.0 65.3 62.6 59.9
6.5  87.8 85.0 82.4 79.9 77.4 75.1 72.3 69.4 66.7 64.0 61.3 58.6
"""
CELLS = [
    (float(row[0]), reps, float(value))
    for row in (line.split() for line in PRINTED_CHART.strip().splitlines())
    for reps, value in enumerate(row[1:], start=1)
]


@pytest.mark.parametrize(("rpe", "reps", "percent"), CELLS)
def test_rts_chart_is_reproduced_cell_by_cell(rpe: float, reps: int, percent: float) -> None:
    assert strength.percent_1rm(reps, 10 - rpe, "rts") == pytest.approx(percent, abs=1e-9)


def test_chart_depends_only_on_reps_to_failure() -> None:
    # 5 @ RPE 8 = 7RM = 81.1%
    assert strength.percent_1rm(5, 2, "rts") == strength.percent_1rm(7, 0, "rts") == 81.1


def test_rts_outside_the_chart_is_an_error_naming_the_range() -> None:
    with pytest.raises(InvalidInput, match=r"1 to 15\.5 reps to failure"):
        strength.percent_1rm(15, 3, "rts")


# 100 kg for 5 reps to failure, computed by hand from each published expression.
HAND_COMPUTED = {
    "epley": 116.67,  # 100 (1 + 5/30)
    "brzycki": 112.50,  # 36·100 / (37 − 5)
    "lander": 113.71,  # 100·100 / (101.3 − 2.67123·5)
    "lombardi": 117.46,  # 100 · 5^0.10
    "mayhew": 119.01,  # 100·100 / (52.2 + 41.9 e^(−0.275))
    "oconner": 112.50,  # 100 (1 + 0.125)
    "wathan": 116.58,  # 100·100 / (48.8 + 53.8 e^(−0.375))
    "rts": 115.87,  # 100 / 0.863
}


@pytest.mark.parametrize(("formula", "expected"), HAND_COMPUTED.items())
def test_each_formula_matches_hand_computed_value(formula: str, expected: float) -> None:
    assert strength.e1rm(100, 5, 0, formula) == pytest.approx(expected, abs=0.01)
    # RIR moves the set along the curve: 3 reps at RIR 2 is the same 5RM effort.
    assert strength.e1rm(100, 3, 2, formula) == pytest.approx(expected, abs=0.01)


def test_estimates_cover_every_formula_and_drop_only_the_ones_out_of_range() -> None:
    assert set(strength.e1rm_estimates(100, 5, 1)) == set(strength.FORMULAS)
    far = strength.e1rm_estimates(50, 30, 3)
    assert "rts" not in far and "epley" in far


@given(
    e1rm=st.floats(20, 500),
    reps=st.integers(1, 12),
    rir=st.sampled_from([0, 0.5, 1, 1.5, 2, 2.5, 3]),
    formula=st.sampled_from(strength.FORMULAS),
)
def test_load_for_inverts_e1rm(e1rm: float, reps: int, rir: float, formula: str) -> None:
    load = strength.load_for(e1rm, reps, rir, formula)
    assert strength.e1rm(load, reps, rir, formula) == pytest.approx(e1rm, rel=1e-9)


@given(reps=st.integers(1, 11), rir=st.sampled_from([0, 1, 2, 3]))
def test_more_reserve_means_a_lighter_load(reps: int, rir: float) -> None:
    for formula in strength.FORMULAS:
        assert strength.load_for(100, reps, rir + 1, formula) < strength.load_for(
            100, reps, rir, formula
        )


def test_load_for_a_target() -> None:
    # 140 kg e1RM, 5 reps at RIR 2 = 7RM = 81.1% → 113.54 kg, 112.5 on a 2.5 kg step
    load = strength.load_for(140, 5, 2, "rts")
    assert load == pytest.approx(113.54)
    assert strength.round_to_increment(load, 2.5) == 112.5


@pytest.mark.parametrize(
    ("load", "increment", "expected"),
    [
        (113.54, 2.5, 112.5),
        (113.76, 2.5, 115.0),
        (23.9, 2.0, 24.0),
        (101.25, 1.25, 101.25),
        (149.99999999999997, 2.5, 150.0),
        (0.4, 2.5, 0.0),
    ],
)
def test_round_to_increment(load: float, increment: float, expected: float) -> None:
    assert strength.round_to_increment(load, increment) == expected


def test_bad_inputs_name_the_problem() -> None:
    with pytest.raises(InvalidInput, match="load must be a positive number"):
        strength.e1rm(-100, 5)
    with pytest.raises(InvalidInput, match="reps must be at least 1"):
        strength.e1rm(100, 0)
    with pytest.raises(InvalidEffort, match="RIR -1"):
        strength.e1rm(100, 5, -1)
    with pytest.raises(InvalidInput, match="unknown formula 'nope'"):
        strength.e1rm(100, 5, formula="nope")
    with pytest.raises(InvalidInput, match="brzycki gives no sensible estimate"):
        strength.e1rm(100, 40, formula="brzycki")
    with pytest.raises(InvalidInput, match="increment"):
        strength.round_to_increment(100, 0)


@pytest.mark.parametrize(
    ("target", "bar", "plates", "per_side"),
    [
        (100, 20, strength.KG_PLATES, (25.0, 15.0)),
        (142.5, 20, strength.KG_PLATES, (25.0, 25.0, 10.0, 1.25)),
        (20, 20, strength.KG_PLATES, ()),
        (225, 45, strength.LB_PLATES, (45.0, 45.0)),
        (315, 45, strength.LB_PLATES, (45.0, 45.0, 45.0)),
        (135, 45, strength.LB_PLATES, (45.0,)),
        # Greedy would take the 15 and stop at 50; two 10s reach 60.
        (60, 20, {15: 1, 10: 2}, (10.0, 10.0)),
    ],
)
def test_plates_per_side(
    target: float, bar: float, plates: object, per_side: tuple[float, ...]
) -> None:
    result = strength.plates_per_side(target, bar, plates)  # type: ignore[arg-type]
    assert result.per_side == per_side
    assert result.total == target
    assert result.shortfall == 0


def test_plates_never_overshoot_and_report_the_shortfall() -> None:
    result = strength.plates_per_side(101, 20, strength.KG_PLATES)
    assert result.total == 100.0
    assert result.shortfall == 1.0
    limited = strength.plates_per_side(200, 20, {20: 2})
    assert limited.per_side == (20.0, 20.0) and limited.shortfall == 100.0


@given(target=st.floats(20, 400), plates=st.sets(st.sampled_from(strength.KG_PLATES), min_size=1))
def test_plates_are_as_close_as_the_plate_set_allows(target: float, plates: set[float]) -> None:
    result = strength.plates_per_side(target, 20, tuple(plates))
    smallest = min(plates)
    assert result.total <= target + 1e-9
    # One more of the smallest plate pair would overshoot: nothing closer exists below.
    assert result.total + 2 * smallest > target - 1e-9 or math.isclose(result.total, target)


def test_plate_errors() -> None:
    with pytest.raises(InvalidInput, match="lighter than the bar"):
        strength.plates_per_side(10, 20)
    with pytest.raises(InvalidInput, match="not a usable plate"):
        strength.plates_per_side(100, 20, (-5.0,))


def _reps_to_failure_by_scan(percent: float) -> float:
    """The chart read point pair by point pair, as it was before it was searched."""
    if percent >= strength.RTS_CURVE[1.0]:
        return 1.0
    points = sorted(strength.RTS_CURVE.items())
    for (r0, p0), (r1, p1) in itertools.pairwise(points):
        if p1 <= percent <= p0:
            return r0 + (p0 - percent) / (p0 - p1) * (r1 - r0)
    top = strength.RTS_MAX_REPS_TO_FAILURE
    scale = strength.rts_percent(top) * (1.0 + top / 30.0)
    return 30.0 * (scale / percent - 1.0)


@given(
    st.one_of(
        st.floats(min_value=0.01, max_value=130.0),
        st.sampled_from(sorted(strength.RTS_CURVE.values())),
    )
)
def test_reps_to_failure_at_a_load_is_the_chart_read_pair_by_pair(percent: float) -> None:
    # Searching the chart finds the same two points around a load as reading every pair.
    for value in (percent, math.nextafter(percent, 0.0), math.nextafter(percent, 200.0)):
        assert strength.reps_to_failure_at(value) == _reps_to_failure_by_scan(value)

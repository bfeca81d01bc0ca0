"""Stimulus by proximity to failure (Robinson et al. 2024) and weekly volume (Pelland 2024)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.exercises import Muscle
from failwise.domain.stimulus import (
    LANDMARKS,
    ROBINSON_MARGINAL_MEANS,
    WorkSet,
    effective_sets,
    marginal_growth,
    muscle_sets,
    set_stimulus,
    weekly_growth,
)
from failwise.services.catalog import builtin_catalog

half_steps = st.integers(0, 20).map(lambda n: n / 2)


@pytest.mark.parametrize(("rir", "growth"), ROBINSON_MARGINAL_MEANS.items())
def test_set_stimulus_follows_robinson(rir: float, growth: float) -> None:
    assert set_stimulus(rir) == pytest.approx(growth, abs=0.05)


def test_the_slope_is_gradual_about_six_percent_per_rir() -> None:
    drops = [1 - set_stimulus(rir + 1) / set_stimulus(rir) for rir in range(3)]
    assert all(0.05 <= drop <= 0.075 for drop in drops)
    # not a cliff: RIR 3 keeps more than 80% of the stimulus of failure
    assert effective_sets(3) > 0.8


@given(half_steps)
def test_stimulus_never_decreases_as_rir_falls(rir: float) -> None:
    if rir >= 0.5:
        assert set_stimulus(rir - 0.5) >= set_stimulus(rir)


@pytest.mark.parametrize(("sets", "growth"), [(1, 0.74), (4, 2.21), (10, 4.18), (20, 6.54)])
def test_weekly_growth_follows_pelland_within_ten_percent(sets: float, growth: float) -> None:
    assert weekly_growth(sets) == pytest.approx(growth, rel=0.10)


def test_weekly_growth_is_concave_like_a_square_root() -> None:
    margins = [marginal_growth(n) for n in (1, 4, 10, 20, 40)]
    assert margins == sorted(margins, reverse=True)
    # Pelland: ≈0.24% per set at the margin near 20 sets
    assert marginal_growth(20) == pytest.approx(0.24, abs=0.04)
    assert weekly_growth(60) > weekly_growth(45)


def test_indirect_sets_count_half() -> None:
    bench = builtin_catalog().resolve("Bench Press (Barbell)")
    counts = muscle_sets([WorkSet(bench, 8, 0)] * 4)
    assert counts[Muscle.CHEST] == pytest.approx(4.0)
    assert counts[Muscle.TRICEPS] == pytest.approx(2.0)


def test_landmarks_classify_weekly_sets() -> None:
    chest = LANDMARKS[Muscle.CHEST]
    assert [chest.zone(n) for n in (4, 11, 16, 21, 30)] == [
        "below-mev",
        "mev",
        "mav",
        "above-mav",
        "above-mrv",
    ]

"""Stimulus by proximity to failure (Robinson et al. 2024) and weekly volume (Pelland 2024).

Every expected number here is written down from the studies as DESIGN.md cites
them, or worked out by hand from the rule the module documents, never read
back from the module's own constants: a mistyped constant must fail a test.
"""

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

# Robinson et al. 2024, marginal means of muscle growth (%) by reps in reserve.
ROBINSON_2024 = {0: 8.77, 1: 8.25, 2: 7.73, 3: 7.22, 5: 6.19, 10: 3.67}


def test_the_chart_of_the_study_shows_robinsons_published_means() -> None:
    # The web page draws this table: it must be the study's, digit for digit.
    assert dict(ROBINSON_MARGINAL_MEANS) == ROBINSON_2024


@pytest.mark.parametrize(
    ("rir", "stimulus"),
    # The straight line 8.77 − 0.51 × RIR, worked out by hand:
    # 8.77, 8.26, 7.75, 7.24, 8.77 − 2.55 = 6.22, 8.77 − 5.10 = 3.67.
    [(0, 8.77), (1, 8.26), (2, 7.75), (3, 7.24), (5, 6.22), (10, 3.67)],
)
def test_a_set_gives_8_77_at_failure_and_0_51_less_per_rep_in_reserve(
    rir: float, stimulus: float
) -> None:
    assert set_stimulus(rir) == pytest.approx(stimulus, abs=1e-9)


@pytest.mark.parametrize(("rir", "growth"), ROBINSON_2024.items())
def test_the_line_stays_within_three_hundredths_of_every_published_mean(
    rir: float, growth: float
) -> None:
    # The largest gap is at RIR 5: 6.22 against 6.19.
    assert set_stimulus(rir) == pytest.approx(growth, abs=0.03 + 1e-9)


def test_a_half_rep_in_reserve_sits_half_way_between_the_whole_reps() -> None:
    # 8.77 − 0.51 × 1.5 = 8.005
    assert set_stimulus(1.5) == pytest.approx(8.005, abs=1e-9)


def test_the_slope_is_gradual_about_six_percent_per_rir() -> None:
    # RIR 1 is worth 8.26 / 8.77 = 0.942 of a set to failure: a 5.8% drop.
    assert effective_sets(1) == pytest.approx(0.9418, abs=1e-4)
    # Not a cliff: RIR 3 keeps 7.24 / 8.77 = 0.826 of the stimulus of failure.
    assert effective_sets(3) == pytest.approx(0.8255, abs=1e-4)
    assert effective_sets(0) == 1.0


@given(half_steps)
def test_stimulus_never_decreases_as_rir_falls(rir: float) -> None:
    if rir >= 0.5:
        assert set_stimulus(rir - 0.5) >= set_stimulus(rir)


@pytest.mark.parametrize(
    ("sets", "growth"), [(0, 0.0), (1, 0.74), (4, 2.21), (10, 4.18), (20, 6.54), (45, 10.77)]
)
def test_weekly_growth_is_pellands_at_each_published_point(sets: float, growth: float) -> None:
    assert weekly_growth(sets) == pytest.approx(growth, abs=1e-9)


def test_between_the_published_points_growth_follows_the_square_root_of_sets() -> None:
    # 16 sets: (√16 − √10) / (√20 − √10) = 0.8377 / 1.3099 = 0.6396 of the way
    # from 4.18 to 6.54, so 4.18 + 0.6396 × 2.36 = 5.689.
    assert weekly_growth(16) == pytest.approx(5.689, abs=1e-3)
    # Half a set: half of one set's 0.74.
    assert weekly_growth(0.5) == pytest.approx(0.37, abs=1e-9)


def test_past_45_sets_the_last_segment_continues() -> None:
    # √80 − √45 = 8.944 − 6.708 = 2.236 = √45 − √20, so 80 sets add the
    # 20 → 45 segment's 4.23 once more: 10.77 + 4.23 = 15.0.
    assert weekly_growth(80) == pytest.approx(15.0, abs=1e-9)


def test_weekly_growth_is_concave_like_a_square_root() -> None:
    margins = [marginal_growth(n) for n in (1, 4, 10, 20, 40)]
    assert margins == sorted(margins, reverse=True)
    # Pelland: ≈0.24% per set at the margin near 20 sets. By hand, the 21st
    # set: (√21 − √20) / (√45 − √20) × 4.23 = 0.0494 × 4.23 = 0.209.
    assert marginal_growth(20) == pytest.approx(0.209, abs=1e-3)
    assert marginal_growth(20) == pytest.approx(0.24, abs=0.04)


def test_indirect_sets_count_half() -> None:
    bench = builtin_catalog().resolve("Bench Press (Barbell)")
    counts = muscle_sets([WorkSet(bench, 8, 0)] * 4)
    assert counts[Muscle.CHEST] == pytest.approx(4.0)
    assert counts[Muscle.TRICEPS] == pytest.approx(2.0)


def test_sets_short_of_failure_count_for_less() -> None:
    # Four bench sets at RIR 3: 4 × 0.8255 = 3.302 chest sets, half that for triceps.
    bench = builtin_catalog().resolve("Bench Press (Barbell)")
    counts = muscle_sets([WorkSet(bench, 8, 3)] * 4)
    assert counts[Muscle.CHEST] == pytest.approx(3.302, abs=1e-3)
    assert counts[Muscle.TRICEPS] == pytest.approx(1.651, abs=1e-3)


@pytest.mark.parametrize(
    ("muscle", "mev", "mav_low", "mav_high", "mrv"),
    [
        (Muscle.CHEST, 10, 12, 20, 22),
        (Muscle.BACK, 10, 14, 22, 25),
        (Muscle.SHOULDERS, 8, 12, 20, 22),
        (Muscle.BICEPS, 8, 14, 20, 22),
        (Muscle.TRICEPS, 6, 10, 14, 18),
        (Muscle.QUADS, 8, 12, 18, 20),
        (Muscle.HAMSTRINGS, 6, 10, 16, 18),
    ],
)
def test_volume_landmarks_are_the_coaching_numbers(
    muscle: Muscle, mev: float, mav_low: float, mav_high: float, mrv: float
) -> None:
    marks = LANDMARKS[muscle]
    assert (marks.mev, marks.mav_low, marks.mav_high, marks.mrv) == (mev, mav_low, mav_high, mrv)


def test_landmarks_classify_weekly_sets() -> None:
    chest = LANDMARKS[Muscle.CHEST]  # MEV 10, MAV 12–20, MRV 22
    assert [chest.zone(n) for n in (9, 10, 11, 12, 20, 21, 22, 23)] == [
        "below-mev",
        "mev",
        "mev",
        "mav",
        "mav",
        "above-mav",
        "above-mav",
        "above-mrv",
    ]


# Reps and load. Robinson's relation was measured on moderate rep ranges;
# Schoenfeld et al. 2017: similar growth from loads of ~30% to ~85% of 1RM
# taken near failure; Schoenfeld et al. 2014 (well-trained men, 8 weeks):
# 7 sets of 3RM three times a week (21 weekly sets) and 3 sets of 10RM on
# three exercises once a week (9 weekly sets) grew the biceps alike,
# 35.3 → 39.6 mm and 34.5 → 38.7 mm.


def test_a_single_at_rir_0_stimulates_less_than_8_reps_at_rir_2() -> None:
    single, eight = set_stimulus(0, reps=1), set_stimulus(2, reps=8)
    assert eight == pytest.approx(7.75, abs=1e-9)  # 8.77 − 2 × 0.51, in full
    assert single < 0.1 * eight  # a single has one rep at full recruitment


@pytest.mark.parametrize("reps", [5, 8, 10, 15, 20, 30])
def test_from_5_to_30_reps_to_failure_a_set_counts_in_full(reps: int) -> None:
    # 5 reps to failure is 86.3% of 1RM on the RTS chart, 30 reps 44.4%.
    assert set_stimulus(0, reps=reps) == pytest.approx(8.77, abs=1e-9)


def test_schoenfeld_2014_seven_sets_of_3rm_grow_like_three_sets_of_10rm() -> None:
    strength = 21 * effective_sets(0, reps=3)
    hypertrophy = 9 * effective_sets(0, reps=10)
    assert hypertrophy == pytest.approx(9.0)
    # +4.3 mm against +4.2 mm: the same growth within 5%.
    assert weekly_growth(strength) == pytest.approx(weekly_growth(hypertrophy), rel=0.05)
    # Per set, a 3RM set gives well under half of a 10RM set.
    assert effective_sets(0, reps=3) == pytest.approx(3 / 7, abs=0.01)


def test_very_light_loads_grow_less() -> None:
    # 40 reps at 20% of 1RM against the same at 40%: Lasevicius et al. 2018
    # found 20% of 1RM grew less than 40–80%.
    assert set_stimulus(0, reps=40, load_pct=20) < set_stimulus(0, reps=40, load_pct=40)
    assert set_stimulus(0, reps=40, load_pct=40) == pytest.approx(8.77, abs=1e-9)


def test_low_rep_sets_count_for_less_in_weekly_volume() -> None:
    bench = builtin_catalog().resolve("Bench Press (Barbell)")
    triples = muscle_sets([WorkSet(bench, 3, 0)] * 7)
    assert triples[Muscle.CHEST] == pytest.approx(3.0, abs=0.05)  # 7 × 3/7


@given(reps=st.integers(1, 40), rir=half_steps)
def test_more_reps_never_give_less_stimulus_at_the_same_rir(reps: int, rir: float) -> None:
    assert set_stimulus(rir, reps=reps + 1) >= set_stimulus(rir, reps=reps) - 1e-12

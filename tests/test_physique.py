"""Physique and strength analysis against hand-computed Navy body fat, FFMI and ratios."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle
from failwise.domain.physique import (
    LAGGING_THRESHOLD,
    LIFT_EXERCISES,
    BodyFatMethod,
    BodyInput,
    Lift,
    PhysiqueReport,
    Sex,
    analyse_physique,
    lifts_from_e1rms,
    navy_body_fat,
)
from failwise.services.catalog import builtin_catalog


def man(**fields: Any) -> BodyInput:
    return BodyInput(**{"height_cm": 180, "weight_kg": 80, "sex": Sex.MALE, "age": 30, **fields})


def woman(**fields: Any) -> BodyInput:
    return BodyInput(**{"height_cm": 165, "weight_kg": 60, "sex": Sex.FEMALE, "age": 30, **fields})


def lagging(report: PhysiqueReport) -> dict[Muscle, float]:
    return {lag.muscle: lag.score for lag in report.lagging}


# --- body fat, lean mass, FFMI ------------------------------------------------


def test_navy_body_fat_of_a_man_by_hand() -> None:
    # 180 cm, 80 kg, neck 38 cm, waist 85 cm:
    #   waist − neck = 47;  log10(47) = 1.67210;  0.19077 × 1.67210 = 0.31899
    #   log10(180) = 2.25527;  0.15456 × 2.25527 = 0.34857
    #   495 / (1.0324 − 0.31899 + 0.34857) = 495 / 1.06199 = 466.107  → 16.107 %
    # lean mass = 80 × (1 − 0.16107) = 67.115 kg
    # FFMI = 67.115 / 1.80² = 67.115 / 3.24 = 20.714; at 1.80 m normalised FFMI = FFMI
    report = analyse_physique(man(neck_cm=38, waist_cm=85), None)
    assert report.body_fat_method is BodyFatMethod.NAVY
    assert report.body_fat_pct == pytest.approx(16.107, abs=0.1)
    assert report.lean_mass_kg == pytest.approx(67.115, abs=0.01)
    assert report.ffmi == pytest.approx(20.714, abs=0.01)
    assert report.normalised_ffmi == pytest.approx(20.714, abs=0.01)
    assert report.ffmi_ceiling == 25.0  # Kouri et al. 1995, as context


def test_navy_body_fat_of_a_woman_needs_the_hips_and_is_computed_by_hand() -> None:
    # 165 cm, 60 kg, neck 32, waist 70, hips 95:
    #   waist + hips − neck = 133;  log10(133) = 2.12385;  0.35004 × 2.12385 = 0.74343
    #   log10(165) = 2.21748;  0.22100 × 2.21748 = 0.49006
    #   495 / (1.29579 − 0.74343 + 0.49006) = 495 / 1.04242 = 474.856  → 24.856 %
    # lean mass = 60 × (1 − 0.24856) = 45.086 kg
    # FFMI = 45.086 / 1.65² = 45.086 / 2.7225 = 16.561
    # normalised = 16.561 + 6.1 × (1.80 − 1.65) = 16.561 + 0.915 = 17.476
    report = analyse_physique(woman(neck_cm=32, waist_cm=70, hips_cm=95), None)
    assert report.body_fat_pct == pytest.approx(24.856, abs=0.1)
    assert report.lean_mass_kg == pytest.approx(45.086, abs=0.01)
    assert report.ffmi == pytest.approx(16.561, abs=0.01)
    assert report.normalised_ffmi == pytest.approx(17.476, abs=0.01)
    assert report.ffmi_ceiling is None  # Kouri studied men
    assert any("women" in note for note in report.notes)

    without_hips = analyse_physique(woman(neck_cm=32, waist_cm=70), None)
    assert without_hips.body_fat_pct is None
    assert any("no hips measurement" in note for note in without_hips.notes)


def test_given_body_fat_wins_and_ffmi_is_normalised_by_hand() -> None:
    # 175 cm, 85 kg, 15 %: lean = 85 × 0.85 = 72.25 kg
    # FFMI = 72.25 / 1.75² = 72.25 / 3.0625 = 23.592
    # normalised = 23.592 + 6.1 × (1.80 − 1.75) = 23.592 + 0.305 = 23.897
    body = man(height_cm=175, weight_kg=85, body_fat_pct=15, neck_cm=40, waist_cm=90)
    report = analyse_physique(body, None)
    assert report.body_fat_method is BodyFatMethod.GIVEN
    assert report.body_fat_pct == 15
    assert report.lean_mass_kg == pytest.approx(72.25)
    assert report.ffmi == pytest.approx(23.592, abs=0.001)
    assert report.normalised_ffmi == pytest.approx(23.897, abs=0.001)


def test_navy_function_matches_the_report() -> None:
    assert navy_body_fat(Sex.MALE, 180, 38, 85) == pytest.approx(16.107, abs=0.01)
    with pytest.raises(InvalidInput) as error:
        navy_body_fat(Sex.FEMALE, 165, 32, 70)
    assert error.value.field == "hips_cm"


def test_a_navy_estimate_outside_its_range_is_a_note_not_a_crash() -> None:
    # neck 45, waist 60: 495 / (1.0324 − 0.19077·log10 15 + 0.34857) − 450 ≈ −22 %
    report = analyse_physique(man(neck_cm=45, waist_cm=60), None)
    assert report.body_fat_pct is None and report.ffmi is None
    assert any("outside 2–70%" in note for note in report.notes)


# --- proportions ----------------------------------------------------------------

MEASURED = {
    "shoulders_cm": 120,
    "waist_cm": 80,
    "chest_cm": 110,
    "arm_cm": 38,
    "forearm_cm": 30,
    "calf_cm": 41,
    "wrist_cm": 17.5,
    "thigh_cm": 62,
    "knee_cm": 38,
    "ankle_cm": 22,
}


def test_proportions_against_their_references_by_hand() -> None:
    report = analyse_physique(man(**MEASURED), None)
    by_name = {p.name: p for p in report.proportions}
    # shoulders 120 / waist 80 = 1.5; 1.5 / 1.618 = 0.927 → 7.3 % short
    assert by_name["shoulder-to-waist"].value == pytest.approx(1.5)
    assert by_name["shoulder-to-waist"].ratio_to_reference == pytest.approx(0.9270, abs=1e-4)
    # arm 38 / wrist 17.5 = 2.1714; / 2.52 = 0.8617 → 13.8 % short (Reeves)
    assert by_name["arm-to-wrist"].ratio_to_reference == pytest.approx(0.8617, abs=1e-4)
    # arm 38 < calf 41: the arm lags the calf, 38 / 41 = 0.9268
    assert by_name["arm-to-calf"].value == pytest.approx(0.9268, abs=1e-4)
    # chest 110 / (6.5 × 17.5 = 113.75) = 0.967; calf 41 / (1.92 × 22 = 42.24) = 0.971
    assert by_name["chest-to-wrist"].ratio_to_reference == pytest.approx(0.9670, abs=1e-4)
    assert by_name["calf-to-ankle"].ratio_to_reference == pytest.approx(0.9706, abs=1e-4)
    # thigh 62 / (1.75 × 38 = 66.5) = 0.932 → 6.8 % short
    assert by_name["thigh-to-knee"].ratio_to_reference == pytest.approx(0.9323, abs=1e-4)
    assert all(p.source for p in report.proportions)

    scores = lagging(report)
    # arms: 13.8 % (frame) + 7.3 % (calf) = 0.211 for biceps and for triceps
    assert scores[Muscle.BICEPS] == pytest.approx((1 - 0.8617) + (1 - 0.9268), abs=1e-3)
    assert report.lagging[0].muscle in (Muscle.BICEPS, Muscle.TRICEPS)
    assert len(report.lagging[0].evidence) == 2
    # chest and calves fall short by under 5 %: not lagging
    assert Muscle.CHEST not in scores and Muscle.CALVES not in scores
    assert Muscle.SHOULDERS in scores and Muscle.QUADS in scores


def test_calf_against_the_wrist_when_no_ankle_is_measured() -> None:
    fields = {**MEASURED, "ankle_cm": None}
    names = {p.name for p in analyse_physique(man(**fields), None).proportions}
    assert "calf-to-wrist" in names and "calf-to-ankle" not in names


def test_proportions_of_women_are_reported_but_do_not_make_muscles_lag() -> None:
    report = analyse_physique(woman(**MEASURED), None)
    assert report.proportions
    assert report.lagging == ()
    assert any("male physiques" in note for note in report.notes)


# --- strength --------------------------------------------------------------------


def test_a_row_at_sixty_percent_of_bench_puts_the_back_on_top() -> None:
    strength = {
        Lift.SQUAT: 140.0,
        Lift.DEADLIFT: 170.0,
        Lift.BENCH: 100.0,
        Lift.OVERHEAD_PRESS: 65.0,
        Lift.ROW: 60.0,
    }
    report = analyse_physique(man(), strength)
    top = report.lagging[0]
    assert top.muscle is Muscle.BACK
    # row/bench 0.60 against 0.90: 1 − 0.60/0.90 = 0.333 short;
    # pull/push 60/165 = 0.364 against 0.9/1.65 = 0.545: also 0.333 short
    assert top.score == pytest.approx(2 * (1 - 0.6 / 0.9))
    assert any("row" in line and "bench" in line for line in top.evidence)
    ratios = {ratio.name: ratio for ratio in report.balance}
    assert ratios["row-to-bench"].value == pytest.approx(0.6)
    assert ratios["row-to-bench"].lagging_side == "row"
    # deadlift/squat 170/140 = 1.214 against 1.2: on the reference, nothing lags
    assert ratios["deadlift-to-squat"].lagging_muscles == (Muscle.QUADS,)
    assert ratios["deadlift-to-squat"].shortfall < LAGGING_THRESHOLD
    assert Muscle.QUADS not in lagging(report)
    assert report.lagging_muscles >= {Muscle.BACK}


@pytest.mark.parametrize(
    ("squat", "deadlift", "lags"),
    [
        # 200 / 150 = 1.333 above 1.2 → squat 1 − 1.2/1.333 = 10 % short
        (150.0, 200.0, {Muscle.QUADS}),
        # 150 / 150 = 1.0 against 1.2 → deadlift 16.7 % short
        (150.0, 150.0, {Muscle.HAMSTRINGS, Muscle.GLUTES, Muscle.LOWER_BACK}),
    ],
)
def test_squat_and_deadlift_each_implicate_their_muscles(
    squat: float, deadlift: float, lags: set[Muscle]
) -> None:
    report = analyse_physique(None, {Lift.SQUAT: squat, Lift.DEADLIFT: deadlift})
    assert set(lagging(report)) == lags
    expected = (
        1 - (deadlift / squat) / 1.2 if deadlift / squat < 1.2 else 1 - 1.2 / (deadlift / squat)
    )
    assert report.lagging[0].score == pytest.approx(expected)


def test_a_weak_overhead_press_makes_the_shoulders_lag() -> None:
    # 50 / 100 = 0.5 against 0.65 → 1 − 0.5/0.65 = 23.1 % short
    report = analyse_physique(None, {Lift.BENCH: 100.0, Lift.OVERHEAD_PRESS: 50.0})
    assert lagging(report) == {Muscle.SHOULDERS: pytest.approx(1 - 0.5 / 0.65)}


def test_relative_strength_against_the_standard() -> None:
    report = analyse_physique(man(), {Lift.SQUAT: 120.0, Lift.PULL_UP: 100.0})
    (squat,) = report.relative_strength  # no pull-up standard
    assert squat.multiple == pytest.approx(1.5)  # 120 / 80
    assert squat.ratio_to_standard == pytest.approx(1.0)
    assert "heuristic" in squat.source


def test_pull_ups_count_as_pulling() -> None:
    # pull-up total 90 / (bench 100 + press 65) = 0.545 against 0.729 / 1.65 = 0.442
    report = analyse_physique(None, {Lift.BENCH: 100, Lift.OVERHEAD_PRESS: 65, Lift.PULL_UP: 90})
    ratio = next(r for r in report.balance if r.name == "pull-to-push")
    assert ratio.reference == pytest.approx(0.81 * 0.9 / 1.65)
    assert ratio.lagging_side is not None and "pushing" in ratio.lagging_side


def test_catalog_ids_feed_the_lifts() -> None:
    catalog = builtin_catalog()
    assert all(exercise_id in catalog for exercise_id in LIFT_EXERCISES)
    lifts = lifts_from_e1rms({"barbell-bench-press": 100, "pendlay-row": 80, "leg-curl": 50})
    assert lifts == {Lift.BENCH: 100, Lift.ROW: 80}
    assert set(LIFT_EXERCISES.values()) == set(Lift)


# --- impossible and missing inputs --------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"waist_cm": 190}, "waist_cm", "waist 190 cm is larger than height 180 cm"),
        ({"weight_kg": -80}, "weight_kg", "weight -80 kg"),
        ({"age": 5}, "age", "age 5 years is outside 10–100"),
        ({"height_cm": 80}, "height_cm", "height 80 cm"),
        ({"body_fat_pct": 80}, "body_fat_pct", "body fat 80% is outside 2–70%"),
        ({"arm_cm": 0}, "arm_cm", "arm must be a positive number"),
        ({"neck_cm": 40, "waist_cm": 35}, "waist_cm", "not larger than neck"),
        ({"sex": "other"}, "sex", "male or female"),
        ({"weight_kg": float("nan")}, "weight_kg", "weight"),
    ],
)
def test_impossible_bodies_are_errors_naming_the_field(
    fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as error:
        man(**fields)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("strength", "field"),
    [
        ({Lift.BENCH: -100.0}, "strength.bench"),
        ({Lift.SQUAT: 2000.0}, "strength.squat"),
        ({"curl": 50.0}, "strength.curl"),
    ],
)
def test_impossible_e1rms_are_errors(strength: dict[Any, float], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        analyse_physique(None, strength)
    assert error.value.field == field


def test_nothing_in_gives_an_empty_report_with_notes() -> None:
    report = analyse_physique(None, None)
    assert report.body_fat_pct is None and report.ffmi is None
    assert report.proportions == report.balance == report.lagging == ()
    assert len(report.notes) == 2


def test_a_body_without_circumferences_gets_ffmi_only_from_a_given_body_fat() -> None:
    bare = analyse_physique(man(), None)
    assert bare.body_fat_pct is None and bare.ffmi is None and bare.proportions == ()
    assert any("no neck or waist measurement: body fat not estimated" in n for n in bare.notes)
    assert any("proportions not assessed" in note for note in bare.notes)

    with_fat = analyse_physique(man(body_fat_pct=20), None)
    assert with_fat.ffmi == pytest.approx(80 * 0.8 / 1.8**2)
    assert with_fat.proportions == ()


def test_missing_lifts_narrow_the_balance_and_say_so() -> None:
    report = analyse_physique(man(), {Lift.BENCH: 100.0, Lift.ROW: 90.0})
    assert [ratio.name for ratio in report.balance] == ["row-to-bench"]
    assert any("no squat e1RM: bench-to-squat not assessed" in note for note in report.notes)
    assert any("upper-to-lower" in note for note in report.notes)


# --- invariants -------------------------------------------------------------------


def maybe(low: float, high: float) -> st.SearchStrategy[float | None]:
    return st.none() | st.floats(low, high)


bodies = st.builds(
    BodyInput,
    height_cm=st.floats(150, 205),
    weight_kg=st.floats(40, 160),
    sex=st.sampled_from(Sex),
    age=st.floats(14, 90),
    body_fat_pct=maybe(4, 45),
    neck_cm=maybe(28, 48),
    waist_cm=maybe(55, 140),
    hips_cm=maybe(75, 140),
    shoulders_cm=maybe(85, 145),
    chest_cm=maybe(75, 135),
    arm_cm=maybe(22, 52),
    forearm_cm=maybe(20, 40),
    thigh_cm=maybe(40, 80),
    calf_cm=maybe(28, 48),
    wrist_cm=maybe(13, 22),
    knee_cm=maybe(30, 48),
    ankle_cm=maybe(18, 28),
)
strengths = st.none() | st.dictionaries(st.sampled_from(Lift), st.floats(15, 350))


@given(st.none() | bodies, strengths)
def test_valid_inputs_never_crash_and_lagging_is_ranked(
    body: BodyInput | None, strength: dict[Lift, float] | None
) -> None:
    report = analyse_physique(body, strength)
    scores = [lag.score for lag in report.lagging]
    assert all(score >= LAGGING_THRESHOLD > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert all(lag.evidence for lag in report.lagging)
    assert len({lag.muscle for lag in report.lagging}) == len(report.lagging)
    assert (report.ffmi is None) == (report.body_fat_pct is None)

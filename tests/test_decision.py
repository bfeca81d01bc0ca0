"""Every rule of the decision table, on real catalog exercises, with its conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.decision import (
    RULES,
    Experience,
    FailurePolicy,
    Phase,
    SetContext,
    prescribe,
)
from failwise.domain.effort import RirRange
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, Muscle
from failwise.services.catalog import builtin_catalog


def exercise(name: str) -> Exercise:
    """A real catalog exercise, by the name a lifter's app exports."""
    return builtin_catalog().resolve(name)


GO, AVOID, NEVER = FailurePolicy.GO, FailurePolicy.AVOID, FailurePolicy.NEVER


def decide(name: str, **context: object) -> tuple[FailurePolicy, RirRange, list[str]]:
    result = prescribe(SetContext(exercise=exercise(name), **context))  # type: ignore[arg-type]
    return result.failure, result.target_rir, [reason.rule for reason in result.reasons]


FINAL = {"set_number": 3, "total_sets": 3}


def test_the_rule_table_is_the_articles() -> None:
    assert [(rule.id, rule.effect) for rule in RULES] == [
        ("isolation", GO),
        ("machine", GO),
        ("final-set", GO),
        ("lagging", GO),
        ("heavy-compound", AVOID),
        ("early-set", AVOID),
        ("high-frequency", AVOID),
        ("high-volume", AVOID),
        ("injury-risk", NEVER),
        ("alone-risky", NEVER),
        ("deload", NEVER),
        ("fatigued", NEVER),
    ]


# --- each rule on its own -------------------------------------------------------


@pytest.mark.parametrize("name", ["Bicep Curl (Cable)", "Lateral Raise (Dumbbell)"])
def test_isolation_goes_to_failure(name: str) -> None:
    failure, target, rules = decide(name, **FINAL)
    assert failure is GO and "isolation" in rules
    assert target == RirRange(0, 1)


def test_fixed_path_machine_goes_to_failure() -> None:
    failure, target, rules = decide("Leg Press", **FINAL)
    assert failure is GO and "machine" in rules and target == RirRange(0, 1)


def test_final_set_of_a_free_compound_goes_to_failure() -> None:
    failure, _, rules = decide("Pull Up", **FINAL)
    assert failure is GO and rules == ["final-set"]


def test_lagging_muscle_goes_to_failure() -> None:
    _, _, rules = decide("Bicep Curl (Dumbbell)", lagging=frozenset({Muscle.BICEPS}), **FINAL)
    assert "lagging" in rules
    _, _, rules = decide("Bicep Curl (Dumbbell)", lagging=frozenset({Muscle.QUADS}), **FINAL)
    assert "lagging" not in rules


@pytest.mark.parametrize(
    "name",
    ["Squat (Barbell)", "Bench Press (Barbell)", "Deadlift (Barbell)", "Overhead Press (Barbell)"],
)
def test_heavy_compounds_stay_one_to_three_short(name: str) -> None:
    failure, target, rules = decide(name, **FINAL)
    assert failure is AVOID and "heavy-compound" in rules
    assert 1 <= target.low <= target.high <= 3


def test_early_set_keeps_reps_in_reserve() -> None:
    failure, target, rules = decide("Pull Up", set_number=1, total_sets=3)
    assert failure is AVOID and rules == ["early-set"] and target == RirRange(1, 3)


def test_high_frequency_movement_avoids_failure() -> None:
    failure, _, rules = decide("Pull Up", weekly_frequency=3, **FINAL)
    assert failure is AVOID and "high-frequency" in rules
    assert "high-frequency" not in decide("Pull Up", weekly_frequency=1, **FINAL)[2]


def test_high_volume_phase_avoids_failure() -> None:
    failure, _, rules = decide("Pull Up", phase=Phase.HIGH_VOLUME, **FINAL)
    assert failure is AVOID and "high-volume" in rules


@pytest.mark.parametrize("name", ["Bent Over Row (Barbell)", "Behind the Neck Press (Barbell)"])
def test_injury_risk_is_never(name: str) -> None:
    failure, target, rules = decide(name, **FINAL)
    assert failure is NEVER and "injury-risk" in rules
    assert target.low >= 2


def test_risky_lift_alone_is_never_and_safe_lift_alone_is_not() -> None:
    failure, _, rules = decide("Bench Press (Barbell)", spotter=False, **FINAL)
    assert failure is NEVER and "alone-risky" in rules
    failure, _, rules = decide("Leg Extension (Machine)", spotter=False, **FINAL)
    assert failure is GO and "alone-risky" not in rules


def test_deload_is_never() -> None:
    failure, target, rules = decide("Bicep Curl (Cable)", phase=Phase.DELOAD, **FINAL)
    assert failure is NEVER and "deload" in rules and target.low >= 3


def test_accumulated_fatigue_is_never() -> None:
    failure, _, rules = decide("Leg Extension (Machine)", fatigued=True, **FINAL)
    assert failure is NEVER and "fatigued" in rules


# --- conflicts -----------------------------------------------------------------


def test_isolation_early_set_intersects_to_rir_1() -> None:
    # isolation RIR 0–1 ∩ early-set RIR 1–3 = RIR 1
    failure, target, rules = decide("Lateral Raise (Dumbbell)", set_number=1, total_sets=3)
    assert failure is AVOID and target == RirRange(1, 1)
    assert rules[0] == "early-set" and "isolation" in rules


def test_final_set_of_a_heavy_compound_still_stops_short() -> None:
    failure, target, rules = decide("Squat (Barbell)", **FINAL)
    assert failure is AVOID and {"final-set", "heavy-compound"} <= set(rules)
    assert target == RirRange(1, 1)


def test_isolation_in_a_high_volume_phase_is_rir_1() -> None:
    failure, target, _ = decide("Leg Extension (Machine)", phase=Phase.HIGH_VOLUME, **FINAL)
    assert failure is AVOID and target == RirRange(1, 1)


def test_deload_and_fatigue_override_everything() -> None:
    for extra in ({"phase": Phase.DELOAD}, {"fatigued": True}):
        failure, target, _ = decide(
            "Bicep Curl (Cable)", lagging=frozenset({Muscle.BICEPS}), **FINAL, **extra
        )
        assert failure is NEVER and 0 not in target


def test_isolation_never_above_rir_1_outside_a_deload() -> None:
    for number in (1, 2, 3):
        for phase in (Phase.NORMAL, Phase.HIGH_VOLUME):
            _, target, _ = decide(
                "Bicep Curl (Cable)",
                set_number=number,
                total_sets=3,
                weekly_frequency=3,
                phase=phase,
            )
            assert target.high <= 1


def test_reasons_name_the_exercise_in_plain_words() -> None:
    result = prescribe(SetContext(exercise=exercise("Bench Press (Barbell)"), spotter=False))
    assert result.reasons[0].rule == "alone-risky"
    assert "Bench Press (Barbell)" in result.reasons[0].text
    assert all(reason.text.endswith(".") for reason in result.reasons)


# --- techniques ------------------------------------------------------------------


def test_techniques_only_on_a_final_go_set_of_a_safe_exercise() -> None:
    curl = prescribe(SetContext(exercise=exercise("Bicep Curl (Cable)"), **FINAL))  # type: ignore[arg-type]
    assert curl.techniques.allowed() == ("drop_set", "rest_pause", "forced_reps")
    alone = prescribe(
        SetContext(exercise=exercise("Bicep Curl (Cable)"), spotter=False, **FINAL)  # type: ignore[arg-type]
    )
    assert not alone.techniques.forced_reps and alone.techniques.drop_set
    early = prescribe(SetContext(exercise=exercise("Bicep Curl (Cable)")))
    assert early.techniques.allowed() == ()
    squat = prescribe(SetContext(exercise=exercise("Squat (Barbell)"), **FINAL))  # type: ignore[arg-type]
    assert squat.techniques.allowed() == ()
    beginner = prescribe(
        SetContext(
            exercise=exercise("Bicep Curl (Cable)"),
            experience=Experience.BEGINNER,
            **FINAL,  # type: ignore[arg-type]
        )
    )
    assert beginner.techniques.allowed() == ()


def test_bad_context_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="set 4 is not one of the 3 working sets"):
        SetContext(exercise=exercise("Pull Up"), set_number=4, total_sets=3)
    with pytest.raises(InvalidInput, match="weekly frequency"):
        SetContext(exercise=exercise("Pull Up"), weekly_frequency=0)


# --- properties ------------------------------------------------------------------


@st.composite
def contexts(draw: st.DrawFn) -> SetContext:
    exercises = builtin_catalog().exercises
    total = draw(st.integers(1, 8))
    return SetContext(
        exercise=draw(st.sampled_from(exercises)),
        set_number=draw(st.integers(1, total)),
        total_sets=total,
        weekly_frequency=draw(st.integers(1, 6)),
        phase=draw(st.sampled_from(Phase)),
        spotter=draw(st.booleans()),
        fatigued=draw(st.booleans()),
        lagging=frozenset(draw(st.sets(st.sampled_from(Muscle)))),
        experience=draw(st.sampled_from(Experience)),
    )


@given(contexts())
def test_never_is_absorbing(context: SetContext) -> None:
    assert prescribe(replace(context, phase=Phase.DELOAD)).failure is NEVER
    assert prescribe(replace(context, fatigued=True)).failure is NEVER
    if context.exercise.needs_spotter:
        assert prescribe(replace(context, spotter=False)).failure is NEVER


@given(contexts())
def test_targets_are_non_empty_and_on_the_scale(context: SetContext) -> None:
    result = prescribe(context)
    assert 0 <= result.target_rir.low <= result.target_rir.high <= 10
    assert result.reasons, "every outcome says why"
    assert result.failure is max((r.effect for r in result.reasons), key=lambda e: e.strength)


@given(contexts())
def test_go_includes_failure_and_the_others_do_not(context: SetContext) -> None:
    result = prescribe(context)
    if result.failure is GO:
        assert 0 in result.target_rir
    else:
        assert 0 not in result.target_rir


@given(contexts())
def test_no_technique_past_failure_unless_go(context: SetContext) -> None:
    result = prescribe(context)
    if result.failure is not GO or context.phase is Phase.DELOAD or context.fatigued:
        assert result.techniques.allowed() == ()
    if result.techniques.forced_reps:
        assert context.spotter

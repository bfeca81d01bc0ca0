"""Every rule of the decision table, on real catalog exercises, with its conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.decision import (
    RULES,
    CallTrust,
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
SPOTTED = {"spotter": True}


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
        ("unproven-calls", AVOID),
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
    failure, target, rules = decide(name, **FINAL, **SPOTTED)
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
    failure, target, rules = decide("Squat (Barbell)", **FINAL, **SPOTTED)
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


# --- alone by default ---------------------------------------------------------------


def test_a_set_is_done_alone_unless_the_lifter_says_a_spotter_is_there() -> None:
    # The article: never to failure "when training alone without a spotter on
    # risky movements": with nothing said, assume the risky case.
    assert SetContext(exercise=exercise("Bench Press (Barbell)")).spotter is False
    failure, target, rules = decide("Bench Press (Barbell)", **FINAL)
    assert failure is NEVER and rules[0] == "alone-risky" and target.low >= 2
    failure, _, rules = decide("Bench Press (Barbell)", **FINAL, **SPOTTED)
    assert failure is AVOID and "alone-risky" not in rules


@pytest.mark.parametrize(
    "name",
    [
        "Bench Press (Dumbbell)",
        "Incline Bench Press (Dumbbell)",
        "Bench Press (Smith Machine)",
        "Incline Bench Press (Smith Machine)",
    ],
)
def test_dumbbell_and_smith_machine_pressing_alone_is_not_never(name: str) -> None:
    # Dumbbells are dropped to the side and a Smith machine racks anywhere:
    # pressing alone with them is how people train without a spotter.
    failure, target, rules = decide(name, spotter=False, **FINAL)
    assert failure is GO and "alone-risky" not in rules
    assert target == RirRange(0, 1)
    failure, target, _ = decide(name, spotter=False, set_number=1, total_sets=3)
    assert failure is AVOID and target.low >= 1


def test_a_dumbbell_bench_alone_on_its_last_set_goes_to_failure_but_gets_no_forced_reps() -> None:
    result = prescribe(
        SetContext(exercise=exercise("Bench Press (Dumbbell)"), spotter=False, **FINAL)  # type: ignore[arg-type]
    )
    assert result.failure is GO and [r.rule for r in result.deciding] == ["final-set"]
    assert not result.techniques.forced_reps


# --- loaded bent-over rows ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Bent Over Row (Barbell)",
        "Pendlay Row (Barbell)",
        "T-Bar Row (Barbell)",
        "Landmine Row",
        "Yates Row",
    ],
)
def test_a_bent_over_barbell_row_never_goes_to_failure_even_on_its_last_set(name: str) -> None:
    # The article's "heavy barbell rows": the lower back rounds under the bar at failure.
    failure, target, rules = decide(name, **FINAL, **SPOTTED)
    assert failure is NEVER and "injury-risk" in rules
    assert target.low >= 2
    result = prescribe(SetContext(exercise=exercise(name), **FINAL, **SPOTTED))  # type: ignore[arg-type]
    assert result.techniques.allowed() == ()


@pytest.mark.parametrize("name", ["Seal Row (Barbell)", "Chest Supported T-Bar Row (Machine)"])
def test_a_chest_supported_row_still_goes_to_failure_on_its_last_set(name: str) -> None:
    failure, target, rules = decide(name, **FINAL, **SPOTTED)
    assert failure is GO and "injury-risk" not in rules and target == RirRange(0, 1)


# --- lagging muscles keep their finisher ---------------------------------------------

BICEPS = frozenset({Muscle.BICEPS})


def test_lagging_biceps_keep_the_last_curl_to_failure_when_trained_three_times_a_week() -> None:
    failure, target, rules = decide(
        "Bicep Curl (Cable)", lagging=BICEPS, weekly_frequency=3, **FINAL
    )
    assert failure is GO and target == RirRange(0, 1)
    assert "lagging" in rules and "high-frequency" not in rules


def test_biceps_that_do_not_lag_stop_short_when_trained_three_times_a_week() -> None:
    failure, target, rules = decide("Bicep Curl (Cable)", weekly_frequency=3, **FINAL)
    assert failure is AVOID and "high-frequency" in rules and target == RirRange(1, 1)


def test_lagging_biceps_still_keep_a_rep_on_an_early_curl_set() -> None:
    failure, target, rules = decide(
        "Bicep Curl (Cable)", lagging=BICEPS, weekly_frequency=3, set_number=1, total_sets=3
    )
    assert failure is AVOID and target == RirRange(1, 1)
    assert {"early-set", "high-frequency"} <= set(rules)


def test_a_lagging_muscles_machine_finisher_goes_to_failure_in_a_high_volume_phase() -> None:
    failure, target, rules = decide(
        "Leg Extension (Machine)",
        lagging=frozenset({Muscle.QUADS}),
        phase=Phase.HIGH_VOLUME,
        **FINAL,
    )
    assert failure is GO and target == RirRange(0, 1) and "high-volume" not in rules
    # Without the lagging muscle the high-volume phase holds it at RIR 1.
    failure, target, _ = decide("Leg Extension (Machine)", phase=Phase.HIGH_VOLUME, **FINAL)
    assert failure is AVOID and target == RirRange(1, 1)


def test_the_lagging_reason_says_what_it_overrides() -> None:
    result = prescribe(
        SetContext(
            exercise=exercise("Bicep Curl (Cable)"),
            lagging=BICEPS,
            weekly_frequency=3,
            **FINAL,  # type: ignore[arg-type]
        )
    )
    text = next(r.text for r in result.reasons if r.rule == "lagging")
    assert "biceps" in text and "lagging" in text
    assert "even though you train this movement 3 times a week" in text


def test_lagging_does_not_beat_heavy_compounds_free_compounds_or_never_rules() -> None:
    quads = frozenset({Muscle.QUADS})
    # A heavy compound stays 1–3 short, lagging or not.
    failure, _, rules = decide(
        "Squat (Barbell)", lagging=quads, weekly_frequency=3, **FINAL, **SPOTTED
    )
    assert failure is AVOID and "heavy-compound" in rules
    # A free compound trained often is not isolation or machine work: it stays short.
    failure, _, rules = decide(
        "Pull Up", lagging=frozenset({Muscle.BACK}), weekly_frequency=3, **FINAL
    )
    assert failure is AVOID and "high-frequency" in rules
    # Deload, fatigue and injury risk still say never.
    for extra in ({"phase": Phase.DELOAD}, {"fatigued": True}):
        failure, _, _ = decide(
            "Bicep Curl (Cable)", lagging=BICEPS, weekly_frequency=3, **FINAL, **extra
        )
        assert failure is NEVER
    failure, _, _ = decide(
        "Bent Over Row (Barbell)", lagging=frozenset({Muscle.BACK}), **FINAL, **SPOTTED
    )
    assert failure is NEVER


# --- calls that cannot be trusted yet ---------------------------------------------------


def test_a_beginners_deadlift_uncalibrated_stays_two_or_more_short() -> None:
    # The article: beginners who think they are at RIR 1 are often at RIR 4–5.
    failure, target, rules = decide(
        "Deadlift (Barbell)", experience=Experience.BEGINNER, set_number=5, total_sets=5
    )
    assert failure is AVOID and "unproven-calls" in rules
    assert target == RirRange(2, 3)


def test_an_advanced_lifters_last_deadlift_set_is_rir_1() -> None:
    failure, target, rules = decide(
        "Deadlift (Barbell)", experience=Experience.ADVANCED, set_number=5, total_sets=5
    )
    assert failure is AVOID and "unproven-calls" not in rules
    assert target == RirRange(1, 1)
    _, early, _ = decide("Deadlift (Barbell)", experience=Experience.ADVANCED, set_number=1)
    assert early == RirRange(1, 3)


def test_a_beginner_whose_calls_are_calibrated_gets_the_usual_target() -> None:
    failure, target, rules = decide(
        "Deadlift (Barbell)",
        experience=Experience.BEGINNER,
        call_trust=CallTrust.CALIBRATED,
        set_number=5,
        total_sets=5,
    )
    assert failure is AVOID and "unproven-calls" not in rules
    assert target == RirRange(1, 1)


def test_anyone_whose_calls_scatter_keeps_heavy_compounds_two_or_more_short() -> None:
    for experience in Experience:
        failure, target, rules = decide(
            "Squat (Barbell)",
            experience=experience,
            call_trust=CallTrust.INCONSISTENT,
            **FINAL,
            **SPOTTED,
        )
        assert failure is AVOID and "unproven-calls" in rules
        assert target == RirRange(2, 3)


def test_unproven_calls_leave_isolation_and_lighter_compounds_alone() -> None:
    failure, _, rules = decide("Bicep Curl (Cable)", experience=Experience.BEGINNER, **FINAL)
    assert failure is GO and "unproven-calls" not in rules
    failure, _, rules = decide("Pull Up", experience=Experience.BEGINNER, **FINAL)
    assert failure is GO and "unproven-calls" not in rules


def test_the_unproven_calls_reason_quotes_the_article() -> None:
    result = prescribe(
        SetContext(
            exercise=exercise("Deadlift (Barbell)"),
            experience=Experience.BEGINNER,
            **FINAL,  # type: ignore[arg-type]
        )
    )
    text = next(r.text for r in result.reasons if r.rule == "unproven-calls")
    assert "RIR 4–5" in text and "RIR 2–3" in text and "Deadlift (Barbell)" in text
    scattered = prescribe(
        SetContext(
            exercise=exercise("Deadlift (Barbell)"),
            call_trust=CallTrust.INCONSISTENT,
            **FINAL,  # type: ignore[arg-type]
        )
    )
    text = next(r.text for r in scattered.reasons if r.rule == "unproven-calls")
    assert "scatter" in text and "RIR 2–3" in text


# --- a go set reads as failure ---------------------------------------------------------


def test_a_go_set_reads_rir_0_to_1_to_failure_and_an_avoid_set_does_not() -> None:
    go = prescribe(SetContext(exercise=exercise("Bicep Curl (Cable)"), **FINAL))  # type: ignore[arg-type]
    assert go.target_text == "RIR 0–1 (to failure)"
    avoid = prescribe(SetContext(exercise=exercise("Bicep Curl (Cable)")))
    assert avoid.target_text == "RIR 1"


# --- techniques ------------------------------------------------------------------


def test_techniques_only_on_a_final_go_set_of_a_safe_exercise() -> None:
    curl = prescribe(
        SetContext(exercise=exercise("Bicep Curl (Cable)"), spotter=True, **FINAL)  # type: ignore[arg-type]
    )
    assert curl.techniques.allowed() == ("drop_set", "rest_pause", "forced_reps")
    alone = prescribe(
        SetContext(exercise=exercise("Bicep Curl (Cable)"), spotter=False, **FINAL)  # type: ignore[arg-type]
    )
    assert not alone.techniques.forced_reps and alone.techniques.drop_set
    early = prescribe(SetContext(exercise=exercise("Bicep Curl (Cable)")))
    assert early.techniques.allowed() == ()
    squat = prescribe(SetContext(exercise=exercise("Squat (Barbell)"), spotter=True, **FINAL))  # type: ignore[arg-type]
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
        call_trust=draw(st.sampled_from(CallTrust)),
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


@given(contexts())
def test_a_go_target_always_shows_failure(context: SetContext) -> None:
    result = prescribe(context)
    if result.failure is GO:
        assert str(result.target_rir) == "RIR 0–1"
        assert result.target_text == "RIR 0–1 (to failure)"
    else:
        assert "failure" not in result.target_text


@given(contexts())
def test_lagging_never_makes_a_set_less_safe(context: SetContext) -> None:
    plain = prescribe(replace(context, lagging=frozenset()))
    lagging = prescribe(context)
    if plain.failure is NEVER or context.exercise.heavy_compound:
        assert lagging.failure is plain.failure
    if lagging.failure is not plain.failure:
        assert context.is_lagging_finisher and lagging.failure is GO


@given(contexts())
def test_unproven_calls_keep_heavy_compounds_at_rir_2_or_more(context: SetContext) -> None:
    if context.exercise.heavy_compound and context.calls_unproven:
        assert prescribe(context).target_rir.low >= 2

"""The intensity-technique governor, on real catalog exercises."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.context import Experience, FailurePolicy, Phase, SetContext
from failwise.domain.decision import prescribe
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise, InjuryRisk, Muscle
from failwise.domain.strength import e1rm
from failwise.domain.techniques import (
    MAX_DROP_SETS_PER_SESSION,
    REFUSAL_RULES,
    DropSetPlan,
    ForcedRepsPlan,
    RestPausePlan,
    Technique,
    TechniqueDecision,
    TechniqueRequest,
    eligibility,
    govern,
    reps_after_drop,
    rest_pause_reps,
)
from failwise.services.catalog import builtin_catalog

CURL = "Bicep Curl (Cable)"
LEG_EXTENSION = "Leg Extension (Machine)"
LATERAL_RAISE = "Lateral Raise (Dumbbell)"
SQUAT = "Squat (Barbell)"
BENCH = "Bench Press (Barbell)"
ROW = "Bent Over Row (Barbell)"
PULL_UP = "Pull Up"

DROP, REST_PAUSE, FORCED = Technique.DROP_SET, Technique.REST_PAUSE, Technique.FORCED_REPS


def exercise(name: str) -> Exercise:
    return builtin_catalog().resolve(name)


def final_set(name: str, **context: Any) -> SetContext:
    """The last of 3 working sets, with a spotter unless told otherwise."""
    return SetContext(
        exercise=exercise(name), **{"set_number": 3, "total_sets": 3, "spotter": True, **context}
    )


def ask(
    name: str, technique: Technique, context: dict[str, Any] | None = None, **request: Any
) -> TechniqueDecision:
    return govern(TechniqueRequest(final_set(name, **(context or {})), technique, **request))


def rules(decision: TechniqueDecision) -> list[str]:
    return [refusal.rule for refusal in decision.refusals]


def test_technique_names_are_the_cli_words() -> None:
    assert [t.value for t in Technique] == ["drop-set", "rest-pause", "forced-reps"]
    assert [t.label for t in Technique] == ["drop set", "rest-pause", "forced reps"]


# --- allowed -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [CURL, LEG_EXTENSION, LATERAL_RAISE])
@pytest.mark.parametrize("technique", list(Technique))
def test_a_final_set_of_safe_isolation_work_allows_every_technique(
    name: str, technique: Technique
) -> None:
    decision = ask(name, technique)
    assert decision.allowed and decision.refusals == ()
    assert decision.failure is FailurePolicy.GO
    assert decision.plan is not None


def test_a_safe_free_compound_allows_rest_pause_and_forced_reps_but_not_drop_sets() -> None:
    assert ask(PULL_UP, REST_PAUSE).allowed
    assert ask(PULL_UP, FORCED).allowed
    assert rules(ask(PULL_UP, DROP)) == ["not-isolation-or-machine"]


def test_a_compound_machine_counts_as_machine_work_for_drop_sets() -> None:
    assert ask("Leg Press", DROP, exercises_left=1).allowed


# --- each refusal rule on its own case ------------------------------------------------

REFUSAL_CASES: list[tuple[str, str, Technique, dict[str, Any], dict[str, Any]]] = [
    ("never-set", ROW, REST_PAUSE, {}, {}),
    ("never-set", BENCH, REST_PAUSE, {"spotter": False}, {}),
    ("avoid-set", SQUAT, REST_PAUSE, {}, {}),
    ("avoid-set", CURL, DROP, {"weekly_frequency": 3}, {}),
    ("not-final-set", CURL, DROP, {"set_number": 1}, {}),
    ("deload", CURL, DROP, {"phase": Phase.DELOAD}, {}),
    ("high-volume", CURL, REST_PAUSE, {"phase": Phase.HIGH_VOLUME}, {}),
    ("fatigued", LEG_EXTENSION, DROP, {"fatigued": True}, {}),
    ("beginner", CURL, DROP, {"experience": Experience.BEGINNER}, {}),
    ("unsafe-exercise", BENCH, FORCED, {}, {}),
    ("unsafe-exercise", ROW, FORCED, {}, {}),
    ("not-isolation-or-machine", PULL_UP, DROP, {}, {}),
    ("no-spotter", CURL, FORCED, {"spotter": False}, {}),
    ("drop-set-limit", CURL, DROP, {}, {"drop_sets_done": 2}),
    ("not-end-of-workout", CURL, DROP, {}, {"exercises_left": 2}),
    ("no-lighter-load", LATERAL_RAISE, DROP, {}, {"load": 2.0}),
]


@pytest.mark.parametrize(("rule", "name", "technique", "context", "request_"), REFUSAL_CASES)
def test_each_refusal_fires_on_its_case_and_names_itself(
    rule: str,
    name: str,
    technique: Technique,
    context: dict[str, Any],
    request_: dict[str, Any],
) -> None:
    decision = ask(name, technique, context, **request_)
    assert not decision.allowed and decision.plan is None
    assert rule in rules(decision)
    refusal = next(r for r in decision.refusals if r.rule == rule)
    assert refusal.text.endswith(".") and refusal.text[0].isupper()


@pytest.mark.parametrize(
    ("rule", "name", "technique", "context", "request_"),
    [
        ("beginner", CURL, DROP, {"experience": Experience.BEGINNER}, {}),
        ("not-isolation-or-machine", PULL_UP, DROP, {}, {}),
        ("no-spotter", CURL, FORCED, {"spotter": False}, {}),
        ("drop-set-limit", CURL, DROP, {}, {"drop_sets_done": 2}),
        ("not-end-of-workout", CURL, DROP, {}, {"exercises_left": 2}),
        ("no-lighter-load", LATERAL_RAISE, DROP, {}, {"load": 2.0}),
    ],
)
def test_a_rule_alone_is_enough_to_refuse(
    rule: str,
    name: str,
    technique: Technique,
    context: dict[str, Any],
    request_: dict[str, Any],
) -> None:
    assert rules(ask(name, technique, context, **request_)) == [rule]


def test_a_never_set_names_the_rules_that_made_it_never() -> None:
    row = ask(ROW, REST_PAUSE)
    assert row.failure is FailurePolicy.NEVER
    assert "(injury-risk)" in row.refusals[0].text
    bench = ask(BENCH, DROP, {"spotter": False})
    assert "alone-risky" in bench.refusals[0].text
    # Without the deciding rules, the sentence still stands on its own.
    bare = eligibility(final_set(ROW), REST_PAUSE, FailurePolicy.NEVER)
    assert bare[0].text == "This set must not approach failure, let alone go past it."


def test_every_rule_that_refused_is_listed_not_just_the_first() -> None:
    decision = ask(
        SQUAT,
        DROP,
        {"spotter": False, "phase": Phase.DELOAD, "fatigued": True, "set_number": 1},
        drop_sets_done=2,
        exercises_left=3,
    )
    assert rules(decision) == [
        "never-set",
        "not-final-set",
        "deload",
        "fatigued",
        "unsafe-exercise",
        "not-isolation-or-machine",
        "drop-set-limit",
        "not-end-of-workout",
    ]


def test_unsafe_exercise_says_why() -> None:
    bench = next(r for r in ask(BENCH, FORCED).refusals if r.rule == "unsafe-exercise")
    assert bench.text.startswith("Bench Press (Barbell) is a heavy compound with moderate injury")
    row = next(r for r in ask(ROW, FORCED).refusals if r.rule == "unsafe-exercise")
    assert row.text.startswith("Bent Over Row (Barbell) is a lift with high injury risk")


# --- session rules -------------------------------------------------------------------


def test_drop_sets_stop_at_two_per_session() -> None:
    assert MAX_DROP_SETS_PER_SESSION == 2  # the article: "1-2 drop sets per session maximum"
    assert ask(CURL, DROP, drop_sets_done=0).allowed
    assert ask(CURL, DROP, drop_sets_done=1).allowed
    for done in (2, 3, 7):
        assert rules(ask(CURL, DROP, drop_sets_done=done)) == ["drop-set-limit"]
    # The limit counts drop sets only.
    assert ask(CURL, REST_PAUSE, drop_sets_done=5).allowed


def test_drop_sets_belong_to_the_last_two_exercises() -> None:
    assert ask(CURL, DROP, exercises_left=0).allowed
    assert ask(CURL, DROP, exercises_left=1).allowed
    assert rules(ask(CURL, DROP, exercises_left=2)) == ["not-end-of-workout"]
    # The article places only drop sets at the end of the workout.
    assert ask(CURL, REST_PAUSE, exercises_left=4).allowed


def test_forced_reps_need_a_spotter_and_a_safe_exercise() -> None:
    assert ask(CURL, FORCED, {"spotter": True}).allowed
    assert rules(ask(CURL, FORCED, {"spotter": False})) == ["no-spotter"]
    for name in (SQUAT, BENCH, ROW):
        decision = ask(name, FORCED, {"spotter": True})
        assert not decision.allowed and "unsafe-exercise" in rules(decision)


# --- plans ---------------------------------------------------------------------------


def test_drop_set_plan_on_a_cable_curl() -> None:
    decision = ask(CURL, DROP, load=100, reps=8)
    assert decision.plan == DropSetPlan(
        drop_fraction_low=0.20,
        drop_fraction_high=0.30,
        drops=1,
        load_low=70.0,
        load_high=80.0,
        expected_reps_low=5,
        expected_reps_high=10,
    )


def test_drop_set_plan_without_numbers_gives_the_fractions() -> None:
    plan = ask(LEG_EXTENSION, DROP).plan
    assert isinstance(plan, DropSetPlan)
    assert (plan.drop_fraction_low, plan.drop_fraction_high) == (0.20, 0.30)
    assert plan.load_low is None and plan.expected_reps_low is None
    by_reps = ask(LEG_EXTENSION, DROP, reps=12).plan
    assert isinstance(by_reps, DropSetPlan) and by_reps.load_low is None
    assert (by_reps.expected_reps_low, by_reps.expected_reps_high) == (7, 12)


def test_drop_loads_round_to_the_exercise_increment() -> None:
    # Dumbbells step by 2 kg: 20 kg → 16 (a 20% drop) down to 14 (30%).
    plan = ask(LATERAL_RAISE, DROP, load=20).plan
    assert isinstance(plan, DropSetPlan) and (plan.load_low, plan.load_high) == (14.0, 16.0)
    # 12 kg: no 2 kg step lies within 8.4–9.6 (8 kg would be a 33% drop): no drop set.
    small = ask(LATERAL_RAISE, DROP, load=12)
    assert not small.allowed and rules(small) == ["no-lighter-load"]


def test_a_drop_set_never_drops_more_than_30_percent() -> None:
    # 4 kg dumbbells step by 2 kg: the only lighter load, 2 kg, is a 50% drop.
    raise_4kg = ask(LATERAL_RAISE, DROP, load=4, reps=15)
    assert not raise_4kg.allowed and rules(raise_4kg) == ["no-lighter-load"]
    assert "skip the drop" in raise_4kg.refusals[0].text
    # A leg press at 30 kg steps by 5 kg: 25 is under a 20% drop, 20 over 30%.
    press = govern(TechniqueRequest(final_set("Leg Press (Machine)"), DROP, load=30, reps=12))
    assert not press.allowed and rules(press) == ["no-lighter-load"]
    # 20 kg raises failed at 15: drop to 14–16 kg and expect 7–12 reps, not 30.
    plan = ask(LATERAL_RAISE, DROP, load=20, reps=15).plan
    assert plan == DropSetPlan(
        load_low=14.0, load_high=16.0, expected_reps_low=7, expected_reps_high=12
    )


drop_exercises = [
    e
    for e in builtin_catalog().exercises
    if (e.is_isolation or e.fixed_path)
    and e.injury_risk is InjuryRisk.LOW
    and not e.heavy_compound
    and not e.needs_spotter
]


def _on_step(load: float, increment: float) -> bool:
    return math.isclose(load / increment, round(load / increment), abs_tol=1e-6)


@given(
    st.sampled_from(drop_exercises),
    st.floats(1, 400, allow_nan=False),
    st.integers(1, 30),
)
def test_drop_plans_are_20_to_30_percent_lighter_on_the_stack(
    chosen: Exercise, load: float, reps: int
) -> None:
    context = SetContext(exercise=chosen, set_number=3, total_sets=3)
    decision = govern(TechniqueRequest(context, DROP, load=load, reps=reps))
    step = chosen.increment_kg
    no_step_in_range = math.ceil(load * 0.7 / step - 1e-9) * step > load * 0.8 + 1e-9
    if not decision.allowed:
        assert rules(decision) == ["no-lighter-load"] and no_step_in_range
        return
    assert not no_step_in_range
    plan = decision.plan
    assert isinstance(plan, DropSetPlan)
    assert plan.load_low is not None and plan.load_high is not None
    assert _on_step(plan.load_low, step) and _on_step(plan.load_high, step)
    # Never less than a 20% drop, never more than 30%.
    assert load * 0.7 - 1e-6 <= plan.load_low <= plan.load_high <= load * 0.8 + 1e-6
    # Expected reps: at least 1, more at the lighter load, and fewer than a fresh
    # set at that load would give (Epley from the set that failed).
    assert plan.expected_reps_low is not None and plan.expected_reps_high is not None
    assert 1 <= plan.expected_reps_low <= plan.expected_reps_high
    strength = e1rm(load, reps)
    assert plan.expected_reps_low < 30 * (strength / plan.load_high - 1)
    assert plan.expected_reps_high < 30 * (strength / plan.load_low - 1)


@given(st.integers(1, 40), st.floats(0.3, 0.95))
def test_reps_after_a_drop_are_honest(reps: int, fraction: float) -> None:
    expected = reps_after_drop(reps, fraction)
    fresh = 30 * (e1rm(1.0, reps) / fraction - 1)
    assert 1 <= expected < fresh
    # A lighter load never gives fewer reps.
    assert reps_after_drop(reps, fraction * 0.9) >= expected


def test_reps_after_a_drop_are_fewer_than_the_set_on_a_20_percent_drop_from_8_or_more() -> None:
    # Right after failure the lifter cannot lift more than the load just failed:
    # a 20% drop gives at most Epley's 7.5 reps, fewer than a set of 8 or more.
    for reps in range(8, 31):
        assert reps_after_drop(reps, 0.8) < reps


def test_bad_drop_arguments_are_refused() -> None:
    with pytest.raises(InvalidInput, match="lighter than the set's"):
        reps_after_drop(8, 1.0)
    with pytest.raises(InvalidInput, match="reps must be at least 1"):
        reps_after_drop(0, 0.8)


def test_rest_pause_plan() -> None:
    plan = ask(CURL, REST_PAUSE, reps=10).plan
    assert plan == RestPausePlan(
        rest_seconds_low=10, rest_seconds_high=15, mini_sets=2, expected_reps=(5, 2)
    )
    advanced = ask(CURL, REST_PAUSE, {"experience": Experience.ADVANCED}, reps=12).plan
    assert isinstance(advanced, RestPausePlan) and advanced.mini_sets == 3
    assert advanced.expected_reps == (6, 3, 1)
    bare = ask(CURL, REST_PAUSE).plan
    assert isinstance(bare, RestPausePlan) and bare.expected_reps is None


@given(st.integers(1, 40), st.integers(1, 3))
def test_rest_pause_mini_sets_shrink_and_never_reach_zero(reps: int, mini_sets: int) -> None:
    expected = rest_pause_reps(reps, mini_sets)
    assert len(expected) == mini_sets
    assert all(n >= 1 for n in expected)
    assert list(expected) == sorted(expected, reverse=True)
    assert expected[0] <= max(1, reps // 2)


def test_forced_reps_plan() -> None:
    plan = ask(CURL, FORCED).plan
    assert isinstance(plan, ForcedRepsPlan) and plan.forced_reps_max == 1
    assert "at most 1 more rep;" in plan.spotter_instruction
    advanced = ask(PULL_UP, FORCED, {"experience": Experience.ADVANCED}).plan
    assert isinstance(advanced, ForcedRepsPlan) and advanced.forced_reps_max == 2


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"drop_sets_done": -1}, "drop sets done this session must be 0 or more, not -1"),
        ({"exercises_left": -2}, "exercises left in the workout must be 0 or more, not -2"),
        ({"load": 0.0}, "load must be a positive number, not 0"),
        ({"load": -5.0}, "load must be a positive number, not -5"),
        ({"load": math.nan}, "load must be a positive number"),
        ({"reps": 0}, "reps must be at least 1, not 0"),
    ],
)
def test_bad_requests_are_rejected(request_: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        TechniqueRequest(final_set(CURL), DROP, **request_)


# --- properties over random contexts ----------------------------------------------------


@st.composite
def contexts(draw: st.DrawFn) -> SetContext:
    total = draw(st.integers(1, 6))
    return SetContext(
        exercise=draw(st.sampled_from(builtin_catalog().exercises)),
        set_number=draw(st.integers(1, total)),
        total_sets=total,
        weekly_frequency=draw(st.integers(1, 4)),
        phase=draw(st.sampled_from(Phase)),
        spotter=draw(st.booleans()),
        fatigued=draw(st.booleans()),
        lagging=frozenset(draw(st.sets(st.sampled_from(Muscle)))),
        experience=draw(st.sampled_from(Experience)),
    )


@st.composite
def requests(draw: st.DrawFn) -> TechniqueRequest:
    return TechniqueRequest(
        context=draw(contexts()),
        technique=draw(st.sampled_from(Technique)),
        load=draw(st.none() | st.floats(1, 300)),
        reps=draw(st.none() | st.integers(1, 25)),
        drop_sets_done=draw(st.integers(0, 4)),
        exercises_left=draw(st.integers(0, 5)),
    )


@given(requests())
def test_no_technique_on_a_never_or_avoid_set_in_a_deload_or_under_fatigue(
    asked: TechniqueRequest,
) -> None:
    context = asked.context
    decision = govern(asked)
    assert decision.failure is prescribe(context).failure
    if decision.failure is not FailurePolicy.GO:
        assert not decision.allowed
        assert {"never-set", "avoid-set"} & set(rules(decision))
    if context.phase is Phase.DELOAD:
        assert not decision.allowed and "deload" in rules(decision)
    if context.fatigued:
        assert not decision.allowed and "fatigued" in rules(decision)
    for forced in (replace(context, phase=Phase.DELOAD), replace(context, fatigued=True)):
        assert not govern(replace(asked, context=forced)).allowed


@given(requests())
def test_a_decision_is_allowed_with_a_plan_or_refused_with_named_rules(
    asked: TechniqueRequest,
) -> None:
    decision = govern(asked)
    assert decision.technique is asked.technique
    assert decision.allowed == (decision.refusals == ()) == (decision.plan is not None)
    assert all(refusal.rule in REFUSAL_RULES for refusal in decision.refusals)
    assert len(set(rules(decision))) == len(decision.refusals)
    if decision.plan is not None:
        kind = {DROP: DropSetPlan, REST_PAUSE: RestPausePlan, FORCED: ForcedRepsPlan}
        assert isinstance(decision.plan, kind[asked.technique])
    if decision.allowed and asked.technique is FORCED:
        assert asked.context.spotter
    if decision.allowed and asked.technique is DROP:
        assert asked.drop_sets_done < 2 and asked.exercises_left <= 1


@given(contexts())
def test_prescribe_and_eligibility_agree_on_every_technique(context: SetContext) -> None:
    result = prescribe(context)
    flags = {
        DROP: result.techniques.drop_set,
        REST_PAUSE: result.techniques.rest_pause,
        FORCED: result.techniques.forced_reps,
    }
    for technique, allowed in flags.items():
        refusals = eligibility(context, technique, result.failure)
        assert allowed == (not refusals)
        # With nothing said about the session, govern agrees with the per-set rules.
        assert govern(TechniqueRequest(context, technique)).allowed == allowed

"""Unknown exercise names get the guess a careful coach would make, and the lifter corrects it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.context import FailurePolicy, SetContext
from failwise.domain.decision import prescribe
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Catalog,
    Equipment,
    Exercise,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
    exercise_from_record,
    exercise_to_record,
)
from failwise.domain.guess import add_guessed, guess_exercise

FREE = {Equipment.BARBELL, Equipment.TRAP_BAR, Equipment.EZ_BAR, Equipment.DUMBBELL}
FREE |= {Equipment.KETTLEBELL, Equipment.BODYWEIGHT}


def guessed(name: str) -> Exercise:
    return add_guessed(Catalog(()), name).resolve(name)


def final_set(exercise: Exercise, *, spotter: bool) -> FailurePolicy:
    """What the real decision engine says about the last of three sets."""
    context = SetContext(exercise=exercise, set_number=3, total_sets=3, spotter=spotter)
    return prescribe(context).failure


def test_a_snatch_grip_deadlift_is_a_heavy_free_weight_hinge_whose_last_set_is_not_go() -> None:
    deadlift = guessed("Snatch Grip Deadlift")
    assert deadlift.custom and deadlift.guessed
    assert deadlift.equipment is Equipment.BARBELL and not deadlift.fixed_path
    assert deadlift.pattern is Pattern.HINGE and deadlift.mechanics is Mechanics.COMPOUND
    assert deadlift.heavy_compound and deadlift.injury_risk is not InjuryRisk.LOW
    for spotter in (True, False):
        decision = prescribe(
            SetContext(exercise=deadlift, set_number=3, total_sets=3, spotter=spotter)
        )
        assert decision.failure is not FailurePolicy.GO
        assert "machine" not in [reason.rule for reason in decision.reasons]
        assert "fixed path" not in " ".join(reason.text for reason in decision.reasons)


def test_a_log_press_is_a_free_weight_press_that_pins_a_lifter_alone() -> None:
    log = guessed("Log Press")
    assert log.equipment is Equipment.BARBELL and not log.fixed_path
    assert log.pattern is Pattern.VERTICAL_PUSH and Muscle.SHOULDERS in log.primary
    assert log.heavy_compound and log.needs_spotter
    assert final_set(log, spotter=True) is FailurePolicy.AVOID
    assert final_set(log, spotter=False) is FailurePolicy.NEVER


def test_a_name_that_says_machine_is_a_machine() -> None:
    machine = guessed("Chest Press Machine")
    assert machine.equipment is Equipment.MACHINE and machine.fixed_path
    assert machine.pattern is Pattern.HORIZONTAL_PUSH and machine.primary == (Muscle.CHEST,)
    assert not machine.heavy_compound and machine.injury_risk is InjuryRisk.LOW
    assert final_set(machine, spotter=False) is FailurePolicy.GO


def test_a_cable_fly_is_cable_isolation() -> None:
    fly = guessed("Cable Fly Thing")
    assert fly.equipment is Equipment.CABLE and not fly.fixed_path
    assert fly.mechanics is Mechanics.ISOLATION and fly.pattern is Pattern.FLY
    assert fly.primary == (Muscle.CHEST,)
    assert final_set(fly, spotter=False) is FailurePolicy.GO


@pytest.mark.parametrize(
    ("name", "pattern", "equipment"),
    [
        ("Power Clean", Pattern.HINGE, Equipment.BARBELL),
        ("Hang Snatch", Pattern.HINGE, Equipment.BARBELL),
        ("Clean and Jerk", Pattern.HINGE, Equipment.BARBELL),
        ("Overhead Squat", Pattern.SQUAT, Equipment.BARBELL),
        ("Good Morning (Safety Bar)", Pattern.HINGE, Equipment.BARBELL),
        ("Yates Row", Pattern.HORIZONTAL_PULL, Equipment.BARBELL),
        ("Behind the Neck Press", Pattern.VERTICAL_PUSH, Equipment.BARBELL),
    ],
)
def test_technical_and_spine_flexing_lifts_are_never_taken_near_failure(
    name: str, pattern: Pattern, equipment: Equipment
) -> None:
    lift = guessed(name)
    assert (lift.pattern, lift.equipment, lift.fixed_path) == (pattern, equipment, False)
    assert lift.injury_risk is InjuryRisk.HIGH
    assert final_set(lift, spotter=True) is FailurePolicy.NEVER


@pytest.mark.parametrize(
    "name",
    ["Zercher Squat", "Axle Press", "Floor Press", "Thruster", "Deficit Deadlift", "Pin Press"],
)
def test_barbell_squats_presses_and_pulls_are_heavy_compounds(name: str) -> None:
    lift = guessed(name)
    assert lift.equipment is Equipment.BARBELL and not lift.fixed_path
    assert lift.heavy_compound and lift.mechanics is Mechanics.COMPOUND
    assert final_set(lift, spotter=True) is not FailurePolicy.GO


@pytest.mark.parametrize(
    ("name", "equipment"),
    [
        ("Deep Hack Squat", Equipment.MACHINE),
        ("Single Leg Leg Press", Equipment.MACHINE),
        ("Smith Machine Lunge", Equipment.SMITH_MACHINE),
        ("Iso-Lateral Row (Machine)", Equipment.MACHINE),
        ("Hammer Strength Shoulder Press", Equipment.MACHINE),
    ],
)
def test_only_names_that_say_so_run_on_a_fixed_path(name: str, equipment: Equipment) -> None:
    machine = guessed(name)
    assert machine.equipment is equipment and machine.fixed_path


@pytest.mark.parametrize(
    ("name", "pattern", "equipment", "primary"),
    [
        ("Zottman Curl", Pattern.CURL, Equipment.DUMBBELL, Muscle.BICEPS),
        ("Tricep Pushdown (Rope)", Pattern.TRICEPS_EXTENSION, Equipment.CABLE, Muscle.TRICEPS),
        ("Lu Raise (Dumbbell)", Pattern.LATERAL_RAISE, Equipment.DUMBBELL, Muscle.SHOULDERS),
        ("Face Pulls", Pattern.REAR_DELT, Equipment.CABLE, Muscle.SHOULDERS),
        ("Weighted Chin-Up", Pattern.VERTICAL_PULL, Equipment.BODYWEIGHT, Muscle.BACK),
        ("Seated Row", Pattern.HORIZONTAL_PULL, Equipment.CABLE, Muscle.BACK),
        ("Goblet Squat", Pattern.SQUAT, Equipment.DUMBBELL, Muscle.QUADS),
        ("Leg Press Calf Raise", Pattern.CALF_RAISE, Equipment.MACHINE, Muscle.CALVES),
    ],
)
def test_everyday_names_get_their_movement_and_equipment(
    name: str, pattern: Pattern, equipment: Equipment, primary: Muscle
) -> None:
    found = guessed(name)
    assert (found.pattern, found.equipment, found.primary[0]) == (pattern, equipment, primary)


def test_a_name_that_says_nothing_known_is_kept_short_of_failure() -> None:
    mystery = guess_exercise("Mystery Movement")
    assert not mystery.known_movement
    assert mystery.mechanics is Mechanics.COMPOUND and not mystery.fixed_path
    assert mystery.equipment in FREE and mystery.heavy_compound
    exercise = guessed("Mystery Movement")
    assert final_set(exercise, spotter=True) is not FailurePolicy.GO


_MACHINE_WORDS = ("machine", "smith", "leg press", "hack squat", "pendulum", "belt squat")
_LIFTS = st.sampled_from(
    ["deadlift", "squat", "press", "row", "clean", "snatch", "jerk", "thruster",
     "good morning", "lunge", "log press", "axle press", "bench press", "overhead press"]
)  # fmt: skip
_WORDS = st.sampled_from(
    ["deficit", "paused", "tempo", "snatch grip", "close grip", "wide", "front", "zercher",
     "box", "pin", "block", "heavy", "single", "arm", "(barbell)", "my", "variation", "2"]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=3), _LIFTS, st.lists(_WORDS, max_size=3))
def test_a_free_weight_lift_name_never_becomes_a_fixed_path_machine(
    before: list[str], lift: str, after: list[str]
) -> None:
    name = " ".join([*before, lift, *after])
    assert not any(word in name for word in _MACHINE_WORDS)
    guess = guess_exercise(name)
    assert not guess.fixed_path and guess.equipment in FREE
    assert guess.mechanics is Mechanics.COMPOUND
    exercise = guessed(name)
    assert final_set(exercise, spotter=True) is not FailurePolicy.GO


@given(st.text(max_size=40))
def test_any_name_gets_a_valid_guess(name: str) -> None:
    guess = guess_exercise(name)
    assert guess.primary and not set(guess.primary) & set(guess.secondary)
    assert guess.fixed_path == (guess.equipment in (Equipment.MACHINE, Equipment.SMITH_MACHINE))
    assert guess.increment_kg > 0


# --- the lifter corrects a guess ---------------------------------------------------------


def test_a_correction_changes_the_attributes_and_clears_the_guess() -> None:
    catalog = add_guessed(Catalog(()), "Mystery Movement")
    mine = catalog.resolve("Mystery Movement")
    fixed = catalog.correct_custom(
        mine.id,
        equipment="cable",
        mechanics="isolation",
        pattern="lateral-raise",
        primary=["shoulders"],
        injury_risk="low",
        heavy_compound=False,
        increment_kg=1.25,
    ).get(mine.id)
    assert not fixed.guessed and fixed.custom
    assert (fixed.equipment, fixed.mechanics, fixed.pattern) == (
        Equipment.CABLE,
        Mechanics.ISOLATION,
        Pattern.LATERAL_RAISE,
    )
    assert fixed.primary == (Muscle.SHOULDERS,) and fixed.increment_kg == 1.25
    assert exercise_from_record(exercise_to_record(fixed)) == fixed


def test_new_equipment_sets_whether_the_path_is_fixed() -> None:
    catalog = add_guessed(Catalog(()), "Chest Press Machine")
    mine = catalog.resolve("Chest Press Machine")
    assert mine.fixed_path
    free = catalog.correct_custom(mine.id, equipment="dumbbell").get(mine.id)
    assert not free.fixed_path
    said = catalog.correct_custom(mine.id, equipment="dumbbell", fixed_path=True).get(mine.id)
    assert said.fixed_path


def test_new_primary_muscles_leave_the_secondary_list() -> None:
    catalog = add_guessed(Catalog(()), "Log Press")
    mine = catalog.resolve("Log Press")
    assert Muscle.TRICEPS in mine.secondary
    fixed = catalog.correct_custom(mine.id, primary=["shoulders", "triceps"]).get(mine.id)
    assert fixed.primary == (Muscle.SHOULDERS, Muscle.TRICEPS)
    assert Muscle.TRICEPS not in fixed.secondary


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"equipment": "sandbag"}, "equipment", "equipment 'sandbag' is not one of"),
        ({"primary": []}, "primary", "needs at least one primary muscle"),
        ({"increment_kg": 0}, "increment_kg", "increment_kg must be a positive number"),
        ({"fixed_path": "yes"}, "fixed_path", "fixed_path must be true or false"),
        ({"name": "Other"}, "name", "name cannot be changed"),
        (
            {"primary": ["chest"], "secondary": ["chest"]},
            "primary",
            "Log Press: a muscle is both primary and secondary",
        ),
    ],
)
def test_a_bad_correction_names_what_is_wrong(
    changes: dict[str, object], field: str, message: str
) -> None:
    catalog = add_guessed(Catalog(()), "Log Press")
    with pytest.raises(InvalidInput, match=message) as caught:
        catalog.correct_custom("log-press", **changes)
    assert caught.value.field == field


def test_a_built_in_exercise_cannot_be_corrected(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="built-in exercise: only your own") as caught:
        catalog.correct_custom("barbell-squat", fixed_path=True)
    assert caught.value.field == "exercise"

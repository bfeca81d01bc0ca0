"""A lifter's own exercises: guessed on import, shown, corrected (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from failwise.adapters.importers import parse
from failwise.domain.context import FailurePolicy, SetContext
from failwise.domain.decision import prescribe
from failwise.domain.errors import InvalidInput, UnknownExercise
from failwise.domain.exercises import Equipment, InjuryRisk, Muscle
from failwise.services.accounts import Accounts
from failwise.services.exercises import exercise_record
from failwise.services.imports import HistoryImporter
from failwise.services.ports import NotFound
from failwise.services.training import Coach
from failwise.storage.database import Database

STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE\n"
    "2024-01-08 18:00:00,Strongman,1h,Snatch Grip Deadlift,1,140,5,0,0,,,\n"
    "2024-01-08 18:00:00,Strongman,1h,Snatch Grip Deadlift,2,140,5,0,0,,,\n"
    "2024-01-08 18:00:00,Strongman,1h,Log Press,1,80,5,0,0,,,\n"
    "2024-01-08 18:00:00,Strongman,1h,Decline Chest Press Machine,1,60,10,0,0,,,\n"
    "2024-01-08 18:00:00,Strongman,1h,Squat (Barbell),1,100,5,0,0,,,8\n"
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def coach(db: Database) -> Coach:
    return Coach(db)


def test_imported_unknown_names_are_guessed_on_the_safe_side(coach: Coach, lifter: int) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, parse(STRONG))
    names = ("Snatch Grip Deadlift", "Log Press", "Decline Chest Press Machine")
    assert summary.custom_exercises == names and summary.guessed_exercises == names
    catalog = coach.exercises.catalog(lifter)
    deadlift = catalog.resolve("Snatch Grip Deadlift")
    assert deadlift.guessed and deadlift.heavy_compound and not deadlift.fixed_path
    assert deadlift.equipment is Equipment.BARBELL
    last = prescribe(SetContext(exercise=deadlift, set_number=3, total_sets=3, spotter=True))
    assert last.failure is not FailurePolicy.GO
    log = catalog.resolve("Log Press")
    assert log.guessed and not log.fixed_path and log.needs_spotter
    assert catalog.resolve("Decline Chest Press Machine").fixed_path
    assert not catalog.resolve("Squat (Barbell)").guessed
    again = HistoryImporter(coach.core).import_file(lifter, parse(STRONG))
    assert again.custom_exercises == () and again.guessed_exercises == ()


def test_the_lifter_corrects_a_guess_and_it_is_stored(
    coach: Coach, lifter: int, db: Database
) -> None:
    HistoryImporter(coach.core).import_file(lifter, parse(STRONG))
    before = coach.exercises.catalog(lifter).resolve("Decline Chest Press Machine")
    assert before.guessed
    fixed = coach.exercises.correct_custom(
        lifter, "decline chest press machine", equipment="dumbbell", injury_risk="moderate"
    )
    assert not fixed.guessed and fixed.equipment is Equipment.DUMBBELL and not fixed.fixed_path
    assert fixed.injury_risk is InjuryRisk.MODERATE and fixed.id == before.id
    # The same coach's cached catalog, and a fresh one, both see the correction.
    assert coach.exercises.catalog(lifter).get(before.id) == fixed
    assert Coach(db).exercises.catalog(lifter).get(before.id) == fixed
    assert len([e for e in coach.exercises.catalog(lifter) if e.custom]) == 3


def test_a_correction_made_by_another_process_is_seen(
    coach: Coach, lifter: int, db: Database
) -> None:
    coach.exercises.add_custom(lifter, "Zercher Carry", primary=["traps"], equipment="barbell")
    assert not coach.exercises.catalog(lifter).resolve("Zercher Carry").fixed_path  # now cached
    Coach(db).exercises.correct_custom(lifter, "Zercher Carry", primary=["abs", "traps"])
    assert coach.exercises.catalog(lifter).resolve("Zercher Carry").primary == (
        Muscle.ABS,
        Muscle.TRAPS,
    )


def test_only_the_lifters_own_exercises_can_be_corrected(
    coach: Coach, lifter: int, db: Database
) -> None:
    HistoryImporter(coach.core).import_file(lifter, parse(STRONG))
    with pytest.raises(InvalidInput, match="built-in exercise"):
        coach.exercises.correct_custom(lifter, "Squat (Barbell)", fixed_path=True)
    with pytest.raises(InvalidInput, match="increment_kg must be a positive number"):
        coach.exercises.correct_custom(lifter, "Log Press", increment_kg=-1)
    bob = Accounts(db).sign_up("bob", "correct horse").user.id
    with pytest.raises(UnknownExercise):
        coach.exercises.correct_custom(bob, "Log Press", equipment="machine")
    assert coach.exercises.catalog(lifter).resolve("Log Press").equipment is Equipment.BARBELL
    # The store refuses a record the lifter does not own, whoever asks.
    log = coach.exercises.catalog(lifter).resolve("Log Press")
    with db() as store, pytest.raises(NotFound):
        store.update_custom_exercise(bob, exercise_record(log))


def test_an_exercise_added_with_only_equipment_and_muscles_is_guessed_on_the_safe_side(
    coach: Coach, lifter: int
) -> None:
    added = coach.exercises.add_custom(
        lifter, "Zercher Squat", equipment="barbell", primary=["quads"]
    )
    assert added.guessed and added.heavy_compound and not added.fixed_path
    last_set = prescribe(SetContext(exercise=added, set_number=3, total_sets=3, spotter=True))
    assert last_set.failure is not FailurePolicy.GO
    told = coach.exercises.add_custom(
        lifter,
        "Cable Crunch Thing",
        equipment="cable",
        primary=["abs"],
        mechanics="isolation",
        pattern="core",
        fixed_path=False,
        heavy_compound=False,
        injury_risk="low",
        needs_spotter=False,
    )
    assert not told.guessed and told.is_isolation

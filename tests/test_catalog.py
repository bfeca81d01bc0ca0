"""The built-in catalog: schema, coverage, and forgiving name resolution."""

from __future__ import annotations

import pytest

from failwise.domain.errors import CatalogError, InvalidInput, UnknownExercise
from failwise.domain.exercises import (
    Catalog,
    Equipment,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
    exercise_from_record,
    name_key,
)
from failwise.services.catalog import builtin_catalog, builtin_records

STRONG_AND_HEVY_NAMES = [
    "Bench Press (Barbell)",
    "Squat (Barbell)",
    "Lateral Raise (Dumbbell)",
    "Bicep Curl (Cable)",
    "Leg Extension (Machine)",
    "Deadlift (Barbell)",
    "Overhead Press (Barbell)",
    "Bent Over Row (Barbell)",
    "Lat Pulldown (Cable)",
    "Seated Row (Cable)",
    "Romanian Deadlift (Barbell)",
    "Hip Thrust (Barbell)",
    "Incline Bench Press (Dumbbell)",
    "Hammer Curl (Dumbbell)",
    "Lying Leg Curl (Machine)",
    "Seated Leg Curl (Machine)",
    "Face Pull (Cable)",
    "Pull Up",
    "Chin Up",
    "Front Squat (Barbell)",
]


def test_catalog_is_large_and_covers_every_muscle_and_equipment(catalog: Catalog) -> None:
    assert len(catalog) >= 120
    for muscle in Muscle:
        assert sum(muscle in e.primary for e in catalog) >= 2, muscle
    for equipment in Equipment:
        assert sum(e.equipment is equipment for e in catalog) >= 2, equipment
    assert {e.mechanics for e in catalog} == set(Mechanics)


def test_every_record_passes_the_schema() -> None:
    for record in builtin_records():
        exercise = exercise_from_record(record)
        assert exercise.increment_kg > 0
        assert exercise.primary
        assert not set(exercise.primary) & set(exercise.secondary)


def test_catalog_attributes_are_coherent(catalog: Catalog) -> None:
    for e in catalog:
        if e.heavy_compound:
            assert e.mechanics is Mechanics.COMPOUND, e.id
            assert e.equipment in (Equipment.BARBELL, Equipment.TRAP_BAR), e.id
        if e.equipment is Equipment.MACHINE:
            assert e.fixed_path, e.id
    high = {e.name for e in catalog if e.injury_risk is InjuryRisk.HIGH}
    assert catalog.resolve("Bent Over Row (Barbell)").name in high
    assert catalog.resolve("Behind the Neck Press (Barbell)").name in high


def test_only_a_free_bar_can_pin_a_lifter_alone(catalog: Catalog) -> None:
    # Dumbbells are dropped to the side (the standard way to press alone) and a
    # Smith machine racks at any point: neither needs a spotter.
    for e in catalog:
        if e.equipment in (Equipment.DUMBBELL, Equipment.SMITH_MACHINE):
            assert not e.needs_spotter, e.id
        if e.needs_spotter:
            assert e.equipment is Equipment.BARBELL and not e.fixed_path, e.id
    for name in ("Bench Press (Barbell)", "Squat (Barbell)", "Incline Bench Press (Barbell)"):
        assert catalog.resolve(name).needs_spotter, name


def test_every_bent_over_barbell_row_is_high_risk_and_chest_supported_rows_are_not(
    catalog: Catalog,
) -> None:
    # The article's "heavy barbell rows": loaded spinal flexion under a free bar.
    # A seal row lies on a bench, so the back is not loaded.
    rows = [
        e
        for e in catalog
        if e.pattern is Pattern.HORIZONTAL_PULL and e.equipment is Equipment.BARBELL
    ]
    assert {e.id for e in rows} >= {
        "barbell-bent-over-row",
        "pendlay-row",
        "t-bar-row",
        "yates-row",
    }
    for e in rows:
        expected = InjuryRisk.LOW if e.id == "seal-row" else InjuryRisk.HIGH
        assert e.injury_risk is expected, e.id
    for name in ("Landmine Row", "Yates Row", "Underhand Barbell Row"):
        assert catalog.resolve(name).injury_risk is InjuryRisk.HIGH, name
    assert catalog.resolve("Chest Supported T-Bar Row").injury_risk is InjuryRisk.LOW


@pytest.mark.parametrize("name", STRONG_AND_HEVY_NAMES)
def test_strong_and_hevy_names_resolve(name: str, catalog: Catalog) -> None:
    found = catalog.resolve(name)
    labels = (found.name, *found.aliases, found.id.replace("-", " "))
    assert name_key(name) in {name_key(label) for label in labels}


def test_every_exercise_resolves_from_its_id_name_and_each_alias(catalog: Catalog) -> None:
    for exercise in catalog:
        assert catalog.resolve(exercise.id) is exercise
        assert catalog.resolve(exercise.name) is exercise
        for alias in exercise.aliases:
            assert catalog.resolve(alias) is exercise, alias


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("bench press (barbell)", "Bench Press (Barbell)"),
        ("BARBELL BENCH PRESS", "Bench Press (Barbell)"),
        ("Barbell Bench-Press", "Bench Press (Barbell)"),
        ("dumbbell lateral raises", "Lateral Raise (Dumbbell)"),
        ("Lateral Raise - DB", "Lateral Raise (Dumbbell)"),
        ("Cable Biceps Curls", "Bicep Curl (Cable)"),
        ("pull-ups", "Pull Up"),
    ],
)
def test_resolution_forgives_case_order_plurals_and_equipment(variant: str, name: str) -> None:
    catalog = builtin_catalog()
    assert catalog.resolve(variant) is catalog.resolve(name)


def test_unknown_name_lists_the_closest_matches(catalog: Catalog) -> None:
    with pytest.raises(UnknownExercise) as caught:
        catalog.resolve("Bench Pres (Barbel)")
    assert "Bench Press (Barbell)" in caught.value.suggestions
    assert "did you mean" in str(caught.value)
    with pytest.raises(UnknownExercise, match="unknown exercise 'Zercher Sled Hop'"):
        catalog.resolve("Zercher Sled Hop")


def test_search_finds_by_words(catalog: Catalog) -> None:
    curls = catalog.search("curl cable")
    assert curls and all(e.equipment is Equipment.CABLE for e in curls)
    assert catalog.resolve("Bicep Curl (Cable)") in curls
    assert catalog.search("") == catalog.exercises


def test_custom_exercises_get_their_own_attributes(catalog: Catalog) -> None:
    mine = catalog.add_custom(
        "Belt Squat Pendulum Hybrid",
        primary=[Muscle.QUADS],
        secondary=[Muscle.GLUTES],
        equipment=Equipment.MACHINE,
    )
    found = mine.resolve("belt squat pendulum hybrid")
    assert found.custom and found.fixed_path and found.primary == (Muscle.QUADS,)
    assert len(mine) == len(catalog) + 1
    assert "belt-squat-pendulum-hybrid" not in catalog, "the original catalog is unchanged"
    with pytest.raises(InvalidInput, match="already names"):
        catalog.add_custom(
            "Bench Press (Barbell)", primary=[Muscle.CHEST], equipment=Equipment.BARBELL
        )
    with pytest.raises(InvalidInput, match="no letters"):
        catalog.add_custom("!!!", primary=[Muscle.CHEST], equipment="band")


GOOD = {
    "id": "x-press",
    "name": "X Press",
    "pattern": "vertical-push",
    "mechanics": "compound",
    "equipment": "machine",
    "fixed_path": True,
    "heavy_compound": False,
    "injury_risk": "low",
    "needs_spotter": False,
    "primary": ["shoulders"],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "X Press"}, "lowercase slug"),
        ({"mechanics": "both"}, "mechanics 'both' is not one of compound, isolation"),
        ({"primary": []}, "at least one primary muscle"),
        ({"primary": ["wings"]}, "primary 'wings' is not one of"),
        ({"secondary": ["shoulders"]}, "both primary and secondary"),
        ({"fixed_path": "yes"}, "fixed_path must be true or false"),
        ({"increment_kg": -1}, "increment_kg must be a positive number"),
        ({"colour": "red"}, "unknown field(s) colour"),
    ],
)
def test_schema_errors_name_the_exercise_and_field(change: dict[str, object], message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        exercise_from_record({**GOOD, **change})
    assert message in str(caught.value)


def test_missing_fields_and_duplicates_are_caught() -> None:
    record = dict(GOOD)
    del record["pattern"]
    with pytest.raises(CatalogError, match="missing field"):
        exercise_from_record(record)
    with pytest.raises(CatalogError, match="appears twice"):
        Catalog.from_records([GOOD, GOOD])
    with pytest.raises(CatalogError, match="already names 'x-press'"):
        Catalog.from_records([GOOD, {**GOOD, "id": "y-press", "name": "Press X"}])


def test_search_finds_what_a_lifter_types(catalog: Catalog) -> None:
    def names(query: str, **filters: str) -> list[str]:
        return [e.name for e in catalog.search(query, **filters)]  # type: ignore[arg-type]

    bench = names("bench")
    assert bench[:8] == [
        "Bench Press (Barbell)",
        "Close Grip Bench Press (Barbell)",
        "Incline Bench Press (Barbell)",
        "Decline Bench Press (Barbell)",
        "Bench Press (Dumbbell)",
        "Incline Bench Press (Dumbbell)",
        "Bench Press (Smith Machine)",
        "Incline Bench Press (Smith Machine)",
    ]
    assert names("Bench") == names("BENCH") == bench
    assert names("press bench") == bench[:8]
    assert names("db bench")[0] == "Bench Press (Dumbbell)"
    assert names("bench db")[0] == "Bench Press (Dumbbell)"
    assert names("ohp")[0] == "Overhead Press (Barbell)"
    assert names("rdl")[:2] == ["Romanian Deadlift (Barbell)", "Romanian Deadlift (Dumbbell)"]
    assert names("sldl") == ["Stiff Leg Deadlift (Barbell)"]
    assert names("kb swing") == ["Kettlebell Swing"]
    assert names("ez curl")[0] == "Bicep Curl (EZ Bar)"
    assert names("inc db")[0] == "Incline Bench Press (Dumbbell)"
    assert names("lat pull")[0] == "Lat Pulldown (Cable)"


def test_search_filters_by_muscle_and_equipment(catalog: Catalog) -> None:
    cable_chest = catalog.search("", muscle="chest", equipment=Equipment.CABLE)
    assert [e.name for e in cable_chest] == ["Chest Fly (Cable)"]
    presses = catalog.search("press", muscle=Muscle.SHOULDERS)
    assert presses[0].name == "Overhead Press (Barbell)"
    assert all(Muscle.SHOULDERS in e.primary for e in presses)
    dumbbell = catalog.search("bench", equipment="dumbbell")
    assert [e.name for e in dumbbell] == [
        "Bench Press (Dumbbell)",
        "Incline Bench Press (Dumbbell)",
    ]
    assert len(catalog.search("bench", limit=3)) == 3
    with pytest.raises(InvalidInput, match="muscle 'wings' is not one of"):
        catalog.search("fly", muscle="wings")


def test_search_falls_back_to_the_closest_names(catalog: Catalog) -> None:
    assert catalog.search("Bench Pres (Barbel)")[0].name == "Bench Press (Barbell)"
    assert catalog.search("Zercher Squat")  # nothing holds "zercher": the closest squats
    assert catalog.search("Zercher Squat", closest=False) == ()
    assert catalog.search("xyzzy qwerty") == ()

"""Importing a history: idempotent, one transaction, nothing lost (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from bench.strong_export import HEADER, GeneratedSet, csv_line, generate
from sqlalchemy.exc import IntegrityError

from failwise.adapters import exporters
from failwise.adapters.importers import parse, read_text
from failwise.domain.context import Phase
from failwise.domain.effort import FailureKind
from failwise.services.accounts import Accounts
from failwise.services.checkins import CheckIns
from failwise.services.imports import HistoryImporter, ImportRejected, ParsedFile, import_key
from failwise.services.records import Measurement, NewSet, SetType, Workout
from failwise.services.training import Coach
from failwise.storage.database import Database

EXPORTS = Path(__file__).parent / "data" / "exports"


def load(name: str, **options: str) -> object:
    return parse(read_text((EXPORTS / name).read_bytes()), **options)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def coach(db: Database) -> Coach:
    return Coach(db)


def test_every_sample_export_imports_and_reimports_as_nothing(coach: Coach, lifter: int) -> None:
    importer = HistoryImporter(coach.core)
    for path in sorted(EXPORTS.glob("*.csv")):
        parsed = load(path.name)
        first = importer.import_file(lifter, parsed)  # type: ignore[arg-type]
        assert first.sets > 0, path.name
        again = importer.import_file(lifter, load(path.name))  # type: ignore[arg-type]
        assert again.sets == 0 and again.workouts == 0, path.name
        assert again.duplicates == first.sets + first.duplicates, path.name
    stored = coach.insights.history(lifter)
    assert len({s.data.idempotency_key for s in stored}) == len(stored)


def test_strong_import_maps_types_units_and_infers_rir(coach: Coach, lifter: int) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, load("strong_2023.csv"))  # type: ignore[arg-type]
    stored = coach.insights.history(lifter)
    assert summary.sets == len(stored)
    assert summary.warmup_sets == sum(s.data.set_type is SetType.WARM_UP for s in stored)
    assert summary.warmup_sets > 0
    assert all(s.data.source == "strong" for s in stored)
    logged = [s for s in stored if s.data.rir is not None]
    unlogged = [s for s in stored if s.data.rir is None and s.data.set_type is SetType.WORKING]
    assert logged and unlogged
    assert all(s.data.rir_inferred is None for s in logged), "logged effort is never overwritten"
    assert any(s.data.rir_inferred is not None for s in unlogged)
    workouts = coach.workouts.latest(lifter)
    assert workouts and all(not w.is_open for w in workouts), "imported workouts are finished"
    assert any(w.name for w in workouts)


def test_an_overlapping_newer_export_adds_only_the_new_sets(
    coach: Coach, lifter: int, tmp_path: Path
) -> None:
    text = read_text((EXPORTS / "strong_2023.csv").read_bytes())
    lines = text.splitlines(keepends=True)
    # The older export: the same file before its third workout.
    cut = next(i for i, line in enumerate(lines) if i > 1 and line.startswith("2023-10-06"))
    older = parse("".join(lines[:cut]))
    importer = HistoryImporter(coach.core)
    first = importer.import_file(lifter, older)
    newer = importer.import_file(lifter, parse(text))
    assert first.sets > 0 and newer.sets > 0
    assert newer.duplicates == first.sets
    total = importer.import_file(lifter, parse(text))
    assert total.sets == 0
    assert len(coach.insights.history(lifter)) == first.sets + newer.sets


def test_unknown_names_become_custom_exercises(coach: Coach, lifter: int) -> None:
    header = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\n"
    )
    text = header + (
        "2024-01-08 18:00:00,Arms,45m,Zottman Curl (Dumbbell),1,12,10,0,0,,,\n"
        "2024-01-08 18:00:00,Arms,45m,Zottman Curl (Dumbbell),2,12,9,0,0,,,9\n"
    )
    summary = HistoryImporter(coach.core).import_file(lifter, parse(text))
    assert summary.custom_exercises == ("Zottman Curl (Dumbbell)",)
    assert summary.sets == 2
    custom = coach.exercises.catalog(lifter).resolve("Zottman Curl (Dumbbell)")
    assert custom.custom and custom.equipment.value == "dumbbell"
    assert custom.primary[0].value == "biceps"
    again = HistoryImporter(coach.core).import_file(lifter, parse(text))
    assert again.custom_exercises == () and again.sets == 0


BAD = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE\n"
    "2024-01-08 18:00:00,Legs,45m,Squat (Barbell),1,100,5,0,0,,,8\n"
    "2024-01-08 18:00:00,Legs,45m,Squat (Barbell),2,100,five,0,0,,,8\n"
    "2024-01-08 18:00:00,Legs,45m,Squat (Barbell),F,100,0,0,0,,,\n"
    "2024-01-08 18:00:00,Legs,45m,Running,1,,,5,1800,,,\n"
)


def test_bad_rows_are_reported_with_their_line_and_skipped(coach: Coach, lifter: int) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, parse(BAD))
    assert summary.sets == 1
    lines = {problem.line: problem.reason for problem in summary.skipped}
    assert set(lines) == {3, 4, 5}
    assert "Reps" in lines[3] and "0 reps" in lines[4] and "cardio" in lines[5]


def test_strict_rejects_the_whole_file_and_stores_nothing(coach: Coach, lifter: int) -> None:
    with pytest.raises(ImportRejected, match="line 3"):
        HistoryImporter(coach.core).import_file(lifter, parse(BAD), strict=True)
    assert coach.insights.history(lifter) == [] and coach.workouts.latest(lifter) == []


SAMPLE_FILES = sorted([*EXPORTS.glob("*.csv"), *EXPORTS.glob("failwise/*")])


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_a_dry_run_reports_the_sets_a_real_import_of_the_file_stores(
    coach: Coach, lifter: int, path: Path
) -> None:
    importer = HistoryImporter(coach.core)
    parsed = parse(read_text(path.read_bytes()))
    dry = importer.import_file(lifter, parsed, dry_run=True)
    assert dry.dry_run
    assert coach.insights.history(lifter) == [] and coach.workouts.latest(lifter) == [], (
        "a dry run stores nothing"
    )
    real = importer.import_file(lifter, parsed)
    stored = coach.insights.history(lifter)
    assert dry.sets == real.sets == len(stored) > 0
    assert (dry.workouts, dry.duplicates, dry.warmup_sets, dry.exercises) == (
        real.workouts,
        real.duplicates,
        real.warmup_sets,
        real.exercises,
    )
    again = importer.import_file(lifter, parsed, dry_run=True)
    assert again.sets == 0 and again.duplicates == len(stored), "the same file again adds nothing"


def _strong_text(rows: Sequence[GeneratedSet]) -> str:
    return HEADER + "\n" + "".join(csv_line(row) for row in rows)


def test_a_history_imported_in_two_parts_split_inside_a_workout_stores_each_set_once(
    coach: Coach, db: Database, lifter: int
) -> None:
    # A lifter imports an export, trains on, and imports the newer, longer export: the
    # workout the first export ended in gets its remaining sets after the ones it has.
    rows = list(generate(400, seed=3))
    cut = next(i for i in range(200, 400) if rows[i].workout == rows[i - 1].workout)
    importer = HistoryImporter(coach.core)
    first = importer.import_file(lifter, parse(_strong_text(rows[:cut])))
    second = importer.import_file(lifter, parse(_strong_text(rows)))
    again = importer.import_file(lifter, parse(_strong_text(rows)))
    failed = sum(1 for row in rows if row.reps == 0)  # failed attempts are kept out
    assert first.sets + second.sets == len(rows) - failed
    assert second.duplicates == first.sets and again.sets == 0
    with db() as store:
        stored = store.sets(lifter)
        split = [s for s in stored if s.logged_at == rows[cut].started_at]
        at_start = store.sets(lifter, since=rows[cut].started_at, until=rows[cut].started_at)
    assert len(stored) == len({s.data.idempotency_key for s in stored}) == first.sets + second.sets
    assert len({s.workout_id for s in split}) == 1, "one workout, not one per import"
    assert sorted(s.position for s in split) == list(range(1, len(split) + 1))
    expected = sum(1 for row in rows if row.workout == rows[cut].workout and row.reps)
    assert len(split) == expected
    # Moments stored through the bulk path compare like every other stored moment.
    assert {s.id for s in at_start} == {s.id for s in split}


def test_an_imported_set_keeps_its_logged_effort_apart_from_the_inferred_one(
    coach: Coach, db: Database, lifter: int
) -> None:
    rows = list(generate(300, seed=5))
    HistoryImporter(coach.core).import_file(lifter, parse(_strong_text(rows)))
    with db() as store:
        stored = store.sets(lifter)
    logged = [s for s in stored if s.data.rir is not None]
    warmups = [s for s in stored if s.data.set_type is SetType.WARM_UP]
    assert logged and all(s.data.rir_inferred is None for s in logged)
    assert warmups and all(s.data.rir_inferred is None for s in warmups if s.data.rir is None)
    unlogged = [
        s for s in stored if s.data.rir is None and not s.data.to_failure and s not in warmups
    ]
    assert unlogged and all(s.data.rir_inferred is not None for s in unlogged)
    assert all(s.data.source == "strong" for s in stored)


def test_sets_added_in_bulk_read_back_as_they_were_given(db: Database, lifter: int) -> None:
    # Every column goes through the bulk INSERT, the plan a set carries out included.
    started = datetime(2024, 3, 4, 18, 30)
    done = datetime(2024, 3, 4, 18, 41, 7, 250000)
    new = NewSet(
        exercise_id="squat-barbell",
        load=142.5,
        reps=5,
        rir=1.5,
        set_type=SetType.DROP,
        to_failure=True,
        failure_kind=FailureKind.MUSCULAR,
        target_load=140.0,
        target_reps=5,
        target_rir_low=1.0,
        target_rir_high=2.0,
        test_reps_at_call=3,
        test_predicted_rir=2.0,
        rest_seconds=180,
        notes='paused, "deep"',
        logged_at=done,
        idempotency_key="bulk-1",
        rir_inferred=None,
        source="strong",
        planned="1:1:1:squat-barbell:1",
    )
    with db() as store:
        (workout,) = store.add_workouts(lifter, [Workout(0, 0, started, finished_at=done)])
        assert store.add_sets(lifter, [(workout.id, 1, new, done)], now=done) == 1
        store.commit()
    with db() as store:
        (stored,) = store.sets(lifter)
        assert store.workouts_by_start(lifter)[started].id == workout.id
    assert stored.data == new
    assert (stored.workout_id, stored.position, stored.logged_at) == (workout.id, 1, done)


def test_workouts_added_in_bulk_read_back_as_given_and_a_workout_logged_after_gets_a_new_id(
    db: Database, lifter: int
) -> None:
    # Their ids are taken before the rows go in (COPY on PostgreSQL): the next workout
    # logged the ordinary way must not be given one of them.
    given = [
        Workout(
            0,
            0,
            datetime(2024, 3, day, 18),
            finished_at=datetime(2024, 3, day, 19),
            phase=Phase.DELOAD,
            notes=f"day {day}",
            name="Legs",
        )
        for day in (4, 6)
    ] + [Workout(0, 0, datetime(2024, 3, 8, 18), finished_at=None, plan_session="1:1:1")]
    with db() as store:
        added = store.add_workouts(lifter, given)
        logged = store.add_workout(
            lifter, started_at=datetime(2024, 3, 9, 18), phase=Phase.NORMAL, notes=""
        )
        store.commit()
    ids = [w.id for w in added]
    assert len(set(ids)) == 3 and logged.id not in ids
    with db() as store:
        stored = store.workouts_by_start(lifter)
    assert [stored[w.started_at] for w in given] == added
    assert added == [replace(w, id=i, user_id=lifter) for w, i in zip(given, ids, strict=True)]


def test_a_bulk_insert_of_a_key_already_stored_fails_and_stores_none_of_its_sets(
    db: Database, lifter: int
) -> None:
    # The import reads the stored keys first; the table's unique key still guards them,
    # through COPY on PostgreSQL as through executemany on SQLite.
    done = datetime(2024, 3, 4, 18, 41)
    sets = [
        NewSet(exercise_id="squat-barbell", load=100.0, reps=5, idempotency_key=key)
        for key in ("bulk-1", "bulk-2")
    ]
    with db() as store:
        (workout,) = store.add_workouts(lifter, [Workout(0, 0, done, finished_at=done)])
        store.add_sets(lifter, [(workout.id, 1, sets[0], done)], now=done)
        store.commit()
    with db() as store, pytest.raises(IntegrityError):
        store.add_sets(
            lifter, [(workout.id, 2, sets[1], done), (workout.id, 3, sets[0], done)], now=done
        )
    with db() as store:
        assert [s.data.idempotency_key for s in store.sets(lifter)] == ["bulk-1"]


def test_a_set_keeps_the_key_earlier_versions_gave_it() -> None:
    # A lifter who imported an export before an upgrade re-imports it after: the keys
    # must not change, or every set would be stored twice.
    text = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,RPE\n"
        "2023-05-01 18:04:12,Legs,1h 2m,Squat (Barbell),W,60,8,\n"
        "2023-05-01 18:04:12,Legs,1h 2m,Squat (Barbell),1,100,5,8\n"
    )
    parsed = parse(text)
    assert isinstance(parsed, ParsedFile)
    assert [import_key(item) for item in parsed.sets] == [
        "import:67f6855d61e4055c33c531784f4afadae78696ad",
        "import:10a58175e2bc67b61b2c9e42a7c9f337b443333a",
    ]


# --- Fitbod and StrongLifts 5×5 ------------------------------------------------------

NEW_FORMATS = ["fitbod.csv", "stronglifts_kg.csv", "stronglifts_lb.csv"]


def data_lines(path: Path) -> set[int]:
    """The lines of an export that hold a row (1 is the header)."""
    text = read_text(path.read_bytes()).replace("\r\n", "\n")
    return {number for number, line in enumerate(text.split("\n"), start=1) if line.strip()} - {1}


def every_row_stored_or_skipped(coach: Coach, lifter: int, path: Path, lines: set[int]) -> None:
    """Each of ``lines`` (the export's lines that hold sets) is a set stored or a line the
    report names with its reason; a second import of the file adds nothing."""
    parsed = parse(read_text(path.read_bytes()))
    summary = HistoryImporter(coach.core).import_file(lifter, parsed)
    skipped = {problem.line for problem in summary.skipped}
    assert all(problem.reason.strip() for problem in summary.skipped)
    assert {found.line for found in parsed.sets} | skipped == lines
    # Each set read is stored, or named in the report: none is lost in between.
    left_out = len(summary.skipped) - len(parsed.skipped) - len(parsed.problems)
    assert summary.sets + left_out == len(parsed.sets)
    assert summary.sets == len(coach.insights.history(lifter))
    again = HistoryImporter(coach.core).import_file(lifter, parse(read_text(path.read_bytes())))
    assert (again.sets, again.workouts) == (0, 0)
    assert again.duplicates == summary.sets
    assert len(coach.insights.history(lifter)) == summary.sets


@pytest.mark.parametrize("name", NEW_FORMATS)
def test_every_row_of_a_fitbod_or_stronglifts_export_is_stored_or_skipped_with_its_reason(
    coach: Coach, lifter: int, name: str
) -> None:
    every_row_stored_or_skipped(coach, lifter, EXPORTS / name, data_lines(EXPORTS / name))


def test_a_fitbod_export_keeps_warmups_and_leaves_cardio_out(coach: Coach, lifter: int) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, load("fitbod.csv"))  # type: ignore[arg-type]
    stored = coach.insights.history(lifter)
    assert summary.warmup_sets == 2 == sum(s.data.set_type is SetType.WARM_UP for s in stored)
    assert summary.custom_exercises == ()  # Fitbod's names are the catalog's
    reasons = {problem.line: problem.reason for problem in summary.skipped}
    assert set(reasons) == {8, 12, 14, 18}  # a run, a plank, an empty set, a bike ride
    assert all("cardio" in reasons[line] for line in (8, 12, 18))
    assert all(s.data.source == "fitbod" for s in stored)
    workouts = coach.workouts.latest(lifter)
    assert len(workouts) == 3
    deadlift_day = next(w for w in workouts if w.started_at.day == 5)
    assert deadlift_day.finished_at == datetime(2026, 1, 5, 6, 48)  # its last set


def test_a_stronglifts_export_in_pounds_stores_135_lb_squats_as_61_2_kg(
    coach: Coach, lifter: int
) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, load("stronglifts_lb.csv"))  # type: ignore[arg-type]
    assert summary.custom_exercises == ()
    squat = coach.exercises.catalog(lifter).resolve("Squat")
    first_day = [
        s
        for s in coach.insights.history(lifter)
        if s.data.exercise_id == squat.id and s.data.load < 62
    ]
    assert [(s.data.reps, round(s.data.load, 1)) for s in first_day] == [(5, 61.2)] * 5
    # The row's fifth set was never done; the bench press of the last day was not either.
    reasons = {problem.line: problem.reason for problem in summary.skipped}
    assert set(reasons) == {4, 9}


# --- Alpha Progression ---------------------------------------------------------------

ALPHA = ["alpha_progression_kg.csv", "alpha_progression_lb.csv"]


def set_lines(path: Path) -> set[int]:
    """The lines of an Alpha Progression export that hold sets: set rows, and exercise
    headers that list warm-ups (session, exercise and column headers hold none)."""
    text = read_text(path.read_bytes()).replace("\r\n", "\n")
    return {
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if line[:1].isdigit() or "WU1" in line
    }


@pytest.mark.parametrize("name", ALPHA)
def test_every_set_of_an_alpha_progression_export_is_stored_or_skipped_with_its_reason(
    coach: Coach, lifter: int, name: str
) -> None:
    every_row_stored_or_skipped(coach, lifter, EXPORTS / name, set_lines(EXPORTS / name))


def test_an_alpha_progression_session_stores_100_kg_x_8_at_rir_2_as_logged(
    coach: Coach, lifter: int
) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, load("alpha_progression_kg.csv"))  # type: ignore[arg-type]
    assert summary.warmup_sets == 5
    stored = coach.insights.history(lifter)
    assert all(s.data.source == "alphaprogression" for s in stored)
    working = [s for s in stored if s.data.set_type is SetType.WORKING]
    # Every working set keeps the RIR the lifter called; none is inferred over it.
    assert working and all(s.data.rir is not None for s in working)
    assert all(s.data.rir_inferred is None for s in working)
    bench = coach.exercises.catalog(lifter).resolve("Bench Press (Barbell)")
    calls = [
        (s.data.load, s.data.reps, s.data.rir)
        for s in stored
        if s.data.exercise_id == bench.id and s.data.set_type is SetType.WORKING
    ]
    assert calls == [(100.0, 8, 2.0), (100.0, 8, 1.0), (100.0, 10, 0.0)]
    workouts = coach.workouts.latest(lifter)
    assert len(workouts) == 3
    push = next(w for w in workouts if w.started_at == datetime(2026, 3, 2, 18, 5))
    assert push.name == "Push · Day 1 · Week 3 · Push-Pull-Legs"
    assert push.finished_at == datetime(2026, 3, 2, 19, 9)  # 1:04 hr after the start


# --- JEFIT ---------------------------------------------------------------------------

JEFIT_SAMPLES = ["jefit_kg.csv", "jefit_lb.csv"]


def exercise_log_lines(path: Path) -> set[int]:
    """The lines of the EXERCISE LOGS section that hold a row (not its header)."""
    lines = read_text(path.read_bytes()).replace("\r\n", "\n").split("\n")
    found: set[int] = set()
    section = ""
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if line.startswith("###"):
            section, header_seen = line.strip("# "), False
        elif section == "EXERCISE LOGS" and line.strip():
            if header_seen:
                found.add(number)
            header_seen = True
    return found


@pytest.mark.parametrize("name", JEFIT_SAMPLES)
def test_every_exercise_log_of_a_jefit_export_is_stored_or_skipped_with_its_reason(
    coach: Coach, lifter: int, name: str
) -> None:
    parsed = parse(read_text((EXPORTS / name).read_bytes()))
    summary = HistoryImporter(coach.core).import_file(lifter, parsed)
    skipped = {problem.line for problem in summary.skipped}
    assert all(problem.reason.strip() for problem in summary.skipped)
    assert {found.line for found in parsed.sets} | skipped == exercise_log_lines(EXPORTS / name)
    left_out = len(summary.skipped) - len(parsed.skipped) - len(parsed.problems)
    assert summary.sets + left_out == len(parsed.sets)
    assert summary.sets == len(coach.insights.history(lifter)) == len(parsed.sets)
    again = HistoryImporter(coach.core).import_file(
        lifter, parse(read_text((EXPORTS / name).read_bytes()))
    )
    assert (again.sets, again.workouts) == (0, 0)
    assert again.duplicates == summary.sets
    assert len(coach.insights.history(lifter)) == summary.sets


def test_a_jefit_export_stores_its_sessions_as_workouts_and_its_sets_under_catalog_names(
    coach: Coach, lifter: int
) -> None:
    summary = HistoryImporter(coach.core).import_file(lifter, load("jefit_kg.csv"))  # type: ignore[arg-type]
    stored = coach.insights.history(lifter)
    assert all(s.data.source == "jefit" for s in stored)
    assert summary.workouts == 4  # three sessions and a log whose session is missing
    # JEFIT's names are the catalog's, but for one it does not know: that one is the lifter's own.
    assert summary.custom_exercises == ("Barbell Shoulder Press",)
    bench = coach.exercises.catalog(lifter).resolve("Barbell Bench Press")
    assert sorted((s.data.load, s.data.reps) for s in stored if s.data.exercise_id == bench.id) == [
        (100.0, 5),
        (100.0, 5),
        (105.0, 3),
    ]
    first = next(w for w in coach.workouts.latest(lifter) if w.started_at.day == 5)
    assert (first.started_at, first.finished_at) == (
        datetime(2026, 1, 5, 7, 30),
        datetime(2026, 1, 5, 8, 30),
    )


def _kinds(coach: Coach, user: int) -> list[tuple[str, str, float, int, str, bool]]:
    """Each stored set as a lifter tells them apart: when, what, load, reps, and its kind."""
    whole = coach.insights.everything(user)
    return sorted(
        (
            whole.workouts[s.workout_id].started_at.isoformat(),
            whole.catalog.get(s.data.exercise_id).name,
            round(s.data.load, 3),
            s.data.reps,
            s.data.set_type.value,
            s.data.to_failure,
        )
        for s in whole.sets
    )


@pytest.mark.parametrize("format", ["failwise-csv", "json"])
@pytest.mark.parametrize("name", ["strong_2023.csv", "hevy_kg.csv", "hevy_lbs.csv"])
def test_warmup_failure_and_drop_sets_survive_failwises_own_export_and_reimport(
    coach: Coach, db: Database, name: str, format: str
) -> None:
    """A Strong W, F or D set, or a Hevy warmup, failure or dropset, is stored as a warm-up,
    a working set to failure or a drop set, and is the same after failwise's export is
    imported into another lifter's log."""
    first = Accounts(db).sign_up("ann", "correct horse").user.id
    HistoryImporter(coach.core).import_file(first, load(name))  # type: ignore[arg-type]
    before = _kinds(coach, first)
    kinds = {(kind, failure) for *_, kind, failure in before}
    assert {("warm-up", False), ("working", True), ("drop", False), ("working", False)} <= kinds
    whole = coach.insights.everything(first)
    text = exporters.export(format, whole.workouts, whole.sets, whole.catalog)
    second = Accounts(db).sign_up("bob", "correct horse").user.id
    summary = HistoryImporter(coach.core).import_file(second, parse(text))
    assert summary.skipped == ()
    assert _kinds(coach, second) == before


def test_a_strong_set_marked_f_comes_back_as_f_after_failwises_export_and_reimport(
    coach: Coach, db: Database
) -> None:
    first = Accounts(db).sign_up("ann", "correct horse").user.id
    HistoryImporter(coach.core).import_file(first, load("strong_2023.csv"))  # type: ignore[arg-type]
    whole = coach.insights.everything(first)
    text = exporters.export("failwise-csv", whole.workouts, whole.sets, whole.catalog)
    second = Accounts(db).sign_up("bob", "correct horse").user.id
    HistoryImporter(coach.core).import_file(second, parse(text))
    again = coach.insights.everything(second)
    strong = exporters.export("strong", again.workouts, again.sets, again.catalog)
    raises = [
        row for row in csv.reader(io.StringIO(strong)) if row[3] == "Lateral Raise (Dumbbell)"
    ]
    # 12 reps to failure at 10 kg, then a drop to 6 kg: F and D, as the lifter logged them.
    assert [(row[4], row[5], row[6]) for row in raises if row[0].startswith("2023-10-02")][-2:] == [
        ("F", "10", "12"),
        ("D", "6", "10"),
    ]


def test_a_stronglifts_import_adds_the_lifters_body_weight_once_a_day(
    coach: Coach, db: Database, lifter: int
) -> None:
    checkins = CheckIns(coach.core)
    # The lifter weighed in on the 4th already: theirs stays, the file's is not added.
    checkins.add_measurement(lifter, Measurement(date(2026, 3, 4), body_weight_kg=83.0))
    importer = HistoryImporter(coach.core)
    dry = importer.import_file(lifter, load("stronglifts_kg.csv"), dry_run=True)  # type: ignore[arg-type]
    assert dry.body_weights == 3 and len(checkins.measurements(lifter)) == 1
    summary = importer.import_file(lifter, load("stronglifts_kg.csv"))  # type: ignore[arg-type]
    assert summary.body_weights == 3
    weights = [(m.measured_on.isoformat(), m.body_weight_kg) for m in checkins.measurements(lifter)]
    assert weights == [
        ("2026-03-02", 82.5),
        ("2026-03-04", 83.0),
        ("2026-03-06", 82.4),
        ("2026-03-09", 82.5),
    ]
    again = importer.import_file(lifter, load("stronglifts_kg.csv"))  # type: ignore[arg-type]
    assert again.body_weights == 0
    assert len(checkins.measurements(lifter)) == 4


STRONG_RPE = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE\n"
    "2026-03-02 18:00:00,Push,1h,Bench Press (Barbell),1,100,5,0,0,Paused,,8\n"
    "2026-03-02 18:00:00,Push,1h,Bench Press (Barbell),2,100,5,0,0,,,5\n"
    "2026-03-02 18:00:00,Push,1h,Bench Press (Barbell),3,100,5,0,0,,,\n"
)


def test_a_strong_rpe_is_stored_as_logged_rir_and_the_notes_say_it_was_converted(
    coach: Coach, db: Database, lifter: int
) -> None:
    """RPE 8 is a logged call of 2 reps in reserve, never overwritten by an inference;
    RPE 5 is "4+" on Strong's table, not a call: that set's RIR is inferred, like the set
    with no RPE. Both survive failwise's own export and re-import."""
    HistoryImporter(coach.core).import_file(lifter, parse(STRONG_RPE))

    def efforts(user: int) -> list[tuple[float | None, bool, str]]:
        with db() as store:
            stored = sorted(store.sets(user), key=lambda s: s.position)
        return [(s.data.rir, s.data.rir_inferred is not None, s.data.notes) for s in stored]

    before = efforts(lifter)
    assert before == [
        (2.0, False, "Paused · RPE 8 (2 RIR)"),
        (None, True, "RPE 5 (4+ RIR)"),
        (None, True, ""),
    ]
    whole = coach.insights.everything(lifter)
    text = exporters.export("json", whole.workouts, whole.sets, whole.catalog)
    other = Accounts(db).sign_up("bob", "correct horse").user.id
    HistoryImporter(coach.core).import_file(other, parse(text))
    assert efforts(other) == before


def test_a_large_bulk_insert_on_sqlite_leaves_the_page_cache_as_it_found_it(
    sqlite_url: str,
) -> None:
    # The cache is raised for the rows' pages while they go in (storage.bulk.roomy_cache)
    # and put back after: a connection back in the pool keeps SQLite's default.
    db = Database(sqlite_url)
    try:
        lifter = Accounts(db).sign_up("ann", "correct horse").user.id
        done = datetime(2024, 3, 4, 18, 41)
        sets = [
            NewSet(exercise_id="squat-barbell", load=100.0, reps=5, idempotency_key=f"k{n}")
            for n in range(5000)
        ]
        with db() as store:
            connection = store.session.connection()  # type: ignore[attr-defined]
            before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
            (workout,) = store.add_workouts(lifter, [Workout(0, 0, done, finished_at=done)])
            rows = [(workout.id, n, new, done) for n, new in enumerate(sets, start=1)]
            assert store.add_sets(lifter, rows, now=done) == len(sets)
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == before
            store.commit()
        with db() as store:
            assert len(store.sets(lifter)) == len(sets)
    finally:
        db.dispose()

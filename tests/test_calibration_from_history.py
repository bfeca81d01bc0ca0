"""An import's history calibrates the lifter: calls checked by a later set to failure.

The Alpha Progression sample logs bench press 100 kg × 8 at RIR 2, then × 8 at RIR 1,
then 10 reps at RIR 0, and pull-ups +10 kg × 8 at RIR 2, × 7 at RIR 1, × 6 at RIR 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app
from failwise.adapters.importers import parse, read_text
from failwise.domain.calibration import HISTORY_WEIGHT
from failwise.services.imports import HistoryImporter
from failwise.services.prescriptions import RECENT_SETS
from failwise.services.records import SetType
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

EXPORTS = Path(__file__).parent / "data" / "exports"
ALPHA_KG = EXPORTS / "alpha_progression_kg.csv"
runner = CliRunner()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def coach(db: Database) -> Coach:
    return Coach(db)


def test_an_import_calibrates_the_lifter_from_calls_checked_by_failure(
    coach: Coach, lifter: int
) -> None:
    before = coach.insights.calibration(lifter)
    assert before.tests == 0
    summary = HistoryImporter(coach.core).import_file(
        lifter, parse(read_text(ALPHA_KG.read_bytes()))
    )
    # Two bench calls and two pull-up calls, each followed by a set to failure at its load.
    assert summary.calibration_tests == 4
    tests = coach.insights.rir_tests(lifter)
    bench = coach.exercises.catalog(lifter).resolve("Bench Press (Barbell)")
    # Two calls of RIR 2 and 1 at 100 kg, then 10 reps to failure at 100 kg: both had
    # 2 reps left, so the RIR 1 call under-called by a rep.
    assert [
        (t.load, t.reps, t.predicted_rir, t.actual_rir, t.error)
        for t in tests
        if t.exercise.id == bench.id
    ] == [(100.0, 8, 2.0, 2, 0.0), (100.0, 8, 1.0, 2, 1.0)]
    assert all(t.weight == HISTORY_WEIGHT for t in tests)
    # The import drew a new history stamp: the calibration is worked out again with them.
    after = coach.insights.calibration(lifter)
    assert (after.tests, after.history_tests) == (4, 4)
    assert after.bias != before.bias
    # A re-import adds no set, and so no test.
    again = HistoryImporter(coach.core).import_file(lifter, parse(read_text(ALPHA_KG.read_bytes())))
    assert again.calibration_tests == 0
    assert coach.insights.calibration(lifter).tests == 4


def test_a_dry_run_says_how_many_tests_it_would_add_and_adds_none(
    coach: Coach, lifter: int
) -> None:
    dry = HistoryImporter(coach.core).import_file(
        lifter, parse(read_text(ALPHA_KG.read_bytes())), dry_run=True
    )
    assert dry.calibration_tests == 4
    assert coach.insights.calibration(lifter).tests == 0


def test_calibrate_without_a_file_reports_the_tests_an_import_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    imported = runner.invoke(app, ["import", str(ALPHA_KG)])
    assert imported.exit_code == 0, imported.output
    assert "4 RIR calls followed by a set to failure at the same load now count" in " ".join(
        imported.output.split()
    )
    shown = runner.invoke(app, ["calibrate"])
    assert shown.exit_code == 0, shown.output
    assert "4 tests, 4 from your history" in shown.output
    data = json.loads(runner.invoke(app, ["calibrate", "--json"]).stdout)
    assert (data["tests"], data["history_tests"]) == (4, 4)
    again = json.loads(runner.invoke(app, ["import", str(ALPHA_KG), "--json"]).stdout)
    assert again["calibration_tests"] == 0 and again["sets"] == 0


def test_the_store_reads_only_the_working_sets_with_an_effort(coach: Coach, lifter: int) -> None:
    HistoryImporter(coach.core).import_file(lifter, parse(read_text(ALPHA_KG.read_bytes())))
    with coach.core.stores() as store:
        every = store.sets(lifter)
        wanted = [
            s
            for s in every
            if s.data.set_type is SetType.WORKING and (s.data.rir is not None or s.data.to_failure)
        ]
        # The sample's warm-ups carry no effort and are left out; its working sets all do.
        assert 0 < len(wanted) < len(every)
        assert store.sets(lifter, efforts_only=True) == wanted
        assert store.sets(lifter, efforts_only=True, latest=3) == wanted[-3:]
        # Paging backwards (a statement built for the call) reads the same.
        paged = store.sets(lifter, efforts_only=True, latest=2, before=wanted[-1].key)
        assert paged == wanted[-3:-1]


def test_in_a_long_workout_a_set_to_failure_counts_the_call_it_checks_and_only_then(
    coach: Coach, lifter: int
) -> None:
    # A workout with more curls than the next set is decided from (a high-volume day, or a
    # lifter who logs every rep-out): whether a set to failure checks a call is read from
    # the workout itself, not guessed.
    clock = datetime(2026, 11, 30, 9, 0)

    def curl(load: float, reps: int, rir: float) -> None:
        nonlocal clock
        clock += timedelta(seconds=90)
        coach.sets.log(
            lifter,
            LogRequest(
                exercise="Bicep Curl (Cable)", load=load, reps=reps, rir=rir, logged_at=clock
            ),
        )

    def stamp() -> int:
        with coach.core.stores() as store:
            return store.history_stamp(lifter)

    for _ in range(RECENT_SETS + 5):
        curl(20, 12, 2)  # calls at 20 kg that no set to failure ever checks
    assert coach.insights.calibration(lifter).history_tests == 0
    curl(25, 12, 2)
    before = stamp()
    curl(25, 14, 0)  # checks the call at 25 kg: one test, 2 left as called
    assert stamp() != before
    assert coach.insights.calibration(lifter).history_tests == 1
    settled = stamp()
    curl(25, 9, 0)  # a second set to failure checks nothing new
    curl(22.5, 10, 0)  # nor does one at a load no call was made at
    assert stamp() == settled
    assert coach.insights.calibration(lifter).history_tests == 1

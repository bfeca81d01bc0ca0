"""Exports: lossless round trips, Strong compatibility, spreadsheet-safe cells; the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from failwise.adapters import exporters
from failwise.adapters.cli import app
from failwise.adapters.importers import parse, read_text
from failwise.services.accounts import Accounts
from failwise.services.imports import HistoryImporter
from failwise.services.records import NewSet, StoredSet
from failwise.services.training import Coach, LogRequest
from failwise.storage.database import Database

EXPORTS = Path(__file__).parent / "data" / "exports"
runner = CliRunner()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def _content(stored: StoredSet) -> NewSet:
    """What a set is, without where it is stored."""
    return replace(stored.data, idempotency_key=None)


def _history(coach: Coach, user: int) -> list[tuple[str, str, int, NewSet]]:
    workouts, sets, catalog = coach.everything(user)
    return [
        (
            workouts[s.workout_id].started_at.isoformat(),
            catalog.get(s.exercise_id).name,
            s.position,
            _content(s),
        )
        for s in sets
    ]


@pytest.mark.parametrize("format", ["failwise-csv", "json"])
def test_export_then_import_into_an_empty_database_reproduces_the_sets(
    db: Database, tmp_path: Path, format: str
) -> None:
    coach = Coach(db)
    accounts = Accounts(db)
    ann = accounts.sign_up("ann", "correct horse").user.id
    importer = HistoryImporter(coach)
    for name in ("strong_2023.csv", "hevy_kg.csv", "liftosaur.csv"):
        importer.import_file(ann, parse(read_text((EXPORTS / name).read_bytes())))
    coach.add_custom_exercise(ann, "Zercher Carry", primary=["traps"], equipment="barbell")
    coach.log_set(ann, LogRequest("Zercher Carry", 100, 1, rir=2, notes="=SUM(A1)"))
    coach.log_set(
        ann,
        LogRequest(
            "Leg Extension (Machine)",
            50,
            14,
            test_reps_at_call=10,
            test_predicted_rir=1,
            idempotency_key="k-1",
        ),
    )
    coach.finish_workout(ann)
    text = exporters.export(format, *coach.everything(ann))

    fresh = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        other = Coach(fresh)
        bob = Accounts(fresh).sign_up("bob", "battery staple").user.id
        summary = HistoryImporter(other).import_file(bob, parse(text))
        assert summary.skipped == ()
        assert _history(other, bob) == _history(coach, ann)
        again = HistoryImporter(other).import_file(bob, parse(text))
        assert again.sets == 0
        if format == "json":
            custom = other.exercises(bob).resolve("Zercher Carry")
            assert custom.custom and custom.primary[0].value == "traps"
    finally:
        fresh.dispose()


def test_strong_export_reads_back_as_strong(db: Database) -> None:
    coach = Coach(db)
    ann = Accounts(db).sign_up("ann", "correct horse").user.id
    HistoryImporter(coach).import_file(
        ann, parse(read_text((EXPORTS / "strong_2023.csv").read_bytes()))
    )
    text = exporters.export("strong", *coach.everything(ann))
    assert text.splitlines()[0] == ",".join(exporters.STRONG_COLUMNS)
    parsed = parse(text)
    assert parsed.format == "strong" and parsed.problems == []
    before = [(s.data.load, s.data.reps, s.data.rir, s.data.set_type) for s in coach.history(ann)]
    after = [(s.load_kg or 0.0, s.reps, s.rir, s.set_type) for s in parsed.sets]
    assert after == before


def test_cells_that_would_run_as_formulas_are_escaped(db: Database) -> None:
    coach = Coach(db)
    ann = Accounts(db).sign_up("ann", "correct horse").user.id
    for notes in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain"):
        coach.log_set(ann, LogRequest("Squat (Barbell)", 100, 5, rir=2, notes=notes))
    for format in ("failwise-csv", "strong"):
        rows = list(csv.reader(io.StringIO(exporters.export(format, *coach.everything(ann)))))
        column = rows[0].index("notes" if format == "failwise-csv" else "Notes")
        notes = [row[column] for row in rows[1:]]
        assert notes == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "plain"]
    # JSON is not opened by spreadsheets: the text stays exactly as written.
    document = json.loads(exporters.export("json", *coach.everything(ann)))
    assert document["workouts"][0]["sets"][0]["notes"] == '=HYPERLINK("http://x")'


def test_import_export_analyze_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    source = str(EXPORTS / "strong_2023.csv")
    dry = runner.invoke(app, ["import", source, "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["dry_run"] is True
    first = runner.invoke(app, ["import", source, "--json"])
    data = json.loads(first.stdout)
    assert set(data) >= {
        "format",
        "workouts",
        "sets",
        "exercises",
        "custom_exercises",
        "warmup_sets",
        "skipped",
    }
    assert data["format"] == "strong" and data["sets"] > 0
    assert all(set(item) == {"line", "reason"} for item in data["skipped"])
    again = json.loads(runner.invoke(app, ["import", source, "--json"]).stdout)
    assert again["sets"] == 0
    out = tmp_path / "history.json"
    assert runner.invoke(app, ["export", "--format", "json", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["format"] == "failwise"
    report = tmp_path / "report.html"
    analyzed = runner.invoke(app, ["analyze", "--html", str(report), "--json"])
    assert analyzed.exit_code == 0, analyzed.output
    assert json.loads(analyzed.stdout)["working_sets"] > 0
    assert "<svg" in report.read_text()


def test_import_errors_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,x\n")
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 1 and "not the header of an export" in result.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\n2024-01-08 18:00:00,Legs,45m,Squat (Barbell),1,100,five,0,0,,,8\n"
    )
    strict = runner.invoke(app, ["import", str(broken), "--strict"])
    assert strict.exit_code == 1 and "line 2" in strict.stderr
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    unknown = runner.invoke(app, ["export", "--format", "xls", str(tmp_path / "x")])
    assert unknown.exit_code == 1 and "unknown export format" in unknown.stderr

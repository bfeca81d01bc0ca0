"""Importing a Strong export, failwise against a bare ``csv`` + ``executemany`` baseline,
on SQLite and on PostgreSQL.

A Strong comma-format export of ``--sets`` rows (200,000 by default) is
generated deterministically (:mod:`bench.strong_export`) into a temporary
directory, and imported ``--repeat`` times by each side on each ``--backend``
(both by default), each run into a fresh database: an SQLite file in that
directory (WAL and ``synchronous=NORMAL``, as failwise runs SQLite), or a new
database on the PostgreSQL server at 127.0.0.1:5432 (dropped after the run):

- **baseline**: :mod:`csv` reads the file, the numeric columns become
  numbers (dates and set orders stay text), and every row goes into a plain
  table with one ``executemany`` in one transaction (``sqlite3``, or psycopg 3,
  which sends the rows in pipeline mode);
- **failwise**: :func:`~failwise.adapters.importers.read_text` and
  :func:`~failwise.adapters.importers.parse` read the file ("parse"), and
  :meth:`HistoryImporter.import_file` stores it for a lifter made by
  ``Accounts.sign_up`` ("store": catalog lookups, idempotency keys, inferred
  RIR, workouts and sets). Creating the database (migrations) and signing up
  are set-up, not timed; the baseline's connection and ``CREATE TABLE`` are
  not timed either.

The best run of each side (wall clock, ``time.perf_counter``) is compared, on
each backend against the baseline of the same backend in the same run.
Goal: failwise within 3x of the baseline. The CPU time of each run is reported
too, with the cores other work kept busy meanwhile: on a shared 2-core
machine the wall clock of a 20-second failwise run is far likelier to be hit
by another job than a 1-second baseline run, and the CPU-time ratio is the
steadier figure then (on PostgreSQL it leaves out the server's own work).
After every run the stored rows are counted: the baseline must hold every row
of the file, failwise every row less those it reports as skipped (failed
attempts of 0 reps), with no duplicates; otherwise the run fails (exit status 1).
A goal missed on any backend is exit status 3.

The database's own share is measured too ("db floor"): after each failwise run,
the sets it stored are read back as plain tuples, deleted, and inserted again by
the driver's bare ``executemany`` in one transaction, into failwise's ``sets``
table with its columns and indexes. It is what no Python work can go below.

When the goal is missed (or with ``--profile``) one more failwise import runs
under :mod:`cProfile`, and the functions with the most cumulative time are
printed (``--top``).

    python -m bench.import_speed --sets 200000 --repeat 3 --json import.json
    python -m bench import --backend sqlite    # the same through python -m bench, SQLite only
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from bench.log_throughput import fresh_database
from bench.measure import (
    BACKGROUND_WARNING,
    Spent,
    Stopwatch,
    announce,
    peak_rss_mib,
    top_functions,
)
from bench.strong_export import write_export
from failwise.adapters.importers import parse, read_text
from failwise.services.accounts import Accounts
from failwise.services.core import Core
from failwise.services.imports import HistoryImporter, ImportSummary
from failwise.storage.bulk import bulk_insert
from failwise.storage.database import Database
from failwise.storage.rows import BULK_SET_COLUMNS
from failwise.storage.tables import SetRow

GOAL = 3.0  # failwise's import time over the baseline's, at most
DEFAULT_SETS = 200_000
DEFAULT_REPEAT = 3
DEFAULT_SEED = 2024
DEFAULT_TOP = 25
USERNAME = "bench-lifter"
PASSWORD = "bench-password"  # a throwaway lifter in a throwaway database

BASELINE_SCHEMA = """
CREATE TABLE strong_rows (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    workout_name TEXT NOT NULL,
    duration TEXT NOT NULL,
    exercise_name TEXT NOT NULL,
    set_order TEXT NOT NULL,
    weight REAL,
    reps INTEGER,
    distance REAL,
    seconds REAL,
    notes TEXT NOT NULL,
    workout_notes TEXT NOT NULL,
    rpe REAL
)
"""
BASELINE_SCHEMA_POSTGRES = BASELINE_SCHEMA.replace(
    "id INTEGER PRIMARY KEY", "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
).replace(" REAL", " double precision")
BASELINE_INSERT = (
    "INSERT INTO strong_rows (date, workout_name, duration, exercise_name, set_order, weight,"
    " reps, distance, seconds, notes, workout_notes, rpe) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)


class BenchError(RuntimeError):
    """A run that stored the wrong number of rows."""


# --- the baseline --------------------------------------------------------------------------
def _float(cell: str) -> float | None:
    return float(cell) if cell else None


def _int(cell: str) -> int | None:
    return int(cell) if cell else None


@dataclass(slots=True)
class BaselineRun:
    spent: Spent
    stored: int


def _baseline_rows(export: Path) -> list[tuple[Any, ...]]:
    with export.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)  # the header
        return [
            (
                date,
                workout,
                duration,
                exercise,
                order,
                _float(weight),
                _int(reps),
                _float(distance),
                _float(seconds),
                notes,
                workout_notes,
                _float(rpe),
            )
            for (
                date,
                workout,
                duration,
                exercise,
                order,
                weight,
                reps,
                distance,
                seconds,
                notes,
                workout_notes,
                rpe,
            ) in reader
        ]


def baseline_import(export: Path, database: Path | str) -> BaselineRun:
    """Read ``export`` with :mod:`csv` and insert every row into a fresh table, timed.

    ``database`` is an SQLite file, or the URL of an empty PostgreSQL database.
    """
    if isinstance(database, str):
        return _baseline_postgres(export, database)
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")  # as failwise's make_engine
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(BASELINE_SCHEMA)
        gc.collect()
        watch = Stopwatch.start()
        rows = _baseline_rows(export)
        connection.execute("BEGIN")
        connection.executemany(BASELINE_INSERT, rows)
        connection.execute("COMMIT")
        spent = watch.stop()
        (stored,) = connection.execute("SELECT count(*) FROM strong_rows").fetchone()
    finally:
        connection.close()
    return BaselineRun(spent, int(stored))


def _baseline_postgres(export: Path, url: str) -> BaselineRun:
    """The baseline on PostgreSQL: psycopg's ``executemany`` (pipeline mode) in one
    transaction."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute(BASELINE_SCHEMA_POSTGRES)
        connection.commit()
        gc.collect()
        watch = Stopwatch.start()
        rows = _baseline_rows(export)
        with connection.cursor() as cursor:
            cursor.executemany(BASELINE_INSERT.replace("?", "%s"), rows)
        connection.commit()
        spent = watch.stop()
        found = connection.execute("SELECT count(*) FROM strong_rows").fetchone()
    return BaselineRun(spent, int(found[0]) if found else 0)


# --- failwise ------------------------------------------------------------------------------
@dataclass(slots=True)
class FailwiseRun:
    total: Spent
    parse: Spent
    """``read_text`` and ``parse``."""
    store: Spent
    """``HistoryImporter.import_file``."""
    stored: int
    summary: ImportSummary


def _fresh_lifter(database: Path | str) -> tuple[Database, int]:
    db = Database(database if isinstance(database, str) else f"sqlite:///{database}")
    return db, Accounts(db).sign_up(USERNAME, PASSWORD).user.id


def _failwise_steps(export: Path, db: Database, user_id: int) -> tuple[Spent, Spent, ImportSummary]:
    watch = Stopwatch.start()
    parsed = parse(read_text(export.read_bytes()))
    parsing = watch.stop()
    watch = Stopwatch.start()
    summary = HistoryImporter(Core(db)).import_file(user_id, parsed)
    return parsing, watch.stop(), summary


def failwise_import(export: Path, database: Path | str) -> FailwiseRun:
    """One import into a fresh database (an SQLite file, or the URL of an empty PostgreSQL
    database): the whole, and parse and store apart."""
    db, user_id = _fresh_lifter(database)
    try:
        gc.collect()
        watch = Stopwatch.start()
        parsing, storing, summary = _failwise_steps(export, db, user_id)
        total = watch.stop()
        with db.engine.connect() as connection:
            stored = connection.scalar(
                text("SELECT count(*) FROM sets WHERE user_id = :user"), {"user": user_id}
            )
    finally:
        db.dispose()
    return FailwiseRun(total, parsing, storing, int(stored or 0), summary)


def schema_floor(database: Path | str) -> Spent:
    """The database's own part of failwise's import: the sets it stored, read back as
    plain tuples, deleted, and inserted again with the driver's bare ``executemany``
    in one transaction, timed (the same rows, columns and indexes; no Python work)."""
    db = Database(database if isinstance(database, str) else f"sqlite:///{database}")
    try:
        # With their ids: failwise gives them on SQLite (storage.tables.new_ids).
        columns = ("id", *BULK_SET_COLUMNS)
        statement = bulk_insert(db.engine.dialect, SetRow.__table__, columns)
        names = ", ".join(columns)
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(f"SELECT {names} FROM sets ORDER BY id")
            rows = [tuple(row) for row in cursor.fetchall()]
            cursor.execute("DELETE FROM sets")
            connection.commit()
            gc.collect()
            watch = Stopwatch.start()
            cursor.executemany(statement.sql, rows)
            connection.commit()
            spent = watch.stop()
            cursor.close()
        finally:
            connection.close()
    finally:
        db.dispose()
    return spent


def profile_failwise(
    export: Path, database: Path | str, top: int
) -> tuple[str, list[dict[str, Any]]]:
    """One failwise import under cProfile: the printed top functions and the same as data."""
    db, user_id = _fresh_lifter(database)
    profiler = cProfile.Profile()
    try:
        gc.collect()
        profiler.enable()
        _failwise_steps(export, db, user_id)
        profiler.disable()
    finally:
        db.dispose()
    return top_functions(profiler, top)


# --- the runs ------------------------------------------------------------------------------
def _spent(spent: Spent) -> dict[str, float | None]:
    return {
        "seconds": round(spent.wall, 4),
        "cpu_seconds": round(spent.cpu, 4),
        "other_cores": spent.other_cores,
    }


@dataclass(slots=True)
class Report:
    backend: str
    """``sqlite`` or ``postgresql``."""
    sets: int
    file_bytes: int
    generate_seconds: float
    baseline_runs: list[Spent] = field(default_factory=list)
    baseline_rows: int = 0
    failwise_runs: list[tuple[Spent, Spent, Spent]] = field(default_factory=list)
    """(total, parse, store) of each run."""
    floor_runs: list[Spent] = field(default_factory=list)
    """The sets failwise stored, put back into its ``sets`` table by bare ``executemany``."""
    failwise_stored: int = 0
    failwise_skipped: int = 0
    failwise_skip_reasons: dict[str, int] = field(default_factory=dict)
    failwise_workouts: int = 0
    peak_rss_mib: float = 0.0
    profile: list[dict[str, Any]] | None = None
    profile_text: str = ""

    @property
    def baseline_best(self) -> Spent:
        return min(self.baseline_runs, key=lambda spent: spent.wall)

    @property
    def failwise_best(self) -> tuple[Spent, Spent, Spent]:
        return min(self.failwise_runs, key=lambda run: run[0].wall)

    @property
    def ratio(self) -> float:
        return self.failwise_best[0].wall / self.baseline_best.wall

    @property
    def cpu_ratio(self) -> float:
        """The same ratio on the least CPU time of each side's runs."""
        baseline = min(spent.cpu for spent in self.baseline_runs)
        return min(run[0].cpu for run in self.failwise_runs) / baseline

    @property
    def goal_met(self) -> bool:
        return self.ratio <= GOAL

    @property
    def other_cores(self) -> float | None:
        """The most cores other work kept busy during any timed run."""
        seen = [
            spent.other_cores
            for spent in (*self.baseline_runs, *(run[0] for run in self.failwise_runs))
            if spent.other_cores is not None
        ]
        return max(seen) if seen else None

    def as_json(self) -> dict[str, Any]:
        total, parsing, storing = self.failwise_best
        baseline = self.baseline_best
        return {
            "backend": self.backend,
            "file_bytes": self.file_bytes,
            "generate_seconds": self.generate_seconds,
            "baseline": {
                **_spent(baseline),
                "sets_per_second": round(self.baseline_rows / baseline.wall),
                "rows_stored": self.baseline_rows,
                "runs": [_spent(spent) for spent in self.baseline_runs],
            },
            "schema_floor": [_spent(spent) for spent in self.floor_runs],
            "failwise": {
                **_spent(total),
                "sets_per_second": round(self.sets / total.wall),
                "parse": _spent(parsing),
                "store": _spent(storing),
                "sets_stored": self.failwise_stored,
                "workouts_stored": self.failwise_workouts,
                "skipped": self.failwise_skipped,
                "skip_reasons": self.failwise_skip_reasons,
                "runs": [
                    {**_spent(t), "parse": _spent(p), "store": _spent(s)}
                    for t, p, s in self.failwise_runs
                ],
            },
            "ratio": round(self.ratio, 3),
            "cpu_ratio": round(self.cpu_ratio, 3),
            "goal": GOAL,
            "goal_met": self.goal_met,
            "peak_rss_mib": self.peak_rss_mib,
            "profile": self.profile,
        }


def _skip_reasons(summary: ImportSummary) -> dict[str, int]:
    reasons: dict[str, int] = {}
    for problem in summary.skipped:
        reasons[problem.reason] = reasons.get(problem.reason, 0) + 1
    return reasons


def _check_failwise(run: FailwiseRun, baseline_rows: int) -> None:
    summary = run.summary
    expected = baseline_rows - len(summary.skipped)
    if run.stored != expected or summary.sets != run.stored or summary.duplicates:
        raise BenchError(
            f"failwise stored {run.stored} sets (summary: {summary.sets}, "
            f"{summary.duplicates} duplicates); expected {baseline_rows} rows - "
            f"{len(summary.skipped)} skipped = {expected}"
        )


BACKENDS = ("sqlite", "postgresql")


@contextmanager
def _database(backend: str, directory: Path, number: int) -> Iterator[Path | str]:
    """A fresh, empty database for one run: an SQLite file in ``directory``, or a new
    PostgreSQL database on the local server (dropped after the run)."""
    if backend == "sqlite":
        yield directory / f"run-{number}.sqlite3"
        return
    with fresh_database("postgresql") as url:
        yield url


def run_backend(args: argparse.Namespace, directory: Path, backend: str) -> Report:
    """Both sides on one backend, ``args.repeat`` times, alternating."""
    export = directory / "strong.csv"
    report = Report(backend, args.sets, export.stat().st_size, 0.0)
    databases = iter(range(10_000))
    # Alternate the sides, so a machine that slows down mid-run does not favour one.
    for number in range(1, args.repeat + 1):
        announce(f"{backend}, run {number}/{args.repeat}: baseline …")
        with _database(backend, directory, next(databases)) as database:
            baseline = baseline_import(export, database)
        rows = baseline.stored
        if rows != args.sets:
            raise BenchError(f"the baseline stored {rows} rows of the file's {args.sets}")
        report.baseline_runs.append(baseline.spent)
        report.baseline_rows = rows
        announce(f"{backend}, run {number}/{args.repeat}: failwise …")
        with _database(backend, directory, next(databases)) as database:
            result = failwise_import(export, database)
            announce(f"{backend}, run {number}/{args.repeat}: the schema's floor …")
            report.floor_runs.append(schema_floor(database))
        _check_failwise(result, rows)
        report.failwise_runs.append((result.total, result.parse, result.store))
        report.failwise_stored = result.stored
        report.failwise_skipped = len(result.summary.skipped)
        report.failwise_skip_reasons = _skip_reasons(result.summary)
        report.failwise_workouts = result.summary.workouts
        del result
        gc.collect()
    report.peak_rss_mib = peak_rss_mib()
    if args.profile or not report.goal_met:
        announce(f"{backend}: profiling one more failwise import (cProfile) …")
        with _database(backend, directory, next(databases)) as database:
            report.profile_text, report.profile = profile_failwise(export, database, args.top)
    return report


def run(args: argparse.Namespace, directory: Path) -> list[Report]:
    """The export generated once, then both sides on each backend asked for."""
    export = directory / "strong.csv"
    announce(f"generating a Strong export of {args.sets:,} sets (seed {args.seed}) …")
    began = time.perf_counter()
    write_export(export, args.sets, seed=args.seed)
    generated = round(time.perf_counter() - began, 3)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    reports = [run_backend(args, directory, backend) for backend in backends]
    for report in reports:
        report.generate_seconds = generated
    return reports


def exit_status(reports: Sequence[Report]) -> int:
    """0 when failwise is within :data:`GOAL` of the baseline on every backend, else 3."""
    return 0 if all(report.goal_met for report in reports) else 3


# --- reporting ------------------------------------------------------------------------------
def _cores(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(label: str, spent: Spent, sets: int, baseline: Spent, note: str) -> str:
    wall, cpu = spent.wall / baseline.wall, spent.cpu / baseline.cpu
    return (
        f"{label:<11}{spent.wall:>9.3f}{sets / spent.wall:>10,.0f}{wall:>8.2f}"
        f"{spent.cpu:>9.3f}{cpu:>8.2f}{_cores(spent.other_cores):>7}   {note}"
    )


def table(report: Report) -> str:
    total, parsing, storing = report.failwise_best
    baseline = report.baseline_best
    baseline_runs = ", ".join(f"{spent.wall:.2f}" for spent in report.baseline_runs)
    failwise_runs = ", ".join(f"{run[0].wall:.2f}" for run in report.failwise_runs)
    reasons = "; ".join(f"{n} × {r}" for r, n in report.failwise_skip_reasons.items()) or "-"
    header = (
        f"{'side':<11}{'wall s':>9}{'sets/s':>10}{'x base':>8}{'cpu s':>9}{'x base':>8}"
        f"{'other':>7}   runs, wall s"
    )
    lines = [
        f"{report.backend}: Strong export of {report.sets:,} sets, "
        f"{report.file_bytes / 1e6:.1f} MB (generated in {report.generate_seconds:.1f} s)",
        "",
        header,
        "-" * len(header),
        _row("baseline", baseline, report.baseline_rows, baseline, baseline_runs),
        _row("failwise", total, report.sets, baseline, failwise_runs),
        _row("  parse", parsing, report.sets, baseline, "read_text + parse"),
        _row("  store", storing, report.sets, baseline, "HistoryImporter.import_file"),
        *(
            [
                _row(
                    "db floor",
                    min(report.floor_runs, key=lambda spent: spent.wall),
                    report.failwise_stored,
                    baseline,
                    "the same sets, bare executemany into failwise's sets table",
                )
            ]
            if report.floor_runs
            else []
        ),
        "",
        "The best run of each side, by wall clock (parse and store: of failwise's best run). "
        "x base: over the baseline's;\nother: cores other work kept busy meanwhile "
        f"(of {os.cpu_count()}).",
        f"rows: baseline stored {report.baseline_rows:,}; failwise stored "
        f"{report.failwise_stored:,} sets in {report.failwise_workouts:,} workouts and "
        f"skipped {report.failwise_skipped:,} ({reasons}); "
        f"{report.baseline_rows:,} − {report.failwise_skipped:,} = {report.failwise_stored:,} ✓",
        f"goal: failwise within {GOAL:g}x of the baseline: "
        f"{'met' if report.goal_met else 'MISSED'} ({report.ratio:.2f}x wall clock, "
        f"{report.cpu_ratio:.2f}x CPU time)",
        f"peak RSS of this process: {report.peak_rss_mib:,.0f} MiB",
    ]
    if report.profile_text:
        lines += [
            "",
            "cProfile of one more failwise import, by cumulative time:",
            report.profile_text,
        ]
    return "\n".join(lines)


def build_parser(prog: str = "python -m bench.import_speed") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Import of a generated Strong export into SQLite: failwise against a "
        "csv + sqlite3 baseline.",
    )
    parser.add_argument(
        "--sets",
        type=int,
        default=DEFAULT_SETS,
        help=f"rows in the generated export (default {DEFAULT_SETS:,})",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        help=f"runs of each side; the best counts (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one more failwise import even when the goal is met",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP,
        help=f"functions shown from the profile (default {DEFAULT_TOP})",
    )
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both"),
        default="both",
        help="the database both sides store into (default both: SQLite, then PostgreSQL "
        "on 127.0.0.1:5432)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = (build_parser(prog) if prog else build_parser()).parse_args(argv)
    if args.sets < 1 or not 1 <= args.repeat <= 100 or args.top < 1:
        print("--sets must be >= 1, --repeat 1 to 100, --top >= 1", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    try:
        with tempfile.TemporaryDirectory(prefix="failwise-import-bench-") as directory:
            reports = run(args, Path(directory))
    except BenchError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1
    print("\n\n".join(table(report) for report in reports))
    if args.json:
        document = {
            "benchmark": "import",
            "started_at": started.isoformat(),
            "settings": {
                "sets": args.sets,
                "repeat": args.repeat,
                "seed": args.seed,
                "format": "strong (comma-separated)",
                "database": "sqlite: a fresh file per run, WAL, synchronous=NORMAL; "
                "postgresql: a fresh database per run on the local server",
                "goal": f"failwise import time <= {GOAL:g} x baseline",
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "sqlite": sqlite3.sqlite_version,
            },
            "backends": {report.backend: report.as_json() for report in reports},
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    busy = [r.other_cores for r in reports if r.other_cores is not None]
    if busy and max(busy) >= BACKGROUND_WARNING:
        print(
            f"WARNING: other work kept up to {max(busy):.2f} cores busy during the "
            "timed runs: the machine is not quiet, the results are noisy",
            file=sys.stderr,
        )
    return exit_status(reports)


if __name__ == "__main__":
    raise SystemExit(main())

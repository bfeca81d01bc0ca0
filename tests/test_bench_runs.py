"""The benchmarks still run against the code as it is: every module imports, the
import benchmark stores a small generated export through the services the way a lifter's
import does, and the start-up benchmark runs each command once. (What they measure is for
`python -m bench`; nothing here is timed.)"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import bench
import pytest
from bench import analysis_speed
from bench.import_speed import Report, baseline_import, exit_status, failwise_import, schema_floor
from bench.measure import Spent
from bench.strong_export import write_export

import failwise


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(bench.__path__)))
def test_every_benchmark_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")


def test_the_import_benchmark_stores_what_its_baseline_stores(tmp_path: Path) -> None:
    export = tmp_path / "strong.csv"
    write_export(export, 300, seed=1)
    baseline = baseline_import(export, tmp_path / "baseline.sqlite3")
    failwise = failwise_import(export, tmp_path / "failwise.sqlite3")
    schema_floor(tmp_path / "failwise.sqlite3")
    with contextlib.closing(sqlite3.connect(tmp_path / "failwise.sqlite3")) as connection:
        (again,) = connection.execute("SELECT count(DISTINCT idempotency_key) FROM sets").fetchone()
    assert again == failwise.stored, "the floor puts back every set failwise stored"
    assert baseline.stored == 300
    # Every row the baseline stored is a set failwise stored or a line it says it skipped.
    assert failwise.stored == 300 - len(failwise.summary.skipped) > 0
    assert failwise.summary.sets == failwise.stored and failwise.summary.duplicates == 0


def test_the_cli_start_benchmark_runs_each_command_as_a_whole_process(tmp_path: Path) -> None:
    """One round, through ``python -m bench cli-start``: every command answered (a command
    that failed or printed no JSON fails the run with status 1 and writes no results), and
    the exit status says whether prescribe met its goal."""
    results = tmp_path / "cli-start.json"
    root = Path(bench.__file__).parent.parent
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(Path(failwise.__file__).parent.parent), str(root)]
    )
    done = subprocess.run(
        [sys.executable, "-m", "bench", "cli-start", "--runs", "1", "--json", str(results)],
        capture_output=True,
        text=True,
        cwd=root,
        env=environment,
        check=False,
        timeout=300,
    )
    assert results.exists(), done.stdout + done.stderr
    document = json.loads(results.read_text(encoding="utf-8"))
    measured = document["results"]
    assert set(measured) == {
        "typer + rich",
        "bare typer app",
        "prescribe",
        "e1rm",
        "load",
        "plates",
        "scale",
    }
    assert all(len(result["wall_seconds"]) == 1 for result in measured.values())
    assert measured["typer + rich"]["wall_ratio"] == 1.0
    assert done.returncode == (0 if document["goal"]["met"] else 1), done.stdout
    assert "prescribe" in done.stdout and "× baseline" in done.stdout


def test_the_import_benchmark_runs_on_postgresql_too(tmp_path: Path, postgres_url: str) -> None:
    export = tmp_path / "strong.csv"
    write_export(export, 300, seed=1)
    baseline = baseline_import(export, postgres_url)
    assert baseline.stored == 300
    # The baseline's table and failwise's live side by side in the one database.
    failwise = failwise_import(export, postgres_url)
    assert failwise.stored == 300 - len(failwise.summary.skipped) > 0
    assert failwise.summary.sets == failwise.stored and failwise.summary.duplicates == 0


def _report(backend: str, baseline: float, failwise: float) -> Report:
    report = Report(backend, 10, 100, 0.0)
    report.baseline_runs.append(Spent(baseline, baseline, None))
    report.failwise_runs.append(
        (Spent(failwise, failwise, None), Spent(0.0, 0.0, None), Spent(failwise, failwise, None))
    )
    return report


def test_the_import_benchmark_fails_when_any_backend_is_above_three_times_its_baseline() -> None:
    assert exit_status([_report("sqlite", 1.0, 2.9), _report("postgresql", 2.0, 6.0)]) == 0
    assert exit_status([_report("sqlite", 1.0, 2.9), _report("postgresql", 2.0, 6.2)]) == 3
    assert exit_status([_report("sqlite", 1.0, 3.1)]) == 3


def test_the_analysis_benchmark_reads_its_cached_lifter_whole(tmp_path: Path) -> None:
    args = analysis_speed.build_parser().parse_args(
        ["--sets", "600", "--repeat", "1", "--cache-dir", str(tmp_path)]
    )
    first = analysis_speed.run(args)
    assert first.built_seconds is not None and first.summary["sets"] == 600
    assert first.summary["fatigue_weeks"] == first.weeks == 5  # one week per 120 sets
    assert first.baseline.peak_mib is not None and first.analysis.peak_mib is not None
    again = analysis_speed.run(args)  # the same lifter, from the cache
    assert again.built_seconds is None and again.summary == first.summary
    assert len(list(tmp_path.glob("*.sqlite3"))) == 1
    assert "analysis / baseline" in analysis_speed.table(again)


def test_the_log_benchmark_measures_failwise_on_two_workers() -> None:
    """Every acknowledged set stored, and each worker's share of the load read from /proc."""
    from bench.log_throughput import FAILWISE, Report, run_phase, scaling_ratios, table

    two = run_phase("sqlite", FAILWISE, seconds=0.5, clients=2, warmup=0.2, workers=2)
    assert two.errors == 0 and two.requests > 0
    assert two.rows_stored == two.rows_expected
    assert two.workers == 2
    assert two.worker_connections is not None and sum(two.worker_connections) == 2
    assert two.worker_cpu_share is not None and len(two.worker_cpu_share) == 2
    assert sum(two.worker_cpu_share) == pytest.approx(1.0, abs=0.01)
    ratios = scaling_ratios(two, two)
    assert ratios["throughput"] == 1.0 and not ratios["goal_met"]  # 1.0× is no gain
    entry = dict.fromkeys(("one", "two", "baseline_one", "baseline_two"), two)
    report = Report(scaling={"sqlite": {**entry, "ratios": ratios, "baseline_ratios": ratios}})
    shown = table(report)
    assert "2w / 1w" in shown and "per worker: CPU" in shown and "MISSED" in shown
    assert "the bare baseline's own scaling" in shown
    assert set(report.as_json()["scaling"]["sqlite"]) >= {"baseline_ratios", "ratios"}


def test_the_log_benchmarks_lifters_have_trained_before_and_finish_their_workouts() -> None:
    """A week of imported history each (not counted as logged), and a new workout after
    every three sets: every acknowledged set stored, in workouts of at most three."""
    from bench.log_throughput import FAILWISE, run_phase

    phase = run_phase(
        "sqlite", FAILWISE, seconds=0.5, clients=2, warmup=0.2, history_weeks=1, workout_sets=3
    )
    assert phase.errors == 0 and phase.requests > 0
    assert phase.history_sets > 100  # about 120 sets a week each, imported before the load
    assert phase.rows_stored == phase.rows_expected  # the history is not counted as logged
    logged = phase.rows_stored
    assert phase.workouts_finished >= logged // 3 - 2  # each client's last workout may be open


def test_a_generated_history_ends_before_the_monday_it_is_given() -> None:
    from datetime import date

    from bench.strong_export import generate

    monday = date(2026, 11, 30)
    days = {row.started_at.date() for row in generate(500, seed=3, end=monday)}
    assert max(days) < monday and len(days) > 4
    with pytest.raises(ValueError, match="Monday"):
        next(generate(10, end=date(2026, 12, 1)))


def test_the_log_benchmarks_lifters_send_the_set_they_were_shown() -> None:
    """Three sets of an exercise in a row, each after the first sent with the next set
    the answer before showed: every one accepted and stored, and finished workouts too."""
    from bench.log_throughput import FAILWISE, run_phase

    phase = run_phase(
        "sqlite",
        FAILWISE,
        seconds=0.5,
        clients=2,
        warmup=0.2,
        workout_sets=3,  # a workout a block: each block's sets are its exercise's first
        set_block=3,
        shown=True,
    )
    assert phase.errors == 0 and phase.requests > 6
    assert phase.rows_stored == phase.rows_expected
    # Two sets in each block of three follow one of the same exercise.
    logged = phase.requests + phase.warmup_requests
    assert logged * 2 // 3 - 4 <= phase.shown_sets <= logged * 2 // 3 + 2


def test_a_set_the_server_refuses_or_a_server_gone_counts_as_an_error_not_as_logged() -> None:
    """Clients with a token the server does not know log nothing: every answer is a 401,
    counted as an error; once the server has stopped, each attempt is a transport error."""
    from bench.log_throughput import (
        FAILWISE,
        Routine,
        drive,
        fresh_database,
        running_server,
        summarise,
    )

    with fresh_database("sqlite") as url, running_server(FAILWISE, url) as server:
        logs, schedule, before, after, _ = drive(
            server, FAILWISE.path, ["not-a-token"] * 2, 0.3, 0.1, Routine()
        )
        result = summarise("sqlite", FAILWISE, 2, logs, schedule, before, after, 0)
        assert result.requests == 0 and result.errors > 0
        assert set(result.error_kinds) == {"HTTP 401"}
        assert any("401" in sample for sample in result.error_samples)
    logs, *_ = drive(server, FAILWISE.path, ["not-a-token"], 0.2, 0.0, Routine())
    assert not logs[0].starts and sum(logs[0].errors.values()) > 0
    assert "ConnectionRefusedError" in logs[0].errors

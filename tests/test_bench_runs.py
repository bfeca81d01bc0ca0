"""The benchmarks still run against the code as it is: every module imports, and the
import benchmark stores a small generated export through the services the way a lifter's
import does. (What they measure is for `python -m bench`; nothing here is timed.)"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import sqlite3
from pathlib import Path

import bench
import pytest
from bench.import_speed import Report, baseline_import, exit_status, failwise_import, schema_floor
from bench.measure import Spent
from bench.strong_export import write_export


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

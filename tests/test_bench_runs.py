"""The benchmarks still run against the code as it is: every module imports, and the
import benchmark stores a small generated export through the services the way a lifter's
import does. (What they measure is for `python -m bench`; nothing here is timed.)"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import bench
import pytest
from bench.import_speed import baseline_import, failwise_import
from bench.strong_export import write_export


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(bench.__path__)))
def test_every_benchmark_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")


def test_the_import_benchmark_stores_what_its_baseline_stores(tmp_path: Path) -> None:
    export = tmp_path / "strong.csv"
    write_export(export, 300, seed=1)
    baseline = baseline_import(export, tmp_path / "baseline.sqlite3")
    failwise = failwise_import(export, tmp_path / "failwise.sqlite3")
    assert baseline.stored == 300
    # Every row the baseline stored is a set failwise stored or a line it says it skipped.
    assert failwise.stored == 300 - len(failwise.summary.skipped) > 0
    assert failwise.summary.sets == failwise.stored and failwise.summary.duplicates == 0


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
    shown = table(Report(scaling={"sqlite": {"one": two, "two": two, "ratios": ratios}}))
    assert "2w / 1w" in shown and "per worker: CPU" in shown and "MISSED" in shown

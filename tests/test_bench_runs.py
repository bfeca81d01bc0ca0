"""The benchmarks still run against the code as it is: every module imports, and the
import benchmark stores a small generated export through the services the way a lifter's
import does. (What they measure is for `python -m bench`; nothing here is timed.)"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import bench
import pytest
from bench import analysis_speed
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

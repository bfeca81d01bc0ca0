"""History analysis of a very long history: the time and the peak memory of ``analyse``.

``--sets`` (1,000,000 by default) :class:`~failwise.domain.analysis.HistorySet`
objects are built in memory from the generated history of
:mod:`bench.strong_export` (the rows the import benchmark writes to a file,
read as the import reads them: loads in kg, RIR = 10 − RPE where an RPE was
logged, warm-ups not working sets, ``F`` rows to failure, one workout id per
session; no database), and :func:`~failwise.domain.analysis.analyse` reads
them, inferring RIR where none was logged, as ``Insights.analysis`` does.

Each size is measured twice, in the same process:

- **time**: the history is built, the garbage collected, and ``analyse`` timed
  alone (wall clock, ``time.perf_counter``; best of ``--repeat``);
- **memory**: under :mod:`tracemalloc` (which slows everything down, so it
  never runs during the timed pass), the history is built and its size read
  (the input), then the peak is reset and ``analyse`` runs: the peak of the
  call alone, above the input it reads, and the size of the result it leaves.

A full run might take long, so the history is first measured at 100,000 and
300,000 sets; the time at ``--sets`` is extrapolated from those two (a power
law through both points), and when it exceeds ``--budget`` seconds (10
minutes by default) the full size is not run (``--force`` runs it anyway)
and one analysis of 100,000 sets is profiled with :mod:`cProfile` to show
which function dominates (``--profile`` profiles it in any case).

    python -m bench.analysis_speed --sets 1000000 --json analysis.json
    python -m bench analysis --sets 1000000      # the same, through python -m bench
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import math
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import (
    BACKGROUND_WARNING,
    Spent,
    Stopwatch,
    announce,
    peak_rss_mib,
    top_functions,
)
from bench.strong_export import LIFTS, generate
from failwise.domain.analysis import HistoryAnalysis, HistorySet, analyse
from failwise.domain.exercises import Catalog, Exercise
from failwise.services.catalog import builtin_catalog

DEFAULT_SETS = 1_000_000
DEFAULT_SEED = 2024
DEFAULT_BUDGET = 600.0  # seconds: beyond this the full size is extrapolated, not run
DEFAULT_TOP = 25
PROBES = (100_000, 300_000)
PROFILE_SETS = 100_000
MIB = 1024 * 1024


def _exercise(catalog: Catalog, name: str) -> Exercise:
    found = catalog.find(name)
    if found is None:
        raise LookupError(f"{name!r} is not in failwise's catalog")
    return found


def build_history(sets: int, seed: int) -> list[HistorySet]:
    """The generated history as the analysis reads it."""
    catalog = builtin_catalog()
    exercises = {name: _exercise(catalog, name) for name in LIFTS}
    history: list[HistorySet] = []
    workout, label = -1, ""
    for row in generate(sets, seed=seed):
        if row.workout != workout:
            workout, label = row.workout, str(row.workout)
        history.append(
            HistorySet(
                performed_at=row.started_at,
                exercise=exercises[row.exercise],
                load=row.weight,
                reps=row.reps,
                rir=None if row.rpe is None else 10.0 - row.rpe,
                working=row.order != "W",
                to_failure=row.order == "F",
                workout=label,
            )
        )
    return history


@dataclass(slots=True)
class Measurement:
    sets: int
    build_seconds: float
    analyse_seconds: float
    """The best run's wall clock."""
    analyse_cpu_seconds: float
    """The best run's CPU time."""
    other_cores: float | None
    """Cores other work kept busy during the best run."""
    runs: list[float]
    input_mib: float | None = None
    """What tracemalloc saw allocated for the history (the analysis's input)."""
    analyse_peak_mib: float | None = None
    """Peak traced memory during ``analyse``, above the input."""
    result_mib: float | None = None
    """What the analysis's result still holds once it returns."""
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds_per_100k(self) -> float:
        return self.analyse_seconds * 100_000 / self.sets


def _summary(result: HistoryAnalysis) -> dict[str, Any]:
    """Enough of the result to see the analysis did its work."""
    return {
        "sets": result.sets,
        "working_sets": result.working_sets,
        "workouts": result.workouts,
        "first": result.first.isoformat() if result.first else None,
        "last": result.last.isoformat() if result.last else None,
        "logged_share": round(result.logged_share, 3),
        "rule_breaks": len(result.rule_breaks),
        "weeks": len(result.weekly_volume),
        "fatigue_weeks": len(result.fatigue_by_week),
    }


def measure(sets: int, seed: int, repeat: int, *, memory: bool = True) -> Measurement:
    """Time ``analyse`` on ``sets`` sets (best of ``repeat``), then its memory under tracemalloc."""
    gc.collect()
    began = time.perf_counter()
    history = build_history(sets, seed)
    build = time.perf_counter() - began
    runs: list[Spent] = []
    summary: dict[str, Any] = {}
    for _ in range(repeat):
        gc.collect()
        watch = Stopwatch.start()
        result = analyse(history)
        runs.append(watch.stop())
        summary = _summary(result)
        del result
    del history
    best = min(runs, key=lambda spent: spent.wall)
    found = Measurement(
        sets,
        round(build, 3),
        round(best.wall, 3),
        round(best.cpu, 3),
        best.other_cores,
        [round(spent.wall, 3) for spent in runs],
        summary=summary,
    )
    if memory:
        _trace_memory(found, seed)
    return found


def _trace_memory(found: Measurement, seed: int) -> None:
    gc.collect()
    tracemalloc.start()
    try:
        history = build_history(found.sets, seed)
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = analyse(history)
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    found.input_mib = round(held / MIB, 1)
    found.analyse_peak_mib = round((peak - held) / MIB, 1)
    found.result_mib = round((after - held) / MIB, 1)
    del result, history


def profile_analysis(sets: int, seed: int, top: int) -> tuple[str, list[dict[str, Any]]]:
    history = build_history(sets, seed)
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    analyse(history)
    profiler.disable()
    return top_functions(profiler, top)


def extrapolate(small: Measurement, large: Measurement, sets: int) -> dict[str, float]:
    """The time at ``sets``: linear from the larger probe, and a power law through both."""
    exponent = math.log(large.analyse_seconds / small.analyse_seconds) / math.log(
        large.sets / small.sets
    )
    return {
        "exponent": round(exponent, 3),
        "linear_seconds": round(large.analyse_seconds * sets / large.sets, 1),
        "power_law_seconds": round(large.analyse_seconds * (sets / large.sets) ** exponent, 1),
    }


@dataclass(slots=True)
class Report:
    sets: int
    budget: float
    measurements: list[Measurement] = field(default_factory=list)
    projection: dict[str, float] | None = None
    full_run: bool = False
    profile_sets: int | None = None
    profile: list[dict[str, Any]] | None = None
    profile_text: str = ""
    peak_rss_mib: float = 0.0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for entry, found in zip(data["measurements"], self.measurements, strict=True):
            entry["seconds_per_100k"] = round(found.seconds_per_100k, 3)
            entry["sets_per_second"] = round(found.sets / found.analyse_seconds)
        return data


def run(args: argparse.Namespace) -> Report:
    report = Report(sets=args.sets, budget=args.budget)
    probes = [n for n in PROBES if n < args.sets]
    for sets in probes:
        announce(f"{sets:,} sets: analyse, then its memory under tracemalloc …")
        report.measurements.append(measure(sets, args.seed, 1))
    if len(probes) == 2:
        small, large = report.measurements
        report.projection = extrapolate(small, large, args.sets)
    projected = report.projection["power_law_seconds"] if report.projection else 0.0
    report.full_run = args.force or projected <= args.budget
    if report.full_run:
        announce(
            f"{args.sets:,} sets: analyse ×{args.repeat}, then its memory under tracemalloc"
            + (f" (projected {projected:.0f} s each) …" if projected else " …")
        )
        report.measurements.append(measure(args.sets, args.seed, args.repeat))
    if args.profile or not report.full_run:
        report.profile_sets = min(PROFILE_SETS, args.sets)
        announce(f"profiling analyse on {report.profile_sets:,} sets (cProfile) …")
        report.profile_text, report.profile = profile_analysis(
            report.profile_sets, args.seed, args.top
        )
    report.peak_rss_mib = peak_rss_mib()
    return report


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def table(report: Report) -> str:
    header = (
        f"{'sets':>10}{'build s':>9}{'analyse s':>11}{'cpu s':>9}{'s/100k':>8}{'sets/s':>9}"
        f"{'input MiB':>11}{'peak MiB':>10}{'result MiB':>12}{'other':>7}"
    )
    lines = [header, "-" * len(header)]
    for m in report.measurements:
        lines.append(
            f"{m.sets:>10,}{m.build_seconds:>9.1f}{m.analyse_seconds:>11.2f}"
            f"{m.analyse_cpu_seconds:>9.2f}"
            f"{m.seconds_per_100k:>8.2f}{m.sets / m.analyse_seconds:>9,.0f}"
            f"{_mib(m.input_mib):>11}{_mib(m.analyse_peak_mib):>10}{_mib(m.result_mib):>12}"
            f"{'-' if m.other_cores is None else format(m.other_cores, '.2f'):>7}"
        )
    lines += [
        "",
        "analyse s: analyse() alone, the best of its runs by wall clock (cpu s: its CPU time); "
        "build s: making the HistorySet list.",
        "input MiB: the history as tracemalloc sees it; peak MiB: the peak during analyse() "
        "above the input;\nresult MiB: what the returned analysis still holds; other: cores "
        f"other work kept busy during the timed analyse() (of {os.cpu_count()}).",
    ]
    largest = report.measurements[-1]
    lines.append(
        f"largest history measured: {largest.summary.get('sets', 0):,} sets, "
        f"{largest.summary.get('working_sets', 0):,} working, "
        f"{largest.summary.get('workouts', 0):,} workouts over "
        f"{largest.summary.get('weeks', 0):,} weeks ({largest.summary.get('first', '')[:10]} "
        f"to {largest.summary.get('last', '')[:10]}); "
        f"{largest.summary.get('rule_breaks', 0):,} rule breaks"
    )
    if report.projection:
        p = report.projection
        lines.append(
            f"projected analyse() at {report.sets:,} sets from the 100k and 300k runs: "
            f"{p['power_law_seconds']:,.0f} s (time ∝ sets^{p['exponent']:.2f}; "
            f"{p['linear_seconds']:,.0f} s if it were linear)"
        )
    if not report.full_run:
        lines.append(
            f"NOT RUN at {report.sets:,} sets: the projection exceeds the budget of "
            f"{report.budget:,.0f} s (--force runs it)"
        )
    lines.append(
        f"peak RSS of this process: {report.peak_rss_mib:,.0f} MiB (tracemalloc's own "
        "bookkeeping included)"
    )
    if report.profile_text:
        lines += [
            "",
            f"cProfile of analyse() on {report.profile_sets:,} sets, by cumulative time:",
            report.profile_text,
        ]
    return "\n".join(lines)


def build_parser(prog: str = "python -m bench.analysis_speed") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Time and peak memory of the history analysis on a long history."
    )
    parser.add_argument(
        "--sets",
        type=int,
        default=DEFAULT_SETS,
        help=f"sets in the history (default {DEFAULT_SETS:,})",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs at --sets; the best counts (default 1)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help=f"seconds the projected run may take (default {DEFAULT_BUDGET:g})",
    )
    parser.add_argument("--force", action="store_true", help="run --sets whatever the projection")
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"profile analyse() on {PROFILE_SETS:,} sets even when the full size runs",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP,
        help=f"functions shown from the profile (default {DEFAULT_TOP})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = (build_parser(prog) if prog else build_parser()).parse_args(argv)
    if args.sets < 1 or not 1 <= args.repeat <= 100 or args.budget <= 0 or args.top < 1:
        print("--sets must be >= 1, --repeat 1 to 100, --budget > 0, --top >= 1", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    report = run(args)
    print(table(report))
    if args.json:
        document = {
            "benchmark": "analysis",
            "started_at": started.isoformat(),
            "settings": {
                "sets": args.sets,
                "repeat": args.repeat,
                "seed": args.seed,
                "budget_seconds": args.budget,
                "probes": list(PROBES),
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            **report.as_json(),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    busiest = max((m.other_cores or 0.0 for m in report.measurements), default=0.0)
    if busiest >= BACKGROUND_WARNING:
        print(
            f"WARNING: other work kept up to {busiest:.2f} cores busy during a timed run: "
            "the machine is not quiet, the results are noisy",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

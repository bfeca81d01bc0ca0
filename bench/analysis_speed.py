"""History analysis of a lifter with a million sets, against reading those sets into tuples.

**The lifter.** :func:`bench.big_lifter.build_lifter` writes ``--sets`` sets
(1,000,000 by default) of one lifter straight into a migrated SQLite file: warm-ups,
working sets, RIR called on a third of them, sets to failure, an RIR test every 500
sets, in workouts of ``--per-workout`` sets (30). They fall in ``--weeks`` weeks up to
a fixed day: by default one week per 120 sets (a lifter's pace, as in the Strong
history of :mod:`bench.strong_export`), so a million sets span 8,334 weeks and the
analysis reads as many weekly fatigue verdicts. Building it takes a while, so the file
is kept in ``--cache-dir`` under a name made of the sets, the seed, the workout size,
the weeks and the schema (a digest of the migrations): the next run with the same
settings opens it as it is (``--rebuild`` builds it anew).

**Measured**, in one run, ``--repeat`` times each, alternately (the best counts):

- the **baseline**: the driver alone (:mod:`sqlite3`) reads the lifter's sets, the
  columns the analysis reads, in the order done, into a list of Python tuples;
- the **analysis**: ``Insights.analysis(user_id)``, what ``failwise history`` and the
  history page call: the store reads the sets as they are consumed
  (:meth:`~failwise.services.ports.Store.history_chunks`, into columns) and
  :func:`~failwise.domain.analysis.analyse` reads them through the article, RIR
  inferred where none was called, the weekly fatigue verdicts included.

The ratio is the analysis's time over the baseline's; the goal is at most
:data:`GOAL_RATIO` (3×), and the run exits 1 above it. Then each runs once more under
:mod:`tracemalloc` (never while timed: it slows everything down): its peak memory
above what was allocated before it, and what its result still holds; the process's
peak RSS closes the report. ``--profile`` adds a cProfile of one analysis.

    python -m bench analysis                      # a million sets (the first run builds them)
    python -m bench.analysis_speed --sets 100000 --repeat 3 --json analysis.json
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import math
import os
import platform
import sqlite3
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import failwise.storage
from bench.big_lifter import USERNAME, build_lifter
from bench.measure import (
    BACKGROUND_WARNING,
    Spent,
    Stopwatch,
    announce,
    peak_rss_mib,
    top_functions,
)
from failwise.domain.analysis import HistoryAnalysis
from failwise.services.core import Core
from failwise.services.insights import Insights
from failwise.storage.database import Database

DEFAULT_SETS = 1_000_000
DEFAULT_SEED = 2024
DEFAULT_PER_WORKOUT = 30
SETS_PER_WEEK = 120
DEFAULT_TOP = 25
GOAL_RATIO = 3.0
# The sets' last day: fixed, so that a cached file is the same lifter whenever it was built.
NOW = datetime(2026, 3, 2, 18, 0)
MIB = 1024 * 1024
# The columns the analysis reads, in the order done: what the baseline reads too.
BASELINE_QUERY = (
    "SELECT logged_at, exercise_id, load, reps, rir, rir_inferred, set_type, to_failure,"
    " workout_id FROM sets WHERE user_id = ? ORDER BY logged_at, workout_id, position, id"
)


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "failwise-bench"


def schema_digest() -> str:
    """A digest of the migrations: a cached file made under another schema is not reused."""
    digest = hashlib.sha256()
    for path in sorted(
        (Path(failwise.storage.__file__).parent / "migrations").glob("versions/*.py")
    ):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Lifter:
    path: Path
    user_id: int
    sets: int
    built_seconds: float | None
    """None when the file came from the cache."""


def lifter_file(
    cache: Path, *, sets: int, seed: int, per_workout: int, weeks: int, rebuild: bool = False
) -> Lifter:
    """The lifter's SQLite file: from the cache when it holds one made with these settings."""
    cache.mkdir(parents=True, exist_ok=True)
    name = f"analysis-{sets}-seed{seed}-per{per_workout}-weeks{weeks}-{schema_digest()}.sqlite3"
    path = cache / name
    built = None
    if rebuild or not path.exists():
        with tempfile.TemporaryDirectory(prefix="failwise-analysis-", dir=cache) as folder:
            announce(f"building a lifter with {sets:,} sets over {weeks:,} weeks in {path} …")
            building = Path(folder) / "lifter.sqlite3"
            made = build_lifter(
                building, sets=sets, per_workout=per_workout, weeks=weeks, seed=seed, now=NOW
            )
            # A copy through SQLite's backup API holds what the write-ahead log still holds,
            # in one file; it takes the cache's name only once it is whole.
            copy = Path(folder) / "copy.sqlite3"
            source, target = sqlite3.connect(building), sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            copy.replace(path)
        built = made.seconds
        announce(f"  built in {made.seconds:.1f} s")
    with sqlite3.connect(path) as connection:
        found = connection.execute("SELECT id FROM users WHERE username = ?", (USERNAME,))
        user_id = int(found.fetchone()[0])
        stored = connection.execute("SELECT count(*) FROM sets WHERE user_id = ?", (user_id,))
        count = int(stored.fetchone()[0])
    return Lifter(path, user_id, count, built)


def read_tuples(path: Path, user_id: int) -> list[tuple[Any, ...]]:
    """The baseline: the lifter's sets read by the driver alone into a list of tuples."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(BASELINE_QUERY, (user_id,)).fetchall()
    finally:
        connection.close()


def analysis_of(insights: Insights, user_id: int) -> HistoryAnalysis:
    return insights.analysis(user_id)


@dataclass(slots=True)
class Timed:
    best: float
    cpu: float
    """The best run's CPU time."""
    other_cores: float | None
    """Cores other work kept busy during the best run."""
    runs: list[float]
    peak_mib: float | None = None
    """Peak traced memory above what was allocated before it (tracemalloc)."""
    kept_mib: float | None = None
    """What its result still holds once it returns."""


def timed(runs: list[Spent]) -> Timed:
    best = min(runs, key=lambda spent: spent.wall)
    return Timed(
        round(best.wall, 3),
        round(best.cpu, 3),
        best.other_cores,
        [round(spent.wall, 3) for spent in runs],
    )


def traced(work: Callable[[], object]) -> tuple[float, float]:
    """Peak and kept memory (MiB) of ``work`` under tracemalloc, above what was there before."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        result = work()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return round((peak - before) / MIB, 1), round((after - before) / MIB, 1)


def _summary(result: HistoryAnalysis) -> dict[str, Any]:
    """Enough of the result to see the analysis did its work."""
    fatigued = sum(1 for _, verdict in result.fatigue_by_week if verdict.value != "carry-on")
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
        "fatigue_weeks_not_carry_on": fatigued,
    }


@dataclass(slots=True)
class Report:
    sets: int
    weeks: int
    per_workout: int
    database: str
    built_seconds: float | None
    baseline: Timed
    analysis: Timed
    summary: dict[str, Any] = field(default_factory=dict)
    profile: list[dict[str, Any]] | None = None
    profile_text: str = ""
    peak_rss_mib: float = 0.0

    @property
    def ratio(self) -> float:
        return self.analysis.best / self.baseline.best

    @property
    def cpu_ratio(self) -> float:
        """The same over CPU times: what other work on the machine skews least."""
        return self.analysis.cpu / self.baseline.cpu if self.baseline.cpu else math.inf

    @property
    def met(self) -> bool:
        return self.ratio <= GOAL_RATIO

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = round(self.ratio, 2)
        data["cpu_ratio"] = round(self.cpu_ratio, 2)
        data["goal_ratio"] = GOAL_RATIO
        data["met"] = self.met
        data["sets_per_second"] = round(self.sets / self.analysis.best)
        return data


def run(args: argparse.Namespace) -> Report:
    weeks = args.weeks or max(1, -(-args.sets // SETS_PER_WEEK))
    lifter = lifter_file(
        args.cache_dir,
        sets=args.sets,
        seed=args.seed,
        per_workout=args.per_workout,
        weeks=weeks,
        rebuild=args.rebuild,
    )
    database = Database(f"sqlite:///{lifter.path}", migrate=False)
    try:
        insights = Insights(Core(database))
        baseline: list[Spent] = []
        analysis: list[Spent] = []
        summary: dict[str, Any] = {}
        for number in range(1, args.repeat + 1):
            announce(f"run {number} of {args.repeat}: the baseline, then the analysis …")
            gc.collect()
            watch = Stopwatch.start()
            rows = read_tuples(lifter.path, lifter.user_id)
            baseline.append(watch.stop())
            if len(rows) != lifter.sets:
                raise RuntimeError(f"the baseline read {len(rows)} sets, not {lifter.sets}")
            del rows
            gc.collect()
            watch = Stopwatch.start()
            result = analysis_of(insights, lifter.user_id)
            analysis.append(watch.stop())
            summary = _summary(result)
            if result.sets != lifter.sets:
                raise RuntimeError(f"the analysis read {result.sets} sets, not {lifter.sets}")
            del result
        report = Report(
            lifter.sets,
            weeks,
            args.per_workout,
            str(lifter.path),
            lifter.built_seconds,
            timed(baseline),
            timed(analysis),
            summary,
        )
        if args.memory:
            announce("the baseline and the analysis once more, under tracemalloc …")
            report.baseline.peak_mib, report.baseline.kept_mib = traced(
                lambda: read_tuples(lifter.path, lifter.user_id)
            )
            report.analysis.peak_mib, report.analysis.kept_mib = traced(
                lambda: analysis_of(insights, lifter.user_id)
            )
        if args.profile:
            announce("profiling the analysis (cProfile) …")
            profiler = cProfile.Profile()
            profiler.enable()
            analysis_of(insights, lifter.user_id)
            profiler.disable()
            report.profile_text, report.profile = top_functions(profiler, args.top)
    finally:
        database.dispose()
    report.peak_rss_mib = peak_rss_mib()
    return report


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def table(report: Report) -> str:
    s = report.summary
    built = (
        "from the cache"
        if report.built_seconds is None
        else f"built in {report.built_seconds:.1f} s"
    )
    header = (
        f"{'':<10}{'best s':>9}{'cpu s':>9}{'runs s':>24}{'peak MiB':>10}{'kept MiB':>10}"
        f"{'other':>7}"
    )
    lines = [
        f"One lifter, {report.sets:,} sets ({s.get('working_sets', 0):,} working) in "
        f"{s.get('workouts', 0):,} workouts over {report.weeks:,} weeks; SQLite, {built}",
        "",
        header,
        "-" * len(header),
    ]
    for name, found in (("baseline", report.baseline), ("analysis", report.analysis)):
        runs = " ".join(f"{run:.2f}" for run in found.runs)
        lines.append(
            f"{name:<10}{found.best:>9.2f}{found.cpu:>9.2f}{runs[-23:]:>24}"
            f"{_mib(found.peak_mib):>10}{_mib(found.kept_mib):>10}"
            f"{'-' if found.other_cores is None else format(found.other_cores, '.2f'):>7}"
        )
    lines += [
        "",
        f"analysis / baseline: {report.ratio:.2f}× (goal ≤ {GOAL_RATIO:g}×: "
        f"{'met' if report.met else 'NOT MET'}); over CPU times {report.cpu_ratio:.2f}×; "
        f"{report.sets / report.analysis.best:,.0f} sets/s",
        "baseline: sqlite3 reads the sets (the columns the analysis reads) into tuples; "
        "analysis: Insights.analysis(user_id), the read included.",
        "best s: the best of the runs by wall clock (cpu s: its CPU time); peak MiB: "
        "tracemalloc's peak above what was allocated before;",
        "kept MiB: what the result still holds; other: cores other work kept busy during "
        f"the best run (of {os.cpu_count()}).",
        f"the analysis: {s.get('fatigue_weeks', 0):,} weekly fatigue verdicts "
        f"({s.get('fatigue_weeks_not_carry_on', 0):,} not 'carry on'), "
        f"{s.get('rule_breaks', 0):,} rule breaks, {s.get('weeks', 0):,} weeks of volume",
        f"peak RSS of this process: {report.peak_rss_mib:,.0f} MiB",
    ]
    if report.profile_text:
        lines += ["", "cProfile of one analysis, by cumulative time:", report.profile_text]
    return "\n".join(lines)


def build_parser(prog: str = "python -m bench.analysis_speed") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="The history analysis of a lifter with many sets, against reading "
        "those sets into tuples.",
    )
    parser.add_argument(
        "--sets", type=int, default=DEFAULT_SETS, help=f"the lifter's sets ({DEFAULT_SETS:,})"
    )
    parser.add_argument(
        "--weeks",
        type=int,
        default=0,
        help=f"the weeks the sets fall in (default: one per {SETS_PER_WEEK} sets)",
    )
    parser.add_argument(
        "--per-workout",
        type=int,
        default=DEFAULT_PER_WORKOUT,
        help=f"sets in a workout ({DEFAULT_PER_WORKOUT})",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each; the best counts (3)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"({DEFAULT_SEED})")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache(),
        help=f"where the lifter's file is kept between runs ({default_cache()})",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the lifter's file anew")
    parser.add_argument(
        "--no-memory",
        dest="memory",
        action="store_false",
        help="skip the pass under tracemalloc",
    )
    parser.add_argument("--profile", action="store_true", help="profile one analysis")
    parser.add_argument(
        "--top", type=int, default=DEFAULT_TOP, help=f"functions profiled ({DEFAULT_TOP})"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = (build_parser(prog) if prog else build_parser()).parse_args(argv)
    if (
        args.sets < 1
        or args.weeks < 0
        or not 1 <= args.per_workout <= args.sets
        or not 1 <= args.repeat <= 100
        or args.top < 1
    ):
        print(
            "--sets must be >= 1, --weeks >= 0, --per-workout 1 to --sets, --repeat 1 to 100,"
            " --top >= 1",
            file=sys.stderr,
        )
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
                "weeks": report.weeks,
                "per_workout": args.per_workout,
                "repeat": args.repeat,
                "seed": args.seed,
                "baseline": BASELINE_QUERY,
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            **report.as_json(),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    busiest = max(report.baseline.other_cores or 0.0, report.analysis.other_cores or 0.0)
    if busiest >= BACKGROUND_WARNING:
        print(
            f"WARNING: other work kept up to {busiest:.2f} cores busy during a timed run: "
            "the machine is not quiet, the results are noisy",
            file=sys.stderr,
        )
    if not report.met:
        print(
            f"BENCHMARK FAILED: the analysis took {report.ratio:.2f}× the baseline "
            f"(goal ≤ {GOAL_RATIO:g}×)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

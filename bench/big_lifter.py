"""One lifter with a million sets: the pages, the paged history and the streamed exports.

A hostile (or just enormous) import once stored 998,640 sets for one lifter; every
page then read all of them. This benchmark builds such a lifter and measures what
a real server does with it.

**The lifter.** A fresh SQLite file is migrated and a lifter signed up through
the services (an active plan too, created six weeks back, so the today page
adapts a planned session and reads the plan's weekly fatigue verdicts). Then
``--sets`` sets (1,000,000 by default) in workouts of ``--per-workout`` sets
(50) are written straight into the real schema with ``executemany`` (no
service is fast enough to be worth waiting for, and the rows are what the store
writes: loads in kg, naive-UTC times, ``source`` ``bench``). They are *dense*:
every set falls in the last ``--weeks`` weeks (52), so each window a page reads
(3 weeks of recent exercises, 8 of volume and fatigue, 26 of trained exercises,
52 of analysis) holds tens or hundreds of thousands of sets. Warm-ups, working
sets, RIR calls on a third of them, sets to failure, and an RIR test every 500
sets; the last workout is still open.

**The server.** ``uvicorn failwise.adapters.web.app:create_app --factory``, one
worker, on loopback (:func:`bench.log_throughput.running_server`), signed in
through ``/api/auth/signin`` (the bearer token for the API, the cookie for the
pages).

**Measured**, each path ``--repeat`` times after one untimed request (the median
counts; every answer must be a 200):

- ``/today``, ``/history``, ``/insights``, ``/plan`` and ``/api/history`` (its
  first page), and the page after it through its ``Link: rel="next"``;
- the baselines, in the same run: ``/healthz`` (a request that does no work
  beyond ``SELECT 1``) and, from this process, a plain
  ``SELECT * FROM sets WHERE user_id = ? ORDER BY logged_at DESC LIMIT 200``
  on the same file;
- ``/export/json`` and ``/export/failwise-csv``, streamed and counted: the
  bytes, the time to the first byte and to the last, and the server's resident
  memory (``VmRSS`` from ``/proc/<pid>/status``, sampled every 20 ms) before,
  at its peak during, and after each export.

Reported: seconds, ratios to both baselines, MB. Goal: every page under 2 s, and
an export's peak RSS within 150 MB of the server's memory before it.

    python -m bench big-lifter                       # about 2–3 minutes on 2 cores
    python -m bench big-lifter --sets 200000 --repeat 5 --json big.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.log_throughput import FAILWISE, BenchError, Server, running_server
from bench.measure import announce
from bench.strong_export import LIFTS
from failwise.services.accounts import Accounts
from failwise.services.catalog import builtin_catalog
from failwise.services.core import Core
from failwise.services.plans import Plans
from failwise.storage.database import Database

DEFAULT_SETS = 1_000_000
DEFAULT_PER_WORKOUT = 50
DEFAULT_WEEKS = 52
DEFAULT_REPEAT = 3
DEFAULT_SEED = 2024
USERNAME = "big-lifter"
PASSWORD = "a million sets later"
PAGES = {
    "today": "/today",
    "history": "/history",
    "insights": "/insights",
    "plan": "/plan",
    "api_history": "/api/history",
}
EXPORTS = ("json", "failwise-csv")
PAGE_GOAL_SECONDS = 2.0
EXPORT_GROWTH_GOAL_MB = 150.0
REQUEST_TIMEOUT = 600.0
RSS_INTERVAL = 0.02
BATCH = 20_000
SETS_COLUMNS = (
    "user_id",
    "workout_id",
    "position",
    "exercise_id",
    "set_type",
    "target_load",
    "target_reps",
    "target_rir_low",
    "target_rir_high",
    "load",
    "reps",
    "rir",
    "rir_inferred",
    "to_failure",
    "failure_kind",
    "test_reps_at_call",
    "test_predicted_rir",
    "rest_seconds",
    "notes",
    "logged_at",
    "created_at",
    "idempotency_key",
    "source",
    "planned",
)


# --- the lifter -------------------------------------------------------------------------------
def _stored_time(moment: datetime) -> str:
    """A naive-UTC time as SQLAlchemy stores it in SQLite (always with microseconds)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True, slots=True)
class Built:
    user_id: int
    sets: int
    workouts: int
    first: str
    last: str
    seconds: float


def _sign_up_with_plan(url: str, now: datetime) -> int:
    """The lifter and their active plan (before the sets, so the plan is quick to make)."""
    database = Database(url)
    try:
        user_id = Accounts(database).sign_up(USERNAME, PASSWORD).user.id
        plans = Plans(Core(database))
        plans.create(user_id, plans.request_for(user_id, days=4))
    finally:
        database.dispose()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "UPDATE plans SET created_at = ? WHERE user_id = ?",
            (_stored_time(now - timedelta(weeks=6)), user_id),
        )
    return user_id


def _set_rows(
    user_id: int, sets: int, per_workout: int, weeks: int, seed: int, now: datetime
) -> tuple[list[tuple[Any, ...]], Iterator[tuple[Any, ...]]]:
    """The workouts' rows, and a generator of the sets' rows (ids from 1, in order)."""
    rng = random.Random(seed)
    catalog = builtin_catalog()
    lifts = [(catalog.resolve(lift.name).id, lift) for lift in LIFTS.values()]
    count = -(-sets // per_workout)
    start = now - timedelta(weeks=weeks)
    spacing = (now - timedelta(hours=2) - start) / max(1, count)
    # Sets 20 s apart (a workout of 50 sets lasts under 17 minutes): workouts never overlap
    # while they start further apart than that.
    step = min(timedelta(seconds=20), spacing / (per_workout + 1))
    workouts = []
    for number in range(count):
        began = start + spacing * number
        finished = None if number == count - 1 else _stored_time(began + step * per_workout)
        workouts.append(
            (number + 1, user_id, _stored_time(began), finished, "normal", "", "", None)
        )

    def generate() -> Iterator[tuple[Any, ...]]:
        created = _stored_time(now)
        made = 0
        for number in range(count):
            began = start + spacing * number
            chosen = rng.sample(lifts, 5)
            for position in range(1, min(per_workout, sets - made) + 1):
                exercise_id, lift = chosen[(position - 1) * 5 // per_workout]
                warm_up = (position - 1) % max(1, per_workout // 5) < 2
                reps = rng.randint(lift.low, lift.high)
                load = round(lift.start_kg * (0.6 if warm_up else 1.0) * rng.uniform(0.9, 1.2), 1)
                rir = None if warm_up or rng.random() < 0.66 else float(rng.randint(0, 4))
                test = not warm_up and made % 500 == 255
                made += 1
                yield (
                    user_id,
                    number + 1,
                    position,
                    exercise_id,
                    "warm-up" if warm_up else "working",
                    None,
                    None,
                    None,
                    None,
                    load,
                    reps,
                    rir,
                    None,
                    1 if rir == 0.0 else 0,
                    None,
                    reps - 2 if test else None,
                    1.0 if test else None,
                    None,
                    "",
                    _stored_time(began + step * position),
                    created,
                    None,
                    "bench",
                    None,
                )

    return workouts, generate()


def build_lifter(
    path: Path, *, sets: int, per_workout: int, weeks: int, seed: int, now: datetime
) -> Built:
    """A migrated SQLite file at ``path`` with one lifter of ``sets`` sets."""
    began = time.perf_counter()
    url = f"sqlite:///{path}"
    user_id = _sign_up_with_plan(url, now)
    workouts, rows = _set_rows(user_id, sets, per_workout, weeks, seed, now)
    placeholders = ", ".join("?" for _ in SETS_COLUMNS)
    insert = f"INSERT INTO sets (id, {', '.join(SETS_COLUMNS)}) VALUES (?, {placeholders})"
    numbered = ((number, *row) for number, row in enumerate(rows, start=1))
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            connection.executemany(
                "INSERT INTO workouts (id, user_id, started_at, finished_at, phase, notes, name,"
                " plan_session) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                workouts,
            )
            while batch := [row for _, row in zip(range(BATCH), numbered, strict=False)]:
                connection.executemany(insert, batch)
            # The ids given here are taken: the store's next ones come after them.
            for table in ("workouts", "sets"):
                connection.execute(
                    f"UPDATE id_sequences SET last_id = (SELECT max(id) FROM {table})"
                    " WHERE name = ?",
                    (table,),
                )
        first, last, stored = connection.execute(
            "SELECT min(logged_at), max(logged_at), count(*) FROM sets WHERE user_id = ?",
            (user_id,),
        ).fetchone()
    finally:
        connection.close()
    if stored != sets:
        raise BenchError(f"stored {stored} sets, not {sets}")
    return Built(user_id, stored, len(workouts), first, last, time.perf_counter() - began)


# --- memory -----------------------------------------------------------------------------------
def rss_mb(pid: int) -> float | None:
    """``VmRSS`` of ``pid`` in MB (10^6 bytes); None without ``/proc``."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        return None
    return None


class RssSampler:
    """The peak ``VmRSS`` of a process while the block runs, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak: float | None = None
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_mb(self.pid)
            if value is not None:
                self.peak = value if self.peak is None else max(self.peak, value)
                self.samples += 1
            self._stop.wait(RSS_INTERVAL)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# --- the measurements -------------------------------------------------------------------------
@dataclass(slots=True)
class Timing:
    path: str
    runs: list[float]
    status: int
    bytes: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass(slots=True)
class ExportRun:
    format: str
    status: int
    streamed: bool
    """Sent without a Content-Length (chunked): the server did not build it whole first."""
    bytes: int
    first_byte_seconds: float
    seconds: float
    rss_before_mb: float | None
    rss_peak_mb: float | None
    rss_after_mb: float | None
    samples: int


@dataclass(slots=True)
class Report:
    sets: int
    workouts: int
    span: tuple[str, str]
    build_seconds: float
    select_limit_200: list[float]
    pages: dict[str, Timing] = field(default_factory=dict)
    exports: list[ExportRun] = field(default_factory=list)
    rss_idle_mb: float | None = None
    rss_after_pages_mb: float | None = None

    @property
    def select_median(self) -> float:
        return statistics.median(self.select_limit_200)

    def ratios(self, name: str) -> tuple[float, float]:
        """A page's median over /healthz's and over the plain SELECT's."""
        page = self.pages[name].median
        return page / self.pages["healthz"].median, page / self.select_median

    def as_json(self) -> dict[str, Any]:
        return {
            "sets": self.sets,
            "workouts": self.workouts,
            "span": list(self.span),
            "build_seconds": round(self.build_seconds, 2),
            "baselines": {
                "select_limit_200_seconds": [round(v, 5) for v in self.select_limit_200],
                "select_limit_200_median": round(self.select_median, 5),
                "healthz_median": round(self.pages["healthz"].median, 5),
            },
            "pages": {
                name: {
                    "path": timing.path,
                    "runs": [round(v, 4) for v in timing.runs],
                    "median_seconds": round(timing.median, 4),
                    "bytes": timing.bytes,
                    **(
                        {}
                        if name == "healthz"
                        else dict(
                            zip(
                                ("over_healthz", "over_select"),
                                (round(r, 1) for r in self.ratios(name)),
                                strict=True,
                            )
                        )
                    ),
                }
                for name, timing in self.pages.items()
            },
            "rss_idle_mb": _round(self.rss_idle_mb),
            "rss_after_pages_mb": _round(self.rss_after_pages_mb),
            "exports": [asdict(run) for run in self.exports],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def select_limit_200(path: Path, user_id: int, repeat: int) -> list[float]:
    """The floor: the newest 200 sets of the lifter, read from this process."""
    connection = sqlite3.connect(path)
    query = "SELECT * FROM sets WHERE user_id = ? ORDER BY logged_at DESC LIMIT 200"
    try:
        connection.execute(query, (user_id,)).fetchall()
        runs = []
        for _ in range(repeat):
            began = time.perf_counter()
            rows = connection.execute(query, (user_id,)).fetchall()
            runs.append(time.perf_counter() - began)
            if len(rows) != 200:
                raise BenchError(f"the SELECT read {len(rows)} rows, not 200")
        return runs
    finally:
        connection.close()


def sign_in(base_url: str) -> tuple[str, httpx.Cookies]:
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        answer = client.post("/api/auth/signin", json={"username": USERNAME, "password": PASSWORD})
        if answer.status_code != 200:
            raise BenchError(f"sign-in answered {answer.status_code}: {answer.text[:300]}")
        return str(answer.json()["token"]), client.cookies


def time_path(client: httpx.Client, path: str, repeat: int) -> Timing:
    client.get(path)  # untimed: caches (the catalog, the verdict) are warm in a running server
    runs, status, size = [], 0, 0
    for _ in range(repeat):
        began = time.perf_counter()
        answer = client.get(path)
        runs.append(time.perf_counter() - began)
        status, size = answer.status_code, len(answer.content)
        if status != 200:
            raise BenchError(f"{path} answered {status}: {answer.text[:300]}")
    return Timing(path, runs, status, size)


def next_page(client: httpx.Client) -> str | None:
    """The path of /api/history's second page, from the first page's Link header."""
    following = client.get("/api/history").links.get("next", {}).get("url")
    return httpx.URL(following).raw_path.decode() if following else None


def export(client: httpx.Client, server: Server, format: str) -> ExportRun:
    time.sleep(0.5)
    before = rss_mb(server.pid)
    began = time.perf_counter()
    first_byte = 0.0
    size = 0
    with RssSampler(server.pid) as sampler:
        with client.stream("GET", f"/export/{format}") as answer:
            streamed = "content-length" not in answer.headers
            for chunk in answer.iter_raw():
                if not size:
                    first_byte = time.perf_counter() - began
                size += len(chunk)
            status = answer.status_code
        seconds = time.perf_counter() - began
    time.sleep(0.5)
    if status != 200:
        raise BenchError(f"/export/{format} answered {status}")
    return ExportRun(
        format,
        status,
        streamed,
        size,
        first_byte,
        seconds,
        before,
        sampler.peak,
        rss_mb(server.pid),
        sampler.samples,
    )


def run(args: argparse.Namespace) -> Report:
    now = datetime.now(UTC).replace(tzinfo=None)
    with tempfile.TemporaryDirectory(prefix="failwise-big-") as folder:
        path = Path(folder) / "big.sqlite3"
        announce(f"building a lifter with {args.sets:,} sets …")
        built = build_lifter(
            path,
            sets=args.sets,
            per_workout=args.per_workout,
            weeks=args.weeks,
            seed=args.seed,
            now=now,
        )
        announce(f"  {built.sets:,} sets in {built.workouts:,} workouts, {built.seconds:.1f} s")
        report = Report(
            built.sets,
            built.workouts,
            (built.first, built.last),
            built.seconds,
            select_limit_200(path, built.user_id, max(5, args.repeat)),
        )
        with running_server(FAILWISE, f"sqlite:///{path}") as server:
            token, cookies = sign_in(server.base_url)
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(
                base_url=server.base_url,
                cookies=cookies,
                headers=headers,
                timeout=REQUEST_TIMEOUT,
            ) as client:
                report.pages["healthz"] = time_path(client, "/healthz", max(5, args.repeat))
                report.rss_idle_mb = rss_mb(server.pid)
                for name, page in PAGES.items():
                    announce(f"GET {page} ×{args.repeat} …")
                    report.pages[name] = time_path(client, page, args.repeat)
                following = next_page(client)
                if following is None:
                    announce("/api/history has no Link: rel=next: not paged")
                else:
                    report.pages["api_history_next"] = time_path(client, following, args.repeat)
                report.rss_after_pages_mb = rss_mb(server.pid)
                for format in args.exports:
                    announce(f"GET /export/{format} (streamed) …")
                    report.exports.append(export(client, server, format))
        return report


# --- the report -------------------------------------------------------------------------------
def table(report: Report) -> str:
    lines = [
        f"One lifter, {report.sets:,} sets in {report.workouts:,} workouts "
        f"({report.span[0][:10]} – {report.span[1][:10]}), built in {report.build_seconds:.1f} s",
        "",
        f"baseline SELECT … LIMIT 200 (this process): {report.select_median * 1000:.2f} ms;"
        f" /healthz: {report.pages['healthz'].median * 1000:.2f} ms",
        "",
        f"{'path':<40} {'median s':>9} {'× healthz':>10} {'× SELECT':>10} {'KB':>9}",
    ]
    for name, timing in report.pages.items():
        if name == "healthz":
            continue
        over_health, over_select = report.ratios(name)
        lines.append(
            f"{timing.path[:40]:<40} {timing.median:>9.3f} {over_health:>10.1f}"
            f" {over_select:>10.1f} {timing.bytes / 1000:>9.1f}"
        )
    lines += [
        "",
        f"server RSS: {_mb(report.rss_idle_mb)} idle, {_mb(report.rss_after_pages_mb)} "
        "after the pages",
        "",
        f"{'export':<14} {'MB':>8} {'first byte s':>13} {'total s':>8} {'RSS before':>11} "
        f"{'peak':>8} {'after':>8} {'streamed':>9}",
    ]
    for run in report.exports:
        lines.append(
            f"{run.format:<14} {run.bytes / 1e6:>8.1f} {run.first_byte_seconds:>13.2f}"
            f" {run.seconds:>8.1f} {_mb(run.rss_before_mb):>11} {_mb(run.rss_peak_mb):>8}"
            f" {_mb(run.rss_after_mb):>8} {'yes' if run.streamed else 'NO':>9}"
        )
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def problems(report: Report) -> list[str]:
    failed = []
    for name, timing in report.pages.items():
        if name != "healthz" and timing.median > PAGE_GOAL_SECONDS:
            failed.append(f"{timing.path} took {timing.median:.2f} s (goal {PAGE_GOAL_SECONDS} s)")
    for run in report.exports:
        if run.rss_before_mb is not None and run.rss_peak_mb is not None:
            growth = run.rss_peak_mb - run.rss_before_mb
            if growth > EXPORT_GROWTH_GOAL_MB:
                failed.append(f"/export/{run.format} grew the server by {growth:.0f} MB")
        if not run.streamed:
            failed.append(f"/export/{run.format} was not streamed (it had a Content-Length)")
    return failed


def build_parser(prog: str = "python -m bench.big_lifter") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Pages, paged history and streamed exports of a huge lifter."
    )
    parser.add_argument(
        "--sets", type=int, default=DEFAULT_SETS, help=f"the lifter's sets ({DEFAULT_SETS:,})"
    )
    parser.add_argument(
        "--per-workout",
        type=int,
        default=DEFAULT_PER_WORKOUT,
        help=f"sets in a workout ({DEFAULT_PER_WORKOUT})",
    )
    parser.add_argument(
        "--weeks",
        type=int,
        default=DEFAULT_WEEKS,
        help=f"the sets fall in this many weeks up to now ({DEFAULT_WEEKS})",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        help=f"timed requests per page; the median counts ({DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--exports",
        nargs="*",
        default=list(EXPORTS),
        choices=["json", "failwise-csv", "strong"],
        help="the exports streamed (default: json failwise-csv; none: --exports)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = (build_parser(prog) if prog else build_parser()).parse_args(argv)
    if args.sets < 1000 or not 1 <= args.per_workout <= args.sets or args.weeks < 1:
        print("--sets must be >= 1000, --per-workout 1 to --sets, --weeks >= 1", file=sys.stderr)
        return 2
    if not 1 <= args.repeat <= 50:
        print("--repeat must be 1 to 50", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    try:
        report = run(args)
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    print(table(report))
    if args.json:
        document = {
            "benchmark": "big-lifter",
            "started_at": started.isoformat(),
            "settings": {
                "sets": args.sets,
                "per_workout": args.per_workout,
                "weeks": args.weeks,
                "repeat": args.repeat,
                "seed": args.seed,
                "server": "uvicorn --factory --workers 1 --log-level warning",
                "goal": f"pages < {PAGE_GOAL_SECONDS:g} s; export peak RSS growth < "
                f"{EXPORT_GROWTH_GOAL_MB:g} MB",
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            **report.as_json(),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    failed = problems(report)
    if failed:
        print("\nBENCHMARK FAILED:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Reliability of set logging: load, server crashes, database outages and offline replays.

Every scenario starts a real ``uvicorn`` process on
loopback (the helpers of :mod:`bench.log_throughput`), drives it through the
REST API with simulated lifters, and then reads the database directly to
check what the clients were told against what was stored.

A *lifter* is a thread with one ``httpx.Client``: it signs up, signs in, and
logs sets (``POST /api/sets``), each under its own ``Idempotency-Key``. A set is
*acknowledged* only by a 2xx answer (201 created, 200 replayed). On a
transport error or a 5xx the same set is sent again with the same key, after a
short back-off, until it is acknowledged or its retry budget
(:data:`MAX_ATTEMPTS`, and the drain time after the load) runs out; a lifter
retries its oldest unacknowledged set before it logs a new one, as an offline
client replays its queue. Every answer is recorded. Every few sets the lifter
finishes its workout, so that the next set opens a new one.

Scenarios:

``load``
    N lifters for S seconds.
``crash``
    The same load; the server is killed with SIGKILL at random moments
    (one per 20 s of load, at least one), restarted on the same database
    after ~1 s, and the clients retry what was not acknowledged. The run
    ends with a last SIGKILL, so the database is checked as a crash leaves it.
``outage``
    PostgreSQL only: the cluster is stopped (``pg_ctlcluster … stop -m fast``)
    for ~3 s in the middle of the load and started again (always, in a
    ``finally``). Requests made while it is down must be answered 503 with
    ``Retry-After``; the same server process must recover on its own.
``replay``
    One lifter's offline queue of 1,000 sets (keys and ``logged_at`` in
    order) is delivered shuffled, with ~30 % duplicates, from 4 threads at
    once. Each set must be stored once, and the lifter's sets ordered by
    ``logged_at`` must be the queue's order.

The verifier checks, per lifter: every acknowledged key stored exactly once,
with what was sent and the id the answer named; no stored set whose key was
never sent; no duplicate key; no workout without sets (half-written); and the
database's own integrity check (SQLite ``PRAGMA integrity_check`` and
``foreign_key_check``; PostgreSQL ``amcheck`` on every B-tree index). Any 500
(any 5xx but a 503 with ``Retry-After``) fails a run, as does an unhandled
exception in the server's log.

    python -m tests.reliability.driver --scenario all --backend both \\
        --clients 8 --seconds 60 --json artifacts/reliability.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
from bench.log_throughput import (
    HOST,
    ROOT,
    SETS,
    BenchError,
    _tail,
    _token,
    _wait_until_up,
    free_port,
    fresh_database,
)
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from failwise.services.catalog import builtin_catalog
from failwise.storage.database import Database, make_engine
from failwise.storage.tables import SetRow, WorkoutRow

SCENARIOS = ("load", "crash", "outage", "replay")
BACKENDS = ("sqlite", "postgresql")

REQUEST_TIMEOUT = 5.0  # short: a hung request shows up as a timeout, never as a stuck run
STARTUP_TIMEOUT = 60.0
DRAIN_SECONDS = 30.0  # after the load: time left to retry what is not acknowledged
MAX_ATTEMPTS = 100  # per set: the retry budget
MAX_REQUESTS = 1_000_000  # per client: a bound on every loop besides the clock
BACKOFF_FIRST, BACKOFF_MAX = 0.05, 1.0  # seconds; doubled per attempt, with jitter
FINISH_EVERY = 6  # acknowledged sets before a lifter finishes its workout
CRASH_EVERY_SECONDS = 20.0  # one SIGKILL per this much load (at least one)
CRASH_DOWN_SECONDS = 1.0
OUTAGE_SECONDS = 3.0
REPLAY_SETS = 1000
REPLAY_DUPLICATES = 0.3
REPLAY_THREADS = 4
REPLAY_SPACING = timedelta(hours=4)  # between two queued sets' logged_at
RECOVERY_SECONDS = 2.0  # of load at least after a restart or an outage, to see the recovery
MAX_EXTENSION = 60.0  # the most a disruption may extend the load by
UNHANDLED = "Exception in ASGI application"  # what uvicorn logs for a 500


# --- the server ---------------------------------------------------------------------------
class Server:
    """failwise under ``uvicorn`` on a free loopback port; it can be SIGKILLed and restarted.

    The port and the database stay the same across restarts, so the clients keep
    their base URL. The log of every run of the process goes to one file.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        # Appending: a restarted server never writes over the log of the one before.
        self.log: IO[bytes] = tempfile.TemporaryFile(mode="a+b")  # noqa: SIM115 (close())
        self.pids: list[int] = []
        self.kills = 0

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "failwise.adapters.web.app:create_app",
            "--factory",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the process and wait until ``/healthz`` answers 200."""
        if self.alive():
            raise BenchError("the server is already running")
        env = dict(os.environ)
        env["FAILWISE_DATABASE_URL"] = self.database_url
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=env, stdout=self.log, stderr=self.log
        )
        self.pids.append(self.process.pid)
        _wait_until_up(self.process, self.base_url, self.log)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last = "no answer"
        with httpx.Client(base_url=self.base_url, timeout=REQUEST_TIMEOUT) as probe:
            while time.monotonic() < deadline:
                try:
                    answer = probe.get("/healthz")
                except httpx.HTTPError as error:
                    last = f"{type(error).__name__}: {error}"
                else:
                    if answer.status_code == 200:
                        return
                    last = f"HTTP {answer.status_code}"
                time.sleep(0.1)
        raise BenchError(f"/healthz did not answer 200 in {STARTUP_TIMEOUT:g} s ({last})")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as a crash or the OOM killer would."""
        if self.process is None or not self.alive():
            raise BenchError("the server is not running")
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self.kills += 1

    def restart(self) -> None:
        self.start()

    def stop(self) -> None:
        if self.process is None or not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def unhandled_errors(self) -> int:
        """Unhandled exceptions the server logged: each one was a 500."""
        return self.log_text().count(UNHANDLED)

    def tail(self) -> str:
        return _tail(self.log)

    def close(self) -> None:
        self.stop()
        self.log.close()

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --- what the clients saw -------------------------------------------------------------------
class Outcome(Enum):
    ACKED = "acknowledged"  # 2xx
    RETRY = "retry"  # transport error, 5xx, 408, 429: send again with the same key
    REJECTED = "rejected"  # any other 4xx: the set itself is refused (a bug here)


@dataclass(slots=True)
class Event:
    """One request: when it started and ended (monotonic s), what it was, what came back."""

    start: float
    end: float
    kind: str  # "set" or "finish"
    outcome: str  # "201", "503", … or the transport error's class name
    retry_after: bool


@dataclass(slots=True)
class Record:
    """Everything one client thread saw."""

    events: list[Event] = field(default_factory=list)
    acked: dict[str, int] = field(default_factory=dict)  # key -> the set id the answer named
    created: Counter[str] = field(default_factory=Counter)  # key -> 201 answers
    problems: list[str] = field(default_factory=list)  # answers that contradict each other
    samples: list[str] = field(default_factory=list)  # the first few non-2xx answers

    def note(self, began: float, kind: str, outcome: str, retry_after: bool, sample: str) -> None:
        self.events.append(Event(began, time.monotonic(), kind, outcome, retry_after))
        if sample and len(self.samples) < 5:
            self.samples.append(sample)

    def statuses(self, kind: str | None = None) -> Counter[str]:
        return Counter(e.outcome for e in self.events if kind is None or e.kind == kind)


def merge(records: Sequence[Record]) -> Record:
    merged = Record()
    for record in records:
        merged.events.extend(record.events)
        merged.created.update(record.created)
        merged.problems.extend(record.problems)
        merged.samples.extend(record.samples)
        for key, set_id in record.acked.items():
            previous = merged.acked.setdefault(key, set_id)
            if previous != set_id:
                merged.problems.append(f"key {key} acknowledged as set {previous} and {set_id}")
    return merged


def post_set(
    client: httpx.Client, key: str, body: dict[str, Any], record: Record
) -> tuple[Outcome, dict[str, Any] | None]:
    """Send one set under ``key``; record the answer; the outcome and the stored set."""
    began = time.monotonic()
    try:
        answer = client.post("/api/sets", json=body, headers={"Idempotency-Key": key})
    except httpx.HTTPError as error:
        record.note(began, "set", type(error).__name__, False, "")
        return Outcome.RETRY, None
    code = answer.status_code
    retry_after = "retry-after" in answer.headers
    if 200 <= code < 300:
        record.note(began, "set", str(code), retry_after, "")
        try:
            stored = answer.json()["set"]
            set_id = int(stored["id"])
        except (ValueError, KeyError, TypeError) as error:
            record.problems.append(f"{key}: a {code} without a stored set ({error!r})")
            return Outcome.ACKED, None
        if stored.get("idempotency_key") != key:
            record.problems.append(
                f"{key}: answered with the set of {stored.get('idempotency_key')}"
            )
        previous = record.acked.setdefault(key, set_id)
        if previous != set_id:
            record.problems.append(f"{key}: acknowledged as set {previous}, then as set {set_id}")
        if code == 201:
            record.created[key] += 1
        return Outcome.ACKED, stored
    record.note(began, "set", str(code), retry_after, f"HTTP {code}: {answer.text[:300]}")
    if code >= 500 or code in (408, 429):
        return Outcome.RETRY, None
    return Outcome.REJECTED, None


def backoff(attempt: int, rng: random.Random) -> float:
    """Seconds before the next attempt; shorter than ``Retry-After`` so an outage is probed."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(attempt, 10)) * (0.5 + rng.random())


@dataclass(slots=True)
class Pending:
    key: str
    body: dict[str, Any]
    attempts: int = 0
    not_before: float = 0.0


class Lifter:
    """A simulated lifter: one thread, one HTTP client, sets queued until acknowledged."""

    def __init__(self, index: int, base_url: str, run_id: str, seed: int) -> None:
        self.index = index
        self.base_url = base_url
        self.username = f"rel-{run_id}-{index}"
        self.password = secrets.token_urlsafe(16)
        self.token = ""
        self.user_id = 0
        self.record = Record()
        self.sent: dict[str, dict[str, Any]] = {}
        self.queue: deque[Pending] = deque()
        self.unacknowledged: list[str] = []  # the retry budget ran out
        self.rejected: list[str] = []
        self.crashed: str | None = None
        self.rng = random.Random(seed * 1000 + index)

    def enrol(self) -> None:
        """Sign up, then sign in (the token of the sign-in is the one used)."""
        credentials = {"username": self.username, "password": self.password}
        with httpx.Client(base_url=self.base_url, timeout=REQUEST_TIMEOUT) as client:
            signed_up = _call(client, "/api/auth/signup", credentials, (201,))
            self.user_id = int(signed_up["user"]["id"])
            self.token = _token(_call(client, "/api/auth/signin", credentials, (200,)))

    def run(self, schedule: Schedule, stop: threading.Event) -> None:
        try:
            self._run(schedule, stop)
        except Exception as error:  # a client that dies must not pass for a quiet one
            self.crashed = f"{type(error).__name__}: {error}"
        finally:
            self.unacknowledged.extend(p.key for p in self.queue)
            self.queue.clear()

    def _run(self, schedule: Schedule, stop: threading.Event) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        with httpx.Client(
            base_url=self.base_url, headers=headers, timeout=REQUEST_TIMEOUT, limits=limits
        ) as client:
            number = 0
            in_workout = 0
            for _ in range(MAX_REQUESTS):
                now = time.monotonic()
                if stop.is_set() or now >= schedule.give_up_at:
                    return
                if not self.queue:
                    if now >= schedule.stop_new_at:
                        return
                    key = f"{self.username}-{number:06d}"
                    body = {**SETS[(self.index + number) % len(SETS)], "total_sets": 3}
                    number += 1
                    self.sent[key] = body
                    self.queue.append(Pending(key, body))
                item = self.queue[0]
                if item.not_before > now:
                    stop.wait(min(item.not_before, schedule.give_up_at) - now)
                    continue
                outcome, stored = post_set(client, item.key, item.body, self.record)
                item.attempts += 1
                if outcome is Outcome.ACKED:
                    self.queue.popleft()
                    in_workout += 1
                    if in_workout >= FINISH_EVERY and stored is not None:
                        self._finish(client, int(stored["workout_id"]))
                        in_workout = 0
                elif outcome is Outcome.REJECTED:
                    self.rejected.append(self.queue.popleft().key)
                elif item.attempts >= MAX_ATTEMPTS:
                    self.unacknowledged.append(self.queue.popleft().key)
                else:
                    item.not_before = time.monotonic() + backoff(item.attempts, self.rng)

    def _finish(self, client: httpx.Client, workout_id: int) -> None:
        """Finish the workout (once: if it fails, the next sets go into the same one)."""
        began = time.monotonic()
        try:
            answer = client.post(f"/api/workouts/{workout_id}/finish")
        except httpx.HTTPError as error:
            self.record.note(began, "finish", type(error).__name__, False, "")
            return
        sample = "" if answer.is_success else f"finish: HTTP {answer.status_code}: {answer.text}"
        retry_after = "retry-after" in answer.headers
        self.record.note(began, "finish", str(answer.status_code), retry_after, sample[:300])


def _call(client: httpx.Client, path: str, body: dict[str, Any], expected: tuple[int, ...]) -> Any:
    """A sign-up or sign-in, retried (a few times) on a transport error or a 503."""
    last = ""
    for _ in range(20):
        try:
            answer = client.post(path, json=body)
        except httpx.TransportError as error:
            last = f"{type(error).__name__}: {error}"
        else:
            if answer.status_code in expected:
                return answer.json()
            last = f"HTTP {answer.status_code}: {answer.text[:300]}"
            if answer.status_code != 503:
                break
        time.sleep(0.5)
    raise BenchError(f"{path} failed: {last}")


def enrol(lifters: Sequence[Lifter]) -> None:
    for lifter in lifters:
        lifter.enrol()


@dataclass(slots=True)
class Schedule:
    """When the load started, when lifters stop logging new sets, when they stop retrying.

    Monotonic seconds. A disruption holds the load on while it lasts (:meth:`hold`)
    and then ends it a little after its recovery (:meth:`end_after`), so that the
    recovery is seen under load; the lifters read the schedule on every turn.
    """

    start: float
    planned_end: float
    drain: float
    stop_new_at: float = 0.0
    give_up_at: float = 0.0

    def __post_init__(self) -> None:
        self._set(self.planned_end)

    def _set(self, end: float) -> None:
        end = min(max(end, self.planned_end), self.planned_end + MAX_EXTENSION)
        self.give_up_at = end + self.drain  # first, so the end never passes the give-up
        self.stop_new_at = end

    def hold(self) -> None:
        """Keep logging new sets until :meth:`end_after` (at most MAX_EXTENSION s longer)."""
        self._set(self.planned_end + MAX_EXTENSION)

    def end_after(self, seconds: float) -> None:
        """Stop logging new sets ``seconds`` from now (or at the planned end, if later)."""
        self._set(time.monotonic() + seconds)


def drive(
    lifters: Sequence[Lifter],
    seconds: float,
    *,
    disrupt: Callable[[Schedule], None] | None = None,
    drain: float = DRAIN_SECONDS,
) -> float:
    """Run the lifters for ``seconds`` (then up to ``drain`` s of retries); the wall time.

    ``disrupt(schedule)`` runs in this thread meanwhile (kills, outages).
    """
    stop = threading.Event()
    start = time.monotonic()
    schedule = Schedule(start, start + seconds, drain)
    threads = [
        threading.Thread(
            target=lifter.run,
            args=(schedule, stop),
            name=f"lifter-{lifter.index}",
            daemon=True,
        )
        for lifter in lifters
    ]
    for thread in threads:
        thread.start()
    try:
        if disrupt is not None:
            disrupt(schedule)
    except BaseException:
        stop.set()
        raise
    finally:
        deadline = schedule.give_up_at + REQUEST_TIMEOUT + 5
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in threads):
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT + 5)
    if any(thread.is_alive() for thread in threads):
        raise BenchError("a client did not stop within its deadline: a request hangs")
    return time.monotonic() - start


def _sleep_until(instant: float, limit: float = 3600.0) -> None:
    time.sleep(max(0.0, min(instant - time.monotonic(), limit)))


# --- the verifier ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Expectation:
    """What one lifter's clients know: the sets sent (key -> body) and those acknowledged."""

    user_id: int
    sent: dict[str, dict[str, Any]]
    acked: dict[str, int]


@dataclass(slots=True)
class Verification:
    stored: int = 0
    lost: int = 0  # acknowledged, not stored
    duplicates: int = 0  # extra rows for a key
    unknown: int = 0  # stored under a key never sent (or no key)
    mismatched: int = 0  # stored differently from what was sent, or under another id
    stored_unacknowledged: int = 0  # sent, never acknowledged, stored (an answer was lost)
    workouts: int = 0
    half_written_workouts: int = 0  # workouts with no set
    lifters_with_several_open_workouts: int = 0
    workouts_started_after_their_first_set: int = 0
    sets_sharing_a_position: int = 0  # a second set numbered like another in its workout
    rows_in_table: int = 0
    integrity: str = "not checked"
    examples: list[str] = field(default_factory=list)

    def example(self, text: str) -> None:
        if len(self.examples) < 10:
            self.examples.append(text)


def _parse_logged_at(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def verify(database_url: str, expected: Sequence[Expectation]) -> Verification:
    """Read the database directly and check it against what the clients were told."""
    catalog = builtin_catalog()
    found = Verification()
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            for lifter in expected:
                rows = connection.execute(
                    select(
                        SetRow.id,
                        SetRow.idempotency_key,
                        SetRow.exercise_id,
                        SetRow.load,
                        SetRow.reps,
                        SetRow.logged_at,
                    ).where(SetRow.user_id == lifter.user_id)
                ).all()
                _check_sets(found, lifter, rows, catalog)
                _check_workouts(found, lifter, connection)
            found.rows_in_table = int(connection.scalar(select(func.count(SetRow.id))) or 0)
        found.integrity = integrity_check(engine)
    finally:
        engine.dispose()
    return found


def _check_sets(
    found: Verification, lifter: Expectation, rows: Sequence[Any], catalog: Any
) -> None:
    by_key: dict[str | None, list[Any]] = {}
    for row in rows:
        by_key.setdefault(row.idempotency_key, []).append(row)
    found.stored += len(rows)
    for key, same in by_key.items():
        if len(same) > 1:
            found.duplicates += len(same) - 1
            found.example(f"lifter {lifter.user_id}: key {key} stored {len(same)} times")
        if key is None or key not in lifter.sent:
            found.unknown += len(same)
            found.example(f"lifter {lifter.user_id}: a set with unknown key {key!r}")
            continue
        body = lifter.sent[key]
        row = same[0]
        logged_at = _parse_logged_at(body.get("logged_at"))
        differs = (
            row.exercise_id != catalog.resolve(body["exercise"]).id
            or row.load != body["load"]
            or row.reps != body["reps"]
            or (logged_at is not None and row.logged_at != logged_at)
        )
        if differs:
            found.mismatched += 1
            found.example(f"lifter {lifter.user_id}: {key} stored as {tuple(row)}, sent {body}")
        if key in lifter.acked:
            if lifter.acked[key] != row.id:
                found.mismatched += 1
                found.example(f"{key}: acknowledged as set {lifter.acked[key]}, stored as {row.id}")
        else:
            found.stored_unacknowledged += 1
    for key in lifter.acked:
        if key not in by_key:
            found.lost += 1
            found.example(f"lifter {lifter.user_id}: acknowledged {key} is not stored")


def _check_workouts(found: Verification, lifter: Expectation, connection: Any) -> None:
    sets_per_workout = (
        select(
            SetRow.workout_id,
            func.count(SetRow.id).label("n"),
            func.min(SetRow.logged_at).label("first"),
        )
        .where(SetRow.user_id == lifter.user_id)
        .group_by(SetRow.workout_id)
        .subquery()
    )
    workouts = connection.execute(
        select(
            WorkoutRow.id,
            WorkoutRow.started_at,
            WorkoutRow.finished_at,
            sets_per_workout.c.n,
            sets_per_workout.c.first,
        )
        .outerjoin(sets_per_workout, sets_per_workout.c.workout_id == WorkoutRow.id)
        .where(WorkoutRow.user_id == lifter.user_id)
    ).all()
    found.workouts += len(workouts)
    empty = [w.id for w in workouts if not w.n]
    found.half_written_workouts += len(empty)
    if empty:
        found.example(f"lifter {lifter.user_id}: workouts without sets {empty[:5]}")
    if sum(1 for w in workouts if w.finished_at is None) > 1:
        found.lifters_with_several_open_workouts += 1
    found.workouts_started_after_their_first_set += sum(
        1 for w in workouts if w.first is not None and w.started_at > w.first
    )
    same_place = (
        select(SetRow.workout_id, SetRow.position, func.count(SetRow.id).label("n"))
        .where(SetRow.user_id == lifter.user_id)
        .group_by(SetRow.workout_id, SetRow.position)
        .subquery()
    )
    found.sets_sharing_a_position += int(
        connection.scalar(
            select(func.coalesce(func.sum(same_place.c.n - 1), 0)).where(same_place.c.n > 1)
        )
        or 0
    )


def integrity_check(engine: Any) -> str:
    """``ok``, or what the database's own check found.

    SQLite: ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``.
    PostgreSQL: ``amcheck``'s ``bt_index_check`` (with ``heapallindexed``) on every
    B-tree index of the schema, and a query for sets whose workout is missing or
    belongs to another lifter.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
            if rows != ["ok"]:
                return "integrity_check: " + "; ".join(map(str, rows[:5]))
            keys = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if keys:
                return f"foreign_key_check: {len(keys)} rows, e.g. {tuple(keys[0])}"
            return "ok"
        orphans = connection.scalar(
            select(func.count(SetRow.id))
            .select_from(SetRow)
            .outerjoin(WorkoutRow, WorkoutRow.id == SetRow.workout_id)
            .where((WorkoutRow.id.is_(None)) | (WorkoutRow.user_id != SetRow.user_id))
        )
        if orphans:
            return f"{orphans} sets outside their lifter's workouts"
    with engine.connect() as connection:
        try:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            connection.commit()
        except Exception as error:  # no contrib package, no rights: say so
            return f"ok (sets and workouts agree; amcheck unavailable: {type(error).__name__})"
        indexes = connection.execute(
            text(
                "SELECT c.oid, c.relname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE am.amname = 'btree' AND n.nspname = current_schema()"
            )
        ).all()
        for oid, name in indexes:
            try:
                connection.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
            except Exception as error:
                return f"amcheck: index {name}: {error}"
        return f"ok (amcheck: {len(indexes)} indexes)"


# --- results ----------------------------------------------------------------------------------
@dataclass(slots=True)
class Result:
    """One scenario on one backend: what was done, what was found, and whether it passed."""

    scenario: str
    backend: str
    clients: int
    seconds: float  # the load window asked for
    elapsed: float = 0.0  # wall time of the load, retries after it included
    requests: int = 0  # every request made: "cases tried"
    sets_sent: int = 0  # distinct idempotency keys sent
    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    duplicates: int = 0
    unknown: int = 0
    mismatched: int = 0
    stored_unacknowledged: int = 0
    unacknowledged: int = 0  # the retry budget ran out before a 2xx
    rejected: int = 0  # 4xx answers to a set
    workouts: int = 0
    half_written_workouts: int = 0
    lifters_with_several_open_workouts: int = 0
    workouts_started_after_their_first_set: int = 0
    sets_sharing_a_position: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # answers to POST /api/sets
    finish_statuses: dict[str, int] = field(default_factory=dict)  # to .../finish
    http_5xx: int = 0
    http_500: int = 0  # every 5xx but 503
    http_503: int = 0
    http_503_without_retry_after: int = 0
    transport_errors: int = 0
    integrity: str = "not checked"
    server_starts: int = 0
    server_kills: int = 0
    server_unhandled_errors: int = 0
    seed: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # worth a look, but not a failure here

    @property
    def passed(self) -> bool:
        return not self.failures


def _fill(
    result: Result,
    lifters: Sequence[Lifter],
    records: Sequence[Record],
    checked: Verification,
    server: Server,
) -> None:
    record = merge(records)
    statuses = record.statuses()  # sets and workout finishes
    result.requests = len(record.events)
    result.sets_sent = len({key for lifter in lifters for key in lifter.sent})
    result.acknowledged = len(record.acked)
    result.statuses = dict(sorted(record.statuses("set").items()))
    result.finish_statuses = dict(sorted(record.statuses("finish").items()))
    codes = {int(k): v for k, v in statuses.items() if k.isdigit()}
    result.http_5xx = sum(v for k, v in codes.items() if k >= 500)
    result.http_503 = codes.get(503, 0)
    result.http_500 = result.http_5xx - result.http_503
    result.http_503_without_retry_after = sum(
        1 for e in record.events if e.outcome == "503" and not e.retry_after
    )
    result.transport_errors = sum(v for k, v in statuses.items() if not k.isdigit())
    result.unacknowledged = sum(len(lifter.unacknowledged) for lifter in lifters)
    result.rejected = sum(len(lifter.rejected) for lifter in lifters)
    for name in (
        "stored",
        "lost",
        "duplicates",
        "unknown",
        "mismatched",
        "stored_unacknowledged",
        "workouts",
        "half_written_workouts",
        "lifters_with_several_open_workouts",
        "workouts_started_after_their_first_set",
        "sets_sharing_a_position",
        "integrity",
    ):
        setattr(result, name, getattr(checked, name))
    result.server_starts = len(server.pids)
    result.server_kills = server.kills
    result.server_unhandled_errors = server.unhandled_errors()
    result.examples = [*checked.examples, *record.problems[:5], *record.samples[:5]]
    if checked.rows_in_table != checked.stored:
        result.failures.append(
            f"{checked.rows_in_table} sets in the table, {checked.stored} of the load's lifters"
        )
    if checked.lifters_with_several_open_workouts:
        result.findings.append(
            f"{checked.lifters_with_several_open_workouts} lifter(s) with more than one open "
            "workout: concurrent first sets each opened a workout (Sets.log reads the "
            "open workout and creates one without a lock or a uniqueness constraint)"
        )
    if checked.sets_sharing_a_position:
        result.findings.append(
            f"{checked.sets_sharing_a_position} set(s) numbered like another set of their "
            "workout: concurrent sets read the same max(position) (SqlStore.add_set)"
        )
    if checked.workouts_started_after_their_first_set:
        result.findings.append(
            f"{checked.workouts_started_after_their_first_set} workout(s) starting after their "
            "first set: a workout opened by a replayed set starts at that set's logged_at, "
            "and earlier sets delivered later are not taken into account"
        )
    crashed = [lifter.crashed for lifter in lifters if lifter.crashed]
    if crashed:
        result.failures.append(f"a client failed: {crashed[:3]}")
    if record.problems:
        result.failures.append(f"contradictory answers: {record.problems[:3]}")


def judge(result: Result) -> None:
    """The acceptance rules common to every scenario (scenario rules are added by each)."""
    checks = [
        (result.lost, "acknowledged sets lost"),
        (result.duplicates, "duplicate sets"),
        (result.unknown, "sets stored that were never sent"),
        (result.mismatched, "sets stored differently from what was sent or acknowledged"),
        (result.unacknowledged, "sets never acknowledged (retry budget exhausted)"),
        (result.rejected, "sets rejected with a 4xx"),
        (result.half_written_workouts, "half-written workouts (no sets)"),
        (result.http_500, "5xx answers other than 503"),
        (result.http_503_without_retry_after, "503 answers without Retry-After"),
        (result.server_unhandled_errors, "unhandled exceptions in the server log"),
    ]
    for count, what in checks:
        if count:
            result.failures.append(f"{count} {what}")
    if result.acknowledged == 0:
        result.failures.append("no set was acknowledged at all")
    if not result.integrity.startswith("ok"):
        result.failures.append(f"integrity check: {result.integrity}")


# --- scenarios ---------------------------------------------------------------------------------
def _announce(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load(database_url: str, backend: str, *, clients: int, seconds: float, seed: int = 0) -> Result:
    """N lifters logging sets for S seconds: no 5xx, no transport error, all stored once."""
    result = Result("load", backend, clients, seconds, seed=seed)
    run_id = secrets.token_hex(3)
    with Server(database_url) as server:
        lifters = [Lifter(i, server.base_url, run_id, seed) for i in range(clients)]
        enrol(lifters)
        result.elapsed = round(drive(lifters, seconds), 2)
        server.stop()
        checked = verify(database_url, _expectations(lifters))
        _fill(result, lifters, [lifter.record for lifter in lifters], checked, server)
    judge(result)
    if result.http_503:
        result.failures.append(f"{result.http_503} 503 answers with the database up")
    if result.transport_errors:
        result.failures.append(f"{result.transport_errors} transport errors (timeouts, resets)")
    return result


def _expectations(lifters: Sequence[Lifter]) -> list[Expectation]:
    return [Expectation(lf.user_id, lf.sent, lf.record.acked) for lf in lifters]


def crash_moments(start: float, end: float, crashes: int, rng: random.Random) -> list[float]:
    """One random moment in the middle half of each of ``crashes`` equal slices of the load.

    >>> moments = crash_moments(0.0, 40.0, 2, random.Random(1))
    >>> 5.0 <= moments[0] <= 15.0 and 25.0 <= moments[1] <= 35.0
    True
    """
    width = (end - start) / crashes
    return [start + width * (i + 0.25 + 0.5 * rng.random()) for i in range(crashes)]


def crash(
    database_url: str,
    backend: str,
    *,
    clients: int,
    seconds: float,
    crashes: int | None = None,
    down_seconds: float = CRASH_DOWN_SECONDS,
    seed: int = 0,
) -> Result:
    """The load, with the server SIGKILLed and restarted mid-way; ends with a last SIGKILL."""
    crashes = crashes or max(1, int(seconds // CRASH_EVERY_SECONDS))
    result = Result("crash", backend, clients, seconds, seed=seed)
    rng = random.Random(seed)
    run_id = secrets.token_hex(3)
    kills: list[dict[str, float]] = []
    with Server(database_url) as server:
        lifters = [Lifter(i, server.base_url, run_id, seed) for i in range(clients)]
        enrol(lifters)

        def disrupt(schedule: Schedule) -> None:
            start = schedule.start
            for moment in crash_moments(start, schedule.planned_end, crashes, rng):
                _sleep_until(moment)
                schedule.hold()
                killed = time.monotonic()
                server.kill()
                time.sleep(down_seconds)
                server.restart()
                kills.append(
                    {
                        "at_s": round(killed - start, 2),
                        "down_s": round(time.monotonic() - killed, 2),
                    }
                )
            schedule.end_after(RECOVERY_SECONDS)

        result.elapsed = round(drive(lifters, seconds, disrupt=disrupt), 2)
        server.kill()  # the database is checked as a crash leaves it
        checked = verify(database_url, _expectations(lifters))
        _fill(result, lifters, [lifter.record for lifter in lifters], checked, server)
    result.details = {"kills": kills, "final_stop": "SIGKILL", "down_seconds": down_seconds}
    judge(result)
    if result.http_503:
        result.failures.append(f"{result.http_503} 503 answers with the database up")
    if len(kills) != crashes:
        result.failures.append(f"{len(kills)} of {crashes} kills were done")
    return result


# --- PostgreSQL outage ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cluster:
    """A Debian PostgreSQL cluster that ``pg_ctlcluster`` controls."""

    version: str
    name: str

    def ctl(self, action: str, *options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                *options,
                self.version,
                self.name,
                action,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _libpq_url(database_url: str) -> str:
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_cluster(database_url: str) -> tuple[Cluster | None, str]:
    """The local cluster serving ``database_url``, or why it cannot be stopped and started."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None, "the outage scenario stops PostgreSQL with pg_ctlcluster: it must run as root"
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        return None, "pg_ctlcluster/pg_lsclusters (Debian's postgresql-common) are not installed"
    url = make_url(database_url)
    if not url.get_backend_name().startswith("postgresql"):
        return None, "the outage scenario is for PostgreSQL only"
    if url.host not in ("127.0.0.1", "localhost", "::1"):
        return None, f"PostgreSQL at {url.host} is not a local cluster this machine controls"
    port = str(url.port or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=30, check=False
    )
    for line in listing.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] == port and parts[3].startswith("online"):
            return Cluster(parts[0], parts[1]), ""
    return None, f"no online cluster on port {port} in pg_lsclusters: {listing.stdout.strip()!r}"


def outage_skip_reason(database_url: str) -> str | None:
    """Why the outage scenario cannot run here, or None.

    It stops the whole local cluster for a few seconds, so anyone else's tests on
    it fail meanwhile: ``FAILWISE_RELIABILITY_OUTAGE=0`` turns it off on a shared machine.
    """
    if os.environ.get("FAILWISE_RELIABILITY_OUTAGE", "1") == "0":
        return "FAILWISE_RELIABILITY_OUTAGE=0: the PostgreSQL outage scenario is turned off"
    return postgres_cluster(database_url)[1] or None


def wait_for_postgres(database_url: str, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    conninfo = _libpq_url(database_url)
    last = ""
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(conninfo, connect_timeout=2) as connection:
                connection.execute("SELECT 1")
                return
        except psycopg.Error as error:
            last = str(error)
            time.sleep(0.2)
    raise BenchError(f"PostgreSQL did not come back within {timeout:g} s: {last}")


def ensure_started(cluster: Cluster, database_url: str) -> None:
    """Start the cluster (a running one is left alone) and wait until it takes connections."""
    for _ in range(3):
        done = cluster.ctl("start")
        if done.returncode in (0, 2):  # 2: already running
            break
        time.sleep(1.0)
    wait_for_postgres(database_url)


def outage(
    database_url: str,
    backend: str = "postgresql",
    *,
    clients: int,
    seconds: float,
    outage_seconds: float = OUTAGE_SECONDS,
    seed: int = 0,
) -> Result:
    """The load, with PostgreSQL stopped for ``outage_seconds`` in the middle of it."""
    cluster, reason = postgres_cluster(database_url)
    if cluster is None:
        raise BenchError(reason)
    result = Result("outage", backend, clients, seconds, seed=seed)
    run_id = secrets.token_hex(3)
    window: dict[str, float] = {}
    healthz: Counter[str] = Counter()
    try:
        with Server(database_url) as server:
            first_pid = server.pid
            lifters = [Lifter(i, server.base_url, run_id, seed) for i in range(clients)]
            enrol(lifters)

            def disrupt(schedule: Schedule) -> None:
                start = window["start"] = schedule.start
                _sleep_until(start + 0.35 * (schedule.planned_end - start))
                schedule.hold()
                window["stop_began"] = time.monotonic()
                try:
                    stopped = cluster.ctl("stop", "-m", "fast")
                    window["down"] = time.monotonic()
                    if stopped.returncode != 0:
                        raise BenchError(f"pg_ctlcluster stop failed: {stopped.stderr.strip()}")
                    _probe_healthz(server.base_url, window["down"] + outage_seconds, healthz)
                finally:
                    window["start_began"] = time.monotonic()
                    ensure_started(cluster, database_url)
                    window["up"] = time.monotonic()
                    schedule.end_after(RECOVERY_SECONDS)

            result.elapsed = round(drive(lifters, seconds, disrupt=disrupt), 2)
            same_process = server.alive() and server.pid == first_pid and len(server.pids) == 1
            server.stop()
            checked = verify(database_url, _expectations(lifters))
            _fill(result, lifters, [lifter.record for lifter in lifters], checked, server)
    finally:
        ensure_started(cluster, database_url)  # whatever happened, PostgreSQL runs again
    record = merge([lifter.record for lifter in lifters])
    result.details = _outage_details(record, window, healthz, outage_seconds, same_process)
    judge(result)
    _judge_outage(result)
    return result


def _probe_healthz(base_url: str, until: float, seen: Counter[str]) -> None:
    """``GET /healthz`` every 0.25 s while the database is down."""
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as probe:
        for _ in range(10_000):
            if time.monotonic() >= until:
                return
            try:
                answer = probe.get("/healthz")
                header = "" if "retry-after" in answer.headers else " without Retry-After"
                seen[f"{answer.status_code}{header}"] += 1
            except httpx.HTTPError as error:
                seen[type(error).__name__] += 1
            time.sleep(0.25)


def _outage_details(
    record: Record,
    window: dict[str, float],
    healthz: Counter[str],
    outage_seconds: float,
    same_process: bool,
) -> dict[str, Any]:
    if "down" not in window or "up" not in window:
        return {"outage_done": False, **{k: round(v, 2) for k, v in window.items()}}
    start, down, restart, up = window["start"], window["down"], window["start_began"], window["up"]
    inside = [e for e in record.events if e.start >= down and e.end <= restart]
    overlapping = [e for e in record.events if e.end >= window["stop_began"] and e.start <= up]
    after = [e for e in record.events if e.start >= up]
    first_ack = min(
        (e.end for e in after if e.kind == "set" and e.outcome in ("200", "201")), default=None
    )
    return {
        "outage_done": True,
        "outage_seconds": outage_seconds,
        "stop_at_s": round(window["stop_began"] - start, 2),
        "down_for_s": round(up - window["stop_began"], 2),
        "stop_took_s": round(down - window["stop_began"], 2),
        "start_took_s": round(up - restart, 2),
        "requests_while_down": len(inside),
        "answers_while_down": dict(Counter(_label(e) for e in inside)),
        "answers_while_down_503_with_retry_after": sum(
            1 for e in inside if e.outcome == "503" and e.retry_after
        ),
        "answers_around_outage": dict(Counter(_label(e) for e in overlapping)),
        "healthz_while_down": dict(healthz),
        "answers_after_recovery": dict(Counter(_label(e) for e in after)),
        "first_2xx_after_recovery_s": None if first_ack is None else round(first_ack - up, 3),
        "same_server_process": same_process,
    }


def _label(event: Event) -> str:
    return event.outcome if event.kind == "set" else f"{event.kind} {event.outcome}"


def _judge_outage(result: Result) -> None:
    details = result.details
    if not details.get("outage_done"):
        result.failures.append("the outage did not happen")
        return
    inside = details["answers_while_down"]
    if not inside:
        result.failures.append("no request was made while the database was down")
    wrong = {k: v for k, v in inside.items() if k.rpartition(" ")[2] != "503"}
    if wrong:
        result.failures.append(f"answers other than 503 while the database was down: {wrong}")
    if details["answers_while_down_503_with_retry_after"] != sum(inside.values()):
        result.failures.append("a 503 while the database was down had no Retry-After")
    if result.transport_errors:
        result.failures.append(
            f"{result.transport_errors} transport errors (a timeout is a hang): {result.statuses}"
        )
    healthz_wrong = {k: v for k, v in details["healthz_while_down"].items() if k != "503"}
    if healthz_wrong:
        result.failures.append(f"/healthz while the database was down: {healthz_wrong}")
    if details["first_2xx_after_recovery_s"] is None:
        result.failures.append("no set was acknowledged after the database came back")
    if not details["same_server_process"]:
        result.failures.append("the server process did not survive the outage")


# --- offline replay ------------------------------------------------------------------------------
def offline_queue(
    count: int, run_id: str, start: datetime, spacing: timedelta = REPLAY_SPACING
) -> list[tuple[str, dict[str, Any]]]:
    """``count`` sets as an offline client queues them: keys and ``logged_at`` in order.

    >>> queue = offline_queue(2, "x", datetime(2026, 1, 1), timedelta(minutes=3))
    >>> [(key, body["logged_at"]) for key, body in queue]
    [('offline-x-00000', '2026-01-01T00:00:00'), ('offline-x-00001', '2026-01-01T00:03:00')]
    """
    return [
        (
            f"offline-{run_id}-{i:05d}",
            {
                **SETS[i % len(SETS)],
                "total_sets": 3,
                "logged_at": (start + i * spacing).isoformat(),
            },
        )
        for i in range(count)
    ]


def deliveries(count: int, duplicate_share: float, rng: random.Random) -> list[int]:
    """Every index once, ``duplicate_share`` of them again, all shuffled.

    >>> order = deliveries(10, 0.3, random.Random(0))
    >>> len(order), sorted(set(order)) == list(range(10))
    (13, True)
    """
    order = [*range(count), *rng.sample(range(count), round(count * duplicate_share))]
    rng.shuffle(order)
    return order


def replay(
    database_url: str,
    backend: str,
    *,
    sets: int = REPLAY_SETS,
    duplicate_share: float = REPLAY_DUPLICATES,
    threads: int = REPLAY_THREADS,
    seed: int = 0,
    spacing: timedelta = REPLAY_SPACING,
    timeout: float = 300.0,
) -> Result:
    """An offline queue delivered shuffled, with duplicates, concurrently: stored once, in order."""
    rng = random.Random(seed)
    run_id = secrets.token_hex(3)
    result = Result("replay", backend, threads, 0.0, seed=seed)
    start = (datetime.now(UTC) - sets * spacing - timedelta(days=1)).replace(
        tzinfo=None, microsecond=0, second=0
    )
    queue = offline_queue(sets, run_id, start, spacing)
    order = deliveries(sets, duplicate_share, rng)
    shards = [order[i::threads] for i in range(threads)]
    records = [Record() for _ in shards]
    with Server(database_url) as server:
        lifter = Lifter(0, server.base_url, run_id, seed)
        lifter.enrol()
        lifter.sent = dict(queue)
        deadline = time.monotonic() + timeout
        began = time.monotonic()
        workers = [
            threading.Thread(
                target=_deliver,
                args=(server.base_url, lifter, queue, shard, record, deadline, seed + n),
                name=f"replay-{n}",
                daemon=True,
            )
            for n, (shard, record) in enumerate(zip(shards, records, strict=True))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
        if any(worker.is_alive() for worker in workers):
            raise BenchError("a replay thread did not stop within its deadline: a request hangs")
        result.elapsed = round(time.monotonic() - began, 2)
        api_keys = _history_keys(server.base_url, lifter.token)
        server.stop()
        lifter.record = merge(records)
        checked = verify(database_url, _expectations([lifter]))
        _fill(result, [lifter], records, checked, server)
    lifter.unacknowledged = [key for key, _ in queue if key not in lifter.record.acked]
    result.unacknowledged = len(lifter.unacknowledged)
    expected = [key for key, _ in queue]
    stored = _stored_keys_in_order(database_url, lifter.user_id)
    created = lifter.record.created
    result.details = {
        "sets": sets,
        "deliveries": len(order),
        "duplicate_deliveries": len(order) - sets,
        "threads": threads,
        "logged_at_spacing_minutes": spacing.total_seconds() / 60,
        "answers_201": sum(created.values()),
        "keys_created_more_than_once": sum(1 for n in created.values() if n > 1),
        "answers_200_replayed": result.statuses.get("200", 0),
        "stored_in_logged_order": stored == expected,
        "api_history_in_logged_order": api_keys == expected,
    }
    judge(result)
    if result.transport_errors or result.http_503:
        result.failures.append(f"errors with the server and database up: {result.statuses}")
    if stored != expected:
        result.failures.append(
            f"stored order differs from the logged order: {_first_diff(stored, expected)}"
        )
    if api_keys != expected:
        result.failures.append(f"/api/history order differs: {_first_diff(api_keys, expected)}")
    if result.details["answers_201"] != sets or result.details["keys_created_more_than_once"]:
        result.failures.append(
            f"{result.details['answers_201']} answers 201 for {sets} distinct sets"
        )
    return result


def _deliver(
    base_url: str,
    lifter: Lifter,
    queue: Sequence[tuple[str, dict[str, Any]]],
    shard: Sequence[int],
    record: Record,
    deadline: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {lifter.token}"}
    try:
        with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT) as client:
            for index in shard:
                key, body = queue[index]
                for attempt in range(MAX_ATTEMPTS):
                    if time.monotonic() >= deadline:
                        return
                    outcome, _ = post_set(client, key, body, record)
                    if outcome is not Outcome.RETRY:
                        break
                    time.sleep(backoff(attempt, rng))
    except Exception as error:
        record.problems.append(f"replay thread failed: {type(error).__name__}: {error}")


def _history_keys(base_url: str, token: str) -> list[str] | None:
    """The lifter's sets as ``GET /api/history`` lists them (the order a lifter sees)."""
    headers = {"Authorization": f"Bearer {token}"}
    pages: list[list[str]] = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=60.0) as client:
        url: str | None = "/api/history?limit=1000"
        while url is not None:
            answer = client.get(url)
            if answer.status_code != 200:
                return None
            pages.append([item.get("idempotency_key") for item in answer.json()])
            # Each page is in the order done; the next one (Link: rel="next") is older.
            following = answer.links.get("next")
            url = following["url"] if following else None
    return [key for page in reversed(pages) for key in page]


def _stored_keys_in_order(database_url: str, user_id: int) -> list[str | None]:
    """The lifter's sets in the store's own order (by ``logged_at``)."""
    database = Database(database_url, migrate=False)
    try:
        with database() as store:
            return [s.data.idempotency_key for s in store.sets(user_id)]
    finally:
        database.dispose()


def _first_diff(got: Sequence[Any] | None, expected: Sequence[Any]) -> str:
    if got is None:
        return "no answer"
    for i, (a, b) in enumerate(zip(got, expected, strict=False)):
        if a != b:
            return f"at {i}: {a} where {b} was logged"
    return f"{len(got)} sets where {len(expected)} were logged"


# --- the command line --------------------------------------------------------------------------
COLUMNS = (
    ("scenario", "scenario", 9),
    ("backend", "backend", 11),
    ("clients", "clients", 8),
    ("s", "elapsed", 7),
    ("requests", "requests", 9),
    ("acked", "acknowledged", 8),
    ("stored", "stored", 8),
    ("lost", "lost", 5),
    ("dup", "duplicates", 4),
    ("5xx", "http_5xx", 5),
    ("503", "http_503", 5),
    ("500", "http_500", 4),
    ("kills", "server_kills", 6),
    ("half", "half_written_workouts", 5),
)


def table(results: Sequence[Result]) -> str:
    header = "".join(f"{title:>{width}}" for title, _, width in COLUMNS) + "  integrity  verdict"
    lines = [header, "-" * len(header)]
    for r in results:
        cells = "".join(f"{getattr(r, name)!s:>{width}}" for _, name, width in COLUMNS)
        lines.append(f"{cells}  {r.integrity[:9]:<9}  {'pass' if r.passed else 'FAIL'}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> list[Result]:
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    scenarios = SCENARIOS if args.scenario == "all" else (args.scenario,)
    results: list[Result] = []
    for scenario in scenarios:
        for backend in backends:
            if scenario == "outage" and backend != "postgresql":
                continue
            _announce(f"{scenario} on {backend} …")
            try:
                with fresh_database(backend) as url:
                    results.append(_one(scenario, backend, url, args))
            except BenchError as error:  # say so, and go on with the other runs
                failed = Result(scenario, backend, args.clients, args.seconds, seed=args.seed)
                failed.failures.append(f"could not run: {error}")
                results.append(failed)
            _announce(table(results[-1:]).splitlines()[-1])
    return results


def _one(scenario: str, backend: str, url: str, args: argparse.Namespace) -> Result:
    common = {"clients": args.clients, "seconds": args.seconds, "seed": args.seed}
    if scenario == "load":
        return load(url, backend, **common)
    if scenario == "crash":
        return crash(url, backend, crashes=args.crashes, **common)
    if scenario == "outage":
        reason = outage_skip_reason(url)
        if reason:
            result = Result("outage", backend, args.clients, args.seconds, seed=args.seed)
            result.failures.append(f"skipped: {reason}")
            return result
        return outage(url, backend, outage_seconds=args.outage_seconds, **common)
    return replay(
        url,
        backend,
        sets=args.replay_sets,
        duplicate_share=args.replay_duplicates,
        threads=args.replay_threads,
        seed=args.seed,
        spacing=timedelta(minutes=args.replay_spacing),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.reliability.driver",
        description="Set logging under load, crashes, database outages and offline replays.",
    )
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--clients", type=int, default=8, help="simulated lifters (default 8)")
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="seconds of load per run (default 10)"
    )
    parser.add_argument(
        "--crashes",
        type=int,
        default=None,
        help=f"SIGKILLs in the crash scenario (default one per {CRASH_EVERY_SECONDS:g} s)",
    )
    parser.add_argument("--outage-seconds", type=float, default=OUTAGE_SECONDS)
    parser.add_argument("--replay-sets", type=int, default=REPLAY_SETS)
    parser.add_argument("--replay-duplicates", type=float, default=REPLAY_DUPLICATES)
    parser.add_argument("--replay-threads", type=int, default=REPLAY_THREADS)
    parser.add_argument(
        "--replay-spacing",
        type=float,
        default=REPLAY_SPACING.total_seconds() / 60,
        help="minutes between two queued sets' logged_at (default %(default)g)",
    )
    parser.add_argument("--seed", type=int, default=None, help="default: random, and reported")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.seconds <= 0 or not 1 <= args.clients <= 256 or args.replay_sets < 1:
        print("--seconds must be > 0, --clients 1 to 256, --replay-sets >= 1", file=sys.stderr)
        return 2
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    started = datetime.now(UTC)
    try:
        results = run(args)
    except BenchError as error:
        print(f"reliability run failed: {error}", file=sys.stderr)
        return 2
    if not results:
        print("nothing to run: the outage scenario needs --backend postgresql", file=sys.stderr)
        return 2
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "suite": "reliability",
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "command": " ".join(["python -m tests.reliability.driver", *(argv or sys.argv[1:])]),
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "commit": _git_commit(),
            },
            "results": [{**asdict(r), "passed": r.passed} for r in results],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    for r in results:
        for finding in r.findings:
            print(f"\nFINDING {r.scenario}/{r.backend}: {finding}", file=sys.stderr)
    failed = [r for r in results if not r.passed]
    for r in failed:
        print(f"\nFAILED {r.scenario}/{r.backend}:", *r.failures, sep="\n  ", file=sys.stderr)
        if r.examples:
            print("  e.g.", *r.examples[:5], sep="\n    ", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

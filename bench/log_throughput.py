"""Set-logging throughput and latency over HTTP, failwise against a bare baseline.

Each phase starts a real ``uvicorn`` process on loopback (``--workers`` processes,
one by default, the same settings for both apps; SQLite with ``synchronous=FULL``,
failwise's default) on a fresh database, waits until every worker answers, drives it
with ``--clients`` concurrent keep-alive clients for a ~1 s warm-up and then
``--seconds`` of measured load, and stops it. The baseline
(:mod:`bench.baseline_app`) is a bare Starlette endpoint doing one INSERT;
failwise is the real ``POST /api/sets`` (auth, idempotency, validation, the
INSERT and the next set's prescription). Reported per backend: requests/s, p50
and p99 latency of both, and failwise's ratios to the baseline. Goal: failwise
logs at least half the baseline's throughput.

Every non-2xx response or transport error is counted, and fails the run
(exit status 1) once the results are printed. The stored rows are counted
after each phase and must match the successful responses.

Is the load generator the bottleneck? Each run first drives the baseline
server's ``/noop`` endpoint (same request, no database): the "ceiling" row is
what these clients can push on this machine, and a baseline close to it is
flagged. The CPU cores used by the clients, the server and the whole machine
during each measured window are reported too (from ``/proc``), as is the
machine's load just before each phase: another job on a 2-core box skews
everything, and the run says so.

Each failwise client is one lifter who has trained before: ``--history-weeks``
weeks of history (6 by default, about 120 sets a week, as
:mod:`bench.strong_export` generates it: the same exercises the clients log)
are imported for each through the import service before the phase, so the
first set measured reads a history as full as the thousandth (the latest sets
of an exercise, its records, the week's training). A client finishes its
workout every ``--workout-sets`` sets (24 by default, ``POST
/api/workouts/{id}/finish``, not counted as a logged set), so the next set
opens a new one, as a lifter's sessions do. A client logs ``--set-block`` sets
of an exercise in a row (3 by default: straight sets), and sends each with the
next set the answer before it showed, when that was the same exercise's (its
``shown``, as the web app sends the card on its screen; the set then takes it as
its target and the server decides once, for the next set). ``--no-shown`` sends
none: the server works out what it would have shown, a second decision per set.
``--history-weeks 0 --workout-sets 0 --set-block 1 --no-shown`` is a new
lifter who logs every set into one endless workout, a new exercise each time:
the reading behind the next set starts empty and fills as the run goes on, so
the first seconds flatter failwise ("1st→last s" shows it).

    python -m bench.log_throughput --backend both --seconds 10 --clients 8 --json out.json

``--scaling`` measures failwise on 1 worker and then on 2, and reports the throughput
ratio (goal: 2 workers ≥ 1.4× one) and how the load spread over the two workers: each
one's share of their CPU and the clients' connections each held, from ``/proc``. The
bare baseline runs the same way first, as a reference: how far this machine lets the
stack itself scale (on a 2-core machine the load generator, and PostgreSQL, share the
cores with the server).

    python -m bench --scaling --backend sqlite --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import text

from bench.strong_export import SETS_PER_WEEK, export_text
from failwise.adapters.importers import parse
from failwise.services.core import Core
from failwise.services.imports import HistoryImporter
from failwise.storage.database import Database, make_engine

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # all traffic stays on loopback
POSTGRES_ADMIN_URL = f"postgresql://postgres@{HOST}:5432/postgres"
BACKENDS = ("sqlite", "postgresql")
GOAL = 0.5  # failwise's throughput over the baseline's
SCALING_GOAL = 1.4  # failwise's throughput on 2 workers over 1 worker's (--scaling)
SCALING_PHASES = ("baseline_one", "baseline_two", "one", "two")
SPREAD_FLOOR = 0.3  # with 2 workers, the idler one's share of the workers' CPU at least
WARMUP_SECONDS = 1.0
HISTORY_WEEKS = 6  # each lifter's training before the run: the e1RM window's six weeks
WORKOUT_SETS = 24  # sets a client logs before it finishes its workout: a long session
SET_BLOCK = 3  # sets of one exercise a client logs in a row: straight sets, as lifters do
STARTUP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every load loop besides the clock
CPU_WARNING = 0.85  # cores: a Python load generator near one core may be the bottleneck
BACKGROUND_WARNING = 0.25  # cores busy on an idle machine before a phase: noisy results

# Plausible working sets, cycled through by every client.
SETS: tuple[dict[str, Any], ...] = (
    {"exercise": "Squat (Barbell)", "load": 100.0, "reps": 5, "rir": 2},
    {"exercise": "Bench Press (Barbell)", "load": 80.0, "reps": 6, "rir": 2},
    {"exercise": "Lat Pulldown (Cable)", "load": 62.5, "reps": 10, "rir": 1},
    {"exercise": "Bicep Curl (Cable)", "load": 25.0, "reps": 12, "rir": 0.5},
    {"exercise": "Squat (Barbell)", "load": 102.5, "reps": 5, "rir": 1.5},
    {"exercise": "Bench Press (Barbell)", "load": 82.5, "reps": 5, "rir": 2.5},
    {"exercise": "Lat Pulldown (Cable)", "load": 65.0, "reps": 9, "rir": 1},
    {"exercise": "Bicep Curl (Cable)", "load": 22.5, "reps": 14, "rir": 0},
)
BODIES = tuple(json.dumps(body).encode() for body in SETS)


class BenchError(RuntimeError):
    """The benchmark could not run (a server that does not start, a database that fails)."""


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    factory: str
    url_variable: str
    table: str
    signs_up: bool
    path: str = "/api/sets"
    stores: bool = True


BASELINE = Target(
    "baseline", "bench.baseline_app:create_app", "BENCH_DATABASE_URL", "bench_sets", False
)
FAILWISE = Target(
    "failwise", "failwise.adapters.web.app:create_app", "FAILWISE_DATABASE_URL", "sets", True
)
# The baseline server's no-database endpoint: how fast the load generator can go.
CEILING = Target(
    "ceiling",
    "bench.baseline_app:create_app",
    "BENCH_DATABASE_URL",
    "bench_sets",
    False,
    path="/noop",
    stores=False,
)
CEILING_SECONDS = 3.0
CEILING_WARNING = 0.8  # baseline req/s over the ceiling's: the generator may be limiting


# --- CPU accounting (Linux /proc; None elsewhere) ----------------------------------------
def _ticks() -> float:
    return float(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100.0


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` (its threads included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _ticks()


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent busy (not idle, not waiting on I/O) since boot."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    values = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(values) - values[3] - values[4]) / _ticks()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from ``/proc``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return sorted(found)


def worker_pids(server_pid: int) -> list[int]:
    """The processes serving requests: uvicorn's workers under ``--workers N`` (its
    supervisor only watches them), or the server itself when it has none."""
    workers = []
    for pid in _children(server_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:  # not multiprocessing's resource tracker
            workers.append(pid)
    return workers or [server_pid]


def established_connections(pid: int, port: int) -> int | None:
    """How many of the clients' connections to ``port`` process ``pid`` holds (accepted
    and still open), from ``/proc/net/tcp*`` and the process's descriptors."""
    inodes = set()
    try:
        for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table_path).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                    inodes.add(f"socket:[{fields[9]}]")
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return None
    count = 0
    for descriptor in descriptors:
        try:
            count += os.readlink(descriptor) in inodes
        except OSError:
            continue
    return count


@dataclass(frozen=True, slots=True)
class CpuSample:
    wall: float
    client: float
    server: float | None
    machine: float | None
    workers: tuple[float | None, ...] = ()

    @classmethod
    def take(cls, server: Server) -> CpuSample:
        workers = tuple(process_cpu_seconds(pid) for pid in server.workers)
        own = process_cpu_seconds(server.pid)
        tree = (
            own
            if server.workers == (server.pid,)
            else None
            if own is None or None in workers
            else own + sum(w for w in workers if w is not None)
        )
        return cls(time.perf_counter(), time.process_time(), tree, machine_busy_seconds(), workers)


def background_busy_cores(seconds: float = 0.5) -> float | None:
    """Cores busy with something else while the benchmark is idle (other jobs, PostgreSQL)."""
    start, began = machine_busy_seconds(), time.perf_counter()
    time.sleep(seconds)
    return _cores(start, machine_busy_seconds(), time.perf_counter() - began)


def _cores(start: float | None, end: float | None, wall: float) -> float | None:
    if start is None or end is None or wall <= 0:
        return None
    return round((end - start) / wall, 3)


# --- databases and servers -------------------------------------------------------------------
@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """A new, empty database for one phase; removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="failwise-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        return
    name = f"bench_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchError(f"cannot create a database on {POSTGRES_ADMIN_URL}: {error}") from None
    try:
        yield f"postgresql+psycopg://postgres@{HOST}:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Server:
    pid: int
    base_url: str
    port: int = 0
    workers: tuple[int, ...] = ()
    """The worker processes (the server's own pid when it runs one)."""


def _log_text(log: IO[bytes]) -> str:
    """What the server wrote so far, read without moving the offset it writes at."""
    size = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), size, 0).decode(errors="replace")


def _tail(log: IO[bytes], limit: int = 4000) -> str:
    return _log_text(log)[-limit:]


def prepare(target: Target, database_url: str) -> None:
    """The app's tables, made before its workers start (N workers creating them at once
    would collide)."""
    if target.table == FAILWISE.table:
        Database(database_url).dispose()
        return
    from bench.baseline_app import metadata

    engine = make_engine(database_url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


SERVE = """
import sys
from failwise.adapters.cli.workers import run
factory, host, port, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
run(
    factory,
    factory=True,
    host=host,
    port=port,
    workers=workers,
    log_level="info",  # for the workers' "startup complete": all serve before the load starts
    access_log=False,  # a line per request is CPU no app needs
    timeout_worker_healthcheck=30,  # a worker starting on a busy machine is not hung
)
"""
"""How both apps are served: as ``failwise serve --workers N`` serves failwise's."""


def server_command(factory: str, port: int, workers: int = 1) -> list[str]:
    """The command line both apps run under: the app built by ``factory`` in each of
    ``workers`` uvicorn processes, as ``failwise serve`` runs them, without access log."""
    return [sys.executable, "-c", SERVE, factory, HOST, str(port), str(workers)]


@contextmanager
def running_server(target: Target, database_url: str, *, workers: int = 1) -> Iterator[Server]:
    """The app of ``target`` served by uvicorn on ``workers`` processes (:data:`SERVE`) on a
    free loopback port, until the block ends. SQLite syncs every commit
    (``synchronous=FULL``, failwise's default)."""
    port = free_port()
    env = dict(os.environ)
    env[target.url_variable] = database_url
    env["FAILWISE_SQLITE_SYNCHRONOUS"] = "FULL"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    prepare(target, database_url)
    command = server_command(target.factory, port, workers)
    base_url = f"http://{HOST}:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            _wait_until_up(process, base_url, log)
            _wait_for_workers(process, workers, log)
            yield Server(process.pid, base_url, port, tuple(worker_pids(process.pid)))
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with httpx.Client(base_url=base_url, timeout=2.0) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(
                    f"the server exited with status {process.returncode}:\n{_tail(log)}"
                )
            try:
                probe.get("/")  # any HTTP answer, even a 404, means it is serving
                return
            except httpx.TransportError:
                time.sleep(0.1)
    raise BenchError(f"the server did not answer within {STARTUP_TIMEOUT:g} s:\n{_tail(log)}")


def _wait_for_workers(process: subprocess.Popen[bytes], workers: int, log: IO[bytes]) -> None:
    """Until every worker has started its app (the first to answer is not all of them)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        started = _log_text(log).count("Application startup complete")
        if started >= workers and (workers == 1 or len(worker_pids(process.pid)) >= workers):
            return
        if process.poll() is not None:
            raise BenchError(f"the server exited with status {process.returncode}:\n{_tail(log)}")
        time.sleep(0.1)
    raise BenchError(f"not all {workers} workers started in {STARTUP_TIMEOUT:g} s:\n{_tail(log)}")


def count_rows(database_url: str, table: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
    finally:
        engine.dispose()


def sign_up(base_url: str, clients: int, run_id: str) -> list[tuple[str, int]]:
    """One lifter per client; their bearer tokens and ids."""
    lifters = []
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        for index in range(clients):
            response = client.post(
                "/api/auth/signup",
                json={"username": f"bench-{run_id}-{index}", "password": secrets.token_hex(12)},
            )
            if response.status_code != 201:
                raise BenchError(f"sign-up answered {response.status_code}: {response.text[:500]}")
            body = response.json()
            lifters.append((_token(body), int(body["user"]["id"])))
    return lifters


def give_history(database_url: str, user_ids: Sequence[int], weeks: int) -> int:
    """``weeks`` of training before this week for each lifter, imported as a lifter imports
    a Strong export (a different one each); the sets stored."""
    if weeks <= 0:
        return 0
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    database = Database(database_url)
    stored = 0
    try:
        importer = HistoryImporter(Core(database))
        for index, user_id in enumerate(user_ids):
            export = export_text(weeks * SETS_PER_WEEK, seed=index, end=monday)
            stored += importer.import_file(user_id, parse(export)).sets
    finally:
        database.dispose()
    return stored


def _token(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("token", "access_token"):
            if isinstance(body.get(key), str):
                return str(body[key])
    raise BenchError(f"no bearer token in the sign-up answer: {str(body)[:500]}")


# --- the load ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Schedule:
    """perf_counter_ns instants: load starts, measurement starts, load stops."""

    start: int = 0
    measure: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Routine:
    """How a client logs: a new workout every ``workout_sets`` sets (0: never),
    ``set_block`` sets of one exercise in a row (1: a new exercise every set), and, with
    ``shown``, each set sent with the next set the answer before showed for it (as the
    web app sends its card), when that was the same exercise's."""

    workout_sets: int = 0
    set_block: int = 1
    shown: bool = False


@dataclass(slots=True)
class ClientLog:
    starts: list[int] = field(default_factory=list)
    latencies: list[int] = field(default_factory=list)
    warmup_ok: int = 0
    workouts_finished: int = 0
    shown_sent: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    crashed: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class Connection:
    """One client's keep-alive connection, through the standard library's ``http.client``.

    The clients share the machine with the server (two cores here), so they are kept
    lean: ``http.client`` spends about a fifth of the CPU per request that ``httpx``
    does (0.3 ms against 1.5 ms on this 2-core machine), CPU the server then has."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        address = urlsplit(base_url)
        self._connection = http.client.HTTPConnection(
            address.hostname or HOST, address.port, timeout=REQUEST_TIMEOUT
        )
        self._headers = headers

    def post(self, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
        """The answer to a POST; on a transport error the connection is dropped (the next
        request opens a new one) and the error raised."""
        try:
            self._connection.request("POST", path, body, {**self._headers, **(headers or {})})
            response = self._connection.getresponse()
            return Answer(response.status, response.read())
        except TRANSPORT_ERRORS:
            self._connection.close()
            raise

    def close(self) -> None:
        self._connection.close()


def _client_loop(
    base_url: str,
    path: str,
    token: str,
    prefix: str,
    offset: int,
    schedule: Schedule,
    ready: threading.Barrier,
    log: ClientLog,
    routine: Routine,
) -> None:
    """One client: one keep-alive connection, one request at a time, until the schedule ends."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = Connection(base_url, headers)
    try:
        ready.wait(timeout=STARTUP_TIMEOUT)
        _sleep_until(schedule.start)
        _send(connection, path, prefix, offset, schedule, log, routine)
    except Exception as error:  # a client that dies must not pass for a quiet one
        ready.abort()
        log.crashed = f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def _send(
    connection: Connection,
    path: str,
    prefix: str,
    offset: int,
    schedule: Schedule,
    log: ClientLog,
    routine: Routine,
) -> None:
    """Log sets until the schedule ends, as ``routine`` says."""
    logged = 0
    shown: tuple[str, bytes] | None = None  # an exercise, and its next set as shown
    for number in range(MAX_REQUESTS_PER_CLIENT):
        began = time.perf_counter_ns()
        if began >= schedule.end:
            break
        index = (offset + number // routine.set_block) % len(BODIES)
        body = BODIES[index]
        if shown is not None and shown[0] == SETS[index]["exercise"]:
            body = body[:-1] + b', "shown": ' + shown[1] + b"}"
            log.shown_sent += 1
        try:
            response = connection.post(path, body, {"Idempotency-Key": f"{prefix}-{number}"})
        except TRANSPORT_ERRORS as error:
            log.errors[type(error).__name__] += 1
            if len(log.samples) < 3:
                log.samples.append(f"{type(error).__name__}: {error}")
            continue
        ended = time.perf_counter_ns()
        if not 200 <= response.status < 300:
            log.errors[f"HTTP {response.status}"] += 1
            if len(log.samples) < 3:
                log.samples.append(f"HTTP {response.status}: {response.text[:300]}")
            continue
        if began < schedule.measure:
            log.warmup_ok += 1
        else:
            log.starts.append(began)
            log.latencies.append(ended - began)
        logged += 1
        if routine.shown:
            shown = _shown(response)
        if routine.workout_sets and logged % routine.workout_sets == 0:
            _finish_workout(connection, response, log)
            shown = None


def _shown(logged: Answer) -> tuple[str, bytes] | None:
    """The next set the answer to a logged set shows: its exercise's name, and the set
    as the web app sends it back with the set done after it (None past the sets planned)."""
    following = logged.json()["next"]
    if following["exercise_done"]:
        return None
    card = {key: following[key] for key in ("load", "reps", "target_rir")}
    return following["exercise"]["name"], json.dumps(card).encode()


def _finish_workout(connection: Connection, logged: Answer, log: ClientLog) -> None:
    """Finish the workout the set ``logged`` went in (the next set opens a new one)."""
    workout = logged.json()["set"]["workout_id"]
    try:
        response = connection.post(f"/api/workouts/{workout}/finish")
    except TRANSPORT_ERRORS as error:
        log.errors[f"finish: {type(error).__name__}"] += 1
        return
    if response.status != 200:
        log.errors[f"finish: HTTP {response.status}"] += 1
        if len(log.samples) < 3:
            log.samples.append(f"finish: HTTP {response.status}: {response.text[:300]}")
        return
    log.workouts_finished += 1


@dataclass(slots=True)
class PhaseResult:
    backend: str
    target: str
    clients: int
    seconds: float
    requests: int
    throughput: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    warmup_requests: int
    errors: int
    error_kinds: dict[str, int]
    error_samples: list[str]
    rows_stored: int
    rows_expected: int
    throughput_by_second: list[int]
    client_cpu_cores: float | None
    server_cpu_cores: float | None
    server_cpu_ms_per_request: float | None
    machine_busy_cores: float | None
    background_busy_cores: float | None
    workers: int = 1
    history_sets: int = 0
    """Sets the lifters had before the phase (imported; not counted in ``rows_stored``)."""
    workouts_finished: int = 0
    """Workouts the clients finished during the phase (not counted as requests)."""
    shown_sets: int = 0
    """Sets sent with the next set shown before them."""
    worker_cpu_share: list[float] | None = None
    """Each worker's share of the workers' CPU in the measured window."""
    worker_connections: list[int] | None = None
    """The clients' connections each worker held in the middle of the window."""


def percentile(ordered: Sequence[int], fraction: float) -> int:
    """Nearest-rank percentile of an ascending sequence."""
    if not ordered:
        return 0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def drive(
    server: Server,
    path: str,
    tokens: Sequence[str],
    seconds: float,
    warmup: float,
    routine: Routine,
) -> tuple[list[ClientLog], Schedule, CpuSample, CpuSample, list[int] | None]:
    """The warm-up and the measured load; the client logs, the CPU at both ends and the
    connections each worker held in the middle of the window."""
    schedule = Schedule()

    def plan() -> None:
        schedule.start = time.perf_counter_ns() + 50_000_000
        schedule.measure = schedule.start + int(warmup * 1e9)
        schedule.end = schedule.measure + int(seconds * 1e9)

    ready = threading.Barrier(len(tokens) + 1, action=plan)
    run = secrets.token_hex(4)
    logs = [ClientLog() for _ in tokens]
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(
                server.base_url,
                path,
                token,
                f"{run}-{i}",
                i,
                schedule,
                ready,
                logs[i],
                routine,
            ),
            name=f"bench-client-{i}",
            daemon=True,
        )
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=STARTUP_TIMEOUT)
    except threading.BrokenBarrierError:
        pass  # a client failed to start: reported below, once all have stopped
    else:
        _sleep_until(schedule.measure)
        before = CpuSample.take(server)
        # Mid-window: every client holds its connection (at the end they close them).
        _sleep_until((schedule.measure + schedule.end) // 2)
        held = [established_connections(pid, server.port) for pid in server.workers]
        _sleep_until(schedule.end)
        after = CpuSample.take(server)
    deadline = time.monotonic() + REQUEST_TIMEOUT + 5
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        raise BenchError("a client did not stop within the request timeout: the server hangs")
    crashes = [log.crashed for log in logs if log.crashed]
    if crashes or ready.broken:
        raise BenchError(f"a load-generating client failed: {crashes or 'it never started'}")
    connections = None if None in held else [n for n in held if n is not None]
    return logs, schedule, before, after, connections


def _sleep_until(instant_ns: int) -> None:
    while (left := instant_ns - time.perf_counter_ns()) > 0:
        time.sleep(min(left / 1e9, 0.05))


def run_phase(
    backend: str,
    target: Target,
    *,
    seconds: float,
    clients: int,
    warmup: float,
    workers: int = 1,
    history_weeks: int = 0,
    workout_sets: int = 0,
    set_block: int = 1,
    shown: bool = False,
) -> PhaseResult:
    """One phase on a fresh database. failwise's lifters (``target.signs_up``) start with
    ``history_weeks`` of history, finish their workout every ``workout_sets`` sets, log
    ``set_block`` sets of an exercise in a row, and send what they were shown (``shown``)."""
    routine = Routine(workout_sets, set_block, shown)
    run_id = secrets.token_hex(4)
    history = 0
    with fresh_database(backend) as database_url:
        with running_server(target, database_url, workers=workers) as server:
            if target.signs_up:
                lifters = sign_up(server.base_url, clients, run_id)
                tokens = [token for token, _ in lifters]
                history = give_history(database_url, [i for _, i in lifters], history_weeks)
            else:
                tokens = [f"baseline-{i}" for i in range(clients)]
                routine = Routine(set_block=set_block)  # the same bodies, one table
            background = background_busy_cores()
            logs, schedule, before, after, held = drive(
                server, target.path, tokens, seconds, warmup, routine
            )
        rows = count_rows(database_url, target.table)
    result = summarise(backend, target, clients, logs, schedule, before, after, rows - history)
    result.history_sets = history
    result.workouts_finished = sum(log.workouts_finished for log in logs)
    result.shown_sets = sum(log.shown_sent for log in logs)
    result.background_busy_cores = background
    result.workers = workers
    result.worker_cpu_share = _shares(before.workers, after.workers)
    result.worker_connections = held
    return result


def _shares(before: Sequence[float | None], after: Sequence[float | None]) -> list[float] | None:
    """Each worker's share of the CPU all workers used between two samples."""
    if None in before or None in after or len(before) != len(after):
        return None
    used = [a - b for a, b in zip(after, before, strict=True) if a is not None and b is not None]
    total = sum(used)
    return [round(u / total, 3) for u in used] if total > 0 else None


def summarise(
    backend: str,
    target: Target,
    clients: int,
    logs: Sequence[ClientLog],
    schedule: Schedule,
    before: CpuSample,
    after: CpuSample,
    rows: int,
) -> PhaseResult:
    latencies = sorted(value for log in logs for value in log.latencies)
    starts = [value for log in logs for value in log.starts]
    last_end = max(
        (s + lat for log in logs for s, lat in zip(log.starts, log.latencies, strict=True)),
        default=schedule.end,
    )
    # Everything started in the window has finished by last_end.
    elapsed = max(last_end, schedule.end) - schedule.measure
    window = schedule.end - schedule.measure
    by_second = Counter(
        min((start - schedule.measure) // 1_000_000_000, (window - 1) // 1_000_000_000)
        for start in starts
    )
    errors: Counter[str] = Counter()
    for log in logs:
        errors.update(log.errors)
    wall = after.wall - before.wall
    warmup_ok = sum(log.warmup_ok for log in logs)
    server_cores = _cores(before.server, after.server, wall)
    throughput = len(latencies) / (elapsed / 1e9)
    return PhaseResult(
        backend=backend,
        target=target.name,
        clients=clients,
        seconds=round(elapsed / 1e9, 3),
        requests=len(latencies),
        throughput=round(throughput, 1),
        p50_ms=round(percentile(latencies, 0.50) / 1e6, 3),
        p99_ms=round(percentile(latencies, 0.99) / 1e6, 3),
        mean_ms=round(sum(latencies) / len(latencies) / 1e6, 3) if latencies else 0.0,
        max_ms=round(latencies[-1] / 1e6, 3) if latencies else 0.0,
        warmup_requests=warmup_ok,
        errors=sum(errors.values()),
        error_kinds=dict(errors),
        error_samples=[sample for log in logs for sample in log.samples][:5],
        rows_stored=rows,
        rows_expected=warmup_ok + len(latencies) if target.stores else 0,
        throughput_by_second=[by_second[i] for i in range(max(1, -(-window // 1_000_000_000)))],
        client_cpu_cores=_cores(before.client, after.client, wall),
        server_cpu_cores=server_cores,
        server_cpu_ms_per_request=(
            round(server_cores * 1000 / throughput, 3) if server_cores and throughput else None
        ),
        machine_busy_cores=_cores(before.machine, after.machine, wall),
        background_busy_cores=None,
    )


def ratios(baseline: PhaseResult, failwise: PhaseResult) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    throughput = ratio(failwise.throughput, baseline.throughput)
    return {
        "throughput": throughput,
        "p50": ratio(failwise.p50_ms, baseline.p50_ms),
        "p99": ratio(failwise.p99_ms, baseline.p99_ms),
        "goal": GOAL,
        "goal_met": throughput is not None and throughput >= GOAL,
    }


def scaling_ratios(one: PhaseResult, two: PhaseResult) -> dict[str, Any]:
    """failwise on 2 workers against 1: the throughput ratio, and how evenly the two
    workers shared the load (the idler worker's share of their CPU)."""
    throughput = round(two.throughput / one.throughput, 3) if one.throughput else None
    spread = min(two.worker_cpu_share) if two.worker_cpu_share else None
    return {
        "throughput": throughput,
        "idler_worker_cpu_share": spread,
        "goal": SCALING_GOAL,
        "spread_floor": SPREAD_FLOOR,
        "goal_met": throughput is not None
        and throughput >= SCALING_GOAL
        and spread is not None
        and spread >= SPREAD_FLOOR,
    }


@dataclass(slots=True)
class Report:
    ceiling: PhaseResult | None = None
    backends: dict[str, dict[str, Any]] = field(default_factory=dict)
    scaling: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per backend: failwise on 1 worker ("one"), on 2 ("two") and their ratios."""

    def phases(self) -> Iterator[PhaseResult]:
        if self.ceiling is not None:
            yield self.ceiling
        for entry in self.backends.values():
            yield entry["baseline"]
            yield entry["failwise"]
        for entry in self.scaling.values():
            yield from (entry[key] for key in SCALING_PHASES if key in entry)

    def as_json(self) -> dict[str, Any]:
        return {
            "load_generator_ceiling": asdict(self.ceiling) if self.ceiling else None,
            "results": {
                backend: {
                    "baseline": asdict(entry["baseline"]),
                    "failwise": asdict(entry["failwise"]),
                    "ratios": entry["ratios"],
                }
                for backend, entry in self.backends.items()
            },
            "scaling": {
                backend: {
                    "one_worker": asdict(entry["one"]),
                    "two_workers": asdict(entry["two"]),
                    "ratios": entry["ratios"],
                    "baseline_one_worker": asdict(entry["baseline_one"]),
                    "baseline_two_workers": asdict(entry["baseline_two"]),
                    "baseline_ratios": entry["baseline_ratios"],
                }
                for backend, entry in self.scaling.items()
            },
        }


# --- reporting ------------------------------------------------------------------------------
def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _row(label: str, r: PhaseResult) -> str:
    trend = r.throughput_by_second
    return (
        f"{label:<11}{r.target:<10}{r.workers:>3}{r.throughput:>9.1f}{r.p50_ms:>9.2f}"
        f"{r.p99_ms:>9.2f}{r.errors:>8}{f'{trend[0]}→{trend[-1]}':>13}"
        f"{_fmt(r.server_cpu_ms_per_request, '.2f'):>12}"
        f"{_fmt(r.client_cpu_cores, '.2f'):>8}{_fmt(r.server_cpu_cores, '.2f'):>8}"
        f"{_fmt(r.machine_busy_cores, '.2f'):>9}"
    )


def _spread(r: PhaseResult) -> list[str]:
    """How a phase on several workers shared its load out, under its row."""
    if r.workers < 2:
        return []
    shares = " / ".join(f"{share:.0%}" for share in r.worker_cpu_share or []) or "-"
    held = " / ".join(str(n) for n in r.worker_connections or []) or "-"
    return [f"{'':<11}{'':<10}{'':>3}   per worker: CPU {shares}; connections {held}"]


def table(report: Report) -> str:
    header = (
        f"{'backend':<11}{'app':<10}{'w':>3}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'1st→last s':>13}{'srv ms/req':>12}"
        f"{'client':>8}{'server':>8}{'machine':>9}"
    )
    lines = [header, "-" * len(header)]
    if report.ceiling is not None:
        lines += [_row("-", report.ceiling), *_spread(report.ceiling), ""]
    for backend, entry in report.scaling.items():
        for phase in (entry["baseline_one"], entry["baseline_two"]):
            lines += [_row(backend, phase), *_spread(phase)]
        b = entry["baseline_ratios"]
        lines.append(
            f"{backend:<11}{'2w / 1w':<10}{'':>3}{_fmt(b['throughput'], '.3f'):>9}"
            "   the bare baseline's own scaling on this machine (a reference, not gated)"
        )
        for phase in (entry["one"], entry["two"]):
            lines += [_row(backend, phase), *_spread(phase)]
        q = entry["ratios"]
        verdict = "met" if q["goal_met"] else "MISSED"
        lines.append(
            f"{backend:<11}{'2w / 1w':<10}{'':>3}{_fmt(q['throughput'], '.3f'):>9}"
            f"   goal: 2 workers ≥ {SCALING_GOAL:g}× 1 worker's req/s, the idler worker "
            f"≥ {SPREAD_FLOOR:.0%} of their CPU: {verdict}"
        )
        lines.append("")
    for backend, entry in report.backends.items():
        lines.append(_row(backend, entry["baseline"]))
        lines += _spread(entry["baseline"])
        lines.append(_row(backend, entry["failwise"]))
        lines += _spread(entry["failwise"])
        q = entry["ratios"]
        verdict = "met" if q["goal_met"] else "MISSED"
        lines.append(
            f"{backend:<11}{'ratio':<10}{'':>3}{_fmt(q['throughput'], '.3f'):>9}"
            f"{_fmt(q['p50'], '.2f'):>9}{_fmt(q['p99'], '.2f'):>9}"
            f"   goal: failwise ≥ {GOAL:.0%} of baseline req/s: {verdict}"
        )
        lines.append("")
    lines.append(
        "ceiling: the baseline server's no-database endpoint, what the load generator can "
        "drive.\nratio: failwise/baseline for req/s, p50, p99. 1st→last s: requests started "
        "in the first and in the last measured second.\nsrv ms/req: server CPU per request. "
        "client/server/machine: CPU cores busy during the measured window\n(the load "
        "generator, the uvicorn processes, the whole machine of "
        f"{os.cpu_count()} cores). w: uvicorn worker processes; per worker: each one's\n"
        "share of their CPU (/proc) and the clients' keep-alive connections it held."
    )
    return "\n".join(lines)


def problems(report: Report) -> tuple[list[str], list[str]]:
    """Warnings, and failures: failed requests or rows that were not stored."""
    warned: list[str] = []
    failed: list[str] = []
    for r in report.phases():
        where = f"{r.backend}/{r.target}"
        # The ceiling phase is meant to saturate the load generator: no warning there.
        if r.target != CEILING.name and (r.client_cpu_cores or 0.0) >= CPU_WARNING:
            warned.append(
                f"{where}: the load generator used {r.client_cpu_cores:.2f} cores: "
                "it may be the bottleneck"
            )
        if r.background_busy_cores is not None and r.background_busy_cores >= BACKGROUND_WARNING:
            warned.append(
                f"{where}: {r.background_busy_cores:.2f} cores were busy with other work just "
                "before the phase: the machine is not quiet, the results are noisy"
            )
        if r.errors:
            failed.append(
                f"{where}: {r.errors} failed requests {r.error_kinds}; e.g. {r.error_samples[:2]}"
            )
        if r.rows_stored != r.rows_expected:
            failed.append(
                f"{where}: {r.rows_stored} rows stored for {r.rows_expected} successful requests"
            )
    if report.ceiling is not None and report.ceiling.throughput:
        for backend, entry in report.backends.items():
            share = entry["baseline"].throughput / report.ceiling.throughput
            if share >= CEILING_WARNING:
                warned.append(
                    f"{backend}/baseline ran at {share:.0%} of the load generator's ceiling: "
                    "the generator may be limiting it"
                )
    return warned, failed


def build_parser(default_seconds: float = 10.0) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.log_throughput",
        description="Set-logging throughput and latency: failwise against a bare baseline.",
    )
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument(
        "--seconds",
        type=float,
        default=default_seconds,
        help=f"measured seconds per phase (default {default_seconds:g})",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--warmup",
        type=float,
        default=WARMUP_SECONDS,
        help=f"unmeasured seconds of load before each phase (default {WARMUP_SECONDS:g})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn worker processes of both servers, failwise's and the baseline's (default 1)",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help=(
            "instead of failwise against the baseline: failwise on 1 worker and on 2, the "
            f"throughput ratio (goal ≥ {SCALING_GOAL:g}) and how the load spread over the two"
        ),
    )
    parser.add_argument(
        "--history-weeks",
        type=int,
        default=HISTORY_WEEKS,
        help=(
            "weeks of training each failwise lifter has before the run, imported "
            f"(default {HISTORY_WEEKS}; 0: new lifters)"
        ),
    )
    parser.add_argument(
        "--workout-sets",
        type=int,
        default=WORKOUT_SETS,
        help=(
            "sets a client logs before it finishes its workout "
            f"(default {WORKOUT_SETS}; 0: one workout for the whole run)"
        ),
    )
    parser.add_argument(
        "--set-block",
        type=int,
        default=SET_BLOCK,
        help=(
            f"sets of one exercise a client logs in a row (default {SET_BLOCK}; 1: a new "
            "exercise every set)"
        ),
    )
    parser.add_argument(
        "--no-shown",
        dest="shown",
        action="store_false",
        help=(
            "send no set shown with each set (the server works out what it would have "
            "shown, as for a client that shows none)"
        ),
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    return parser


def _announce(label: str, clients: int, warmup: float, seconds: float) -> None:
    print(
        f"{label}: {clients} clients, {warmup:g} s warm-up + {seconds:g} s …",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> Report:
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    report = Report()
    ceiling_seconds = min(args.seconds, CEILING_SECONDS)
    _announce("load generator ceiling", args.clients, args.warmup, ceiling_seconds)
    report.ceiling = run_phase(
        "sqlite", CEILING, seconds=ceiling_seconds, clients=args.clients, warmup=args.warmup
    )
    report.ceiling.backend = "-"
    for backend in backends:
        if args.scaling:
            report.scaling[backend] = _scaling(backend, args)
            continue
        entry: dict[str, Any] = {}
        for target in (BASELINE, FAILWISE):
            _announce(
                f"{backend}/{target.name} on {args.workers} worker(s)",
                args.clients,
                args.warmup,
                args.seconds,
            )
            entry[target.name] = run_phase(
                backend,
                target,
                seconds=args.seconds,
                clients=args.clients,
                warmup=args.warmup,
                workers=args.workers,
                history_weeks=args.history_weeks,
                workout_sets=args.workout_sets,
                set_block=args.set_block,
                shown=args.shown,
            )
        entry["ratios"] = ratios(entry["baseline"], entry["failwise"])
        report.backends[backend] = entry
    return report


def _scaling(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    """failwise on 1 worker, then on 2, on one backend; and the bare baseline the same
    way, the scaling this machine allows the stack itself (the load generator and, on
    PostgreSQL, the database server share its cores)."""
    entry: dict[str, Any] = {}
    for target, key, workers in (
        (BASELINE, "baseline_one", 1),
        (BASELINE, "baseline_two", 2),
        (FAILWISE, "one", 1),
        (FAILWISE, "two", 2),
    ):
        _announce(
            f"{backend}/{target.name} on {workers} worker(s)",
            args.clients,
            args.warmup,
            args.seconds,
        )
        entry[key] = run_phase(
            backend,
            target,
            seconds=args.seconds,
            clients=args.clients,
            warmup=args.warmup,
            workers=workers,
            history_weeks=args.history_weeks,
            workout_sets=args.workout_sets,
            set_block=args.set_block,
            shown=args.shown,
        )
    entry["ratios"] = scaling_ratios(entry["one"], entry["two"])
    entry["baseline_ratios"] = scaling_ratios(entry["baseline_one"], entry["baseline_two"])
    return entry


def main(argv: Sequence[str] | None = None, *, default_seconds: float = 10.0) -> int:
    args = build_parser(default_seconds).parse_args(argv)
    if (
        args.seconds <= 0
        or args.warmup < 0
        or not 1 <= args.clients <= 256
        or not 1 <= args.workers <= 64
        or not 0 <= args.history_weeks <= 520
        or args.workout_sets < 0
        or not 1 <= args.set_block <= 100
    ):
        print(
            "--seconds must be > 0, --warmup >= 0, --clients 1 to 256, --workers 1 to 64, "
            "--history-weeks 0 to 520, --workout-sets >= 0, --set-block 1 to 100",
            file=sys.stderr,
        )
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
            "benchmark": "set-logging",
            "started_at": started.isoformat(),
            "settings": {
                "seconds": args.seconds,
                "warmup": args.warmup,
                "clients": args.clients,
                "server": (
                    f"uvicorn, {args.workers} worker(s), as failwise serve runs it "
                    "(failwise.adapters.cli.workers), no access log"
                ),
                "sqlite_synchronous": "FULL",
                "history_weeks": args.history_weeks,
                "workout_sets": args.workout_sets,
                "set_block": args.set_block,
                "shown": args.shown,
                "host": HOST,
                "goal": (
                    f"failwise throughput on 2 workers >= {SCALING_GOAL:g} x on 1, the idler "
                    f"worker >= {SPREAD_FLOOR:g} of their CPU"
                    if args.scaling
                    else f"failwise throughput >= {GOAL:g} x baseline"
                ),
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            **report.as_json(),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    warned, failed = problems(report)
    for warning in warned:
        print(f"WARNING: {warning}", file=sys.stderr)
    if failed:
        print("\nBENCHMARK FAILED:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

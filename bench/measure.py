"""What the in-process benchmarks (import, analysis) share: timing, peak RSS, profiles."""

from __future__ import annotations

import cProfile
import io
import pstats
import resource
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.log_throughput import BACKGROUND_WARNING, machine_busy_seconds

__all__ = [
    "BACKGROUND_WARNING",
    "Spent",
    "Stopwatch",
    "announce",
    "peak_rss_mib",
    "top_functions",
]


@dataclass(frozen=True, slots=True)
class Spent:
    """What a timed window took: wall clock, this process's CPU, and other work's cores."""

    wall: float
    cpu: float
    other_cores: float | None
    """CPU cores the rest of the machine kept busy meanwhile: everything the machine did
    (``/proc/stat``) less this process's own CPU time. On a 2-core box another job skews
    the wall clock (not so much the CPU time), and the run says so. ``None`` without ``/proc``.
    """


@dataclass(frozen=True, slots=True)
class Stopwatch:
    """Started before the timed work, stopped right after it."""

    began: float
    cpu: float
    machine: float | None

    @classmethod
    def start(cls) -> Stopwatch:
        machine = machine_busy_seconds()
        return cls(time.perf_counter(), time.process_time(), machine)

    def stop(self) -> Spent:
        wall = time.perf_counter() - self.began
        cpu = time.process_time() - self.cpu
        machine = machine_busy_seconds()
        other = None
        if machine is not None and self.machine is not None and wall > 0:
            other = round(max(0.0, machine - self.machine - cpu) / wall, 3)
        return Spent(wall, cpu, other)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (``ru_maxrss``: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def announce(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def top_functions(profiler: cProfile.Profile, top: int) -> tuple[str, list[dict[str, Any]]]:
    """The ``top`` functions by cumulative time: pstats' table, and the same as data."""
    printed = io.StringIO()
    stats = pstats.Stats(profiler, stream=printed)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    raw = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda item: item[1][3], reverse=True)[:top]
    data = [
        {
            "function": f"{key[0]}:{key[1]}({key[2]})",
            "calls": calls,
            "tottime": round(tottime, 3),
            "cumtime": round(cumtime, 3),
        }
        for key, (_primitive, calls, tottime, cumtime, _callers) in rows
    ]
    return _trimmed(printed.getvalue()), data


def _trimmed(printed: str) -> str:
    """pstats' table without its preamble, blank lines and the long paths of this checkout."""
    lines = printed.strip("\n").splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    prefixes = sorted({p for p in sys.path if p and p != "/"}, key=len, reverse=True)
    kept = []
    for line in lines[start:]:
        if not line.strip():
            continue
        for prefix in prefixes:
            line = line.replace(prefix.rstrip("/") + "/", "")
        kept.append(line.rstrip())
    return "\n".join(kept)

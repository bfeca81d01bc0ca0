"""Server render time of the today page, against a static file served by the same app.

Starts a real server (uvicorn, one worker, fresh SQLite file), signs a demo
lifter in (six weeks of history), and requests, one at a time over a
keep-alive connection, in interleaved rounds:

- ``GET /today?exercise=barbell-squat`` — the page a lifter has open in the
  gym: the session check, the lifter's recent history, the next set's
  prescription, the calibration and the template;
- ``GET /guide`` — a template page with no database work (charts and tables
  drawn from the engine's constants);
- ``GET /static/app.css`` — a static file from the same app: the floor.

Reported: p50 and p99 latency of each, and the today page's ratio to the
static file. Every non-200 answer fails the run (exit status 1).

    python -m bench.page_render [--requests 400] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import httpx

from bench.web_server import demo_lifter, running_app

TARGETS = {
    "today": "/today?exercise=barbell-squat",
    "guide": "/guide",
    "static": "/static/app.css",
}
WARMUP = 30
MAX_REQUESTS = 20_000  # a bound on the loop besides the count asked for


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an ascending list."""
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def run(base_url: str, cookies: httpx.Cookies, requests: int) -> dict[str, dict[str, float]]:
    timings: dict[str, list[float]] = {name: [] for name in TARGETS}
    failures: list[str] = []
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as client:
        for _ in range(WARMUP):
            for path in TARGETS.values():
                client.get(path)
        for _ in range(min(requests, MAX_REQUESTS)):
            for name, path in TARGETS.items():
                started = time.perf_counter()
                answer = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                if answer.status_code != 200:
                    failures.append(f"{path}: {answer.status_code}")
                timings[name].append(elapsed)
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    result = {}
    for name, values in timings.items():
        ordered = sorted(values)
        result[name] = {
            "requests": len(ordered),
            "p50_ms": round(percentile(ordered, 0.50), 2),
            "p99_ms": round(percentile(ordered, 0.99), 2),
            "mean_ms": round(sum(ordered) / len(ordered), 2),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_render", description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="requests per page (400)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with running_app() as base_url:
        try:
            result = run(base_url, demo_lifter(base_url), args.requests)
        except RuntimeError as error:
            print(f"failed: {error}", file=sys.stderr)
            return 1
    print("Server render, one request at a time over keep-alive (ms)")
    print(f"{'page':<8} {'p50':>8} {'p99':>8} {'mean':>8}  url")
    for name, numbers in result.items():
        print(
            f"{name:<8} {numbers['p50_ms']:>8.2f} {numbers['p99_ms']:>8.2f} "
            f"{numbers['mean_ms']:>8.2f}  {TARGETS[name]}"
        )
    today, static = result["today"], result["static"]
    ratios = {
        "p50": round(today["p50_ms"] / static["p50_ms"], 1),
        "p99": round(today["p99_ms"] / static["p99_ms"], 1),
    }
    print(f"today / static file: {ratios['p50']}× at p50, {ratios['p99']}× at p99")
    if args.json:
        args.json.write_text(json.dumps({"pages": result, "today_over_static": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

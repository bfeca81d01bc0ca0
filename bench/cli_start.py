"""How fast the ``failwise`` command starts: whole processes against bare Typer + Rich.

``python -m bench.cli_start`` (or ``python -m bench cli-start``).

Each command that needs no stored data runs as a whole new process, the way a
lifter types it, and prints its answer as JSON:

- ``failwise prescribe "Squat (Barbell)" --json``
- ``failwise e1rm --load 100 --reps 5 --rpe 8 --json``
- ``failwise load --e1rm 140 --reps 5 --rir 2 --json``
- ``failwise plates 142.5 --json``
- ``failwise scale --json``

The **baseline** is what any Typer + Rich command line pays before its own
code runs: ``python -c "import typer, rich.console"``.

``--runs`` rounds (10 by default) follow one untimed warm-up round (it
compiles the bytecode and warms the file cache: "cold" here means a fresh
interpreter, not a cold disk). The commands run with bytecode written and
read, as an installed failwise does (pip compiles it on install), even where
``PYTHONDONTWRITEBYTECODE`` is set: without it every run would compile each
of failwise's modules from source again. In each round the baseline and the commands
run one after another, interleaved, so that other work on the machine falls
on all of them alike. For each, the median wall clock of its runs
(``time.perf_counter`` around the whole process) and the median CPU time of
the process (user + system, from ``getrusage``) are compared with the
baseline's. Every run must exit 0 with JSON on stdout, else the benchmark
fails.

The command runs as the ``failwise`` console script next to this interpreter
(with this environment, so ``PYTHONPATH`` picks the sources), or, without
one, as ``python -c`` doing what that script does.

**Goal:** ``prescribe``'s median wall clock at most 2× the baseline's; exit
status 1 when it is missed. The other commands are reported, not gated.

    python -m bench.cli_start                       # 10 rounds, ~10 s
    python -m bench.cli_start --runs 3 --json cli-start.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.log_throughput import BACKGROUND_WARNING, machine_busy_seconds

GOAL = 2.0  # prescribe's median start over the baseline's, at most
GATED = "prescribe"
DEFAULT_RUNS = 10

BASELINE = "typer + rich"
BASELINE_CODE = "import typer, rich.console"

# What any Typer command line pays to parse a command like prescribe's and print JSON (a
# reference, not gated): Typer (0.2x) coerces every parameter through a pydantic TypeAdapter,
# so running a command imports pydantic, which importing typer does not.
BARE_APP = "bare typer app"
BARE_APP_CODE = """\
import json
from typing import Annotated
import typer
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="rich")
@app.command()
def prescribe(
    exercise: Annotated[str, typer.Argument()],
    set_number: Annotated[int, typer.Option("--set", min=1)] = 1,
    spotter: Annotated[bool, typer.Option("--spotter/--alone")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    print(json.dumps({"exercise": exercise, "set": set_number}, indent=2))
@app.command()
def scale() -> None: ...
app(["prescribe", "Squat (Barbell)", "--json"])
"""

COMMANDS: dict[str, tuple[str, ...]] = {
    "prescribe": ("prescribe", "Squat (Barbell)", "--json"),
    "e1rm": ("e1rm", "--load", "100", "--reps", "5", "--rpe", "8", "--json"),
    "load": ("load", "--e1rm", "140", "--reps", "5", "--rir", "2", "--json"),
    "plates": ("plates", "142.5", "--json"),
    "scale": ("scale", "--json"),
}

# What the console script does (pip's generated ``failwise`` script), for an install without it.
SCRIPT_CODE = (
    "import sys; from failwise.adapters.cli import main; sys.argv[0] = 'failwise'; sys.exit(main())"
)


class BenchError(RuntimeError):
    """A command that failed or printed no JSON."""


def failwise_command() -> list[str]:
    """How to start ``failwise``: its console script beside this interpreter, else ``-c``."""
    script = Path(sys.executable).parent / "failwise"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", SCRIPT_CODE]


@dataclass(frozen=True, slots=True)
class Run:
    wall: float
    cpu: float
    """User + system CPU seconds of the process."""


def command_environment() -> dict[str, str]:
    """This environment, but with bytecode written: the warm-up round compiles it once."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: Sequence[str], *, check_json: bool) -> Run:
    """Start ``argv`` as a new process, wait for it, and time it."""
    environment = command_environment()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(list(argv), capture_output=True, text=True, check=False, env=environment)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    if check_json:
        try:
            json.loads(done.stdout)
        except json.JSONDecodeError:
            raise BenchError(f"{' '.join(argv)} printed no JSON: {done.stdout[:200]!r}") from None
    return Run(wall, cpu)


@dataclass(slots=True)
class Report:
    runs: int
    command: list[str]
    times: dict[str, list[Run]] = field(default_factory=dict)
    other_cores: float | None = None
    """CPU cores the rest of the machine kept busy over the timed rounds, on average."""

    def median_wall(self, name: str) -> float:
        return statistics.median(run.wall for run in self.times[name])

    def median_cpu(self, name: str) -> float:
        return statistics.median(run.cpu for run in self.times[name])

    def wall_ratio(self, name: str) -> float:
        return self.median_wall(name) / self.median_wall(BASELINE)

    def cpu_ratio(self, name: str) -> float:
        baseline = self.median_cpu(BASELINE)
        return self.median_cpu(name) / baseline if baseline > 0 else float("inf")

    @property
    def met(self) -> bool:
        return self.wall_ratio(GATED) <= GOAL


def measure(runs: int, *, warmup: int = 1) -> Report:
    """``warmup`` untimed rounds, then ``runs`` timed rounds, each command once per round."""
    failwise = failwise_command()
    jobs: dict[str, tuple[list[str], bool]] = {
        BASELINE: ([sys.executable, "-c", BASELINE_CODE], False),
        BARE_APP: ([sys.executable, "-c", BARE_APP_CODE], True),
        **{name: ([*failwise, *args], True) for name, args in COMMANDS.items()},
    }
    report = Report(runs=runs, command=failwise, times={name: [] for name in jobs})
    for _ in range(warmup):
        for argv, check_json in jobs.values():
            run_once(argv, check_json=check_json)
    busy_before, began = machine_busy_seconds(), time.perf_counter()
    for _ in range(runs):
        for name, (argv, check_json) in jobs.items():
            report.times[name].append(run_once(argv, check_json=check_json))
    wall, busy_after = time.perf_counter() - began, machine_busy_seconds()
    if busy_before is not None and busy_after is not None and wall > 0:
        ours = sum(run.cpu for times in report.times.values() for run in times)
        report.other_cores = round(max(0.0, busy_after - busy_before - ours) / wall, 3)
    return report


def table(report: Report) -> str:
    lines = [f"{'':<16}{'median wall':>12}{'× baseline':>12}{'median CPU':>12}{'× baseline':>12}"]
    for name in report.times:
        lines.append(
            f"{name:<16}{report.median_wall(name):>11.3f}s{report.wall_ratio(name):>11.2f}×"
            f"{report.median_cpu(name):>11.3f}s{report.cpu_ratio(name):>11.2f}×"
        )
    return "\n".join(lines)


def document(report: Report) -> dict[str, object]:
    return {
        "benchmark": "cli-start",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "settings": {"runs": report.runs, "command": report.command, "baseline": BASELINE_CODE},
        "other_cores": report.other_cores,
        "results": {
            name: {
                "median_wall_seconds": round(report.median_wall(name), 4),
                "wall_ratio": round(report.wall_ratio(name), 3),
                "median_cpu_seconds": round(report.median_cpu(name), 4),
                "cpu_ratio": round(report.cpu_ratio(name), 3),
                "wall_seconds": [round(run.wall, 4) for run in report.times[name]],
            }
            for name in report.times
        },
        "goal": {"command": GATED, "at_most": GOAL, "met": report.met},
    }


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Whole-process start of the failwise commands that need no stored data, "
        f'against python -c "{BASELINE_CODE}".',
    )
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help="timed rounds (default %(default)s)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = build_parser(prog).parse_args(argv)
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return 2
    try:
        report = measure(args.runs)
    except BenchError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(
        f"{args.runs} rounds, interleaved, after one warm-up round; failwise as "
        f"{' '.join(report.command)}; baseline python -c {BASELINE_CODE!r}"
    )
    print(table(report))
    if report.other_cores is not None and report.other_cores >= BACKGROUND_WARNING:
        print(
            f"warning: {report.other_cores:.2f} cores were busy with other work meanwhile: "
            "the wall clock is noisy (the CPU ratios are steadier)"
        )
    ratio = report.wall_ratio(GATED)
    verdict = "met" if report.met else "MISSED"
    print(f"goal: {GATED} ≤ {GOAL}× the baseline's median wall clock: {ratio:.2f}× — {verdict}")
    if args.json:
        args.json.write_text(json.dumps(document(report), indent=2), encoding="utf-8")
    return 0 if report.met else 1


if __name__ == "__main__":
    raise SystemExit(main(prog="python -m bench.cli_start"))

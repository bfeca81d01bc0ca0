"""``python -m bench``: the set-logging benchmark with a short default (3 s per phase).

``python -m bench import [options]`` runs the import benchmark
(:mod:`bench.import_speed`), ``python -m bench analysis [options]`` the
history-analysis benchmark (:mod:`bench.analysis_speed`) and ``python -m bench
big-lifter [options]`` the pages and exports of a lifter with a million sets
(:mod:`bench.big_lifter`) and ``python -m bench calibration-reps [options]``
rep-aware RIR calibration on a simulated population
(:mod:`bench.calibration_reps`) and ``python -m bench cli-start [options]`` how
fast the ``failwise`` command starts (:mod:`bench.cli_start`) instead.
"""

from __future__ import annotations

import sys

from bench.log_throughput import main

SUBCOMMANDS = ("import", "analysis", "big-lifter", "calibration-reps", "cli-start")


def _subcommand(argv: list[str]) -> int | None:
    """Run a sub-command when the first argument names one; else None."""
    if not argv or argv[0] not in SUBCOMMANDS:
        if argv[:1] in (["-h"], ["--help"]):
            print(f"sub-commands: python -m bench {{{','.join(SUBCOMMANDS)}}} --help\n")
        return None
    if argv[0] == "import":
        from bench.import_speed import main as import_main

        return import_main(argv[1:], prog="python -m bench import")
    if argv[0] == "big-lifter":
        from bench.big_lifter import main as big_lifter_main

        return big_lifter_main(argv[1:], prog="python -m bench big-lifter")
    if argv[0] == "calibration-reps":
        from bench.calibration_reps import main as calibration_reps_main

        return calibration_reps_main(argv[1:], prog="python -m bench calibration-reps")
    if argv[0] == "cli-start":
        from bench.cli_start import main as cli_start_main

        return cli_start_main(argv[1:], prog="python -m bench cli-start")
    from bench.analysis_speed import main as analysis_main

    return analysis_main(argv[1:], prog="python -m bench analysis")


if __name__ == "__main__":
    status = _subcommand(sys.argv[1:])
    raise SystemExit(main(default_seconds=3.0) if status is None else status)

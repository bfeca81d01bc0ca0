"""Rep-aware RIR calibration against the constant one, on a simulated population.

``python -m bench.calibration_reps`` (or ``python -m bench calibration-reps``).

**The population** (each number from :mod:`failwise.domain.calibration.model`,
where it is cited; a lifter's truth is drawn from the same prior the model
uses, so this measures the fit, not whether the prior is right):

- a lifter's bias at 10 reps ~ N(0.95, 1.5²): lifters underpredict by 0.95
  reps on average (Halperin et al. 2022), and the article's beginners who feel
  RIR 1 at RIR 4–5 sit inside ±2 SD;
- how much it grows per rep of the set ~ N(0.18, 0.15²): Zourdos et al. 2021
  (2.05 reps off at a called RPE 9 in 16-rep squat sets) against Halperin's
  pooled 0.95; Halperin's meta-regression (0.06 per rep under 12 reps, 0.47
  beyond) and a flat slope each lie within about one SD. The between-lifter
  spread of the slope is an assumption (no study reports it);
- a lifter's own scatter of single calls near failure ~ uniform(0.65, 1.5)
  reps SD: 0.65 for trained lifters (Refalo et al. 2023) up to the 1.5 a mean
  absolute error of 1–2 reps implies (Hackett et al. 2017; Zourdos et al.
  2021); it grows by a quarter per rep called beyond RIR 1 (``distance_factor``,
  Zourdos 2021; Hackett 2017);
- the bias is exactly a line in the reps (an assumption: Halperin's
  meta-regression bends at 12 reps), so the oracle below is the best any
  correction can do.

**The tests.** Each lifter does 5 RIR tests, one in each fifth of 5–20 reps
(5–7, 8–10, 11–13, 14–16, 17–20, drawn uniformly), calling RIR 1, 2 or 3; the
set then goes to failure, counted in whole reps (never before the call).

**Scored.** 40 new sets per lifter, reps uniform over 1–30 (the range
``correction_by_reps`` covers) with a call of RIR 0–3; the set's true RIR is
the call plus the lifter's bias at those reps plus the call's scatter. The
mean absolute error of the corrected call for: no correction; the constant
correction (``Calibration.bias``, what failwise applied before); the
rep-aware correction (``Calibration.correction_for(reps)``); the oracle, who
adds the lifter's true bias at those reps (its error is the scatter alone).
The same numbers over new sets of 5–20 reps (inside the tested range) are
shown too.

**Target.** Over new sets of 5–20 reps (the range the tests cover),
rep-aware within 1.2× the oracle's error; exit status 1 when it is missed.
The constant correction's ratio is reported, not gated. Over 1–30 reps the
rep-aware line must extrapolate a slope fitted from 5 tests to singles and
30-rep sets; there it is reported too, not gated: with these assumptions it
stays near 1.35× however it is fitted (1.32× even with each lifter's true
scatter known), because the slope's own uncertainty after 5 tests (SD about
0.1 reps per rep) is ±2 reps at 30 reps.

Seed 2022, 4,000 lifters (the README cites this run):

    method       MAE 1–30   ×oracle   MAE 5–20   ×oracle
    none           2.755      2.69      2.146      2.10
    constant       2.022      1.98      1.435      1.40
    rep-aware      1.378      1.35      1.206      1.18
    oracle         1.023      1.00      1.023      1.00

    python -m bench.calibration_reps                  # 4,000 lifters, seed 2022, ~1 s
    python -m bench.calibration_reps --lifters 500 --seed 7 --json reps.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from failwise.domain.calibration import (
    DISTANCE_GROWTH,
    POPULATION_BIAS,
    PRIOR_SD,
    REFERENCE_REPS,
    REPS_SLOPE,
    SLOPE_SD,
    RirTest,
    calibrate,
    distance_factor,
)
from failwise.domain.exercises import Exercise
from failwise.services.catalog import builtin_catalog

TARGET = 1.2
"""The rep-aware correction's error, at most this many times the oracle's."""
TEST_REPS = ((5, 7), (8, 10), (11, 13), (14, 16), (17, 20))
"""One test in each of these ranges of reps: 5 tests spread over 5–20."""
SCATTER_RANGE = (0.65, 1.5)
"""A lifter's SD of single calls near failure (Refalo et al. 2023 to Hackett et al. 2017)."""
METHODS = ("none", "constant", "rep-aware", "oracle")

_CURL: Exercise = builtin_catalog().get("cable-curl")  # Bicep Curl (Cable)


@dataclass(frozen=True, slots=True)
class Lifter:
    """A simulated lifter's true calls: bias ``intercept + slope · (reps − 10)``, scatter ``sd``."""

    intercept: float
    slope: float
    sd: float

    def bias(self, reps: int) -> float:
        return self.intercept + self.slope * (reps - REFERENCE_REPS)

    def true_rir(self, rng: random.Random, reps: int, called: float) -> float:
        return called + self.bias(reps) + rng.gauss(0.0, self.sd * distance_factor(called))


def draw_lifter(rng: random.Random) -> Lifter:
    return Lifter(
        intercept=rng.gauss(POPULATION_BIAS, PRIOR_SD),
        slope=rng.gauss(REPS_SLOPE, SLOPE_SD),
        sd=rng.uniform(*SCATTER_RANGE),
    )


def rir_tests(rng: random.Random, lifter: Lifter) -> list[RirTest]:
    """Five tests, one per range of :data:`TEST_REPS`, counted in whole reps."""
    tests = []
    for low, high in TEST_REPS:
        reps = rng.randint(low, high)
        called = float(rng.choice((1, 2, 3)))
        left = max(0, round(lifter.true_rir(rng, reps, called)))
        tests.append(RirTest(_CURL, reps=reps, predicted_rir=called, reps_at_failure=reps + left))
    return tests


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean absolute error of corrected calls (reps), by method, over two ranges of reps."""

    all_reps: dict[str, float]
    """New sets of 1–30 reps."""
    tested_reps: dict[str, float]
    """The new sets of 5–20 reps among them."""

    def ratios(self, errors: dict[str, float]) -> dict[str, float]:
        return {method: errors[method] / errors["oracle"] for method in METHODS}


def run(lifters: int, sets: int, seed: int) -> Scores:
    rng = random.Random(seed)
    totals = dict.fromkeys(METHODS, 0.0)
    tested = dict.fromkeys(METHODS, 0.0)
    count = tested_count = 0
    for _ in range(lifters):
        lifter = draw_lifter(rng)
        calibration = calibrate(rir_tests(rng, lifter))
        for _ in range(sets):
            reps = rng.randint(1, 30)
            called = float(rng.choice((0, 1, 2, 3)))
            truth = lifter.true_rir(rng, reps, called)
            guesses = {
                "none": called,
                "constant": called + calibration.bias,
                "rep-aware": called + calibration.correction_for(reps),
                "oracle": called + lifter.bias(reps),
            }
            count += 1
            inside = 5 <= reps <= 20
            tested_count += inside
            for method, guess in guesses.items():
                totals[method] += abs(truth - guess)
                if inside:
                    tested[method] += abs(truth - guess)
    return Scores(
        all_reps={method: total / count for method, total in totals.items()},
        tested_reps={method: total / tested_count for method, total in tested.items()},
    )


def table(scores: Scores) -> str:
    rows = ["method       MAE 1–30   ×oracle   MAE 5–20   ×oracle"]
    wide, narrow = scores.ratios(scores.all_reps), scores.ratios(scores.tested_reps)
    for method in METHODS:
        rows.append(
            f"{method:<10} {scores.all_reps[method]:>9.3f} {wide[method]:>9.2f}"
            f" {scores.tested_reps[method]:>10.3f} {narrow[method]:>9.2f}"
        )
    return "\n".join(rows)


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    parser.add_argument("--lifters", type=int, default=4000, help="simulated lifters (4000)")
    parser.add_argument("--sets", type=int, default=40, help="new sets scored per lifter (40)")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (2022)")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    args = build_parser(prog).parse_args(argv)
    if args.lifters < 1 or args.sets < 1:
        print("--lifters and --sets must be at least 1", file=sys.stderr)
        return 2
    scores = run(args.lifters, args.sets, args.seed)
    ratio = scores.ratios(scores.tested_reps)["rep-aware"]
    met = math.isfinite(ratio) and ratio <= TARGET
    print(
        f"{args.lifters} lifters × 5 RIR tests over 5–20 reps, {args.sets} new sets each "
        f"(seed {args.seed}); distance growth {DISTANCE_GROWTH} per RIR"
    )
    print(table(scores))
    verdict = "met" if met else "MISSED"
    print(f"target: rep-aware ≤ {TARGET}× the oracle over 5–20 reps: {ratio:.2f}× — {verdict}")
    if args.json:
        document = {
            "benchmark": "calibration-reps",
            "settings": {"lifters": args.lifters, "sets": args.sets, "seed": args.seed},
            "mae_1_30": scores.all_reps,
            "ratio_1_30": scores.ratios(scores.all_reps),
            "mae_5_20": scores.tested_reps,
            "ratio_5_20": scores.ratios(scores.tested_reps),
            "target": TARGET,
            "met": met,
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main(prog="python -m bench.calibration_reps"))

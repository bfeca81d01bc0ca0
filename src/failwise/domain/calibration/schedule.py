"""When and where to test a lifter's RIR calls next (:func:`next_test`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from failwise.domain.calibration.model import (
    MAX_UNCERTAINTY,
    MIN_TESTS,
    RETEST_AFTER,
    Calibration,
    Verdict,
)
from failwise.domain.context import Phase
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, InjuryRisk

# --- when and where to test next -------------------------------------------------


@dataclass(frozen=True, slots=True)
class TestPlan:
    """Whether to run an RIR test today, on which exercise, and why."""

    __test__ = False  # a plan, not a pytest test class

    due: bool
    exercise: Exercise | None
    """The exercise to test on; ``None`` when no test should be done today."""
    reason: str


def _is_machine(exercise: Exercise) -> bool:
    return exercise.fixed_path or exercise.equipment is Equipment.MACHINE


def is_safe_to_test(exercise: Exercise, *, spotter: bool) -> bool:
    """Whether an RIR test (a set taken to failure) is safe on this exercise.

    Machine (fixed path) and isolation exercises are; anything else only with
    a spotter; an exercise with a high injury risk at fatigue never is, and
    neither is one that can pin a lifter who is alone.
    """
    if exercise.injury_risk is InjuryRisk.HIGH:
        return False
    if spotter:
        return True
    if exercise.needs_spotter:
        return False
    return exercise.is_isolation or _is_machine(exercise)


def _test_preference(exercise: Exercise) -> tuple[int, int]:
    # Isolation on a machine first: failure there is safe and cheap to recover
    # from (the article's "isolation" and "machine" rules).
    kind = (not exercise.is_isolation) * 2 + (not _is_machine(exercise))
    risk = 0 if exercise.injury_risk is InjuryRisk.LOW else 1
    return (kind, risk)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def next_test(
    calibration: Calibration,
    *,
    last_test_on: date | None,
    today: date,
    candidates: Sequence[Exercise],
    spotter: bool,
    phase: Phase,
    fatigued: bool,
) -> TestPlan:
    """Whether to test the lifter's RIR calls today, and on which of ``candidates``.

    A test is due with fewer than :data:`MIN_TESTS` deliberate tests (calls the
    history checks count in the estimate, not here), while the calls
    scatter (:attr:`Verdict.INCONSISTENT`), while the correction is less
    certain than :data:`MAX_UNCERTAINTY`, or
    :data:`RETEST_AFTER` since the last test (``last_test_on``, else the
    latest dated test). Never in a deload or under accumulated fatigue, and
    only on an exercise :func:`is_safe_to_test`; isolation and machine
    exercises are preferred.
    """
    last = last_test_on if last_test_on is not None else calibration.last_tested_on
    if last is not None and last > today:
        raise InvalidInput(
            f"the last test ({last.isoformat()}) is after today ({today.isoformat()})"
        )
    why = _why_due(calibration, last, today)
    if why is None:
        assert last is not None  # only a dated, recent test makes a test not due
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"Not due: {_plural(calibration.tests, 'test')}, correction "
                f"±{calibration.uncertainty:.1f} reps; next test from "
                f"{(last + RETEST_AFTER).isoformat()}."
            ),
        )
    held = _held_back(why, phase=phase, fatigued=fatigued)
    if held is not None:
        return held
    return _plan_on(why, candidates, spotter=spotter)


def _why_due(calibration: Calibration, last: date | None, today: date) -> str | None:
    """Why a test is due, in the lifter's words; ``None`` when none is."""
    # Calls the history checks count in the estimate, at half a test each, but not
    # toward the deliberate tests: each says only at least how many reps were left.
    deliberate = calibration.tests - calibration.history_tests
    if deliberate < MIN_TESTS:
        checked = (
            f" (and {_plural(calibration.history_tests, 'call')} your history checks)"
            if calibration.history_tests
            else ""
        )
        return (
            f"You have {_plural(deliberate, 'RIR test')}{checked}; "
            f"{MIN_TESTS} are needed before your correction can be trusted"
        )
    if calibration.verdict is Verdict.INCONSISTENT:
        return (
            f"Your calls scatter (SD {calibration.scatter or 0.0:.1f} reps over "
            f"{calibration.tests} tests): test again to see whether they settle"
        )
    if calibration.uncertainty > MAX_UNCERTAINTY:
        return f"Your correction is still uncertain (±{calibration.uncertainty:.1f} reps)"
    if last is None:
        return "None of your tests is dated, so there is no telling whether they are current"
    if today - last >= RETEST_AFTER:
        return (
            f"Your last test was {_plural((today - last).days, 'day')} ago: "
            "RIR calls change as you gain experience, so retest every 4 weeks"
        )
    return None


def _plan_on(why: str, candidates: Sequence[Exercise], *, spotter: bool) -> TestPlan:
    """A due test on the safest of ``candidates``, or none when no candidate is safe."""
    safe = [exercise for exercise in candidates if is_safe_to_test(exercise, spotter=spotter)]
    if not safe:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but none of today's exercises is safe to take to failure"
                + ("" if spotter else " alone")
                + ": test on a machine or isolation exercise"
                + ("." if spotter else ", or with a spotter.")
            ),
        )
    chosen = min(safe, key=_test_preference)
    return TestPlan(
        due=True,
        exercise=chosen,
        reason=(
            f"{why}. Test on {chosen.name}: on one working set, call your RIR at the rep "
            "where you would normally stop, then keep going to failure and log both."
        ),
    )


def _held_back(why: str, *, phase: Phase, fatigued: bool) -> TestPlan | None:
    """The plan that puts off a due test in a deload or under fatigue; ``None`` otherwise."""
    if phase is Phase.DELOAD:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but not in a deload week: a test goes to failure and a deload "
                "keeps every set easy. Test the week after."
            ),
        )
    if fatigued:
        return TestPlan(
            due=False,
            exercise=None,
            reason=(
                f"{why}, but not under accumulated fatigue: failure now digs the hole "
                "deeper, and a tired lifter's calls are not their usual ones. "
                "Test once you have recovered."
            ),
        )
    return None

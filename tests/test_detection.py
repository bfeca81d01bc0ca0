"""Accumulated-fatigue detection from a lifter's history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from failwise.domain.detection import (
    DailyRating,
    LoggedSet,
    Recommendation,
    detect_accumulated_fatigue,
)
from failwise.domain.errors import InvalidInput
from failwise.services.catalog import builtin_catalog

catalog = builtin_catalog()
SQUAT = catalog.resolve("Squat (Barbell)")
BENCH = catalog.resolve("Bench Press (Barbell)")
START = datetime(2026, 1, 5, 18, 0)


def week(n: int, day: int = 0) -> datetime:
    return START + timedelta(weeks=n, days=day)


def steady(weeks: int, load: float = 100.0) -> list[LoggedSet]:
    """Twice-weekly squat and bench at a steady 5 × load @ RIR 2, with a little noise."""
    sets = []
    for n in range(weeks):
        for day, wobble in ((0, 0.0), (3, 2.5 if n % 2 else 0.0)):
            for exercise in (SQUAT, BENCH):
                sets.append(LoggedSet(week(n, day), exercise, load + wobble, 5, 2.0, target_reps=5))
    return sets


def test_a_steady_lifter_carries_on() -> None:
    verdict = detect_accumulated_fatigue(steady(8), at=week(8))
    assert verdict.recommendation is Recommendation.CARRY_ON
    assert not verdict.fatigued and verdict.evidence == ()


def test_falling_e1rm_beyond_noise_is_one_signal() -> None:
    history = [
        *steady(6),
        LoggedSet(week(6, 0), SQUAT, 90.0, 5, 2.0),
        LoggedSet(week(6, 3), SQUAT, 88.0, 5, 2.0),
    ]
    verdict = detect_accumulated_fatigue(history, at=week(6, 4))
    assert verdict.signals == ("e1rm-drop",)
    assert verdict.recommendation is Recommendation.AVOID_FAILURE
    assert verdict.fatigued
    assert "Squat (Barbell)" in verdict.evidence[0].text


def test_the_same_work_rated_harder_is_rpe_drift() -> None:
    history = [*steady(6), LoggedSet(week(6, 1), BENCH, 100.0, 5, 0.5)]
    verdict = detect_accumulated_fatigue(history, at=week(6, 2))
    assert "rpe-drift" in verdict.signals
    assert "RPE 9.5" in next(e.text for e in verdict.evidence if e.signal == "rpe-drift")


def test_missed_targets_and_poor_readiness_together_mean_deload() -> None:
    history = [
        *steady(6),
        LoggedSet(week(6, 0), SQUAT, 100.0, 3, 0.0, target_reps=5),
        LoggedSet(week(6, 0), BENCH, 100.0, 4, 0.0, target_reps=5),
    ]
    ratings = [DailyRating(date(2026, 1, 20) + timedelta(days=n), 4, 4, 4) for n in range(20)]
    ratings += [DailyRating(week(6).date() - timedelta(days=n), 2, 2, 3) for n in range(3)]
    verdict = detect_accumulated_fatigue(
        history, at=week(6, 0) + timedelta(hours=2), ratings=ratings
    )
    assert {"missed-reps", "readiness"} <= set(verdict.signals)
    assert verdict.recommendation is Recommendation.DELOAD


def test_one_noisy_session_within_the_usual_swing_is_not_fatigue() -> None:
    history = [*steady(6), LoggedSet(week(6, 0), SQUAT, 98.0, 5, 2.0)]
    verdict = detect_accumulated_fatigue(history, at=week(6, 1))
    assert "e1rm-drop" not in verdict.signals


def test_too_little_history_is_no_verdict_against_the_lifter() -> None:
    verdict = detect_accumulated_fatigue([], at=START)
    assert verdict.recommendation is Recommendation.NOT_ENOUGH_HISTORY
    assert not verdict.fatigued and not verdict.judged
    assert verdict.summary == "Not enough history yet to judge fatigue (0 of 3 sessions)."


def missed_session(day: int) -> list[LoggedSet]:
    """A session of squats whose every set fell two reps short of its 5."""
    return [LoggedSet(START + timedelta(days=day), SQUAT, 100.0, 3, 0.0, target_reps=5)] * 3


def test_a_lifter_on_their_first_day_is_not_told_of_accumulated_fatigue() -> None:
    # Every set missed its target: on day one that is a first guess at the load.
    verdict = detect_accumulated_fatigue(missed_session(0), at=START + timedelta(hours=1))
    assert not verdict.fatigued and verdict.evidence == ()
    assert verdict.summary == "Not enough history yet to judge fatigue (1 of 3 sessions)."


def test_after_three_sessions_of_missed_reps_the_warning_shows() -> None:
    # Three sessions is the fewest the e1RM signal can judge: two for the usual, one to compare.
    history: list[LoggedSet] = []
    for n, day in enumerate((0, 2, 4), start=1):
        history += missed_session(day)
        verdict = detect_accumulated_fatigue(history, at=START + timedelta(days=day, hours=1))
        assert verdict.sessions == n
        assert verdict.fatigued is (n == 3)
    assert verdict.signals == ("missed-reps",)
    assert verdict.summary.startswith("One sign of accumulated fatigue")


def test_sessions_are_training_days_in_the_eight_weeks_read() -> None:
    # Sets long before the window count for nothing, however many there were.
    old = [s for day in range(0, 9, 2) for s in missed_session(day)]
    verdict = detect_accumulated_fatigue([*old, *missed_session(80)], at=week(11, 4))
    assert verdict.recommendation is Recommendation.NOT_ENOUGH_HISTORY
    assert verdict.sessions == 1


def test_invalid_logged_values_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="load must be a positive number"):
        LoggedSet(START, SQUAT, -5.0, 5)
    with pytest.raises(InvalidInput, match="reps must be at least 1"):
        LoggedSet(START, SQUAT, 100.0, 0)
    with pytest.raises(InvalidInput, match="sleep rating must be 1 to 5"):
        DailyRating(date(2026, 1, 1), sleep=7)

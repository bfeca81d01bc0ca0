"""History analysis: inferred RIR, the proximity profile, rule breaks, volume, trends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.analysis import HistorySet, analyse, infer_rir, rir_bucket
from failwise.domain.decision import FailurePolicy
from failwise.domain.exercises import Muscle
from failwise.domain.strength import chart_percent, reps_to_failure_at
from failwise.services.catalog import builtin_catalog

catalog = builtin_catalog()
SQUAT = catalog.resolve("Squat (Barbell)")
CURL = catalog.resolve("Bicep Curl (Cable)")
START = datetime(2026, 1, 5, 18, 0)


def session(
    day: int, exercise: object, load: float, reps: list[int], **extra: object
) -> list[HistorySet]:
    return [
        HistorySet(
            START + timedelta(days=day, minutes=3 * n),
            exercise,
            load,
            r,  # type: ignore[arg-type]
            workout=f"w{day}",
            **extra,  # type: ignore[arg-type]
        )
        for n, r in enumerate(reps)
    ]


@given(st.floats(min_value=1, max_value=40))
def test_reps_to_failure_at_inverts_the_chart(rtf: float) -> None:
    assert reps_to_failure_at(chart_percent(rtf)) == pytest.approx(rtf, abs=1e-3)


def test_inferred_rir_reads_against_the_best_recent_effort() -> None:
    # A 5RM-ish top set at 140, then back-off sets at 120 for 5: well short of failure.
    history = session(0, SQUAT, 140, [5]) + session(0, SQUAT, 120, [5, 5])
    inferred = infer_rir(history)
    assert inferred[0].rir_inferred == 0.0  # the capacity-setting set
    assert inferred[1].rir_inferred is not None and 3.0 <= inferred[1].rir_inferred <= 5.0
    # A logged RIR is never overwritten.
    logged = infer_rir([*session(0, SQUAT, 140, [5], rir=2.0)])
    assert logged[0].rir_inferred is None and logged[0].effort == 2.0


def test_capacity_forgets_old_bests() -> None:
    history = session(0, SQUAT, 160, [5]) + session(60, SQUAT, 120, [5])
    assert infer_rir(history)[1].rir_inferred == 0.0  # 60 days later, 160 is out of the window


def test_analysis_keeps_logged_and_inferred_apart_and_finds_rule_breaks() -> None:
    history = (
        session(0, SQUAT, 140, [5, 5, 5], rir=0.0)  # heavy compound to failure: breaks rules
        + session(0, CURL, 30, [12, 12, 12])  # no logged effort: inferred
        + session(7, SQUAT, 140, [5, 5, 5], rir=2.0)
        + session(7, CURL, 30, [12, 11, 10], to_failure=True)  # isolation to failure: fine
    )
    report = analyse(history)
    assert report.working_sets == 12 and report.workouts == 2
    heavy = report.profiles["heavy-compound"]
    assert heavy.logged["0"] == 3 and heavy.logged["2"] == 3 and sum(heavy.inferred.values()) == 0
    iso = report.profiles["isolation"]
    assert sum(iso.logged.values()) == 3 and sum(iso.inferred.values()) == 3
    assert report.logged_share == pytest.approx(9 / 12)
    squat_breaks = [b for b in report.rule_breaks if b.exercise is SQUAT]
    assert len(squat_breaks) == 3
    assert all(
        b.failure is FailurePolicy.AVOID and "heavy-compound" in b.rules for b in squat_breaks
    )
    assert all(b.extra_recovery_hours > 0 for b in squat_breaks)
    assert report.extra_recovery_hours == pytest.approx(
        sum(b.extra_recovery_hours for b in report.rule_breaks)
    )
    first_week = report.weekly_volume[0]
    assert first_week.sets[Muscle.QUADS] == 3.0 and first_week.sets[Muscle.BICEPS] == 3.0
    assert first_week.zone(Muscle.QUADS) == "below-mev"
    assert next(iter(report.e1rm_trends)) == "Squat (Barbell)"
    assert len(report.fatigue_by_week) == 2
    assert report.failure_curve[0] == (0.0, pytest.approx(25.0))


def test_empty_history() -> None:
    report = analyse([])
    assert report.sets == 0 and report.first is None and report.profiles == {}


def test_buckets() -> None:
    assert [rir_bucket(r) for r in (0, 0.5, 1, 2, 3, 4, 5, 6, 9)] == [
        "0",
        "1",
        "1",
        "2",
        "3",
        "4-5",
        "4-5",
        "6+",
        "6+",
    ]


def test_a_lifter_who_never_logged_effort_does_not_look_as_if_they_trained_to_failure() -> None:
    # The same 3 × 5 at 140 every week, never logged: every set equals the
    # best recent effort, so each is inferred at RIR 0 — a floor of 0, which
    # says nothing. Averaged, it read "heavy compounds: RIR 0.0".
    history = [s for week in range(4) for s in session(7 * week, SQUAT, 140, [5, 5, 5])]
    heavy = analyse(history).profiles["heavy-compound"]
    assert heavy.mean_inferred is None  # floors are never averaged
    assert heavy.mean_logged is None and sum(heavy.logged.values()) == 0
    assert heavy.inferred_at_least == {"0": 12, "1": 0, "2": 0, "3": 0, "4": 0, "6": 0}


def test_inferred_floors_are_counted_as_at_least_ranges() -> None:
    # 5 at 140 sets the capacity: 140 / 0.863 = 162.2 kg (a 5RM is 86.3% of
    # 1RM on the RTS chart). 5 at 120 (74.0%) is about a 10RM: at least 5 in
    # reserve; 5 at 100 (61.6%) about a 14RM: at least 9.
    history = (
        session(0, SQUAT, 140, [5]) + session(0, SQUAT, 120, [5]) + session(0, SQUAT, 100, [5])
    )
    heavy = analyse(history).profiles["heavy-compound"]
    assert heavy.inferred_at_least == {"0": 1, "1": 0, "2": 0, "3": 0, "4": 1, "6": 1}
    assert heavy.mean_inferred is None

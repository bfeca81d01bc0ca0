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

"""The fatigue verdict week after week, read in one pass, is the verdict of each week read
on its own: ``detect_accumulated_fatigue`` on the eight weeks before each week's end."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failwise.domain.analysis import HistorySet, analyse
from failwise.domain.detection import (
    BASELINE,
    LoggedSet,
    Recommendation,
    detect_accumulated_fatigue,
)
from failwise.domain.weekly_fatigue import weekly_recommendations
from failwise.services.catalog import builtin_catalog

catalog = builtin_catalog()
LIFTS = [
    catalog.resolve(name)
    for name in ("Squat (Barbell)", "Bench Press (Barbell)", "Bicep Curl (Cable)")
]
# A Monday: sets at exactly a Monday's 00:00 end one week's window and open the next.
START = datetime(2026, 1, 5)


def week_by_week(sets: Sequence[LoggedSet], first: date, last: date) -> list[Recommendation]:
    """Each week's verdict read on its own, from the sets of its eight weeks."""
    ordered = sorted(sets, key=lambda s: s.performed_at)
    times = [s.performed_at for s in ordered]
    verdicts = []
    week = first - timedelta(days=first.weekday())
    while week <= last:
        at = datetime.combine(week + timedelta(days=7), time())
        low = bisect.bisect_left(times, at - BASELINE)
        high = bisect.bisect_right(times, at)
        verdicts.append(detect_accumulated_fatigue(ordered[low:high], at).recommendation)
        week += timedelta(days=7)
    return verdicts


# Sets on a few days of about four months, often at 00:00 (a window's edge), with loads
# that repeat (and two that round to the same 0.1 kg), so the same work recurs.
a_set = st.builds(
    lambda day, minutes, lift, load, reps, rir: LoggedSet(
        START + timedelta(days=day, minutes=minutes), LIFTS[lift], load, reps, rir
    ),
    st.integers(0, 120),
    st.sampled_from([0, 0, 0, 30, 18 * 60, 23 * 60 + 59]),
    st.integers(0, len(LIFTS) - 1),
    st.sampled_from([60.0, 80.0, 95.0, 100.0, 100.04, 100.06, 105.0, 110.0]),
    st.integers(1, 8),
    st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0])),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(a_set, max_size=200))
def test_the_verdicts_in_one_pass_are_each_weeks_own(sets: list[LoggedSet]) -> None:
    first, last = START.date() - timedelta(days=3), START.date() + timedelta(days=130)
    found = weekly_recommendations(
        ((s.performed_at, s.exercise.id, s.load, s.reps, s.rir) for s in sets), first, last
    )
    assert [verdict for _, verdict in found] == week_by_week(sets, first, last)
    assert [week for week, _ in found] == [
        START.date() - timedelta(weeks=1) + timedelta(weeks=n) for n in range(len(found))
    ]


def steady_then_failing(weeks: int) -> list[HistorySet]:
    """Squat three days a week at 5 × 140 @ RIR 2, then, in the last two weeks, 5 × 120
    called RIR 0: a weight the lifter called RIR 2 in week 4 (two extra sessions)."""
    squat = LIFTS[0]
    sets = []
    for week in range(weeks):
        late = week >= weeks - 2
        for day in (0, 2, 4):
            for n in range(3):
                sets.append(
                    HistorySet(
                        START + timedelta(weeks=week, days=day, hours=18, minutes=3 * n),
                        squat,
                        120.0 if late else 140.0,
                        5,
                        0.0 if late else 2.0,
                        workout=f"{week}-{day}",
                    )
                )
    sets += [
        HistorySet(START + timedelta(days=day, hours=17), squat, 120.0, 5, 2.0, workout=str(day))
        for day in (22, 24)
    ]
    return sets


def test_a_lifter_grinding_down_is_told_to_deload_in_the_weeks_it_shows() -> None:
    history = steady_then_failing(10)
    report = analyse(history)
    verdicts = dict(report.fatigue_by_week)
    assert verdicts[START.date()] is Recommendation.CARRY_ON
    # Strength down and the same 5 × 120 called harder: two signs, a deload.
    assert verdicts[START.date() + timedelta(weeks=8)] is Recommendation.DELOAD
    logged = [LoggedSet(s.performed_at, s.exercise, s.load, s.reps, s.known_rir) for s in history]
    assert [v for _, v in report.fatigue_by_week] == week_by_week(
        logged, START.date(), max(s.performed_at for s in history).date()
    )

"""The history analysis as it read a history before it read one set at a time: every
working set held in lists, each week's fatigue verdict read on its own from its eight
weeks. Kept as the reference the one-pass analysis must agree with
(``tests/test_analysis_one_pass.py``)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from failwise.domain.analysis import (
    AT_LEAST_BUCKETS,
    RIR_BUCKETS,
    Corrector,
    HistoryAnalysis,
    HistorySet,
    Profile,
    RuleBreak,
    WeekVolume,
    at_least_bucket,
    infer_rir,
    rir_bucket,
)
from failwise.domain.calibration import RirCorrector
from failwise.domain.context import SetContext, movement_of, weekly_frequency_on
from failwise.domain.decision import FailurePolicy, prescribe
from failwise.domain.detection import LoggedSet, Recommendation, detect_accumulated_fatigue
from failwise.domain.exercises import Exercise, Muscle, class_of
from failwise.domain.fatigue import proximity_cost, set_cost
from failwise.domain.session import set_e1rm, uncorrected
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT


def _uncorrected(_: Exercise) -> RirCorrector:
    return uncorrected


def _profile(items: Sequence[HistorySet]) -> Profile:
    logged = dict.fromkeys(RIR_BUCKETS, 0)
    inferred = dict.fromkeys(RIR_BUCKETS, 0)
    at_least = dict.fromkeys(AT_LEAST_BUCKETS, 0)
    logged_values: list[float] = []
    for item in items:
        known = item.known_rir
        if known is not None:
            logged[rir_bucket(known)] += 1
            logged_values.append(known)
        elif item.rir_inferred is not None:
            inferred[rir_bucket(item.rir_inferred)] += 1
            at_least[at_least_bucket(item.rir_inferred)] += 1
    return Profile(
        logged=logged,
        inferred=inferred,
        mean_logged=sum(logged_values) / len(logged_values) if logged_values else None,
        mean_inferred=None,
        inferred_at_least=at_least,
    )


def _monday(moment: datetime) -> date:
    return moment.date() - timedelta(days=moment.weekday())


def _rule_breaks(working: Sequence[HistorySet]) -> list[RuleBreak]:
    sessions: dict[tuple[str, str], list[HistorySet]] = defaultdict(list)
    for item in working:
        sessions[(item.workout or item.performed_at.date().isoformat(), item.exercise.id)].append(
            item
        )
    # The plan's high-frequency count: days a week the same movement (the exercise) was done.
    days_by_movement: dict[str, list[date]] = defaultdict(list)
    for item in working:
        days_by_movement[movement_of(item.exercise)].append(item.performed_at.date())
    for days in days_by_movement.values():
        days.sort()
    breaks = []
    for session in sessions.values():
        total = len(session)
        for number, item in enumerate(session, start=1):
            # Only failure the lifter logged counts: an inferred RIR is a floor
            # (capacity is a lower bound), too weak to call a set a failure.
            if item.known_rir != 0.0:
                continue
            days = days_by_movement[movement_of(item.exercise)]
            frequency = weekly_frequency_on(days, item.performed_at.date())
            decision = prescribe(
                SetContext(
                    exercise=item.exercise,
                    set_number=number,
                    total_sets=total,
                    weekly_frequency=frequency,
                    # A history does not say who trained alone: a set is only
                    # called a rule break for what is known about it.
                    spotter=True,
                )
            )
            if decision.failure is FailurePolicy.GO:
                continue
            stop = decision.target_rir.low
            failed = set_cost(item.reps, 0.0, exercise=item.exercise)
            short_reps = max(1, item.reps - int(stop))
            short = set_cost(short_reps, stop, exercise=item.exercise)
            breaks.append(
                RuleBreak(
                    performed_at=item.performed_at,
                    exercise=item.exercise,
                    load=item.load,
                    reps=item.reps,
                    failure=decision.failure,
                    rules=tuple(reason.rule for reason in decision.deciding),
                    extra_recovery_hours=max(0.0, failed.recovery_hours - short.recovery_hours),
                )
            )
    breaks.sort(key=lambda b: b.performed_at)
    return breaks


def _weekly_volume(working: Sequence[HistorySet]) -> list[WeekVolume]:
    weeks: dict[date, dict[Muscle, float]] = defaultdict(lambda: defaultdict(float))
    for item in working:
        week = weeks[_monday(item.performed_at)]
        for muscle in item.exercise.primary:
            week[muscle] += 1.0
        for muscle in item.exercise.secondary:
            week[muscle] += INDIRECT_SET_WEIGHT
    return [WeekVolume(week, dict(sets)) for week, sets in sorted(weeks.items())]


def _e1rm_trends(
    working: Sequence[HistorySet], main_lifts: int, corrector: Corrector
) -> dict[str, list[tuple[date, float]]]:
    best: dict[str, dict[date, float]] = defaultdict(dict)
    for item in working:
        if item.load <= 0:
            continue
        # The e1RM every view shows: the called RIR corrected, no RIR a lower bound.
        value = set_e1rm(
            item.load,
            item.reps,
            item.rir,
            to_failure=item.to_failure,
            corrected=corrector(item.exercise),
        )
        days = best[item.exercise.name]
        day = item.performed_at.date()
        days[day] = max(days.get(day, 0.0), value)
    heavy = {item.exercise.name for item in working if item.exercise.heavy_compound}
    ranked = sorted(best, key=lambda name: (name not in heavy, -len(best[name]), name))
    return {name: sorted(best[name].items()) for name in ranked[:main_lifts]}


def _fatigue_by_week(working: Sequence[HistorySet]) -> list[tuple[date, Recommendation]]:
    if not working:
        return []
    logged = [
        LoggedSet(item.performed_at, item.exercise, item.load, item.reps, item.known_rir)
        for item in working
        if item.load > 0
    ]
    logged.sort(key=lambda s: s.performed_at)
    times = [s.performed_at for s in logged]
    verdicts = []
    week = _monday(working[0].performed_at)
    end = working[-1].performed_at.date()
    while week <= end:
        at = datetime.combine(week + timedelta(days=7), datetime.min.time())
        low = bisect.bisect_left(times, at - timedelta(weeks=8))
        high = bisect.bisect_right(times, at)
        verdict = detect_accumulated_fatigue(logged[low:high], at)
        verdicts.append((week, verdict.recommendation))
        week += timedelta(days=7)
    return verdicts


def analyse(
    sets: Sequence[HistorySet], *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """Read a history (RIR inferred where it was not logged) through the article.

    ``corrector`` gives, for an exercise, the lifter's map from a called RIR to
    the true one (their calibration): the e1RM trends then match every other
    view of the lifter's e1RM (:func:`failwise.domain.session.set_e1rm`).
    """
    ordered = sorted(infer_rir(sets), key=lambda s: s.performed_at)
    working = [s for s in ordered if s.working and s.reps >= 1]
    by_class: dict[str, list[HistorySet]] = defaultdict(list)
    for item in working:
        by_class[class_of(item.exercise).group].append(item)
    breaks = _rule_breaks(working)
    logged = sum(1 for s in working if s.known_rir is not None)
    return HistoryAnalysis(
        sets=len(ordered),
        working_sets=len(working),
        workouts=len({s.workout or s.performed_at.date().isoformat() for s in ordered}),
        first=ordered[0].performed_at if ordered else None,
        last=ordered[-1].performed_at if ordered else None,
        logged_share=logged / len(working) if working else 0.0,
        profiles={name: _profile(items) for name, items in sorted(by_class.items())},
        rule_breaks=tuple(breaks),
        extra_recovery_hours=sum(b.extra_recovery_hours for b in breaks),
        weekly_volume=tuple(_weekly_volume(working)),
        e1rm_trends=_e1rm_trends(working, main_lifts, corrector or _uncorrected),
        fatigue_by_week=tuple(_fatigue_by_week(working)),
        failure_curve=tuple((rir / 2, proximity_cost(rir / 2)) for rir in range(0, 13)),
    )

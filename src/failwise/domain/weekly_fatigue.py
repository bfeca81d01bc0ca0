"""The accumulated-fatigue verdict week after week, over a whole history read once.

:func:`~failwise.domain.detection.detect_accumulated_fatigue` judges one moment from the
eight weeks before it. A history's analysis asks it for every week of years of training:
:class:`WeeklyFatigue` keeps each day's and each week's summaries as the sets are given
(as columns, or one at a time) and slides the eight-week window over them, giving the
verdict each week would get, to the same numbers.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from failwise.domain.columns import distinct, range_maxima
from failwise.domain.detection import (
    BASELINE,
    DEFAULT_E1RM_NOISE,
    MIN_E1RM_DROP,
    MIN_SESSIONS,
    RECENT,
    Recommendation,
)
from failwise.domain.effort import validate_rir
from failwise.domain.strength import estimate_e1rm

TrainingSet = tuple[datetime, str, float, int, float | None]
"""A working set as :func:`weekly_recommendations` reads it: when, the exercise's id, load
(> 0), reps (>= 1) and the RIR the lifter called (None when not logged)."""


@functools.lru_cache(maxsize=1 << 16)
def _e1rm(load: float, reps: int, rir: float) -> float:
    # A history repeats its sets (3 × 5 at 140 kg, week after week): each distinct one once.
    return estimate_e1rm(load, reps, rir)


def _drops(earlier: Sequence[float], recent: Sequence[float]) -> bool:
    """Whether :func:`_e1rm_drops` finds a drop in one exercise's session bests."""
    if not recent or len(earlier) < 2:
        return False
    baseline = statistics.median(earlier[-3:])
    latest = statistics.fmean(recent[-2:])
    drop = 1.0 - latest / baseline
    # The threshold is never below MIN_E1RM_DROP: the lifter's noise is only read above it.
    if not drop > MIN_E1RM_DROP:
        return False
    if len(earlier) < 4:
        return drop > max(2.0 * DEFAULT_E1RM_NOISE, MIN_E1RM_DROP)
    changes = [b / a - 1.0 for a, b in itertools.pairwise(earlier)]
    # statistics.stdev is exact (a correctly rounded square root of the exact variance)
    # and slow; two passes in floats are within a few parts in 10^15 of it. Where that
    # cannot change the answer (nearly always), it stands; else the exact one decides.
    mean = math.fsum(changes) / len(changes)
    rough = math.sqrt(math.fsum((c - mean) ** 2 for c in changes) / (len(changes) - 1))
    if abs(drop - 2.0 * rough) > 1e-9 * drop:
        return drop > 2.0 * rough
    return drop > max(2.0 * statistics.stdev(changes), MIN_E1RM_DROP)


Work = tuple[str, int, float]
"""The same work: an exercise's id, reps and load (to 0.1 kg), as :func:`_rpe_drift` keys it."""


@dataclass(frozen=True, slots=True)
class _CallColumns:
    """Calls given as columns: each week's hardest and easiest call of each work."""

    works: list[Work]
    work: npt.NDArray[np.intp]
    """Each entry's work, as its index in :attr:`works`."""
    week: npt.NDArray[np.int64]
    hardest: npt.NDArray[np.float64]
    easiest: npt.NDArray[np.float64]


def _drifting_weeks(
    calls: dict[int, dict[Work, tuple[float, float]]],
    columns: Sequence[_CallColumns],
    midnight_calls: dict[int, dict[Work, float]],
) -> set[int]:
    """The weeks in which :func:`_rpe_drift` finds the same work rated harder in the window
    ending with the week: its last two weeks (and the calls done at the window's end, the
    next Monday's 00:00) against the six before, from each week's hardest and easiest call
    of each work. The work's easiest recent call and its hardest earlier one decide: one
    is a rep harder than the other exactly when some pair of calls is."""
    weeks: list[int] = []
    works: list[Work] = []
    found: list[tuple[float, float]] = []
    for number, done in calls.items():
        weeks.extend([number] * len(done))
        works.extend(done)
        found.extend(done.values())
    # A call at a Monday's 00:00 closes the window of the week before.
    closing_weeks: list[int] = []
    closing_works: list[Work] = []
    closing: list[float] = []
    for day, at_midnight in midnight_calls.items():
        closing_weeks.extend([(day - 1) // 7 - 1] * len(at_midnight))
        closing_works.extend(at_midnight)
        closing.extend(at_midnight.values())
    if not found and not any(len(c.week) for c in columns):
        return set()
    numbers: dict[Work, int] = {}

    def numbered(listed: Sequence[Work]) -> npt.NDArray[np.int64]:
        for work in dict.fromkeys(listed):
            if work not in numbers:
                numbers[work] = len(numbers)
        return np.fromiter(map(numbers.__getitem__, listed), dtype=np.int64, count=len(listed))

    pairs = np.array(found, dtype=np.float64).reshape(-1, 2)
    work = np.concatenate(
        [numbered(works)] + [numbered(c.works)[c.work] for c in columns] + [numbered(closing_works)]
    )
    week_of = np.concatenate(
        [np.array(weeks, dtype=np.int64)]
        + [c.week for c in columns]
        + [np.array(closing_weeks, dtype=np.int64)]
    )
    hardest = np.concatenate([pairs[:, 0]] + [c.hardest for c in columns])
    easiest = np.concatenate(
        [pairs[:, 1]] + [c.easiest for c in columns] + [np.array(closing, dtype=np.float64)]
    )
    stored = len(hardest)
    base = int(week_of.min()) - 8
    span = int(week_of.max()) - base + 8
    # Each week's easiest call of a work counts in the window of that week and the next
    # (a call at a Monday's 00:00, only in the window it closes).
    recent = np.concatenate(
        ((work * span + week_of - base), (work[:stored] * span + week_of[:stored] + 1 - base))
    )
    lows, to_low = np.unique(recent, return_inverse=True)
    lowest = np.full(len(lows), np.inf)
    np.minimum.at(lowest, to_low.reshape(-1), np.concatenate((easiest, easiest[:stored])))
    # Against the hardest call of the same work in the six weeks before the last two.
    keys = work[:stored] * span + week_of[:stored] - base
    order = np.argsort(keys, kind="stable")
    keys, hardest = keys[order], hardest[order]
    starts = np.searchsorted(keys, lows - 7, side="left")
    ends = np.searchsorted(keys, lows - 2, side="right") - 1
    some = np.flatnonzero(starts <= ends)
    harder = range_maxima(hardest, starts[some], ends[some]) - lowest[some] >= 1.0
    return set((lows[some[harder]] % span + base).tolist())


class WeeklyFatigue:
    """The verdict on each week, as :func:`detect_accumulated_fatigue` gives it at the
    week's end (the next Monday, 00:00) from the sets alone (no ratings, no target reps),
    with every set read once (:meth:`add`, in any order).

    The windows of consecutive weeks overlap by seven weeks of their eight, so no set is
    read eight times: each adds to its day's best e1RM on its exercise and to its week's
    hardest and easiest call of the same work, and each week's verdict is read from
    those as the window slides (:meth:`verdicts`). A set done at exactly a Monday's
    00:00 is inside the window of the week before (which ends at that moment, included),
    so those also count apart. What it holds grows with the days trained, not the sets.
    """

    def __init__(self) -> None:
        # The day's best e1RM per exercise (a whole day lies in or out of every window)...
        self._bests: dict[str, dict[int, float]] = defaultdict(dict)
        # ... and the best of the sets done at its 00:00 (a Monday's, at a window's end).
        self._midnight_bests: dict[int, dict[str, float]] = defaultdict(dict)
        # Each week's hardest (highest RIR) and easiest call of the same work.
        self._calls: dict[int, dict[Work, tuple[float, float]]] = defaultdict(dict)
        self._midnight_calls: dict[int, dict[Work, float]] = defaultdict(dict)
        self._exercises: dict[int, set[str]] = defaultdict(set)
        self._trained: set[int] = set()
        self._called: set[float] = set()
        # What add_columns was given, kept as columns (verdicts reads both kinds): each
        # exercise's days and best e1RMs on them, and each week's calls of each work.
        self._column_bests: dict[str, list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]]
        self._column_bests = defaultdict(list)
        self._column_calls: list[_CallColumns] = []

    def add(
        self,
        performed_at: datetime,
        exercise: str,
        load: float,
        reps: int,
        rir: float | None,
        e1rm: float | None = None,
    ) -> None:
        """A working set: when, the exercise's id, load (> 0), reps (>= 1) and the RIR
        the lifter called (None when not logged); ``e1rm`` is its e1RM at that RIR (0 when
        not logged), when the caller has it already."""
        day = performed_at.toordinal()
        week = (day - 1) // 7  # ordinal 1, 1 January of year 1, is a Monday
        value = _e1rm(load, reps, rir or 0.0) if e1rm is None else e1rm
        by_day = self._bests[exercise]
        best = by_day.get(day)
        if best is None:
            by_day[day] = max(0.0, value)
            self._trained.add(day)
            self._exercises[week].add(exercise)
        elif value > best:
            by_day[day] = value
        at_midnight = day % 7 == 1 and performed_at.time() == _MIDNIGHT
        if at_midnight:
            found = self._midnight_bests[day]
            found[exercise] = max(found.get(exercise, 0.0), value)
        if rir is None:
            return
        if rir not in self._called:
            self._called.add(validate_rir(rir))  # as a logged set does
        work = (exercise, reps, round(load, 1))
        week_calls = self._calls[week]
        known = week_calls.get(work)
        week_calls[work] = (rir, rir) if known is None else (max(known[0], rir), min(known[1], rir))
        if at_midnight:
            closing = self._midnight_calls[day]
            closing[work] = min(closing.get(work, rir), rir)

    def add_columns(
        self,
        micros: npt.NDArray[np.int64],
        ids: Sequence[str],
        exercise: npt.NDArray[np.intp],
        load: npt.NDArray[np.float64],
        reps: npt.NDArray[np.int64],
        rir: npt.NDArray[np.float64],
        e1rm: npt.NDArray[np.float64],
    ) -> None:
        """:meth:`add` of many working sets at once, as columns: when (microseconds since
        1970-01-01, naive), the exercise (its index in ``ids``), load, reps, the RIR
        called (NaN when not logged) and the e1RM at it (at 0 when not logged)."""
        if not len(micros):
            return
        days = micros // _DAY_US + _EPOCH_ORDINAL
        # The day's best e1RM per exercise.
        pairs, first = distinct(exercise, days)
        bests = np.zeros(len(first), dtype=np.float64)
        np.maximum.at(bests, pairs, e1rm)
        first_days, first_exercises = days[first], exercise[first]
        by_exercise = np.argsort(first_exercises, kind="stable")
        grouped = first_exercises[by_exercise]
        bounds = np.flatnonzero(np.diff(grouped)) + 1
        for low, high in zip(
            np.concatenate(([0], bounds)).tolist(),
            np.concatenate((bounds, [len(grouped)])).tolist(),
            strict=True,
        ):
            mine = by_exercise[low:high]
            self._column_bests[ids[int(grouped[low])]].append((first_days[mine], bests[mine]))
        self._trained.update(first_days.tolist())
        _, first = distinct((days - 1) // 7, exercise)
        for week, code in zip(
            ((days[first] - 1) // 7).tolist(), exercise[first].tolist(), strict=True
        ):
            self._exercises[week].add(ids[code])
        midnight = np.flatnonzero((days % 7 == 1) & (micros % _DAY_US == 0))
        for i in midnight.tolist():
            found = self._midnight_bests[int(days[i])]
            name = ids[int(exercise[i])]
            found[name] = max(found.get(name, 0.0), float(e1rm[i]))
        called = np.flatnonzero(~np.isnan(rir))
        if not len(called):
            return
        for value in np.unique(rir[called]).tolist():
            if value not in self._called:
                self._called.add(validate_rir(value))  # as a logged set does
        # The same work (to 0.1 kg, as Python rounds), each week's hardest and easiest call.
        loads, to_load = np.unique(load[called], return_inverse=True)
        rounded = np.array([round(value, 1) for value in loads.tolist()])[to_load.reshape(-1)]
        weeks = (days[called] - 1) // 7
        work_of, first = distinct(exercise[called], reps[called], rounded)
        works = [
            (ids[code], done, load_to)
            for code, done, load_to in zip(
                exercise[called[first]].tolist(),
                reps[called[first]].tolist(),
                rounded[first].tolist(),
                strict=True,
            )
        ]
        in_week, first = distinct(weeks, work_of)
        hardest = np.full(len(first), -np.inf)
        easiest = np.full(len(first), np.inf)
        np.maximum.at(hardest, in_week, rir[called])
        np.minimum.at(easiest, in_week, rir[called])
        self._column_calls.append(
            _CallColumns(works, work_of[first], weeks[first], hardest, easiest)
        )
        for i in np.flatnonzero(np.isin(called, midnight)).tolist():
            work = (ids[int(exercise[called[i]])], int(reps[called[i]]), float(rounded[i]))
            closing = self._midnight_calls[int(days[called[i]])]
            value = float(rir[called[i]])
            closing[work] = min(closing.get(work, value), value)

    def _series(self) -> dict[str, tuple[list[int], list[float]]]:
        """Each exercise's days trained, in order, and its best e1RM on each."""
        series = {}
        for exercise in self._bests.keys() | self._column_bests.keys():
            by_day = self._bests.get(exercise, {})
            parts = self._column_bests.get(exercise, [])
            if not parts:
                ordered = sorted(by_day.items())
                series[exercise] = ([day for day, _ in ordered], [value for _, value in ordered])
                continue
            days = np.concatenate(
                [np.fromiter(by_day, dtype=np.int64, count=len(by_day))] + [d for d, _ in parts]
            )
            values = np.concatenate(
                [np.fromiter(by_day.values(), dtype=np.float64, count=len(by_day))]
                + [v for _, v in parts]
            )
            if len(parts) > 1 or by_day:
                unique_days, to_day = np.unique(days, return_inverse=True)
                best = np.zeros(len(unique_days), dtype=np.float64)
                np.maximum.at(best, to_day.reshape(-1), values)
                days, values = unique_days, best
            else:
                order = np.argsort(days, kind="stable")
                days, values = days[order], values[order]
            series[exercise] = (days.tolist(), values.tolist())
        return series

    def verdicts(self, first: date, last: date) -> list[tuple[date, Recommendation]]:
        """The verdict on each week from the Monday of ``first`` up to ``last``."""
        series = self._series()
        training_days = sorted(self._trained)
        exercises = self._exercises
        drifting = _drifting_weeks(self._calls, self._column_calls, self._midnight_calls)
        verdicts = []
        monday = first - timedelta(days=first.weekday())
        while monday <= last:
            ordinal = monday.toordinal()
            week = (ordinal - 1) // 7
            begins = ordinal - BASELINE.days + 7  # the window's first Monday, 00:00
            recent_begins = ordinal - RECENT.days + 7
            ends = ordinal + 7  # the next Monday, of which only 00:00 is inside
            at_end = self._midnight_bests.get(ends, {})
            sessions = bisect.bisect_left(training_days, ends) - bisect.bisect_left(
                training_days, begins
            )
            if at_end:
                sessions += 1
            if sessions < MIN_SESSIONS:
                verdicts.append((monday, Recommendation.NOT_ENOUGH_HISTORY))
                monday += timedelta(days=7)
                continue
            kinds = int(week in drifting)
            trained = exercises.get(week - 1, set()) | exercises.get(week, set()) | set(at_end)
            for exercise in trained:
                days, values = series[exercise]
                low = bisect.bisect_left(days, begins)
                middle = bisect.bisect_left(days, recent_begins)
                high = bisect.bisect_left(days, ends)
                recent = values[middle:high]
                if exercise in at_end:
                    recent.append(at_end[exercise])
                if _drops(values[low:middle], recent):
                    kinds += 1
                    break
            verdicts.append((monday, _BY_SIGNALS[kinds]))
            monday += timedelta(days=7)
        return verdicts


def weekly_recommendations(
    sets: Iterable[TrainingSet], first: date, last: date
) -> list[tuple[date, Recommendation]]:
    """The verdict on each week from the Monday of ``first`` up to ``last``, as
    :func:`detect_accumulated_fatigue` gives it at the week's end (the next Monday,
    00:00) from ``sets`` alone, each read once (:class:`WeeklyFatigue`)."""
    weekly = WeeklyFatigue()
    for performed_at, exercise, load, reps, rir in sets:
        weekly.add(performed_at, exercise, load, reps, rir)
    return weekly.verdicts(first, last)


_MIDNIGHT = time()
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_US = 86_400_000_000
_BY_SIGNALS = (Recommendation.CARRY_ON, Recommendation.AVOID_FAILURE, Recommendation.DELOAD)

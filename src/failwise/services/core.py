"""What every use case is built on: the store factory, the clock and the lifter's catalog.

:class:`Core` replaces the state a single ``Coach`` once held for all the use
cases: the :class:`~failwise.services.ports.StoreFactory`, the clock, the
built-in catalog and the per-process caches (each lifter's catalog with their
own exercises, their RIR calibration, their accumulated-fatigue verdict), each
cleared by ``forget``. The use cases (:mod:`~failwise.services.workouts`,
:mod:`~failwise.services.sets`, :mod:`~failwise.services.prescriptions`,
:mod:`~failwise.services.insights`, :mod:`~failwise.services.exercises`,
:mod:`~failwise.services.checkins`) each take one ``Core``; a process builds one
and shares it, so the caches are shared too.

Below it, how a stored set reads as each domain model reads it: one conversion each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from failwise.domain.analysis import HistoryRow, HistorySet
from failwise.domain.calibration import Calibration, RirTest, calibrate
from failwise.domain.detection import (
    BASELINE,
    DailyRating,
    FatigueVerdict,
    LoggedSet,
    detect_accumulated_fatigue,
)
from failwise.domain.exercises import Catalog, Exercise, exercise_from_record
from failwise.domain.personal_records import LiftedSet
from failwise.services.catalog import builtin_catalog
from failwise.services.ports import HistoryRecord, NotFound, Store, StoreFactory
from failwise.services.records import Readiness, SetType, StoredSet, User

# The accumulated-fatigue verdict reads 8 weeks of history, and a set barely
# moves it: it is computed once per lifter in this window rather than on every
# logged set. Rating a day, editing, deleting or importing sets clears it.
VERDICT_TTL = timedelta(minutes=30)
# Lifters whose verdict and calibration are kept in memory at once.
CACHED_LIFTERS = 10_000
# What a page, a chart or a verdict reads is a window of time, and at most the latest
# SETS_PER_WEEK sets for each of its weeks, WINDOW_SETS in all. The busiest lifter logs
# fewer (about 200 working sets a week, warm-ups besides), so a real history is read whole
# and a year of it fits; an import of a million sets cannot make one request read them all.
SETS_PER_WEEK = 500
WINDOW_SETS = 12_000
# The latest RIR tests the calibration reads: more than any lifter does, and a bound.
CALIBRATION_TESTS = 1_000


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def window_sets(span: timedelta) -> int:
    """The most sets a read of a window ``span`` long takes (the latest in it).

    >>> [window_sets(timedelta(weeks=weeks)) for weeks in (8, 0.1, 520)]
    [4000, 500, 12000]
    """
    weeks = max(1.0, span / timedelta(weeks=1))
    return min(WINDOW_SETS, math.ceil(weeks * SETS_PER_WEEK))


@dataclass(eq=False)
class Core:
    """The store factory, the clock, and each lifter's catalog, calibration and fatigue
    verdict as this process last read them.

    Not frozen: its caches change as it reads, and a test may swap the store factory
    of a running app to count what a page reads.
    """

    stores: StoreFactory
    clock: Callable[[], datetime] = utc_now
    builtin: Catalog = field(default_factory=builtin_catalog)
    _catalogs: dict[int, tuple[list[dict[str, Any]], Catalog]] = field(
        default_factory=dict, repr=False
    )
    _calibrations: dict[int, Calibration] = field(default_factory=dict, repr=False)
    _verdicts: dict[int, tuple[datetime, FatigueVerdict]] = field(default_factory=dict, repr=False)

    def forget(self, user_id: int) -> None:
        """Drop the lifter's calibration and verdict: their stored history changed."""
        self._verdicts.pop(user_id, None)
        self._calibrations.pop(user_id, None)

    def forget_catalog(self, user_id: int) -> None:
        """Drop the lifter's catalog, and what their exercises' attributes fed."""
        self._catalogs.pop(user_id, None)
        self.forget(user_id)

    def forget_calibration(self, user_id: int) -> None:
        """Drop the lifter's calibration: they logged an RIR test."""
        self._calibrations.pop(user_id, None)

    def forget_verdict(self, user_id: int) -> None:
        """Drop the lifter's fatigue verdict: they rated a day."""
        self._verdicts.pop(user_id, None)

    def lifter(self, store: Store, user_id: int) -> User:
        user = store.user(user_id)
        if user is None:
            raise NotFound(f"no lifter {user_id}")
        return user

    def catalog(self, store: Store, user_id: int) -> Catalog:
        """The built-in catalog and the lifter's own exercises."""
        records = store.custom_exercises(user_id)
        if not records:
            return self.builtin
        # The records are compared whole, not counted: a correction changes one in place,
        # and another process (a web worker, the CLI) may have made it.
        cached = self._catalogs.get(user_id)
        if cached is not None and cached[0] == records:
            return cached[1]
        catalog = Catalog((*self.builtin.exercises, *map(exercise_from_record, records)))
        _remember(self._catalogs, user_id, (records, catalog))
        return catalog

    def calibration(self, store: Store, user_id: int, catalog: Catalog) -> Calibration:
        """The lifter's RIR calibration from their latest :data:`CALIBRATION_TESTS` tests."""
        cached = self._calibrations.get(user_id)
        if cached is not None:
            return cached
        calibration = calibrate(rir_tests(store, user_id, catalog))
        _remember(self._calibrations, user_id, calibration)
        return calibration

    def verdict(self, store: Store, user_id: int, catalog: Catalog, at: datetime) -> FatigueVerdict:
        """The accumulated-fatigue verdict at ``at``, as this process judged it in the
        last :data:`VERDICT_TTL`."""
        hit = self._verdicts.get(user_id)
        # "Not enough history" is read again every time: that history is a few sets, and
        # the set just logged may be the session that makes it enough.
        if hit is not None and hit[1].judged and timedelta(0) <= at - hit[0] <= VERDICT_TTL:
            return hit[1]
        history = store.sets(user_id, since=at - BASELINE, until=at, latest=window_sets(BASELINE))
        verdict = fatigue_verdict(store, user_id, catalog, history, at)
        _remember(self._verdicts, user_id, (at, verdict))
        return verdict


def _remember(cache: dict[int, Any], user_id: int, value: Any) -> None:
    if len(cache) >= CACHED_LIFTERS:
        cache.pop(next(iter(cache)))
    cache[user_id] = value


def fatigue_verdict(
    store: Store, user_id: int, catalog: Catalog, history: Sequence[StoredSet], at: datetime
) -> FatigueVerdict:
    """The accumulated-fatigue verdict at ``at`` on ``history`` and the day ratings."""
    ratings = store.readiness(user_id, since=(at - BASELINE).date())
    return detect_accumulated_fatigue(logged_sets(history, catalog), at, daily_ratings(ratings))


def rir_tests(store: Store, user_id: int, catalog: Catalog) -> list[RirTest]:
    """The lifter's latest :data:`CALIBRATION_TESTS` RIR tests, as the calibration reads them."""
    return [
        RirTest(
            exercise=catalog.get(s.exercise_id),
            reps=s.data.test_reps_at_call,
            predicted_rir=s.data.test_predicted_rir,
            reps_at_failure=s.data.reps,
            performed_on=s.logged_at.date(),
            load=s.data.load or None,
        )
        for s in store.sets(user_id, tests_only=True, latest=CALIBRATION_TESTS)
        if s.data.test_reps_at_call is not None and s.data.test_predicted_rir is not None
    ]


# --- a stored set, as each model reads it ----------------------------------------------
def logged_sets(history: Sequence[StoredSet], catalog: Catalog) -> list[LoggedSet]:
    """The loaded working sets, as the fatigue detector reads them."""
    return [
        LoggedSet(
            performed_at=s.logged_at,
            exercise=catalog.get(s.exercise_id),
            load=s.data.load,
            reps=s.data.reps,
            rir=s.data.rir,
            target_reps=s.data.target_reps,
        )
        for s in history
        if s.data.set_type is SetType.WORKING and s.data.load > 0
    ]


def daily_ratings(days: Sequence[Readiness]) -> list[DailyRating]:
    return [DailyRating(r.day, r.sleep, r.soreness, r.motivation) for r in days]


def lifted_set(stored: StoredSet) -> LiftedSet:
    """A stored set as the personal records read it. Only plain working sets set a record:
    a drop, rest-pause or forced set went past failure after a rest or with a spotter's
    help, as :func:`failwise.services.live.estimate_e1rm_of` leaves them out of the e1RM."""
    data = stored.data
    return LiftedSet(
        exercise_id=stored.exercise_id,
        performed_at=stored.logged_at,
        load=data.load,
        reps=data.reps,
        rir=data.rir,
        to_failure=data.to_failure,
        working=data.set_type is SetType.WORKING,
        ref=stored.id,
    )


def history_rows(records: Iterable[HistoryRecord], catalog: Catalog) -> Iterator[HistoryRow]:
    """Stored sets, as the store reads them for the history analysis, as the analysis reads
    them (:data:`~failwise.domain.analysis.HistoryRow`): what :func:`history_set` makes of
    a :class:`StoredSet`, without an object per set."""
    exercises: dict[str, Exercise] = {}
    warm_up = SetType.WARM_UP.value
    for logged_at, exercise_id, load, reps, rir, inferred, set_type, failure, workout in records:
        exercise = exercises.get(exercise_id)
        if exercise is None:
            exercise = exercises[exercise_id] = catalog.get(exercise_id)
        yield (
            logged_at,
            exercise,
            load,
            reps,
            rir,
            set_type != warm_up,
            bool(failure),
            inferred,
            str(workout),
        )


def history_set(stored: StoredSet, catalog: Catalog) -> HistorySet:
    """A stored set as the history analysis (:mod:`failwise.domain.analysis`) reads it."""
    data = stored.data
    return HistorySet(
        performed_at=stored.logged_at,
        exercise=catalog.get(stored.exercise_id),
        load=data.load,
        reps=data.reps,
        rir=data.rir,
        working=data.set_type.counts_as_work,
        to_failure=data.to_failure,
        rir_inferred=data.rir_inferred,
        workout=str(stored.workout_id),
    )

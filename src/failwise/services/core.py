"""What every use case is built on: the store factory, the clock and the lifter's catalog.

:class:`Core` replaces the state a single ``Coach`` once held for all the use
cases: the :class:`~failwise.services.ports.StoreFactory`, the clock, the
built-in catalog and what a process keeps in memory of each lifter (their catalog
with their own exercises, their RIR calibration, their latest sets after a set
it logged). The use cases (:mod:`~failwise.services.workouts`,
:mod:`~failwise.services.sets`, :mod:`~failwise.services.prescriptions`,
:mod:`~failwise.services.insights`, :mod:`~failwise.services.exercises`,
:mod:`~failwise.services.checkins`) each take one ``Core``; a process builds one
and shares it.

What it keeps is kept under the lifter's history stamp
(:meth:`~failwise.services.ports.Store.history_stamp`), read in the same
transaction as whatever asks for it: a change made through any process (another
web worker, the CLI) draws a new stamp, and every process reads that lifter again.
The latest sets are kept under the lifter's write serial too, and the fatigue
verdict, worked out at most every :data:`VERDICT_TTL`, is kept in the database.
So any number of processes answer alike; memory only saves them the reading.

Below it, how a stored set reads as each domain model reads it: one conversion each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from failwise.domain.analysis import HistoryColumns, HistorySet
from failwise.domain.calibration import (
    Calibration,
    RirTest,
    SessionSet,
    calibrate,
    history_tests,
)
from failwise.domain.detection import (
    BASELINE,
    DailyRating,
    Evidence,
    FatigueVerdict,
    LoggedSet,
    Recommendation,
    detect_accumulated_fatigue,
)
from failwise.domain.exercises import Catalog, exercise_from_record
from failwise.domain.personal_records import ExerciseRecords, LiftedSet
from failwise.services.catalog import builtin_catalog
from failwise.services.ports import HistoryChunk, NotFound, Store, StoreFactory
from failwise.services.records import Readiness, SetType, StoredSet, User

# The accumulated-fatigue verdict reads 8 weeks of history, and a set barely
# moves it: it is worked out once per lifter in this window rather than on every
# logged set, and kept with the lifter. Anything that draws a new history stamp
# (rating a day, correcting, deleting or importing sets) has it worked out again.
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
# The latest working sets with a logged RIR or taken to failure it reads for the tests
# their history holds (:func:`failwise.domain.calibration.history_tests`): years of an
# app that logs RIR on every set (Alpha Progression), and a bound on a huge import.
# A session cut at the window's start loses only the pairs that straddle it.
CALIBRATION_HISTORY_SETS = 5_000


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def window_sets(span: timedelta) -> int:
    """The most sets a read of a window ``span`` long takes (the latest in it).

    >>> [window_sets(timedelta(weeks=weeks)) for weeks in (8, 0.1, 520)]
    [4000, 500, 12000]
    """
    weeks = max(1.0, span / timedelta(weeks=1))
    return min(WINDOW_SETS, math.ceil(weeks * SETS_PER_WEEK))


@dataclass(frozen=True, slots=True)
class _Kept:
    """A verdict as it was worked out: under which stamp, at what moment, and whether the
    day it was worked out on already counted as a session."""

    stamp: int
    at: datetime
    verdict: FatigueVerdict
    day_counted: bool

    def record(self) -> dict[str, Any]:
        """As the store keeps it (JSON)."""
        verdict = self.verdict
        return {
            "stamp": self.stamp,
            "at": self.at.isoformat(),
            "day_counted": self.day_counted,
            "recommendation": verdict.recommendation.value,
            "evidence": [[item.signal, item.text, item.exercise] for item in verdict.evidence],
            "sessions": verdict.sessions,
            "sessions_needed": verdict.sessions_needed,
        }

    @classmethod
    def of(cls, record: Mapping[str, Any] | None) -> _Kept | None:
        """What :meth:`record` kept; None for nothing, or anything it cannot read."""
        if record is None:
            return None
        try:
            at = datetime.fromisoformat(record["at"])
            verdict = FatigueVerdict(
                recommendation=Recommendation(record["recommendation"]),
                evidence=tuple(Evidence(s, t, e) for s, t, e in record["evidence"]),
                at=at,
                sessions=int(record["sessions"]),
                sessions_needed=int(record["sessions_needed"]),
            )
            return cls(int(record["stamp"]), at, verdict, bool(record["day_counted"]))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class KeptLog:
    """What a process keeps of a lifter's log after its own write (:meth:`failwise.services.
    prescriptions.Prescriptions.read_after`): trusted only at the next write serial, under
    the same history stamp."""

    stamp: int
    serial: int
    at: datetime
    days: list[tuple[datetime, str, SetType]]
    sets: dict[str, list[StoredSet]]
    """Each exercise's latest sets read or logged since, as
    :attr:`failwise.services.prescriptions.Reading.same`."""
    records: dict[str, ExerciseRecords | None]
    """Each exercise's personal records from all its sets, where a set logged found them."""


@dataclass(eq=False)
class Core:
    """The store factory, the clock, and each lifter's catalog, calibration and latest
    sets as this process last read them (each under the lifter's history stamp).

    Not frozen: what it keeps changes as it reads, and a test may swap the store factory
    of a running app to count what a page reads.
    """

    stores: StoreFactory
    clock: Callable[[], datetime] = utc_now
    builtin: Catalog = field(default_factory=builtin_catalog)
    _catalogs: dict[int, tuple[int, Catalog]] = field(default_factory=dict, repr=False)
    _calibrations: dict[int, tuple[int, Calibration]] = field(default_factory=dict, repr=False)
    _logs: dict[int, KeptLog] = field(default_factory=dict, repr=False)

    def kept_log(self, user_id: int) -> KeptLog | None:
        """What :meth:`keep_log` kept of the lifter's log, if anything (the caller checks
        it still holds: :meth:`failwise.services.prescriptions.Prescriptions.read_to_log`)."""
        return self._logs.get(user_id)

    def keep_log(self, user_id: int, kept: KeptLog) -> None:
        _remember(self._logs, user_id, kept)

    def lifter(self, store: Store, user_id: int) -> User:
        user = store.user(user_id)
        if user is None:
            raise NotFound(f"no lifter {user_id}")
        return user

    def catalog(self, store: Store, user_id: int) -> Catalog:
        """The built-in catalog and the lifter's own exercises."""
        stamp = store.history_stamp(user_id)
        kept = self._catalogs.get(user_id)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        records = store.custom_exercises(user_id)
        catalog = (
            Catalog((*self.builtin.exercises, *map(exercise_from_record, records)))
            if records
            else self.builtin
        )
        _remember(self._catalogs, user_id, (stamp, catalog))
        return catalog

    def calibration(self, store: Store, user_id: int, catalog: Catalog) -> Calibration:
        """The lifter's RIR calibration from their latest :data:`CALIBRATION_TESTS` tests and
        the tests their latest :data:`CALIBRATION_HISTORY_SETS` sets with an effort hold
        (:func:`rir_tests`); recomputed whenever the history stamp changes (an import)."""
        stamp = store.history_stamp(user_id)
        kept = self._calibrations.get(user_id)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        calibration = calibrate(rir_tests(store, user_id, catalog))
        _remember(self._calibrations, user_id, (stamp, calibration))
        return calibration

    def verdict(self, store: Store, user_id: int, catalog: Catalog, at: datetime) -> FatigueVerdict:
        """The accumulated-fatigue verdict at ``at``: as a logged set worked it out in the
        last :data:`VERDICT_TTL` under the lifter's present history stamp, else worked
        out now (and kept, when the store holds the lifter's writes in line: logging a set).

        Kept in the database, not in this process: every process gives the same verdict.
        """
        stamp = store.history_stamp(user_id)
        kept = _Kept.of(store.kept_verdict(user_id))
        if kept is not None and kept.stamp == stamp and _still(kept, at):
            return kept.verdict
        history = store.sets(user_id, since=at - BASELINE, until=at, latest=window_sets(BASELINE))
        verdict = fatigue_verdict(store, user_id, catalog, history, at)
        # Whether the day already counts as a session, as the verdict counts them.
        counted = any(
            s.logged_at.date() == at.date() for s in reversed(history) if _in_a_session(s)
        )
        if store.write_serial(user_id) is not None:
            store.keep_verdict(user_id, _Kept(stamp, at, verdict, counted).record())
        return verdict


def _still(kept: _Kept, at: datetime) -> bool:
    """Whether a verdict kept under the present stamp still holds at ``at``.

    "Not enough history" holds only for the rest of the day it was worked out on, and
    only when that day already counted as a session: a set on a new day may be the
    session that makes the history enough (nothing else changes the count without
    drawing a new stamp).
    """
    if not timedelta(0) <= at - kept.at <= VERDICT_TTL:
        return False
    return kept.verdict.judged or (kept.day_counted and at.date() == kept.at.date())


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
    """The lifter's latest :data:`CALIBRATION_TESTS` RIR tests, as the calibration reads them,
    then the tests (of weight 0.5) their history holds: a logged call followed in its
    session by a set to failure at the same load (:func:`history_tests`)."""
    deliberate = [
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
    efforts = store.sets(user_id, efforts_only=True, latest=CALIBRATION_HISTORY_SETS)
    return deliberate + history_pairs(efforts, catalog)


def history_pairs(stored: Iterable[StoredSet], catalog: Catalog) -> list[RirTest]:
    """The RIR tests that stored sets (in the order done) hold, session by session: a call
    then a set to failure at its load (:func:`failwise.domain.calibration.history_tests`).
    Only plain working sets are read: a drop or rest-pause set is no fresh set."""
    sessions: dict[int, list[SessionSet]] = {}
    for s in stored:
        data = s.data
        if data.set_type is not SetType.WORKING:
            continue
        sessions.setdefault(s.workout_id, []).append(
            SessionSet(
                exercise=catalog.get(s.exercise_id),
                load=data.load,
                reps=data.reps,
                rir=data.rir,
                to_failure=data.to_failure,
                performed_on=s.logged_at.date(),
            )
        )
    return [test for session in sessions.values() for test in history_tests(session)]


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
        if _in_a_session(s)
    ]


def _in_a_session(stored: StoredSet) -> bool:
    """Whether the fatigue detector reads the set (and counts its day as a session)."""
    return stored.data.set_type is SetType.WORKING and stored.data.load > 0


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


def history_columns(chunks: Iterable[HistoryChunk], catalog: Catalog) -> HistoryColumns:
    """Stored sets, as the store reads them for the history analysis, as the analysis reads
    them (:class:`~failwise.domain.analysis.HistoryColumns`): what :func:`history_set`
    makes of a :class:`StoredSet`, as columns, without an object per set. Only the columns
    are kept of each chunk (not its text)."""
    exercises: dict[str, int] = {}
    set_types: dict[str, int] = {}
    names = (
        "logged_at",
        "exercise",
        "load",
        "reps",
        "rir",
        "rir_inferred",
        "set_type",
        "to_failure",
        "workout_ids",
    )
    parts: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in names}
    for chunk in chunks:
        for name, column in (
            ("logged_at", chunk.logged_at),
            ("exercise", _codes(chunk.exercise_ids, exercises)),
            ("load", chunk.load),
            ("reps", chunk.reps),
            ("rir", chunk.rir),
            ("rir_inferred", chunk.rir_inferred),
            ("set_type", _codes(chunk.set_types, set_types)),
            ("to_failure", chunk.to_failure),
            ("workout_ids", chunk.workout_ids),
        ):
            parts[name].append(column)

    def joined(name: str, dtype: Any) -> Any:
        # One column at a time, its chunks let go of as it is joined.
        found = parts.pop(name)
        return np.concatenate(found) if found else np.zeros(0, dtype)

    warm_up = SetType.WARM_UP.value
    working = np.array([kind != warm_up for kind in set_types], dtype=np.bool_)
    set_type = joined("set_type", np.intp)
    return HistoryColumns(
        performed_at=joined("logged_at", "datetime64[us]"),
        exercise=joined("exercise", np.intp),
        exercises=tuple(catalog.get(i) for i in exercises),
        load=joined("load", np.float64),
        reps=joined("reps", np.int64),
        rir=joined("rir", np.float64),
        working=working[set_type] if len(working) else np.zeros(0, np.bool_),
        to_failure=joined("to_failure", np.bool_),
        rir_inferred=joined("rir_inferred", np.float64),
        workout=joined("workout_ids", np.int64),
    )


def _codes(values: npt.NDArray[np.object_], codes: dict[str, int]) -> npt.NDArray[np.intp]:
    """Each of ``values`` as its number in ``codes``, a new value given the next one."""
    listed = values.tolist()  # a list is read faster than a numpy array of objects
    for value in dict.fromkeys(listed):  # the distinct values, in the order first seen
        if value not in codes:
            codes[value] = len(codes)
    return np.fromiter(map(codes.__getitem__, listed), dtype=np.intp, count=len(listed))


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

"""The next set: what the coach prescribes for an exercise, from what the log holds.

The decision engine's verdict plus a load from the lifter's current e1RM on
that exercise. The e1RM comes from the most recent sets (RTS chart on reps +
RIR, with the RIR corrected by the lifter's calibration), so a set that missed
its target moves the next load the right way: logged RIR below target → the
lifter is weaker today than assumed → a lighter next set; above → heavier.
The rules themselves are :func:`failwise.services.live.decide_next`; this
module reads what they are decided from (:class:`~failwise.services.live.ExerciseState`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from failwise.domain.autoregulation import volume_adjustment
from failwise.domain.calibration import Calibration
from failwise.domain.context import Phase
from failwise.domain.detection import FatigueVerdict
from failwise.domain.exercises import Catalog, Exercise
from failwise.domain.personal_records import ExerciseRecords
from failwise.domain.units import Unit
from failwise.services.core import SETS_PER_WEEK, Core, KeptLog
from failwise.services.live import (
    ExerciseState,
    NextSet,
    NextSetQuery,
    adapt_planned,
    corrector,
    decide_next,
    last_sessions,
    planned_today,
)
from failwise.services.ports import Store
from failwise.services.records import SetType, StoredSet, User, Workout
from failwise.services.workouts import current_workout

# The most sets of one exercise the next-set prescription reads.
RECENT_SETS = 60
# Sets older than this do not set today's e1RM.
E1RM_WINDOW = timedelta(weeks=6)
# The days a movement was trained on are counted over a week (high frequency).
TRAINED_WINDOW = timedelta(days=7)


class Prescriptions:
    """The next set of an exercise, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def next_set(
        self,
        user_id: int,
        exercise: str,
        *,
        total_sets: int | None = None,
        spotter: bool | None = None,
        phase: Phase | None = None,
        unit: Unit | None = None,
    ) -> NextSet:
        """The next set of ``exercise`` in the open workout (or a new one)."""
        with self.core.stores() as store:
            user = self.core.lifter(store, user_id)
            catalog = self.core.catalog(store, user_id)
            now = self.core.clock()
            query = NextSetQuery(
                user,
                catalog,
                catalog.resolve(exercise),
                workout=current_workout(store, user_id, now),
                at=now,
                total_sets=total_sets,
                spotter=spotter,
                phase=phase,
                unit=unit,
            )
            return self.decide(store, query)

    def next_set_in(
        self,
        store: Store,
        user: User,
        catalog: Catalog,
        exercise: Exercise,
        *,
        workout: Workout | None,
        total_sets: int | None,
    ) -> NextSet:
        """:meth:`next_set` read in the caller's store session, in ``workout`` (the open one)."""
        query = NextSetQuery(
            user, catalog, exercise, workout=workout, at=self.core.clock(), total_sets=total_sets
        )
        return self.decide(store, query)

    def decide(
        self, store: Store, query: NextSetQuery, *, after: StoredSet | None = None
    ) -> NextSet:
        """The next set ``query`` asks for (after the set just stored, when given)."""
        return decide_next(self.state(store, query, self.read(store, query), after), query)

    def read(self, store: Store, query: NextSetQuery) -> Reading:
        """What the log holds for the next set ``query`` asks for, read in one store session."""
        user_id, at = query.user.id, query.at
        return Reading(
            same=_recent_sets(store, user_id, query.exercise.id, at),
            days=store.trained_days(
                user_id, since=at - TRAINED_WINDOW, until=at, latest=SETS_PER_WEEK
            ),
            calibration=self.core.calibration(store, user_id, query.catalog),
            verdict=self.core.verdict(store, user_id, query.catalog, at),
        )

    def read_to_log(self, store: Store, query: NextSetQuery) -> Reading:
        """:meth:`read`, for a set about to be logged under :meth:`Store.lock_lifter
        <failwise.services.ports.Store.lock_lifter>`: from what this process kept of the
        lifter's log after its own last write, when nobody wrote since (the write serial
        is one above it and the history stamp the same); else from the database."""
        user_id, at = query.user.id, query.at
        serial = store.write_serial(user_id)
        kept = self.core.kept_log(user_id)
        if (
            kept is None
            or serial is None
            or kept.serial + 1 != serial
            or kept.stamp != store.history_stamp(user_id)
            or at < kept.at
        ):
            return self.read(store, query)
        same = kept.sets.get(query.exercise.id)
        records = kept.records
        if same is None:
            same = _recent_sets(store, user_id, query.exercise.id, at)
        else:
            # As a fresh read would take them: the window has moved on to ``at``.
            same = [s for s in same if s.logged_at >= at - E1RM_WINDOW]
        return Reading(
            same=same,
            days=[day for day in kept.days if day[0] >= at - TRAINED_WINDOW],
            calibration=self.core.calibration(store, user_id, query.catalog),
            verdict=self.core.verdict(store, user_id, query.catalog, at),
            records=records,
        )

    def read_after(
        self,
        store: Store,
        query: NextSetQuery,
        read: Reading,
        stored: StoredSet,
        records: ExerciseRecords | None,
    ) -> tuple[Reading, KeptLog | None]:
        """``read`` once ``stored`` (just stored through ``query``, under :meth:`Store.
        lock_lifter <failwise.services.ports.Store.lock_lifter>`) is added: as a fresh
        read would give it, without reading again what it already holds; and what to keep
        of it for the lifter's next set (:meth:`read_to_log`) once the set is committed,
        with the exercise's personal records now (``records``, ``stored`` among them).
        The fatigue verdict is asked for again: the set may be the session that makes the
        history enough."""
        user_id = query.user.id
        added = read.with_set(stored)
        serial = store.write_serial(user_id)
        if added is None or serial is None:
            return self.read(store, query), None
        # Asked for again: a set taken to failure may check the calls before it (a new
        # history stamp), and the set may be the session that makes the history enough.
        calibration = self.core.calibration(store, user_id, query.catalog)
        verdict = self.core.verdict(store, user_id, query.catalog, query.at)
        added = replace(added, calibration=calibration, verdict=verdict)
        latest = store.latest_set_at(user_id)
        if latest is not None and latest >= stored.logged_at:
            # Logged into the past: ``read`` stops at it, and later sets are not in it.
            return added, None
        stamp = store.history_stamp(user_id)
        kept = self.core.kept_log(user_id)
        # The other exercises' sets, when what was kept held for this write too.
        held = kept is not None and kept.serial + 1 == serial and kept.stamp == stamp
        sets = dict(kept.sets) if kept is not None and held else {}
        books = dict(kept.records) if kept is not None and held else {}
        sets[stored.exercise_id] = added.same
        books[stored.exercise_id] = records
        return added, KeptLog(stamp, serial, query.at, added.days, sets, books)

    def state(
        self, store: Store, query: NextSetQuery, read: Reading, after: StoredSet | None = None
    ) -> ExerciseState:
        """What the next set of the exercise is decided from: ``read``, after ``after``
        (the set just stored, when given and not read already)."""
        exercise, workout = query.exercise, query.workout
        same = [s for s in read.same if s.data.set_type is SetType.WORKING]
        is_new = after is not None and all(s.id != after.id for s in same)
        if after is not None and is_new and after.data.set_type is SetType.WORKING:
            same = [*same, after]
        here = workout.id if workout is not None else None
        today = [s for s in same if s.workout_id == here]
        earlier = [s for s in same if s.workout_id != here]
        calibration, verdict = read.calibration, read.verdict
        planned = None
        note = ""
        if workout is not None and workout.plan_session:
            planned, note = planned_today(store, query.user.id, query.catalog, workout, exercise)
            if planned is not None:
                # As Today's session is adapted: from the sets since the plan was made.
                since_plan = [s for s in earlier if s.logged_at >= planned.since]
                adapted = adapt_planned(
                    planned.exercise,
                    last_sessions(since_plan, exercise.id),
                    deload=workout.phase is Phase.DELOAD,
                    adjustment=volume_adjustment(verdict),
                    corrected=corrector(calibration, exercise),
                )
                planned = replace(planned, exercise=adapted.planned)
                note = adapted.note
        return ExerciseState(
            today=today,
            earlier=earlier,
            days=read.days,
            calibration=calibration,
            verdict=verdict,
            planned=planned,
            planned_note=note,
        )


def _recent_sets(store: Store, user_id: int, exercise_id: str, at: datetime) -> list[StoredSet]:
    """Enough of the exercise's recent sets for today's count and the last session."""
    return store.sets(
        user_id, since=at - E1RM_WINDOW, until=at, exercise_ids=[exercise_id], latest=RECENT_SETS
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """What the next set of an exercise is decided from, as the log held it when read.

    As a fresh read gives it, whether read or kept: the latest :data:`RECENT_SETS` and
    the last :data:`SETS_PER_WEEK` bound a read; a lifter who logs more of one exercise
    in six weeks, or more in one week, may see a kept reading hold a set or a day that a
    fresh one would have left out (none has: they are 20 times a busy lifter's).
    """

    same: list[StoredSet]
    """The exercise's latest :data:`RECENT_SETS` sets in the e1RM window, in order."""
    days: list[tuple[datetime, str, SetType]]
    """When something was trained in the last week (:meth:`Store.trained_days
    <failwise.services.ports.Store.trained_days>`)."""
    calibration: Calibration
    verdict: FatigueVerdict
    records: Mapping[str, ExerciseRecords | None] = field(default_factory=dict)
    """Each exercise's personal records as a kept log holds them (read afresh for any
    exercise not in it: :meth:`failwise.services.sets.Sets.log`)."""

    def with_set(self, stored: StoredSet) -> Reading | None:
        """The reading once ``stored`` (just stored, and the latest set of all) is added,
        as a fresh read would give it; None when a fresh read is needed: ``stored`` is an
        RIR test (the calibration moves) or was done before a set already read."""
        done = stored.logged_at
        if stored.data.is_test or any(s.logged_at > done for s in self.same[-1:]):
            return None
        if any(at > done for at, _, _ in self.days):
            return None
        key = (done.date(), stored.exercise_id, stored.data.set_type)
        days = [day for day in self.days if (day[0].date(), day[1], day[2]) != key]
        days.append((done, stored.exercise_id, stored.data.set_type))
        return replace(self, same=[*self.same, stored][-RECENT_SETS:], days=days)

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

from dataclasses import dataclass, replace
from datetime import date, timedelta

from failwise.domain.autoregulation import volume_adjustment
from failwise.domain.calibration import Calibration
from failwise.domain.context import Phase
from failwise.domain.detection import FatigueVerdict
from failwise.domain.exercises import Catalog, Exercise
from failwise.domain.units import Unit
from failwise.services.core import SETS_PER_WEEK, Core
from failwise.services.live import (
    ExerciseState,
    NextSet,
    NextSetQuery,
    adapt_planned,
    corrector,
    decide_next,
    last_session,
    planned_today,
)
from failwise.services.ports import Store
from failwise.services.records import SetType, StoredSet, User, Workout

# The most sets of one exercise the next-set prescription reads.
RECENT_SETS = 60
# Sets older than this do not set today's e1RM.
E1RM_WINDOW = timedelta(weeks=6)


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
            query = NextSetQuery(
                user,
                catalog,
                catalog.resolve(exercise),
                workout=store.open_workout(user_id),
                at=self.core.clock(),
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
        user_id, exercise, at = query.user.id, query.exercise, query.at
        # Enough of the exercise's recent sets for today's count and the last session.
        same = [
            s
            for s in store.sets(
                user_id,
                since=at - E1RM_WINDOW,
                until=at,
                exercise_ids=[exercise.id],
                latest=RECENT_SETS,
            )
            if s.data.set_type is SetType.WORKING
        ]
        return Reading(
            same=same,
            days=store.trained_days(
                user_id, since=at - timedelta(days=7), until=at, latest=SETS_PER_WEEK
            ),
            calibration=self.core.calibration(store, user_id, query.catalog),
            verdict=self.core.verdict(store, user_id, query.catalog, at),
        )

    def read_after(
        self, store: Store, query: NextSetQuery, read: Reading, stored: StoredSet
    ) -> Reading:
        """``read`` once ``stored`` (just stored through ``query``) is added: as a fresh read
        would give it, without reading again what it already holds. The fatigue verdict is
        asked for again: the set may be the session that makes the history enough."""
        added = read.with_set(stored)
        if added is None:
            return self.read(store, query)
        verdict = self.core.verdict(store, query.user.id, query.catalog, query.at)
        return replace(added, verdict=verdict)

    def state(
        self, store: Store, query: NextSetQuery, read: Reading, after: StoredSet | None = None
    ) -> ExerciseState:
        """What the next set of the exercise is decided from: ``read``, after ``after``
        (the set just stored, when given and not read already)."""
        exercise, workout = query.exercise, query.workout
        same = read.same
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
                    last_session(since_plan, exercise.id),
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


@dataclass(frozen=True, slots=True)
class Reading:
    """What the next set of an exercise is decided from, as the log held it when read."""

    same: list[StoredSet]
    """The exercise's latest :data:`RECENT_SETS` working sets in the e1RM window, in order."""
    days: list[tuple[date, str, SetType]]
    """Each day of the last week something was trained, with the exercise and set type."""
    calibration: Calibration
    verdict: FatigueVerdict

    def with_set(self, stored: StoredSet) -> Reading | None:
        """The reading once ``stored`` (just stored, and the latest set of all) is added,
        as a fresh read would give it; None when a fresh read is needed: ``stored`` is an
        RIR test (the calibration moves) or was done before a set already read."""
        done = stored.logged_at
        if stored.data.is_test or any(s.logged_at > done for s in self.same[-1:]):
            return None
        if any(day > done.date() for day, _, _ in self.days):
            return None
        same = self.same
        if stored.data.set_type is SetType.WORKING:
            same = [*same, stored][-RECENT_SETS:]
        day = (done.date(), stored.exercise_id, stored.data.set_type)
        days = self.days if day in self.days else [*self.days, day]
        return replace(self, same=same, days=days)

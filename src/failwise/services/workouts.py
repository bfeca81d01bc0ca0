"""The lifter's workouts: start and finish one, read one or a page of them, delete one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from failwise.domain.context import Phase
from failwise.domain.exercises import MAX_NAME
from failwise.domain.inputs import text
from failwise.services.core import Core
from failwise.services.ports import Conflict, NotFound, Store
from failwise.services.records import SetKey, StoredSet, Workout, WorkoutKey
from failwise.services.reported import MAX_NOTES


@dataclass(frozen=True, slots=True)
class WorkoutDetail:
    workout: Workout
    sets: tuple[StoredSet, ...]
    complete: bool = True
    """False when only the latest of the workout's sets were read."""


SESSION_GAP = timedelta(hours=4)
"""How long a workout left open may go without a set before it is over: longer than
any rest between sets or a long session's lulls, shorter than the hours between a
morning and an evening session. A lifter who forgot to finish Sunday's workout starts
Tuesday's with set 1, not with an extra set of Sunday's."""


def went_quiet(workout: Workout, latest_set_at: datetime | None, at: datetime) -> bool:
    """Whether the open ``workout`` is over at ``at``: nothing logged for
    :data:`SESSION_GAP`, counted from the lifter's latest set (``latest_set_at``), or from
    the workout's start when it is later.

    >>> sunday = Workout(1, 1, datetime(2026, 11, 29, 17))
    >>> went_quiet(sunday, datetime(2026, 11, 29, 18), datetime(2026, 11, 29, 21))
    False
    >>> went_quiet(sunday, datetime(2026, 11, 29, 18), datetime(2026, 12, 1, 17))
    True
    """
    last = workout.started_at if latest_set_at is None else max(workout.started_at, latest_set_at)
    return at - last > SESSION_GAP


def latest_set_at(store: Store, user_id: int) -> datetime | None:
    """When the lifter's latest set was done (None before their first)."""
    latest = store.sets(user_id, latest=1)
    return latest[0].logged_at if latest else None


def current_workout(store: Store, user_id: int, at: datetime) -> Workout | None:
    """The open workout the lifter is in at ``at``: None when none is open, or when the
    one left open :func:`went_quiet`."""
    workout = store.open_workout(user_id)
    if workout is None or went_quiet(workout, latest_set_at(store, user_id), at):
        return None
    return workout


def _quiet_since(workout: Workout, latest: datetime | None) -> datetime:
    """When a workout that went quiet ended: at the lifter's latest set, or its start."""
    return workout.started_at if latest is None else max(workout.started_at, latest)


def finish_if_quiet(
    store: Store, user_id: int, workout: Workout | None, latest: datetime | None, at: datetime
) -> Workout | None:
    """The open ``workout``, or None once it :func:`went_quiet` (finished then, at the
    lifter's latest set, in the caller's transaction)."""
    if workout is None or not went_quiet(workout, latest, at):
        return workout
    store.finish_workout(user_id, workout.id, _quiet_since(workout, latest))
    return None


def as_they_stand(
    store: Store, user_id: int, workouts: Sequence[Workout], at: datetime
) -> list[Workout]:
    """``workouts`` as they stand at ``at``: one left open that went quiet is shown
    finished at the lifter's latest set, as the next set or start will record it."""
    if not any(workout.is_open for workout in workouts):
        return list(workouts)
    latest = latest_set_at(store, user_id)
    return [
        replace(workout, finished_at=_quiet_since(workout, latest))
        if workout.is_open and went_quiet(workout, latest, at)
        else workout
        for workout in workouts
    ]


def find_workout(store: Store, user_id: int, workout_id: int | None) -> Workout:
    """The lifter's workout ``workout_id``, or their open one; :class:`NotFound` else."""
    if workout_id is None:
        workout = store.open_workout(user_id)
        if workout is None:
            raise NotFound("no workout is open: start one first")
        return workout
    found = store.workout(user_id, workout_id)
    if found is None:
        raise NotFound(f"no workout {workout_id}")
    return found


class Workouts:
    """The lifter's workouts, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def start(
        self,
        user_id: int,
        *,
        phase: Phase = Phase.NORMAL,
        notes: str = "",
        started_at: datetime | None = None,
        name: str = "",
        plan_session: str | None = None,
    ) -> Workout:
        text(notes, "notes", max_length=MAX_NOTES, multiline=True)
        text(name, "name", max_length=MAX_NAME)
        with self.core.stores() as store:
            store.lock_lifter(user_id)
            begins = started_at or self.core.clock()
            current = store.open_workout(user_id)
            if current is not None:
                latest = latest_set_at(store, user_id)
                current = finish_if_quiet(store, user_id, current, latest, begins)
            if current is not None:
                raise Conflict(
                    f"workout {current.id} (started {current.started_at:%Y-%m-%d %H:%M}) "
                    "is still open: finish it first"
                )
            workout = store.add_workout(
                user_id,
                started_at=begins,
                phase=phase,
                notes=notes,
                name=name,
                plan_session=plan_session,
            )
            store.commit()
        return workout

    def finish(
        self, user_id: int, workout_id: int | None = None, *, finished_at: datetime | None = None
    ) -> Workout:
        with self.core.stores() as store:
            workout = find_workout(store, user_id, workout_id)
            if not workout.is_open:
                return workout
            if finished_at is None:
                # One that went quiet ended at its last set, not when it is finished now.
                (standing,) = as_they_stand(store, user_id, [workout], self.core.clock())
                finished_at = standing.finished_at or self.core.clock()
            done = store.finish_workout(user_id, workout.id, finished_at)
            store.commit()
        return done

    def get(
        self,
        user_id: int,
        workout_id: int,
        *,
        limit: int | None = None,
        before: SetKey | None = None,
    ) -> WorkoutDetail:
        """The workout and its sets in the order done: all of them, or the ``limit`` latest
        (done before ``before`` when given: a page of a long workout, read backwards)."""
        with self.core.stores() as store:
            found = find_workout(store, user_id, workout_id)
            (workout,) = as_they_stand(store, user_id, [found], self.core.clock())
            sets = store.sets(user_id, workout_id=workout.id, latest=limit, before=before)
        return WorkoutDetail(workout, tuple(sets))

    def latest(
        self, user_id: int, *, limit: int = 50, before: WorkoutKey | None = None
    ) -> list[Workout]:
        """The latest workouts first (started before ``before`` when given)."""
        with self.core.stores() as store:
            listed = store.workouts(user_id, limit=limit, before=before)
            return as_they_stand(store, user_id, listed, self.core.clock())

    def page(
        self, user_id: int, *, limit: int, before: WorkoutKey | None = None, max_sets: int
    ) -> tuple[list[WorkoutDetail], bool]:
        """The latest ``limit`` workouts (started before ``before``) with their sets, and
        whether older workouts remain. At most ``max_sets`` sets are read in all, the
        newest workouts' first, each workout's latest: a workout they leave out is not
        :attr:`~WorkoutDetail.complete`."""
        details = []
        with self.core.stores() as store:
            listed = store.workouts(user_id, limit=limit + 1, before=before)
            left = max_sets
            for workout in as_they_stand(store, user_id, listed[:limit], self.core.clock()):
                read = store.sets(user_id, workout_id=workout.id, latest=left + 1)
                complete = len(read) <= left
                shown = read if complete else read[len(read) - left :]
                details.append(WorkoutDetail(workout, tuple(shown), complete))
                left -= len(shown)
        return details, len(listed) > limit

    def delete(self, user_id: int, workout_id: int) -> None:
        with self.core.stores() as store:
            if not store.delete_workout(user_id, workout_id):
                raise NotFound(f"no workout {workout_id}")
            store.history_changed(user_id)
            store.commit()

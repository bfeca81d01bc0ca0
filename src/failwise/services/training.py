"""The training log's use cases: log a set and get the next one, workouts, history, verdicts.

The coach answers every logged set with the next set's prescription: the
decision engine's verdict plus a load from the lifter's current e1RM on that
exercise. The e1RM comes from the most recent sets (RTS chart on reps + RIR,
with the RIR corrected by the lifter's calibration), so a set that missed its
target moves the next load the right way: logged RIR below target → the
lifter is weaker today than assumed → a lighter next set; above → heavier.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from failwise.domain.analysis import HistoryAnalysis, HistorySet, analyse
from failwise.domain.autoregulation import (
    volume_adjustment,
)
from failwise.domain.calibration import Calibration, RirTest, calibrate
from failwise.domain.context import Phase
from failwise.domain.decision import FailurePolicy, prescribe
from failwise.domain.detection import (
    BASELINE,
    DailyRating,
    FatigueVerdict,
    LoggedSet,
    detect_accumulated_fatigue,
)
from failwise.domain.exercises import (
    MAX_NAME,
    Catalog,
    Equipment,
    Exercise,
    Muscle,
    exercise_from_record,
    exercise_to_record,
)
from failwise.domain.fatigue import RecoveryState as MuscleRecovery
from failwise.domain.fatigue import TimedSet, recovery_state, set_cost
from failwise.domain.guess import guess_exercise
from failwise.domain.inputs import plausible, text
from failwise.domain.personal_records import (
    ExerciseRecords,
    LiftedSet,
    NewRecord,
    personal_records,
    records_broken,
)
from failwise.domain.physique import BODY_FAT_RANGE_PCT, HEIGHT_RANGE_CM, WEIGHT_RANGE_KG
from failwise.domain.session import (
    ASSUMED_RIR,
)
from failwise.domain.stimulus import WorkSet, muscle_sets
from failwise.domain.units import Unit
from failwise.services.catalog import builtin_catalog
from failwise.services.live import (
    ExerciseState,
    NextSet,
    adapt_planned,
    corrector,
    decide_next,
    estimate_e1rm_of,
    last_session,
    planned_today,
    untargeted,
    with_targets,
)
from failwise.services.plausibility import check_load
from failwise.services.ports import Conflict, DuplicateKey, NotFound, Store, StoreFactory
from failwise.services.records import (
    Measurement,
    Readiness,
    SetKey,
    SetType,
    StoredSet,
    User,
    Workout,
    WorkoutKey,
    naive_utc,
)
from failwise.services.reported import MAX_NOTES, check_replay, in_kg, validated
from failwise.services.reported import LogRequest as LogRequest

# The most sets of one exercise the next-set prescription reads.
RECENT_SETS = 60
# The accumulated-fatigue verdict reads 8 weeks of history, and a set barely
# moves it: it is computed once per lifter in this window rather than on every
# logged set. Rating a day, editing, deleting or importing sets clears it.
VERDICT_TTL = timedelta(minutes=30)
# Lifters whose verdict and calibration are kept in memory at once.
CACHED_LIFTERS = 10_000
# Sets older than this do not set today's e1RM.
E1RM_WINDOW = timedelta(weeks=6)
# What a page, a chart or a verdict reads is a window of time, and at most the latest
# SETS_PER_WEEK sets for each of its weeks, WINDOW_SETS in all. The busiest lifter logs
# fewer (about 200 working sets a week, warm-ups besides), so a real history is read whole
# and a year of it fits; an import of a million sets cannot make one request read them all.
SETS_PER_WEEK = 500
WINDOW_SETS = 12_000
# The latest RIR tests the calibration reads: more than any lifter does, and a bound.
CALIBRATION_TESTS = 1_000
# Sets an export reads at a time, while it is being sent.
EXPORT_CHUNK = 1_000
# The most sets of one exercise a logged set is compared with for a new record: more than a
# lifter logs of one exercise in decades (200 a week for 60 years). An exercise with more
# says nothing, rather than announce a record an older set may hold.
RECORD_SETS = 12_000


# What decides how close to failure an exercise may go: left out, they are guessed.
_RISK_ATTRIBUTES = frozenset(
    {"mechanics", "pattern", "fixed_path", "heavy_compound", "injury_risk", "needs_spotter"}
)


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
class LogResult:
    set: StoredSet
    exercise: Exercise
    next: NextSet
    created: bool
    """False when the idempotency key was seen before: nothing new was stored."""
    warning: str | None = None
    """Said when the lifter went to failure on a set that should never approach it."""
    records: tuple[NewRecord, ...] = ()
    """The personal records the set beat (:mod:`failwise.domain.personal_records`)."""


@dataclass(frozen=True, slots=True)
class WorkoutDetail:
    workout: Workout
    sets: tuple[StoredSet, ...]
    complete: bool = True
    """False when only the latest of the workout's sets were read."""


class Coach:
    """The training log's use cases, over any :class:`~failwise.services.ports.StoreFactory`."""

    def __init__(
        self,
        stores: StoreFactory,
        *,
        catalog: Catalog | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.stores = stores
        self.builtin = catalog or builtin_catalog()
        self.clock = clock
        self._verdicts: dict[int, tuple[datetime, FatigueVerdict]] = {}
        self._calibrations: dict[int, Calibration] = {}
        self._catalogs: dict[int, tuple[list[dict[str, Any]], Catalog]] = {}

    def forget(self, user_id: int) -> None:
        """Drop what is cached for the lifter: their stored history changed."""
        self._verdicts.pop(user_id, None)
        self._calibrations.pop(user_id, None)

    # --- the lifter's catalog --------------------------------------------------
    def catalog(self, store: Store, user_id: int) -> Catalog:
        records = store.custom_exercises(user_id)
        if not records:
            return self.builtin
        # The records are compared whole, not counted: a correction changes one in place,
        # and another process (a web worker, the CLI) may have made it.
        cached = self._catalogs.get(user_id)
        if cached is not None and cached[0] == records:
            return cached[1]
        catalog = Catalog((*self.builtin.exercises, *map(exercise_from_record, records)))
        self._remember(self._catalogs, user_id, (records, catalog))
        return catalog

    def exercises(self, user_id: int) -> Catalog:
        with self.stores() as store:
            return self.catalog(store, user_id)

    def add_custom_exercise(self, user_id: int, name: str, **attributes: Any) -> Exercise:
        """Add the lifter's own exercise; what they leave out is guessed from the name
        (and the equipment they name), on the cautious side, and marked as guessed."""
        equipment = attributes.get("equipment")
        hint = f"{name} ({Equipment(equipment).value})" if equipment is not None else name
        guessed = guess_exercise(hint).attributes()
        left_out = _RISK_ATTRIBUTES - set(attributes)
        attributes = {**guessed, **attributes, "guessed": bool(left_out)}
        with self.stores() as store:
            catalog = self.catalog(store, user_id).add_custom(name, **attributes)
            exercise = catalog.exercises[-1]
            store.add_custom_exercise(user_id, exercise_record(exercise))
            store.commit()
        return exercise

    def update_custom_exercise(self, user_id: int, exercise: str, **changes: Any) -> Exercise:
        """Correct the attributes of the lifter's own exercise (by id or any of its names).

        The rule is :meth:`~failwise.domain.exercises.Catalog.correct_custom`: only the
        lifter's own exercises, only the attributes in ``CORRECTABLE``, and the exercise
        is no longer marked as guessed. Raises :class:`UnknownExercise` for a name the
        lifter's catalog does not know, :class:`InvalidInput` for a built-in or a bad value.
        """
        with self.stores() as store:
            store.lock_lifter(user_id)
            catalog = self.catalog(store, user_id)
            found = catalog.resolve(exercise)
            corrected = catalog.correct_custom(found.id, **changes).get(found.id)
            store.update_custom_exercise(user_id, exercise_record(corrected))
            store.commit()
        # The attributes feed the calibration's classes and the fatigue verdict.
        self._catalogs.pop(user_id, None)
        self.forget(user_id)
        return corrected

    # --- workouts ----------------------------------------------------------------
    def start_workout(
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
        with self.stores() as store:
            store.lock_lifter(user_id)
            current = store.open_workout(user_id)
            if current is not None:
                raise Conflict(
                    f"workout {current.id} (started {current.started_at:%Y-%m-%d %H:%M}) "
                    "is still open: finish it first"
                )
            workout = store.add_workout(
                user_id,
                started_at=started_at or self.clock(),
                phase=phase,
                notes=notes,
                name=name,
                plan_session=plan_session,
            )
            store.commit()
        return workout

    def finish_workout(
        self, user_id: int, workout_id: int | None = None, *, finished_at: datetime | None = None
    ) -> Workout:
        with self.stores() as store:
            workout = self._workout(store, user_id, workout_id)
            if not workout.is_open:
                return workout
            done = store.finish_workout(user_id, workout.id, finished_at or self.clock())
            store.commit()
        return done

    def _workout(self, store: Store, user_id: int, workout_id: int | None) -> Workout:
        if workout_id is None:
            workout = store.open_workout(user_id)
            if workout is None:
                raise NotFound("no workout is open: start one first")
            return workout
        found = store.workout(user_id, workout_id)
        if found is None:
            raise NotFound(f"no workout {workout_id}")
        return found

    def workout(
        self,
        user_id: int,
        workout_id: int,
        *,
        limit: int | None = None,
        before: SetKey | None = None,
    ) -> WorkoutDetail:
        """The workout and its sets in the order done: all of them, or the ``limit`` latest
        (done before ``before`` when given: a page of a long workout, read backwards)."""
        with self.stores() as store:
            workout = self._workout(store, user_id, workout_id)
            sets = store.sets(user_id, workout_id=workout.id, latest=limit, before=before)
        return WorkoutDetail(workout, tuple(sets))

    def workouts(
        self, user_id: int, *, limit: int = 50, before: WorkoutKey | None = None
    ) -> list[Workout]:
        """The latest workouts first (started before ``before`` when given)."""
        with self.stores() as store:
            return store.workouts(user_id, limit=limit, before=before)

    def workout_page(
        self, user_id: int, *, limit: int, before: WorkoutKey | None = None, max_sets: int
    ) -> tuple[list[WorkoutDetail], bool]:
        """The latest ``limit`` workouts (started before ``before``) with their sets, and
        whether older workouts remain. At most ``max_sets`` sets are read in all, the
        newest workouts' first, each workout's latest: a workout they leave out is not
        :attr:`~WorkoutDetail.complete`."""
        details = []
        with self.stores() as store:
            listed = store.workouts(user_id, limit=limit + 1, before=before)
            left = max_sets
            for workout in listed[:limit]:
                read = store.sets(user_id, workout_id=workout.id, latest=left + 1)
                complete = len(read) <= left
                shown = read if complete else read[len(read) - left :]
                details.append(WorkoutDetail(workout, tuple(shown), complete))
                left -= len(shown)
        return details, len(listed) > limit

    def delete_workout(self, user_id: int, workout_id: int) -> None:
        with self.stores() as store:
            if not store.delete_workout(user_id, workout_id):
                raise NotFound(f"no workout {workout_id}")
            store.commit()
        self.forget(user_id)

    # --- sets ----------------------------------------------------------------------
    def log_set(self, user_id: int, request: LogRequest) -> LogResult:
        """Store a set (once per idempotency key) and prescribe the next one."""
        now = self.clock()
        with self.stores() as store:
            user = self._user(store, user_id)
            catalog = self.catalog(store, user_id)
            exercise = catalog.resolve(request.exercise)
            unit = request.unit or user.prefs.unit
            new = validated(in_kg(request, unit), exercise)
            if new.idempotency_key is not None:
                existing = store.set_by_key(user_id, new.idempotency_key)
                if existing is not None:
                    check_replay(existing, new, exercise, unit)
                    return self._result(store, user, catalog, existing, request, created=False)
            self._plausible(
                store,
                user_id,
                exercise,
                new.load,
                at=naive_utc(request.logged_at) if request.logged_at else now,
                unit=unit,
                confirmed=request.confirmed,
            )
            store.lock_lifter(user_id)
            if request.workout_id is not None:
                workout = self._workout(store, user_id, request.workout_id)
            else:
                workout = store.open_workout(user_id) or store.add_workout(
                    user_id, started_at=request.logged_at or now, phase=Phase.NORMAL, notes=""
                )
            logged_at = naive_utc(request.logged_at) if request.logged_at else now
            if logged_at < workout.started_at:
                # A set done before the workout's start (a replayed offline
                # queue, out of order): the workout began with it.
                store.move_workout_start(user_id, workout.id, logged_at)
            if untargeted(new):
                # The set's target is what the lifter was shown for it.
                shown = self._next(
                    store,
                    user,
                    catalog,
                    exercise,
                    workout=workout,
                    total_sets=request.total_sets,
                    spotter=request.spotter,
                    at=logged_at,
                    unit=unit,
                )
                new = with_targets(new, shown)
            try:
                stored = store.add_set(user_id, workout.id, new, logged_at=logged_at, now=now)
            except DuplicateKey:
                # A concurrent retry won the race: answer with what it stored.
                assert new.idempotency_key is not None
                existing = store.set_by_key(user_id, new.idempotency_key)
                if existing is None:
                    raise
                check_replay(existing, new, exercise, unit)
                return self._result(store, user, catalog, existing, request, created=False)
            store.commit()
            if new.is_test:
                self._calibrations.pop(user_id, None)
            return self._result(store, user, catalog, stored, request, created=True)

    def _result(
        self,
        store: Store,
        user: User,
        catalog: Catalog,
        stored: StoredSet,
        request: LogRequest,
        *,
        created: bool,
    ) -> LogResult:
        exercise = catalog.get(stored.exercise_id)
        workout = store.workout(user.id, stored.workout_id)
        following = self._next(
            store,
            user,
            catalog,
            exercise,
            workout=workout,
            total_sets=request.total_sets,
            spotter=request.spotter,
            at=stored.logged_at,
            after=stored,
            unit=request.unit,
        )
        warning = None
        if stored.data.to_failure and stored.data.set_type is SetType.WORKING:
            logged_number = min(max(1, following.set_number - 1), following.total_sets)
            before = prescribe(replace(following.context, set_number=logged_number))
            if before.failure is FailurePolicy.NEVER:
                cost = set_cost(stored.data.reps, 0, exercise=exercise)
                short = set_cost(max(1, stored.data.reps - 2), 2, exercise=exercise)
                why = " ".join(reason.text for reason in before.deciding)
                warning = (
                    f"This set should never have gone to failure: {why} It costs about "
                    f"{cost.recovery_hours:.0f} h of recovery against "
                    f"{short.recovery_hours:.0f} h stopping 2 reps short."
                )
        records = self._new_records(store, user.id, catalog, exercise, stored)
        return LogResult(stored, exercise, following, created, warning, records)

    def _new_records(
        self, store: Store, user_id: int, catalog: Catalog, exercise: Exercise, stored: StoredSet
    ) -> tuple[NewRecord, ...]:
        """The records ``stored`` beats among the exercise's other sets (at most the latest
        :data:`RECORD_SETS`: beyond them, none is claimed), e1RMs read as every view does."""
        lifted = lifted_set(stored)
        if not lifted.working:
            return ()
        read = store.sets(user_id, exercise_ids=[exercise.id], latest=RECORD_SETS + 1)
        if len(read) > RECORD_SETS:
            return ()
        corrected = corrector(self._calibration(store, user_id, catalog), exercise)
        others = (lifted_set(s) for s in read if s.id != stored.id)
        before = personal_records(others, corrections=lambda _: corrected).get(exercise.id)
        return records_broken(lifted, before, corrected=corrected)

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
        with self.stores() as store:
            user = self._user(store, user_id)
            catalog = self.catalog(store, user_id)
            found = catalog.resolve(exercise)
            workout = store.open_workout(user_id)
            return self._next(
                store,
                user,
                catalog,
                found,
                workout=workout,
                total_sets=total_sets,
                spotter=spotter,
                at=self.clock(),
                phase=phase,
                unit=unit,
            )

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
        return self._next(
            store,
            user,
            catalog,
            exercise,
            workout=workout,
            total_sets=total_sets,
            spotter=None,
            at=self.clock(),
        )

    def _next(
        self,
        store: Store,
        user: User,
        catalog: Catalog,
        exercise: Exercise,
        *,
        workout: Workout | None,
        total_sets: int | None,
        spotter: bool | None,
        at: datetime,
        after: StoredSet | None = None,
        phase: Phase | None = None,
        unit: Unit | None = None,
    ) -> NextSet:
        state = self._state(store, user, catalog, exercise, workout=workout, at=at, after=after)
        return decide_next(
            state,
            user.prefs,
            catalog,
            exercise,
            workout=workout,
            total_sets=total_sets,
            spotter=spotter,
            phase=phase,
            unit=unit,
            at=at,
        )

    def _state(
        self,
        store: Store,
        user: User,
        catalog: Catalog,
        exercise: Exercise,
        *,
        workout: Workout | None,
        at: datetime,
        after: StoredSet | None,
    ) -> ExerciseState:
        """What the next set of ``exercise`` is decided from, read in one store session."""
        # Enough of the exercise's recent sets for today's count and the last session.
        same = [
            s
            for s in store.sets(
                user.id,
                since=at - E1RM_WINDOW,
                until=at,
                exercise_ids=[exercise.id],
                latest=RECENT_SETS,
            )
            if s.data.set_type is SetType.WORKING
        ]
        is_new = after is not None and all(s.id != after.id for s in same)
        if after is not None and is_new and after.data.set_type is SetType.WORKING:
            same.append(after)
        here = workout.id if workout is not None else None
        today = [s for s in same if s.workout_id == here]
        earlier = [s for s in same if s.workout_id != here]
        calibration = self._calibration(store, user.id, catalog)
        verdict = self._cached_verdict(store, user.id, catalog, at)
        planned = None
        note = ""
        if workout is not None and workout.plan_session:
            planned, note = planned_today(store, user.id, catalog, workout, exercise)
            if planned is not None:
                adapted = adapt_planned(
                    planned.exercise,
                    last_session(earlier, exercise.id),
                    deload=workout.phase is Phase.DELOAD,
                    adjustment=volume_adjustment(verdict),
                    corrected=corrector(calibration, exercise),
                )
                planned = replace(planned, exercise=adapted.planned)
                note = adapted.note
        return ExerciseState(
            today=today,
            earlier=earlier,
            days=store.training_days(
                user.id, since=at - timedelta(days=7), until=at, latest=SETS_PER_WEEK
            ),
            calibration=calibration,
            verdict=verdict,
            planned=planned,
            planned_note=note,
        )

    def edit_set(self, user_id: int, set_id: int, request: LogRequest) -> StoredSet:
        with self.stores() as store:
            stored = store.get_set(user_id, set_id)
            if stored is None:
                raise NotFound(f"no set {set_id}")
            exercise = self.catalog(store, user_id).resolve(request.exercise)
            unit = request.unit or self._user(store, user_id).prefs.unit
            checked = validated(in_kg(request, unit), exercise)
            if not math.isclose(checked.load, stored.data.load):
                self._plausible(
                    store,
                    user_id,
                    exercise,
                    checked.load,
                    at=stored.logged_at,
                    unit=unit,
                    confirmed=request.confirmed,
                    editing=set_id,
                )
            new = replace(
                checked,
                idempotency_key=stored.data.idempotency_key,
                planned=checked.planned or stored.data.planned,
                source=stored.data.source,
            )
            updated = store.update_set(user_id, set_id, new)
            store.commit()
        self.forget(user_id)
        return updated

    def _plausible(
        self,
        store: Store,
        user_id: int,
        exercise: Exercise,
        load_kg: float,
        *,
        at: datetime,
        unit: Unit,
        confirmed: bool,
        editing: int | None = None,
    ) -> None:
        """A load far above the lifter's e1RM is stored only when they confirm it.

        Their e1RM is the best of the exercise's working sets in the window the next
        set is decided from (the set being edited aside): see
        :mod:`failwise.services.plausibility`.
        """
        if confirmed or load_kg <= 0:
            return
        recent = store.sets(
            user_id,
            since=at - E1RM_WINDOW,
            until=at,
            exercise_ids=[exercise.id],
            latest=RECENT_SETS,
        )
        e1rms = [
            e1rm for s in recent if s.id != editing and (e1rm := estimate_e1rm_of(s)) is not None
        ]
        check_load(load_kg, exercise, e1rm=max(e1rms, default=None), unit=unit)

    def delete_set(self, user_id: int, set_id: int) -> None:
        with self.stores() as store:
            if not store.delete_set(user_id, set_id):
                raise NotFound(f"no set {set_id}")
            store.commit()
        self.forget(user_id)

    def get_set(self, user_id: int, set_id: int) -> StoredSet:
        with self.stores() as store:
            stored = store.get_set(user_id, set_id)
        if stored is None:
            raise NotFound(f"no set {set_id}")
        return stored

    # --- readiness and measurements ----------------------------------------------
    def rate_day(self, user_id: int, readiness: Readiness) -> None:
        DailyRating(readiness.day, readiness.sleep, readiness.soreness, readiness.motivation)
        with self.stores() as store:
            store.put_readiness(user_id, readiness)
            store.commit()
        self._verdicts.pop(user_id, None)

    def readiness(self, user_id: int, *, since: date | None = None) -> list[Readiness]:
        with self.stores() as store:
            return store.readiness(user_id, since=since)

    def add_measurement(self, user_id: int, measurement: Measurement) -> None:
        """Store a measurement whose every value is finite and plausible (the physique
        analysis's own ranges: outside them a value is a typo or a unit mix-up)."""
        checks = (
            ("body_weight_kg", WEIGHT_RANGE_KG, "kg"),
            ("height_cm", HEIGHT_RANGE_CM, "cm"),
            ("body_fat_pct", BODY_FAT_RANGE_PCT, "%"),
        )
        for name, (low, high), unit in checks:
            value = getattr(measurement, name)
            if value is not None:
                plausible(value, name, low=low, high=high, unit=unit)
        for site, value in measurement.circumferences_cm.items():
            plausible(value, f"circumferences_cm.{site}", low=1, high=300, unit="cm")
        with self.stores() as store:
            store.add_measurement(user_id, measurement)
            store.commit()

    def measurements(self, user_id: int) -> list[Measurement]:
        with self.stores() as store:
            return store.measurements(user_id)

    # --- history -------------------------------------------------------------------
    def history(
        self,
        user_id: int,
        exercise: str | None = None,
        *,
        since: datetime | None = None,
        before: SetKey | None = None,
        limit: int | None = None,
    ) -> list[StoredSet]:
        """The lifter's sets (of one exercise) in the order done, from ``since``: all of
        them, or only the ``limit`` latest, done before ``before`` when given (pages of the
        history, read from the newest backwards)."""
        with self.stores() as store:
            ids = None
            if exercise is not None:
                ids = [self.catalog(store, user_id).resolve(exercise).id]
            return store.sets(user_id, since=since, exercise_ids=ids, before=before, latest=limit)

    def export_chunks(
        self, user_id: int, *, by_workout: bool = False
    ) -> Iterator[tuple[dict[int, Workout], list[StoredSet]]]:
        """Every set of the lifter with its workout, :data:`EXPORT_CHUNK` at a time, read
        as the chunks are consumed: an export's memory does not grow with the history.
        In the order done, or one workout after another (``by_workout``, see
        :meth:`~failwise.services.ports.Store.set_chunks`)."""
        with self.stores() as store:
            yield from store.set_chunks(user_id, by_workout=by_workout, size=EXPORT_CHUNK)

    def records(
        self, user_id: int, exercise: str | None = None
    ) -> list[tuple[Exercise, ExerciseRecords]]:
        """The lifter's personal records per exercise (of one exercise when named), most
        trained first: :func:`failwise.domain.personal_records.personal_records` over the
        whole history, read :data:`EXPORT_CHUNK` sets at a time (memory does not grow with
        it). Their e1RMs read the calls as every e1RM view does, corrected by the lifter's
        calibration."""
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            only = catalog.resolve(exercise).id if exercise is not None else None
            calibration = self._calibration(store, user_id, catalog)
            corrections: dict[str, Callable[[float], float]] = {}

            def corrected(exercise_id: str) -> Callable[[float], float]:
                if exercise_id not in corrections:
                    found = catalog.get(exercise_id)
                    corrections[exercise_id] = corrector(calibration, found)
                return corrections[exercise_id]

            # One pass over the chunks as they are read: memory holds a chunk and the records.
            lifted = (
                lifted_set(s)
                for _, chunk in store.set_chunks(user_id, size=EXPORT_CHUNK)
                for s in chunk
                if only is None or s.exercise_id == only
            )
            book = personal_records(lifted, corrections=corrected)
        ranked = sorted(book.values(), key=lambda r: (-r.sets, catalog.get(r.exercise_id).name))
        return [(catalog.get(r.exercise_id), r) for r in ranked]

    def e1rm_series(
        self, user_id: int, exercise: str, *, since: datetime | None = None
    ) -> list[tuple[date, float]]:
        """The best estimated 1RM of each day the exercise was trained (calibrated calls),
        from ``since``, out of its latest :data:`WINDOW_SETS` sets."""
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            found = catalog.resolve(exercise)
            sets = store.sets(user_id, since=since, exercise_ids=[found.id], latest=WINDOW_SETS)
            calibration = self._calibration(store, user_id, catalog)
        best: dict[date, float] = {}
        for stored in sets:
            value = estimate_e1rm_of(stored, corrector(calibration, found))
            if value is not None:
                day = stored.logged_at.date()
                best[day] = max(best.get(day, 0.0), value)
        return sorted(best.items())

    def weekly_volume(self, user_id: int, *, weeks: int = 8) -> dict[date, dict[Muscle, float]]:
        """Effective sets per muscle per week (weeks start on Monday), indirect sets as half,
        of the latest sets in those weeks (:func:`window_sets`)."""
        now = self.clock()
        start = (now - timedelta(weeks=weeks - 1, days=now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            sets = store.sets(user_id, since=start, latest=window_sets(now - start))
        by_week: dict[date, list[WorkSet]] = defaultdict(list)
        for stored in sets:
            if not stored.data.set_type.counts_as_work:
                continue
            monday = stored.logged_at.date() - timedelta(days=stored.logged_at.weekday())
            rir = stored.data.rir if stored.data.rir is not None else ASSUMED_RIR
            by_week[monday].append(WorkSet(catalog.get(stored.exercise_id), stored.data.reps, rir))
        return {week: muscle_sets(work) for week, work in sorted(by_week.items())}

    def everything(self, user_id: int) -> tuple[dict[int, Workout], list[StoredSet], Catalog]:
        """All the lifter's workouts and sets (in the order done), and their catalog, in
        memory: for a command line's own history; a server streams (:meth:`export_chunks`)."""
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            workouts = {w.id: w for w in store.workouts(user_id, limit=None)}
            sets = store.sets(user_id)
        return workouts, sets, catalog

    def analysis(
        self, user_id: int, *, since: datetime | None = None, limit: int | None = None
    ) -> HistoryAnalysis:
        """The history read through the article (:mod:`failwise.domain.analysis`): all of
        it, or from ``since`` and only the ``limit`` latest sets (what a page can read)."""
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            sets = store.sets(user_id, since=since, latest=limit)
        calibration = self.calibration(user_id)
        return analyse(
            [
                HistorySet(
                    performed_at=s.logged_at,
                    exercise=catalog.get(s.exercise_id),
                    load=s.data.load,
                    reps=s.data.reps,
                    rir=s.data.rir,
                    working=s.data.set_type.counts_as_work,
                    to_failure=s.data.to_failure,
                    rir_inferred=s.data.rir_inferred,
                    workout=str(s.workout_id),
                )
                for s in sets
            ],
            corrector=lambda exercise: corrector(calibration, exercise),
        )

    # --- the models on stored data ---------------------------------------------
    def calibration(self, user_id: int) -> Calibration:
        with self.stores() as store:
            return self._calibration(store, user_id, self.catalog(store, user_id))

    def calibration_in(self, store: Store, user_id: int, catalog: Catalog) -> Calibration:
        """:meth:`calibration` read in the caller's store session."""
        return self._calibration(store, user_id, catalog)

    def _calibration(self, store: Store, user_id: int, catalog: Catalog) -> Calibration:
        cached = self._calibrations.get(user_id)
        if cached is not None:
            return cached
        tests = [
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
        calibration = calibrate(tests)
        self._remember(self._calibrations, user_id, calibration)
        return calibration

    def _cached_verdict(
        self, store: Store, user_id: int, catalog: Catalog, at: datetime
    ) -> FatigueVerdict:
        hit = self._verdicts.get(user_id)
        # "Not enough history" is read again every time: that history is a few sets, and
        # the set just logged may be the session that makes it enough.
        if hit is not None and hit[1].judged and timedelta(0) <= at - hit[0] <= VERDICT_TTL:
            return hit[1]
        history = store.sets(user_id, since=at - BASELINE, until=at, latest=window_sets(BASELINE))
        verdict = self._verdict(store, user_id, catalog, history, at)
        self._remember(self._verdicts, user_id, (at, verdict))
        return verdict

    @staticmethod
    def _remember(cache: dict[int, Any], user_id: int, value: Any) -> None:
        if len(cache) >= CACHED_LIFTERS:
            cache.pop(next(iter(cache)))
        cache[user_id] = value

    def fatigue(
        self, user_id: int, *, at: datetime | None = None
    ) -> tuple[MuscleRecovery, FatigueVerdict]:
        moment = at or self.clock()
        with self.stores() as store:
            catalog = self.catalog(store, user_id)
            history = store.sets(
                user_id, since=moment - BASELINE, until=moment, latest=window_sets(BASELINE)
            )
            verdict = self._verdict(store, user_id, catalog, history, moment)
        timed = [
            TimedSet(
                s.logged_at,
                WorkSet(
                    catalog.get(s.exercise_id),
                    s.data.reps,
                    s.data.rir if s.data.rir is not None else ASSUMED_RIR,
                ),
            )
            for s in history
            if s.data.set_type.counts_as_work
        ]
        return recovery_state(timed, moment), verdict

    def fatigue_verdicts(self, user_id: int, moments: Sequence[datetime]) -> list[FatigueVerdict]:
        """The accumulated-fatigue verdict at each of ``moments`` (as :meth:`fatigue` gives
        it), from one read of the weeks they look back on (:func:`window_sets`), not one
        read per moment."""
        if not moments:
            return []
        with self.stores() as store:
            return self.fatigue_verdicts_in(store, user_id, self.catalog(store, user_id), moments)

    def fatigue_verdicts_in(
        self, store: Store, user_id: int, catalog: Catalog, moments: Sequence[datetime]
    ) -> list[FatigueVerdict]:
        """:meth:`fatigue_verdicts` read in the caller's store session."""
        if not moments:
            return []
        start, end = min(moments) - BASELINE, max(moments)
        history = store.sets(user_id, since=start, until=end, latest=window_sets(end - start))
        ratings = store.readiness(user_id, since=start.date())
        logged = _logged_sets(history, catalog)
        return [
            detect_accumulated_fatigue(
                logged, at, [r for r in _ratings(ratings) if r.day >= (at - BASELINE).date()]
            )
            for at in moments
        ]

    def _verdict(
        self,
        store: Store,
        user_id: int,
        catalog: Catalog,
        history: Sequence[StoredSet],
        at: datetime,
    ) -> FatigueVerdict:
        ratings = store.readiness(user_id, since=(at - BASELINE).date())
        return detect_accumulated_fatigue(_logged_sets(history, catalog), at, _ratings(ratings))

    def _user(self, store: Store, user_id: int) -> User:
        user = store.user(user_id)
        if user is None:
            raise NotFound(f"no lifter {user_id}")
        return user


def _logged_sets(history: Sequence[StoredSet], catalog: Catalog) -> list[LoggedSet]:
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


def _ratings(days: Sequence[Readiness]) -> list[DailyRating]:
    return [DailyRating(r.day, r.sleep, r.soreness, r.motivation) for r in days]


def exercise_record(exercise: Exercise) -> dict[str, Any]:
    """An exercise as a catalog record (what a custom exercise is stored as)."""
    return exercise_to_record(exercise)

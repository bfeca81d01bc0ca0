"""Logging sets: store a set and answer with the next one; correct, delete and read a set.

Every adapter logs through :meth:`Sets.log`, so the CLI, the API and the pages
store the same set and answer with the same next set (the set's own target,
when the lifter sent none, is the one they were shown for it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from failwise.domain.calibration.history import SessionSet, may_check_a_call
from failwise.domain.context import Phase
from failwise.domain.decision import FailurePolicy, prescribe
from failwise.domain.effort import RirRange, reached_failure
from failwise.domain.exercises import Catalog, Exercise
from failwise.domain.fatigue import set_cost
from failwise.domain.personal_records import (
    ExerciseRecords,
    NewRecord,
    personal_records,
    records_broken,
)
from failwise.domain.techniques import Technique, TechniqueRequest, eligibility, govern
from failwise.domain.units import Unit
from failwise.services.accounts import (
    UNKNOWN_TOKEN,
    AuthenticationFailed,
    extend_if_due,
    hash_token,
)
from failwise.services.core import Core, KeptLog, lifted_set
from failwise.services.live import (
    NextSet,
    NextSetQuery,
    corrector,
    decide_next,
    estimate_e1rm_of,
    shown_target,
    untargeted,
    with_targets,
)
from failwise.services.plausibility import check_load
from failwise.services.ports import DuplicateKey, Locked, NotFound, Store
from failwise.services.prescriptions import E1RM_WINDOW, RECENT_SETS, Prescriptions, Reading
from failwise.services.records import NewSet, SetType, StoredSet, User, Workout, naive_utc
from failwise.services.reported import LogRequest, check_replay, in_kg, patched, validated
from failwise.services.workouts import find_workout, finish_if_quiet


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


class Sets:
    """The lifter's logged sets, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.prescriptions = Prescriptions(core)

    def log(self, user_id: int, request: LogRequest) -> LogResult:
        """Store a set (once per idempotency key) and prescribe the next one.

        One transaction, holding the lifter's writes in line from its first statement
        (which reads the lifter and their open workout too). What the log holds for the
        exercise is read once: the load's plausibility, the set's own target and the next
        set all come from that reading, the set just stored added to it.
        """
        now = self.core.clock()
        with self.core.stores() as store:
            locked = store.lock_to_log(user_id, key=request.idempotency_key)
            if locked is None:
                raise NotFound(f"no lifter {user_id}")
            result, kept = self._log(store, locked, request, now)
        if kept is not None:
            self.core.keep_log(user_id, kept)
        return result

    def log_signed_in(self, token: str, request: LogRequest) -> LogResult:
        """:meth:`log` for the lifter ``token`` signs in (as
        :meth:`~failwise.services.accounts.Accounts.user_for_token` finds them, the token
        extended the same way), in the same transaction and its first statement:
        :class:`~failwise.services.accounts.AuthenticationFailed` for an unknown or
        expired token, and nothing stored."""
        now = self.core.clock()
        digest = hash_token(token)
        with self.core.stores() as store:
            locked = store.lock_signed_in(digest, now, key=request.idempotency_key)
            if locked is None:
                raise AuthenticationFailed(UNKNOWN_TOKEN)
            if locked.token_expires_at is not None:
                extend_if_due(store, digest, locked.token_expires_at, now)
            result, kept = self._log(store, locked, request, now)
        if kept is not None:
            self.core.keep_log(locked.user.id, kept)
        return result

    def _log(
        self, store: Store, locked: Locked, request: LogRequest, now: datetime
    ) -> tuple[LogResult, KeptLog | None]:
        """The set logged, under the lock ``locked`` of its lifter; what this process may
        keep of the lifter's log after it (None for a retry)."""
        user = locked.user
        user_id = user.id
        logged_at = naive_utc(request.logged_at) if request.logged_at else now
        catalog = self.core.catalog(store, user_id)
        exercise = catalog.resolve(request.exercise)
        unit = request.unit or user.prefs.unit
        in_kilograms = in_kg(request, unit)
        new = validated(in_kilograms, exercise)
        replayed = self._replayed(store, user_id, new, exercise, unit)
        if replayed is not None:
            return self._replay(store, user, catalog, replayed, request), None
        workout = self._workout_for(store, locked, request, now, logged_at)
        query = NextSetQuery(
            user,
            catalog,
            exercise,
            workout=workout,
            at=logged_at,
            total_sets=request.total_sets,
            spotter=request.spotter,
            unit=unit,
        )
        read = self.prescriptions.read_to_log(store, query)
        if not request.confirmed and new.load > 0:
            check_load(new.load, exercise, e1rm=_best_e1rm(read.same), unit=unit)
        if untargeted(new):
            # The set's target is what the lifter was shown for it: as the app that showed
            # it says, else as the coach works it out again.
            state = self.prescriptions.state(store, query, read)
            shown = in_kilograms.shown
            target = (
                decide_next(state, query).target
                if shown is None
                else shown_target(
                    state, query, shown.load, shown.reps, RirRange(shown.rir_low, shown.rir_high)
                )
            )
            new = with_targets(new, target)
        # The calibration reads the RIR tests, and the calls the history checks: the
        # exercise's sets so far in this workout tell whether a set to failure checks one.
        session = self._session_sets(
            store, read, workout, _as_session_set(new, exercise), logged_at
        )
        try:
            stored = store.add_set(user_id, workout.id, new, logged_at=logged_at, now=now)
        except DuplicateKey:
            # A concurrent retry won the race: answer with what it stored.
            existing = self._replayed(store, user_id, new, exercise, unit)
            if existing is None:
                raise
            return self._replay(store, user, catalog, existing, request), None
        latest = store.latest_set_at(user_id)
        recalibrates = new.is_test or _checks_calls(new, exercise, session, logged_at, latest)
        if recalibrates:
            store.history_changed(user_id)
        book, records = self._records(
            store, user_id, catalog, exercise, stored, None if recalibrates else read
        )
        after, kept = self.prescriptions.read_after(store, query, read, stored, book)
        drops = _drop_sets_before(store, stored)
        store.commit()
        following = decide_next(self.prescriptions.state(store, query, after, stored), query)
        warning = _warning(stored, exercise, following, drops)
        return LogResult(stored, exercise, following, True, warning, records), kept

    @staticmethod
    def _session_sets(
        store: Store, read: Reading, workout: Workout, new: SessionSet | None, logged_at: datetime
    ) -> Sequence[StoredSet] | None:
        """The exercise's sets so far in ``workout``, when they may tell whether ``new``
        checks a call: from the reading when it holds them all (a workout's sets are done
        from its start on; the reading is of the exercise's latest), else read for a set
        to failure (a long workout); None when they tell nothing (no set to failure)."""
        whole = workout.started_at >= logged_at - E1RM_WINDOW and (
            len(read.same) < RECENT_SETS or read.same[0].logged_at < workout.started_at
        )
        if whole:
            return [s for s in read.same if s.workout_id == workout.id]
        if new is None or not new.at_failure:
            return None
        return store.sets(workout.user_id, workout_id=workout.id, exercise_ids=[new.exercise.id])

    @staticmethod
    def _replayed(
        store: Store, user_id: int, new: NewSet, exercise: Exercise, unit: Unit
    ) -> StoredSet | None:
        """The set stored before under ``new``'s idempotency key (the same set, or
        :func:`~failwise.services.reported.check_replay` says why not), if any."""
        if new.idempotency_key is None:
            return None
        existing = store.set_by_key(user_id, new.idempotency_key)
        if existing is not None:
            check_replay(existing, new, exercise, unit)
        return existing

    @staticmethod
    def _workout_for(
        store: Store, locked: Locked, request: LogRequest, now: datetime, logged_at: datetime
    ) -> Workout:
        """The workout the set goes in: the one named, else the open one, else a new one."""
        user_id = locked.user.id
        if request.workout_id is not None:
            workout = find_workout(store, user_id, request.workout_id)
        else:
            # The open one, unless it went quiet (left open days ago): then it is over.
            latest = store.latest_set_at(user_id)
            workout = finish_if_quiet(
                store, user_id, locked.open_workout, latest, logged_at
            ) or store.add_workout(
                user_id, started_at=request.logged_at or now, phase=Phase.NORMAL, notes=""
            )
        if logged_at < workout.started_at:
            # A set done before the workout's start (a replayed offline
            # queue, out of order): the workout began with it.
            store.move_workout_start(user_id, workout.id, logged_at)
            workout = replace(workout, started_at=logged_at)
        return workout

    def _replay(
        self, store: Store, user: User, catalog: Catalog, stored: StoredSet, request: LogRequest
    ) -> LogResult:
        """The answer to a retry: the set stored the first time, and the next set now."""
        exercise = catalog.get(stored.exercise_id)
        query = NextSetQuery(
            user,
            catalog,
            exercise,
            workout=store.workout(user.id, stored.workout_id),
            at=stored.logged_at,
            total_sets=request.total_sets,
            spotter=request.spotter,
            unit=request.unit,
        )
        following = self.prescriptions.decide(store, query, after=stored)
        warning = _warning(stored, exercise, following, _drop_sets_before(store, stored))
        _, records = self._records(store, user.id, catalog, exercise, stored)
        return LogResult(stored, exercise, following, False, warning, records)

    def _records(
        self,
        store: Store,
        user_id: int,
        catalog: Catalog,
        exercise: Exercise,
        stored: StoredSet,
        read: Reading | None = None,
    ) -> tuple[ExerciseRecords | None, tuple[NewRecord, ...]]:
        """The exercise's personal records with ``stored`` among them, and the records it
        beat among its other working sets (e1RMs read as every view does). The records
        before it are those ``read`` kept, else read: each distinct set once (a lifter
        repeats 3 × 5 at 140 week after week)."""
        corrected = corrector(self.core.calibration(store, user_id, catalog), exercise)
        kept = read.records if read is not None else {}
        if exercise.id in kept:
            before = kept[exercise.id]
        else:
            others = store.distinct_working_sets(user_id, exercise.id, besides=stored.id)
            before = personal_records(others, corrections=lambda _: corrected).get(exercise.id)
        lifted = lifted_set(stored)
        if not lifted.working:
            return before, ()
        earlier = {exercise.id: before} if before is not None else {}
        now = personal_records([lifted], corrections=lambda _: corrected, earlier=earlier)
        return now.get(exercise.id), records_broken(lifted, before, corrected=corrected)

    def edit(self, user_id: int, set_id: int, request: LogRequest) -> StoredSet:
        with self.core.stores() as store:
            stored = store.get_set(user_id, set_id)
            if stored is None:
                raise NotFound(f"no set {set_id}")
            exercise = self.core.catalog(store, user_id).resolve(request.exercise)
            unit = request.unit or self.core.lifter(store, user_id).prefs.unit
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
            store.history_changed(user_id)
            store.commit()
        return updated

    def patch(
        self,
        user_id: int,
        set_id: int,
        changes: Mapping[str, Any],
        *,
        unit: Unit | None = None,
        confirmed: bool = False,
    ) -> StoredSet:
        """Correct the fields in ``changes`` of a logged set (loads in ``unit``, by default
        the lifter's); the others keep their values: the rule is
        :func:`~failwise.services.reported.patched`, checked as :meth:`edit` checks a set."""
        with self.core.stores() as store:
            stored = store.get_set(user_id, set_id)
            if stored is None:
                raise NotFound(f"no set {set_id}")
            loads_in = unit or self.core.lifter(store, user_id).prefs.unit
        return self.edit(user_id, set_id, patched(stored, changes, loads_in, confirmed=confirmed))

    @staticmethod
    def _plausible(
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
        others = [s for s in recent if s.id != editing]
        check_load(load_kg, exercise, e1rm=_best_e1rm(others), unit=unit)

    def delete(self, user_id: int, set_id: int) -> None:
        with self.core.stores() as store:
            if not store.delete_set(user_id, set_id):
                raise NotFound(f"no set {set_id}")
            store.history_changed(user_id)
            store.commit()

    def get(self, user_id: int, set_id: int) -> StoredSet:
        with self.core.stores() as store:
            stored = store.get_set(user_id, set_id)
        if stored is None:
            raise NotFound(f"no set {set_id}")
        return stored


def _as_session_set(new: NewSet, exercise: Exercise) -> SessionSet | None:
    """``new`` as the calls the history checks read it: a plain working set (None else)."""
    if new.set_type is not SetType.WORKING:
        return None
    return SessionSet(exercise, new.load, new.reps, rir=new.rir, to_failure=new.to_failure)


def _checks_calls(
    new: NewSet,
    exercise: Exercise,
    session: Sequence[StoredSet] | None,
    logged_at: datetime,
    latest: datetime | None,
) -> bool:
    """Whether logging ``new`` may change the calls the lifter's history checks
    (:func:`~failwise.domain.calibration.history.may_check_a_call`): ``session`` is the
    exercise's sets so far in the workout it goes in; None when they are not all known
    (the set is then no set to failure: one is given them), and any set to failure
    counts as checking a call."""
    added = _as_session_set(new, exercise)
    if added is None:
        return False
    after_the_rest = latest is None or logged_at >= latest
    if session is None:
        return added.at_failure or may_check_a_call(added, [], after_the_rest=after_the_rest)
    before = [
        SessionSet(exercise, s.data.load, s.data.reps, rir=s.data.rir, to_failure=s.data.to_failure)
        for s in session
        if s.data.set_type is SetType.WORKING
    ]
    return may_check_a_call(added, before, after_the_rest=after_the_rest)


def _best_e1rm(sets: Iterable[StoredSet]) -> float | None:
    """The best e1RM of ``sets`` (their working sets), the plausibility check's reference:
    each distinct set once (a lifter repeats 3 × 5 at 140, set after set)."""
    distinct = {
        (s.data.set_type, s.data.load, s.data.reps, s.data.rir, s.data.to_failure): s for s in sets
    }
    return max(
        (e1rm for s in distinct.values() if (e1rm := estimate_e1rm_of(s)) is not None),
        default=None,
    )


# The intensity techniques a set type records (Technique's words for them).
_TECHNIQUES = {
    SetType.DROP: Technique.DROP_SET,
    SetType.REST_PAUSE: Technique.REST_PAUSE,
    SetType.FORCED: Technique.FORCED_REPS,
}


# The refusals that come from the set's own failure decision (techniques.eligibility).
_THE_SETS_OWN = frozenset({"never-set", "avoid-set"})


def _drop_sets_before(store: Store, stored: StoredSet) -> int:
    """The drop sets done earlier in the workout of ``stored``, a drop set (else 0: only
    a drop set is counted against the session's most)."""
    if stored.data.set_type is not SetType.DROP:
        return 0
    done = store.sets(stored.user_id, workout_id=stored.workout_id)
    return sum(1 for s in done if s.data.set_type is SetType.DROP and s.position < stored.position)


def _warning(
    stored: StoredSet, exercise: Exercise, following: NextSet, drop_sets_before: int
) -> str | None:
    """What to say of a set the coach's rules would not have had done: a working set to
    failure that should never have approached it, or a technique they refuse."""
    technique = _TECHNIQUES.get(stored.data.set_type)
    if technique is not None:
        return _technique_warning(following, technique, drop_sets_before)
    return _failure_warning(stored, exercise, following)


def _technique_warning(
    following: NextSet, technique: Technique, drop_sets_before: int
) -> str | None:
    """What the technique governor says of a technique done after the exercise's last
    working set, if it refuses.

    What follows is not known yet, and a technique ends an exercise: it is judged as on
    the exercise's last set, at the end of the workout (the rules of where it goes in a
    session are the next set's to tell, and ``failwise technique`` asks them first).
    """
    last = replace(following.context, set_number=following.total_sets)
    decision = govern(TechniqueRequest(last, technique, drop_sets_done=drop_sets_before))
    if decision.allowed:
        return None
    # In the lifter's words: the set's refusals without the ids of the rules behind them
    # (the governor names them for `failwise technique`), and those rules' reasons.
    prescription = prescribe(last)
    plain = {r.rule: r.text for r in eligibility(last, technique, prescription.failure)}
    said = []
    for refusal in decision.refusals:
        text = plain.get(refusal.rule, refusal.text)
        if refusal.rule in _THE_SETS_OWN:
            reasons = " ".join(reason.text for reason in prescription.deciding)
            text = f"{text.removesuffix('.')}: {reasons}"
        said.append(text)
    return (
        f"The coach would not have had this {technique.value.replace('-', ' ')} done: "
        + " ".join(said)
    )


def _failure_warning(stored: StoredSet, exercise: Exercise, following: NextSet) -> str | None:
    """What to say of a working set taken to failure (marked so, or logged with no rep
    left) that should never have approached it."""
    data = stored.data
    if not reached_failure(data.rir, data.to_failure) or data.set_type is not SetType.WORKING:
        return None
    logged_number = min(max(1, following.set_number - 1), following.total_sets)
    before = prescribe(replace(following.context, set_number=logged_number))
    if before.failure is not FailurePolicy.NEVER:
        return None
    cost = set_cost(data.reps, 0, exercise=exercise)
    short = set_cost(max(1, data.reps - 2), 2, exercise=exercise)
    why = " ".join(reason.text for reason in before.deciding)
    how = "" if data.to_failure else " (you logged no rep left)"
    return (
        f"This set should never have gone to failure{how}: {why} It costs about "
        f"{cost.recovery_hours:.0f} h of recovery against "
        f"{short.recovery_hours:.0f} h stopping 2 reps short."
    )

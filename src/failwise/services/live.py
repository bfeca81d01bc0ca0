"""The live loop in the services: the next set of an exercise, from what the log holds.

:class:`ExerciseState` is what the store gives for one exercise (today's sets,
the sessions before, the calibration, the fatigue verdict, the planned
session); :func:`decide_next` turns it into the next set with the rules of
:mod:`failwise.domain.session` (within a session) and
:func:`failwise.domain.autoregulation.adjust_next` (between sessions). Every
adapter's next set comes from here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from failwise.domain.autoregulation import (
    ExerciseTargets,
    NextTargets,
    Performance,
    VolumeAdjustment,
    adjust_next,
    adjusted_sets,
)
from failwise.domain.calibration import Calibration, RirCorrector, rir_corrector
from failwise.domain.context import Phase, SetContext, movement_of, weekly_frequency_on
from failwise.domain.decision import FailurePolicy, Prescription, Reason, Techniques, prescribe
from failwise.domain.detection import FatigueVerdict
from failwise.domain.effort import RirRange
from failwise.domain.exercises import Catalog, Equipment, Exercise, Mechanics
from failwise.domain.planning import (
    PLAN_WEEK,
    PlanExercise,
    PlanSet,
    held_short,
    plan_from_dict,
)
from failwise.domain.session import (
    SessionSet,
    aim_of,
    free_rep_range,
    next_session_load,
    session_e1rm,
    set_e1rm,
    taken_rir,
    uncorrected,
)
from failwise.domain.units import KG, Unit
from failwise.services.ports import Store
from failwise.services.records import NewSet, SetType, StoredSet, User, Workout

DEFAULT_SETS = 3
"""Working sets of an exercise when neither the lifter nor a plan says."""
SESSION_SETS = 1_000
"""The most sets of a workout read to see how far its planned session has gone: more
than any plan holds, and a bound on a workout an import filled with a million sets."""
# Equipment that can be used with no added load.
UNLOADED = {Equipment.BODYWEIGHT, Equipment.BAND}


@dataclass(frozen=True, slots=True)
class NextSet:
    """The next set of an exercise: the decision, and the load and reps for it."""

    exercise: Exercise
    prescription: Prescription
    set_number: int
    total_sets: int
    reps: int
    aim_rir: float
    """The RIR the load is computed for, within the target range."""
    load: float | None
    """Rounded to the exercise's increment; None without an e1RM to go on."""
    e1rm: float | None
    rir_correction: float
    """Reps the lifter's calibration adds to their RIR call on a set of :attr:`reps` reps."""
    fatigue: FatigueVerdict
    context: SetContext
    """What the decision was made from."""
    exercise_done: bool = False
    """The exercise's planned working sets are done: ``set_number`` is past ``total_sets``."""
    next_exercise: Exercise | None = None
    """When the exercise is done in a planned session: the session's next exercise."""
    unit: Unit = KG
    """The lifter's unit: :attr:`load_shown` is in it."""
    why: str = ""
    """Why the load is what it is (held, lighter, heavier, the plan's)."""
    planned: str | None = None
    """The planned set this is, in a planned session."""
    assumed_rir: float | None = None
    """The RIR the set before it was taken at, when it was logged without one."""

    @property
    def target(self) -> Target | None:
        """What a set done as this one is shown aims at (None past the planned sets)."""
        if self.exercise_done:
            return None
        return Target(self.load, self.reps, self.prescription.target_rir, self.planned)

    @property
    def load_shown(self) -> float | None:
        """The load in the lifter's unit, as they put it on the bar."""
        if self.load is None:
            return None
        # On the lifter's plates already (held as lifted, or a whole number of steps
        # from a load they lifted or on the exercise's steps): only the unit to convert.
        return round(self.unit.of_kg(self.load), 3)


def untargeted(new: NewSet) -> bool:
    """A working set logged with no target of its own (not an RIR test)."""
    return (
        new.set_type is SetType.WORKING
        and not new.is_test
        and new.target_load is None
        and new.target_reps is None
        and new.target_rir_low is None
        and new.target_rir_high is None
    )


@dataclass(frozen=True, slots=True)
class Target:
    """What a set was shown to aim at: the load (kg; None without one), the reps, the RIR
    range, and the planned set it carries out (None outside a planned session)."""

    load: float | None
    reps: int
    rir: RirRange
    planned: str | None = None


def with_targets(new: NewSet, shown: Target | None) -> NewSet:
    """The set with the prescription it carried out as its target (None: it had none).

    Target reps are only kept when the prescribed load was lifted: the fatigue
    detector reads reps short of target as a warning sign, and fewer reps with
    a heavier load than prescribed are not a miss. A set past the exercise's
    planned sets is an extra: it had no target.
    """
    if shown is None:
        return new
    changes: dict[str, Any] = {"target_rir_low": shown.rir.low, "target_rir_high": shown.rir.high}
    if shown.load is not None and math.isclose(shown.load, new.load, rel_tol=0.01, abs_tol=0.05):
        changes.update(target_load=shown.load, target_reps=shown.reps)
    elif shown.load is None and shown.planned is not None:
        # The plan's reps, at a load the lifter chose: the reps were still the target.
        changes["target_reps"] = shown.reps
    if new.planned is None and shown.planned is not None:
        changes["planned"] = shown.planned
    return replace(new, **changes)


def shown_target(
    state: ExerciseState, query: NextSetQuery, load: float | None, reps: int, rir: RirRange
) -> Target | None:
    """The target of the set the state's next one is, as an app showed it to the lifter
    (``load`` in kg): what :meth:`NextSet.target` would say with the shown numbers, and
    without working the decision out again. None for a set past the planned ones."""
    position = _position(state, query)
    if position.done:
        return None
    return Target(load, reps, rir, position.planned_key)


def corrector(calibration: Calibration, exercise: Exercise) -> RirCorrector:
    """The lifter's calibration as a map from a called RIR, and the set's reps, to the true one
    (:func:`failwise.domain.calibration.rir_corrector`)."""
    return rir_corrector(calibration, exercise)


def _default_reps(exercise: Exercise) -> int:
    # With nothing logged: compounds in the 6–10 range, isolation in the 10–15 range.
    return 12 if exercise.mechanics is Mechanics.ISOLATION else 8


def session_set(stored: StoredSet) -> SessionSet:
    data = stored.data
    return SessionSet(
        load=data.load,
        reps=data.reps,
        rir=data.rir,
        to_failure=data.to_failure,
        target_load=data.target_load,
        target_reps=data.target_reps,
        target_rir=data.target_rir,
    )


def _said_today(today: Sequence[StoredSet]) -> int | None:
    """The working sets the lifter last said the exercise has today (``--sets 4`` on the
    first set holds for the sets after it), if they said it."""
    for stored in reversed(today):
        if stored.data.target_sets is not None:
            return stored.data.target_sets
    return None


def _session_reps(today: Sequence[StoredSet]) -> int:
    """The reps today's sets aim at: the latest target, else what the first set did.

    A miss never sets the target: 3 reps to failure on a set aimed at 5 leaves 5.
    """
    for stored in reversed(today):
        if stored.data.target_reps is not None:
            return stored.data.target_reps
    return today[0].data.reps


def last_session(sets: Sequence[StoredSet], exercise_id: str) -> list[StoredSet]:
    """The working sets of the exercise from the most recent workout that had it."""
    return last_sessions(sets, exercise_id)[0]


def last_sessions(
    sets: Sequence[StoredSet], exercise_id: str
) -> tuple[list[StoredSet], list[StoredSet]]:
    """The working sets of the exercise from the most recent workout that had it, and
    from the one before that (empty lists where there is none)."""
    chosen = [
        s for s in sets if s.exercise_id == exercise_id and s.data.set_type is SetType.WORKING
    ]
    # The workouts that had it, the latest first.
    latest_first = list(dict.fromkeys(s.workout_id for s in reversed(chosen)))

    def session(index: int) -> list[StoredSet]:
        if index >= len(latest_first):
            return []
        return [s for s in chosen if s.workout_id == latest_first[index]]

    return session(0), session(1)


def fell_short(session: Sequence[StoredSet]) -> bool:
    """Whether a set of this session fell short of the reps it was shown (a missed
    session, for :func:`~failwise.domain.autoregulation.adjust_next`)."""
    return any(
        s.data.target_reps is not None and s.data.load > 0 and s.data.reps < s.data.target_reps
        for s in session
    )


def _performances(sets: Sequence[StoredSet]) -> list[Performance]:
    return [
        Performance(s.data.load, s.data.reps, taken_rir(session_set(s))[0])
        for s in sets
        if s.data.load > 0
    ]


def _progression(
    earlier: Sequence[StoredSet],
    exercise: Exercise,
    aim: float,
    corrected: RirCorrector,
) -> NextTargets | None:
    """The first set of a free session: double progression from the last session."""
    last, before = last_sessions(earlier, exercise.id)
    performances = _performances(last)
    if not performances:
        return None
    first = last[0].data
    reps = first.target_reps or first.reps
    ranges = [s.data.target_rir for s in last]
    known = [r for r in ranges if r is not None]
    # Sets shown a target and done against it; imported sets had none, and an RIR test
    # goes to failure on purpose: neither exceeded an aim or missed reps it was given.
    aimed = len(known) == len(ranges) and not any(s.data.is_test for s in last)
    target = (
        RirRange(min(r.low for r in known), max(r.high for r in known))
        if known
        else RirRange(aim, aim)
    )
    targets = ExerciseTargets(
        reps=reps, target_rir=target, rep_range=free_rep_range(exercise, reps)
    )
    return adjust_next(
        targets,
        performances,
        exercise,
        corrected=corrected,
        missed_before=fell_short(before),
        aimed=aimed,
    )


@dataclass(frozen=True, slots=True)
class TodayExercise:
    planned: PlanExercise
    """The exercise with its sets as today's session should do them."""
    note: str
    """Why the loads or sets differ from the plan, when they do."""

    def planned_key(self, plan_session: str, exercise_index: int, set_index: int) -> str:
        return f"{plan_session}:{exercise_index}:{set_index}"


def adapt_planned(
    planned: PlanExercise,
    sessions: tuple[Sequence[StoredSet], Sequence[StoredSet]],
    *,
    deload: bool,
    adjustment: VolumeAdjustment,
    corrected: RirCorrector = uncorrected,
) -> TodayExercise:
    """A planned exercise as today's session does it: loads and reps from the last
    session (autoregulation: ``sessions`` are the exercise's last one and the one
    before, as :func:`last_sessions` gives them), sets held or cut on the fatigue
    verdict."""
    last, before = sessions
    exercise = planned.exercise
    notes = []
    sets = list(planned.sets)
    performances = _performances(last)
    if performances and not deload:
        following = adjust_next(
            ExerciseTargets.of(planned),
            performances,
            exercise,
            corrected=corrected,
            missed_before=fell_short(before),
        )
        sets = [replace(s, load_kg=following.load_kg, reps=following.reps) for s in sets]
        notes.append(following.text)
    if not deload and not adjustment.ramp:
        count = adjusted_sets(len(sets), len(last) or len(sets), adjustment)
        if count < len(sets):
            sets = sets[:count]
            notes.append(adjustment.reason)
    return TodayExercise(replace(planned, sets=tuple(sets)), " ".join(notes))


@dataclass(frozen=True, slots=True)
class _Planned:
    """The exercise as today's planned session has it."""

    session: str
    """The planned session's key (``<plan>:<week>:<session>``)."""
    index: int
    """The exercise's place in the session."""
    exercise: PlanExercise
    next_exercise: Exercise | None
    """The session's next exercise with sets still to do."""
    since: datetime = datetime.min
    """Sets before this do not adapt the plan's sessions (:func:`plan_history_since`)."""

    @property
    def sets(self) -> tuple[PlanSet, ...]:
        return self.exercise.sets

    def key(self, set_number: int) -> str:
        return f"{self.session}:{self.index}:{set_number - 1}"


def plan_history_since(created_at: datetime) -> datetime:
    """The first moment whose sets count for a plan made at ``created_at``: a day before
    it (a workout begun just before the plan was made). Sets before it do not adapt the
    plan's sessions: its loads were already read from them (their e1RMs)."""
    return created_at - timedelta(days=1)


def planned_today(
    store: Store, user_id: int, catalog: Catalog, workout: Workout, exercise: Exercise
) -> tuple[_Planned | None, str]:
    """The plan's sets of ``exercise`` in the planned session the workout carries out."""
    assert workout.plan_session is not None
    stored = store.active_plan(user_id)
    plan_id, week_text, session_text = workout.plan_session.split(":")
    if stored is None or str(stored.id) != plan_id:
        return None, ""
    plan = plan_from_dict(stored.data, catalog)
    week = plan.weeks[min(int(week_text), len(plan.weeks)) - 1]
    session = week.sessions[int(session_text) % len(week.sessions)]
    index = next(
        (i for i, item in enumerate(session.exercises) if item.exercise.id == exercise.id), None
    )
    if index is None:
        return None, ""
    done: dict[str, int] = defaultdict(int)
    for s in store.sets(user_id, workout_id=workout.id, latest=SESSION_SETS):
        if s.data.set_type is SetType.WORKING:
            done[s.exercise_id] += 1
    following = next(
        (
            item.exercise
            for item in (*session.exercises[index + 1 :], *session.exercises[:index])
            if done[item.exercise.id] < len(item.sets)
        ),
        None,
    )
    since = plan_history_since(stored.created_at)
    return _Planned(workout.plan_session, index, session.exercises[index], following, since), ""


@dataclass(frozen=True, slots=True)
class ExerciseState:
    """What the next set of one exercise is decided from."""

    today: list[StoredSet]
    """Its working sets in the open workout, in order."""
    earlier: list[StoredSet]
    """Its working sets before, in the e1RM window."""
    days: Sequence[tuple[datetime, str, SetType]]
    """When something was trained in the last week: the last set of each day, exercise and
    set type (:meth:`~failwise.services.ports.Store.trained_days`)."""
    calibration: Calibration
    verdict: FatigueVerdict
    planned: _Planned | None
    planned_note: str


def _weekly_frequency(
    days: Sequence[tuple[datetime, str, SetType]],
    catalog: Catalog,
    exercise: Exercise,
    at: datetime,
) -> int:
    """Days in the last week on which this movement was trained, today included: the
    plan's count (:func:`failwise.domain.context.movement_of`, the exercise itself)."""
    movement = movement_of(exercise)
    trained = sorted(
        {
            done.date()
            for done, exercise_id, kind in days
            if kind.counts_as_work and movement_of(catalog.get(exercise_id)) == movement
        }
    )
    return weekly_frequency_on(trained, at.date())


@dataclass(frozen=True, slots=True)
class NextSetQuery:
    """What the next set is asked for: whose, which exercise, in which workout and when,
    and what the lifter says of it (each left ``None`` is read from their settings, the
    plan or their last session)."""

    user: User
    catalog: Catalog
    exercise: Exercise
    workout: Workout | None
    at: datetime
    total_sets: int | None = None
    spotter: bool | None = None
    phase: Phase | None = None
    unit: Unit | None = None


def _set_context(state: ExerciseState, query: NextSetQuery, number: int, total: int) -> SetContext:
    """What the decision for set ``number`` of ``total`` is made from."""
    prefs, workout = query.user.prefs, query.workout
    return SetContext(
        exercise=query.exercise,
        set_number=number,
        total_sets=total,
        weekly_frequency=_weekly_frequency(state.days, query.catalog, query.exercise, query.at),
        phase=query.phase or (workout.phase if workout else Phase.NORMAL),
        spotter=prefs.spotter if query.spotter is None else query.spotter,
        fatigued=state.verdict.fatigued,
        lagging=prefs.lagging,
        experience=prefs.experience,
        call_trust=state.calibration.call_trust,
    )


@dataclass(frozen=True, slots=True)
class _Position:
    """Where the state's next set stands among the exercise's sets of today."""

    set_number: int
    total: int
    """The working sets today: the lifter's, else the plan's, else as many as last time."""
    plan_set: PlanSet | None
    planned_key: str | None

    @property
    def number(self) -> int:
        """The set decided for: an extra past the last one is decided as the last."""
        return min(self.set_number, self.total)

    @property
    def done(self) -> bool:
        return self.set_number > self.total


def _position(state: ExerciseState, query: NextSetQuery) -> _Position:
    planned = state.planned
    total = (
        query.total_sets
        or _said_today(state.today)
        or (
            len(planned.sets)
            if planned
            else len(last_session(state.earlier, query.exercise.id)) or DEFAULT_SETS
        )
    )
    set_number = len(state.today) + 1
    number = min(set_number, total)
    plan_set = planned.sets[number - 1] if planned and number <= len(planned.sets) else None
    key = planned.key(number) if planned and plan_set else None
    return _Position(set_number, total, plan_set, key)


def decide_next(state: ExerciseState, query: NextSetQuery) -> NextSet:
    """The next set of the exercise: the decision, its target, and the load and reps for it."""
    exercise = query.exercise
    shown_in = query.unit or query.user.prefs.unit
    corrected = corrector(state.calibration, exercise)
    planned = state.planned
    position = _position(state, query)
    plan_set = position.plan_set
    context = _set_context(state, query, position.number, position.total)
    decision = prescribe(context)
    if plan_set is not None and plan_set.failure.strength >= decision.failure.strength:
        # The plan's week sets the effort (its RIR progression), unless the
        # lifter's state today calls for more caution than the plan had.
        decision = _as_planned(decision, plan_set)
    aim = aim_of(decision.target_rir)
    step_kg = shown_in.step(exercise.increment_kg) * shown_in.kg_per_unit
    reps, load, why, e1rm = _targets(state, exercise, plan_set, aim, step_kg, shown_in, corrected)
    if load is not None and load == 0 and exercise.equipment not in UNLOADED:
        load = step_kg
    following = planned.next_exercise if planned else None
    return NextSet(
        exercise=exercise,
        prescription=decision,
        set_number=position.set_number,
        total_sets=position.total,
        reps=reps,
        aim_rir=aim,
        load=load,
        e1rm=e1rm,
        rir_correction=state.calibration.correction_for(reps),
        fatigue=state.verdict,
        context=context,
        exercise_done=position.done,
        next_exercise=following if position.done else None,
        unit=shown_in,
        why=why,
        planned=position.planned_key,
        assumed_rir=_assumed(state.today),
    )


def _assumed(today: Sequence[StoredSet]) -> float | None:
    """The RIR today's last set is taken at when it was logged without one."""
    if not today or today[-1].data.rir is not None:
        return None
    rir, assumed = taken_rir(session_set(today[-1]))
    return rir if assumed else None


def _as_planned(decision: Prescription, plan_set: PlanSet) -> Prescription:
    """The decision with the plan's target for this week.

    A set the rules would take to failure that this week of the plan still
    holds short of it (its effort rises week by week) is shown as what it is:
    a set to stop short on, with the plan's reason first.
    """
    target = plan_set.target_rir
    if not held_short(decision.failure, target):
        return replace(decision, target_rir=target)
    reason = Reason(
        PLAN_WEEK,
        FailurePolicy.AVOID,
        f"This week of your plan holds the set at {target}: the effort rises week by week, "
        "and failure comes in the last weeks.",
    )
    return replace(
        decision,
        failure=FailurePolicy.AVOID,
        target_rir=target,
        techniques=Techniques(),
        reasons=(reason, *decision.reasons),
    )


def _targets(
    state: ExerciseState,
    exercise: Exercise,
    plan_set: PlanSet | None,
    aim: float,
    step_kg: float,
    unit: Unit,
    corrected: RirCorrector,
) -> tuple[int, float | None, str, float | None]:
    """Reps, load (kg, on the lifter's plates), why, and the e1RM they came from."""
    if state.today:
        last = state.today[-1]
        done = session_set(last)
        reps = plan_set.reps if plan_set else _session_reps(state.today)
        base = last.data.load
        if plan_set is not None and plan_set.load_kg and last.data.target_load:
            # The plan's step from this set to the next, from where the lifter's load stands.
            base = last.data.load * plan_set.load_kg / last.data.target_load
        if done.load <= 0:
            return reps, (0.0 if exercise.equipment in UNLOADED else None), "", None
        e1rm = session_e1rm(done, corrected)
        step = next_session_load(
            done, base=base, reps=reps, aim=aim, step=step_kg, corrected=corrected
        )
        if step.reps is not None and plan_set is None:
            # The load held, one step being too big a change: the reps move instead
            # (a plan's reps are the plan's).
            reps = step.reps
        if step.moved == 0 and base == last.data.load:
            return reps, last.data.load, step.why, e1rm
        # Whole steps from the load just lifted: the lifter's plates made it.
        load = unit.stepped(step.load, last.data.load, exercise.increment_kg)
        return reps, load, step.why, e1rm
    if plan_set is not None and plan_set.load_kg:
        load = unit.rounded_kg(plan_set.load_kg, exercise.increment_kg)
        return plan_set.reps, load, state.planned_note or "the plan's load", None
    progression = _progression(state.earlier, exercise, aim, corrected)
    if progression is None:
        reps = plan_set.reps if plan_set else _default_reps(exercise)
        return reps, None, "", None
    reps = plan_set.reps if plan_set else progression.reps
    load = unit.rounded_kg(progression.load_kg, exercise.increment_kg)
    return reps, load, progression.text, progression.e1rm


def estimate_e1rm_of(stored: StoredSet, corrected: RirCorrector = uncorrected) -> float | None:
    """The e1RM a working set shows (:func:`failwise.domain.session.set_e1rm`)."""
    data = stored.data
    if data.set_type is not SetType.WORKING or data.load <= 0:
        return None
    return set_e1rm(data.load, data.reps, data.rir, to_failure=data.to_failure, corrected=corrected)

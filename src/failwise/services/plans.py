"""Plans: the physique analysis, generating a mesocycle, and today's session from it.

Today's session is the first planned session not yet trained, adapted to what
the lifter logged: each exercise's load comes from the last time it was
trained in this plan (:func:`~failwise.domain.autoregulation.adjust_next`:
beat the targets → heavier, the reps made but harder than aimed → held, short
of the reps → held once, then lighter, double progression in the rep range),
the sets are held or cut when the fatigue verdict says so, and the deload comes
early when accumulated fatigue persists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from failwise.domain.autoregulation import (
    MesocycleOutcome,
    needs_early_deload,
    next_mesocycle,
    volume_adjustment,
)
from failwise.domain.context import Experience, Phase
from failwise.domain.detection import FatigueVerdict
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Muscle
from failwise.domain.physique import (
    BodyInput,
    PhysiqueReport,
    Sex,
    analyse_physique,
    lifts_from_e1rms,
)
from failwise.domain.planning import (
    Goal,
    Plan,
    PlanRequest,
    PlanSession,
    generate_plan,
    plan_from_dict,
    plan_to_dict,
    request_from_dict,
    request_to_dict,
)
from failwise.services.core import Core, window_sets
from failwise.services.insights import fatigue_verdicts_in
from failwise.services.live import (
    TodayExercise,
    adapt_planned,
    corrector,
    estimate_e1rm_of,
    last_sessions,
    plan_history_since,
)
from failwise.services.ports import NotFound, Store
from failwise.services.records import SetType, StoredPlan, StoredSet, User, Workout
from failwise.services.workouts import Workouts, latest_set_at, went_quiet

# e1RMs older than this do not start a plan's loads.
E1RM_WINDOW = timedelta(weeks=8)
PREFERRED_WINDOW = timedelta(weeks=12)
"""How far back a lift in the log counts as one the lifter trains, for a new plan: two
mesocycles (5 to 7 weeks each), so the lifts of the block before the last still count."""
# The weekly fatigue verdicts an early deload is decided from: the latest weeks of the
# plan, at most this many (a mesocycle lasts 5 to 7 weeks; a plan left running for a
# year must not cost a verdict per week on every page).
VERDICT_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Today:
    plan: StoredPlan
    week: int
    """1-based week of the mesocycle."""
    session_index: int
    """0-based session within the week."""
    session: PlanSession
    deload: bool
    early_deload: bool
    """The deload came before its week because accumulated fatigue persisted."""
    exercises: tuple[TodayExercise, ...]
    fatigue: FatigueVerdict
    volume_note: str
    workout: Workout | None
    """The open workout carrying out this session, once started."""

    @property
    def key(self) -> str:
        return f"{self.plan.id}:{self.week}:{self.session_index}"


class Plans:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.workouts = Workouts(core)

    # --- what the plan starts from ---------------------------------------------
    def recent_e1rms(self, user_id: int) -> dict[str, float]:
        """The best e1RM of each exercise in the last weeks (their latest sets), by id."""
        since = self.core.clock() - E1RM_WINDOW
        best: dict[str, float] = {}
        with self.core.stores() as store:
            for stored in store.sets(user_id, since=since, latest=window_sets(E1RM_WINDOW)):
                value = estimate_e1rm_of(stored)
                if value is not None and value > best.get(stored.exercise_id, 0.0):
                    best[stored.exercise_id] = value
        return best

    def trained_lifts(self, user_id: int) -> list[str]:
        """The exercises the lifter trains, most working sets first (then by id): every
        exercise with a working set in the last :data:`PREFERRED_WINDOW` (their latest
        sets). A plan keeps them over substitutes (:attr:`PlanRequest.preferred`)."""
        since = self.core.clock() - PREFERRED_WINDOW
        counts: dict[str, int] = defaultdict(int)
        with self.core.stores() as store:
            for stored in store.sets(user_id, since=since, latest=window_sets(PREFERRED_WINDOW)):
                if stored.data.set_type is SetType.WORKING:
                    counts[stored.exercise_id] += 1
        return sorted(counts, key=lambda exercise_id: (-counts[exercise_id], exercise_id))

    def physique(self, user_id: int) -> PhysiqueReport:
        """The physique and strength analysis from the latest measurements and e1RMs."""
        with self.core.stores() as store:
            user = _user(store, user_id)
            measurements = store.measurements(user_id)
        body = _body(user, measurements[-1] if measurements else None)
        lifts = lifts_from_e1rms(self.recent_e1rms(user_id))
        return analyse_physique(body, lifts or None)

    def request_for(
        self,
        user_id: int,
        *,
        goal: Goal | str = Goal.HYPERTROPHY,
        days: int = 3,
        minutes: int = 60,
        equipment: Sequence[Equipment | str] | None = None,
        spotter: bool | None = None,
        lagging: Sequence[Muscle | str] | None = None,
        experience: Experience | str | None = None,
        seed: int = 0,
        accumulation_weeks: int | None = None,
        preferred: Sequence[str] | None = None,
    ) -> PlanRequest:
        """A plan request, the gaps filled from the lifter's settings, e1RMs and physique;
        ``preferred`` (exercise ids) from the lifts in their log (:meth:`trained_lifts`)."""
        with self.core.stores() as store:
            user = _user(store, user_id)
        prefs = user.prefs
        if lagging is None:
            chosen = {m.value for m in prefs.lagging}
            chosen |= {m.value for m in self.physique(user_id).lagging_muscles}
            lagging = sorted(chosen)
        return PlanRequest(
            goal=Goal(goal),
            experience=Experience(experience) if experience else prefs.experience,
            days=days,
            minutes=minutes,
            equipment=frozenset(Equipment(e) for e in equipment)
            if equipment
            else frozenset(Equipment),
            spotter=prefs.spotter if spotter is None else spotter,
            lagging=frozenset(Muscle(m) for m in lagging),
            seed=seed,
            accumulation_weeks=accumulation_weeks,
            e1rms=self.recent_e1rms(user_id),
            preferred=frozenset(self.trained_lifts(user_id) if preferred is None else preferred),
        )

    # --- plans ----------------------------------------------------------------------
    def create(
        self, user_id: int, request: PlanRequest, *, name: str = ""
    ) -> tuple[StoredPlan, Plan]:
        """Generate a mesocycle and make it the lifter's active plan."""
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            plan = generate_plan(request, catalog)
            stored = store.save_plan(
                user_id,
                name=name or f"{request.goal.value.title()}, {request.days} days a week",
                data=plan_to_dict(plan),
                request=request_to_dict(request),
                now=self.core.clock(),
            )
            store.commit()
        return stored, plan

    def active(self, user_id: int) -> tuple[StoredPlan, Plan] | None:
        with self.core.stores() as store:
            stored = store.active_plan(user_id)
            if stored is None:
                return None
            catalog = self.core.catalog(store, user_id)
        return stored, plan_from_dict(stored.data, catalog)

    # --- today ------------------------------------------------------------------------
    def today(self, user_id: int) -> Today | None:
        """The next session of the active plan, adapted to the log; None without a plan."""
        with self.core.stores() as store:
            return self.today_in(store, user_id)

    def today_in(self, store: Store, user_id: int) -> Today | None:
        """:meth:`today` read in the caller's store session (Today's page reads it with the
        rest of what it shows, in one)."""
        stored = store.active_plan(user_id)
        if stored is None:
            return None
        catalog = self.core.catalog(store, user_id)
        plan = plan_from_dict(stored.data, catalog)
        now = self.core.clock()
        workouts = store.plan_workouts(user_id, stored.id)
        since = plan_history_since(stored.created_at)
        history = store.sets(user_id, since=since, latest=window_sets(now - since))
        trained = _trained_sessions(workouts, history)
        open_workout = next((w for w in reversed(workouts) if w.is_open), None)
        if open_workout is not None and went_quiet(
            open_workout, latest_set_at(store, user_id), now
        ):
            open_workout = None  # left open days ago: its session is done, as far as it went
        # Today's verdict and the plan's weekly ones, from one read of the weeks behind them.
        *weekly, verdict = fatigue_verdicts_in(
            store, user_id, catalog, [*_weekly_moments(stored.created_at, now), now]
        )
        week_index, session_index, early = _position(plan, trained, open_workout, weekly)
        week = plan.weeks[week_index]
        session = week.sessions[session_index % len(week.sessions)]
        adjustment = volume_adjustment(verdict)
        calibration = self.core.calibration(store, user_id, catalog)
        # The last session before today's: today's own sets never move today's targets.
        before = [s for s in history if open_workout is None or s.workout_id != open_workout.id]
        exercises = tuple(
            adapt_planned(
                planned,
                last_sessions(before, planned.exercise.id),
                deload=week.deload,
                adjustment=adjustment,
                corrected=corrector(calibration, planned.exercise),
            )
            for planned in session.exercises
        )
        return Today(
            plan=stored,
            week=week.number,
            session_index=session_index,
            session=session,
            deload=week.deload,
            early_deload=early,
            exercises=exercises,
            fatigue=verdict,
            volume_note=adjustment.reason,
            workout=open_workout,
        )

    def start_today(self, user_id: int) -> Today:
        """Open a workout for today's planned session (or return the one already open)."""
        today = self.today(user_id)
        if today is None:
            raise NotFound("no active plan: create one first (failwise plan new)")
        if today.workout is None:
            self.workouts.start(
                user_id,
                phase=_phase(today),
                name=f"{today.session.name} (week {today.week})",
                plan_session=today.key,
            )
            refreshed = self.today(user_id)
            assert refreshed is not None
            return refreshed
        return today

    # --- the next mesocycle -------------------------------------------------------
    def next_plan(self, user_id: int) -> tuple[StoredPlan, Plan]:
        """Generate the next mesocycle from how the active one went."""
        found = self.active(user_id)
        if found is None:
            raise NotFound("no active plan: create one first (failwise plan new)")
        stored, plan = found
        with self.core.stores() as store:
            workouts = store.plan_workouts(user_id, stored.id)
            history = store.sets(
                user_id,
                since=stored.created_at,
                latest=window_sets(self.core.clock() - stored.created_at),
            )
            catalog = self.core.catalog(store, user_id)
        weeks = {int(w.plan_session.split(":")[1]) for w in workouts if w.plan_session}
        accumulation = sum(1 for w in plan.weeks if not w.deload)
        deload_number = next((w.number for w in plan.weeks if w.deload), 0)
        done_accumulation = len([n for n in weeks if n <= accumulation])
        early = deload_number in weeks and done_accumulation < accumulation
        progressed, stalled = _progress(history, catalog)
        outcome = MesocycleOutcome(
            weeks_completed=done_accumulation,
            early_deload=early,
            e1rms=self.recent_e1rms(user_id),
            progressed=frozenset(progressed),
            stalled=frozenset(stalled - progressed),
        )
        request = next_mesocycle(request_from_dict(stored.request), outcome)
        return self.create(user_id, request, name=stored.name)


def _user(store: Store, user_id: int) -> User:
    user = store.user(user_id)
    if user is None:
        raise NotFound(f"no lifter {user_id}")
    return user


def _body(user: User, measurement: Any) -> BodyInput | None:
    prefs = user.prefs
    sex, age = prefs.sex, prefs.age
    if measurement is None or not sex or not age:
        return None
    height = measurement.height_cm or prefs.height_cm
    if not height or not measurement.body_weight_kg:
        return None
    sizes = measurement.circumferences_cm
    fields = ("neck", "waist", "hips", "shoulders", "chest", "arm", "forearm", "thigh", "calf")
    extra = ("wrist", "knee", "ankle")
    try:
        return BodyInput(
            height_cm=height,
            weight_kg=measurement.body_weight_kg,
            sex=Sex(sex),
            age=float(age),
            body_fat_pct=measurement.body_fat_pct,
            **{f"{name}_cm": sizes.get(name) for name in (*fields, *extra)},
        )
    except InvalidInput:
        return None


def _position(
    plan: Plan,
    trained: Sequence[str],
    open_workout: Workout | None,
    weekly: Sequence[FatigueVerdict],
) -> tuple[int, int, bool]:
    """Today's week and session of the plan (0-based), and whether the deload came early."""
    accumulation = [w for w in plan.weeks if not w.deload]
    deload_week = next((w for w in plan.weeks if w.deload), None)
    per_week = len(plan.weeks[0].sessions)
    done = len(trained) - (1 if open_workout and open_workout.plan_session in trained else 0)
    week_index, session_index = divmod(done, per_week)
    early = needs_early_deload(weekly) and week_index < len(accumulation)
    if open_workout is not None and open_workout.plan_session:
        _, week_text, session_text = open_workout.plan_session.split(":")
        week_index, session_index = int(week_text) - 1, int(session_text)
        early = plan.weeks[week_index].deload and week_index < len(accumulation)
    elif early and deload_week is not None:
        week_index = deload_week.number - 1
        session_index = 0
    if week_index >= len(plan.weeks):
        week_index, session_index = len(plan.weeks) - 1, per_week - 1
    return week_index, session_index, early


def _phase(today: Today) -> Phase:
    return Phase.DELOAD if today.deload else Phase.NORMAL


def _weekly_moments(since: datetime, now: datetime) -> list[datetime]:
    """The end of each week of a plan started at ``since``, up to ``now`` (the latest
    :data:`VERDICT_WEEKS` of them)."""
    weeks = (now - since) // timedelta(weeks=1)
    first = max(1, weeks - VERDICT_WEEKS + 1)
    return [since + timedelta(weeks=week) for week in range(first, weeks + 1)]


def _trained_sessions(workouts: Sequence[Workout], history: Sequence[StoredSet]) -> list[str]:
    """Plan sessions with at least one working set logged, in the order trained."""
    with_sets = {s.workout_id for s in history if s.data.set_type is SetType.WORKING}
    return [w.plan_session for w in workouts if w.plan_session and w.id in with_sets]


def _progress(history: Sequence[StoredSet], catalog: Any) -> tuple[set[Muscle], set[Muscle]]:
    """Muscles whose exercises gained e1RM from first to last session, and those that did not."""
    by_exercise: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for stored in history:
        value = estimate_e1rm_of(stored)
        if value is not None:
            by_exercise[stored.exercise_id].append((stored.logged_at, value))
    progressed: set[Muscle] = set()
    stalled: set[Muscle] = set()
    for exercise_id, points in by_exercise.items():
        days = sorted({p[0].date() for p in points})
        if len(days) < 2:
            continue
        first = max(v for t, v in points if t.date() == days[0])
        last = max(v for t, v in points if t.date() == days[-1])
        target = progressed if last > first * 1.01 else stalled
        target.update(catalog.get(exercise_id).primary)
    return progressed, stalled

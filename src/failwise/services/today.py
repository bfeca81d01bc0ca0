"""Today, as the lifter sees it in the gym: one use case, read in one store session.

:func:`today_view` gathers everything Today shows: the open workout and its
sets, the exercises done lately, the planned session with how many of each
exercise's working sets are done, the exercise to do now and its next set
(:meth:`Prescriptions.next_set_in`, the same rule as ``GET /api/next`` and
``failwise next``), whether an RIR test is due, last session's working sets
of that exercise, and the plates to load. Every adapter that shows Today reads
it from here, so none can disagree on which exercise comes next or what
counts as done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from failwise.domain.calibration import Calibration, next_test
from failwise.domain.context import Phase
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog, Equipment, Exercise
from failwise.domain.strength import PlateLoad, plates_per_side
from failwise.domain.units import Unit
from failwise.services.core import Core
from failwise.services.live import NextSet
from failwise.services.plans import Plans, Today
from failwise.services.ports import NotFound, Store
from failwise.services.prescriptions import Prescriptions
from failwise.services.records import LifterSettings, SetType, StoredSet, User, Workout
from failwise.services.workouts import latest_set_at, went_quiet

RECENT = timedelta(weeks=3)
"""The exercises offered as quick picks: those of the weeks up to the last workout (a
short window keeps Today quick; a lifter back from a break still sees what they did)."""
RECENT_SETS = 500
RECENT_EXERCISES = 8
TODAY_SETS = 1_000
"""The most of the open workout's sets Today lists (the latest)."""
LAST_TIME_SETS = 60
"""The latest sets of the exercise read for last session's (more than any session has)."""
PLATE_EQUIPMENT = frozenset({Equipment.BARBELL})
"""Loaded with the lifter's own bar and plates (an EZ or trap bar weighs otherwise)."""


@dataclass(frozen=True, slots=True)
class PlannedCount:
    """One exercise of today's planned session: its planned working sets and those done."""

    exercise: Exercise
    planned: int
    done: int
    """Working sets logged in the workout carrying out the session (warm-ups do not count)."""

    @property
    def left(self) -> int:
        return max(0, self.planned - self.done)


@dataclass(frozen=True, slots=True)
class LastTime:
    """The working sets of an exercise in the lifter's previous workout with it."""

    day: date
    sets: tuple[StoredSet, ...]


@dataclass(frozen=True, slots=True)
class TodayView:
    """Everything Today shows, read at once."""

    lifter: User
    catalog: Catalog
    workout: Workout | None
    """The open workout, if any."""
    logged_before: bool
    """The lifter has a workout at all (else Today welcomes them)."""
    done: tuple[StoredSet, ...]
    """The open workout's sets, in the order done."""
    recent: tuple[Exercise, ...]
    session: Today | None
    """Today's session of the active plan."""
    counts: tuple[PlannedCount, ...]
    exercise: Exercise | None
    """The exercise to do now: the one asked for, else the plan's next, else the last done."""
    unknown: bool
    """The exercise asked for is not in the lifter's catalog (Today searches for it)."""
    total_sets: int | None
    next: NextSet | None
    test_offer: str | None
    """Why an RIR test is due on this set, when it is."""
    last_time: LastTime | None
    plates: PlateLoad | None
    """The next set's load per side of the lifter's bar, in their unit (barbells only)."""


def today_view(
    core: Core, user_id: int, *, exercise: str = "", total_sets: int | None = None
) -> TodayView:
    """What Today shows the lifter, for ``exercise`` (a name, alias or id; empty: the
    plan's next exercise, else the last one done), read in one store session."""
    with core.stores() as store:
        user = store.user(user_id)
        if user is None:
            raise NotFound(f"no lifter {user_id}")
        catalog = core.catalog(store, user_id)
        latest = store.workouts(user_id, limit=1)
        workout = latest[0] if latest and latest[0].is_open else None
        if workout is not None and went_quiet(workout, latest_set_at(store, user_id), core.clock()):
            workout = None  # left open days ago: over (the next set finishes it)
        done = store.sets(user_id, workout_id=workout.id, latest=TODAY_SETS) if workout else []
        anchor = latest[0].started_at if latest else core.clock()
        recent = _recent(store.sets(user_id, since=anchor - RECENT, latest=RECENT_SETS), catalog)
        session = Plans(core).today_in(store, user_id)
        counts = _counts(session, done)
        found = catalog.find(exercise) if exercise else None
        chosen, total_sets = _choose(catalog, found, done, counts, total_sets)
        following = last_time = offer = None
        if chosen is not None:
            following = Prescriptions(core).next_set_in(
                store, user, catalog, chosen, workout=workout, total_sets=total_sets
            )
            last_time = _last_time(store, user_id, chosen, workout)
            calibration = core.calibration(store, user_id, catalog)
            offer = _test_offer(calibration, following, user, workout, core.clock().date())
    return TodayView(
        lifter=user,
        catalog=catalog,
        workout=workout,
        logged_before=bool(latest),
        done=tuple(done),
        recent=recent,
        session=session,
        counts=counts,
        exercise=chosen,
        unknown=bool(exercise) and found is None,
        total_sets=total_sets,
        next=following,
        test_offer=offer,
        last_time=last_time,
        plates=None if following is None else plates_for(following, user.prefs),
    )


def _recent(sets: list[StoredSet], catalog: Catalog) -> tuple[Exercise, ...]:
    """The exercises done lately, the most recent first."""
    seen: dict[str, None] = {}
    for stored in sorted(sets, key=lambda s: s.logged_at, reverse=True):
        seen.setdefault(stored.exercise_id, None)
    return tuple(catalog.get(exercise_id) for exercise_id in list(seen)[:RECENT_EXERCISES])


def _counts(session: Today | None, done: list[StoredSet]) -> tuple[PlannedCount, ...]:
    """Each planned exercise's working sets, planned and done in the session's workout."""
    if session is None:
        return ()
    here = session.workout.id if session.workout is not None else None
    return tuple(
        PlannedCount(
            exercise=item.planned.exercise,
            planned=len(item.planned.sets),
            done=sum(
                1
                for s in done
                if s.workout_id == here
                and s.exercise_id == item.planned.exercise.id
                and s.data.set_type is SetType.WORKING
            ),
        )
        for item in session.exercises
    )


def _choose(
    catalog: Catalog,
    asked: Exercise | None,
    done: list[StoredSet],
    counts: tuple[PlannedCount, ...],
    total_sets: int | None,
) -> tuple[Exercise | None, int | None]:
    """The exercise to do now and its working sets (the lifter's, else the plan's)."""
    chosen = asked
    if chosen is None and not done:
        # The planned session's first exercise with sets still to do.
        chosen = next((c.exercise for c in counts if c.left), None)
    if chosen is None and done:
        chosen = catalog.get(done[-1].exercise_id)
    if chosen is not None and total_sets is None:
        total_sets = next((c.planned for c in counts if c.exercise.id == chosen.id), None)
    return chosen, total_sets


def _last_time(
    store: Store, user_id: int, exercise: Exercise, workout: Workout | None
) -> LastTime | None:
    """The exercise's working sets in the latest workout with it before the open one."""
    here = workout.id if workout is not None else None
    earlier = [
        s
        for s in store.sets(user_id, exercise_ids=[exercise.id], latest=LAST_TIME_SETS)
        if s.workout_id != here
    ]
    if not earlier:
        return None
    last = earlier[-1].workout_id
    sets = tuple(s for s in earlier if s.workout_id == last and s.data.set_type is SetType.WORKING)
    return LastTime(sets[0].logged_at.date(), sets) if sets else None


def _test_offer(
    calibration: Calibration,
    following: NextSet,
    user: User,
    workout: Workout | None,
    today: date,
) -> str | None:
    """Why an RIR test is due on the next set, when it is (never once the sets are done)."""
    if following.exercise_done:
        return None
    plan = next_test(
        calibration,
        last_test_on=None,
        today=today,
        candidates=[following.exercise],
        spotter=user.prefs.spotter,
        phase=workout.phase if workout else Phase.NORMAL,
        fatigued=following.fatigue.fatigued,
    )
    return plan.reason if plan.due else None


def plates_for(following: NextSet, prefs: LifterSettings) -> PlateLoad | None:
    """The next set's load per side of the lifter's bar, in their unit; None when the
    exercise is not loaded on a barbell, there is no load yet, or it is lighter than the bar."""
    load = following.load_shown
    if following.exercise.equipment not in PLATE_EQUIPMENT or load is None:
        return None
    return plate_load(load, following.unit, prefs)


def plate_load(load: float, unit: Unit, prefs: LifterSettings) -> PlateLoad | None:
    """``load`` (in ``unit``) per side of the lifter's bar with their plates, in ``unit``."""
    bar, plates = in_unit(unit, prefs)
    try:
        return plates_per_side(load, bar=bar, plates=plates)
    except InvalidInput:
        return None


def in_unit(unit: Unit, prefs: LifterSettings) -> tuple[float, tuple[float, ...]]:
    """The lifter's bar and plates in ``unit`` (stored in kg: a 45 lb plate is 20.41 kg)."""
    return round(unit.of_kg(prefs.bar_kg), 2), tuple(
        round(unit.of_kg(p), 2) for p in prefs.plates_kg
    )

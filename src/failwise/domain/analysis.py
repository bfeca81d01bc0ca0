"""A lifter's history, read through the article: how close to failure they really train.

Most exports carry no RIR. :func:`infer_rir` estimates it from the lifter's
e1RM trend on the exercise: the heaviest effort of the last weeks sets the
lifter's capacity, the load of a set gives its reps to failure at that
capacity, and the reps done leave the reserve. Inferred RIR is kept apart
from logged RIR in every statistic, and as it is a floor (the lifter had at
least that many reps left) it is never averaged: the profile counts it in
"at least RIR x" ranges (:data:`AT_LEAST_BUCKETS`).

:func:`analyse` then reports the proximity-to-failure profile per exercise
class, the sets that broke the article's rules with the extra recovery they
cost, weekly sets per muscle against the volume landmarks, the e1RM trend of
the main lifts, and the accumulated-fatigue verdict week by week.
"""

from __future__ import annotations

import functools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from failwise.domain.calibration import RirCorrector
from failwise.domain.context import SetContext, movement_of, weekly_frequency_on
from failwise.domain.decision import FailurePolicy, Prescription, prescribe
from failwise.domain.detection import Recommendation, WeeklyFatigue
from failwise.domain.exercises import Exercise, Muscle, class_of
from failwise.domain.fatigue import proximity_cost, set_cost
from failwise.domain.session import set_e1rm, uncorrected
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT, LANDMARKS
from failwise.domain.strength import estimate_e1rm, reps_to_failure_at

# The heaviest effort within this window sets an exercise's capacity.
CAPACITY_WINDOW = timedelta(weeks=6)
RIR_BUCKETS = ("0", "1", "2", "3", "4-5", "6+")
# "At least RIR x" ranges of an inferred RIR: "0" is no floor at all.
AT_LEAST_BUCKETS = ("0", "1", "2", "3", "4", "6")


@dataclass(frozen=True, slots=True)
class HistorySet:
    """A set from the log or an import, as the analysis reads it (loads in kg)."""

    performed_at: datetime
    exercise: Exercise
    load: float
    reps: int
    rir: float | None = None
    """Logged effort; None when the lifter did not log one."""
    working: bool = True
    """False for warm-ups; drop, rest-pause and forced sets count as work."""
    to_failure: bool = False
    rir_inferred: float | None = None
    workout: str = ""
    """Anything that tells sets of one session apart (an id, a start time)."""

    @property
    def known_rir(self) -> float | None:
        """Logged RIR, or 0 for a set marked as taken to failure."""
        if self.rir is not None:
            return self.rir
        return 0.0 if self.to_failure else None

    @property
    def effort(self) -> float | None:
        """Logged RIR where there is one, else the inferred one (a floor, not an effort)."""
        known = self.known_rir
        return known if known is not None else self.rir_inferred


Corrector = Callable[[Exercise], RirCorrector]
"""For an exercise, the map from a called RIR (and the set's reps) to the lifter's true RIR."""


def _uncorrected(_: Exercise) -> RirCorrector:
    return uncorrected


def infer_rir(sets: Sequence[HistorySet]) -> list[HistorySet]:
    """The sets, each without a logged RIR given an inferred one (sets in time order).

    Capacity is the best e1RM of the exercise in the last :data:`CAPACITY_WINDOW`
    (sets with no logged effort count as if taken to failure, a lower bound);
    the inferred RIR is reps to failure at ``load / capacity`` minus reps done,
    between 0 and 10 in half steps. The set that sets the capacity is
    therefore inferred at RIR 0: a history with no logged effort reads as
    "relative to your best recent effort". As capacity is a lower bound, an
    inferred RIR is a floor: the lifter had at least that many reps left.
    """
    return [
        item if inferred is None else replace(item, rir_inferred=inferred)
        for item, inferred in zip(sets, inferred_rirs(sets), strict=True)
    ]


def inferred_rirs(sets: Sequence[HistorySet]) -> list[float | None]:
    """The RIR :func:`infer_rir` infers for each set, in the same order; None for a set it
    leaves as it is (a logged effort, a warm-up, a set of no load). An import of
    200,000 sets wants the numbers, not a copy of every set."""
    order = sorted(range(len(sets)), key=lambda i: sets[i].performed_at)
    windows: dict[str, deque[tuple[datetime, float]]] = defaultdict(deque)
    result: list[float | None] = [None] * len(sets)
    # A lifter repeats a load for a number of reps set after set, week after week: each
    # e1RM, and each load's reps to failure against a capacity, is worked out once.
    e1rms: dict[tuple[float, int, float], float] = {}
    reps_left: dict[tuple[float, float], float] = {}
    for index in order:
        item = sets[index]
        if item.load <= 0 or item.reps < 1 or not item.working:
            continue
        window = windows[item.exercise.id]
        known = item.known_rir
        effort = (item.load, item.reps, known or 0.0)
        value = e1rms.get(effort)
        if value is None:
            value = e1rms[effort] = estimate_e1rm(*effort)
        # A monotone deque keeps the window's maximum in O(1) per set.
        while window and window[-1][1] <= value:
            window.pop()
        window.append((item.performed_at, value))
        while window[0][0] < item.performed_at - CAPACITY_WINDOW:
            window.popleft()
        if known is not None:
            continue
        capacity = window[0][1]
        at = (item.load, capacity)
        to_failure = reps_left.get(at)
        if to_failure is None:
            to_failure = reps_left[at] = reps_to_failure_at(100.0 * item.load / capacity)
        reserve = to_failure - item.reps
        result[index] = min(10.0, max(0.0, round(reserve * 2) / 2))
    return result


def rir_bucket(rir: float) -> str:
    if rir < 0.5:
        return "0"
    if rir < 1.5:
        return "1"
    if rir < 2.5:
        return "2"
    if rir < 3.5:
        return "3"
    return "4-5" if rir < 5.5 else "6+"


def at_least_bucket(floor: float) -> str:
    """The "at least RIR x" range of an inferred RIR: the largest x in the buckets ≤ ``floor``.

    >>> [at_least_bucket(r) for r in (0, 0.5, 1, 2.5, 3, 5.5, 6, 10)]
    ['0', '0', '1', '2', '3', '4', '6', '6']
    """
    return next(label for label in reversed(AT_LEAST_BUCKETS) if floor >= float(label))


@dataclass(frozen=True, slots=True)
class Profile:
    """How close to failure one class of exercise is trained."""

    logged: dict[str, int]
    """Working sets per RIR bucket, from logged effort."""
    inferred: dict[str, int]
    """Working sets per RIR bucket of their inferred RIR — a floor, not their effort:
    a set under "0" may have been far from failure. Kept for older readers; the
    ranges a floor supports are :attr:`inferred_at_least`."""
    mean_logged: float | None
    mean_inferred: float | None
    """Always None: an inferred RIR is a floor, and floors are not averaged
    (a mean of 0.1 would read as training to failure). Kept for older readers."""
    inferred_at_least: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(AT_LEAST_BUCKETS, 0)
    )
    """Working sets without a logged effort by the least RIR they had: "2" counts
    the sets with at least 2 (and fewer than 3) reps certainly in reserve; "0"
    the sets with no floor, whatever their effort was."""


@dataclass(frozen=True, slots=True)
class RuleBreak:
    """A set that went to failure where the article says it should not."""

    performed_at: datetime
    exercise: Exercise
    load: float
    reps: int
    failure: FailurePolicy
    rules: tuple[str, ...]
    extra_recovery_hours: float
    """Recovery beyond stopping at the bottom of the target range."""


@dataclass(frozen=True, slots=True)
class WeekVolume:
    week: date
    sets: dict[Muscle, float]
    """Sets per muscle, indirect sets as half (Pelland et al. 2024)."""

    def zone(self, muscle: Muscle) -> str | None:
        landmarks = LANDMARKS.get(muscle)
        return landmarks.zone(self.sets.get(muscle, 0.0)) if landmarks else None


@dataclass(frozen=True, slots=True)
class HistoryAnalysis:
    sets: int
    working_sets: int
    workouts: int
    first: datetime | None
    last: datetime | None
    logged_share: float
    """Share of working sets with a logged effort."""
    profiles: dict[str, Profile]
    rule_breaks: tuple[RuleBreak, ...]
    extra_recovery_hours: float
    weekly_volume: tuple[WeekVolume, ...]
    e1rm_trends: dict[str, list[tuple[date, float]]]
    """Best e1RM per day of the main lifts, by exercise name."""
    fatigue_by_week: tuple[tuple[date, Recommendation], ...]
    failure_curve: tuple[tuple[float, float], ...] = field(default=())
    """(RIR, fatigue %) of the reference set: what the last reps cost."""


HistoryRow = tuple[datetime, Exercise, float, int, float | None, bool, bool, float | None, str]
"""A :class:`HistorySet`'s fields, in their order, as a plain tuple: what a reader of a
long history builds for each set instead of an object."""


def _profile(logged: dict[float, int], inferred: dict[float, int]) -> Profile:
    """A class's profile from the number of its working sets at each logged and each
    inferred RIR."""
    buckets = dict.fromkeys(RIR_BUCKETS, 0)
    floors = dict.fromkeys(RIR_BUCKETS, 0)
    at_least = dict.fromkeys(AT_LEAST_BUCKETS, 0)
    for rir, count in logged.items():
        buckets[rir_bucket(rir)] += count
    for rir, count in inferred.items():
        floors[rir_bucket(rir)] += count
        at_least[at_least_bucket(rir)] += count
    total = sum(logged.values())
    # Called RIRs are half steps: their sum is exact, whatever the order it is taken in.
    mean = sum(rir * count for rir, count in logged.items()) / total if total else None
    return Profile(
        logged=buckets,
        inferred=floors,
        mean_logged=mean,
        mean_inferred=None,
        inferred_at_least=at_least,
    )


@dataclass(frozen=True, slots=True)
class _Traits:
    """What the analysis reads of an exercise, looked up once per exercise."""

    exercise: Exercise
    group: str
    heavy: bool
    movement: str
    corrected: RirCorrector
    called: dict[float, int]
    """The group's working sets by logged RIR (shared by the exercises of the group)."""
    floors: dict[float, int]
    """The group's working sets by inferred RIR."""


@functools.lru_cache(maxsize=1 << 16)
def _e1rm(load: float, reps: int, rir: float) -> float:
    # A history repeats its sets (3 × 5 at 140 kg, week after week): each distinct one once.
    return estimate_e1rm(load, reps, rir)


@functools.lru_cache(maxsize=1 << 16)
def _inferred(load: float, reps: int, capacity: float) -> float:
    reserve = reps_to_failure_at(100.0 * load / capacity) - reps
    return min(10.0, max(0.0, round(reserve * 2) / 2))


class HistoryReader:
    """:func:`analyse` one set at a time, each read once, in the order done, so a history
    of a million sets can be read as it comes from the store: what it holds grows with the
    days, weeks and sessions trained, the distinct sets done (each one's e1RM is worked out
    once) and the sets logged at failure (the candidate rule breaks), not with every set.

    The sets must come in the order done (:meth:`read` raises ``ValueError`` otherwise);
    among sets done at the same moment, in the order :func:`analyse` is given them.
    """

    def __init__(self, *, main_lifts: int = 5, corrector: Corrector | None = None) -> None:
        self.main_lifts = main_lifts
        self.corrector = corrector or _uncorrected
        self._traits: dict[str, _Traits] = {}
        self._sets = 0
        self._working = 0
        self._logged = 0
        self._first: datetime | None = None
        self._last: datetime | None = None
        self._first_working: datetime | None = None
        self._last_working: datetime | None = None
        self._workouts: set[str] = set()
        # The capacity window of each exercise (see infer_rir): a monotone deque.
        self._windows: dict[str, deque[tuple[datetime, float]]] = defaultdict(deque)
        # Working sets per class group, by logged and by inferred RIR.
        self._called: dict[str, dict[float, int]] = {}
        self._floors: dict[str, dict[float, int]] = {}
        # Sessions (workout, exercise): their sets so far, in the order first seen.
        self._sessions: dict[tuple[str, str], int] = {}
        self._days_by_movement: dict[str, list[date]] = defaultdict(list)
        # Sets logged at failure: (when, session, its number in it, the set, frequency).
        self._failures: list[tuple[datetime, tuple[str, str], int, HistoryRow, int]] = []
        # Working sets per exercise per week (Monday's ordinal), in the order first seen.
        self._volume: dict[int, dict[str, int]] = {}
        self._best: dict[str, dict[date, float]] = defaultdict(dict)
        self._e1rms: dict[tuple[str, float, int, float | None, bool], float] = {}
        self._heavy: set[str] = set()
        self._fatigue = WeeklyFatigue()

    def _traits_of(self, exercise: Exercise) -> _Traits:
        group = class_of(exercise).group
        traits = _Traits(
            exercise,
            group,
            exercise.heavy_compound,
            movement_of(exercise),
            # A lifter's corrections depend on the call and the reps alone: each pair once.
            functools.lru_cache(maxsize=4096)(self.corrector(exercise)),
            self._called.setdefault(group, {}),
            self._floors.setdefault(group, {}),
        )
        self._traits[exercise.id] = traits
        return traits

    def read(self, rows: Iterable[HistoryRow]) -> None:
        """Read ``rows`` (each a :data:`HistoryRow`), in the order done."""
        # A million sets pass through here: what each needs is bound to a local first.
        windows, sessions, traits_by_id = self._windows, self._sessions, self._traits
        workouts, volume, best, e1rms = self._workouts, self._volume, self._best, self._e1rms
        failures, heavy, by_movement = self._failures, self._heavy, self._days_by_movement
        add_workout, add_training = workouts.add, self._fatigue.add
        count = working_count = logged = 0
        first_working, last_working, last = self._first_working, self._last_working, self._last
        for row in rows:
            performed_at, exercise, load, reps, rir, working, to_failure, inferred, workout = row
            if last is None:
                self._first = performed_at
            elif performed_at < last:
                raise ValueError("a history is read in the order done")
            last = performed_at
            count += 1
            day = performed_at.date()
            label = workout or day.isoformat()
            add_workout(label)
            if not working or reps < 1:
                continue
            exercise_id = exercise.id
            traits = traits_by_id.get(exercise_id) or self._traits_of(exercise)
            known = rir if rir is not None else (0.0 if to_failure else None)
            if load > 0:
                # The capacity window: see infer_rir.
                window = windows[exercise_id]
                value = _e1rm(load, reps, known or 0.0)
                while window and window[-1][1] <= value:
                    window.pop()
                window.append((performed_at, value))
                while window[0][0] < performed_at - CAPACITY_WINDOW:
                    window.popleft()
                if known is None:
                    inferred = _inferred(load, reps, window[0][1])
            working_count += 1
            if first_working is None:
                first_working = performed_at
            last_working = performed_at
            if known is not None:
                logged += 1
                counts = traits.called
                counts[known] = counts.get(known, 0) + 1
            elif inferred is not None:
                counts = traits.floors
                counts[inferred] = counts.get(inferred, 0) + 1
            # Rule breaks: the set's number in its session, the movement's days.
            key = (label, exercise_id)
            number = sessions.get(key, 0) + 1
            sessions[key] = number
            days = by_movement[traits.movement]
            if not days or days[-1] != day:
                days.append(day)
            if known == 0.0:
                # The days, each once, end with this one: weekly_frequency_on on them.
                frequency = weekly_frequency_on(days[-7:], day)
                failures.append((performed_at, key, number, row, frequency))
            # Weekly volume.
            monday = day.toordinal() - day.weekday()
            week = volume.get(monday)
            if week is None:
                week = volume[monday] = {}
            week[exercise_id] = week.get(exercise_id, 0) + 1
            if traits.heavy:
                heavy.add(exercise.name)
            if load > 0:
                # The e1RM trend, as every view shows it.
                e1rm_key = (exercise_id, load, reps, rir, to_failure)
                trend = e1rms.get(e1rm_key)
                if trend is None:
                    trend = e1rms[e1rm_key] = set_e1rm(
                        load, reps, rir, to_failure=to_failure, corrected=traits.corrected
                    )
                days_best = best[exercise.name]
                days_best[day] = max(days_best.get(day, 0.0), trend)
                add_training(performed_at, exercise_id, load, reps, known, value)
        self._sets += count
        self._working += working_count
        self._logged += logged
        self._first_working, self._last_working, self._last = first_working, last_working, last

    def _rule_breaks(self) -> list[RuleBreak]:
        order = {key: index for index, key in enumerate(self._sessions)}
        # Session by session (in the order each began), then by when: as a whole log reads.
        failures = sorted(self._failures, key=lambda f: (order[f[1]], f[2]))
        failures.sort(key=lambda f: f[0])
        decisions: dict[tuple[str, int, int, int], Prescription] = {}
        breaks = []
        for performed_at, key, number, row, frequency in failures:
            exercise, load, reps = row[1], row[2], row[3]
            total = self._sessions[key]
            decided = (exercise.id, number, total, frequency)
            decision = decisions.get(decided)
            if decision is None:
                decision = decisions[decided] = prescribe(
                    SetContext(
                        exercise=exercise,
                        set_number=number,
                        total_sets=total,
                        weekly_frequency=frequency,
                        # A history does not say who trained alone: a set is only
                        # called a rule break for what is known about it.
                        spotter=True,
                    )
                )
            if decision.failure is FailurePolicy.GO:
                continue
            stop = decision.target_rir.low
            failed = set_cost(reps, 0.0, exercise=exercise)
            short_reps = max(1, reps - int(stop))
            short = set_cost(short_reps, stop, exercise=exercise)
            breaks.append(
                RuleBreak(
                    performed_at=performed_at,
                    exercise=exercise,
                    load=load,
                    reps=reps,
                    failure=decision.failure,
                    rules=tuple(reason.rule for reason in decision.deciding),
                    extra_recovery_hours=max(0.0, failed.recovery_hours - short.recovery_hours),
                )
            )
        return breaks

    def _weekly_volume(self) -> list[WeekVolume]:
        weeks = []
        for monday, exercises in sorted(self._volume.items()):
            sets: dict[Muscle, float] = {}
            for exercise_id, count in exercises.items():
                exercise = self._traits[exercise_id].exercise
                # Counts of whole and half sets: exact, as adding them one by one is.
                for muscle in exercise.primary:
                    sets[muscle] = sets.get(muscle, 0.0) + count * 1.0
                for muscle in exercise.secondary:
                    sets[muscle] = sets.get(muscle, 0.0) + count * INDIRECT_SET_WEIGHT
            weeks.append(WeekVolume(date.fromordinal(monday), sets))
        return weeks

    def _e1rm_trends(self) -> dict[str, list[tuple[date, float]]]:
        best, heavy = self._best, self._heavy
        ranked = sorted(best, key=lambda name: (name not in heavy, -len(best[name]), name))
        return {name: sorted(best[name].items()) for name in ranked[: self.main_lifts]}

    def result(self) -> HistoryAnalysis:
        """The analysis of the sets read so far."""
        breaks = self._rule_breaks()
        fatigue = (
            self._fatigue.verdicts(self._first_working.date(), self._last_working.date())
            if self._first_working is not None and self._last_working is not None
            else []
        )
        return HistoryAnalysis(
            sets=self._sets,
            working_sets=self._working,
            workouts=len(self._workouts),
            first=self._first,
            last=self._last,
            logged_share=self._logged / self._working if self._working else 0.0,
            profiles={
                group: _profile(self._called[group], self._floors[group])
                for group in sorted(self._called)
            },
            rule_breaks=tuple(breaks),
            extra_recovery_hours=sum(b.extra_recovery_hours for b in breaks),
            weekly_volume=tuple(self._weekly_volume()),
            e1rm_trends=self._e1rm_trends(),
            fatigue_by_week=tuple(fatigue),
            failure_curve=tuple((rir / 2, proximity_cost(rir / 2)) for rir in range(0, 13)),
        )


def analyse(
    sets: Iterable[HistorySet], *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """Read a history (RIR inferred where it was not logged) through the article.

    ``corrector`` gives, for an exercise, the lifter's map from a called RIR to
    the true one (their calibration): the e1RM trends then match every other
    view of the lifter's e1RM (:func:`failwise.domain.session.set_e1rm`).
    The sets may come in any order; a long history read as it comes from the store,
    in the order done, goes through :class:`HistoryReader` without being held whole.
    """
    reader = HistoryReader(main_lifts=main_lifts, corrector=corrector)
    reader.read(
        (
            s.performed_at,
            s.exercise,
            s.load,
            s.reps,
            s.rir,
            s.working,
            s.to_failure,
            s.rir_inferred,
            s.workout,
        )
        for s in sorted(sets, key=lambda s: s.performed_at)
    )
    return reader.result()

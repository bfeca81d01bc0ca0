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
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from failwise.domain.calibration import RirCorrector
from failwise.domain.columns import distinct, range_maxima
from failwise.domain.context import SetContext, movement_of
from failwise.domain.decision import FailurePolicy, Prescription, prescribe
from failwise.domain.detection import Recommendation, WeeklyFatigue
from failwise.domain.exercises import Exercise, Muscle, class_of
from failwise.domain.fatigue import proximity_cost, set_cost
from failwise.domain.session import set_e1rm, uncorrected
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT, LANDMARKS
from failwise.domain.strength import estimate_e1rm, reps_to_failure_at, reps_to_failure_at_many

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


@functools.lru_cache(maxsize=1 << 16)
def _e1rm(load: float, reps: int, rir: float) -> float:
    # A history repeats its sets (3 × 5 at 140 kg, week after week): each distinct one once.
    return estimate_e1rm(load, reps, rir)


def _rule_breaks(
    failures: Iterable[tuple[datetime, Exercise, float, int, int, int, int]],
) -> list[RuleBreak]:
    """The sets logged at failure that broke the article's rules, each given as when, the
    exercise, load, reps, its number in its session, the session's working sets and the
    movement's training days in its week; in the order given."""
    decisions: dict[tuple[str, int, int, int], Prescription] = {}
    extras: dict[tuple[str, int, float], float] = {}
    breaks = []
    for performed_at, exercise, load, reps, number, total, frequency in failures:
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
        # The same reps of the same exercise, stopped at the same RIR: the same cost.
        spent = (exercise.id, reps, stop)
        extra = extras.get(spent)
        if extra is None:
            failed = set_cost(reps, 0.0, exercise=exercise)
            short = set_cost(max(1, reps - int(stop)), stop, exercise=exercise)
            extra = extras[spent] = max(0.0, failed.recovery_hours - short.recovery_hours)
        breaks.append(
            RuleBreak(
                performed_at=performed_at,
                exercise=exercise,
                load=load,
                reps=reps,
                failure=decision.failure,
                rules=tuple(reason.rule for reason in decision.deciding),
                extra_recovery_hours=extra,
            )
        )
    return breaks


def _week_volume(monday: int, exercises: Iterable[tuple[Exercise, int]]) -> WeekVolume:
    """A week's volume (from Monday's ordinal) from each exercise's working sets in it."""
    sets: dict[Muscle, float] = {}
    for exercise, count in exercises:
        # Counts of whole and half sets: exact, as adding them one by one is.
        for muscle in exercise.primary:
            sets[muscle] = sets.get(muscle, 0.0) + count * 1.0
        for muscle in exercise.secondary:
            sets[muscle] = sets.get(muscle, 0.0) + count * INDIRECT_SET_WEIGHT
    return WeekVolume(date.fromordinal(monday), sets)


def analyse(
    sets: Iterable[HistorySet], *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """Read a history (RIR inferred where it was not logged) through the article.

    ``corrector`` gives, for an exercise, the lifter's map from a called RIR to
    the true one (their calibration): the e1RM trends then match every other
    view of the lifter's e1RM (:func:`failwise.domain.session.set_e1rm`).
    The sets may come in any order (among sets done at the same moment, the order given
    stands); a long history read from the store goes through :func:`analyse_columns`.
    """
    ordered = sorted(sets, key=lambda s: s.performed_at)
    return analyse_columns(HistoryColumns.of(ordered), main_lifts=main_lifts, corrector=corrector)


# --- a long history, as columns --------------------------------------------------------------
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_US = 86_400_000_000
_WINDOW_US = CAPACITY_WINDOW // timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class HistoryColumns:
    """A history as columns, one entry per set, in the order done: what a long history (a
    million sets) is read as, each rule worked out on whole columns rather than set by set.
    Eight numbers a set (about 60 bytes), not a Python object each."""

    performed_at: npt.NDArray[np.datetime64]
    """When (``datetime64[us]``, naive, as :attr:`HistorySet.performed_at`)."""
    exercise: npt.NDArray[np.intp]
    """Each set's exercise, as its index in :attr:`exercises`."""
    exercises: tuple[Exercise, ...]
    load: npt.NDArray[np.float64]
    reps: npt.NDArray[np.int64]
    rir: npt.NDArray[np.float64]
    """Logged effort; NaN when the lifter did not log one."""
    working: npt.NDArray[np.bool_]
    to_failure: npt.NDArray[np.bool_]
    rir_inferred: npt.NDArray[np.float64]
    """NaN when none."""
    workout: npt.NDArray[np.int64]
    """Anything that tells sets of one session apart, as a number."""

    def __len__(self) -> int:
        return len(self.load)

    @classmethod
    def of(cls, sets: Sequence[HistorySet]) -> HistoryColumns:
        """``sets`` (in the order done) as columns; a set without a workout is told apart by
        its day, as :func:`analyse` reads it."""
        exercises: dict[str, int] = {}
        catalog: list[Exercise] = []
        for item in sets:
            if item.exercise.id not in exercises:
                exercises[item.exercise.id] = len(catalog)
                catalog.append(item.exercise)
        labels: dict[str, int] = {}
        nan = math.nan
        return cls(
            performed_at=np.array([s.performed_at for s in sets], dtype="datetime64[us]"),
            exercise=np.array([exercises[s.exercise.id] for s in sets], dtype=np.intp),
            exercises=tuple(catalog),
            load=np.array([s.load for s in sets], dtype=np.float64),
            reps=np.array([s.reps for s in sets], dtype=np.int64),
            rir=np.array([nan if s.rir is None else s.rir for s in sets], dtype=np.float64),
            working=np.array([s.working for s in sets], dtype=np.bool_),
            to_failure=np.array([s.to_failure for s in sets], dtype=np.bool_),
            rir_inferred=np.array(
                [nan if s.rir_inferred is None else s.rir_inferred for s in sets],
                dtype=np.float64,
            ),
            workout=np.array(
                [
                    labels.setdefault(s.workout or s.performed_at.date().isoformat(), len(labels))
                    for s in sets
                ],
                dtype=np.int64,
            ),
        )


def analyse_columns(
    columns: HistoryColumns, *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """:func:`analyse` of a history given as columns, in the order done (``ValueError``
    otherwise): what it says, to the bit, of the same sets."""
    c = columns
    corrector = corrector or _uncorrected
    count = len(c)
    micros = c.performed_at.astype("datetime64[us]").astype(np.int64)
    if count > 1 and bool(np.any(micros[1:] < micros[:-1])):
        raise ValueError("a history is read in the order done")
    ordinals = micros // _DAY_US + _EPOCH_ORDINAL
    working = c.working & (c.reps >= 1)
    known = np.where(np.isnan(c.rir), np.where(c.to_failure, 0.0, np.nan), c.rir)
    is_known = ~np.isnan(known)
    lifted = working & (c.load > 0)
    exercises = c.exercises

    # The capacity window of each exercise (see infer_rir) over its lifted sets.
    at = np.flatnonzero(lifted)
    effort = np.where(is_known[at], known[at], 0.0)
    loads, reps = c.load[at], c.reps[at]
    groups_of, first = distinct(loads, reps, effort)
    values = np.array(
        list(map(_e1rm, loads[first].tolist(), reps[first].tolist(), effort[first].tolist())),
        dtype=np.float64,
    )[groups_of]
    by_exercise = np.argsort(c.exercise[at], kind="stable")
    grouped_at, grouped = micros[at][by_exercise], c.exercise[at][by_exercise]
    bounds = np.flatnonzero(np.diff(grouped)) + 1
    starts = np.empty(len(at), dtype=np.intp)
    for low, high in zip(
        np.concatenate(([0], bounds)).tolist(),
        np.concatenate((bounds, [len(at)])).tolist(),
        strict=True,
    ):
        times = grouped_at[low:high]
        starts[low:high] = low + np.searchsorted(times, times - _WINDOW_US, side="left")
    unknown = ~is_known[at][by_exercise]
    position = np.flatnonzero(unknown)
    capacity = range_maxima(values[by_exercise], starts[position], position)
    guessed = at[by_exercise][position]
    inferred = c.rir_inferred.copy()
    if len(guessed):
        # See _inferred: the same float operations on whole columns.
        percent = 100.0 * c.load[guessed] / capacity
        reserve = reps_to_failure_at_many(percent) - c.reps[guessed]
        inferred[guessed] = np.minimum(10.0, np.maximum(0.0, np.round(reserve * 2) / 2))

    # What each exercise worked is read as.
    work = np.flatnonzero(working)
    worked = np.unique(c.exercise[work]).tolist()
    groups = {i: class_of(exercises[i]).group for i in worked}
    called: dict[str, dict[float, int]] = {g: {} for g in groups.values()}
    floors: dict[str, dict[float, int]] = {g: {} for g in groups.values()}
    group_codes = {g: n for n, g in enumerate(called)}
    group_of = np.zeros(len(exercises), dtype=np.intp)
    for i, g in groups.items():
        group_of[i] = group_codes[g]
    group_names = list(called)
    w_group, w_known, w_is_known = group_of[c.exercise[work]], known[work], is_known[work]
    w_inferred = inferred[work]
    for target, mask, rirs in (
        (called, w_is_known, w_known),
        (floors, ~w_is_known & ~np.isnan(w_inferred), w_inferred),
    ):
        in_group, at_rir = w_group[mask], rirs[mask]
        codes, first = distinct(in_group, at_rir)
        tally = np.bincount(codes, minlength=len(first)).tolist()
        for i, n in zip(first.tolist(), tally, strict=True):
            target[group_names[int(in_group[i])]][float(at_rir[i])] = n

    # Sessions (workout, exercise): each working set's number in its own, and its size.
    w_exercise, w_day = c.exercise[work], ordinals[work]
    session, session_first = distinct(c.workout[work], w_exercise)
    sizes = np.bincount(session, minlength=len(session_first))
    by_session = np.argsort(session, kind="stable")
    numbers = np.empty(len(work), dtype=np.intp)
    session_starts = np.cumsum(sizes) - sizes
    numbers[by_session] = np.arange(len(work)) - np.repeat(session_starts, sizes) + 1

    # The sets logged at failure, with the movement's training days in their week.
    movements = {i: movement_of(exercises[i]) for i in worked}
    movement_codes = {m: n for n, m in enumerate(dict.fromkeys(movements.values()))}
    movement_of_exercise = np.zeros(len(exercises), dtype=np.int64)
    for i, m in movements.items():
        movement_of_exercise[i] = movement_codes[m]
    span = 1 << 23  # beyond any day's ordinal
    trained = np.unique(movement_of_exercise[w_exercise] * span + w_day)
    failed = np.flatnonzero(w_is_known & (w_known == 0.0))
    key = movement_of_exercise[w_exercise[failed]] * span + w_day[failed]
    frequencies = np.searchsorted(trained, key, side="right") - np.searchsorted(
        trained, key - 6, side="left"
    )
    order = np.lexsort((numbers[failed], session_first[session[failed]], micros[work][failed]))
    failed, frequencies = failed[order], frequencies[order]
    breaks = _rule_breaks(
        zip(
            c.performed_at[work][failed].tolist(),
            [exercises[i] for i in w_exercise[failed].tolist()],
            c.load[work][failed].tolist(),
            c.reps[work][failed].tolist(),
            numbers[failed].tolist(),
            sizes[session[failed]].tolist(),
            frequencies.tolist(),
            strict=True,
        )
    )

    # Weekly volume: working sets per exercise per week (Monday's ordinal).
    mondays = w_day - (w_day - 1) % 7
    pairs, first = distinct(mondays, w_exercise)
    tally = np.bincount(pairs, minlength=len(first)).tolist()
    volume: dict[int, dict[int, int]] = {}
    for monday, exercise, n in zip(
        mondays[first].tolist(), w_exercise[first].tolist(), tally, strict=True
    ):
        volume.setdefault(monday, {})[exercise] = n

    # The e1RM trends, as every view shows it: the best of each day, of each exercise's name.
    names = {i: exercises[i].name for i in worked}
    heavy = {names[i] for i in worked if exercises[i].heavy_compound}
    lifted_exercise, lifted_rir, lifted_failure = c.exercise[at], c.rir[at], c.to_failure[at]
    trend_key, first = distinct(
        lifted_exercise,
        loads,
        reps,
        np.isnan(lifted_rir),
        np.nan_to_num(lifted_rir),
        lifted_failure,
    )
    corrected = {i: functools.lru_cache(maxsize=4096)(corrector(exercises[i])) for i in worked}
    trends = np.array(
        [
            set_e1rm(
                load,
                reps_done,
                None if math.isnan(rir) else rir,
                to_failure=failure,
                corrected=corrected[exercise],
            )
            for exercise, load, reps_done, rir, failure in zip(
                lifted_exercise[first].tolist(),
                loads[first].tolist(),
                reps[first].tolist(),
                lifted_rir[first].tolist(),
                lifted_failure[first].tolist(),
                strict=True,
            )
        ],
        dtype=np.float64,
    )[trend_key]
    name_codes = {n: k for k, n in enumerate(dict.fromkeys(names.values()))}
    name_of = np.zeros(len(exercises), dtype=np.int64)
    for i, n in names.items():
        name_of[i] = name_codes[n]
    days = ordinals[at]
    day_key, first = distinct(name_of[lifted_exercise], days)
    day_best = np.zeros(len(first), dtype=np.float64)
    np.maximum.at(day_best, day_key, trends)
    best: dict[str, dict[date, float]] = {}
    listed = list(name_codes)
    trend_days = days[first].tolist()
    dates = {day: date.fromordinal(day) for day in set(trend_days)}
    for code, day, value in zip(
        name_of[lifted_exercise[first]].tolist(), trend_days, day_best.tolist(), strict=True
    ):
        best.setdefault(listed[code], {})[dates[day]] = value
    ranked = sorted(best, key=lambda name: (name not in heavy, -len(best[name]), name))

    fatigue = WeeklyFatigue()
    fatigue.add_columns(
        micros[at],
        [exercises[i].id for i in range(len(exercises))],
        lifted_exercise,
        loads,
        reps,
        known[at],
        values,
    )
    first_working = c.performed_at[work[0]].item() if len(work) else None
    last_working = c.performed_at[work[-1]].item() if len(work) else None
    logged = int(np.count_nonzero(w_is_known))
    return HistoryAnalysis(
        sets=count,
        working_sets=len(work),
        workouts=len(np.unique(c.workout)),
        first=c.performed_at[0].item() if count else None,
        last=c.performed_at[-1].item() if count else None,
        logged_share=logged / len(work) if len(work) else 0.0,
        profiles={group: _profile(called[group], floors[group]) for group in sorted(called)},
        rule_breaks=tuple(breaks),
        extra_recovery_hours=sum(b.extra_recovery_hours for b in breaks),
        weekly_volume=tuple(
            _week_volume(monday, [(exercises[i], n) for i, n in done.items()])
            for monday, done in sorted(volume.items())
        ),
        e1rm_trends={name: sorted(best[name].items()) for name in ranked[:main_lifts]},
        fatigue_by_week=tuple(
            fatigue.verdicts(first_working.date(), last_working.date())
            if first_working is not None and last_working is not None
            else ()
        ),
        failure_curve=tuple((rir / 2, proximity_cost(rir / 2)) for rir in range(0, 13)),
    )

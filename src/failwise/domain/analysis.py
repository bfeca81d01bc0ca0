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
from failwise.domain.decision import FailurePolicy, prescribe
from failwise.domain.detection import Recommendation
from failwise.domain.exercises import Exercise, Muscle, class_of
from failwise.domain.fatigue import proximity_cost, set_cost
from failwise.domain.session import set_e1rm, uncorrected
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT, LANDMARKS
from failwise.domain.strength import estimate_e1rm, reps_to_failure_at, reps_to_failure_at_many
from failwise.domain.weekly_fatigue import WeeklyFatigue

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
    # What the article says of a set in its context: its policy, the rules that decided
    # it and the least RIR it allows, once per context.
    decisions: dict[tuple[str, int, int, int], tuple[FailurePolicy, tuple[str, ...], float]]
    decisions = {}
    extras: dict[tuple[str, int, float], float] = {}
    breaks = []
    for performed_at, exercise, load, reps, number, total, frequency in failures:
        decided = (exercise.id, number, total, frequency)
        found = decisions.get(decided)
        if found is None:
            decision = prescribe(
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
            found = decisions[decided] = (
                decision.failure,
                tuple(reason.rule for reason in decision.deciding),
                decision.target_rir.low,
            )
        failure, rules, stop = found
        if failure is FailurePolicy.GO:
            continue
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
                failure=failure,
                rules=rules,
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


@dataclass(frozen=True, slots=True)
class _Working:
    """The working sets of a history (reps >= 1, no warm-ups) as columns, in the order
    done: the sets every statistic reads."""

    micros: npt.NDArray[np.int64]
    """When, in microseconds since 1970-01-01 (naive)."""
    day: npt.NDArray[np.int64]
    """The day's ordinal (:meth:`date.toordinal`)."""
    exercise: npt.NDArray[np.intp]
    load: npt.NDArray[np.float64]
    reps: npt.NDArray[np.int64]
    rir: npt.NDArray[np.float64]
    to_failure: npt.NDArray[np.bool_]
    known: npt.NDArray[np.float64]
    """Logged RIR, 0 for a set taken to failure, else NaN (:attr:`HistorySet.known_rir`)."""
    rir_inferred: npt.NDArray[np.float64]
    workout: npt.NDArray[np.int64]

    @classmethod
    def of(cls, c: HistoryColumns, micros: npt.NDArray[np.int64]) -> _Working:
        work = np.flatnonzero(c.working & (c.reps >= 1))
        at = micros[work]
        rir, to_failure = c.rir[work], c.to_failure[work]
        return cls(
            micros=at,
            day=at // _DAY_US + _EPOCH_ORDINAL,
            exercise=c.exercise[work],
            load=c.load[work],
            reps=c.reps[work],
            rir=rir,
            to_failure=to_failure,
            known=np.where(np.isnan(rir), np.where(to_failure, 0.0, np.nan), rir),
            rir_inferred=c.rir_inferred[work],
            workout=c.workout[work],
        )


def _capacity_efforts(w: _Working, lifted: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """The e1RM of each lifted set at its known RIR (at 0 when unknown): what the capacity
    window and the weekly fatigue read; each distinct set worked out once."""
    known = w.known[lifted]
    effort = np.where(np.isnan(known), 0.0, known)
    loads, reps = w.load[lifted], w.reps[lifted]
    groups, first = distinct(loads, reps, effort)
    return np.array(
        list(map(_e1rm, loads[first].tolist(), reps[first].tolist(), effort[first].tolist())),
        dtype=np.float64,
    )[groups]


def _inferred_rirs(
    w: _Working, lifted: npt.NDArray[np.intp], values: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each working set's inferred RIR (see :func:`infer_rir`): a lifted set without a known
    RIR from its exercise's capacity window, any other as it came."""
    exercise = w.exercise[lifted]
    by_exercise = np.argsort(exercise, kind="stable")
    grouped_at, grouped = w.micros[lifted][by_exercise], exercise[by_exercise]
    bounds = np.flatnonzero(np.diff(grouped)) + 1
    starts = np.empty(len(lifted), dtype=np.intp)
    for low, high in zip(
        np.concatenate(([0], bounds)).tolist(),
        np.concatenate((bounds, [len(lifted)])).tolist(),
        strict=True,
    ):
        times = grouped_at[low:high]
        starts[low:high] = low + np.searchsorted(times, times - _WINDOW_US, side="left")
    position = np.flatnonzero(np.isnan(w.known[lifted][by_exercise]))
    capacity = range_maxima(values[by_exercise], starts[position], position)
    guessed = lifted[by_exercise][position]
    inferred = w.rir_inferred.copy()
    if len(guessed):
        # As _inferred does it: the same float operations, on whole columns.
        percent = 100.0 * w.load[guessed] / capacity
        reserve = reps_to_failure_at_many(percent) - w.reps[guessed]
        inferred[guessed] = np.minimum(10.0, np.maximum(0.0, np.round(reserve * 2) / 2))
    return inferred


def _codes_of(labels: dict[int, str]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """For exercises' labels by their index, each exercise's label as a number, and the
    labels in the order numbered."""
    listed = list(dict.fromkeys(labels.values()))
    numbers = {label: n for n, label in enumerate(listed)}
    codes = np.zeros(max(labels, default=-1) + 1, dtype=np.int64)
    for index, label in labels.items():
        codes[index] = numbers[label]
    return codes, listed


def _rir_counts(
    w: _Working, inferred: npt.NDArray[np.float64], groups: dict[int, str]
) -> tuple[dict[str, dict[float, int]], dict[str, dict[float, int]]]:
    """The working sets of each class group by logged RIR, and by inferred RIR."""
    group_of, names = _codes_of(groups)
    called: dict[str, dict[float, int]] = {g: {} for g in names}
    floors: dict[str, dict[float, int]] = {g: {} for g in names}
    logged = ~np.isnan(w.known)
    for target, mask, rirs in (
        (called, logged, w.known),
        (floors, ~logged & ~np.isnan(inferred), inferred),
    ):
        in_group, at_rir = group_of[w.exercise[mask]], rirs[mask]
        codes, first = distinct(in_group, at_rir)
        tally = np.bincount(codes, minlength=len(first)).tolist()
        for group, rir, n in zip(
            in_group[first].tolist(), at_rir[first].tolist(), tally, strict=True
        ):
            target[names[group]][rir] = n
    return called, floors


def _failures(
    w: _Working, exercises: Sequence[Exercise], movements: dict[int, str]
) -> list[RuleBreak]:
    """The rule breaks among the sets logged at failure (see :func:`_rule_breaks`)."""
    # Sessions (workout, exercise): each working set's number in its own, and its size.
    session, session_first = distinct(w.workout, w.exercise)
    sizes = np.bincount(session, minlength=len(session_first))
    numbers = np.empty(len(session), dtype=np.intp)
    numbers[np.argsort(session, kind="stable")] = (
        np.arange(len(session)) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    )
    # The days each movement was trained, for the days in each failure's week.
    movement_of, _ = _codes_of(movements)
    span = 1 << 23  # beyond any day's ordinal
    trained = np.unique(movement_of[w.exercise] * span + w.day)
    failed = np.flatnonzero(w.known == 0.0)
    key = movement_of[w.exercise[failed]] * span + w.day[failed]
    frequencies = np.searchsorted(trained, key, side="right") - np.searchsorted(
        trained, key - 6, side="left"
    )
    # By when; at the same moment, session by session (in the order each began).
    order = np.lexsort((numbers[failed], session_first[session[failed]], w.micros[failed]))
    failed, frequencies = failed[order], frequencies[order]
    return _rule_breaks(
        zip(
            w.micros[failed].astype("datetime64[us]").tolist(),
            [exercises[i] for i in w.exercise[failed].tolist()],
            w.load[failed].tolist(),
            w.reps[failed].tolist(),
            numbers[failed].tolist(),
            sizes[session[failed]].tolist(),
            frequencies.tolist(),
            strict=True,
        )
    )


def _volume(w: _Working, exercises: Sequence[Exercise]) -> list[WeekVolume]:
    """Working sets per muscle per week (from each exercise's sets in the week)."""
    mondays = w.day - (w.day - 1) % 7
    pairs, first = distinct(mondays, w.exercise)
    tally = np.bincount(pairs, minlength=len(first)).tolist()
    volume: dict[int, list[tuple[Exercise, int]]] = {}
    for monday, exercise, n in zip(
        mondays[first].tolist(), w.exercise[first].tolist(), tally, strict=True
    ):
        volume.setdefault(monday, []).append((exercises[exercise], n))
    return [_week_volume(monday, done) for monday, done in sorted(volume.items())]


def _e1rm_trends(
    w: _Working,
    lifted: npt.NDArray[np.intp],
    exercises: Sequence[Exercise],
    names: dict[int, str],
    heavy: set[str],
    corrector: Corrector,
    main_lifts: int,
) -> dict[str, list[tuple[date, float]]]:
    """The best e1RM of each day of the main lifts (by name), as every view shows it
    (:func:`~failwise.domain.session.set_e1rm`, through the lifter's calibration): the
    heavy compounds first, then the names trained on the most days."""
    exercise, loads, reps = w.exercise[lifted], w.load[lifted], w.reps[lifted]
    rirs, failures = w.rir[lifted], w.to_failure[lifted]
    keys, first = distinct(exercise, loads, reps, np.isnan(rirs), np.nan_to_num(rirs), failures)
    corrected = {i: functools.lru_cache(maxsize=4096)(corrector(exercises[i])) for i in names}
    trends = np.array(
        [
            set_e1rm(
                load,
                done,
                None if math.isnan(rir) else rir,
                to_failure=failure,
                corrected=corrected[index],
            )
            for index, load, done, rir, failure in zip(
                exercise[first].tolist(),
                loads[first].tolist(),
                reps[first].tolist(),
                rirs[first].tolist(),
                failures[first].tolist(),
                strict=True,
            )
        ],
        dtype=np.float64,
    )[keys]
    name_of, listed = _codes_of(names)
    days = w.day[lifted]
    by_day, first = distinct(name_of[exercise], days)
    bests = np.zeros(len(first), dtype=np.float64)
    np.maximum.at(bests, by_day, trends)
    day_names = name_of[exercise[first]]
    trained = np.bincount(day_names, minlength=len(listed)).tolist()
    seen = [n for n in range(len(listed)) if trained[n]]
    ranked = sorted(seen, key=lambda n: (listed[n] not in heavy, -trained[n], listed[n]))
    trends_of = {}
    for n in ranked[:main_lifts]:
        mine = day_names == n
        ordinals = days[first[mine]].tolist()
        trends_of[listed[n]] = sorted(
            zip(map(date.fromordinal, ordinals), bests[mine].tolist(), strict=True)
        )
    return trends_of


def analyse_columns(
    columns: HistoryColumns, *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """:func:`analyse` of a history given as columns, in the order done (``ValueError``
    otherwise): what it says, to the bit, of the same sets. Each step reads the working
    sets' columns whole, and lets go of what it worked out as it returns."""
    c = columns
    count = len(c)
    micros = c.performed_at.astype("datetime64[us]").astype(np.int64)
    if count > 1 and bool(np.any(micros[1:] < micros[:-1])):
        raise ValueError("a history is read in the order done")
    w = _Working.of(c, micros)
    del micros
    exercises = c.exercises
    worked = np.unique(w.exercise).tolist()
    lifted = np.flatnonzero(w.load > 0)
    values = _capacity_efforts(w, lifted)
    called, floors = _rir_counts(
        w,
        _inferred_rirs(w, lifted, values),
        {i: class_of(exercises[i]).group for i in worked},
    )
    breaks = _failures(w, exercises, {i: movement_of(exercises[i]) for i in worked})
    names = {i: exercises[i].name for i in worked}
    heavy = {names[i] for i in worked if exercises[i].heavy_compound}
    trends = _e1rm_trends(w, lifted, exercises, names, heavy, corrector or _uncorrected, main_lifts)
    fatigue = WeeklyFatigue()
    fatigue.add_columns(
        w.micros[lifted],
        [exercise.id for exercise in exercises],
        w.exercise[lifted],
        w.load[lifted],
        w.reps[lifted],
        w.known[lifted],
        values,
    )
    volume = _volume(w, exercises)
    working = len(w.micros)
    logged = int(np.count_nonzero(~np.isnan(w.known)))
    span = w.micros[[0, -1]].astype("datetime64[us]").tolist() if working else []
    del w, lifted, values  # the weekly verdicts read what fatigue holds, and only that
    verdicts = fatigue.verdicts(span[0].date(), span[1].date()) if span else []
    return HistoryAnalysis(
        sets=count,
        working_sets=working,
        workouts=len(np.unique(c.workout)),
        first=c.performed_at[0].item() if count else None,
        last=c.performed_at[-1].item() if count else None,
        logged_share=logged / working if working else 0.0,
        profiles={group: _profile(called[group], floors[group]) for group in sorted(called)},
        rule_breaks=tuple(breaks),
        extra_recovery_hours=sum(b.extra_recovery_hours for b in breaks),
        weekly_volume=tuple(volume),
        e1rm_trends=trends,
        fatigue_by_week=tuple(verdicts),
        failure_curve=tuple((rir / 2, proximity_cost(rir / 2)) for rir in range(0, 13)),
    )

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

from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from failwise.domain.calibration import RirCorrector
from failwise.domain.context import SetContext, movement_of, weekly_frequency_on
from failwise.domain.decision import FailurePolicy, prescribe
from failwise.domain.detection import Recommendation, weekly_recommendations
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
    order = sorted(range(len(sets)), key=lambda i: sets[i].performed_at)
    windows: dict[str, deque[tuple[datetime, float]]] = defaultdict(deque)
    result: list[HistorySet] = list(sets)
    for index in order:
        item = sets[index]
        if item.load <= 0 or item.reps < 1 or not item.working:
            continue
        window = windows[item.exercise.id]
        value = estimate_e1rm(item.load, item.reps, item.known_rir or 0.0)
        # A monotone deque keeps the window's maximum in O(1) per set.
        while window and window[-1][1] <= value:
            window.pop()
        window.append((item.performed_at, value))
        while window[0][0] < item.performed_at - CAPACITY_WINDOW:
            window.popleft()
        if item.known_rir is not None:
            continue
        capacity = window[0][1]
        reserve = reps_to_failure_at(100.0 * item.load / capacity) - item.reps
        inferred = min(10.0, max(0.0, round(reserve * 2) / 2))
        result[index] = replace(item, rir_inferred=inferred)
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


def _profile(items: Sequence[HistorySet]) -> Profile:
    logged = dict.fromkeys(RIR_BUCKETS, 0)
    inferred = dict.fromkeys(RIR_BUCKETS, 0)
    at_least = dict.fromkeys(AT_LEAST_BUCKETS, 0)
    logged_values: list[float] = []
    for item in items:
        known = item.known_rir
        if known is not None:
            logged[rir_bucket(known)] += 1
            logged_values.append(known)
        elif item.rir_inferred is not None:
            inferred[rir_bucket(item.rir_inferred)] += 1
            at_least[at_least_bucket(item.rir_inferred)] += 1
    return Profile(
        logged=logged,
        inferred=inferred,
        mean_logged=sum(logged_values) / len(logged_values) if logged_values else None,
        mean_inferred=None,
        inferred_at_least=at_least,
    )


def _monday(moment: datetime) -> date:
    return moment.date() - timedelta(days=moment.weekday())


def _rule_breaks(working: Sequence[HistorySet]) -> list[RuleBreak]:
    sessions: dict[tuple[str, str], list[HistorySet]] = defaultdict(list)
    for item in working:
        sessions[(item.workout or item.performed_at.date().isoformat(), item.exercise.id)].append(
            item
        )
    # The plan's high-frequency count: days a week the same movement (the exercise) was done.
    days_by_movement: dict[str, list[date]] = defaultdict(list)
    for item in working:
        days_by_movement[movement_of(item.exercise)].append(item.performed_at.date())
    for days in days_by_movement.values():
        days.sort()
    breaks = []
    for session in sessions.values():
        total = len(session)
        for number, item in enumerate(session, start=1):
            # Only failure the lifter logged counts: an inferred RIR is a floor
            # (capacity is a lower bound), too weak to call a set a failure.
            if item.known_rir != 0.0:
                continue
            days = days_by_movement[movement_of(item.exercise)]
            frequency = weekly_frequency_on(days, item.performed_at.date())
            decision = prescribe(
                SetContext(
                    exercise=item.exercise,
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
            failed = set_cost(item.reps, 0.0, exercise=item.exercise)
            short_reps = max(1, item.reps - int(stop))
            short = set_cost(short_reps, stop, exercise=item.exercise)
            breaks.append(
                RuleBreak(
                    performed_at=item.performed_at,
                    exercise=item.exercise,
                    load=item.load,
                    reps=item.reps,
                    failure=decision.failure,
                    rules=tuple(reason.rule for reason in decision.deciding),
                    extra_recovery_hours=max(0.0, failed.recovery_hours - short.recovery_hours),
                )
            )
    breaks.sort(key=lambda b: b.performed_at)
    return breaks


def _weekly_volume(working: Sequence[HistorySet]) -> list[WeekVolume]:
    weeks: dict[date, dict[Muscle, float]] = defaultdict(lambda: defaultdict(float))
    for item in working:
        week = weeks[_monday(item.performed_at)]
        for muscle in item.exercise.primary:
            week[muscle] += 1.0
        for muscle in item.exercise.secondary:
            week[muscle] += INDIRECT_SET_WEIGHT
    return [WeekVolume(week, dict(sets)) for week, sets in sorted(weeks.items())]


def _e1rm_trends(
    working: Sequence[HistorySet], main_lifts: int, corrector: Corrector
) -> dict[str, list[tuple[date, float]]]:
    best: dict[str, dict[date, float]] = defaultdict(dict)
    for item in working:
        if item.load <= 0:
            continue
        # The e1RM every view shows: the called RIR corrected, no RIR a lower bound.
        value = set_e1rm(
            item.load,
            item.reps,
            item.rir,
            to_failure=item.to_failure,
            corrected=corrector(item.exercise),
        )
        days = best[item.exercise.name]
        day = item.performed_at.date()
        days[day] = max(days.get(day, 0.0), value)
    heavy = {item.exercise.name for item in working if item.exercise.heavy_compound}
    ranked = sorted(best, key=lambda name: (name not in heavy, -len(best[name]), name))
    return {name: sorted(best[name].items()) for name in ranked[:main_lifts]}


def _fatigue_by_week(working: Sequence[HistorySet]) -> list[tuple[date, Recommendation]]:
    """The accumulated-fatigue verdict at the end of every week from the first working set
    to the last (:func:`~failwise.domain.detection.weekly_recommendations`)."""
    if not working:
        return []
    return weekly_recommendations(
        (
            (item.performed_at, item.exercise.id, item.load, item.reps, item.known_rir)
            for item in working
            if item.load > 0
        ),
        working[0].performed_at.date(),
        working[-1].performed_at.date(),
    )


def analyse(
    sets: Sequence[HistorySet], *, main_lifts: int = 5, corrector: Corrector | None = None
) -> HistoryAnalysis:
    """Read a history (RIR inferred where it was not logged) through the article.

    ``corrector`` gives, for an exercise, the lifter's map from a called RIR to
    the true one (their calibration): the e1RM trends then match every other
    view of the lifter's e1RM (:func:`failwise.domain.session.set_e1rm`).
    """
    ordered = sorted(infer_rir(sets), key=lambda s: s.performed_at)
    working = [s for s in ordered if s.working and s.reps >= 1]
    by_class: dict[str, list[HistorySet]] = defaultdict(list)
    for item in working:
        by_class[class_of(item.exercise).group].append(item)
    breaks = _rule_breaks(working)
    logged = sum(1 for s in working if s.known_rir is not None)
    return HistoryAnalysis(
        sets=len(ordered),
        working_sets=len(working),
        workouts=len({s.workout or s.performed_at.date().isoformat() for s in ordered}),
        first=ordered[0].performed_at if ordered else None,
        last=ordered[-1].performed_at if ordered else None,
        logged_share=logged / len(working) if working else 0.0,
        profiles={name: _profile(items) for name, items in sorted(by_class.items())},
        rule_breaks=tuple(breaks),
        extra_recovery_hours=sum(b.extra_recovery_hours for b in breaks),
        weekly_volume=tuple(_weekly_volume(working)),
        e1rm_trends=_e1rm_trends(working, main_lifts, corrector or _uncorrected),
        fatigue_by_week=tuple(_fatigue_by_week(working)),
        failure_curve=tuple((rir / 2, proximity_cost(rir / 2)) for rir in range(0, 13)),
    )

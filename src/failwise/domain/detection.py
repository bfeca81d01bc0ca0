"""Accumulated fatigue: is the lifter digging a hole?

Four signals, each read against the lifter's own history:

- **e1rm-drop** — estimated 1RM on an exercise falls further than its usual
  session-to-session noise;
- **rpe-drift** — the same load for the same reps is rated harder (RPE up by 1
  or more, i.e. RIR down by 1 or more);
- **missed-reps** — working sets fall short of their target reps;
- **readiness** — daily ratings of sleep, soreness and motivation worse than usual.

One signal says *avoid failure* for now; two or more say *deload*. The
verdict's :attr:`FatigueVerdict.fatigued` feeds the decision engine's
``fatigued`` flag (the article: never go to failure "when you're already
showing signs of accumulated fatigue").

Fatigue that *accumulates* needs a history to accumulate over: with fewer than
:data:`MIN_SESSIONS` sessions the training signals are not read, and unless the
lifter's own ratings say they are run down the answer is *not enough history*,
no verdict either way.

>>> detect_accumulated_fatigue([], at=datetime(2026, 3, 2)).summary
'Not enough history yet to judge fatigue (0 of 3 sessions).'
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from failwise.domain.effort import validate_rir
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise
from failwise.domain.strength import estimate_e1rm

# How far back the signals look, and how far back "usual" reaches.
RECENT = timedelta(days=14)
BASELINE = timedelta(days=56)
# Session-to-session e1RM noise when there is too little history to measure
# it: day-to-day strength varies by a few percent in trained lifters.
DEFAULT_E1RM_NOISE = 0.03
# A drop counts when it exceeds twice the lifter's own noise, and at least this.
MIN_E1RM_DROP = 0.025
# Missed reps count when at least this share of recent targeted sets missed.
MISSED_SHARE = 0.25
# Sessions (training days) in the baseline window before any verdict: the e1RM
# signal needs two earlier sessions for the lifter's usual (the median of the
# last three, at least two: ``_e1rm_drops``) and one to compare with it. Before
# that, a missed rep or a hard set says more about a first guess at the load
# than about fatigue that has accumulated.
MIN_SESSIONS = 3


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """A working set as logged: what was lifted, how hard it felt, what was planned."""

    performed_at: datetime
    exercise: Exercise
    load: float
    reps: int
    rir: float | None = None
    """Reps in reserve as the lifter called it; None when not logged."""
    target_reps: int | None = None

    def __post_init__(self) -> None:
        if not self.load > 0:
            raise InvalidInput(f"load must be a positive number, not {self.load:g}")
        if self.reps < 1:
            raise InvalidInput(f"reps must be at least 1 on a working set, not {self.reps}")
        if self.rir is not None:
            validate_rir(self.rir)
        if self.target_reps is not None and self.target_reps < 1:
            raise InvalidInput(f"target reps must be at least 1, not {self.target_reps}")

    @property
    def e1rm(self) -> float:
        # An unknown RIR is taken as 0: the estimate is then a lower bound.
        return estimate_e1rm(self.load, self.reps, self.rir or 0.0)


@dataclass(frozen=True, slots=True)
class DailyRating:
    """How the lifter feels on a day, each on 1 (worst) to 5 (best); None if not rated.

    Soreness is rated as freshness: 5 = not sore at all, 1 = very sore.
    """

    day: date
    sleep: int | None = None
    soreness: int | None = None
    motivation: int | None = None

    def __post_init__(self) -> None:
        for name in ("sleep", "soreness", "motivation"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= 5:
                raise InvalidInput(f"{name} rating must be 1 to 5, not {value}", field=name)

    @property
    def score(self) -> float | None:
        values = [v for v in (self.sleep, self.soreness, self.motivation) if v is not None]
        return statistics.fmean(values) if values else None


class Recommendation(StrEnum):
    NOT_ENOUGH_HISTORY = "not-enough-history"
    """Fewer than :data:`MIN_SESSIONS` sessions: no verdict yet, either way."""
    CARRY_ON = "carry-on"
    AVOID_FAILURE = "avoid-failure"
    DELOAD = "deload"

    @property
    def words(self) -> str:
        """The recommendation in a lifter's words: ``avoid-failure`` → ``avoid failure``."""
        return _RECOMMENDATION_WORDS[self]


_RECOMMENDATION_WORDS = {
    Recommendation.NOT_ENOUGH_HISTORY: "too early to tell",
    Recommendation.CARRY_ON: "carry on",
    Recommendation.AVOID_FAILURE: "avoid failure",
    Recommendation.DELOAD: "deload",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation behind the verdict."""

    signal: str
    """``e1rm-drop``, ``rpe-drift``, ``missed-reps`` or ``readiness``."""
    text: str
    exercise: str | None = None


# The signals in a lifter's words, for the pages that list the evidence.
SIGNAL_WORDS = {
    "e1rm-drop": "strength down",
    "rpe-drift": "same work, harder",
    "missed-reps": "missed reps",
    "readiness": "feeling run down",
}


@dataclass(frozen=True, slots=True)
class FatigueVerdict:
    recommendation: Recommendation
    evidence: tuple[Evidence, ...]
    at: datetime
    sessions: int = MIN_SESSIONS
    """Sessions (training days) in the window the verdict read."""
    sessions_needed: int = MIN_SESSIONS

    @property
    def fatigued(self) -> bool:
        """Whether the decision engine should treat the lifter as fatigued."""
        return self.recommendation in (Recommendation.AVOID_FAILURE, Recommendation.DELOAD)

    @property
    def judged(self) -> bool:
        """Whether there was history enough for a verdict."""
        return self.recommendation is not Recommendation.NOT_ENOUGH_HISTORY

    @property
    def signals(self) -> tuple[str, ...]:
        return tuple(sorted({item.signal for item in self.evidence}))

    @property
    def summary(self) -> str:
        if self.recommendation is Recommendation.NOT_ENOUGH_HISTORY:
            return (
                f"Not enough history yet to judge fatigue ({self.sessions} of "
                f"{self.sessions_needed} sessions)."
            )
        if self.recommendation is Recommendation.CARRY_ON:
            return "No sign of accumulated fatigue: carry on."
        if self.recommendation is Recommendation.AVOID_FAILURE:
            return "One sign of accumulated fatigue: stay clear of failure until it clears."
        return "Several signs of accumulated fatigue: take a deload week."


def _session_bests(sets: Sequence[LoggedSet]) -> list[tuple[date, float]]:
    best: dict[date, float] = {}
    for logged in sets:
        day = logged.performed_at.date()
        best[day] = max(best.get(day, 0.0), logged.e1rm)
    return sorted(best.items())


def _e1rm_drops(sets: Sequence[LoggedSet], at: datetime) -> list[Evidence]:
    evidence = []
    by_exercise: dict[str, list[LoggedSet]] = defaultdict(list)
    for logged in sets:
        by_exercise[logged.exercise.id].append(logged)
    for logged_sets in by_exercise.values():
        sessions = _session_bests(logged_sets)
        recent = [value for day, value in sessions if day >= (at - RECENT).date()]
        earlier = [value for day, value in sessions if day < (at - RECENT).date()]
        if not recent or len(earlier) < 2:
            continue
        changes = [b / a - 1.0 for a, b in itertools.pairwise(earlier)]
        noise = statistics.stdev(changes) if len(changes) >= 3 else DEFAULT_E1RM_NOISE
        baseline = statistics.median(earlier[-3:])
        latest = statistics.fmean(recent[-2:])
        drop = 1.0 - latest / baseline
        if drop > max(2.0 * noise, MIN_E1RM_DROP):
            name = logged_sets[0].exercise.name
            evidence.append(
                Evidence(
                    "e1rm-drop",
                    f"{name}: estimated 1RM {latest:.1f}, down {drop:.0%} from your usual "
                    f"{baseline:.1f} (your normal session-to-session swing is {noise:.0%}).",
                    exercise=name,
                )
            )
    return evidence


def _rpe_drift(sets: Sequence[LoggedSet], at: datetime) -> list[Evidence]:
    recent_start = at - RECENT
    # The hardest earlier rating of each (exercise, reps, load): one pass, no pairs.
    earlier: dict[tuple[str, int, float], LoggedSet] = {}
    for before in sets:
        if before.rir is None or before.performed_at >= recent_start:
            continue
        key = (before.exercise.id, before.reps, round(before.load, 1))
        known = earlier.get(key)
        if known is None or (known.rir is not None and before.rir > known.rir):
            earlier[key] = before
    evidence = []
    flagged: set[str] = set()
    for now in sets:
        if now.rir is None or now.performed_at < recent_start or now.exercise.id in flagged:
            continue
        easier = earlier.get((now.exercise.id, now.reps, round(now.load, 1)))
        if easier is None or easier.rir is None or easier.rir - now.rir < 1.0:
            continue
        name = now.exercise.name
        evidence.append(
            Evidence(
                "rpe-drift",
                f"{name}: {now.load:g} × {now.reps} felt like RPE {10 - now.rir:g} "
                f"on {now.performed_at:%d %b}, RPE {10 - easier.rir:g} "
                f"on {easier.performed_at:%d %b}.",
                exercise=name,
            )
        )
        flagged.add(now.exercise.id)
    return evidence


def _missed_reps(sets: Sequence[LoggedSet], at: datetime) -> list[Evidence]:
    targeted = [s for s in sets if s.target_reps is not None and s.performed_at >= at - RECENT]
    missed = [s for s in targeted if s.target_reps is not None and s.reps < s.target_reps]
    if len(missed) >= 2 and len(missed) >= MISSED_SHARE * len(targeted):
        names = ", ".join(sorted({s.exercise.name for s in missed}))
        return [
            Evidence(
                "missed-reps",
                f"{len(missed)} of your last {len(targeted)} planned sets fell short of "
                f"their target reps ({names}).",
            )
        ]
    return []


def _readiness(ratings: Sequence[DailyRating], at: datetime) -> list[Evidence]:
    recent_start = (at - timedelta(days=3)).date()
    recent = [r.score for r in ratings if recent_start < r.day <= at.date()]
    usual = [r.score for r in ratings if (at - BASELINE).date() <= r.day <= recent_start]
    recent_scores = [s for s in recent if s is not None]
    usual_scores = [s for s in usual if s is not None]
    if not recent_scores:
        return []
    now = statistics.fmean(recent_scores)
    if len(usual_scores) >= 5:
        before = statistics.fmean(usual_scores)
        if before - now >= 1.0:
            return [
                Evidence(
                    "readiness",
                    f"Sleep, soreness and motivation average {now:.1f}/5 over the last "
                    f"3 days, against your usual {before:.1f}/5.",
                )
            ]
    # Poor on its own terms, whatever the lifter's usual: 2/5 or worse.
    if now <= 2.0:
        return [
            Evidence(
                "readiness",
                f"Sleep, soreness and motivation average {now:.1f}/5 over the last 3 days.",
            )
        ]
    return []


def detect_accumulated_fatigue(
    sets: Iterable[LoggedSet],
    at: datetime,
    ratings: Iterable[DailyRating] = (),
) -> FatigueVerdict:
    """Read the lifter's history up to ``at`` for signs of accumulated fatigue.

    With fewer than :data:`MIN_SESSIONS` training days in the window only the lifter's
    own readiness ratings are read, and without a sign in them the answer is
    :attr:`Recommendation.NOT_ENOUGH_HISTORY`: no verdict either way.
    """
    history = sorted(
        (s for s in sets if at - BASELINE <= s.performed_at <= at),
        key=lambda s: s.performed_at,
    )
    sessions = len({s.performed_at.date() for s in history})
    days = sorted(ratings, key=lambda r: r.day)
    # The lifter's own ratings need no training history to be read on their own terms.
    evidence = _readiness(days, at)
    if sessions >= MIN_SESSIONS:
        evidence = (
            _e1rm_drops(history, at)
            + _rpe_drift(history, at)
            + _missed_reps(history, at)
            + evidence
        )
    kinds = {item.signal for item in evidence}
    if not kinds and sessions < MIN_SESSIONS:
        recommendation = Recommendation.NOT_ENOUGH_HISTORY
    elif not kinds:
        recommendation = Recommendation.CARRY_ON
    elif len(kinds) == 1:
        recommendation = Recommendation.AVOID_FAILURE
    else:
        recommendation = Recommendation.DELOAD
    return FatigueVerdict(
        recommendation=recommendation, evidence=tuple(evidence), at=at, sessions=sessions
    )

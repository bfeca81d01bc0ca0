"""Weekly sets: each muscle's ramp across the mesocycle, filled set by set into the sessions.

A weekly-set target per muscle ramps across the accumulation weeks from MEV
(lagging: the bottom of MAV) toward the middle of MAV (by experience; lagging:
the top of MAV), at most 2 sets a week more, and is filled set by set —
lagging muscles to MEV first, then the others, then the lateral raises
(:data:`OWN_WORK`), then the maintenance muscles, then the ramp of the
lagging muscles, then the rest — never over any muscle's
MRV (indirect sets counted as half, Pelland et al. 2024) or the session's
minutes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from failwise.domain.context import Experience
from failwise.domain.exercises import Muscle, Pattern
from failwise.domain.planning.minutes import (
    SESSION_WARM_UP_MINUTES,
    exercise_minutes,
    set_minutes,
)
from failwise.domain.planning.request import MAINTENANCE_LANDMARKS, PlanRequest
from failwise.domain.planning.selection import FILL_ORDER, Slot
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT

__all__ = [
    "MAX_RAMP_PER_WEEK",
    "MAX_SETS_PER_EXERCISE",
    "MIN_SETS_PER_EXERCISE",
    "OWN_WORK",
    "REFILLS",
    "Allocation",
    "allocate",
]


# Beyond about 5 hard sets of one exercise in a session, the later sets are
# done in fatigue and give less; more volume goes to another exercise or day
# (a coaching heuristic).
MAX_SETS_PER_EXERCISE = 5
# An exercise worth its warm-up and set-up gets at least 2 working sets.
MIN_SETS_PER_EXERCISE = 2
# RP: add 1–2 sets a week per muscle across a mesocycle.
MAX_RAMP_PER_WEEK = 2.0


# Where in MAV each experience level peaks (0 = bottom, 1 = top): a beginner
# still grows from little volume, an advanced lifter needs more (RP's
# landmarks rise with training age). A lagging muscle peaks half a MAV higher,
# at the top for intermediate and advanced lifters.
_PEAK_IN_MAV: Mapping[Experience, float] = {
    Experience.BEGINNER: 0.0,
    Experience.INTERMEDIATE: 0.5,
    Experience.ADVANCED: 0.75,
}
_LAGGING_PEAK_BONUS = 0.5


def _volume_ramp(request: PlanRequest, muscle: Muscle) -> tuple[float, ...]:
    """Target weekly sets of ``muscle`` for each accumulation week."""
    marks = request.landmarks[muscle]
    weeks = request.accumulation
    lagging = muscle in request.lagging
    shift = request.set_adjustments.get(muscle, 0.0)
    if muscle in MAINTENANCE_LANDMARKS and not lagging:
        held = min(max(marks.mev + shift, marks.mev), marks.mav_high)
        return (float(held),) * weeks
    position = _PEAK_IN_MAV[request.experience] + (_LAGGING_PEAK_BONUS if lagging else 0.0)
    start = marks.mav_low if lagging else marks.mev
    peak = marks.mav_low + min(position, 1.0) * (marks.mav_high - marks.mav_low)
    start = min(max(start + shift, marks.mev), marks.mav_high)
    peak = min(max(peak + shift, start), marks.mav_high, start + MAX_RAMP_PER_WEEK * (weeks - 1))
    return tuple(
        float(math.ceil(start + (peak - start) * index / (weeks - 1) - 1e-9))
        for index in range(weeks)
    )


class Allocation:
    """Sets per slot for one week, filled set by set within landmarks and minutes."""

    def __init__(self, request: PlanRequest, slots: Sequence[Slot], sessions: int) -> None:
        self.request = request
        self.slots = slots
        self.counts = [0] * len(slots)
        self.totals: dict[Muscle, float] = dict.fromkeys(request.landmarks, 0.0)
        self.minutes = [0.0] * sessions

    def copy(self) -> Allocation:
        other = Allocation(self.request, self.slots, len(self.minutes))
        other.counts = list(self.counts)
        other.totals = dict(self.totals)
        other.minutes = list(self.minutes)
        return other

    def _cost(self, index: int, sets: int) -> float:
        slot = self.slots[index]
        cost = sets * set_minutes(slot.exercise, slot.reps)
        if self.counts[index] == 0:
            cost += exercise_minutes(slot.exercise, slot.reps)
            if not any(
                self.counts[i] for i, s in enumerate(self.slots) if s.session == slot.session
            ):
                cost += SESSION_WARM_UP_MINUTES
        return cost

    def fits(self, index: int, sets: int) -> bool:
        slot = self.slots[index]
        if self.counts[index] + sets > MAX_SETS_PER_EXERCISE:
            return False
        if self.minutes[slot.session] + self._cost(index, sets) > self.request.minutes + 1e-9:
            return False
        for muscle in slot.exercise.primary:
            marks = self.request.landmarks.get(muscle)
            if marks is not None and self.totals[muscle] + sets > marks.mrv + 1e-9:
                return False
        for muscle in slot.exercise.secondary:
            marks = self.request.landmarks.get(muscle)
            extra = INDIRECT_SET_WEIGHT * sets
            if marks is not None and self.totals[muscle] + extra > marks.mrv + 1e-9:
                return False
        return True

    def add(self, index: int, sets: int) -> None:
        slot = self.slots[index]
        self.minutes[slot.session] += self._cost(index, sets)
        self.counts[index] += sets
        for muscle in slot.exercise.primary:
            if muscle in self.totals:
                self.totals[muscle] += sets
        for muscle in slot.exercise.secondary:
            if muscle in self.totals:
                self.totals[muscle] += INDIRECT_SET_WEIGHT * sets

    def direct(self, muscle: Muscle) -> int:
        """Sets this week of exercises that train ``muscle`` directly."""
        return sum(
            count
            for count, slot in zip(self.counts, self.slots, strict=True)
            if muscle in slot.exercise.primary
        )

    def direct_in_session(self, muscle: Muscle, session: int) -> int:
        return sum(
            count
            for count, slot in zip(self.counts, self.slots, strict=True)
            if slot.session == session and muscle in slot.exercise.primary
        )

    def _options(self, muscle: Muscle, deficit: float) -> list[tuple[int, ...]]:
        options = []
        for index, slot in enumerate(self.slots):
            own = slot.muscle is muscle
            # Another muscle's exercise that trains this one directly (chin-ups
            # for the biceps) serves when the muscle's own exercises are full.
            if not own and muscle not in slot.exercise.primary:
                continue
            count = self.counts[index]
            opening = count == 0
            # Compound sets first; the isolation exercise opens once the
            # compound has 3 sets, and the two then alternate.
            stage = count if slot.role.compound else count + 3
            options.append(
                (
                    int(not own),
                    # A lagging muscle's sessions come first (leg extensions on
                    # leg days); its extra isolation on other days takes the sets
                    # its own sessions have no room or time for.
                    int(not slot.own),
                    # A last set goes to an exercise already in the session.
                    int(opening and deficit <= 1),
                    self.direct_in_session(muscle, slot.session),
                    stage,
                    round(self.minutes[slot.session] * 10),
                    index,
                )
            )
        return sorted(options)

    def add_one(self, muscle: Muscle, level: float) -> bool:
        """Add sets for ``muscle``: one to an open exercise, two to open one; False if none fit."""
        for *_, index in self._options(muscle, level - self.totals[muscle]):
            sets = MIN_SETS_PER_EXERCISE if self.counts[index] == 0 else 1
            if self.fits(index, sets):
                self.add(index, sets)
                return True
        return False

    def out_of_time(self, muscle: Muscle) -> bool:
        """Whether every exercise that could add a set for ``muscle`` is stopped by the clock."""
        for *_, index in self._options(muscle, 0.0):
            sets = MIN_SETS_PER_EXERCISE if self.counts[index] == 0 else 1
            session = self.slots[index].session
            if self.minutes[session] + self._cost(index, sets) <= self.request.minutes + 1e-9:
                return False
        return True

    def open_own_work(self) -> None:
        """Open the exercises of the parts of a muscle its compounds miss (lateral raises)."""
        for muscle, pattern in OWN_WORK.items():
            if muscle not in self.totals:
                continue
            for index, slot in enumerate(self.slots):
                if (
                    slot.muscle is muscle
                    and slot.own
                    and slot.exercise.pattern is pattern
                    and not self.counts[index]
                    and self.fits(index, MIN_SETS_PER_EXERCISE)
                ):
                    self.add(index, MIN_SETS_PER_EXERCISE)

    def fill(self, levels: Mapping[Muscle, float]) -> None:
        """Round robin, biggest muscles first, until every muscle reaches its level or is stuck."""
        order = [muscle for muscle in FILL_ORDER if muscle in levels]
        stuck: set[Muscle] = set()
        progress = True
        while progress:
            progress = False
            for muscle in order:
                if muscle in stuck or self.totals[muscle] >= levels[muscle] - 1e-9:
                    continue
                if self.add_one(muscle, levels[muscle]):
                    progress = True
                else:
                    stuck.add(muscle)


# Sets a muscle's compounds give it count whole for the muscle (Pelland), but
# not for each of its parts: pressing trains the front delts and leaves the
# side delts, which only lateral raises train well (Schoenfeld's and RP's
# shoulder advice alike), so a plan opens the lateral raises of every session
# that trains the shoulders, once the big muscles have their MEV, even when
# presses already give the shoulders their weekly sets.
OWN_WORK: Mapping[Muscle, Pattern] = {Muscle.SHOULDERS: Pattern.LATERAL_RAISE}
# The tier of the week's fill after which that work opens: lagging and main
# muscles at MEV (see allocate's tiers).
_OWN_WORK_AFTER = 1

# Times a week is filled again to take back a muscle's overshoot (each pass
# settles most of what is left; two leave nothing worth a set).
REFILLS = 2
_Tiers = tuple[tuple[list[Muscle], dict[Muscle, float]], ...]


def _fill_week(
    previous: Allocation,
    tiers: _Tiers,
    target: Mapping[Muscle, float],
    lowered: Mapping[Muscle, float],
) -> Allocation:
    """Last week's sets, plus what this week's tiers add (each muscle's levels ``lowered``)."""
    allocation = previous.copy()
    for step, (group, levels) in enumerate(tiers):
        allocation.fill({m: levels[m] - lowered.get(m, 0.0) for m in group})
        if step == _OWN_WORK_AFTER:
            allocation.open_own_work()
    # Whatever the lowering undershot is topped up to the real target.
    allocation.fill(target)
    return allocation


def allocate(request: PlanRequest, slots: Sequence[Slot], sessions: int) -> list[Allocation]:
    """Sets per slot for each accumulation week; each week builds on the one before."""
    muscles = list(request.landmarks)
    ramps = {muscle: _volume_ramp(request, muscle) for muscle in muscles}
    lagging = [m for m in muscles if m in request.lagging]
    main = [m for m in muscles if m not in request.lagging and m not in MAINTENANCE_LANDMARKS]
    kept = [m for m in muscles if m not in request.lagging and m in MAINTENANCE_LANDMARKS]
    weeks: list[Allocation] = []
    previous = Allocation(request, slots, sessions)
    for week in range(request.accumulation):
        target = {muscle: ramps[muscle][week] for muscle in muscles}
        mev = {m: min(request.landmarks[m].mev, target[m]) for m in muscles}
        # Lagging muscles reach MEV first, then the others, then the
        # maintenance muscles; then the lagging ramp, then everyone's.
        tiers: _Tiers = (
            (lagging, mev),
            (main, mev),
            (kept, mev),
            (lagging, target),
            (main + kept, target),
        )
        best = _fill_settled(previous, tiers, target)
        weeks.append(best)
        previous = best
    return weeks


def _fill_settled(
    previous: Allocation, tiers: _Tiers, target: Mapping[Muscle, float]
) -> Allocation:
    """A week filled by ``tiers``, with the overshoot of muscles topped up too early taken back.

    A muscle topped up directly before the big lifts hand it their indirect
    half sets ends above its target: the week is filled again with its levels
    lowered by the excess, unless that leaves a muscle worse off.
    """
    muscles = list(target)
    lowered: dict[Muscle, float] = {}
    best = _fill_week(previous, tiers, target, lowered)
    for _ in range(REFILLS):
        excess = {
            m: math.floor(best.totals[m] - target[m] + 1e-9)
            for m in muscles
            if best.direct(m) > previous.direct(m)
        }
        excess = {m: value for m, value in excess.items() if value >= 1}
        if not excess:
            break
        for muscle, value in excess.items():
            lowered[muscle] = lowered.get(muscle, 0.0) + value
        candidate = _fill_week(previous, tiers, target, lowered)
        if any(candidate.totals[m] < min(target[m], best.totals[m]) - 1e-9 for m in muscles):
            break
        best = candidate
    return best

"""Effort set by set: the RIR progression across the mesocycle, and drop sets at its peak.

RIR falls across the accumulation weeks (:func:`rir_progression`, 3 → 1 on
compounds, 2 → 0 on machine compounds, 3 → 0 on isolation), and is clamped
into the decision engine's target range for the set: a heavy compound's
early sets fall 3 → 1, a machine compound's final set 1 → 0, and the final
set of isolation work that the engine sends to failure is at RIR 0 from the
first week (the article's isolation and final-set rules). The weekly
frequency the high-frequency rule sees is counted per movement
(:func:`~failwise.domain.context.movement_of`). The deload week is
``never`` on every set. Drop sets go on the final set of one of the last two
exercises of a session, in the last two accumulation weeks, where the governor
allows them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from failwise.domain.context import FailurePolicy, Phase, SetContext, movement_of
from failwise.domain.decision import Prescription, prescribe
from failwise.domain.effort import RirRange
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, Mechanics, Muscle
from failwise.domain.planning.minutes import DROP_SET_MINUTES
from failwise.domain.planning.plan import PlanSet
from failwise.domain.planning.request import PlanRequest
from failwise.domain.planning.selection import Slot
from failwise.domain.stimulus import INDIRECT_SET_WEIGHT
from failwise.domain.techniques import (
    MAX_DROP_SETS_PER_SESSION,
    Technique,
    TechniqueRequest,
    govern,
)

__all__ = [
    "COMPOUND_FINAL_RIR",
    "DROP_SET_WEEKS",
    "ISOLATION_FINAL_RIR",
    "MACHINE_START_RIR",
    "START_RIR",
    "Draft",
    "draft_week",
    "place_drop_sets",
    "rir_progression",
    "smooth",
]


# RIR at the start of every mesocycle, and where compounds and isolation end:
# RP-style mesocycles go from RIR 3 to 0–1; the article keeps compounds at
# RIR 1–3 and lets isolation reach 0.
START_RIR = 3.0
COMPOUND_FINAL_RIR = 1.0
ISOLATION_FINAL_RIR = 0.0
# A machine compound (leg press, chest press, Smith machine) may go to failure
# (the article: "machine exercises, where the movement path is fixed and
# safe"), yet a failed multi-joint set still costs more recovery than a curl
# (Morán-Navarro et al. 2017: 24–48 h more): it starts a step closer to
# failure than a free compound and ends at failure, so its final set falls
# 1 → 0 within the engine's RIR 0–1 and its earlier sets hold the engine's RIR 1.
MACHINE_START_RIR = 2.0


def rir_progression(
    weeks: int, mechanics: Mechanics, *, machine: bool = False
) -> tuple[float, ...]:
    """Target RIR week by week across ``weeks`` accumulation weeks, in half steps.

    Compounds fall 3 → 1, isolation 3 → 0, machine compounds 2 → 0. Each set
    then takes the value clamped into the decision engine's range for it.

    >>> rir_progression(4, Mechanics.ISOLATION)
    (3.0, 2.0, 1.0, 0.0)
    >>> rir_progression(5, Mechanics.COMPOUND)
    (3.0, 2.5, 2.0, 1.5, 1.0)
    >>> rir_progression(5, Mechanics.COMPOUND, machine=True)
    (2.0, 1.5, 1.0, 0.5, 0.0)
    """
    if weeks < 2:
        raise InvalidInput(f"a RIR progression needs at least 2 weeks, not {weeks}")
    start = START_RIR
    end = COMPOUND_FINAL_RIR if mechanics is Mechanics.COMPOUND else ISOLATION_FINAL_RIR
    if machine and mechanics is Mechanics.COMPOUND:
        start, end = MACHINE_START_RIR, ISOLATION_FINAL_RIR
    values = []
    for index in range(weeks):
        raw = start - (start - end) * index / (weeks - 1)
        values.append(math.floor(raw * 2 + 0.5) / 2)
    return tuple(values)


PLAN_WEEK = "plan-week"
"""The reason a set the rules would take to failure stops short this week of a plan."""


def held_short(failure: FailurePolicy, target: RirRange) -> bool:
    """Whether a set the rules would take to failure is held short of it by this week of
    the plan (its target starts above RIR 0: the effort rises week by week, and failure
    comes in the last weeks). Such a set is planned, shown and logged as one to stop
    short on: "go" always means RIR 0 is the aim.

    >>> held_short(FailurePolicy.GO, RirRange(1, 1)), held_short(FailurePolicy.GO, RirRange(0, 0))
    (True, False)
    """
    return failure is FailurePolicy.GO and target.low > 0


def _week_target(
    context: SetContext, decision: Prescription, progression: Sequence[float], week: int
) -> RirRange:
    """An accumulation week's target RIR for a set the engine ruled on.

    The final set of isolation work that the engine sends to failure goes to
    failure every week (the article: "go to failure on isolation exercises"
    and "the last set of an exercise"; RIR 0–1 on isolation is its default);
    every other set follows its progression, clamped into the engine's range.
    """
    allowed = decision.target_rir
    if (
        decision.failure is FailurePolicy.GO
        and context.is_final_set
        and context.exercise.is_isolation
    ):
        return RirRange(allowed.low, allowed.low)
    point = _clamp(progression[week], allowed)
    return RirRange(point, point)


def _clamp(rir: float, allowed: RirRange) -> float:
    return min(max(rir, allowed.low), allowed.high)


def _phase(exercise: Exercise, totals: Mapping[Muscle, float], request: PlanRequest) -> Phase:
    # The article: stay short of failure "during high-volume phases (when total
    # weekly sets are already high)": above the top of MAV, nearing MRV.
    for muscle in exercise.primary:
        marks = request.landmarks.get(muscle)
        if marks is not None and totals.get(muscle, 0.0) > marks.mav_high + 1e-9:
            return Phase.HIGH_VOLUME
    return Phase.NORMAL


@dataclass(frozen=True, slots=True)
class Draft:
    """A set being planned: its context, the engine's range and the chosen target."""

    context: SetContext
    allowed: RirRange
    failure: FailurePolicy
    reasons: tuple[str, ...]
    target: RirRange


def draft_week(
    request: PlanRequest,
    slots: Sequence[Slot],
    counts: Sequence[int],
    *,
    week: int,
    deload: bool,
) -> dict[int, list[Draft]]:
    """Each set of a week's exercises (by slot index): the engine's call and its target RIR."""
    frequency, totals = _week_load(request, slots, counts)
    drafts: dict[int, list[Draft]] = {}
    for index, (slot, count) in enumerate(zip(slots, counts, strict=True)):
        if not count:
            continue
        exercise = slot.exercise
        phase = Phase.DELOAD if deload else _phase(exercise, totals, request)
        progression = rir_progression(
            request.accumulation, exercise.mechanics, machine=_is_machine(exercise)
        )
        sets = []
        for number in range(1, count + 1):
            context = SetContext(
                exercise=exercise,
                set_number=number,
                total_sets=count,
                weekly_frequency=len(frequency[movement_of(exercise)]),
                phase=phase,
                spotter=request.spotter,
                lagging=request.lagging,
                experience=request.experience,
            )
            decision = prescribe(context)
            if deload:
                # The deload keeps the engine's own easy range (RIR 3–5).
                target = decision.target_rir
            else:
                target = _week_target(context, decision, progression, week)
            sets.append(
                Draft(
                    context=context,
                    allowed=decision.target_rir,
                    failure=decision.failure,
                    reasons=tuple(reason.rule for reason in decision.reasons),
                    target=target,
                )
            )
        drafts[index] = sets
    return drafts


def _is_machine(exercise: Exercise) -> bool:
    # As the machine rule sees it (SetContext.is_machine).
    return exercise.fixed_path or exercise.equipment is Equipment.MACHINE


def _week_load(
    request: PlanRequest, slots: Sequence[Slot], counts: Sequence[int]
) -> tuple[dict[str, set[int]], dict[Muscle, float]]:
    """The sessions of the week training each movement, and the weekly sets of each muscle."""
    frequency: dict[str, set[int]] = {}
    totals: dict[Muscle, float] = dict.fromkeys(request.landmarks, 0.0)
    for slot, count in zip(slots, counts, strict=True):
        if count:
            frequency.setdefault(movement_of(slot.exercise), set()).add(slot.session)
            for muscle in slot.exercise.primary:
                if muscle in totals:
                    totals[muscle] += count
            for muscle in slot.exercise.secondary:
                if muscle in totals:
                    totals[muscle] += INDIRECT_SET_WEIGHT * count
    return frequency, totals


def smooth(weeks: list[dict[int, list[Draft]]]) -> None:
    """Keep each set's target RIR from rising across the accumulation weeks.

    Sets are matched from the end (the final set with the final set), since
    added sets go in front. A week whose range moved up (a high-volume phase
    begins) would otherwise ask for less effort than the week before; the
    earlier week's target is raised instead, within its own range.
    """
    for week in range(len(weeks) - 2, -1, -1):
        for index, drafts in weeks[week].items():
            later = weeks[week + 1].get(index)
            if not later:
                continue
            for back in range(1, min(len(drafts), len(later)) + 1):
                draft, following = drafts[-back], later[-back]
                if draft.target.low < following.target.low:
                    point = min(following.target.low, draft.allowed.high)
                    if point > draft.target.low:
                        drafts[-back] = Draft(
                            draft.context,
                            draft.allowed,
                            draft.failure,
                            draft.reasons,
                            RirRange(point, point),
                        )


# Drop sets belong to the peak of the mesocycle: the last two accumulation
# weeks, when RIR reaches 0–1 (RP-style overreaching), and the article's
# "used sparingly" keeps them there.
DROP_SET_WEEKS = 2


def place_drop_sets(
    request: PlanRequest,
    exercises: list[tuple[Slot, list[Draft], list[PlanSet]]],
    minutes_used: float,
) -> None:
    """Put drop sets on the final set of the last two exercises where the governor allows.

    At most one a session, and a second only on a lagging muscle's exercise
    (the article: "1-2 drop sets per session maximum"); never where the load
    gives nothing to drop (bodyweight and bands).
    """
    done = 0
    for position in range(len(exercises) - 1, max(len(exercises) - 3, -1), -1):
        if done >= MAX_DROP_SETS_PER_SESSION:
            break
        slot, drafts, planned = exercises[position]
        if slot.exercise.equipment in (Equipment.BODYWEIGHT, Equipment.BAND):
            continue
        if done and not (request.lagging & set(slot.exercise.primary)):
            continue
        if minutes_used + DROP_SET_MINUTES > request.minutes + 1e-9:
            break
        final = planned[-1]
        decision = govern(
            TechniqueRequest(
                drafts[-1].context,
                Technique.DROP_SET,
                load=final.load_kg,
                reps=final.reps,
                drop_sets_done=done,
                exercises_left=len(exercises) - 1 - position,
            )
        )
        if not decision.allowed:
            continue
        planned[-1] = PlanSet(
            reps=final.reps,
            target_rir=final.target_rir,
            failure=final.failure,
            technique=Technique.DROP_SET.value,
            load_kg=final.load_kg,
            reasons=final.reasons,
        )
        done += 1
        minutes_used += DROP_SET_MINUTES

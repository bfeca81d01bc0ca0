"""Generating the plan: the split, its exercises, their weekly sets, effort and loads.

:func:`generate_plan` puts together the steps each of the package's modules
holds; see :mod:`failwise.domain.planning` for the whole recipe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from failwise.domain.context import FailurePolicy
from failwise.domain.exercises import Catalog, Muscle
from failwise.domain.planning.effort import (
    DROP_SET_WEEKS,
    PLAN_WEEK,
    Draft,
    draft_week,
    held_short,
    place_drop_sets,
    smooth,
)
from failwise.domain.planning.loads import set_load
from failwise.domain.planning.minutes import session_minutes
from failwise.domain.planning.plan import (
    Plan,
    PlanExercise,
    PlanSession,
    PlanSet,
    PlanWeek,
    weekly_sets,
)
from failwise.domain.planning.request import PlanRequest
from failwise.domain.planning.selection import Slot, build_slots
from failwise.domain.planning.split import SessionTemplate, split_for
from failwise.domain.planning.volume import MAX_SETS_PER_EXERCISE, Allocation, allocate

__all__ = ["generate_plan"]


def generate_plan(request: PlanRequest, catalog: Catalog) -> Plan:
    """A mesocycle for ``request``: accumulation weeks, then a deload week.

    Deterministic: the same request (seed included) and catalog give the same plan.
    """
    split = split_for(request.days)
    slots, has_exercise = build_slots(request, catalog, split)
    allocations = allocate(request, slots, len(split))
    weeks = tuple(
        _plan_week(request, split, slots, week, week_drafts)
        for week, week_drafts in enumerate(_draft_weeks(request, slots, allocations))
    )
    muscles = list(request.landmarks)
    per_week = [weekly_sets(week, muscles) for week in weeks]
    volume = {muscle: tuple(totals[muscle] for totals in per_week) for muscle in muscles}
    shortfalls = {
        muscle: _shortfall(request, muscle, volume[muscle], allocations, has_exercise[muscle])
        for muscle in muscles
        if min(volume[muscle][: request.accumulation]) < request.landmarks[muscle].mev - 1e-9
    }
    return Plan(weeks=weeks, weekly_sets=volume, shortfalls=shortfalls)


def _draft_weeks(
    request: PlanRequest, slots: Sequence[Slot], allocations: Sequence[Allocation]
) -> list[dict[int, list[Draft]]]:
    """Every week's sets with their targets: the accumulation weeks, then the deload."""
    last = allocations[-1].counts
    # The deload halves the sets (rounded up per exercise, so no exercise
    # vanishes) and keeps every set easy.
    deload_counts = [(count + 1) // 2 for count in last]
    weeks_counts = [allocation.counts for allocation in allocations] + [deload_counts]
    drafts = [
        draft_week(request, slots, counts, week=week, deload=week == request.accumulation)
        for week, counts in enumerate(weeks_counts)
    ]
    smooth(drafts[: request.accumulation])
    return drafts


_Planned = list[tuple[Slot, list[Draft], list[PlanSet]]]


def _plan_week(
    request: PlanRequest,
    split: Sequence[SessionTemplate],
    slots: Sequence[Slot],
    week: int,
    week_drafts: Mapping[int, list[Draft]],
) -> PlanWeek:
    """Week ``week`` (0-based) of the plan, its sessions in the order of the split."""
    deload = week == request.accumulation
    technique_week = not deload and week >= request.accumulation - DROP_SET_WEEKS
    sessions = []
    for index, template in enumerate(split):
        exercises = _session_sets(request, slots, index, week_drafts)
        if technique_week and exercises:
            draft_session = PlanSession(
                template.name, template.day_index, _plan_exercises(exercises)
            )
            place_drop_sets(request, exercises, session_minutes(draft_session))
        sessions.append(
            PlanSession(
                name=template.name,
                day_index=template.day_index,
                exercises=_plan_exercises(exercises),
            )
        )
    return PlanWeek(number=week + 1, deload=deload, sessions=tuple(sessions))


def _session_sets(
    request: PlanRequest,
    slots: Sequence[Slot],
    session: int,
    week_drafts: Mapping[int, list[Draft]],
) -> _Planned:
    """The exercises of a session this week: each slot with its drafts and planned sets."""
    exercises: _Planned = []
    for slot_index, slot in enumerate(slots):
        if slot.session != session or slot_index not in week_drafts:
            continue
        sets = week_drafts[slot_index]
        planned = [
            PlanSet(
                reps=slot.reps,
                target_rir=draft.target,
                failure=FailurePolicy.AVOID
                if held_short(draft.failure, draft.target)
                else draft.failure,
                technique=None,
                load_kg=set_load(request, slot.exercise, slot.reps, draft.target),
                reasons=(PLAN_WEEK, *draft.reasons)
                if held_short(draft.failure, draft.target)
                else draft.reasons,
            )
            for draft in sets
        ]
        exercises.append((slot, sets, planned))
    return exercises


def _plan_exercises(exercises: _Planned) -> tuple[PlanExercise, ...]:
    return tuple(
        PlanExercise(slot.exercise, tuple(planned), slot.rep_range)
        for slot, _, planned in exercises
    )


def _shortfall(
    request: PlanRequest,
    muscle: Muscle,
    volume: Sequence[float],
    allocations: Sequence[Allocation],
    has_exercise: bool,
) -> str:
    """Why ``muscle`` stays under its MEV, in words the lifter can act on."""
    mev = request.landmarks[muscle].mev
    week = min(range(request.accumulation), key=lambda index: volume[index])
    lowest = volume[week]
    if not has_exercise:
        return (
            f"No exercise in the catalog trains {muscle.value} with your equipment: "
            f"{lowest:g} weekly sets from other lifts, under its MEV of {mev:g}."
        )
    if allocations[week].out_of_time(muscle):
        return (
            f"{request.days} sessions of {request.minutes:g} minutes leave room for "
            f"{lowest:g} weekly sets of {muscle.value}, under its MEV of {mev:g}: "
            "more time or days would let it grow, fewer sets still maintain it."
        )
    return (
        f"Your equipment offers too few exercises for {muscle.value} to reach its MEV "
        f"of {mev:g} at {MAX_SETS_PER_EXERCISE} sets an exercise a session: {lowest:g} weekly sets."
    )

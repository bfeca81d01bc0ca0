"""A planned set's starting load: the lifter's e1RM on the RTS chart at the set's target RIR."""

from __future__ import annotations

from failwise.domain.effort import RirRange
from failwise.domain.exercises import Exercise
from failwise.domain.planning.request import PlanRequest
from failwise.domain.session import aim_of
from failwise.domain.strength import estimate_load, round_to_increment

__all__ = ["set_load", "starting_load"]


def starting_load(e1rm: float, reps: int, target: RirRange, increment: float) -> float:
    """The load for ``reps`` at ``target`` RIR from an e1RM, rounded to ``increment``.

    The same load the live session computes for a target
    (:func:`~failwise.domain.strength.estimate_load` at
    :func:`~failwise.domain.session.aim_of` the target), and never under one
    step: a set always has something to lift.

    >>> starting_load(100, 5, RirRange(2, 2), 2.5)  # 81.1 kg on the chart
    80.0
    >>> starting_load(4, 15, RirRange(0, 0), 5.0)  # 2.4 kg rounds to nothing
    5.0
    """
    load = round_to_increment(estimate_load(e1rm, reps, aim_of(target)), increment)
    return max(load, increment)


def set_load(request: PlanRequest, exercise: Exercise, reps: int, target: RirRange) -> float | None:
    """:func:`starting_load` from the request's e1RM of ``exercise``; None when none is known."""
    e1rm = request.e1rms.get(exercise.id)
    if e1rm is None:
        return None
    return starting_load(e1rm, reps, target, exercise.increment_kg)

"""A set as a lifter reports it, checked before anything is stored.

:class:`LogRequest` is what every adapter hands the training log; :func:`validated`
turns it into a :class:`~failwise.services.records.NewSet` in kilograms or
names the field at fault; :func:`check_replay` refuses an idempotency key
sent again with another set.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from failwise.domain.effort import FailureKind, rir_from_rpe, validate_rir
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.domain.exercises import Exercise
from failwise.domain.units import KG, Unit
from failwise.services.live import UNLOADED
from failwise.services.records import NewSet, SetType, StoredSet


@dataclass(frozen=True, slots=True)
class LogRequest:
    """A set as a lifter or a client reports it (loads in kg)."""

    exercise: str
    load: float
    reps: int
    rir: float | None = None
    rpe: float | None = None
    set_type: SetType = SetType.WORKING
    to_failure: bool = False
    failure_kind: FailureKind | None = None
    target_load: float | None = None
    target_reps: int | None = None
    target_rir_low: float | None = None
    target_rir_high: float | None = None
    test_reps_at_call: int | None = None
    test_predicted_rir: float | None = None
    rest_seconds: int | None = None
    notes: str = ""
    logged_at: datetime | None = None
    idempotency_key: str | None = None
    workout_id: int | None = None
    """The workout to log into; by default the open one (started if none is open)."""
    total_sets: int | None = None
    """Working sets planned for this exercise today (for the next prescription)."""
    spotter: bool | None = None
    planned: str | None = None
    """The planned set this carries out (see :mod:`failwise.services.plans`)."""
    unit: Unit | None = None
    """The unit of ``load`` and ``target_load``; None: the lifter's own unit."""


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Name the input at fault on any bad-input error raised inside the block."""
    try:
        yield
    except InvalidInput as error:
        if error.field is None:
            error.field = name
        raise


def validated(request: LogRequest, exercise: Exercise) -> NewSet:
    if request.rir is not None and request.rpe is not None:
        raise InvalidEffort("give either rir or rpe, not both", field="rpe")
    with _field("rpe"):
        rir = rir_from_rpe(request.rpe) if request.rpe is not None else request.rir
    if rir is not None:
        with _field("rir"):
            rir = validate_rir(rir)
    if request.to_failure:
        if rir not in (None, 0.0):
            raise InvalidEffort(f"a set to failure has RIR 0, not {rir:g}", field="to_failure")
        rir = 0.0
    if request.load < 0 or (request.load == 0 and exercise.equipment not in UNLOADED):
        raise InvalidInput(
            f"load must be a positive number for {exercise.name}, not {request.load:g}",
            field="load",
        )
    if request.reps < 1:
        raise InvalidInput(
            f"reps must be at least 1 on a {request.set_type.value} set, not {request.reps}",
            field="reps",
        )
    if request.reps > 200:
        raise InvalidInput(f"{request.reps} reps is not a set failwise can coach", field="reps")
    test = (request.test_reps_at_call, request.test_predicted_rir)
    if (test[0] is None) != (test[1] is None):
        raise InvalidInput(
            "an RIR test needs both the rep of the call and the RIR called", field="test"
        )
    if test[0] is not None and test[1] is not None:
        with _field("test.predicted_rir"):
            validate_rir(test[1])
        if not 1 <= test[0] <= request.reps:
            raise InvalidInput(
                f"the RIR was called at rep {test[0]}, but the set had {request.reps} reps",
                field="test.reps_at_call",
            )
        rir = 0.0  # a test ends at failure
    for name in ("target_rir_low", "target_rir_high"):
        value = getattr(request, name)
        if value is not None:
            with _field("target_rir"):
                validate_rir(value)
    if request.target_load is not None and request.target_load < 0:
        raise InvalidInput(
            f"target load must be zero or more, not {request.target_load:g}", field="target_load"
        )
    if request.target_reps is not None and request.target_reps < 1:
        raise InvalidInput(
            f"target reps must be at least 1, not {request.target_reps}", field="target_reps"
        )
    if request.rest_seconds is not None and request.rest_seconds < 0:
        raise InvalidInput(
            f"rest must be zero seconds or more, not {request.rest_seconds}",
            field="rest_seconds",
        )
    key = request.idempotency_key
    if key is not None and not 1 <= len(key) <= 128:
        raise InvalidInput("an idempotency key has 1 to 128 characters", field="idempotency_key")
    return NewSet(
        exercise_id=exercise.id,
        load=float(request.load),
        reps=request.reps,
        rir=rir,
        set_type=request.set_type,
        to_failure=request.to_failure or test[0] is not None,
        failure_kind=request.failure_kind,
        target_load=request.target_load,
        target_reps=request.target_reps,
        target_rir_low=request.target_rir_low,
        target_rir_high=request.target_rir_high,
        test_reps_at_call=test[0],
        test_predicted_rir=test[1],
        rest_seconds=request.rest_seconds,
        notes=request.notes,
        logged_at=request.logged_at,
        idempotency_key=key,
        planned=request.planned,
    )


def check_replay(existing: StoredSet, new: NewSet, exercise: Exercise, unit: Unit) -> None:
    """A key seen before must come with the same set: a different one is a client bug."""
    data = existing.data
    same = (
        data.exercise_id == new.exercise_id
        and math.isclose(data.load, new.load, rel_tol=1e-9, abs_tol=1e-9)
        and data.reps == new.reps
        and data.set_type is new.set_type
    )
    if not same:
        shown = round(unit.of_kg(data.load), 2)
        raise InvalidInput(
            f"the idempotency key {new.idempotency_key!r} was already used for another set "
            f"({exercise.name if data.exercise_id == exercise.id else data.exercise_id}, "
            f"{shown:g} {unit} × {data.reps}): use a new key for a new set",
            field="idempotency_key",
        )


def in_kg(request: LogRequest, unit: Unit) -> LogRequest:
    """The request with its loads in kilograms."""
    if unit is KG:
        return request
    for name in ("load", "target_load"):
        value = getattr(request, name)
        if value is not None and not math.isfinite(value):
            return request  # validation names it
    return replace(
        request,
        load=unit.to_kg(request.load),
        target_load=None if request.target_load is None else unit.to_kg(request.target_load),
        unit=KG,
    )

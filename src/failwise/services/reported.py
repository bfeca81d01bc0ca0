"""A set as a lifter reports it, checked before anything is stored.

:class:`LogRequest` is what every adapter hands the training log; :func:`validated`
turns it into a :class:`~failwise.services.records.NewSet` in kilograms or
names the field at fault; :func:`check_replay` refuses an idempotency key
sent again with another set; :func:`patched` is a correction of a logged set (the
fields sent change, the others keep their values), whichever adapter sent it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from failwise.domain.effort import FailureKind, RirRange, rir_from_rpe, validate_rir
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.domain.exercises import Exercise
from failwise.domain.inputs import MAX_LOAD_KG, plausible, text
from failwise.domain.units import KG, Unit
from failwise.services.live import UNLOADED
from failwise.services.records import NewSet, SetType, StoredSet


@dataclass(frozen=True, slots=True)
class Shown:
    """The next set an app showed the lifter before they did this one (the ``next`` of
    the answer to the set before, or the today page's): its load (in the request's unit;
    None when it showed none), reps and target RIR range."""

    load: float | None
    reps: int
    rir_low: float
    rir_high: float


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
    confirmed: bool = False
    """The lifter confirmed a load far above their e1RM (:mod:`failwise.services.plausibility`)."""
    shown: Shown | None = None
    """What the app showed for this set: a working set logged with no target of its own
    takes it as its target, as the coach would have worked it out."""


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Name the input at fault on any bad-input error raised inside the block."""
    try:
        yield
    except InvalidInput as error:
        if error.field is None:
            error.field = name
        raise


MAX_REPS = 200
"""More reps than any set failwise can coach (a 100-rep finisher stays well under it)."""
MAX_REST_SECONDS = 86_400
MAX_NOTES = 2000
MAX_SETS = 30
"""The most working sets an exercise is said to have in a session (``total_sets``)."""
MAX_KEY = 128


def _effort(request: LogRequest) -> float | None:
    """The RIR the set is logged at (from RIR or RPE), checked against failure."""
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
    for name in ("target_rir_low", "target_rir_high"):
        value = getattr(request, name)
        if value is not None:
            with _field("target_rir"):
                validate_rir(value)
    return rir


def _loads(request: LogRequest, exercise: Exercise) -> None:
    """Loads finite and plausible: kilograms by now (:func:`in_kg`)."""
    load = plausible(request.load, "load", low=0, high=MAX_LOAD_KG, unit="kg")
    if load == 0 and exercise.equipment not in UNLOADED:
        raise InvalidInput(
            f"load must be a positive number for {exercise.name}, not 0", field="load"
        )
    if request.target_load is not None:
        plausible(request.target_load, "target_load", low=0, high=MAX_LOAD_KG, unit="kg")


def _counts(request: LogRequest) -> None:
    if not 1 <= request.reps <= MAX_REPS:
        raise InvalidInput(
            f"reps must be from 1 to {MAX_REPS} on a {request.set_type.value} set, "
            f"not {request.reps}",
            field="reps",
        )
    if request.target_reps is not None and not 1 <= request.target_reps <= MAX_REPS:
        raise InvalidInput(
            f"target reps must be from 1 to {MAX_REPS}, not {request.target_reps}",
            field="target_reps",
        )
    if request.total_sets is not None and not 1 <= request.total_sets <= MAX_SETS:
        raise InvalidInput(
            f"an exercise has 1 to {MAX_SETS} working sets, not {request.total_sets}",
            field="total_sets",
        )
    if request.rest_seconds is not None and not 0 <= request.rest_seconds <= MAX_REST_SECONDS:
        raise InvalidInput(
            f"rest must be from 0 to {MAX_REST_SECONDS:,} seconds, not {request.rest_seconds}",
            field="rest_seconds",
        )


def _shown(shown: Shown) -> None:
    """The set shown as an app could show it: a plausible load, reps and an RIR range."""
    if shown.load is not None:
        plausible(shown.load, "shown.load", low=0, high=MAX_LOAD_KG, unit="kg")
    if not 1 <= shown.reps <= MAX_REPS:
        raise InvalidInput(
            f"the reps shown must be from 1 to {MAX_REPS}, not {shown.reps}", field="shown.reps"
        )
    with _field("shown.target_rir"):
        RirRange(shown.rir_low, shown.rir_high)


def _test(request: LogRequest) -> tuple[int | None, float | None]:
    """An RIR test's call: the rep and the RIR called, both or neither."""
    at_call, predicted = request.test_reps_at_call, request.test_predicted_rir
    if (at_call is None) != (predicted is None):
        raise InvalidInput(
            "an RIR test needs both the rep of the call and the RIR called", field="test"
        )
    if at_call is not None and predicted is not None:
        with _field("test.predicted_rir"):
            validate_rir(predicted)
        if not 1 <= at_call <= request.reps:
            raise InvalidInput(
                f"the RIR was called at rep {at_call}, but the set had {request.reps} reps",
                field="test.reps_at_call",
            )
    return at_call, predicted


def validated(request: LogRequest, exercise: Exercise) -> NewSet:
    """The set to store, or :class:`InvalidInput` naming the first field at fault.

    Everything is checked before anything is stored, whichever adapter sent it.
    """
    rir = _effort(request)
    _loads(request, exercise)
    _counts(request)
    at_call, predicted = _test(request)
    if at_call is not None:
        rir = 0.0  # a test ends at failure
    if request.shown is not None:
        _shown(request.shown)
    notes = text(request.notes, "notes", max_length=MAX_NOTES, multiline=True)
    key = request.idempotency_key
    if key is not None:
        if not key:
            raise InvalidInput(
                "an idempotency key has 1 to 128 characters", field="idempotency_key"
            )
        text(key, "idempotency_key", max_length=MAX_KEY)
    return NewSet(
        exercise_id=exercise.id,
        load=float(request.load),
        reps=request.reps,
        rir=rir,
        set_type=request.set_type,
        to_failure=request.to_failure or at_call is not None,
        failure_kind=request.failure_kind,
        target_load=request.target_load,
        target_reps=request.target_reps,
        target_rir_low=request.target_rir_low,
        target_rir_high=request.target_rir_high,
        target_sets=request.total_sets,
        test_reps_at_call=at_call,
        test_predicted_rir=predicted,
        rest_seconds=request.rest_seconds,
        notes=notes,
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
    shown = request.shown
    if shown is not None and shown.load is not None:
        shown = replace(shown, load=unit.to_kg(shown.load))
    return replace(
        request,
        load=unit.to_kg(request.load),
        target_load=None if request.target_load is None else unit.to_kg(request.target_load),
        unit=KG,
        shown=shown,
    )


PATCHABLE = frozenset(
    {
        "exercise",
        "load",
        "reps",
        "rir",
        "rpe",
        "set_type",
        "to_failure",
        "failure_kind",
        "target_load",
        "target_reps",
        "target_rir",
        "test",
        "rest_seconds",
        "notes",
    }
)
"""What a correction of a logged set may change. ``target_rir`` is ``(low, high)`` and
``test`` is ``(reps_at_call, predicted_rir)``; ``None`` clears either."""


def patched(
    stored: StoredSet, changes: Mapping[str, Any], loads_in: Unit, *, confirmed: bool = False
) -> LogRequest:
    """The stored set with ``changes`` applied; what is not in them keeps its value.

    Loads are in ``loads_in``. A call sent (``rir`` or ``rpe``, ``None`` to clear it)
    replaces the stored one; a set marked as taken to failure drops its stored call
    (RIR 0), and one no longer taken to failure drops its failure kind.
    """
    unknown = set(changes) - PATCHABLE
    if unknown:
        raise InvalidInput(f"a set has no field {min(unknown)!r} to change", field=min(unknown))
    data = stored.data

    def pick(name: str, current: Any) -> Any:
        if name in ("load", "target_load") and name in changes:
            value = changes[name]
            return None if value is None else loads_in.to_kg(value)
        return changes.get(name, current)

    rir, rpe = data.rir, None
    if {"rir", "rpe"} & changes.keys():
        rir, rpe = changes.get("rir"), changes.get("rpe")
    to_failure = pick("to_failure", data.to_failure)
    if "to_failure" in changes and to_failure and not {"rir", "rpe"} & changes.keys():
        rir = None  # a set to failure has RIR 0: the stored call no longer applies
    failure_kind = pick("failure_kind", data.failure_kind)
    if "to_failure" in changes and not to_failure and "failure_kind" not in changes:
        failure_kind = None
    low, high = data.target_rir_low, data.target_rir_high
    if "target_rir" in changes:
        low, high = changes["target_rir"] or (None, None)
    at_call, predicted = data.test_reps_at_call, data.test_predicted_rir
    if "test" in changes:
        at_call, predicted = changes["test"] or (None, None)
    return LogRequest(
        exercise=pick("exercise", data.exercise_id),
        load=pick("load", data.load),
        reps=pick("reps", data.reps),
        rir=rir,
        rpe=rpe,
        set_type=pick("set_type", data.set_type),
        to_failure=to_failure,
        failure_kind=failure_kind,
        target_load=pick("target_load", data.target_load),
        target_reps=pick("target_reps", data.target_reps),
        target_rir_low=low,
        target_rir_high=high,
        test_reps_at_call=at_call,
        test_predicted_rir=predicted,
        rest_seconds=pick("rest_seconds", data.rest_seconds),
        notes=pick("notes", data.notes),
        logged_at=data.logged_at,
        unit=KG,
        confirmed=confirmed,
    )

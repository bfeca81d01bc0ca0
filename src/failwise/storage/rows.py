"""Rows and records: how a stored lifter, workout, set and plan read from their rows,
and the columns and ordering the store's queries share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import literal, tuple_

from failwise.domain.context import Phase
from failwise.domain.effort import FailureKind
from failwise.services.records import (
    SET_ROW_FIELDS,
    NewSet,
    SetType,
    StoredPlan,
    StoredSet,
    User,
    Workout,
)
from failwise.storage.tables import (
    PlanRow,
    SetRow,
    UserRow,
    WorkoutRow,
)


def user_of(row: UserRow) -> User:
    return User(
        id=row.id, username=row.username, created_at=row.created_at, settings=dict(row.settings)
    )


def user_of_values(values: Sequence[Any]) -> User:
    """A lifter from the values of :data:`failwise.storage.statements.USER_COLUMNS`."""
    user_id, username, created_at, settings = values
    return User(id=user_id, username=username, created_at=created_at, settings=dict(settings))


def workout_of_row(row: WorkoutRow) -> Workout:
    return Workout(
        id=row.id,
        user_id=row.user_id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        phase=Phase(row.phase),
        notes=row.notes,
        name=row.name,
        plan_session=row.plan_session,
    )


def workout_of(values: Sequence[Any]) -> Workout:
    """A workout from the values of :data:`WORKOUT_FIELDS`, in that order."""
    workout_id, user_id, started_at, finished_at, phase, notes, name, plan_session = values
    return Workout(
        id=workout_id,
        user_id=user_id,
        started_at=started_at,
        finished_at=finished_at,
        phase=Phase(phase),
        notes=notes,
        name=name,
        plan_session=plan_session,
    )


def plan_of(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        name=row.name,
        active=row.active,
        data=dict(row.data),
        request=dict(row.request),
    )


# Sets are read in the order they were done, the id breaking the last ties: the index
# ix_sets_user_order holds them in this order, so the newest sets, a page of sets
# after a key, or the whole history in a stream come from it without a sort.
SET_ORDER = (SetRow.logged_at, SetRow.workout_id, SetRow.position, SetRow.id)
# Sets in bulk are read as plain rows (no ORM objects, nothing kept in the session) and
# by position: a million sets, a million times the cost of each attribute lookup.
SET_FIELDS = (
    "id",
    "user_id",
    "workout_id",
    "position",
    "logged_at",
    "created_at",
    "exercise_id",
    "load",
    "reps",
    "rir",
    "set_type",
    "to_failure",
    "failure_kind",
    "target_load",
    "target_reps",
    "target_rir_low",
    "target_rir_high",
    "test_reps_at_call",
    "test_predicted_rir",
    "rest_seconds",
    "notes",
    "idempotency_key",
    "rir_inferred",
    "source",
    "planned",
    "target_sets",
)
SET_COLUMNS = tuple(SetRow.__table__.c[name] for name in SET_FIELDS)
# A set's workout, read beside it in a stream.
WORKOUT_FIELDS = (
    "id",
    "user_id",
    "started_at",
    "finished_at",
    "phase",
    "notes",
    "name",
    "plan_session",
)
WORKOUT_COLUMNS = tuple(WorkoutRow.__table__.c[name].label(f"w_{name}") for name in WORKOUT_FIELDS)

BULK_SET_COLUMNS = ("user_id", "created_at", *SET_ROW_FIELDS)
"""The columns a bulk import writes (:meth:`SqlStore.add_set_rows`), in the order of its
tuples: the lifter and ``created_at``, then :data:`SET_ROW_FIELDS`."""
SET_TYPES = {kind.value: kind for kind in SetType}
FAILURE_KINDS = {kind.value: kind for kind in FailureKind}


def earlier_than(columns: Sequence[Any], values: Sequence[Any]) -> Any:
    """Rows before ``values`` in the order of ``columns``: a row-value comparison, so the
    index seeks straight to the key (an OFFSET would read every row it skips). The values
    are bound with their columns' types (SQLite compares stored times as text)."""
    bound = (literal(value, column.type) for column, value in zip(columns, values, strict=True))
    return tuple_(*columns) < tuple_(*bound)


def stored_of(values: Sequence[Any]) -> StoredSet:
    """A set from the values of :data:`SET_FIELDS`, in that order."""
    (
        set_id,
        user_id,
        workout_id,
        position,
        logged_at,
        created_at,
        exercise_id,
        load,
        reps,
        rir,
        set_type,
        to_failure,
        failure_kind,
        target_load,
        target_reps,
        target_rir_low,
        target_rir_high,
        test_reps_at_call,
        test_predicted_rir,
        rest_seconds,
        notes,
        idempotency_key,
        rir_inferred,
        source,
        planned,
        target_sets,
    ) = values
    return StoredSet(
        id=set_id,
        user_id=user_id,
        workout_id=workout_id,
        position=position,
        logged_at=logged_at,
        created_at=created_at,
        data=NewSet(
            exercise_id=exercise_id,
            load=load,
            reps=reps,
            rir=rir,
            set_type=SET_TYPES[set_type],
            to_failure=to_failure,
            failure_kind=FAILURE_KINDS[failure_kind] if failure_kind else None,
            target_load=target_load,
            target_reps=target_reps,
            target_rir_low=target_rir_low,
            target_rir_high=target_rir_high,
            test_reps_at_call=test_reps_at_call,
            test_predicted_rir=test_predicted_rir,
            rest_seconds=rest_seconds,
            notes=notes,
            logged_at=logged_at,
            idempotency_key=idempotency_key,
            rir_inferred=rir_inferred,
            source=source,
            planned=planned,
            target_sets=target_sets,
        ),
    )


def stored_set(row: SetRow) -> StoredSet:
    return stored_of([getattr(row, name) for name in SET_FIELDS])


SET_VALUE_COLUMNS = tuple(
    name
    for name in SET_FIELDS
    if name
    not in ("id", "user_id", "workout_id", "position", "logged_at", "created_at", "idempotency_key")
)
"""The columns :func:`set_columns` fills: a set's own values, not where and when it was
logged (``tests/test_storage.py`` holds the two to each other)."""


def set_columns(new: NewSet) -> dict[str, Any]:
    """The columns of a set, as the database stores them."""
    return {
        "exercise_id": new.exercise_id,
        "load": new.load,
        "reps": new.reps,
        "rir": new.rir,
        "set_type": new.set_type.value,
        "to_failure": new.to_failure,
        "failure_kind": new.failure_kind.value if new.failure_kind else None,
        "target_load": new.target_load,
        "target_reps": new.target_reps,
        "target_rir_low": new.target_rir_low,
        "target_rir_high": new.target_rir_high,
        "test_reps_at_call": new.test_reps_at_call,
        "test_predicted_rir": new.test_predicted_rir,
        "rest_seconds": new.rest_seconds,
        "notes": new.notes,
        "rir_inferred": new.rir_inferred,
        "source": new.source,
        "planned": new.planned,
        "target_sets": new.target_sets,
    }


def apply_set(row: SetRow, new: NewSet) -> None:
    for column, value in set_columns(new).items():
        setattr(row, column, value)

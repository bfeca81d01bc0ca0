"""The store's training log, one row at a time: custom exercises, workouts and sets, and
the reads a logged set and a prescription make."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from failwise.domain.context import Phase
from failwise.domain.personal_records import LiftedSet
from failwise.services.ports import Conflict, DuplicateKey, NotFound
from failwise.services.records import (
    NewSet,
    SetKey,
    SetType,
    StoredSet,
    Workout,
    WorkoutKey,
    naive_utc,
)
from failwise.storage import statements
from failwise.storage.rows import (
    SET_COLUMNS,
    SET_FIELDS,
    SET_ORDER,
    SET_TYPES,
    apply_set,
    earlier_than,
    set_columns,
    stored_of,
    stored_set,
    workout_of,
    workout_of_row,
)
from failwise.storage.store_base import StoreBase
from failwise.storage.tables import CustomExerciseRow, SetRow, WorkoutRow


class TrainingRows(StoreBase):
    """Custom exercises, workouts and sets, one at a time."""

    # --- custom exercises ----------------------------------------------------------
    def custom_exercises(self, user_id: int) -> list[dict[str, Any]]:
        rows = self.session.scalars(
            select(CustomExerciseRow)
            .where(CustomExerciseRow.user_id == user_id)
            .order_by(CustomExerciseRow.id)
        )
        return [dict(row.record) for row in rows]

    def add_custom_exercise(self, user_id: int, record: Mapping[str, Any]) -> None:
        self.session.add(
            CustomExerciseRow(user_id=user_id, slug=str(record["id"]), record=dict(record))
        )
        try:
            self.session.flush()
        except IntegrityError:
            self.rollback()
            raise Conflict(f"you already have an exercise {record['id']!r}") from None

    def update_custom_exercise(self, user_id: int, record: Mapping[str, Any]) -> None:
        slug = str(record["id"])
        row = self.session.scalars(
            select(CustomExerciseRow).where(
                CustomExerciseRow.user_id == user_id, CustomExerciseRow.slug == slug
            )
        ).first()
        if row is None:
            raise NotFound(f"you have no exercise {slug!r} of your own")
        row.record = dict(record)  # a new value, so the JSON column is seen as changed
        self.session.flush()

    # --- workouts ------------------------------------------------------------------
    def add_workout(
        self,
        user_id: int,
        *,
        started_at: datetime,
        phase: Phase,
        notes: str,
        name: str = "",
        plan_session: str | None = None,
    ) -> Workout:
        row = WorkoutRow(
            user_id=user_id,
            started_at=naive_utc(started_at),
            phase=phase.value,
            notes=notes,
            name=name,
            plan_session=plan_session,
        )
        self.session.add(row)
        self.session.flush()
        return workout_of_row(row)

    def _workout_row(self, user_id: int, workout_id: int) -> WorkoutRow | None:
        return self.session.scalar(
            select(WorkoutRow).where(WorkoutRow.id == workout_id, WorkoutRow.user_id == user_id)
        )

    def workout(self, user_id: int, workout_id: int) -> Workout | None:
        row = self._workout_row(user_id, workout_id)
        return workout_of_row(row) if row else None

    def open_workout(self, user_id: int) -> Workout | None:
        row = self._run(statements.OPEN_WORKOUT, {"user_id": user_id}).first()
        return workout_of(row) if row else None

    def finish_workout(self, user_id: int, workout_id: int, finished_at: datetime) -> Workout:
        row = self._workout_row(user_id, workout_id)
        if row is None:
            raise NotFound(f"no workout {workout_id}")
        row.finished_at = naive_utc(finished_at)
        self.session.flush()
        return workout_of_row(row)

    def move_workout_start(self, user_id: int, workout_id: int, started_at: datetime) -> None:
        self.session.execute(
            update(WorkoutRow)
            .where(
                WorkoutRow.id == workout_id,
                WorkoutRow.user_id == user_id,
                WorkoutRow.started_at > naive_utc(started_at),
            )
            .values(started_at=naive_utc(started_at))
        )

    def workouts(
        self, user_id: int, *, limit: int | None = 50, before: WorkoutKey | None = None
    ) -> list[Workout]:
        query = select(WorkoutRow).where(WorkoutRow.user_id == user_id)
        if before is not None:
            query = query.where(
                earlier_than(
                    (WorkoutRow.started_at, WorkoutRow.id),
                    (naive_utc(before.started_at), before.id),
                )
            )
        rows = self.session.scalars(
            query.order_by(WorkoutRow.started_at.desc(), WorkoutRow.id.desc()).limit(limit)
        )
        return [workout_of_row(row) for row in rows]

    def delete_workout(self, user_id: int, workout_id: int) -> bool:
        row = self._workout_row(user_id, workout_id)
        if row is None:
            return False
        self.session.execute(
            delete(SetRow).where(SetRow.user_id == user_id, SetRow.workout_id == workout_id)
        )
        self.session.delete(row)
        return True

    # --- sets ----------------------------------------------------------------------
    def add_set(
        self, user_id: int, workout_id: int, new: NewSet, *, logged_at: datetime, now: datetime
    ) -> StoredSet:
        values: dict[str, Any] = {
            "user_id": user_id,
            "workout_id": workout_id,
            "logged_at": naive_utc(logged_at),
            "created_at": naive_utc(now),
            "idempotency_key": new.idempotency_key,
            **set_columns(new),
        }
        self._give_ids(SetRow, [values])
        insert_set = (
            statements.INSERT_LOGGED_SET_WITH_ID if "id" in values else statements.INSERT_LOGGED_SET
        )
        try:
            set_id, position = self._run(
                insert_set, {f"p_{name}": value for name, value in values.items()}
            ).one()
            values["position"] = position
        except IntegrityError:
            self.rollback()
            if new.idempotency_key and self.set_by_key(user_id, new.idempotency_key):
                raise DuplicateKey(
                    f"a set with idempotency key {new.idempotency_key!r} is already stored"
                ) from None
            raise
        return stored_of([values[name] if name != "id" else set_id for name in SET_FIELDS])

    def set_by_key(self, user_id: int, key: str) -> StoredSet | None:
        if (user_id, key) in self._keys and self._keys[user_id, key] is None:
            return None  # none, as this transaction's lock found (and no other can add one)
        row = self._run(statements.SET_BY_KEY, {"user_id": user_id, "key": key}).first()
        return stored_of(row) if row else None

    def _set_row(self, user_id: int, set_id: int) -> SetRow | None:
        return self.session.scalar(
            select(SetRow).where(SetRow.id == set_id, SetRow.user_id == user_id)
        )

    def get_set(self, user_id: int, set_id: int) -> StoredSet | None:
        row = self._set_row(user_id, set_id)
        return stored_set(row) if row else None

    def update_set(self, user_id: int, set_id: int, new: NewSet) -> StoredSet:
        row = self._set_row(user_id, set_id)
        if row is None:
            raise NotFound(f"no set {set_id}")
        apply_set(row, new)
        self.session.flush()
        return stored_set(row)

    def delete_set(self, user_id: int, set_id: int) -> bool:
        row = self._set_row(user_id, set_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def sets(
        self,
        user_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        exercise_ids: Sequence[str] | None = None,
        workout_id: int | None = None,
        tests_only: bool = False,
        latest: int | None = None,
        before: SetKey | None = None,
        efforts_only: bool = False,
    ) -> list[StoredSet]:
        if before is not None or (exercise_ids is not None and not exercise_ids):
            return self._sets_built(
                user_id,
                since=since,
                until=until,
                exercise_ids=exercise_ids,
                workout_id=workout_id,
                tests_only=tests_only,
                latest=latest,
                before=before,
                efforts_only=efforts_only,
            )
        query = statements.sets_statement(
            since=since is not None,
            until=until is not None,
            exercises=exercise_ids is not None,
            workout=workout_id is not None,
            tests_only=tests_only,
            latest=latest is not None,
            efforts_only=efforts_only,
        )
        values: dict[str, Any] = {"user_id": user_id}
        if since is not None:
            values["since"] = naive_utc(since)
        if until is not None:
            values["until"] = naive_utc(until)
        if exercise_ids is not None:
            values["exercise_ids"] = list(exercise_ids)
        if workout_id is not None:
            values["workout_id"] = workout_id
        if latest is not None:
            values["latest"] = latest
            return [stored_of(row) for row in reversed(self._run(query, values).all())]
        return [stored_of(row) for row in self._run(query, values)]

    def _sets_built(
        self,
        user_id: int,
        *,
        since: datetime | None,
        until: datetime | None,
        exercise_ids: Sequence[str] | None,
        workout_id: int | None,
        tests_only: bool,
        latest: int | None,
        before: SetKey | None,
        efforts_only: bool = False,
    ) -> list[StoredSet]:
        """:meth:`sets` paging backwards from ``before`` (or of no exercise): a statement
        built for the call, its key compared as a row value."""
        query = select(*SET_COLUMNS).where(SetRow.user_id == user_id)
        if since is not None:
            query = query.where(SetRow.logged_at >= naive_utc(since))
        if until is not None:
            query = query.where(SetRow.logged_at <= naive_utc(until))
        if exercise_ids is not None:
            query = query.where(SetRow.exercise_id.in_(list(exercise_ids)))
        if workout_id is not None:
            query = query.where(SetRow.workout_id == workout_id)
        if tests_only:
            query = query.where(SetRow.test_reps_at_call.is_not(None))
        if efforts_only:
            query = query.where(
                SetRow.set_type == SetType.WORKING.value,
                or_(SetRow.rir.is_not(None), SetRow.to_failure.is_(True)),
            )
        if before is not None:
            values = (naive_utc(before.logged_at), before.workout_id, before.position, before.id)
            query = query.where(earlier_than(SET_ORDER, values))
        if latest is not None:
            newest = query.order_by(*(column.desc() for column in SET_ORDER)).limit(latest)
            return [stored_of(row) for row in reversed(self._rows(newest).all())]
        return [stored_of(row) for row in self._rows(query.order_by(*SET_ORDER))]

    def distinct_working_sets(
        self, user_id: int, exercise_id: str, *, besides: int | None = None
    ) -> list[LiftedSet]:
        values = {"user_id": user_id, "exercise_id": exercise_id, "besides": besides or 0}
        return [
            LiftedSet(exercise_id, naive_utc(done), load, reps, rir=rir, to_failure=failed)
            for load, reps, rir, failed, done in self._run(statements.DISTINCT_WORKING_SETS, values)
        ]

    def trained_days(
        self, user_id: int, *, since: datetime, until: datetime, latest: int
    ) -> list[tuple[datetime, str, SetType]]:
        values = {
            "user_id": user_id,
            "since": naive_utc(since),
            "until": naive_utc(until),
            "latest": latest,
        }
        rows = self._run(statements.TRAINED_DAYS, values)
        return [(naive_utc(at), exercise_id, SET_TYPES[kind]) for at, exercise_id, kind in rows]

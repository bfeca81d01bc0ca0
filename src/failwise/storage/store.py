"""The SQLAlchemy implementation of the services' :class:`~failwise.services.ports.Store`."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, String, delete, func, or_, select, text, update
from sqlalchemy import cast as cast_as
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from failwise.domain.context import Phase
from failwise.domain.personal_records import LiftedSet
from failwise.services.ports import (
    Conflict,
    DuplicateKey,
    HistoryChunk,
    Locked,
    NotFound,
    Unavailable,
)
from failwise.services.records import (
    SET_ROW_FIELDS,
    Measurement,
    NewSet,
    Readiness,
    SetKey,
    SetType,
    StoredPlan,
    StoredSet,
    User,
    Workout,
    WorkoutKey,
    naive_utc,
    username_key,
)
from failwise.storage import statements
from failwise.storage.bulk import bulk_insert, insert_rows, roomy_cache
from failwise.storage.rows import (
    BULK_SET_COLUMNS,
    SET_COLUMNS,
    SET_FIELDS,
    SET_ORDER,
    SET_TYPES,
    WORKOUT_COLUMNS,
    WORKOUT_FIELDS,
    apply_set,
    earlier_than,
    plan_of,
    set_columns,
    stored_of,
    stored_set,
    user_of,
    user_of_values,
    workout_of,
    workout_of_row,
)
from failwise.storage.tables import (
    Base,
    CustomExerciseRow,
    MeasurementRow,
    PlanRow,
    RateEventRow,
    ReadinessRow,
    SetRow,
    SignInFailureRow,
    TokenRow,
    UserRow,
    WorkoutRow,
    new_ids,
)

# What the history analysis reads of a set, in the order of HistoryChunk's columns; the time
# as text (as SQLite keeps it; PostgreSQL's ISO form), which numpy reads as fast as a number.
HISTORY_COLUMNS = (
    cast_as(SetRow.logged_at, String),
    SetRow.exercise_id,
    SetRow.load,
    SetRow.reps,
    SetRow.rir,
    SetRow.rir_inferred,
    SetRow.set_type,
    SetRow.to_failure,
    SetRow.workout_id,
)

# A row of HISTORY_COLUMNS as numpy reads it (a None, a NaN; the ids and types as they come;
# the time's ISO text as bytes, which numpy reads faster than str).
_HISTORY_ROW = np.dtype(
    [
        ("logged_at", "S32"),
        ("exercise_id", "O"),
        ("load", "f8"),
        ("reps", "i8"),
        ("rir", "f8"),
        ("rir_inferred", "f8"),
        ("set_type", "O"),
        ("to_failure", "?"),
        ("workout_id", "i8"),
    ]
)


# As long as SQLite's own wait for its lock (busy_timeout, storage.database).
WRITER_WAIT_SECONDS = 10.0


def _give_ids(session: Session, table: type[Base], rows: list[dict[str, Any]]) -> None:
    """Ids for rows inserted through Core, on SQLite (:func:`~failwise.storage.tables.new_ids`;
    the ORM's inserts get theirs by themselves); PostgreSQL's identity gives them."""
    ids = new_ids(session.connection(), table.__tablename__, len(rows))
    if ids is not None:
        for row, given in zip(rows, ids, strict=True):
            row["id"] = given


def _fresh_ids(connection: Connection, table: str, count: int) -> Sequence[int]:
    """``count`` ids for new rows of ``table``, taken at once: from SQLite's id sequence
    (:func:`~failwise.storage.tables.new_ids`), or from the identity column's sequence on
    PostgreSQL (which gives each id once, whether its row is written or not)."""
    ids = new_ids(connection, table, count)
    if ids is not None:
        return ids
    return connection.execute(_NEXT_IDS, {"table": table, "count": count}).scalars().all()


_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"
)


class SqlStore:
    """One session, one transaction. Every lifter-owned query filters on ``user_id``."""

    def __init__(self, session: Session, *, writer: threading.Lock | None = None) -> None:
        self.session = session
        # The process's queue for SQLite's one writer (storage.database.Database), held
        # from lock_lifter to the end of the transaction.
        self._writer = writer
        self._writing = False
        # Each lifter's history stamp as this transaction read or drew it.
        self._stamps: dict[int, int] = {}
        # Each lifter's write serial, as this transaction's lock_lifter counted it.
        self._serials: dict[int, int] = {}
        # Each lifter's kept fatigue verdict, as this transaction read or wrote it.
        self._verdicts: dict[int, Any] = {}
        # When each lifter's latest set was done, as this transaction's lock_lifter read it.
        self._latest: dict[int, datetime | None] = {}
        # Which set each (lifter, idempotency key) named stands under, as lock_lifter found it.
        self._keys: dict[tuple[int, str], int | None] = {}

    # --- lifters -------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, settings: Mapping[str, Any]) -> User:
        row = UserRow(
            username=username,
            username_key=username_key(username),
            password_hash=password_hash,
            created_at=naive_utc(datetime.now(UTC)),
            settings=dict(settings),
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            self.rollback()
            raise Conflict(f"the username {username!r} is taken") from None
        self._run(statements.NEW_STATE, {"user_id": row.id})
        return user_of(row)

    def user(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        if row is None:
            return None
        return user_of(row)

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        row = self.session.scalar(
            select(UserRow).where(UserRow.username_key == username_key(username))
        )
        return (user_of(row), row.password_hash) if row else None

    def update_settings(self, user_id: int, settings: Mapping[str, Any]) -> User:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"no lifter {user_id}")
        row.settings = dict(settings)
        self.session.flush()
        return user_of(row)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"no lifter {user_id}")
        row.password_hash = password_hash

    def lock_lifter(self, user_id: int, *, key: str | None = None) -> User | None:
        row = self._lock(statements.LOCK_LIFTER, {"lifter": user_id, "key": key}, user_id)
        return None if row is None else self._locked(row, key)

    def lock_to_log(self, user_id: int, *, key: str | None = None) -> Locked | None:
        row = self._lock(statements.LOCK_TO_LOG, {"lifter": user_id, "key": key}, user_id)
        return None if row is None else self._locked_to_log(row, key)

    def lock_signed_in(
        self, token_hash: str, now: datetime, *, key: str | None = None
    ) -> Locked | None:
        values = {"token_hash": token_hash, "now": naive_utc(now), "key": key}
        row = self._lock(statements.LOCK_SIGNED_IN, values, None)
        if row is None:
            found = self.token_lifter(token_hash, now)
            if found is None:
                return None
            # A lifter without a state row (one added by hand): theirs, from now on.
            self._run(statements.NEW_STATE, {"user_id": found[0].id})
            row = self._run(statements.LOCK_SIGNED_IN, values).one()
        *locked, expires_at = row
        return replace(self._locked_to_log(locked, key), token_expires_at=expires_at)

    def _lock(self, statement: Any, values: Mapping[str, Any], user_id: int | None) -> Any:
        """The row ``statement`` (a lock of :mod:`~failwise.storage.statements`) reads
        back, once the process's turn at SQLite's writer came; None when it locked
        nothing (no lifter ``user_id``). A lifter ``user_id`` without a state row (one
        added by hand) is given one."""
        if self._writer is not None and not self._writing:
            # Bounded: a transaction that wrote before it locks may hold SQLite's lock
            # while waiting here; after the wait SQLite's own lock settles it.
            self._writing = self._writer.acquire(timeout=WRITER_WAIT_SECONDS)
        row = self._run(statement, values).one_or_none()
        if row is None and user_id is not None:
            if self.session.get(UserRow, user_id) is None:
                return None
            self._run(statements.NEW_STATE, {"user_id": user_id})
            row = self._run(statement, values).one()
        return row

    def _locked(self, row: Sequence[Any], key: str | None) -> User:
        """The lifter a lock read back; what it read of them is kept for the transaction."""
        user = user_of_values(row[:4])
        stamp, serial, verdict, latest, keyed = row[4:9]
        if key is not None:
            self._keys[user.id, key] = keyed
        self._stamps[user.id] = stamp
        self._serials[user.id] = serial
        self._verdicts[user.id] = verdict
        self._latest[user.id] = naive_utc(latest) if latest is not None else None
        return user

    def _locked_to_log(self, row: Sequence[Any], key: str | None) -> Locked:
        user = self._locked(row, key)
        workout_id, started_at, phase, notes, name, plan_session = row[9:]
        open_workout = (
            None
            if workout_id is None
            else workout_of(
                (workout_id, user.id, started_at, None, phase, notes, name, plan_session)
            )
        )
        return Locked(user, open_workout)

    def latest_set_at(self, user_id: int) -> datetime | None:
        return self._latest.get(user_id)

    def kept_verdict(self, user_id: int) -> dict[str, Any] | None:
        if user_id not in self._verdicts:
            found = self._run(statements.KEPT_VERDICT, {"lifter": user_id}).scalar()
            self._verdicts[user_id] = found
        kept = self._verdicts[user_id]
        return dict(kept) if isinstance(kept, dict) else None

    def keep_verdict(self, user_id: int, verdict: Mapping[str, Any]) -> None:
        self._run(statements.KEEP_VERDICT, {"lifter": user_id, "verdict": dict(verdict)})
        self._verdicts[user_id] = dict(verdict)

    def write_serial(self, user_id: int) -> int | None:
        return self._serials.get(user_id)

    def history_stamp(self, user_id: int) -> int:
        stamp = self._stamps.get(user_id)
        if stamp is None:
            found = self._run(statements.HISTORY_STAMP, {"lifter": user_id}).scalar()
            stamp = self._stamps[user_id] = found or 0
        return stamp

    def history_changed(self, user_id: int) -> None:
        stamp = secrets.randbits(62)
        self._run(statements.NEW_HISTORY_STAMP, {"lifter": user_id, "stamp": stamp})
        self._stamps[user_id] = stamp

    def add_token(self, user_id: int, token_hash: str, kind: str, expires_at: datetime) -> None:
        self.session.add(
            TokenRow(
                user_id=user_id,
                token_hash=token_hash,
                kind=kind,
                created_at=naive_utc(datetime.now(UTC)),
                expires_at=naive_utc(expires_at),
            )
        )
        self.session.flush()

    def token_lifter(self, token_hash: str, now: datetime) -> tuple[User, datetime] | None:
        found = self._run(
            statements.TOKEN_LIFTER, {"token_hash": token_hash, "now": naive_utc(now)}
        ).first()
        if found is None:
            return None
        return user_of_values(found[:-1]), found[-1]

    def extend_token(self, token_hash: str, expires_at: datetime) -> None:
        self.session.execute(
            update(TokenRow)
            .where(TokenRow.token_hash == token_hash)
            .values(expires_at=naive_utc(expires_at))
        )

    def delete_token(self, token_hash: str) -> None:
        self.session.execute(delete(TokenRow).where(TokenRow.token_hash == token_hash))

    def delete_tokens(self, user_id: int, *, keep: str | None = None) -> None:
        ending = delete(TokenRow).where(TokenRow.user_id == user_id)
        if keep is not None:
            ending = ending.where(TokenRow.token_hash != keep)
        self.session.execute(ending)

    # --- failed sign-ins --------------------------------------------------------
    def sign_in_failures(
        self, username: str, address: str, since: datetime
    ) -> tuple[list[datetime], list[datetime]]:
        since = naive_utc(since)
        moment = SignInFailureRow.failed_at
        by_name = list(
            self.session.scalars(
                select(moment)
                .where(SignInFailureRow.username == username, moment > since)
                .order_by(moment)
            )
        )
        by_address = (
            list(
                self.session.scalars(
                    select(moment)
                    .where(SignInFailureRow.address == address, moment > since)
                    .order_by(moment)
                )
            )
            if address
            else []
        )
        return by_name, by_address

    def add_sign_in_failure(self, username: str, address: str, at: datetime) -> None:
        self.session.add(
            SignInFailureRow(username=username, address=address, failed_at=naive_utc(at))
        )
        self.session.flush()

    def clear_sign_in_failures(self, username: str, address: str) -> None:
        self.session.execute(
            delete(SignInFailureRow).where(
                SignInFailureRow.username == username, SignInFailureRow.address == address
            )
        )

    def forget_sign_in_failures(self, before: datetime) -> None:
        self.session.execute(
            delete(SignInFailureRow).where(SignInFailureRow.failed_at < naive_utc(before))
        )

    # --- rate limits -------------------------------------------------------------------
    def rate_events(self, action: str, subject: str, since: datetime) -> list[datetime]:
        moment = RateEventRow.at
        return list(
            self.session.scalars(
                select(moment)
                .where(
                    RateEventRow.action == action,
                    RateEventRow.subject == subject,
                    moment > naive_utc(since),
                )
                .order_by(moment)
            )
        )

    def add_rate_event(self, action: str, subject: str, at: datetime) -> None:
        self.session.add(RateEventRow(action=action, subject=subject, at=naive_utc(at)))
        self.session.flush()

    def forget_rate_events(self, before: datetime) -> None:
        self.session.execute(delete(RateEventRow).where(RateEventRow.at < naive_utc(before)))

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
        _give_ids(self.session, SetRow, [values])
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

    def _rows(self, query: Any, parameters: Any = None) -> Any:
        """The plain rows of ``query``, in this store's transaction (not through the ORM,
        so the session's pending changes are flushed first, as the ORM would)."""
        self.session.flush()
        return self.session.connection().execute(query, parameters)

    def _run(self, statement: Any, values: Mapping[str, Any]) -> Any:
        """:meth:`_rows` of a statement built once (:mod:`failwise.storage.statements`),
        with ``values`` bound to its parameters."""
        self.session.flush()
        return self.session.connection().execute(statement, values)

    def distinct_working_sets(
        self, user_id: int, exercise_id: str, *, besides: int | None = None
    ) -> list[LiftedSet]:
        values = {"user_id": user_id, "exercise_id": exercise_id, "besides": besides or 0}
        return [
            LiftedSet(exercise_id, naive_utc(done), load, reps, rir=rir, to_failure=failed)
            for load, reps, rir, failed, done in self._run(statements.DISTINCT_WORKING_SETS, values)
        ]

    def set_chunks(
        self, user_id: int, *, by_workout: bool = False, size: int = 1000
    ) -> Iterator[tuple[dict[int, Workout], list[StoredSet]]]:
        # yield_per: the rows come from a server-side cursor on PostgreSQL and a stepped
        # statement on SQLite, ``size`` at a time; none is kept once its chunk is yielded.
        query = (
            select(*SET_COLUMNS, *WORKOUT_COLUMNS)
            .join(WorkoutRow, WorkoutRow.id == SetRow.workout_id)
            .where(SetRow.user_id == user_id)
        )
        if by_workout:
            # A workout comes where its first set does in the order done (a workout's
            # sets may interleave with another's, when one was logged into the past).
            firsts = (
                select(SetRow.workout_id, func.min(SetRow.logged_at).label("first_logged"))
                .where(SetRow.user_id == user_id)
                .group_by(SetRow.workout_id)
                .subquery()
            )
            query = query.join(firsts, firsts.c.workout_id == SetRow.workout_id).order_by(
                firsts.c.first_logged,
                SetRow.workout_id,
                SetRow.logged_at,
                SetRow.position,
                SetRow.id,
            )
        else:
            query = query.order_by(*SET_ORDER)
        width = len(SET_COLUMNS)
        for rows in self._rows(query.execution_options(yield_per=size)).partitions():
            workouts: dict[int, Workout] = {}
            sets = []
            for row in rows:
                stored = stored_of(row[:width])
                if stored.workout_id not in workouts:
                    workouts[stored.workout_id] = workout_of(row[width:])
                sets.append(stored)
            yield workouts, sets

    def history_chunks(
        self, user_id: int, *, since: datetime | None = None, size: int = 1000
    ) -> Iterator[HistoryChunk]:
        # A million sets are read here: through the driver's own cursor (no row object per
        # set), the time as the text the database writes it in, each chunk turned into
        # columns at once. On PostgreSQL a named cursor keeps the rows on the server.
        query = select(*HISTORY_COLUMNS).where(SetRow.user_id == user_id)
        if since is not None:
            query = query.where(SetRow.logged_at >= naive_utc(since))
        self.session.flush()
        connection = self.session.connection()
        dialect = connection.dialect
        compiled = query.order_by(*SET_ORDER).compile(dialect=dialect)
        values = {}
        for name, value in compiled.construct_params().items():
            process = compiled.binds[name].type.bind_processor(dialect)
            values[name] = process(value) if process else value
        parameters: Any = values
        if compiled.positiontup is not None:
            parameters = tuple(values[name] for name in compiled.positiontup)
        driver = connection.connection
        cursor = (
            driver.cursor(name="failwise_history")
            if dialect.name == "postgresql"
            else driver.cursor()
        )
        try:
            cursor.execute(str(compiled), parameters)
            while rows := cursor.fetchmany(size):
                # numpy reads the rows' values straight into columns (no tuple a column);
                # each is copied out, so that the chunk's text is let go of.
                read = np.array(rows, dtype=_HISTORY_ROW)
                yield HistoryChunk(
                    logged_at=read["logged_at"].astype("datetime64[us]"),
                    exercise_ids=read["exercise_id"],
                    load=read["load"].copy(),
                    reps=read["reps"].copy(),
                    rir=read["rir"].copy(),
                    rir_inferred=read["rir_inferred"].copy(),
                    set_types=read["set_type"],
                    to_failure=read["to_failure"].copy(),
                    workout_ids=read["workout_id"].copy(),
                )
        finally:
            cursor.close()

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

    # --- bulk import ------------------------------------------------------------------
    def keys_with_prefix(self, user_id: int, prefix: str) -> set[str]:
        rows = self._rows(
            select(SetRow.idempotency_key).where(
                SetRow.user_id == user_id, SetRow.idempotency_key.startswith(prefix)
            )
        ).scalars()
        return {key for key in rows if key is not None}

    def workouts_by_start(self, user_id: int) -> dict[datetime, Workout]:
        rows = self._rows(
            select(*WORKOUT_COLUMNS).where(WorkoutRow.user_id == user_id).order_by(WorkoutRow.id)
        )
        return {workout.started_at: workout for workout in map(workout_of, rows)}

    def add_workouts(self, user_id: int, workouts: Sequence[Workout]) -> list[Workout]:
        """Insert many workouts at once (an import's): their ids taken first, all in one
        statement (:func:`_fresh_ids`), then the rows through the driver's bulk path
        (:func:`~failwise.storage.bulk.insert_rows`: ``COPY`` on PostgreSQL)."""
        if not workouts:
            return []
        self.session.flush()
        connection = self.session.connection()
        ids = _fresh_ids(connection, WorkoutRow.__tablename__, len(workouts))
        statement = bulk_insert(connection.dialect, WorkoutRow.__table__, WORKOUT_FIELDS)
        started = statement.converter("started_at")
        finished = statement.converter("finished_at")
        insert_rows(
            connection,
            statement,
            (
                (
                    given,
                    user_id,
                    started(naive_utc(w.started_at)),
                    finished(naive_utc(w.finished_at)) if w.finished_at else None,
                    w.phase.value,
                    w.notes,
                    w.name,
                    w.plan_session,
                )
                for given, w in zip(ids, workouts, strict=True)
            ),
        )
        return [replace(w, id=i, user_id=user_id) for w, i in zip(workouts, ids, strict=True)]

    def last_positions(self, user_id: int, workout_ids: Sequence[int]) -> dict[int, int]:
        if not workout_ids:
            return {}
        rows = self.session.execute(
            select(SetRow.workout_id, func.max(SetRow.position))
            .where(SetRow.user_id == user_id, SetRow.workout_id.in_(list(workout_ids)))
            .group_by(SetRow.workout_id)
        )
        return {workout_id: int(position) for workout_id, position in rows}

    def add_sets(
        self, user_id: int, sets: Sequence[tuple[int, int, NewSet, datetime]], *, now: datetime
    ) -> int:
        """Insert ``(workout_id, position, set, logged_at)`` rows through :meth:`add_set_rows`."""
        rows = []
        for workout_id, position, new, logged_at in sets:
            columns = set_columns(new)
            columns.update(
                workout_id=workout_id,
                position=position,
                logged_at=naive_utc(logged_at),
                idempotency_key=new.idempotency_key,
            )
            rows.append(tuple(columns[name] for name in SET_ROW_FIELDS))
        return self.add_set_rows(user_id, rows, now=now)

    def add_set_rows(self, user_id: int, rows: Sequence[tuple[Any, ...]], *, now: datetime) -> int:
        """Insert tuples of :data:`SET_ROW_FIELDS` through the driver's bulk path
        (:func:`~failwise.storage.bulk.insert_rows`: ``COPY`` on PostgreSQL, one prepared
        ``INSERT`` by ``executemany`` on SQLite): no ORM object and no per-row parameter
        dictionary. Values go to the driver as they are but for the dialect's own
        conversion of datetimes (SQLite keeps them as text in SQLAlchemy's format), done
        once per distinct moment.

        On SQLite the connection's page cache is made large enough for the rows' pages
        while they go in (:func:`~failwise.storage.bulk.roomy_cache`): the table and its
        five indexes grow by hundreds of bytes a set, and with SQLite's default 2 MiB cache
        an import of 200,000 sets would write the same pages out to the WAL over and over.
        """
        if not rows:
            return 0
        self.session.flush()
        connection = self.session.connection()
        # SQLite's ids, all taken at once (storage.tables.new_ids); PostgreSQL's identity.
        ids = new_ids(connection, SetRow.__tablename__, len(rows))
        columns = BULK_SET_COLUMNS if ids is None else ("id", *BULK_SET_COLUMNS)
        statement = bulk_insert(connection.dialect, SetRow.__table__, columns)
        created = statement.converter("created_at")(naive_utc(now))
        at = SET_ROW_FIELDS.index("logged_at")
        moment = statement.converter("logged_at")
        values: Iterable[tuple[Any, ...]]
        if ids is None and not statement.processors:  # psycopg takes datetimes as they are
            values = ((user_id, created, *row) for row in rows)
        elif ids is None:
            values = (
                (user_id, created, *row[:at], moment(row[at]), *row[at + 1 :]) for row in rows
            )
        else:
            values = (
                (given, user_id, created, *row[:at], moment(row[at]), *row[at + 1 :])
                for given, row in zip(ids, rows, strict=True)
            )
        with roomy_cache(connection, len(rows)):
            insert_rows(connection, statement, values)
        return len(rows)

    # --- plans ---------------------------------------------------------------------
    def save_plan(
        self,
        user_id: int,
        *,
        name: str,
        data: Mapping[str, Any],
        request: Mapping[str, Any],
        now: datetime,
    ) -> StoredPlan:
        """Store a plan as the lifter's active one (the one before it is kept, inactive)."""
        self.session.execute(update(PlanRow).where(PlanRow.user_id == user_id).values(active=False))
        row = PlanRow(
            user_id=user_id,
            created_at=naive_utc(now),
            name=name,
            active=True,
            data=dict(data),
            request=dict(request),
        )
        self.session.add(row)
        self.session.flush()
        return plan_of(row)

    def active_plan(self, user_id: int) -> StoredPlan | None:
        row = self.session.scalar(
            select(PlanRow)
            .where(PlanRow.user_id == user_id, PlanRow.active.is_(True))
            .order_by(PlanRow.id.desc())
            .limit(1)
        )
        return plan_of(row) if row else None

    def plans(self, user_id: int) -> list[StoredPlan]:
        rows = self.session.scalars(
            select(PlanRow).where(PlanRow.user_id == user_id).order_by(PlanRow.id.desc())
        )
        return [plan_of(row) for row in rows]

    def plan_workouts(self, user_id: int, plan_id: int) -> list[Workout]:
        """The workouts that carried out sessions of the plan, oldest first."""
        rows = self.session.scalars(
            select(WorkoutRow)
            .where(
                WorkoutRow.user_id == user_id,
                WorkoutRow.plan_session.startswith(f"{plan_id}:"),
            )
            .order_by(WorkoutRow.started_at, WorkoutRow.id)
        )
        return [workout_of_row(row) for row in rows]

    # --- readiness and measurements --------------------------------------------
    def put_readiness(self, user_id: int, readiness: Readiness) -> None:
        row = self.session.scalar(
            select(ReadinessRow).where(
                ReadinessRow.user_id == user_id, ReadinessRow.day == readiness.day
            )
        )
        if row is None:
            row = ReadinessRow(user_id=user_id, day=readiness.day)
            self.session.add(row)
        row.sleep = readiness.sleep
        row.soreness = readiness.soreness
        row.motivation = readiness.motivation
        self.session.flush()

    def readiness(self, user_id: int, *, since: date | None = None) -> list[Readiness]:
        query = select(ReadinessRow).where(ReadinessRow.user_id == user_id)
        if since is not None:
            query = query.where(ReadinessRow.day >= since)
        rows = self.session.scalars(query.order_by(ReadinessRow.day))
        return [Readiness(r.day, r.sleep, r.soreness, r.motivation) for r in rows]

    def add_measurement(self, user_id: int, measurement: Measurement) -> None:
        self.session.add(
            MeasurementRow(
                user_id=user_id,
                measured_on=measurement.measured_on,
                body_weight_kg=measurement.body_weight_kg,
                height_cm=measurement.height_cm,
                body_fat_pct=measurement.body_fat_pct,
                circumferences_cm=dict(measurement.circumferences_cm),
            )
        )
        self.session.flush()

    def measurements(self, user_id: int) -> list[Measurement]:
        rows = self.session.scalars(
            select(MeasurementRow)
            .where(MeasurementRow.user_id == user_id)
            .order_by(MeasurementRow.measured_on, MeasurementRow.id)
        )
        return [
            Measurement(
                measured_on=r.measured_on,
                body_weight_kg=r.body_weight_kg,
                height_cm=r.height_cm,
                body_fat_pct=r.body_fat_pct,
                circumferences_cm=dict(r.circumferences_cm),
            )
            for r in rows
        ]

    # --- the transaction ----------------------------------------------------------
    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError as error:
            self.rollback()
            raise Unavailable(f"the database is unavailable: {error.orig}") from None
        self._transaction_ended()

    def rollback(self) -> None:
        self.session.rollback()
        self._transaction_ended()

    def _transaction_ended(self) -> None:
        # What this transaction read of the lifters, and the lock it held, end with it.
        self._stamps.clear()
        self._serials.clear()
        self._verdicts.clear()
        self._latest.clear()
        self._keys.clear()
        self.done()

    def done(self) -> None:
        """Leave the process's queue for SQLite's writer (when in it): the transaction
        ended (committed, rolled back, or its session closed)."""
        if self._writing and self._writer is not None:
            self._writing = False
            self._writer.release()

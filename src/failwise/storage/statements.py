"""The statements of the hot paths, built once and run with bound values.

Building a SQLAlchemy statement costs more than running it on SQLite (a few
hundred microseconds each, a dozen on every logged set): the statements a logged
set, a sign-in check and a next-set prescription run are built here once, with
:func:`~sqlalchemy.sql.expression.bindparam` placeholders, and only their
values change from one request to the next. They run on the store's connection,
as plain rows (no ORM objects).

:func:`sets_statement` builds the reads of :meth:`SqlStore.sets` once per shape
(which filters, newest first or not): the few shapes the services use.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update

from failwise.services.records import SetType
from failwise.storage.rows import SET_COLUMNS, SET_ORDER, SET_VALUE_COLUMNS, WORKOUT_FIELDS
from failwise.storage.tables import LifterStateRow as _State
from failwise.storage.tables import SetRow as _Set
from failwise.storage.tables import TokenRow, UserRow, WorkoutRow

USER_COLUMNS = (UserRow.id, UserRow.username, UserRow.created_at, UserRow.settings)
"""A lifter's row as the hot paths read it (:func:`failwise.storage.rows.user_of_values`)."""

WORKOUT_TABLE_COLUMNS = tuple(WorkoutRow.__table__.c[name] for name in WORKOUT_FIELDS)
"""A workout as :func:`failwise.storage.rows.workout_of` reads it."""

# A write to the lifter's state: PostgreSQL locks the row and SQLite takes its write lock,
# both until the commit. Its serial is counted on, and the same statement reads back the
# lifter, their stamp, serial and kept fatigue verdict, and when their latest set was done
# and the id of the set stored under the idempotency key ``key`` if any (as values of one
# row each: SQLite's RETURNING reads no other table but by a subquery, and names no table,
# so a subquery cannot refer to the row updated: each names the lifter as the WHERE does).
OPEN_WORKOUT_FIELDS = ("id", "started_at", "phase", "notes", "name", "plan_session")
"""The open workout's values :data:`LOCK_TO_LOG` reads back (its lifter is the one locked,
and it is not finished)."""


def _read_back(lifter: Any, *, to_log: bool) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What a lock of the lifter ``lifter`` names reads back besides their state row: the
    lifter, their latest set, the set under the idempotency key, what their state row was
    as the statement began, and with ``to_log`` their open workout."""

    def of_lifter(column: Any) -> Any:
        return select(column).where(UserRow.id == lifter).scalar_subquery()

    def of_open_workout(name: str) -> Any:
        return (
            select(WorkoutRow.__table__.c[name])
            .where(WorkoutRow.user_id == lifter, WorkoutRow.finished_at.is_(None))
            .order_by(WorkoutRow.started_at.desc(), WorkoutRow.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    latest_set = select(func.max(_Set.logged_at)).where(_Set.user_id == lifter).scalar_subquery()
    set_under_key = (
        select(_Set.id)
        .where(_Set.user_id == lifter, _Set.idempotency_key == bindparam("key"))
        .scalar_subquery()
    )
    # Its own FROM (not the row the lock updates): the row as the statement began.
    serial_seen = (
        select(_State.write_serial)
        .where(_State.user_id == lifter)
        .correlate(None)
        .scalar_subquery()
    )
    workout = tuple(of_open_workout(name) for name in OPEN_WORKOUT_FIELDS) if to_log else ()
    user = tuple(of_lifter(column) for column in USER_COLUMNS)
    return user, (latest_set, set_under_key, serial_seen, *workout)


def _lock(lifter: Any, *, to_log: bool) -> Any:
    """The lock of the lifter ``lifter`` names (a bound id, or the token's holder); with
    ``to_log``, it reads back the lifter's open workout too (a set is about to go in).

    Its subqueries read the database as it was when the statement began. On PostgreSQL a
    lock that waited for another transaction's may have begun before that one committed:
    then the write serial they read (``serial_seen``) is behind the one the lock counted
    by more than its own step, and :data:`READ_LOCKED` reads them again."""
    user, rest = _read_back(lifter, to_log=to_log)
    return (
        update(_State)
        .where(_State.user_id == lifter)
        .values(write_serial=_State.write_serial + 1)
        .returning(
            *user,
            _State.history_stamp,
            _State.write_serial,
            _State.fatigue_verdict,
            *rest,
        )
    )


def _read_locked(*, to_log: bool) -> Any:
    """What :func:`_lock` reads back, read anew under the lock the transaction holds."""
    lifter: Any = bindparam("lifter")
    user, rest = _read_back(lifter, to_log=to_log)
    state = (_State.history_stamp, _State.write_serial, _State.fatigue_verdict)
    return select(*user, *state, *rest).where(_State.user_id == lifter)


LOCK_LIFTER = _lock(bindparam("lifter"), to_log=False)
LOCK_TO_LOG = _lock(bindparam("lifter"), to_log=True)
READ_LOCKED = _read_locked(to_log=False)
READ_LOCKED_TO_LOG = _read_locked(to_log=True)
# The same for the lifter an unexpired token signs in, found by the same statement (the
# sign-in check and the lock of a logged set are one round trip to the database), and when
# the token expires.
_SIGNED_IN = TokenRow.token_hash == bindparam("token_hash")
_TOKEN_HOLDER = (
    select(TokenRow.user_id)
    .where(_SIGNED_IN, TokenRow.expires_at > bindparam("now"))
    .scalar_subquery()
)
LOCK_SIGNED_IN = _lock(_TOKEN_HOLDER, to_log=True).returning(
    select(TokenRow.expires_at).where(_SIGNED_IN).scalar_subquery()
)
NEW_STATE = insert(_State)
KEPT_VERDICT = select(_State.fatigue_verdict).where(_State.user_id == bindparam("lifter"))
KEEP_VERDICT = (
    update(_State)
    .where(_State.user_id == bindparam("lifter"))
    .values(fatigue_verdict=bindparam("verdict"))
)
HISTORY_STAMP = select(_State.history_stamp).where(_State.user_id == bindparam("lifter"))
NEW_HISTORY_STAMP = (
    update(_State)
    .where(_State.user_id == bindparam("lifter"))
    .values(history_stamp=bindparam("stamp"))
)
TOKEN_LIFTER = (
    select(*USER_COLUMNS, TokenRow.expires_at)
    .join(TokenRow, TokenRow.user_id == UserRow.id)
    .where(TokenRow.token_hash == bindparam("token_hash"), TokenRow.expires_at > bindparam("now"))
)
SET_BY_KEY = select(*SET_COLUMNS).where(
    _Set.user_id == bindparam("user_id"), _Set.idempotency_key == bindparam("key")
)
OPEN_WORKOUT = (
    select(*WORKOUT_TABLE_COLUMNS)
    .where(WorkoutRow.user_id == bindparam("user_id"), WorkoutRow.finished_at.is_(None))
    .order_by(WorkoutRow.started_at.desc(), WorkoutRow.id.desc())
    .limit(1)
)
# A logged set in one statement: its position is the next in its workout, worked out as it
# goes in (the lifter's writes are held in line, so no other set can take it). Each value is
# bound as ``p_<column>``; ``p_id`` only where the store gives the id (SQLite).
_LOGGED_COLUMNS = (
    "user_id",
    "workout_id",
    "logged_at",
    "created_at",
    "idempotency_key",
    *SET_VALUE_COLUMNS,
)


def _insert_logged_set(with_id: bool) -> Any:
    columns = ("id", *_LOGGED_COLUMNS) if with_id else _LOGGED_COLUMNS
    table = _Set.__table__
    values = [bindparam(f"p_{name}", type_=table.c[name].type) for name in columns]
    position = func.coalesce(func.max(_Set.position), 0) + 1
    rows = select(*values, position).where(
        _Set.user_id == bindparam("p_user_id"), _Set.workout_id == bindparam("p_workout_id")
    )
    return insert(_Set).from_select([*columns, "position"], rows).returning(_Set.id, _Set.position)


INSERT_LOGGED_SET = _insert_logged_set(with_id=False)
INSERT_LOGGED_SET_WITH_ID = _insert_logged_set(with_id=True)

# Each distinct working set of an exercise once, when it was first done: what the personal
# records are made of (a lifter repeats 3 × 5 at 140 week after week).
_FIRST_DONE = func.min(_Set.logged_at)
DISTINCT_WORKING_SETS = (
    select(_Set.load, _Set.reps, _Set.rir, _Set.to_failure, _FIRST_DONE)
    .where(
        _Set.user_id == bindparam("user_id"),
        _Set.exercise_id == bindparam("exercise_id"),
        _Set.set_type == "working",
        _Set.id != bindparam("besides"),
    )
    .group_by(_Set.load, _Set.reps, _Set.rir, _Set.to_failure)
    .order_by(_FIRST_DONE)
)

# The days something was trained in a window: for each day, exercise and set type, the
# time of the latest set, from the latest sets in the window (at most ``latest``: an import
# of a million sets in one week reads no more than a busy week's). The day is the stored
# (UTC) time's date, on SQLite as on PostgreSQL.
_IN_WINDOW = (
    select(_Set.logged_at, _Set.exercise_id, _Set.set_type)
    .where(
        _Set.user_id == bindparam("user_id"),
        _Set.logged_at >= bindparam("since"),
        _Set.logged_at <= bindparam("until"),
    )
    .order_by(*(column.desc() for column in SET_ORDER))
    .limit(bindparam("latest"))
    .subquery()
)
_DAY = func.date(_IN_WINDOW.c.logged_at)
TRAINED_DAYS = select(
    func.max(_IN_WINDOW.c.logged_at), _IN_WINDOW.c.exercise_id, _IN_WINDOW.c.set_type
).group_by(_DAY, _IN_WINDOW.c.exercise_id, _IN_WINDOW.c.set_type)


@cache
def sets_statement(
    *,
    since: bool,
    until: bool,
    exercises: bool,
    workout: bool,
    tests_only: bool,
    latest: bool,
    efforts_only: bool = False,
) -> Any:
    """The read of a lifter's sets with these filters (each bound by the name of its
    argument in :meth:`~failwise.storage.store.SqlStore.sets`; ``exercise_ids`` expands
    to a list), in the order done, or newest first under ``latest`` (the caller turns
    them round)."""
    query = select(*SET_COLUMNS).where(_Set.user_id == bindparam("user_id"))
    if since:
        query = query.where(_Set.logged_at >= bindparam("since"))
    if until:
        query = query.where(_Set.logged_at <= bindparam("until"))
    if exercises:
        query = query.where(_Set.exercise_id.in_(bindparam("exercise_ids", expanding=True)))
    if workout:
        query = query.where(_Set.workout_id == bindparam("workout_id"))
    if tests_only:
        query = query.where(_Set.test_reps_at_call.is_not(None))
    if efforts_only:
        query = query.where(
            _Set.set_type == SetType.WORKING.value,
            or_(_Set.rir.is_not(None), _Set.to_failure.is_(True)),
        )
    if latest:
        return query.order_by(*(column.desc() for column in SET_ORDER)).limit(bindparam("latest"))
    return query.order_by(*SET_ORDER)

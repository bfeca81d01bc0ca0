"""The database tables. The schema is created only by the Alembic migrations.

Every row that belongs to a lifter carries ``user_id`` — the shard key should
a deployment outgrow one PostgreSQL (README, "Scaling out on PostgreSQL (Citus)")
— and every query filters on it. The tables split three ways:

* **By lifter** (:data:`LIFTER_TABLES`: sets, workouts, plans, …): every primary
  key, unique constraint and foreign key between them includes ``user_id``, as
  Citus requires of tables distributed by it. Their ``id`` stays unique across
  all lifters (one sequence per table), so a lifter asking for another lifter's
  set by its id finds nothing rather than one of their own.
* **Lifters and their tokens** (:data:`REFERENCE_TABLES`): a lifter is found by
  name at sign-in and by token hash on every request, before the lifter is known,
  and names must be unique over all lifters: on Citus they are reference tables
  (a copy on every node), which the lifter tables' foreign keys may point to.
* **Neither** (:data:`LOCAL_TABLES`): the rate-limit and sign-in throttle windows,
  keyed by address or name, and the id sequences of SQLite.

The ids of the lifter tables come from an identity column on PostgreSQL. SQLite
assigns ids only to a single-column ``INTEGER PRIMARY KEY``, so there each comes
from :class:`IdSequenceRow` through :func:`new_ids`, in the writing transaction (a
logged set's from a block its process took ahead, ``storage.store_base.ID_BLOCK``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # The username as it is looked up (services.records.username_key): unique, so
    # "Carol" and "carol" are one lifter. The name is shown as it was signed up.
    username_key: Mapped[str] = mapped_column(
        String(64), unique=True, index=True, server_default=""
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LifterStateRow(Base):
    """What changes with a lifter's every logged set, beside their sets: one row a lifter,
    made with them. Apart from ``users`` so that a logged set writes only the lifter's
    own rows (on Citus, one node: ``users`` is on all of them)."""

    __tablename__ = "lifter_state"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Drawn afresh with every change a worker may hold in memory for the lifter (their
    # exercises, readiness, RIR tests, corrected or imported sets): services.core.
    history_stamp: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Grows by one each time the lifter's writes are held in line (SqlStore.lock_lifter).
    write_serial: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The accumulated-fatigue verdict as a logged set last worked it out (services.core).
    fatigue_verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class TokenRow(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class CustomExerciseRow(Base):
    __tablename__ = "custom_exercises"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        UniqueConstraint("user_id", "slug", name="uq_custom_exercises_user_slug"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(120))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class WorkoutRow(Base):
    __tablename__ = "workouts"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        Index("ix_workouts_user_started", "user_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    phase: Mapped[str] = mapped_column(String(16), default="normal")
    notes: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The planned session this workout carries out: "<plan id>:<week>:<session>".
    plan_session: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SetRow(Base):
    __tablename__ = "sets"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        # A set's workout is the lifter's own: the key names both. It holds the set to a
        # lifter who exists, too (the workout's key into users): the set has no key of
        # its own into users, which would check the same again for every set written.
        ForeignKeyConstraint(
            ["user_id", "workout_id"], ["workouts.user_id", "workouts.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("user_id", "idempotency_key", name="uq_sets_user_idempotency_key"),
        # The order sets are read in (storage.rows.SET_ORDER): the newest sets, a page
        # after a key and the streamed export all walk it without sorting.
        Index("ix_sets_user_order", "user_id", "logged_at", "workout_id", "position", "id"),
        # One exercise's sets, and one workout's, in the same order. Each index must serve
        # its query's order too: without statistics SQLite would rather walk the whole
        # history in ix_sets_user_order than sort a few rows found by a shorter index.
        Index(
            "ix_sets_user_exercise_order",
            "user_id",
            "exercise_id",
            "logged_at",
            "workout_id",
            "position",
            "id",
        ),
        Index("ix_sets_workout_order", "workout_id", "user_id", "logged_at", "position", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(Integer)
    workout_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(120))
    set_type: Mapped[str] = mapped_column(String(16), default="working")
    # Target and actual side by side; loads in kg. RPE is derived from RIR.
    target_load: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_reps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_rir_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_rir_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The working sets the exercise has today, as the lifter said when this set was logged.
    target_sets: Mapped[int | None] = mapped_column(Integer, nullable=True)
    load: Mapped[float] = mapped_column(Float)
    reps: Mapped[int] = mapped_column(Integer)
    rir: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Estimated from the e1RM trend for a set imported without effort; kept
    # apart from the logged `rir` in every statistic.
    rir_inferred: Mapped[float | None] = mapped_column(Float, nullable=True)
    to_failure: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # An RIR test: at rep `test_reps_at_call` the lifter called
    # `test_predicted_rir`, then went on to failure at `reps`.
    test_reps_at_call: Mapped[int | None] = mapped_column(Integer, nullable=True)
    test_predicted_rir: Mapped[float | None] = mapped_column(Float, nullable=True)
    rest_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    source: Mapped[str] = mapped_column(String(32), default="log", server_default="log")
    # The planned set this set carries out: "<plan id>:<week>:<session>:<exercise>:<set>".
    planned: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """Where the set came from: ``log``, or the import format (``strong``, ``hevy`` …)."""


class ReadinessRow(Base):
    __tablename__ = "readiness"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        UniqueConstraint("user_id", "day", name="uq_readiness_user_day"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sleep: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soreness: Mapped[int | None] = mapped_column(Integer, nullable=True)
    motivation: Mapped[int | None] = mapped_column(Integer, nullable=True)


class MeasurementRow(Base):
    __tablename__ = "measurements"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        Index("ix_measurements_user_day", "user_id", "measured_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    measured_on: Mapped[date] = mapped_column(Date)
    body_weight_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    height_cm: Mapped[float | None] = mapped_column(Float, nullable=True)
    body_fat_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    circumferences_cm: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id"),
        Index("ix_plans_user_active", "user_id", "active"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    name: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The plan, in the shape of ``planning.plan_to_dict``."""
    request: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    """What the plan was generated from, so the next mesocycle can build on it."""


class RateEventRow(Base):
    """A costly request (a demo, an import, an export, a sign-up), kept for the rate
    limit's window (``services.quotas``). ``subject`` is ``lifter:<id>`` or
    ``address:<ip>``."""

    __tablename__ = "rate_events"
    __table_args__ = (
        Index("ix_rate_events_action_subject_at", "action", "subject", "at"),
        Index("ix_rate_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime)


class SignInFailureRow(Base):
    """A failed sign-in, kept for the throttle's window (``services.accounts``).

    ``username`` is the name tried (case-folded, known or not); ``address`` the
    client's address, or "" when it is not known.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_username_failed", "username", "failed_at"),
        Index("ix_sign_in_failures_address_failed", "address", "failed_at"),
        Index("ix_sign_in_failures_failed", "failed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime)


class IdSequenceRow(Base):
    """The last id given out in each lifter table, on SQLite (PostgreSQL has its identity
    columns and leaves this table empty)."""

    __tablename__ = "id_sequences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)


LIFTER_TABLES = (
    "lifter_state",
    "custom_exercises",
    "workouts",
    "sets",
    "readiness",
    "measurements",
    "plans",
)
"""The tables whose rows each belong to one lifter: distributed by ``user_id`` on Citus."""
REFERENCE_TABLES = ("users", "tokens")
"""Looked up before the lifter is known (by name, by token hash): a copy on every node."""
LOCAL_TABLES = ("rate_events", "sign_in_failures", "id_sequences")
"""Not the lifters' data: kept on the coordinator, never distributed."""


# Built once: the log path runs it on every set on SQLite (storage.statements says why).
_TAKE_IDS = (
    update(IdSequenceRow)
    .where(IdSequenceRow.name == bindparam("table"))
    .values(last_id=IdSequenceRow.last_id + bindparam("count"))
    .returning(IdSequenceRow.last_id)
)


def new_ids(connection: Connection, table: str, count: int) -> range | None:
    """``count`` fresh ids of ``table`` (one of :data:`LIFTER_TABLES`) on SQLite; None on
    PostgreSQL, whose identity column gives them.

    One ``UPDATE … RETURNING`` moves the table's sequence on by ``count``: it takes
    SQLite's write lock first, so two processes can never read the same last id, and no
    id is given twice even when the rows it was given to are deleted or rolled back.
    """
    if connection.dialect.name != "sqlite" or count <= 0:
        return None
    last = connection.execute(_TAKE_IDS, {"table": table, "count": count}).scalar_one()
    return range(last - count + 1, last + 1)


@event.listens_for(Base, "before_insert", propagate=True)
def _give_sqlite_id(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    """An id for a lifter row the ORM is about to insert on SQLite."""
    table = row.__tablename__
    if table in LIFTER_TABLES and getattr(row, "id", 0) is None:
        ids = new_ids(connection, table, 1)
        if ids is not None:
            row.id = ids[0]

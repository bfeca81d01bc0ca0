"""The store's long reads and bulk writes: a lifter's whole history in chunks (the export,
the analysis's columns), and an import's workouts and sets in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import String, func, select
from sqlalchemy import cast as cast_as

from failwise.services.ports import HistoryChunk
from failwise.services.records import SET_ROW_FIELDS, NewSet, StoredSet, Workout, naive_utc
from failwise.storage.bulk import bulk_insert, insert_rows, roomy_cache
from failwise.storage.rows import (
    BULK_SET_COLUMNS,
    SET_COLUMNS,
    SET_ORDER,
    WORKOUT_COLUMNS,
    WORKOUT_FIELDS,
    set_columns,
    stored_of,
    workout_of,
)
from failwise.storage.store_base import StoreBase, fresh_ids
from failwise.storage.tables import SetRow, WorkoutRow, new_ids

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


class HistoryRows(StoreBase):
    """A lifter's whole history read in chunks, and an import's rows written in bulk."""

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
        statement (:func:`fresh_ids`), then the rows through the driver's bulk path
        (:func:`~failwise.storage.bulk.insert_rows`: ``COPY`` on PostgreSQL)."""
        if not workouts:
            return []
        self.session.flush()
        connection = self.session.connection()
        ids = fresh_ids(connection, WorkoutRow.__tablename__, len(workouts))
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

"""The store's ground: its session and transaction, the statements run on its connection,
and what the transaction read of the lifters (kept until it ends)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from failwise.services.ports import Unavailable
from failwise.storage.tables import Base, new_ids

# As long as SQLite's own wait for its lock (busy_timeout, storage.database).
WRITER_WAIT_SECONDS = 10.0


ID_BLOCK = 64
"""Ids a process takes at once for the rows it adds one at a time on SQLite (a logged set):
moving the table's sequence on is a write of its own, which cost a logged set 0.3 ms of its
1.9 (``bench/log_throughput.py``). The block's unused ids are kept for the next rows (once
the transaction that took them committed) and lost when the process ends: ids stay unique,
never given twice, with gaps."""


class IdBlocks:
    """The ids this process took from SQLite's sequences (:func:`new_ids`) and has not given
    yet, by table: taken in a transaction that committed, so no other process can take them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[str, list[range]] = {}

    def take(self, table: str) -> range | None:
        with self._lock:
            free = self._free.get(table)
            return free.pop() if free else None

    def keep(self, table: str, ids: range) -> None:
        if ids:
            with self._lock:
                self._free.setdefault(table, []).append(ids)


def fresh_ids(connection: Connection, table: str, count: int) -> Sequence[int]:
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


class StoreBase:
    """One session, one transaction, and what the transaction read of the lifters: the
    ground every part of :class:`~failwise.storage.store.SqlStore` stands on."""

    def __init__(
        self,
        session: Session,
        *,
        writer: threading.Lock | None = None,
        ids: IdBlocks | None = None,
    ) -> None:
        self.session = session
        # The process's queue for SQLite's one writer (storage.database.Database), held
        # from lock_lifter to the end of the transaction.
        self._writer = writer
        self._writing = False
        # The process's ids taken ahead (SQLite), and those this transaction holds of them.
        self._ids = ids
        self._held: dict[str, range] = {}
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

    def _give_ids(self, table: type[Base], rows: list[dict[str, Any]]) -> None:
        """Ids for rows inserted through Core, on SQLite (:func:`~failwise.storage.tables.new_ids`;
        the ORM's inserts get theirs by themselves); PostgreSQL's identity gives them. A
        single row takes its id from the process's block (:data:`ID_BLOCK`)."""
        name = table.__tablename__
        connection = self.session.connection()
        if self._ids is None or len(rows) != 1:
            ids = new_ids(connection, name, len(rows))
        else:
            held = self._held.get(name) or self._ids.take(name)
            ids = held or new_ids(connection, name, ID_BLOCK)
            if ids is not None:
                self._held[name] = ids[len(rows) :]
        if ids is not None:
            for row, given in zip(rows, ids, strict=False):
                row["id"] = given

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

    # --- the transaction ----------------------------------------------------------
    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError as error:
            self.rollback()
            raise Unavailable(f"the database is unavailable: {error.orig}") from None
        if self._ids is not None:
            # Committed: the ids this transaction took from the sequence are this process's.
            for name, ids in self._held.items():
                self._ids.keep(name, ids)
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
        # Rolled back, the ids held go unused: a block taken in this transaction went back
        # to the sequence, where another process may take it.
        self._held.clear()
        self.done()

    def done(self) -> None:
        """Leave the process's queue for SQLite's writer (when in it): the transaction
        ended (committed, rolled back, or its session closed)."""
        if self._writing and self._writer is not None:
            self._writing = False
            self._writer.release()

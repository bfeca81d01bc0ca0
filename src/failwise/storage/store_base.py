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


def give_ids(session: Session, table: type[Base], rows: list[dict[str, Any]]) -> None:
    """Ids for rows inserted through Core, on SQLite (:func:`~failwise.storage.tables.new_ids`;
    the ORM's inserts get theirs by themselves); PostgreSQL's identity gives them."""
    ids = new_ids(session.connection(), table.__tablename__, len(rows))
    if ids is not None:
        for row, given in zip(rows, ids, strict=True):
            row["id"] = given


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

r"""Many rows into one table through the driver's own bulk path: ``COPY … FROM STDIN`` on
PostgreSQL (psycopg's ``Cursor.copy``), ``executemany`` of one prepared ``INSERT`` on
SQLite; plain tuples either way, no ORM object and no parameter dictionary per row.

SQLAlchemy's Core ``insert(table)`` with a list of dictionaries does the same work a
row at a time in Python (a dictionary per row, each value through its type), which
for a 200,000-set import costs more than the database does. Here the statement is
written once for the dialect's parameter style, and values reach the driver as they
are: the drivers take ints, floats, strings, booleans and ``None``. Only datetimes are
converted, by the dialect's own bind processor (SQLite keeps them as text in
SQLAlchemy's format, so they compare and read back like every other stored moment),
once per distinct value.

``COPY`` is PostgreSQL's way of loading many rows: one statement streams them all, and
the server parses no ``INSERT`` and plans nothing per row. For 200,000 sets it takes a
fraction of the time of the same rows sent as ``INSERT``\ s in pipeline mode, and it
keeps every constraint: a row that breaks the table's unique key fails the statement,
and with it the transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, DateTime, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

BULK_PAGE = 10_000
"""Rows handed to the driver per ``executemany`` call: bounds the memory of one call."""

_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
"""The positional parameter marker of each DBAPI parameter style (psycopg takes ``%s``
with a tuple whether the dialect names its style ``format`` or ``pyformat``)."""


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class BulkInsert:
    """An ``INSERT`` of ``columns`` into one table, for the driver's ``executemany``."""

    sql: str
    columns: tuple[str, ...]
    copy_sql: str
    """The same rows as ``COPY … FROM STDIN`` (PostgreSQL only)."""
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    """The dialect's bind processor of each datetime column that has one."""

    def converter(self, column: str) -> Callable[[Any], Any]:
        """What a value of ``column`` becomes for the driver: the dialect's conversion,
        remembered per distinct value (a workout's sets share their moments), or the
        value itself."""
        for name, processor in self.processors:
            if name == column:
                return functools.cache(processor)
        return _same


@functools.cache
def bulk_insert(dialect: Dialect, table: Table, columns: Sequence[str]) -> BulkInsert:
    """The ``INSERT`` of ``columns`` (in that order) into ``table`` for ``dialect``."""
    try:
        marker = _MARKERS[dialect.paramstyle]
    except KeyError:  # pragma: no cover - failwise runs on SQLite and psycopg
        raise NotImplementedError(f"parameter style {dialect.paramstyle!r}") from None
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    markers = ", ".join(marker for _ in columns)
    processors = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            processor = kind.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((name, processor))
    return BulkInsert(
        sql=f"INSERT INTO {quote(table.name)} ({names}) VALUES ({markers})",
        columns=tuple(columns),
        copy_sql=f"COPY {quote(table.name)} ({names}) FROM STDIN",
        processors=tuple(processors),
    )


def insert_rows(
    connection: Connection, statement: BulkInsert, rows: Iterable[Sequence[Any]]
) -> None:
    """``rows`` (tuples of ``statement.columns``, values as the driver takes them) into the
    table, in the transaction of ``connection``: ``COPY`` on PostgreSQL, ``executemany``
    :data:`BULK_PAGE` rows a call elsewhere."""
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection  # a psycopg Connection
        try:
            with driver.cursor() as cursor, cursor.copy(statement.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except connection.dialect.loaded_dbapi.Error as error:
            # As SQLAlchemy raises the driver's errors everywhere else (IntegrityError …).
            raise DBAPIError.instance(
                statement.copy_sql, None, error, connection.dialect.loaded_dbapi.Error
            ) from error
        return
    page: list[Sequence[Any]] = []
    for row in rows:
        page.append(row)
        if len(page) == BULK_PAGE:
            connection.exec_driver_sql(statement.sql, page)
            page = []
    if page:
        connection.exec_driver_sql(statement.sql, page)


SET_PAGE_BYTES = 1024
"""About what a set takes in SQLite's pages, with its share of the indexes' (a 200,000-set
import grows the database by about 90 MB): what :func:`roomy_cache` sizes the cache by."""
MOST_CACHE_KIB = 256 * 1024
"""The largest page cache :func:`roomy_cache` asks for, however many rows go in."""


@contextmanager
def roomy_cache(connection: Connection, rows: int) -> Iterator[None]:
    """SQLite's page cache, for the rows about to go in, as large as their pages (up to
    :data:`MOST_CACHE_KIB`), and back to what it was after; nothing on PostgreSQL.

    A page cache smaller than the pages a transaction dirties spills them to the WAL
    before the commit, and the same index page is written again each time a later row
    dirties it. The pages stay in memory until the commit once they are dirty, whatever
    the cache is set to after: the setting is put back as soon as the rows are in.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    kept = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    wanted = min(MOST_CACHE_KIB, rows * SET_PAGE_BYTES // 1024)
    # A negative cache_size is in KiB, a positive one in pages.
    if kept >= 0 or wanted <= -kept:
        yield
        return
    connection.exec_driver_sql(f"PRAGMA cache_size = {-wanted}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {kept}")

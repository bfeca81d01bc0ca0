"""Many rows into one table through the driver's ``executemany``: one prepared ``INSERT``,
plain tuples, no ORM object and no parameter dictionary per row.

SQLAlchemy's Core ``insert(table)`` with a list of dictionaries does the same work a
row at a time in Python (a dictionary per row, each value through its type), which
for a 200,000-set import costs more than the database does. Here the statement is
written once for the dialect's parameter style, and values reach the driver as they
are: the drivers take ints, floats, strings, booleans and ``None``. Only datetimes are
converted, by the dialect's own bind processor (SQLite keeps them as text in
SQLAlchemy's format, so they compare and read back like every other stored moment),
once per distinct value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Table
from sqlalchemy.engine import Dialect

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
        processors=tuple(processors),
    )

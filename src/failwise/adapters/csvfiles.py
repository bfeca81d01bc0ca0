"""Reading the small CSV files the CLI takes, with errors that name the line."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from failwise.domain.errors import FailwiseError, InvalidInput
from failwise.domain.inputs import decimal

T = TypeVar("T")


class CsvLineError(InvalidInput):
    """A CSV line that cannot be read; the message names the file, line and problem."""


def read_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data line of a CSV file with a header.

    The header must hold every column in ``required`` (extra columns are
    ignored). Blank lines are skipped. A UTF-8 byte order mark and CRLF line
    endings are accepted.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [column.strip().lower() for column in next(reader)]
        except StopIteration:
            raise CsvLineError(f"{path}: the file is empty; expected a header line") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise CsvLineError(f"{path}: line 1: {error}") from None
        missing = [column for column in required if column not in header]
        if missing:
            raise CsvLineError(
                f"{path}: line 1: missing column(s) {', '.join(missing)}; "
                f"the header must be {','.join(required)}"
            )
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                raise CsvLineError(f"{path}: line {reader.line_num}: {error}") from None
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise CsvLineError(
                    f"{path}: line {reader.line_num}: expected {len(header)} fields, "
                    f"found {len(cells)}"
                )
            yield (
                reader.line_num,
                {name: cell.strip() for name, cell in zip(header, cells, strict=True)},
            )


def parse_cell(path: Path, line: int, column: str, text: str, convert: Callable[[str], T]) -> T:
    """``convert(text)``, or a :class:`CsvLineError` naming the line, column and value."""
    try:
        return convert(text)
    except FailwiseError as error:
        raise CsvLineError(f"{path}: line {line}: {column}: {error}") from None
    except ValueError:
        raise CsvLineError(f"{path}: line {line}: {column} {text!r} is not valid") from None


def number(text: str) -> float:
    """A decimal number; a decimal comma (``8,5``) is accepted (:func:`decimal`)."""
    return decimal(text)


def optional_number(text: str) -> float | None:
    return number(text) if text else None


def whole_number(text: str) -> int:
    value = number(text)
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def timestamp(text: str) -> datetime:
    """An ISO 8601 date or date and time (``2026-03-02`` or ``2026-03-02 18:30``)."""
    return datetime.fromisoformat(text)


def wrap_line(path: Path, line: int, call: Callable[[], T]) -> T:
    """Run ``call``, turning a failwise error into one that names the line."""
    try:
        return call()
    except FailwiseError as error:
        raise CsvLineError(f"{path}: line {line}: {error}") from None

"""The table every CSV export is read through: its header, its records, their lines.

Line numbers are physical lines of the file: the header is line 1 and a
quoted field that spans lines advances them. A record the CSV reader rejects,
or one with the wrong number of fields, is a problem with its line; reading
goes on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from failwise.adapters.importers._dates import moment, parse_moment
from failwise.adapters.importers._values import (
    Effort,
    amount,
    distance_factor,
    effort_from_rpe_cell,
    number,
    shorten,
    weight_factor,
    whole_number,
)
from failwise.domain.errors import InvalidInput
from failwise.services.imports import Problem


def normalise_name(name: str) -> str:
    """A column name as the parsers look it up: trimmed, spaces collapsed, case folded.

    >>> normalise_name('\\ufeff "Weight (kg)" ')
    'weight (kg)'
    """
    return " ".join(name.replace("\ufeff", "").strip().strip('"').split()).casefold()


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line endings as LF, also inside quoted notes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def header_line(text: str) -> str:
    """The first physical line of ``text``, without a byte order mark or line ending."""
    first = strip_bom(text).split("\n", 1)[0]
    return first.split("\r", 1)[0]


def sniff_delimiter(line: str) -> str:
    """``;`` when the header is separated by semicolons, else ``,``.

    >>> sniff_delimiter('"Workout #";"Date";"Workout Name"')
    ';'
    >>> sniff_delimiter('Date,Workout Name,Duration')
    ','
    """
    return ";" if line.count(";") > line.count(",") else ","


def header_names(line: str) -> list[str]:
    """The normalised column names of a header line."""
    try:
        cells = next(csv.reader([line], delimiter=sniff_delimiter(line), skipinitialspace=True))
    except (csv.Error, StopIteration):
        return []
    return [normalise_name(cell) for cell in cells]


@dataclass(slots=True)
class Row:
    """One data record: the line it starts on and its cells by normalised column name.

    Its readers name the column as the file's header spells it in every
    problem they report. Read-only by convention: not frozen, as a frozen dataclass
    costs twice as much to make, and a file makes one per record.
    """

    line: int
    cells: Mapping[str, str]
    titles: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        """The trimmed cell of ``column`` (a normalised name); empty when the file lacks it."""
        return self.cells.get(column, "")

    def title(self, column: str) -> str:
        return self.titles.get(column, column)

    def number(self, column: str) -> float | None:
        return number(self.title(column), self[column])

    def amount(self, column: str) -> float | None:
        return amount(self.title(column), self[column])

    def whole_number(self, column: str) -> int | None:
        return whole_number(self.title(column), self[column])

    def moment(self, column: str, expected: str) -> datetime:
        return moment(self.title(column), self[column], expected)

    def weight_factor(self, column: str) -> float:
        return weight_factor(self.title(column), self[column])

    def distance_factor(self, column: str) -> float:
        return distance_factor(self.title(column), self[column])

    def effort(
        self, column: str, problems: list[Problem], *, target: bool = False
    ) -> Effort | None:
        """The effort of the RPE in ``column``; an RPE off the scale is reported in
        ``problems``."""
        return effort_from_rpe_cell(
            self.title(column), self[column], problems, self.line, target=target
        )

    def soft_moment(
        self, column: str, problems: list[Problem], consequence: str
    ) -> datetime | None:
        """An optional date and time: an unreadable one is reported, and the set kept."""
        text = self[column]
        if not text:
            return None
        value = parse_moment(text)
        if value is None:
            problems.append(
                Problem(
                    self.line,
                    f"{self.title(column)} {shorten(text)!r} is not a date and time: "
                    + consequence,
                )
            )
        return value


@dataclass(slots=True)
class Table:
    """A CSV export read record by record; unreadable records become problems."""

    columns: list[str]
    """Normalised column names, in file order."""
    titles: dict[str, str]
    """Each normalised name as the header spells it."""
    problems: list[Problem]
    _reader: Iterator[list[str]]
    _line_num: Callable[[], int]
    keep_text: bool = False
    """Cells exactly as the file has them (see :func:`open_table`); else trimmed."""

    def has(self, *names: str) -> bool:
        return all(name in self.columns for name in names)

    def first_of(self, *names: str) -> str | None:
        """The first of ``names`` that the header holds."""
        return next((name for name in names if name in self.columns), None)

    def rows(self) -> Iterator[Row]:
        """Every non-blank record, with its first physical line.

        A record with fewer fields than the header, or with extra fields that
        are not empty, is a problem; so is a record the CSV reader rejects.
        """
        width = len(self.columns)
        columns, titles, keep_text, strip = self.columns, self.titles, self.keep_text, str.strip
        start = self._line_num() + 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.append(Problem(start, f"this line is not valid CSV: {error}"))
                if self._line_num() < start:  # the reader made no progress: stop
                    return
                start = self._line_num() + 1
                continue
            line, start = start, self._line_num() + 1
            # Whitespace alone, in all the cells or in those past the header's: joined,
            # the cells are tested at once, not one by one.
            if not "".join(cells).strip():
                continue
            if len(cells) < width or (len(cells) > width and "".join(cells[width:]).strip()):
                reason = f"expected {width} fields, found {len(cells)}: the row is skipped"
                if any("\n" in cell for cell in cells):
                    reason += " (a quote opened on this line may never be closed)"
                self.problems.append(Problem(line, reason))
                continue
            values = cells if keep_text else map(strip, cells)
            yield Row(line, dict(zip(columns, values, strict=False)), titles)


def open_table(
    text: str, *, format_name: str, required: Collection[str], keep_text: bool = False
) -> Table:
    """Read the header of ``text`` and prepare its records.

    Other apps' exports are read forgivingly: line breaks inside notes become LF,
    spaces after a delimiter and around a cell are dropped. ``keep_text`` reads
    each cell exactly as written (RFC 4180: a CR or a leading space in a quoted
    note is the note's), for failwise's own lossless CSV.

    Raises :class:`InvalidInput` when the file is empty or the header lacks a
    ``required`` column (given as normalised names): nothing in such a file
    can be read.
    """
    text = strip_bom(text) if keep_text else normalise_newlines(strip_bom(text))
    first = header_line(text)
    if not first.strip():
        raise InvalidInput("the file is empty or its first line is blank; expected a header line")
    handle = io.StringIO(text, newline="")
    reader = csv.reader(handle, delimiter=sniff_delimiter(first), skipinitialspace=not keep_text)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as error:
        raise InvalidInput(f"line 1: the header cannot be read: {error}") from None
    columns = [normalise_name(cell) for cell in header]
    titles = {
        name: " ".join(cell.replace("\ufeff", "").strip().strip('"').split())
        for name, cell in zip(columns, header, strict=True)
    }
    missing = [name for name in required if name not in columns]
    if missing:
        raise InvalidInput(
            f"line 1: this is not a {format_name} export: the header lacks "
            + ", ".join(repr(name) for name in missing)
        )
    return Table(columns, titles, [], reader, lambda: reader.line_num, keep_text)

"""What every importer does with the sets it reads: numbers them, and tells cardio from strength.

A row of distance or time without reps is a cardio or timed row: it keeps
its distance and seconds and carries no reps (the import service reports it;
it is never dropped here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from failwise.services.imports import ParsedFile


class Parser(Protocol):
    """Reads one export format: the decoded text in, the sets and problems out."""

    def __call__(self, text: str, *, unit: str | None = None) -> ParsedFile: ...


@dataclass(slots=True)
class SetCounter:
    """Numbers sets from 0 in file order within each (workout, exercise).

    The apps' own numbers are not used: Strong's warm-up, drop and failure
    rows carry a letter, not a number, and an exercise done twice in one
    workout restarts the app's numbering. The position in the file is unique
    and stays the same when the same history is exported again.
    """

    _seen: dict[tuple[str, ...], int] = field(default_factory=dict)

    def next(self, *key: str) -> int:
        index = self._seen.get(key, 0)
        self._seen[key] = index + 1
        return index


def timed_row(
    load_kg: float | None, reps: int | None, distance_m: float | None, seconds: float | None
) -> tuple[float | None, int | None]:
    """Load and reps of a row, with a cardio or timed row carrying no reps.

    A row with a distance or a time and no reps (empty or 0) is cardio or a
    timed hold: its reps become ``None``, and a zero load becomes ``None``
    (the apps write 0 kg on a run). Any other row keeps what it says, so a
    failed attempt (0 reps, no time) stays a set of 0 reps.

    >>> timed_row(0.0, 0, 5000.0, 1800.0)
    (None, None)
    >>> timed_row(100.0, 0, None, None)
    (100.0, 0)
    """
    if not reps and (distance_m is not None or seconds is not None):
        return (load_kg or None), None
    return load_kg, reps

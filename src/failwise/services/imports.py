"""What an importer hands the import service: sets read from another app's export.

Importers (``failwise/adapters/importers/``) read a file into
:class:`ParsedFile`; the import service stores it idempotently. Every problem
names the line of the file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from failwise.domain.effort import FailureKind
from failwise.services.records import SetType


@dataclass(frozen=True, slots=True)
class ImportedSet:
    """One set as an export describes it, with loads already converted to kg."""

    line: int
    """The line of the file it was read from (1 = the header)."""
    workout_start: datetime
    """When the workout began (naive, as the export writes it)."""
    workout_name: str
    exercise_name: str
    """The name as the app wrote it; resolved through the catalog on import."""
    set_index: int
    """0-based order of the set within its exercise in the workout."""
    load_kg: float | None
    """None for bodyweight or cardio rows that carry no weight."""
    reps: int | None
    rir: float | None = None
    """Logged effort (from RPE where the app has it); None when not logged."""
    set_type: SetType = SetType.WORKING
    to_failure: bool = False
    failure_kind: FailureKind | None = None
    target_reps: int | None = None
    target_rir: float | None = None
    target_load_kg: float | None = None
    distance_m: float | None = None
    seconds: float | None = None
    notes: str = ""
    workout_notes: str = ""
    workout_end: datetime | None = None
    logged_at: datetime | None = None
    """When the app says the set was done (Liftosaur records it per set), else None."""

    @property
    def is_cardio(self) -> bool:
        """A row of distance or time with no reps: kept in the report, not as a set."""
        return not self.reps and (self.distance_m is not None or self.seconds is not None)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    reason: str


@dataclass(slots=True)
class ParsedFile:
    """The sets an importer read, and the lines it could not read."""

    format: str
    """e.g. ``strong``, ``strong-semicolon``, ``strong-2019``, ``hevy``, ``fitnotes``,
    ``liftosaur``."""
    sets: list[ImportedSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    """Lines read and left out on purpose, with why: Strong's rest-timer rows,
    Liftosaur sets that were planned but never done. Not errors."""

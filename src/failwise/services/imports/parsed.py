"""What an importer hands the import service: sets read from another app's export.

Importers (``failwise/adapters/importers/``) read a file into
:class:`ParsedFile`; the import service (:mod:`failwise.services.imports.service`)
stores it idempotently. Every problem names the line of the file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from failwise.domain.effort import FailureKind
from failwise.services.records import SetType


@dataclass(slots=True)
class ImportedSet:
    """One set as an export describes it, with loads already converted to kg.

    Read-only by convention (:func:`dataclasses.replace` makes a changed copy): not
    frozen, as a frozen dataclass of this many fields costs four times as much to make,
    and an import makes one per row of the file.
    """

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
    """Logged effort; None when not logged. An app's RPE is read by Strong's RPE table,
    and the set's :attr:`notes` keep the RPE as logged (``RPE 8.5 (1.5 RIR)``): that
    mark is what says the RIR was converted."""
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
    # Fields only failwise's own export carries (a lossless round trip).
    target_rir_high: float | None = None
    """With ``target_rir`` as the low end, a target range; None means a single value."""
    test_reps_at_call: int | None = None
    test_predicted_rir: float | None = None
    rest_seconds: int | None = None
    workout_phase: str = "normal"
    key: str | None = None
    """The set's own idempotency key, when the export carries one."""
    rir_inferred: float | None = None
    source: str | None = None
    """Where the set first came from, when the export says (failwise's own does)."""

    @property
    def is_cardio(self) -> bool:
        """A row of distance or time with no reps: kept in the report, not as a set."""
        return not self.reps and (self.distance_m is not None or self.seconds is not None)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class BodyWeight:
    """The lifter's body weight on a day, as an export carries it (StrongLifts' does)."""

    line: int
    day: date
    kg: float


@dataclass(slots=True)
class ParsedFile:
    """The sets an importer read, and the lines it could not read."""

    format: str
    """e.g. ``strong``, ``strong-semicolon``, ``strong-2019``, ``hevy``, ``fitnotes``,
    ``liftosaur``, ``fitbod``, ``stronglifts``, ``alphaprogression``."""
    sets: list[ImportedSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    exercises: list[dict[str, Any]] = field(default_factory=list)
    """Custom exercises the file defines with their attributes (failwise's JSON export)."""
    body_weights: list[BodyWeight] = field(default_factory=list)
    """Body weights the file carries, in file order; the import keeps one a day."""
    """Lines read and left out on purpose, with why: Strong's rest-timer rows,
    Liftosaur sets that were planned but never done. Not errors."""

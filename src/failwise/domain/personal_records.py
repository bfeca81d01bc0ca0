"""Personal records: what a lifter looks for after a good set, as Strong and Hevy show them.

Per exercise, from the working sets:

- the **best estimated 1RM**, with the set that gave it (the e1RM every view shows,
  :func:`failwise.domain.session.set_e1rm`: the called RIR corrected by the lifter's
  calibration; a set without an RIR is taken at failure, a lower bound);
- the **rep records**: the most reps done at each load;
- the **heaviest load** lifted.

Warm-ups set no record. A record is broken only by beating it: of equal sets, the
first keeps it (the day it was first done). Records are a fold over the sets in the
order done, so a long history can be read in chunks: pass what the earlier chunks gave
as ``earlier``.

>>> day = datetime(2026, 11, 12)
>>> book = personal_records([
...     LiftedSet("squat", day, 140, 5, rir=2),
...     LiftedSet("squat", day, 120, 8, rir=2),
...     LiftedSet("squat", day, 180, 1, working=False),
... ])
>>> squat = book["squat"]
>>> round(squat.e1rm.e1rm, 1), squat.heaviest.load, [(r.load, r.reps) for r in squat.reps]
(172.6, 140, [(140, 5), (120, 8)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from failwise.domain.calibration import RirCorrector
from failwise.domain.session import set_e1rm, uncorrected

__all__ = [
    "E1rmRecord",
    "ExerciseRecords",
    "LiftedSet",
    "NewRecord",
    "RecordKind",
    "RepRecord",
    "personal_records",
    "records_broken",
]

Corrections = Callable[[str], RirCorrector]
"""For an exercise id, the map from a called RIR (and the set's reps) to the lifter's true RIR."""


def _uncorrected(_: str) -> RirCorrector:
    return uncorrected


@dataclass(frozen=True, slots=True)
class LiftedSet:
    """A set as the records read it (loads in kg)."""

    exercise_id: str
    performed_at: datetime
    load: float
    """Kilograms; 0 for bodyweight."""
    reps: int
    rir: float | None = None
    """Reps in reserve as the lifter called it; None when not logged."""
    to_failure: bool = False
    working: bool = True
    """False for a warm-up: it sets no record."""
    ref: int | None = None
    """What the caller knows the set by (a stored set's id)."""


@dataclass(frozen=True, slots=True)
class E1rmRecord:
    e1rm: float
    """Kilograms."""
    set: LiftedSet


@dataclass(frozen=True, slots=True)
class RepRecord:
    """The most reps done at one load."""

    load: float
    reps: int
    set: LiftedSet


@dataclass(frozen=True, slots=True)
class ExerciseRecords:
    exercise_id: str
    e1rm: E1rmRecord | None
    """None when no loaded set was done (bodyweight only)."""
    heaviest: LiftedSet | None
    """The first set at the heaviest load; None when no loaded set was done."""
    reps: tuple[RepRecord, ...]
    """One per load, heaviest load first."""
    sets: int
    """The working sets read."""

    def rep_record(self, load: float) -> RepRecord | None:
        """The rep record at ``load`` (to 10 g: 225 lb is 102.058 kg logged, 102.0583 imported)."""
        key = _load_key(load)
        return next((r for r in self.reps if _load_key(r.load) == key), None)


class RecordKind(StrEnum):
    E1RM = "e1rm"
    REPS = "reps"
    HEAVIEST = "heaviest"


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record the set just done beat."""

    kind: RecordKind
    value: float
    """The new best: an e1RM or a load (kg), or reps."""
    previous: float
    """The best it beat, in the same terms."""
    load: float
    """The set's load (kg): for a rep record, the load the reps were done at."""


def _load_key(load: float) -> float:
    return round(load, 2)


@dataclass(slots=True)
class _Book:
    """One exercise's records while the sets are read (frozen when returned)."""

    e1rm: E1rmRecord | None = None
    heaviest: LiftedSet | None = None
    reps: dict[float, RepRecord] = field(default_factory=dict)
    sets: int = 0
    # A lifter repeats the same sets (3 × 5 at 140, week after week): each distinct one's
    # e1RM is worked out once. One book is one exercise, read with one correction.
    _e1rms: dict[tuple[float, int, float | None, bool], float] = field(default_factory=dict)

    @classmethod
    def of(cls, records: ExerciseRecords) -> _Book:
        return cls(
            records.e1rm,
            records.heaviest,
            {_load_key(r.load): r for r in records.reps},
            records.sets,
        )

    def add(self, lifted: LiftedSet, corrected: RirCorrector) -> None:
        self.sets += 1
        key = _load_key(lifted.load)
        best = self.reps.get(key)
        if best is None or lifted.reps > best.reps:
            self.reps[key] = RepRecord(lifted.load, lifted.reps, lifted)
        if lifted.load <= 0:
            return  # bodyweight: reps, but no load and no e1RM
        if self.heaviest is None or key > _load_key(self.heaviest.load):
            self.heaviest = lifted
        same = (lifted.load, lifted.reps, lifted.rir, lifted.to_failure)
        value = self._e1rms.get(same)
        if value is None:
            value = self._e1rms[same] = _e1rm(lifted, corrected)
        if self.e1rm is None or value > self.e1rm.e1rm:
            self.e1rm = E1rmRecord(value, lifted)

    def frozen(self, exercise_id: str) -> ExerciseRecords:
        reps = tuple(self.reps[key] for key in sorted(self.reps, reverse=True))
        return ExerciseRecords(exercise_id, self.e1rm, self.heaviest, reps, self.sets)


def _e1rm(lifted: LiftedSet, corrected: RirCorrector) -> float:
    return set_e1rm(
        lifted.load, lifted.reps, lifted.rir, to_failure=lifted.to_failure, corrected=corrected
    )


def _counts(lifted: LiftedSet) -> bool:
    return lifted.working and lifted.reps >= 1


def personal_records(
    sets: Iterable[LiftedSet],
    *,
    corrections: Corrections = _uncorrected,
    earlier: Mapping[str, ExerciseRecords] | None = None,
) -> dict[str, ExerciseRecords]:
    """Each exercise's records from ``sets`` (in the order done), on top of ``earlier``.

    ``corrections`` gives, per exercise id, the lifter's map from a called RIR to the
    true one (their calibration), as every e1RM view reads it.

    >>> day = datetime(2026, 11, 12)
    >>> first = personal_records([LiftedSet("bench", day, 100, 5, rir=2)])
    >>> both = personal_records([LiftedSet("bench", day, 100, 6, rir=2)], earlier=first)
    >>> both["bench"].rep_record(100).reps, both["bench"].sets
    (6, 2)
    """
    books = {exercise: _Book.of(records) for exercise, records in (earlier or {}).items()}
    for lifted in sets:
        if not _counts(lifted):
            continue
        book = books.get(lifted.exercise_id)
        if book is None:
            book = books[lifted.exercise_id] = _Book()
        book.add(lifted, corrections(lifted.exercise_id))
    return {exercise: book.frozen(exercise) for exercise, book in books.items()}


def records_broken(
    lifted: LiftedSet,
    before: ExerciseRecords | None,
    *,
    corrected: RirCorrector = uncorrected,
) -> tuple[NewRecord, ...]:
    """The records ``lifted`` beats, against the exercise's records without it.

    Only a record there was something to beat: the first set of an exercise, or the
    first set at a load, breaks none (a rep record at a load never lifted says nothing).

    >>> day = datetime(2026, 11, 12)
    >>> before = personal_records([LiftedSet("bench", day, 100, 5, rir=2)])["bench"]
    >>> seven = LiftedSet("bench", day, 100, 7, rir=2)
    >>> [(r.kind.value, round(r.previous, 1)) for r in records_broken(seven, before)]
    [('e1rm', 123.3), ('reps', 5)]
    >>> records_broken(LiftedSet("bench", day, 100, 5, rir=2), before)
    ()
    """
    if before is None or not _counts(lifted):
        return ()
    broken = []
    beaten = before.e1rm
    if lifted.load > 0 and beaten is not None:
        value = _e1rm(lifted, corrected)
        if value > beaten.e1rm:
            broken.append(NewRecord(RecordKind.E1RM, value, beaten.e1rm, lifted.load))
    best = before.rep_record(lifted.load)
    if best is not None and lifted.reps > best.reps:
        broken.append(NewRecord(RecordKind.REPS, lifted.reps, best.reps, lifted.load))
    heaviest = before.heaviest
    if heaviest is not None and _load_key(lifted.load) > _load_key(heaviest.load):
        broken.append(NewRecord(RecordKind.HEAVIEST, lifted.load, heaviest.load, lifted.load))
    return tuple(broken)

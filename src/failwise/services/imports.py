"""What an importer hands the import service: sets read from another app's export.

Importers (``failwise/adapters/importers/``) read a file into
:class:`ParsedFile`; the import service stores it idempotently. Every problem
names the line of the file it came from.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from failwise.domain.analysis import HistorySet, inferred_rirs
from failwise.domain.calibration import SessionSet, history_tests
from failwise.domain.context import Phase
from failwise.domain.effort import FailureKind
from failwise.domain.errors import CatalogError, InvalidInput
from failwise.domain.exercises import (
    MAX_NAME,
    Catalog,
    Exercise,
    exercise_from_record,
    name_key,
)
from failwise.domain.guess import add_guessed
from failwise.domain.inputs import MAX_LOAD_KG, cleaned
from failwise.domain.physique import WEIGHT_RANGE_KG
from failwise.services.core import Core, history_set
from failwise.services.exercises import exercise_record
from failwise.services.ports import Store
from failwise.services.records import (
    EARLIEST_DAY,
    LATEST_DAY,
    Measurement,
    SetType,
    Workout,
    in_log_range,
    naive_utc,
)
from failwise.services.reported import MAX_KEY, MAX_NOTES, MAX_REPS, MAX_REST_SECONDS


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


# --- the import service -----------------------------------------------------------------

IMPORT_KEY_PREFIX = "import:"
_name_key = functools.lru_cache(maxsize=4096)(name_key)


class ImportRejected(InvalidInput):
    """A ``--strict`` import met problems: nothing was stored."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(f"line {p.line}: {p.reason}" for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(
            f"the file has {len(self.problems)} problem(s), nothing was imported: {shown}{more}"
        )


@dataclass(frozen=True, slots=True)
class ImportSummary:
    format: str
    workouts: int
    """Workouts in the file that brought new sets."""
    sets: int
    """Sets stored; on a dry run, the sets a real import of the same file would store."""
    exercises: int
    """Distinct exercises among the sets read."""
    custom_exercises: tuple[str, ...]
    """Names the catalog did not know: each became a custom exercise, never a lost set."""
    warmup_sets: int
    skipped: tuple[Problem, ...]
    """Every line read but not stored, with why."""
    duplicates: int
    """Sets already stored by an earlier import of the same history."""
    dry_run: bool = False
    guessed_exercises: tuple[str, ...] = ()
    """Those of :attr:`custom_exercises` whose attributes were guessed from the name
    alone (:mod:`failwise.domain.guess`): the lifter should check them."""
    body_weights: int = 0
    """Days of body weight added to the lifter's measurements (on a dry run, that a real
    import would add)."""
    calibration_tests: int = 0
    """RIR tests the stored sets hold: a logged call followed in its session by a set to
    failure at the same load (:func:`failwise.domain.calibration.history_tests`). The
    lifter's calibration counts them, at half a deliberate test each."""


def resolve_exercise(catalog: Catalog, name: str) -> tuple[Catalog, Exercise]:
    """The exercise an export, or a lifter, means by ``name``; with the catalog that holds it.

    The catalog's names and aliases first: a generic ``Leg Curl`` is its family's
    default, ``Lying Leg Curl (Machine)``. A name the catalog does not know becomes
    the lifter's own exercise, its attributes guessed from the name
    (:func:`failwise.domain.guess.add_guessed`), in the catalog returned with it:
    an unknown name is never a lost set (DESIGN.md, interop formats). Import and
    calibration resolve names by this one rule. Raises :class:`CatalogError` or
    :class:`InvalidInput` for a name no exercise could have (one of no words).

    >>> from failwise.services.catalog import builtin_catalog
    >>> catalog = builtin_catalog()
    >>> resolve_exercise(catalog, "Leg Curl")[1].name
    'Lying Leg Curl (Machine)'
    >>> grown, curl = resolve_exercise(catalog, "Leg Curl (Machine)")
    >>> curl.custom, curl.guessed, curl.equipment.value, curl.pattern.value
    (True, True, 'machine', 'knee-flexion')
    >>> resolve_exercise(grown, "leg curl (machine)")[1] is curl
    True
    """
    found = catalog.find(name)
    if found is not None:
        return catalog, found
    grown = add_guessed(catalog, name.strip())
    return grown, grown.exercises[-1]


def import_key(item: ImportedSet) -> str:
    """The same set in the same workout gets the same key in every export of it."""
    if item.key:
        return item.key
    identity = "|".join(
        (
            _minute(item.workout_start),
            _name_key(item.exercise_name),
            str(item.set_index),
            _KINDS[item.set_type],
        )
    )
    return IMPORT_KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:40]


_KINDS = {kind: kind.value for kind in SetType}
"""Each set type as it is stored and keyed (an enum's ``.value`` is a slow property)."""


@functools.lru_cache(maxsize=4096)
def _minute(start: datetime) -> str:
    """A workout's start as its sets' keys spell it (every set of a workout asks)."""
    return start.isoformat(timespec="minutes")


@dataclass(slots=True)
class _Tally:
    """One import as it goes: the lifter's catalog as the file grows it, and what became
    of each line."""

    catalog: Catalog
    skipped: list[Problem]
    custom: list[str] = field(default_factory=list)
    """The exercises the import added, in the order it added them."""
    guessed: set[str] = field(default_factory=set)
    fresh: list[tuple[ImportedSet, Exercise, str]] = field(default_factory=list)
    """The sets to store, each with its exercise and its key."""
    exercises: set[str] = field(default_factory=set)
    duplicates: int = 0
    warmups: int = 0
    body_weights: int = 0
    calibration_tests: int = 0

    def summary(self, format: str, workouts: int, *, dry_run: bool) -> ImportSummary:
        self.skipped.sort(key=lambda problem: problem.line)
        return ImportSummary(
            format=format,
            workouts=workouts,
            sets=len(self.fresh),
            exercises=len(self.exercises),
            custom_exercises=tuple(self.custom),
            warmup_sets=self.warmups,
            skipped=tuple(self.skipped),
            duplicates=self.duplicates,
            dry_run=dry_run,
            guessed_exercises=tuple(name for name in self.custom if name in self.guessed),
            body_weights=self.body_weights,
            calibration_tests=self.calibration_tests,
        )


class HistoryImporter:
    """Stores a :class:`ParsedFile` for one lifter in one transaction, idempotently."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def import_file(
        self,
        user_id: int,
        parsed: ParsedFile,
        *,
        strict: bool = False,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportSummary:
        if strict and parsed.problems:
            raise ImportRejected(parsed.problems)
        with self.core.stores() as store:
            tally = _Tally(self.core.catalog(store, user_id), [*parsed.problems, *parsed.skipped])
            # Sets that carry their own key (failwise's export) may match any stored key.
            own_keys = any(item.key for item in parsed.sets)
            known = store.keys_with_prefix(user_id, "" if own_keys else IMPORT_KEY_PREFIX)
            self._add_defined_exercises(store, user_id, parsed.exercises, tally, dry_run=dry_run)
            self._tally_sets(
                store, user_id, parsed.sets, known, tally, dry_run=dry_run, progress=progress
            )
            tally.calibration_tests = _calibration_tests(tally.fresh)
            inferred = self._infer(store, user_id, tally.catalog, tally.fresh)
            workouts = self._store(store, user_id, parsed.format, tally.fresh, inferred, dry_run)
            self._add_body_weights(store, user_id, parsed.body_weights, tally, dry_run=dry_run)
            if dry_run:
                store.rollback()
            else:
                store.history_changed(user_id)
                store.commit()
        return tally.summary(parsed.format, workouts, dry_run=dry_run)

    @staticmethod
    def _add_body_weights(
        store: Store,
        user_id: int,
        weights: Sequence[BodyWeight],
        tally: _Tally,
        *,
        dry_run: bool,
    ) -> None:
        """The file's body weights into the lifter's measurements, one a day: the first the
        file gives for a day, and none for a day that already has a body weight (the
        lifter's own, or an earlier import's), so importing the file again adds nothing.
        A weight outside what a lifter weighs is left out, with its line."""
        low, high = WEIGHT_RANGE_KG
        if not weights:
            return
        days = {m.measured_on for m in store.measurements(user_id) if m.body_weight_kg}
        for weight in weights:
            if weight.day in days:
                continue
            if not low <= weight.kg <= high:
                tally.skipped.append(
                    Problem(
                        weight.line,
                        f"the body weight {weight.kg:g} kg is out of range "
                        f"({low:g} to {high:g} kg): it is not kept",
                    )
                )
                continue
            days.add(weight.day)
            tally.body_weights += 1
            if not dry_run:
                store.add_measurement(
                    user_id, Measurement(measured_on=weight.day, body_weight_kg=weight.kg)
                )

    @staticmethod
    def _add_defined_exercises(
        store: Store,
        user_id: int,
        records: Sequence[dict[str, Any]],
        tally: _Tally,
        *,
        dry_run: bool,
    ) -> None:
        """The custom exercises the file defines with their attributes, those the lifter
        does not have yet added to the catalog."""
        for record in records:
            name = str(record.get("name", ""))
            if name and tally.catalog.find(name) is None:
                try:
                    defined = exercise_from_record(record)
                    tally.catalog = Catalog((*tally.catalog.exercises, defined))
                except CatalogError as error:  # its id or a name is another exercise's
                    tally.skipped.append(
                        Problem(1, f"the custom exercise {name!r} was not added: {error}")
                    )
                    continue
                tally.custom.append(name)
                if defined.guessed:
                    tally.guessed.add(name)
                if not dry_run:
                    store.add_custom_exercise(user_id, record)

    def _tally_sets(
        self,
        store: Store,
        user_id: int,
        sets: Sequence[ImportedSet],
        known: set[str],
        tally: _Tally,
        *,
        dry_run: bool,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        """Each set read into the tally: left out with why, a duplicate, or a set to store."""
        total = len(sets)
        # An export names each exercise thousands of times: resolve each name once.
        resolved: dict[str, Exercise] = {}
        seen: set[str] = set()
        for done, item in enumerate(sets, start=1):
            if progress is not None and done % 5000 == 0:
                progress(done, total)
            item = _cleaned(item)
            reason = _unstorable(item)
            if reason is not None:
                tally.skipped.append(Problem(item.line, reason))
                continue
            exercise = resolved.get(item.exercise_name)
            if exercise is None:
                exercise = self._exercise_for(store, user_id, item, tally, dry_run=dry_run)
                if exercise is None:
                    continue
                resolved[item.exercise_name] = exercise
            tally.exercises.add(exercise.id)
            key = import_key(item)
            if key in known or key in seen:
                tally.duplicates += 1
                continue
            seen.add(key)
            tally.warmups += item.set_type is SetType.WARM_UP
            tally.fresh.append((item, exercise, key))
        if progress is not None:
            progress(total, total)

    @staticmethod
    def _exercise_for(
        store: Store, user_id: int, item: ImportedSet, tally: _Tally, *, dry_run: bool
    ) -> Exercise | None:
        """The exercise a set names, added as the lifter's own when the catalog does not
        know the name; None, with the line left out, for a name no exercise could have."""
        try:
            grown, exercise = resolve_exercise(tally.catalog, item.exercise_name)
        except (CatalogError, InvalidInput) as error:  # a name of no words
            tally.skipped.append(Problem(item.line, f"not a name for a new exercise: {error}"))
            return None
        if grown is not tally.catalog:
            tally.catalog = grown
            tally.custom.append(exercise.name)
            tally.guessed.add(exercise.name)
            if not dry_run:
                store.add_custom_exercise(user_id, exercise_record(exercise))
        return exercise

    def _infer(
        self,
        store: Store,
        user_id: int,
        catalog: Catalog,
        fresh: Sequence[tuple[ImportedSet, Exercise, str]],
    ) -> list[float | None]:
        """Inferred RIR for each new set that came without an effort.

        Only working sets are handed to the inference: it gives a warm-up none, and
        leaves it out of the capacity it infers from.
        """
        ids = sorted({exercise.id for _, exercise, _ in fresh})
        history = [
            history_set(s, catalog) for s in (store.sets(user_id, exercise_ids=ids) if ids else [])
        ]
        offset = len(history)
        working = [i for i, (item, _, _) in enumerate(fresh) if item.set_type.counts_as_work]
        for index in working:
            item, exercise, _ = fresh[index]
            history.append(
                HistorySet(
                    performed_at=item.logged_at or item.workout_start,
                    exercise=exercise,
                    load=item.load_kg or 0.0,
                    reps=item.reps or 0,
                    rir=item.rir,
                    to_failure=item.to_failure,
                )
            )
        inferred: list[float | None] = [None] * len(fresh)
        for index, rir in zip(working, inferred_rirs(history)[offset:], strict=True):
            inferred[index] = rir
        return inferred

    def _store(
        self,
        store: Store,
        user_id: int,
        source: str,
        fresh: Sequence[tuple[ImportedSet, Exercise, str]],
        inferred: Sequence[float | None],
        dry_run: bool,
    ) -> int:
        by_start: dict[datetime, list[int]] = defaultdict(list)
        for index, (item, _, _) in enumerate(fresh):
            by_start[item.workout_start].append(index)
        if dry_run:
            return len(by_start)
        existing = store.workouts_by_start(user_id)
        missing = [start for start in by_start if start not in existing]
        created = store.add_workouts(
            user_id, [_workout(start, [fresh[i][0] for i in by_start[start]]) for start in missing]
        )
        ids = {start: w.id for start, w in existing.items()}
        ids.update({w.started_at: w.id for w in created})
        positions = store.last_positions(user_id, [ids[s] for s in by_start if s in existing])
        family = source.split("-")[0]
        rows = []
        for start, indexes in by_start.items():
            workout_id = ids[start]
            position = positions.get(workout_id, 0)
            for index in indexes:
                item, exercise, key = fresh[index]
                position += 1
                own = item.rir_inferred
                rows.append(
                    _set_row(
                        item,
                        workout_id,
                        position,
                        exercise,
                        key,
                        own if own is not None else inferred[index],
                        item.source or family,
                    )
                )
        store.add_set_rows(user_id, rows, now=self.core.clock())
        return len(by_start)


def _calibration_tests(fresh: Sequence[tuple[ImportedSet, Exercise, str]]) -> int:
    """How many RIR tests the new sets hold, workout by workout, as the calibration reads
    them from the stored sets (:func:`failwise.services.core.history_pairs`)."""
    sessions: dict[datetime, list[SessionSet]] = defaultdict(list)
    for item, exercise, _ in fresh:
        if item.set_type is SetType.WORKING and item.reps:
            sessions[item.workout_start].append(
                SessionSet(
                    exercise=exercise,
                    load=item.load_kg or 0.0,
                    reps=item.reps,
                    rir=item.rir,
                    to_failure=item.to_failure,
                )
            )
    return sum(len(history_tests(session)) for session in sessions.values())


# What a stored set can hold is what a logged set may hold (services.reported, the
# domain's inputs); an export beyond it is a corrupt line, not a set.
MAX_SOURCE = 32


_NUMBERS: tuple[tuple[str, float, float], ...] = (
    ("reps", 1, MAX_REPS),
    ("target reps", 0, MAX_REPS),
    ("reps at the RIR call", 0, MAX_REPS),
    ("load", 0, MAX_LOAD_KG),
    ("target load", 0, MAX_LOAD_KG),
    ("rest", 0, MAX_REST_SECONDS),
    ("RIR", 0, 10),
    ("target RIR", 0, 10),
    ("target RIR", 0, 10),
    ("called RIR", 0, 10),
    ("inferred RIR", 0, 10),
)
"""What each of :data:`_numbers` is called in a problem, and the range it must be in."""
_numbers = operator.attrgetter(
    "reps",
    "target_reps",
    "test_reps_at_call",
    "load_kg",
    "target_load_kg",
    "rest_seconds",
    "rir",
    "target_rir",
    "target_rir_high",
    "test_predicted_rir",
    "rir_inferred",
)


def _out_of_range(item: ImportedSet) -> str | None:
    for index, value in enumerate(_numbers(item)):
        if value is not None:  # most are: a set read from an export has few numbers
            name, low, high = _NUMBERS[index]
            if not low <= value <= high:
                return f"the {name} {value:g} is out of range ({low:g} to {high:g})"
    texts = (
        ("exercise name", item.exercise_name, MAX_NAME),
        ("set key", item.key or "", MAX_KEY),
        ("source", item.source or "", MAX_SOURCE),
    )
    for name, text, longest in texts:
        if len(text) > longest:
            return f"the {name} is longer than {longest} characters"
    return None


def _cleaned(item: ImportedSet) -> ImportedSet:
    """The set with what cannot be stored or shown dropped from its texts: another app's
    file may carry a stray NUL or escape sequence, and a set is worth more than a byte.

    The same set when there is nothing to drop: printable text holds no control
    character, NUL or lone surrogate, and most sets' texts are printable and short.
    """
    name, notes = item.exercise_name, item.notes
    workout_name, workout_notes = item.workout_name, item.workout_notes
    if (
        len(name) <= MAX_NAME
        and len(workout_name) <= MAX_NAME
        and len(notes) <= MAX_NOTES
        and len(workout_notes) <= MAX_NOTES
        and name.isprintable()
        and workout_name.isprintable()
        and notes.isprintable()
        and workout_notes.isprintable()
    ):
        return item
    return replace(
        item,
        exercise_name=_cleaned_text(name, max_length=MAX_NAME, multiline=False),
        notes=_cleaned_text(notes, max_length=MAX_NOTES),
        workout_notes=_cleaned_text(workout_notes, max_length=MAX_NOTES),
        workout_name=_cleaned_text(workout_name, max_length=MAX_NAME, multiline=False),
    )


# A workout's name and notes come with each of its sets: each text is cleaned once.
_cleaned_text = functools.lru_cache(maxsize=1024)(cleaned)


@functools.lru_cache(maxsize=4096)
def _in_log_range(moment: datetime) -> bool:
    """:func:`in_log_range` of a moment's day, once per moment (a workout's sets share
    its start and end)."""
    return in_log_range(moment.date())


def _unstorable(item: ImportedSet) -> str | None:
    if item.is_cardio:
        return "a cardio or timed row (distance or time, no reps): not a strength set"
    if not item.reps:
        return "a failed attempt with 0 reps: kept out of the log"
    if item.load_kg is not None and item.load_kg < 0:
        return f"a negative load ({item.load_kg:g} kg, an assisted set?) cannot be stored"
    too_much = _out_of_range(item)
    if too_much is not None:
        return too_much + ": the set cannot be stored"
    for moment in (item.workout_start, item.workout_end, item.logged_at):
        if moment is not None and not _in_log_range(moment):
            return (
                f"the date {moment.date().isoformat()} is outside the dates a training log "
                f"holds ({EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()})"
            )
    return None


def _workout(start: datetime, items: Sequence[ImportedSet]) -> Workout:
    first = items[0]
    ends = [i.workout_end for i in items if i.workout_end] + [
        i.logged_at for i in items if i.logged_at
    ]
    try:
        phase = Phase(first.workout_phase)
    except ValueError:
        phase = Phase.NORMAL
    return Workout(
        id=0,
        user_id=0,
        started_at=start,
        finished_at=max(ends) if ends else start,
        phase=phase,
        notes=first.workout_notes,
        name=first.workout_name,
    )


def _set_row(
    item: ImportedSet,
    workout_id: int,
    position: int,
    exercise: Exercise,
    key: str,
    inferred: float | None,
    source: str,
) -> tuple[Any, ...]:
    """The set as the store takes it: the values of
    :data:`~failwise.services.records.SET_ROW_FIELDS`, in that order.

    The logged RIR and the inferred one go to their own columns: an inferred RIR is a
    floor, never mistaken for an effort the lifter logged.
    """
    low = item.target_rir
    high = item.target_rir_high if item.target_rir_high is not None else low
    kind = item.failure_kind
    return (
        workout_id,
        position,
        naive_utc(item.logged_at or item.workout_start),
        exercise.id,
        item.load_kg or 0.0,
        item.reps or 0,
        item.rir,
        inferred,
        _KINDS[item.set_type],
        item.to_failure,
        None if kind is None else kind.value,
        item.target_load_kg,
        item.target_reps,
        low,
        high,
        item.test_reps_at_call,
        item.test_predicted_rir,
        item.rest_seconds,
        item.notes,
        key,
        source,
        None,  # an imported set carries out no planned set
    )

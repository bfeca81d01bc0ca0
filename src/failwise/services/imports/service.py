"""The import service: a :class:`~failwise.services.imports.parsed.ParsedFile` stored for
one lifter in one transaction, idempotently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from failwise.domain.analysis import HistorySet, inferred_rirs
from failwise.domain.calibration import SessionSet, history_tests
from failwise.domain.context import Phase
from failwise.domain.errors import CatalogError, InvalidInput
from failwise.domain.exercises import (
    Catalog,
    Exercise,
    exercise_from_record,
)
from failwise.domain.guess import add_guessed
from failwise.domain.physique import WEIGHT_RANGE_KG
from failwise.services.core import Core, history_set
from failwise.services.exercises import exercise_record
from failwise.services.imports.checks import cleaned_set, unstorable
from failwise.services.imports.collector import collector_paused
from failwise.services.imports.keys import IMPORT_KEY_PREFIX, KINDS, import_key
from failwise.services.imports.parsed import BodyWeight, ImportedSet, ParsedFile, Problem
from failwise.services.ports import Store
from failwise.services.records import (
    Measurement,
    SetType,
    Workout,
    naive_utc,
)


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
        with collector_paused(), self.core.stores() as store:
            if not dry_run:
                # The lifter's writes in line: an import running beside this one (the same
                # file sent twice) waits, then finds every key this one stored.
                store.lock_lifter(user_id)
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
            item = cleaned_set(item)
            reason = unstorable(item)
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
        KINDS[item.set_type],
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
        None,  # nor was it logged under a count of sets
    )

"""Exercises and the catalog that resolves the names lifters and apps use.

The catalog's data is a plain list of records (``failwise/data/exercises.toml``
ships the built-in one); :meth:`Catalog.from_records` validates it. Names
resolve forgivingly: case, punctuation, word order, plurals, and equipment in
brackets or in front do not matter.

>>> catalog = Catalog.from_records([{
...     "id": "barbell-bench-press", "name": "Bench Press (Barbell)",
...     "aliases": ["Flat Bench"], "pattern": "horizontal-push",
...     "mechanics": "compound", "equipment": "barbell", "fixed_path": False,
...     "heavy_compound": True, "injury_risk": "moderate", "needs_spotter": True,
...     "primary": ["chest"], "secondary": ["triceps", "shoulders"],
...     "increment_kg": 2.5}])
>>> catalog.resolve("barbell bench press").id
'barbell-bench-press'
>>> catalog.resolve("BENCH PRESS - BARBELL").name
'Bench Press (Barbell)'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal, TypeVar

from failwise.domain.errors import CatalogError, InvalidInput, UnknownExercise
from failwise.domain.inputs import text

# Re-exported: callers import the name rules from here, as they did before names.py.
from failwise.domain.names import ABBREVIATIONS as ABBREVIATIONS
from failwise.domain.names import expand_abbreviations as expand_abbreviations
from failwise.domain.names import name_key as name_key
from failwise.domain.names import name_tokens, word_rank

_E = TypeVar("_E", bound=StrEnum)

MAX_NAME = 200
"""The longest exercise name: the longest in any app's export is under 80 characters."""


class Mechanics(StrEnum):
    COMPOUND = "compound"
    """Several joints move: squats, presses, rows."""
    ISOLATION = "isolation"
    """One joint moves: curls, lateral raises, leg extensions."""


class Equipment(StrEnum):
    BARBELL = "barbell"
    EZ_BAR = "ez-bar"
    TRAP_BAR = "trap-bar"
    DUMBBELL = "dumbbell"
    MACHINE = "machine"
    CABLE = "cable"
    SMITH_MACHINE = "smith-machine"
    BODYWEIGHT = "bodyweight"
    KETTLEBELL = "kettlebell"
    BAND = "band"


class InjuryRisk(StrEnum):
    """How likely the exercise is to hurt when form breaks down near failure."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Muscle(StrEnum):
    CHEST = "chest"
    BACK = "back"
    SHOULDERS = "shoulders"
    BICEPS = "biceps"
    TRICEPS = "triceps"
    FOREARMS = "forearms"
    TRAPS = "traps"
    ABS = "abs"
    LOWER_BACK = "lower-back"
    GLUTES = "glutes"
    QUADS = "quads"
    HAMSTRINGS = "hamstrings"
    ADDUCTORS = "adductors"
    CALVES = "calves"


class Pattern(StrEnum):
    """The movement pattern: what a plan's roles choose exercises by. The high-frequency
    rule counts each exercise on its own, not its pattern
    (:func:`failwise.domain.context.movement_of`)."""

    SQUAT = "squat"
    HINGE = "hinge"
    LUNGE = "lunge"
    LEG_PRESS = "leg-press"
    KNEE_EXTENSION = "knee-extension"
    KNEE_FLEXION = "knee-flexion"
    HIP_THRUST = "hip-thrust"
    HIP_ABDUCTION = "hip-abduction"
    HIP_ADDUCTION = "hip-adduction"
    CALF_RAISE = "calf-raise"
    HORIZONTAL_PUSH = "horizontal-push"
    VERTICAL_PUSH = "vertical-push"
    FLY = "fly"
    LATERAL_RAISE = "lateral-raise"
    REAR_DELT = "rear-delt"
    HORIZONTAL_PULL = "horizontal-pull"
    VERTICAL_PULL = "vertical-pull"
    PULLOVER = "pullover"
    SHRUG = "shrug"
    CURL = "curl"
    TRICEPS_EXTENSION = "triceps-extension"
    WRIST = "wrist"
    CORE = "core"
    CARRY = "carry"


@dataclass(frozen=True, slots=True)
class Exercise:
    """An exercise and the attributes the decision rules read."""

    id: str
    """A stable slug, e.g. ``barbell-bench-press``."""
    name: str
    """The display name, in the ``Movement (Equipment)`` style lifters' apps export."""
    pattern: Pattern
    mechanics: Mechanics
    equipment: Equipment
    fixed_path: bool
    """The machine guides the movement: form cannot drift at failure."""
    heavy_compound: bool
    """Squat, bench, deadlift, overhead press and their heavy barbell kin."""
    injury_risk: InjuryRisk
    """The risk of injury when form breaks down near failure."""
    needs_spotter: bool
    """Failing alone is dangerous (the bar can pin the lifter)."""
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...] = ()
    increment_kg: float = 2.5
    """The smallest sensible load step on this exercise."""
    aliases: tuple[str, ...] = ()
    custom: bool = False
    """Added by a lifter, not part of the built-in catalog."""
    guessed: bool = False
    """Its attributes were guessed from its name (:mod:`failwise.domain.guess`), and
    the lifter has not checked them yet."""

    @property
    def is_isolation(self) -> bool:
        return self.mechanics is Mechanics.ISOLATION

    @property
    def muscles(self) -> tuple[Muscle, ...]:
        return self.primary + self.secondary


ExerciseGroup = Literal["heavy-compound", "compound", "isolation"]
"""The article's three groups of exercise: heavy compounds, other compounds, isolation."""


class ExerciseClass(StrEnum):
    """What class of exercise a lift is: the one place that sorts exercises so.

    >>> ExerciseClass.MACHINE_COMPOUND.group
    'compound'
    >>> ExerciseClass.HEAVY_COMPOUND == "heavy-compound"
    True
    """

    HEAVY_COMPOUND = "heavy-compound"
    """Squat, bench, deadlift, overhead press and their heavy barbell kin."""
    FREE_COMPOUND = "free-compound"
    """Another compound whose path the lifter controls: rows, lunges, dips."""
    MACHINE_COMPOUND = "machine-compound"
    """A compound on a fixed path: leg press, machine press."""
    ISOLATION = "isolation"
    """One joint moves: curls, lateral raises, leg extensions."""

    @property
    def group(self) -> ExerciseGroup:
        """The article's group: free and machine compounds are both ``compound``."""
        if self is ExerciseClass.HEAVY_COMPOUND:
            return "heavy-compound"
        return "isolation" if self is ExerciseClass.ISOLATION else "compound"


def class_of(exercise: Exercise) -> ExerciseClass:
    """The class of ``exercise``: a heavy compound first, then by mechanics and path."""
    if exercise.heavy_compound:
        return ExerciseClass.HEAVY_COMPOUND
    if exercise.mechanics is Mechanics.ISOLATION:
        return ExerciseClass.ISOLATION
    return ExerciseClass.MACHINE_COMPOUND if exercise.fixed_path else ExerciseClass.FREE_COMPOUND


_REQUIRED = (
    "id",
    "name",
    "pattern",
    "mechanics",
    "equipment",
    "fixed_path",
    "heavy_compound",
    "injury_risk",
    "needs_spotter",
    "primary",
)
_OPTIONAL = ("secondary", "increment_kg", "aliases", "custom", "guessed")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def exercise_from_record(record: Mapping[str, Any]) -> Exercise:
    """Build an :class:`Exercise` from a plain mapping, checking every field.

    Raises :class:`CatalogError` naming the exercise and the field at fault.
    """
    label = str(record.get("id") or record.get("name") or "<no id>")
    _check_fields(record, label)
    slug = record["id"]
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise CatalogError(f"exercise {label!r}: id must be a lowercase slug like 'leg-press'")
    name = record["name"]
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"exercise {label!r}: name must be a non-empty string")
    primary, secondary = _record_muscles(record, label)
    increment_kg = _record_increment(record, label)
    aliases = _record_aliases(record, label)
    return Exercise(
        id=slug,
        name=name.strip(),
        pattern=_record_enum(Pattern, "pattern", record["pattern"], label),
        mechanics=_record_enum(Mechanics, "mechanics", record["mechanics"], label),
        equipment=_record_enum(Equipment, "equipment", record["equipment"], label),
        fixed_path=_record_flag(record, "fixed_path", label),
        heavy_compound=_record_flag(record, "heavy_compound", label),
        injury_risk=_record_enum(InjuryRisk, "injury_risk", record["injury_risk"], label),
        needs_spotter=_record_flag(record, "needs_spotter", label),
        primary=primary,
        secondary=secondary,
        increment_kg=increment_kg,
        aliases=aliases,
        custom=_record_flag(record, "custom", label),
        guessed=_record_flag(record, "guessed", label),
    )


def _check_fields(record: Mapping[str, Any], label: str) -> None:
    """:class:`CatalogError` for a required field missing or a field no exercise has."""
    missing = [key for key in _REQUIRED if key not in record]
    if missing:
        raise CatalogError(f"exercise {label!r}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise CatalogError(f"exercise {label!r}: unknown field(s) {', '.join(unknown)}")


def _record_enum(kind: type[_E], key: str, value: Any, label: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise CatalogError(f"exercise {label!r}: {key} {value!r} is not one of {allowed}") from None


def _record_flag(record: Mapping[str, Any], key: str, label: str) -> bool:
    value = record.get(key, False)
    if not isinstance(value, bool):
        raise CatalogError(f"exercise {label!r}: {key} must be true or false")
    return value


def _record_muscle_list(record: Mapping[str, Any], key: str, label: str) -> tuple[Muscle, ...]:
    values = record.get(key, ())
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise CatalogError(f"exercise {label!r}: {key} must be a list of muscles")
    return tuple(_record_enum(Muscle, key, value, label) for value in values)


def _record_muscles(
    record: Mapping[str, Any], label: str
) -> tuple[tuple[Muscle, ...], tuple[Muscle, ...]]:
    """The primary and secondary muscles: at least one primary, none in both."""
    primary = _record_muscle_list(record, "primary", label)
    if not primary:
        raise CatalogError(f"exercise {label!r}: needs at least one primary muscle")
    secondary = _record_muscle_list(record, "secondary", label)
    if set(primary) & set(secondary):
        raise CatalogError(f"exercise {label!r}: a muscle is both primary and secondary")
    return primary, secondary


def _record_increment(record: Mapping[str, Any], label: str) -> float:
    increment = record.get("increment_kg", 2.5)
    if isinstance(increment, bool) or not isinstance(increment, int | float) or increment <= 0:
        raise CatalogError(f"exercise {label!r}: increment_kg must be a positive number")
    return float(increment)


def _record_aliases(record: Mapping[str, Any], label: str) -> tuple[str, ...]:
    aliases = record.get("aliases", ())
    if isinstance(aliases, str) or not all(isinstance(alias, str) for alias in aliases):
        raise CatalogError(f"exercise {label!r}: aliases must be a list of names")
    return tuple(alias.strip() for alias in aliases)


def exercise_to_record(exercise: Exercise) -> dict[str, Any]:
    """The plain record of an exercise (what :func:`exercise_from_record` reads back)."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "aliases": list(exercise.aliases),
        "pattern": exercise.pattern.value,
        "mechanics": exercise.mechanics.value,
        "equipment": exercise.equipment.value,
        "fixed_path": exercise.fixed_path,
        "heavy_compound": exercise.heavy_compound,
        "injury_risk": exercise.injury_risk.value,
        "needs_spotter": exercise.needs_spotter,
        "primary": [m.value for m in exercise.primary],
        "secondary": [m.value for m in exercise.secondary],
        "increment_kg": exercise.increment_kg,
        "custom": exercise.custom,
        "guessed": exercise.guessed,
    }


CORRECTABLE = (
    "equipment",
    "mechanics",
    "pattern",
    "primary",
    "secondary",
    "fixed_path",
    "heavy_compound",
    "injury_risk",
    "needs_spotter",
    "increment_kg",
)
"""The attributes a lifter may correct on their own exercise."""
_MACHINES = (Equipment.MACHINE, Equipment.SMITH_MACHINE)


def _member(kind: type[_E], value: _E | str | None, label: str) -> _E | None:
    """``value`` as a member of ``kind`` (None for none); :class:`InvalidInput` if not one."""
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{label} {value!r} is not one of {allowed}", field=label) from None


_DOCTEST: dict[str, Any] = {
    "pattern": "horizontal-push",
    "mechanics": "compound",
    "equipment": "barbell",
    "fixed_path": False,
    "heavy_compound": False,
    "injury_risk": "moderate",
    "needs_spotter": False,
    "primary": ["chest"],
}
"""The attributes the doctests' small catalogs share."""


@dataclass(frozen=True)
class Catalog:
    """An immutable set of exercises with forgiving name resolution."""

    exercises: tuple[Exercise, ...]
    _by_id: dict[str, Exercise] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Exercise] = {}
        by_key: dict[str, Exercise] = {}
        for exercise in self.exercises:
            if exercise.id in by_id:
                raise CatalogError(f"exercise id {exercise.id!r} appears twice")
            by_id[exercise.id] = exercise
        for exercise in self.exercises:
            for label in (exercise.id.replace("-", " "), exercise.name, *exercise.aliases):
                key = name_key(label)
                if not key:
                    raise CatalogError(f"exercise {exercise.id!r}: name {label!r} has no words")
                owner = by_key.setdefault(key, exercise)
                if owner is not exercise:
                    raise CatalogError(
                        f"name {label!r} of {exercise.id!r} already names {owner.id!r}"
                    )
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_key", by_key)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Catalog:
        return cls(tuple(exercise_from_record(record) for record in records))

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; raises :class:`UnknownExercise` otherwise."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise UnknownExercise(exercise_id, self.closest(exercise_id)) from None

    def resolve(self, name: str) -> Exercise:
        """The exercise a lifter or an app means by ``name``.

        Raises :class:`UnknownExercise` listing the closest names, and
        :class:`InvalidInput` for a name no exercise could have.
        """
        text(name, "exercise", max_length=MAX_NAME)
        if name in self._by_id:
            return self._by_id[name]
        found = self._by_key.get(name_key(name))
        if found is None:
            raise UnknownExercise(name, self.closest(name))
        return found

    def find(self, name: str) -> Exercise | None:
        """Like :meth:`resolve`, but ``None`` for an unknown name."""
        if name in self._by_id:
            return self._by_id[name]
        return self._by_key.get(name_key(name))

    def closest(self, name: str, limit: int = 5) -> tuple[str, ...]:
        """Display names of the exercises whose names are most like ``name``."""
        wanted = name_key(name)
        keys = difflib.get_close_matches(wanted, list(self._by_key), n=limit * 3, cutoff=0.5)
        if not keys:
            words = set(wanted.split())
            ranked = sorted(
                self._by_key,
                key=lambda key: (-len(words & set(key.split())), key),
            )
            keys = [key for key in ranked[: limit * 3] if words & set(key.split())]
        names: list[str] = []
        for key in keys:
            display = self._by_key[key].name
            if display not in names:
                names.append(display)
        return tuple(names[:limit])

    def search(
        self,
        query: str = "",
        *,
        muscle: Muscle | str | None = None,
        equipment: Equipment | str | None = None,
        limit: int | None = None,
        closest: bool = True,
    ) -> tuple[Exercise, ...]:
        """The exercises a lifter means by what they typed, the likeliest first.

        Case, word order and lifters' shorthand (:data:`ABBREVIATIONS`) do not
        matter, and a word may be cut short ("inc db" is an incline dumbbell
        exercise). The ranking: the exercise the whole text names; then those
        whose display name holds every word, then those with an alias that does,
        then those where the words are spread over names, muscles, equipment and
        movement pattern ("curl cable"); within each, whole words before cut-short
        ones, then the catalog's order (the common variant first). Only when no
        exercise holds every word do the names most like the text follow
        (:meth:`closest`), unless ``closest`` is false. ``muscle`` keeps the
        exercises that train it as a primary muscle, ``equipment`` those done
        with it; an empty query lists every exercise that passes the filters.

        >>> catalog = Catalog.from_records([
        ...     dict(_DOCTEST, id="barbell-bench-press", name="Bench Press (Barbell)"),
        ...     dict(_DOCTEST, id="bench-dip", name="Bench Dip", equipment="bodyweight"),
        ...     dict(_DOCTEST, id="dumbbell-bench-press", name="Bench Press (Dumbbell)",
        ...          equipment="dumbbell")])
        >>> [e.id for e in catalog.search("db bench")]
        ['dumbbell-bench-press']
        >>> [e.id for e in catalog.search("Bench", equipment="barbell")]
        ['barbell-bench-press']
        >>> [e.name for e in catalog.search("press bench")]
        ['Bench Press (Barbell)', 'Bench Press (Dumbbell)']
        """
        wanted_muscle = _member(Muscle, muscle, "muscle")
        wanted_equipment = _member(Equipment, equipment, "equipment")
        text(query, "query", max_length=MAX_NAME)

        def passes(exercise: Exercise) -> bool:
            return (wanted_muscle is None or wanted_muscle in exercise.primary) and (
                wanted_equipment is None or exercise.equipment is wanted_equipment
            )

        candidates = [exercise for exercise in self.exercises if passes(exercise)]
        spelled = expand_abbreviations(query)
        words = name_tokens(spelled)
        if not words:
            return tuple(candidates[:limit])
        ranked = _ranked(candidates, words, exact=self.find(query) or self.find(spelled))
        if ranked:
            return ranked[:limit]
        if not closest:
            return ()
        similar = (self.find(name) for name in self.closest(spelled, limit=limit or 5))
        return tuple(exercise for exercise in similar if exercise is not None and passes(exercise))

    def with_custom(self, exercise: Exercise) -> Catalog:
        """A new catalog that also holds ``exercise`` (marked as custom)."""
        return Catalog((*self.exercises, replace(exercise, custom=True)))

    def add_custom(
        self,
        name: str,
        *,
        primary: Sequence[Muscle | str],
        equipment: Equipment | str,
        secondary: Sequence[Muscle | str] = (),
        mechanics: Mechanics | str = Mechanics.COMPOUND,
        pattern: Pattern | str | None = None,
        fixed_path: bool | None = None,
        heavy_compound: bool = False,
        injury_risk: InjuryRisk | str = InjuryRisk.LOW,
        needs_spotter: bool = False,
        increment_kg: float = 2.5,
        aliases: Sequence[str] = (),
        guessed: bool = False,
    ) -> Catalog:
        """A new catalog with a lifter's own exercise added.

        Unknown attributes take cautious defaults (compound, low risk, no
        spotter needed); ``fixed_path`` defaults to whether the equipment is a
        machine. ``guessed`` marks attributes that were guessed from the name
        (:func:`failwise.domain.guess.add_guessed`), for the lifter to check.
        """
        candidate = self._new_id(name)
        equipment_value = Equipment(equipment)
        mechanics_value = Mechanics(mechanics)
        if pattern is None:
            pattern = Pattern.CORE if not primary else _default_pattern(Muscle(primary[0]))
        record = {
            "id": candidate,
            "name": name,
            "pattern": Pattern(pattern),
            "mechanics": mechanics_value,
            "equipment": equipment_value,
            "fixed_path": equipment_value in _MACHINES if fixed_path is None else fixed_path,
            "heavy_compound": heavy_compound,
            "injury_risk": InjuryRisk(injury_risk),
            "needs_spotter": needs_spotter,
            "primary": list(primary),
            "secondary": list(secondary),
            "increment_kg": increment_kg,
            "aliases": list(aliases),
            "custom": True,
            "guessed": guessed,
        }
        try:
            exercise = exercise_from_record(record)
        except CatalogError as error:
            raise InvalidInput(str(error)) from None
        return self.with_custom(exercise)

    def _new_id(self, name: str) -> str:
        """A free id for a new exercise ``name``; :class:`InvalidInput` if it can have none."""
        text(name, "name", max_length=MAX_NAME)
        slug = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
        if not slug:
            raise InvalidInput(
                f"custom exercise name {name!r} has no letters or digits", field="name"
            )
        existing = self.find(name)
        if existing is not None:
            raise InvalidInput(
                f"{name!r} already names {existing.name!r} in the catalog", field="name"
            )
        candidate = slug
        suffix = 2
        while candidate in self._by_id:
            candidate = f"{slug}-{suffix}"
            suffix += 1
        return candidate

    def correct_custom(self, exercise_id: str, **changes: Any) -> Catalog:
        """A new catalog where the lifter's own exercise has the attributes they gave.

        Only :data:`CORRECTABLE` attributes change, and the exercise is no longer
        marked as guessed. A new ``equipment`` without ``fixed_path`` also sets
        whether the path is fixed (a machine's is; a free weight's never is); new
        ``primary`` muscles without ``secondary`` leave the secondary list.
        Raises :class:`InvalidInput` for a built-in exercise or a bad value.

        >>> mine = Catalog(()).add_custom("Log Press", primary=["chest"], equipment="machine")
        >>> fixed = mine.correct_custom("log-press", equipment="barbell", primary=["shoulders"])
        >>> log = fixed.get("log-press")
        >>> log.equipment.value, log.fixed_path, [m.value for m in log.primary]
        ('barbell', False, ['shoulders'])
        """
        exercise = self.get(exercise_id)
        if not exercise.custom:
            raise InvalidInput(
                f"{exercise.name!r} is a built-in exercise: only your own exercises can be changed",
                field="exercise",
            )
        unknown = sorted(set(changes) - set(CORRECTABLE))
        if unknown:
            raise InvalidInput(
                f"{', '.join(unknown)} cannot be changed; only {', '.join(CORRECTABLE)}",
                field=unknown[0],
            )
        record = exercise_to_record(exercise)
        record.update(changes)
        if "equipment" in changes and "fixed_path" not in changes:
            # A bad value stays for exercise_from_record to name; StrEnum equals its value.
            record["fixed_path"] = changes["equipment"] in _MACHINES
        if "primary" in changes and "secondary" not in changes:
            primary = changes["primary"]
            if isinstance(primary, list | tuple):
                record["secondary"] = [m for m in record["secondary"] if m not in primary]
        record["guessed"] = False
        try:
            corrected = exercise_from_record(record)
        except CatalogError as error:
            # "exercise 'log-press': increment_kg must be …" in the lifter's words.
            reason = str(error).split(": ", 1)[-1]
            raise InvalidInput(
                f"{exercise.name}: {reason}",
                field=next((key for key in changes if key in reason), None),
            ) from None
        return Catalog(tuple(corrected if e.id == exercise.id else e for e in self.exercises))


def _ranked(
    candidates: Sequence[Exercise], words: list[str], *, exact: Exercise | None
) -> tuple[Exercise, ...]:
    """The candidates every word matches, best first (:func:`word_rank`; ``exact`` leads)."""
    ranked: list[tuple[tuple[int, int, int], Exercise]] = []
    for index, exercise in enumerate(candidates):
        if exercise is exact:
            ranked.append(((0, 0, index), exercise))
            continue
        rank = word_rank(exercise, words)
        if rank is not None:
            ranked.append(((*rank, index), exercise))
    return tuple(exercise for _, exercise in sorted(ranked, key=lambda pair: pair[0]))


def _default_pattern(muscle: Muscle) -> Pattern:
    return {
        Muscle.CHEST: Pattern.HORIZONTAL_PUSH,
        Muscle.BACK: Pattern.HORIZONTAL_PULL,
        Muscle.SHOULDERS: Pattern.VERTICAL_PUSH,
        Muscle.BICEPS: Pattern.CURL,
        Muscle.TRICEPS: Pattern.TRICEPS_EXTENSION,
        Muscle.FOREARMS: Pattern.WRIST,
        Muscle.TRAPS: Pattern.SHRUG,
        Muscle.ABS: Pattern.CORE,
        Muscle.LOWER_BACK: Pattern.HINGE,
        Muscle.GLUTES: Pattern.HIP_THRUST,
        Muscle.QUADS: Pattern.SQUAT,
        Muscle.HAMSTRINGS: Pattern.KNEE_FLEXION,
        Muscle.ADDUCTORS: Pattern.HIP_ADDUCTION,
        Muscle.CALVES: Pattern.CALF_RAISE,
    }[muscle]

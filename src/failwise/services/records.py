"""What the services store and read: plain frozen records, never database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from failwise.domain.context import Experience, Phase
from failwise.domain.effort import FailureKind, RirRange
from failwise.domain.exercises import Muscle
from failwise.domain.units import Unit, UnitName

# The days a training log holds. Far enough either way for any lifter, near enough that
# the date arithmetic of the services (weeks back, a mesocycle ahead) never leaves the
# range Python's dates can hold: a stored day can never break a page later.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def in_log_range(day: date) -> bool:
    """Whether a training log can hold ``day`` (pass ``moment.date()`` for a datetime).

    >>> in_log_range(date(2026, 3, 2)), in_log_range(date(1, 1, 1))
    (True, False)
    """
    return EARLIEST_DAY <= day <= LATEST_DAY


def naive_utc(moment: datetime) -> datetime:
    """UTC without an offset, as stored and compared; a naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


class SetType(StrEnum):
    WARM_UP = "warm-up"
    WORKING = "working"
    DROP = "drop"
    REST_PAUSE = "rest-pause"
    FORCED = "forced"

    @property
    def counts_as_work(self) -> bool:
        return self is not SetType.WARM_UP


DEFAULT_SETTINGS: dict[str, Any] = {
    "unit": "kg",
    "bar_kg": 20.0,
    "plates_kg": [25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25],
    # The cautious default: nobody is there to spot until the lifter says so. The article
    # never takes a risky lift to failure "when training alone without a spotter".
    "spotter": False,
    "experience": "intermediate",
    "lagging": [],
    "sex": None,
    "age": None,
    "height_cm": None,
}
"""A new lifter's settings; a stored setting missing from a lifter's row reads as these."""


@dataclass(frozen=True, slots=True)
class LifterSettings:
    """A lifter's settings, typed: what the coach reads (the stored form is a JSON object)."""

    unit: Unit
    bar_kg: float
    plates_kg: tuple[float, ...]
    spotter: bool
    """A competent spotter (or safety arms) is there by default."""
    experience: Experience
    lagging: frozenset[Muscle]
    sex: str | None
    age: float | None
    height_cm: float | None

    @classmethod
    def of(cls, stored: dict[str, Any]) -> LifterSettings:
        """The settings from their stored form; missing or unreadable values read as defaults.

        >>> LifterSettings.of({}).spotter, LifterSettings.of({"unit": "lb"}).unit.name.value
        (False, 'lb')
        """
        merged = {**DEFAULT_SETTINGS, **stored}

        def pick(name: str, parse: Any) -> Any:
            try:
                return parse(merged[name])
            except (TypeError, ValueError):
                return parse(DEFAULT_SETTINGS[name])

        return cls(
            unit=pick("unit", lambda v: Unit(UnitName(v))),
            bar_kg=pick("bar_kg", float),
            plates_kg=pick("plates_kg", lambda v: tuple(float(p) for p in v)),
            spotter=pick("spotter", lambda v: v if isinstance(v, bool) else bool(v)),
            experience=pick("experience", Experience),
            lagging=pick("lagging", lambda v: frozenset(Muscle(m) for m in v or ())),
            sex=merged.get("sex") if merged.get("sex") in ("male", "female") else None,
            age=pick("age", lambda v: None if v is None else float(v)),
            height_cm=pick("height_cm", lambda v: None if v is None else float(v)),
        )

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain JSON values, every one of them (the API's ``settings``).

        >>> LifterSettings.of({"lagging": ["calves", "biceps"]}).as_dict()["lagging"]
        ['biceps', 'calves']
        """
        return {
            "unit": self.unit.name.value,
            "bar_kg": self.bar_kg,
            "plates_kg": list(self.plates_kg),
            "spotter": self.spotter,
            "experience": self.experience.value,
            "lagging": sorted(m.value for m in self.lagging),
            "sex": self.sex,
            "age": self.age,
            "height_cm": self.height_cm,
        }


def username_key(username: str) -> str:
    """What makes two usernames one lifter: case and surrounding spaces do not count.

    >>> username_key(" Carol") == username_key("carol") == username_key("CAROL")
    True
    """
    return username.strip().casefold()


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    created_at: datetime
    settings: dict[str, Any] = field(default_factory=dict)
    """As stored; read them through :attr:`prefs`."""

    @property
    def prefs(self) -> LifterSettings:
        """The lifter's settings, typed, with the defaults filled in."""
        return LifterSettings.of(self.settings)


@dataclass(frozen=True, slots=True)
class Workout:
    id: int
    user_id: int
    started_at: datetime
    finished_at: datetime | None = None
    phase: Phase = Phase.NORMAL
    notes: str = ""
    name: str = ""
    plan_session: str | None = None
    """The planned session this workout carries out (``<plan>:<week>:<session>``)."""

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    @property
    def key(self) -> WorkoutKey:
        return WorkoutKey(self.started_at, self.id)


@dataclass(frozen=True, slots=True)
class NewSet:
    """A set to store, target and actual side by side (loads in kg)."""

    exercise_id: str
    load: float
    reps: int
    rir: float | None = None
    """Reps in reserve as the lifter called it; RPE is derived, never stored."""
    set_type: SetType = SetType.WORKING
    to_failure: bool = False
    failure_kind: FailureKind | None = None
    target_load: float | None = None
    target_reps: int | None = None
    target_rir_low: float | None = None
    target_rir_high: float | None = None
    target_sets: int | None = None
    """The working sets the exercise has today, as the lifter said when this was logged."""
    test_reps_at_call: int | None = None
    """An RIR test: the rep at which the lifter called ``test_predicted_rir``."""
    test_predicted_rir: float | None = None
    rest_seconds: int | None = None
    notes: str = ""
    logged_at: datetime | None = None
    """When the client says the set was done."""
    idempotency_key: str | None = None
    rir_inferred: float | None = None
    """Estimated from the e1RM trend when the set came without an effort."""
    source: str = "log"
    """``log``, or the format it was imported from (``strong``, ``hevy`` …)."""
    planned: str | None = None
    """The planned set this carries out (``<plan>:<week>:<session>:<exercise>:<set>``)."""

    @property
    def is_test(self) -> bool:
        return self.test_reps_at_call is not None and self.test_predicted_rir is not None

    @property
    def target_rir(self) -> RirRange | None:
        """The target RIR range; one bound alone is a range of one value."""
        low, high = self.target_rir_low, self.target_rir_high
        if low is None and high is None:
            return None
        low = high if low is None else low
        high = low if high is None else high
        assert low is not None and high is not None
        return RirRange(low, high)


SET_ROW_FIELDS = (
    "workout_id",
    "position",
    "logged_at",
    "exercise_id",
    "load",
    "reps",
    "rir",
    "rir_inferred",
    "set_type",
    "to_failure",
    "failure_kind",
    "target_load",
    "target_reps",
    "target_rir_low",
    "target_rir_high",
    "test_reps_at_call",
    "test_predicted_rir",
    "rest_seconds",
    "notes",
    "idempotency_key",
    "source",
    "planned",
    "target_sets",
)
"""A set as a bulk import stores it (:meth:`~failwise.services.ports.Store.add_set_rows`):
a plain tuple of these values, in this order, each as the column holds it (``set_type``
and ``failure_kind`` as their text, ``logged_at`` naive UTC). Every column of a set but
its id, its lifter and ``created_at`` (the store fills those in): the one list of them
that bulk inserts share."""


@dataclass(frozen=True, slots=True)
class StoredSet:
    id: int
    user_id: int
    workout_id: int
    position: int
    """1-based order of the set within its workout."""
    data: NewSet
    logged_at: datetime
    created_at: datetime

    @property
    def exercise_id(self) -> str:
        return self.data.exercise_id

    @property
    def key(self) -> SetKey:
        return SetKey(self.logged_at, self.workout_id, self.position, self.id)


@dataclass(frozen=True, slots=True, order=True)
class SetKey:
    """Where a set stands in its lifter's history: sets are read in the order done, which
    is this key's order (a page of sets ends at a key, and the next starts after it)."""

    logged_at: datetime
    workout_id: int
    position: int
    id: int


@dataclass(frozen=True, slots=True, order=True)
class WorkoutKey:
    """Where a workout stands among its lifter's: by start, then by id."""

    started_at: datetime
    id: int


@dataclass(frozen=True, slots=True)
class Readiness:
    day: date
    sleep: int | None = None
    soreness: int | None = None
    motivation: int | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    measured_on: date
    body_weight_kg: float | None = None
    height_cm: float | None = None
    body_fat_pct: float | None = None
    circumferences_cm: dict[str, float] = field(default_factory=dict)
    """neck, waist, hips, shoulders, chest, arm, forearm, thigh, calf."""


@dataclass(frozen=True, slots=True)
class StoredPlan:
    id: int
    user_id: int
    created_at: datetime
    name: str
    active: bool
    data: dict[str, Any]
    """The plan, in the shape of :func:`failwise.domain.planning.plan_to_dict`."""
    request: dict[str, Any]
    """What it was generated from."""

"""What the rules know about a set: the exercise, its place in the workout, the lifter's state."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Equipment, Exercise, Muscle


class FailurePolicy(StrEnum):
    """What a set may do with failure."""

    GO = "go"
    """Take the set to failure (the target range includes RIR 0)."""
    AVOID = "avoid"
    """Stop 1–3 reps short of failure."""
    NEVER = "never"
    """Do not approach failure; nothing that goes past it."""

    @property
    def strength(self) -> int:
        return {FailurePolicy.GO: 0, FailurePolicy.AVOID: 1, FailurePolicy.NEVER: 2}[self]


class Phase(StrEnum):
    NORMAL = "normal"
    HIGH_VOLUME = "high-volume"
    """Weekly sets are already high: failure would cost sets later."""
    DELOAD = "deload"


class Experience(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CallTrust(StrEnum):
    """How far the lifter's RIR calls can be trusted, from their RIR tests.

    :attr:`failwise.domain.calibration.Calibration.call_trust` gives it from a
    lifter's tests.
    """

    UNPROVEN = "unproven"
    """Too few tests to tell (fewer than 3), or none."""
    CALIBRATED = "calibrated"
    """Enough tests, and they agree: the calls, corrected, hold."""
    INCONSISTENT = "inconsistent"
    """The tests scatter: a single call can be several reps off either way."""


# The article: "High-frequency movements (exercises you repeat 2-3 times per week)".
HIGH_FREQUENCY_PER_WEEK = 2


def movement_of(exercise: Exercise) -> str:
    """The movement the high-frequency rule counts sessions of: the exercise itself.

    The article holds back on "high-frequency movements (exercises you repeat
    2-3 times per week)" and goes to failure on isolation and machine work. A
    machine curl on Monday and a preacher curl on Thursday are two exercises
    done once a week, not one repeated, and each keeps its final set to
    failure; so are a Smith bench press and a Smith incline press. Counting
    the pattern instead (every curl, every press) would hold back every final
    set of a muscle trained twice a week. Heavy compounds stay short of
    failure whatever the count (the heavy-compound rule).

    >>> from failwise.domain.exercises import Catalog
    >>> records = [{
    ...     "id": f"{kind}-curl", "name": f"{kind.title()} Curl", "pattern": "curl",
    ...     "mechanics": "isolation", "equipment": "machine", "fixed_path": True,
    ...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
    ...     "primary": ["biceps"]} for kind in ("machine", "preacher")]
    >>> catalog = Catalog.from_records(records)
    >>> movement_of(catalog.get("machine-curl")), movement_of(catalog.get("preacher-curl"))
    ('machine-curl', 'preacher-curl')
    """
    return exercise.id


def weekly_frequency_on(trained_on: Sequence[date], day: date) -> int:
    """Days in the week up to ``day`` (it and the 6 before) on which a movement
    (:func:`movement_of`) was trained, ``day`` included: the high-frequency count.

    ``trained_on`` is sorted: the days the movement was trained, repeats allowed.
    A plan counts its sessions a week the same way; the live coach and the history
    analysis count logged days with this.

    >>> mondays_and_thursdays = [date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 9)]
    >>> weekly_frequency_on(mondays_and_thursdays, date(2026, 3, 9))
    2
    >>> weekly_frequency_on([], date(2026, 3, 9))
    1
    """
    low = bisect.bisect_left(trained_on, day - timedelta(days=6))
    high = bisect.bisect_right(trained_on, day)
    return len({*trained_on[low:high], day})


@dataclass(frozen=True, slots=True)
class SetContext:
    """Everything the rules need to know about one set."""

    exercise: Exercise
    set_number: int = 1
    """1-based position among the working sets of this exercise today."""
    total_sets: int = 3
    """Working sets of this exercise today."""
    weekly_frequency: int = 1
    """Sessions a week that train this movement."""
    phase: Phase = Phase.NORMAL
    # The cautious default: the article says never go to failure "when training
    # alone without a spotter on risky movements", so a set is assumed to be
    # done alone unless the lifter says a spotter is there.
    spotter: bool = False
    """A competent spotter (or safety arms) is there."""
    fatigued: bool = False
    """The lifter shows signs of accumulated fatigue."""
    lagging: frozenset[Muscle] = field(default_factory=frozenset)
    """Muscles the lifter is prioritising because they lag."""
    experience: Experience = Experience.INTERMEDIATE
    call_trust: CallTrust = CallTrust.UNPROVEN
    """How far the lifter's RIR calls hold up in tests (see ``Calibration.call_trust``)."""

    def __post_init__(self) -> None:
        if self.total_sets < 1:
            raise InvalidInput(f"total sets must be at least 1, not {self.total_sets}")
        if not 1 <= self.set_number <= self.total_sets:
            raise InvalidInput(
                f"set {self.set_number} is not one of the {self.total_sets} working sets"
            )
        if self.weekly_frequency < 1:
            raise InvalidInput(f"weekly frequency must be at least 1, not {self.weekly_frequency}")
        object.__setattr__(self, "lagging", frozenset(Muscle(m) for m in self.lagging))
        object.__setattr__(self, "call_trust", CallTrust(self.call_trust))

    @property
    def is_final_set(self) -> bool:
        return self.set_number == self.total_sets

    @property
    def is_machine(self) -> bool:
        return self.exercise.fixed_path or self.exercise.equipment is Equipment.MACHINE

    @property
    def is_risky_alone(self) -> bool:
        return self.exercise.needs_spotter and not self.spotter

    @property
    def lagging_primary(self) -> frozenset[Muscle]:
        """The exercise's primary muscles that the lifter marks as lagging."""
        return self.lagging & frozenset(self.exercise.primary)

    @property
    def is_lagging_finisher(self) -> bool:
        """The final set of isolation or fixed-path work for a lagging muscle."""
        return (
            self.is_final_set
            and (self.exercise.is_isolation or self.is_machine)
            and bool(self.lagging_primary)
        )

    @property
    def calls_unproven(self) -> bool:
        """The lifter's RIR calls cannot be relied on yet.

        A beginner's, until tests show they hold (the article: beginners who
        think they are at RIR 1 are often at RIR 4–5); anyone's whose tests
        scatter.
        """
        if self.call_trust is CallTrust.INCONSISTENT:
            return True
        return (
            self.experience is Experience.BEGINNER and self.call_trust is not CallTrust.CALIBRATED
        )

"""What the rules know about a set: the exercise, its place in the workout, the lifter's state."""

from __future__ import annotations

from dataclasses import dataclass, field
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


# The article: "High-frequency movements (exercises you repeat 2-3 times per week)".
HIGH_FREQUENCY_PER_WEEK = 2


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
    spotter: bool = True
    """A competent spotter (or safety arms) is there."""
    fatigued: bool = False
    """The lifter shows signs of accumulated fatigue."""
    lagging: frozenset[Muscle] = field(default_factory=frozenset)
    """Muscles the lifter is prioritising because they lag."""
    experience: Experience = Experience.INTERMEDIATE

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

    @property
    def is_final_set(self) -> bool:
        return self.set_number == self.total_sets

    @property
    def is_machine(self) -> bool:
        return self.exercise.fixed_path or self.exercise.equipment is Equipment.MACHINE

    @property
    def is_risky_alone(self) -> bool:
        return self.exercise.needs_spotter and not self.spotter

"""Typed errors with messages a lifter can act on."""

from __future__ import annotations

from collections.abc import Sequence


class FailwiseError(Exception):
    """Base class of every error failwise raises on purpose."""


class InvalidInput(FailwiseError, ValueError):
    """A value outside what makes sense for a lifter (a negative load, zero reps).

    ``field`` names the input at fault when the raiser knows it (``"load"``,
    ``"test.reps_at_call"``), so an API can point at it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidEffort(InvalidInput):
    """An RIR or RPE value that is not on the scale (RPE 11, RPE 7.3, RIR -1)."""


class UnknownExercise(FailwiseError, LookupError):
    """An exercise name that the catalog cannot resolve.

    ``suggestions`` holds the closest names in the catalog, best first.
    """

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"unknown exercise {name!r}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class CatalogError(FailwiseError, ValueError):
    """An exercise record that breaks the catalog schema (a missing field, a duplicate alias)."""

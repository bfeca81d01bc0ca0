"""The split: which sessions a week of ``days`` training days holds, and what each trains."""

from __future__ import annotations

from dataclasses import dataclass

from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Muscle
from failwise.domain.planning.request import MAX_DAYS, MIN_DAYS

__all__ = ["SessionTemplate", "split_for"]


_FULL = frozenset(Muscle)
_UPPER = frozenset(
    {
        Muscle.CHEST,
        Muscle.BACK,
        Muscle.SHOULDERS,
        Muscle.BICEPS,
        Muscle.TRICEPS,
        Muscle.TRAPS,
        Muscle.FOREARMS,
    }
)
_LOWER = frozenset(
    {
        Muscle.QUADS,
        Muscle.HAMSTRINGS,
        Muscle.GLUTES,
        Muscle.CALVES,
        Muscle.ABS,
        Muscle.ADDUCTORS,
        Muscle.LOWER_BACK,
    }
)
_PUSH = frozenset({Muscle.CHEST, Muscle.SHOULDERS, Muscle.TRICEPS})
_PULL = frozenset({Muscle.BACK, Muscle.BICEPS, Muscle.TRAPS, Muscle.FOREARMS})


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    """A session of the split: its name, suggested weekday and the muscles it trains."""

    name: str
    day_index: int
    muscles: frozenset[Muscle]


def split_for(days: int) -> tuple[SessionTemplate, ...]:
    """The split for ``days`` training days a week.

    Every muscle is trained at least twice a week (Schoenfeld et al. 2016: twice
    a week beats once for hypertrophy at equal volume), and the suggested days
    leave 48 hours between sessions of a muscle where the week allows
    (Morán-Navarro et al. 2017: sets to failure need 24–48 h more to recover).

    - 2 days: full body A/B (Mon, Thu);
    - 3 days: full body A/B/C (Mon, Wed, Fri);
    - 4 days: upper/lower twice (Mon, Tue, Thu, Fri);
    - 5 days: upper, lower, push, pull, legs (Mon, Tue, Thu, Fri, Sat);
    - 6 days: push/pull/legs twice (Mon–Sat).

    >>> [(s.name, s.day_index) for s in split_for(4)]
    [('Upper A', 0), ('Lower A', 1), ('Upper B', 3), ('Lower B', 4)]
    """
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(f"a plan has 2 to 6 training days a week, not {days}", field="days")
    if days == 2:
        return (
            SessionTemplate("Full body A", 0, _FULL),
            SessionTemplate("Full body B", 3, _FULL),
        )
    if days == 3:
        return (
            SessionTemplate("Full body A", 0, _FULL),
            SessionTemplate("Full body B", 2, _FULL),
            SessionTemplate("Full body C", 4, _FULL),
        )
    if days == 4:
        return (
            SessionTemplate("Upper A", 0, _UPPER),
            SessionTemplate("Lower A", 1, _LOWER),
            SessionTemplate("Upper B", 3, _UPPER),
            SessionTemplate("Lower B", 4, _LOWER),
        )
    if days == 5:
        return (
            SessionTemplate("Upper", 0, _UPPER),
            SessionTemplate("Lower", 1, _LOWER),
            SessionTemplate("Push", 3, _PUSH),
            SessionTemplate("Pull", 4, _PULL),
            SessionTemplate("Legs", 5, _LOWER),
        )
    return (
        SessionTemplate("Push A", 0, _PUSH),
        SessionTemplate("Pull A", 1, _PULL),
        SessionTemplate("Legs A", 2, _LOWER),
        SessionTemplate("Push B", 3, _PUSH),
        SessionTemplate("Pull B", 4, _PULL),
        SessionTemplate("Legs B", 5, _LOWER),
    )

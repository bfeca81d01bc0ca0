"""How long a plan's sets, exercises and sessions take, rests and warm-ups included."""

from __future__ import annotations

from failwise.domain.exercises import Exercise
from failwise.domain.planning.plan import PlanSession, target_reps
from failwise.domain.techniques import Technique

__all__ = [
    "COMPOUND_EXERCISE_MINUTES",
    "COMPOUND_SET_MINUTES",
    "DROP_SET_MINUTES",
    "HEAVY_EXERCISE_MINUTES",
    "HEAVY_SET_MINUTES",
    "ISOLATION_EXERCISE_MINUTES",
    "ISOLATION_SET_MINUTES",
    "SESSION_WARM_UP_MINUTES",
    "exercise_minutes",
    "session_minutes",
    "set_minutes",
]


# Minutes a working set takes, rest included. Rest: about 3 minutes after a
# heavy compound or a low-rep set, 2 after other compounds, 90 s after
# isolation (Schoenfeld et al. 2016: 3-minute rests beat 1-minute rests for
# both strength and growth; Grgic et al. 2017: at least 2 minutes for
# multi-joint lifts, 60–90 s can do for single-joint ones); plus ~30 s of work.
HEAVY_SET_MINUTES = 3.5
COMPOUND_SET_MINUTES = 2.5
ISOLATION_SET_MINUTES = 2.0
# Warm-up sets and setting up a station: ramping up to a heavy compound takes
# several sets; an isolation exercise one light set.
HEAVY_EXERCISE_MINUTES = 4.0
COMPOUND_EXERCISE_MINUTES = 2.0
ISOLATION_EXERCISE_MINUTES = 1.0
# A general warm-up before the first exercise.
SESSION_WARM_UP_MINUTES = 5.0
# A drop set adds the change of load and a second run to failure.
DROP_SET_MINUTES = 1.0


def _is_heavy(exercise: Exercise, reps: int) -> bool:
    return not exercise.is_isolation and (exercise.heavy_compound or reps <= 6)


def set_minutes(exercise: Exercise, reps: int) -> float:
    """Minutes a working set of ``exercise`` at ``reps`` takes, rest included."""
    if exercise.is_isolation:
        return ISOLATION_SET_MINUTES
    return HEAVY_SET_MINUTES if _is_heavy(exercise, reps) else COMPOUND_SET_MINUTES


def exercise_minutes(exercise: Exercise, reps: int) -> float:
    """Minutes of warm-up sets and setting up before the first working set of ``exercise``."""
    if exercise.is_isolation:
        return ISOLATION_EXERCISE_MINUTES
    return HEAVY_EXERCISE_MINUTES if _is_heavy(exercise, reps) else COMPOUND_EXERCISE_MINUTES


def session_minutes(session: PlanSession) -> float:
    """Estimated minutes of a session: warm-up, warm-up sets, working sets and rests."""
    total = SESSION_WARM_UP_MINUTES if session.exercises else 0.0
    for planned in session.exercises:
        reps = planned.sets[0].reps if planned.sets else target_reps(planned.rep_range)
        total += exercise_minutes(planned.exercise, reps)
        for work in planned.sets:
            total += set_minutes(planned.exercise, work.reps)
            if work.technique == Technique.DROP_SET.value:
                total += DROP_SET_MINUTES
    return total

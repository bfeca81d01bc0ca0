"""The live loop: from one set to the next within a session, and from one session to the next.

What a coach does between sets (DESIGN.md, "The live loop"):

- **The load holds when the aim is met.** A set is compared with the aim it
  was given: reps done + RIR called against target reps + aimed RIR. Within
  :data:`EFFORT_TOLERANCE` (one RPE point) the load holds. Off by more, the
  next load comes from the set's e1RM (its RIR corrected by the lifter's
  calibration) and the load for the target reps at the aimed RIR, corrected
  the same way, so that one correction is used both ways. A set that was
  harder moves the load down by at least one step, an easier one up by at
  least one step, within :data:`MAX_RISE` and :data:`MAX_DROP`.
- **The rep target stays.** A miss lowers the load; the reps aimed at stay
  the session's target, inside the exercise's rep range.
- **A set without RIR still counts**: it is taken at the RIR it was aimed at
  (:data:`ASSUMED_RIR` without an aim), or at failure when it stopped short
  of its target reps, and the lifter is told so.
- **An exercise ends** after its planned working sets.
- Progression happens between sessions: :func:`failwise.domain.autoregulation.adjust_next`
  (double progression) sets the next session's first set.

>>> target = RirRange(1, 3)
>>> done = SessionSet(load=140, reps=5, rir=2, target_load=140, target_reps=5, target_rir=target)
>>> effort_off_aim(done)
0.0
>>> hard = SessionSet(load=140, reps=3, rir=0, target_load=140, target_reps=5, target_rir=target)
>>> effort_off_aim(hard)
-4.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from failwise.domain.calibration import RirCorrector
from failwise.domain.effort import RirRange
from failwise.domain.exercises import Exercise
from failwise.domain.strength import estimate_e1rm, estimate_load

__all__ = [
    "ASSUMED_RIR",
    "EFFORT_TOLERANCE",
    "MAX_DROP",
    "MAX_RISE",
    "LoadStep",
    "SessionSet",
    "aim_of",
    "effort_off_aim",
    "free_rep_range",
    "next_session_load",
    "reps_at_aim",
    "session_e1rm",
    "set_e1rm",
    "taken_rir",
]

ASSUMED_RIR = 2.0
"""The RIR a set logged without one is taken at when it had no aim: the middle of the
article's RIR 1–3 for compounds, the effort most working sets are done at."""

EFFORT_TOLERANCE = 1.0
"""Reps (RPE points) a set may be off its aim before the load moves. The RTS chart's
columns give 2–4 % of 1RM per RPE point at 3–8 reps (Tuchscherer; Helms et al. 2016):
a smaller miss is within the lifter's own call error (Refalo 2023: about 0.65 reps near
failure), and chasing it would make the load bounce from set to set."""

MAX_RISE = 0.10
"""The most one set raises the load within a session: a call of RIR 6 on a set aimed at
RIR 2 is more often a misjudged call than a 15 % stronger lifter (Halperin 2022)."""
MAX_DROP = 0.20
"""The most one set lowers the load: a bad miss calls for a clearly lighter set, not a
warm-up."""


def aim_of(target: RirRange) -> float:
    """The RIR a load is computed for: the middle of the target, in half steps.

    >>> aim_of(RirRange(1, 3)), aim_of(RirRange(0, 1)), aim_of(RirRange(3, 3))
    (2.0, 0.5, 3.0)
    """
    return round(target.low + target.high) / 2


@dataclass(frozen=True, slots=True)
class SessionSet:
    """A working set done in today's session, with the target it was given."""

    load: float
    """Kilograms."""
    reps: int
    rir: float | None = None
    """Reps in reserve as the lifter called it; None when not logged."""
    to_failure: bool = False
    target_load: float | None = None
    target_reps: int | None = None
    target_rir: RirRange | None = None


def taken_rir(done: SessionSet) -> tuple[float, bool]:
    """The RIR a set is taken at, and whether it was assumed rather than logged.

    >>> taken_rir(SessionSet(load=100, reps=5))
    (2.0, True)
    >>> taken_rir(SessionSet(load=100, reps=3, target_reps=5, target_rir=RirRange(1, 3)))
    (0.0, True)
    """
    if done.to_failure:
        return 0.0, False
    if done.rir is not None:
        return done.rir, False
    if done.target_reps is not None and done.reps < done.target_reps:
        # A set stops short of its target reps when no more reps come: failure.
        return 0.0, True
    return (aim_of(done.target_rir) if done.target_rir else ASSUMED_RIR), True


def _same_load(load: float, target: float) -> bool:
    # A plate's worth of slack: a pound lifter's 225 lb is 102.058 kg against 102.06.
    return math.isclose(load, target, rel_tol=0.01, abs_tol=0.05)


def effort_off_aim(done: SessionSet) -> float | None:
    """Reps the set had more (+) or fewer (−) than its aim; None when it has no aim to
    compare with (no target, or another load than the target's)."""
    if done.target_reps is None or done.target_rir is None:
        return None
    if done.target_load is not None and not _same_load(done.load, done.target_load):
        return None
    rir, _ = taken_rir(done)
    return (done.reps + rir) - (done.target_reps + aim_of(done.target_rir))


def uncorrected(rir: float, reps: int | None = None, /) -> float:
    """The called RIR as it is: the :class:`RirCorrector` of a lifter with no calibration."""
    return float(rir)


def set_e1rm(
    load: float,
    reps: int,
    rir: float | None,
    *,
    to_failure: bool = False,
    corrected: RirCorrector = uncorrected,
) -> float:
    """A set's e1RM: the RTS chart on reps + the RIR the lifter called, corrected.

    A set to failure is failure: nothing to correct. A set with no RIR is taken
    at failure, so its e1RM is a lower bound. Every view of a lifter's e1RM
    (history, analysis, the next load) reads it from here. The correction is
    given the set's reps: calls are further off in longer sets (Halperin et al.
    2022), so a set of 20 is corrected by more than a set of 5.

    >>> def off_in_long_sets(rir, reps=None):
    ...     return rir + (2 if reps is not None and reps >= 15 else 1)
    >>> round(set_e1rm(140, 5, 2), 1), round(set_e1rm(140, 5, 2, corrected=off_in_long_sets), 1)
    (172.6, 178.1)
    >>> round(set_e1rm(80, 20, 2, corrected=off_in_long_sets), 1)
    162.0
    """
    if rir is None or (to_failure and rir == 0):
        return estimate_e1rm(load, reps, 0.0)
    return estimate_e1rm(load, reps, corrected(rir, reps))


def session_e1rm(done: SessionSet, corrected: RirCorrector = uncorrected) -> float:
    """The e1RM a set of today's session shows, at the RIR it is taken at (:func:`taken_rir`).

    >>> round(session_e1rm(SessionSet(100, 3, target_reps=5, target_rir=RirRange(1, 3))), 1)
    108.5
    """
    rir, assumed = taken_rir(done)
    # A set that stopped short of its target without an RIR was failure: nothing to correct.
    failed = done.to_failure or (assumed and rir == 0)
    return set_e1rm(done.load, done.reps, rir, to_failure=failed, corrected=corrected)


@dataclass(frozen=True, slots=True)
class LoadStep:
    """The next set's load within a session, and why."""

    load: float
    """Kilograms, unrounded when it moved (the caller rounds to the lifter's plates)."""
    moved: int
    """-1 lighter, 0 held, +1 heavier."""
    why: str
    reps: int | None = None
    """The reps the next set aims at instead, when the load held because the smallest
    step was too big a change (:func:`next_session_load`); None: the reps stay."""


def next_session_load(
    last: SessionSet,
    *,
    base: float,
    reps: int,
    aim: float,
    step: float,
    corrected: RirCorrector = uncorrected,
) -> LoadStep:
    """The next set's load from the set just done.

    ``base`` is the load the next set has when the last one met its aim: the
    last set's load in a free session, the plan's next load (scaled by how the
    lifter's load stood against the plan) in a planned one. ``step`` is the
    smallest change the lifter can make (kg).

    >>> done = SessionSet(140, 5, 2, target_load=140, target_reps=5, target_rir=RirRange(1, 3))
    >>> next_session_load(done, base=140, reps=5, aim=2, step=2.5).load
    140
    >>> easy = SessionSet(140, 5, 4, target_load=140, target_reps=5, target_rir=RirRange(1, 3))
    >>> round(next_session_load(easy, base=140, reps=5, aim=2, step=2.5).load, 1)
    149.0
    """
    off = effort_off_aim(last)
    if off is None:
        # No aim of its own (no target, or the lifter chose another load): the set is
        # read against what the next one asks for, at the RIR it aimed at if it had one
        # (a deload's first set aims at RIR 3, its last at 3–5: the first done at 3 is
        # on target, not a rep harder than the last one's aim).
        own = aim if last.target_rir is None else aim_of(last.target_rir)
        off = (last.reps + taken_rir(last)[0]) - (reps + own)
    if abs(off) < EFFORT_TOLERANCE:
        return LoadStep(base, 0, "on target: the load holds")
    # The aim is corrected for the next set's reps, as the set done was for its own.
    e1rm = session_e1rm(last, corrected)
    fresh = estimate_load(e1rm, reps, corrected(aim, reps))
    called_for = fresh / last.load
    ratio = min(1 + MAX_RISE, max(1 - MAX_DROP, called_for))
    load = base * ratio
    if step > 2 * abs(load - base):
        # One step moves the load more than twice as far as the set calls for (2 kg on
        # 10 kg lateral raises is 20 %, where a rep easier at 15 calls for 2 %): the
        # set after it would miss its reps by as much the other way. The load holds, and
        # the reps move instead, to what the aim leaves at this load: by no more than
        # the load would have moved (MAX_RISE, MAX_DROP), the e1RM scaled as the load was.
        at_load = reps_at_aim(e1rm * ratio / called_for, last.load, aim, corrected)
        if (at_load - reps) * off < 0:  # the correction says otherwise: the reps stay
            at_load = reps
        return LoadStep(base, 0, _reps_move(off, at_load - reps), at_load)
    if off < 0:
        load = min(load, base - step)
        return LoadStep(max(load, step), -1, f"{_reps(-off)} harder than aimed: lighter")
    load = max(load, base + step)
    return LoadStep(load, 1, f"{_reps(off)} easier than aimed: heavier")


def _reps(count: float) -> str:
    return f"{count:g} rep" + ("" if count == 1 else "s")


def _reps_move(off: float, more: int) -> str:
    """Why the load held though the set was off its aim: one step would be too much."""
    felt = f"{_reps(abs(off))} {'easier' if off > 0 else 'harder'} than aimed"
    step = "one step heavier" if off > 0 else "one step lighter"
    if more == 0:
        return f"{felt}: the load holds, as {step} is too big a change"
    change = f"{_reps(abs(more))} {'more' if more > 0 else 'fewer'}"
    return f"{felt}: {change} at this load, as {step} is too big a change"


_MOST_REPS = 50  # a bound on the reps a set is aimed at


def reps_at_aim(e1rm: float, load: float, aim: float, corrected: RirCorrector) -> int:
    """The most reps (at least one) that ``load`` allows with ``aim`` reps left, for a
    lifter of this e1RM: the inverse of the load for (reps, aim), corrected the same way.

    >>> e1rm = estimate_e1rm(10, 15, 2)  # 10 kg × 15 with 2 reps left
    >>> reps_at_aim(e1rm, 10, 1, uncorrected), reps_at_aim(e1rm, 10, 2, uncorrected)
    (16, 15)
    """
    reps = 1
    while reps < _MOST_REPS:
        heavier = estimate_load(e1rm, reps + 1, corrected(aim, reps + 1))
        if heavier < load and not math.isclose(heavier, load, rel_tol=1e-9):
            break
        reps += 1
    return reps


# The rep ranges lifters train in (Schoenfeld et al. 2017: growth is similar across
# loads taken near failure; strength favours the heavy end).
_RANGES = ((3, 6), (6, 10), (10, 15), (15, 20))


def free_rep_range(exercise: Exercise, reps: int) -> tuple[int, int]:
    """The rep range of an exercise trained outside a plan, around the reps the lifter does.

    Double progression climbs a range before adding load; reps outside every
    range (singles, 25-rep sets) progress by load at the same reps.

    >>> from failwise.domain.exercises import Catalog
    >>> squat = Catalog.from_records([{
    ...     "id": "bb-squat", "name": "Squat (Barbell)", "pattern": "squat",
    ...     "mechanics": "compound", "equipment": "barbell", "fixed_path": False,
    ...     "heavy_compound": True, "injury_risk": "moderate", "needs_spotter": True,
    ...     "primary": ["quads"]}]).get("bb-squat")
    >>> free_rep_range(squat, 5), free_rep_range(squat, 8), free_rep_range(squat, 1)
    ((5, 5), (6, 10), (1, 1))
    """
    if exercise.heavy_compound and reps <= 5:
        # Heavy triples and fives progress by load: 3 × 5 at 140 becomes 3 × 5 at 142.5.
        return (reps, reps)
    for low, high in _RANGES:
        if low <= reps < high:
            return (low, high)
    return (reps, reps)

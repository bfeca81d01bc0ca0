"""RIR tests found in a lifter's history: a logged call, then a set to failure at its load.

A set logged with an RIR (or an RPE converted to one), followed in the same
session by a set of the same exercise at the same load taken to failure, tells
how many reps the called set had left: about as many more as the failure set
did. It is a lower bound (the failure set carried the fatigue of the sets
before it), so such a pair counts :data:`HISTORY_WEIGHT` of a deliberate test.

Two calls of RIR 2 and 1 at 100 kg × 8, then 10 reps to failure at 100 kg:

>>> from failwise.domain.exercises import Catalog
>>> bench = Catalog.from_records([{
...     "id": "barbell-bench-press", "name": "Bench Press (Barbell)",
...     "pattern": "horizontal-push", "mechanics": "compound", "equipment": "barbell",
...     "fixed_path": False, "heavy_compound": True, "injury_risk": "moderate",
...     "needs_spotter": True, "primary": ["chest"]}]).get("barbell-bench-press")
>>> session = [SessionSet(bench, load=100, reps=8, rir=2),
...            SessionSet(bench, load=100, reps=8, rir=1),
...            SessionSet(bench, load=100, reps=10, rir=0)]
>>> [(t.predicted_rir, t.actual_rir, t.weight) for t in history_tests(session)]
[(2.0, 2, 0.5), (1.0, 2, 0.5)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from failwise.domain.calibration.model import HISTORY_WEIGHT, RirTest
from failwise.domain.effort import reached_failure
from failwise.domain.exercises import Exercise


@dataclass(frozen=True, slots=True)
class SessionSet:
    """A plain working set of one session, as the pair finder reads it (loads in kg)."""

    exercise: Exercise
    load: float
    reps: int
    rir: float | None = None
    """The logged RIR (an RPE converted to RIR included); None when none was logged."""
    to_failure: bool = False
    performed_on: date | None = None

    @property
    def at_failure(self) -> bool:
        """Taken to failure: marked so (a Strong or Hevy failure set), or RPE 10 / RIR 0."""
        return reached_failure(self.rir, self.to_failure)

    @property
    def called(self) -> bool:
        """A call short of failure the lifter logged, with reps and a load to check it."""
        return (
            self.rir is not None
            and self.rir > 0
            and not self.to_failure
            and self.reps >= 1
            and self.load > 0
        )


def _same_load(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def may_check_a_call(
    added: SessionSet, before: Iterable[SessionSet], *, after_the_rest: bool
) -> bool:
    """Whether a set added to a session can change the RIR tests the history holds: a set
    taken to failure checks the calls before it (in ``before``, the session's sets so far,
    in order) at its exercise and load that no set to failure has checked yet, and a call
    added before sets already logged (``after_the_rest`` false) may be checked by one of
    them.

    >>> from failwise.domain.exercises import Catalog
    >>> curl = Catalog.from_records([{
    ...     "id": "cable-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
    ...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
    ...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
    ...     "primary": ["biceps"]}]).get("cable-curl")
    >>> called = SessionSet(curl, 25, 12, rir=2)
    >>> may_check_a_call(SessionSet(curl, 25, 14, rir=0), [called], after_the_rest=True)
    True
    >>> may_check_a_call(SessionSet(curl, 20, 14, rir=0), [called], after_the_rest=True)
    False
    >>> may_check_a_call(SessionSet(curl, 25, 14, rir=0), [], after_the_rest=True)
    False
    >>> failed = SessionSet(curl, 25, 14, rir=0)
    >>> may_check_a_call(SessionSet(curl, 25, 9, rir=0), [called, failed], after_the_rest=True)
    False
    >>> may_check_a_call(called, [], after_the_rest=False)
    True
    """
    if added.called:
        return not after_the_rest
    if not added.at_failure:
        return False
    # A call is checked by the first set to failure after it at its load: only a call no
    # such set has checked yet is checked by this one.
    unchecked = False
    for earlier in before:
        if earlier.exercise.id != added.exercise.id or not _same_load(earlier.load, added.load):
            continue
        if earlier.called:
            unchecked = True
        elif earlier.at_failure:
            unchecked = False
    return unchecked


def history_tests(session: Iterable[SessionSet]) -> list[RirTest]:
    """The RIR tests one session's sets (in the order done) hold, each of weight 0.5.

    Each call short of failure is checked against the first later set of the
    same exercise, at the same load, taken to failure: ``r_a`` reps called at
    RIR ``c``, then ``r_b`` reps to failure, is a test of ``r_a`` reps, call
    ``c``, failure at ``max(r_a, r_b)`` (a failure set that did fewer reps says
    only that nothing was left). Several calls may share one failure set; a call
    with no failure set after it at its load is no test. Only plain working
    sets belong in ``session``: a drop or rest-pause set is not a fresh set.
    """
    sets = list(session)
    tests: list[RirTest] = []
    # Read from the last set back: for each exercise, the nearest set to failure after the
    # set at hand at each load it was done at (a few loads an exercise), so that each call
    # finds its failure set without reading the rest of the session again.
    nearest: dict[str, list[SessionSet]] = {}
    for call in reversed(sets):
        later = nearest.setdefault(call.exercise.id, [])
        if call.at_failure:
            later[:] = [f for f in later if not _same_load(f.load, call.load)]
            later.append(call)
            continue
        if not call.called or call.rir is None:
            continue
        failure = next((f for f in later if _same_load(f.load, call.load)), None)
        if failure is None:
            continue
        tests.append(
            RirTest(
                exercise=call.exercise,
                reps=call.reps,
                predicted_rir=call.rir,
                reps_at_failure=max(call.reps, failure.reps),
                performed_on=call.performed_on,
                load=call.load,
                weight=HISTORY_WEIGHT,
            )
        )
    tests.reverse()
    return tests

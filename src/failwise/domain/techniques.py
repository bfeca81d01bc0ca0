"""The intensity-technique governor: drop sets, rest-pause and forced reps.

These techniques push past initial failure. The article (``training-to-failure``,
"What About Advanced Techniques?") calls them "intensity techniques, not
everyday tools", and this module is the one place their rules live:

- :func:`eligibility` holds the per-set rules (a final ``go`` set of a safe
  exercise, outside a deload, a high-volume phase or accumulated fatigue, not
  for beginners; drop sets on isolation or machine work; forced reps with a
  spotter). :func:`failwise.domain.decision.prescribe` builds its
  ``Techniques`` from it.
- :func:`govern` adds the session rules (at most 2 drop sets, drop sets at the
  end of the workout) and, when everything allows it, plans the technique:
  the lighter load and the reps to expect.

Every refusal names its rule, and :func:`govern` lists all the rules that
refused, not just the first.

>>> from failwise.domain.exercises import Catalog
>>> curl = Catalog.from_records([{
...     "id": "cable-bicep-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
...     "primary": ["biceps"]}]).get("cable-bicep-curl")
>>> final = SetContext(exercise=curl, set_number=3, total_sets=3, spotter=False)
>>> decision = govern(TechniqueRequest(final, Technique.DROP_SET, load=50, reps=10))
>>> plan = decision.plan
>>> decision.allowed, plan.load_low, plan.load_high
(True, 35.0, 40.0)
>>> plan.expected_reps_low, plan.expected_reps_high
(7, 12)
>>> [r.rule for r in govern(TechniqueRequest(final, Technique.FORCED_REPS)).refusals]
['no-spotter']
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from failwise.domain.context import Experience, FailurePolicy, Phase, SetContext
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import InjuryRisk
from failwise.domain.strength import e1rm, round_to_increment

__all__ = [
    "ACUTE_STRENGTH_LOSS",
    "DROP_FRACTION_HIGH",
    "DROP_FRACTION_LOW",
    "END_OF_WORKOUT_EXERCISES_LEFT",
    "MAX_DROP_SETS_PER_SESSION",
    "REFUSAL_RULES",
    "REST_PAUSE_REP_SHARE",
    "REST_SECONDS_HIGH",
    "REST_SECONDS_LOW",
    "DropSetPlan",
    "ForcedRepsPlan",
    "Plan",
    "Refusal",
    "RestPausePlan",
    "Technique",
    "TechniqueDecision",
    "TechniqueRequest",
    "eligibility",
    "govern",
    "reps_after_drop",
    "rest_pause_reps",
]


class Technique(StrEnum):
    """A way of pushing past initial failure (the article's three)."""

    DROP_SET = "drop-set"
    """Reduce the load immediately and continue."""
    REST_PAUSE = "rest-pause"
    """Hit failure, rest 10–15 seconds, do more reps with the same load."""
    FORCED_REPS = "forced-reps"
    """A spotter helps you through a rep or two past failure."""

    @property
    def label(self) -> str:
        """The technique in the lifter's words: 'drop set', 'rest-pause', 'forced reps'."""
        return {
            Technique.DROP_SET: "drop set",
            Technique.REST_PAUSE: "rest-pause",
            Technique.FORCED_REPS: "forced reps",
        }[self]


# The spec and the article: "Drop sets: Immediately reduce weight and continue",
# by 20–30% of the load.
DROP_FRACTION_LOW = 0.20
DROP_FRACTION_HIGH = 0.30
# The article: "1-2 drop sets per session maximum".
MAX_DROP_SETS_PER_SESSION = 2
# The article: drop sets are "effective for isolation exercises at the end of a
# workout". We count the last two exercises as the end: techniques only follow a
# final set, so one exercise gives at most one drop set, and a session could
# never reach the article's second drop set if only the very last exercise counted.
END_OF_WORKOUT_EXERCISES_LEFT = 1
# The article: "Hit failure, rest 10-15 seconds, do more reps".
REST_SECONDS_LOW = 10
REST_SECONDS_HIGH = 15
# Refalo et al. 2023 (Sports Med Open): a set to failure costs ~25% of bench
# velocity acutely (13% at RIR 1, 8% at RIR 3). Read here as a ~25% loss of
# momentary strength right after failure: a proxy, since velocity loss is not
# force loss, and capped below by the load just failed (see reps_after_drop).
ACUTE_STRENGTH_LOSS = 0.25
# Coaching examples of rest-pause put each mini-set at a third to two-thirds of
# the reps before it (DC training's 6, 4, 2; 6 then 1–3 then 1–2 in others):
# we expect half, a coaching heuristic rather than a measured figure.
REST_PAUSE_REP_SHARE = 0.5

REFUSAL_RULES: dict[str, str] = {
    "avoid-set": "the set's decision is avoid: it stops short of failure",
    "never-set": "the set's decision is never: it must not approach failure",
    "not-final-set": "not the last working set of the exercise",
    "deload": "deload week",
    "high-volume": "high-volume phase (weekly sets already high)",
    "fatigued": "signs of accumulated fatigue",
    "beginner": "a beginner, still learning where failure is",
    "unsafe-exercise": "a heavy compound, or injury risk above low",
    "not-isolation-or-machine": "drop set on an exercise that is neither isolation nor machine",
    "no-spotter": "forced reps without a spotter",
    "drop-set-limit": "already 2 drop sets this session",
    "not-end-of-workout": "drop set with more than 1 exercise still to come",
    "no-lighter-load": "no step of the exercise's load lies 20–30% under the set's load",
}
"""Every rule that can refuse a technique, with when it fires."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A rule that refused a technique, in the lifter's words."""

    rule: str
    """The rule's id, a key of :data:`REFUSAL_RULES`."""
    text: str


def _is_safe(context: SetContext) -> bool:
    exercise = context.exercise
    return exercise.injury_risk is InjuryRisk.LOW and not exercise.heavy_compound


def _why_unsafe(context: SetContext) -> str:
    exercise = context.exercise
    risk = f"{exercise.injury_risk.value} injury risk when form breaks down"
    if not exercise.heavy_compound:
        return f"a lift with {risk}"
    if exercise.injury_risk is InjuryRisk.LOW:
        return "a heavy compound"
    return f"a heavy compound with {risk}"


def eligibility(
    context: SetContext,
    technique: Technique,
    failure: FailurePolicy,
    *,
    deciding_rules: Sequence[str] = (),
) -> tuple[Refusal, ...]:
    """The per-set rules that refuse ``technique`` on this set; empty means allowed.

    ``failure`` is the set's decision (:func:`failwise.domain.decision.prescribe`);
    ``deciding_rules`` are the ids of the rules that made it, named in the
    ``avoid-set`` or ``never-set`` refusal when given.

    >>> from failwise.domain.exercises import Catalog
    >>> row = Catalog.from_records([{
    ...     "id": "barbell-bent-over-row", "name": "Bent Over Row (Barbell)",
    ...     "pattern": "horizontal-pull", "mechanics": "compound", "equipment": "barbell",
    ...     "fixed_path": False, "heavy_compound": False, "injury_risk": "high",
    ...     "needs_spotter": False, "primary": ["back"]}]).get("barbell-bent-over-row")
    >>> context = SetContext(exercise=row, set_number=3, total_sets=3)
    >>> refusals = eligibility(context, Technique.REST_PAUSE, FailurePolicy.NEVER,
    ...                        deciding_rules=["injury-risk"])
    >>> [refusal.rule for refusal in refusals]
    ['never-set', 'unsafe-exercise']
    >>> refusals[0].text
    'This set must not approach failure (injury-risk), let alone go past it.'
    """
    because = f" ({', '.join(deciding_rules)})" if deciding_rules else ""
    return (
        *_set_refusals(context, technique, failure, because),
        *_lifter_refusals(context),
        *_exercise_refusals(context, technique),
    )


def _set_refusals(
    context: SetContext, technique: Technique, failure: FailurePolicy, because: str
) -> Iterator[Refusal]:
    """Refusals for the set itself: its failure decision, and whether it is the last."""
    # The article: the techniques push "beyond initial failure", so they need a
    # set that goes to failure in the first place; "none on a never set".
    if failure is FailurePolicy.NEVER:
        yield Refusal(
            "never-set", f"This set must not approach failure{because}, let alone go past it."
        )
    elif failure is FailurePolicy.AVOID:
        yield Refusal(
            "avoid-set",
            f"This set should stop short of failure{because}: going past it would undo that.",
        )
    # Only on the last set, where nothing later in the exercise pays for the fatigue.
    if not context.is_final_set:
        yield Refusal(
            "not-final-set",
            f"Set {context.set_number} of {context.total_sets} is not your last: "
            f"keep the {technique.label} for the final set, where no later set pays for it.",
        )


def _lifter_refusals(context: SetContext) -> Iterator[Refusal]:
    """Refusals for where the lifter is: a deload, high volume, fatigue, a beginner."""
    # The article: "intensity techniques, not everyday tools"; none in a deload
    # or with accumulated fatigue (the article), and none while weekly volume is
    # already high (the high-volume rule of the failure decision).
    if context.phase is Phase.DELOAD:
        yield Refusal(
            "deload", "Deload week: no techniques past failure, so fatigue can dissipate."
        )
    if context.phase is Phase.HIGH_VOLUME:
        yield Refusal(
            "high-volume",
            "High-volume phase: your weekly sets are already high, and going past failure "
            "adds fatigue you would pay for later in the week.",
        )
    if context.fatigued:
        yield Refusal(
            "fatigued",
            "You are showing signs of accumulated fatigue: "
            "going past failure digs the hole deeper.",
        )
    # The article: "Most beginners dramatically overestimate their proximity to
    # failure"; they still gain from straight sets and first learn where failure is.
    if context.experience is Experience.BEGINNER:
        yield Refusal(
            "beginner",
            "As a beginner you still grow from straight sets and are learning where failure "
            "is: leave techniques past failure for later.",
        )


def _exercise_refusals(context: SetContext, technique: Technique) -> Iterator[Refusal]:
    """Refusals for the exercise: unsafe past failure, or wrong for this technique."""
    name = context.exercise.name
    # The article: forced reps "only on safe exercises"; past failure form breaks,
    # and "a sloppy deadlift rep at failure is a very different risk proposition
    # than a sloppy bicep curl". Safe = low injury risk and not a heavy compound.
    if not _is_safe(context):
        yield Refusal(
            "unsafe-exercise",
            f"{name} is {_why_unsafe(context)}: techniques past failure are only for "
            "safe exercises, where form breaking down cannot hurt you.",
        )
    # The article: drop sets are "effective for isolation exercises"; a fixed-path
    # machine is as safe to push past failure.
    if (
        technique is Technique.DROP_SET
        and not context.exercise.is_isolation
        and not context.is_machine
    ):
        yield Refusal(
            "not-isolation-or-machine",
            f"{name} is neither an isolation nor a machine exercise: "
            "drop sets belong on isolation or machine work.",
        )
    # The article: forced reps "only with a competent spotter".
    if technique is Technique.FORCED_REPS and not context.spotter:
        yield Refusal(
            "no-spotter",
            "Forced reps need a competent spotter to help you past failure, "
            "and you are training alone.",
        )


@dataclass(frozen=True, slots=True)
class TechniqueRequest:
    """A lifter asks to use a technique on a set, at a point in the session."""

    context: SetContext
    technique: Technique
    load: float | None = None
    """The load of the set that reached failure (kg or lb: the unit does not matter)."""
    reps: int | None = None
    """The reps of that set."""
    drop_sets_done: int = 0
    """Drop sets already done this session."""
    exercises_left: int = 0
    """Exercises still to come in this workout after this one."""

    def __post_init__(self) -> None:
        if self.load is not None and (not math.isfinite(self.load) or self.load <= 0):
            raise InvalidInput(f"load must be a positive number, not {self.load:g}")
        if self.reps is not None and self.reps < 1:
            raise InvalidInput(f"reps must be at least 1, not {self.reps}")
        if self.drop_sets_done < 0:
            raise InvalidInput(
                f"drop sets done this session must be 0 or more, not {self.drop_sets_done}"
            )
        if self.exercises_left < 0:
            raise InvalidInput(
                f"exercises left in the workout must be 0 or more, not {self.exercises_left}"
            )


@dataclass(frozen=True, slots=True)
class DropSetPlan:
    """Drop the load 20–30% right after failure and go to failure again."""

    drop_fraction_low: float = DROP_FRACTION_LOW
    drop_fraction_high: float = DROP_FRACTION_HIGH
    drops: int = 1
    """One drop: the article's "reduce weight and continue", used sparingly."""
    load_low: float | None = None
    """The lightest load to drop to (the bigger drop), when the set's load is known."""
    load_high: float | None = None
    """The heaviest load to drop to: never above a 20% drop."""
    expected_reps_low: int | None = None
    """Reps to expect at ``load_high``, when the set's reps are known."""
    expected_reps_high: int | None = None
    """Reps to expect at ``load_low``."""


@dataclass(frozen=True, slots=True)
class RestPausePlan:
    """Rest 10–15 s after failure, then mini-sets to failure with the same load."""

    rest_seconds_low: int = REST_SECONDS_LOW
    rest_seconds_high: int = REST_SECONDS_HIGH
    mini_sets: int = 2
    expected_reps: tuple[int, ...] | None = None
    """Reps to expect in each mini-set, when the set's reps are known."""


@dataclass(frozen=True, slots=True)
class ForcedRepsPlan:
    """A spotter helps you through a rep or two past failure."""

    forced_reps_max: int = 1
    spotter_instruction: str = ""


Plan = DropSetPlan | RestPausePlan | ForcedRepsPlan
"""What :func:`govern` plans for an allowed technique."""


@dataclass(frozen=True, slots=True)
class TechniqueDecision:
    """The governor's answer: allowed with a plan, or refused with every reason."""

    technique: Technique
    allowed: bool
    refusals: tuple[Refusal, ...]
    """Every rule that refused, in a stable order; empty when allowed."""
    failure: FailurePolicy
    """The set's own failure decision."""
    plan: Plan | None
    """How to do it; ``None`` when refused."""


def reps_after_drop(reps: int, load_fraction: float) -> int:
    """Reps to expect right after failing at ``reps``, with ``load_fraction`` of that load.

    Epley (e1RM = w(1 + r/30)) gives the fresh strength from the set. Right
    after failure that strength is down by :data:`ACUTE_STRENGTH_LOSS`
    (Refalo et al. 2023), and it is no more than the load just failed, which
    could not be lifted again. Epley, inverted at the lighter load with that
    momentary strength, gives the reps, rounded down and at least 1. It is
    always fewer than a fresh set at the lighter load would give, though a
    big drop after a short set can give more reps than the set itself.

    >>> reps_after_drop(10, 0.8), reps_after_drop(10, 0.7)
    (7, 12)
    >>> reps_after_drop(5, 0.8), reps_after_drop(5, 0.7)
    (2, 7)
    """
    if reps < 1:
        raise InvalidInput(f"reps must be at least 1, not {reps}")
    if not 0 < load_fraction < 1:
        raise InvalidInput(
            f"the dropped load must be lighter than the set's, not {load_fraction:g}"
        )
    fresh = e1rm(1.0, reps, formula="epley")  # in units of the set's load
    momentary = min(1.0, (1.0 - ACUTE_STRENGTH_LOSS) * fresh)
    expected = 30.0 * (momentary / load_fraction - 1.0)  # Epley inverted
    return max(1, math.floor(expected + 1e-9))


def rest_pause_reps(reps: int, mini_sets: int) -> tuple[int, ...]:
    """Reps to expect in each rest-pause mini-set after a set of ``reps`` to failure.

    Each mini-set gets about :data:`REST_PAUSE_REP_SHARE` of the reps before
    it, rounded down and at least 1: stop the sequence early when a mini-set
    cannot complete a rep.

    >>> rest_pause_reps(10, 3)
    (5, 2, 1)
    """
    if reps < 1:
        raise InvalidInput(f"reps must be at least 1, not {reps}")
    if mini_sets < 1:
        raise InvalidInput(f"a rest-pause set needs at least 1 mini-set, not {mini_sets}")
    expected: list[int] = []
    previous = reps
    for _ in range(mini_sets):
        previous = max(1, math.floor(previous * REST_PAUSE_REP_SHARE))
        expected.append(previous)
    return tuple(expected)


def _round_up(load: float, increment: float) -> float:
    down = round_to_increment(load, increment, down=True)
    return down if down >= load - 1e-9 else round(down + increment, 6)


def _drop_loads(load: float, increment: float) -> tuple[float, float] | None:
    """The loads to drop to, lightest first, or ``None`` when no step lies in the range.

    The heavier load rounds down (never less than a 20% drop), the lighter one
    rounds up (never more than a 30% drop). When the exercise's steps skip the
    whole range (4 kg dumbbells stepping by 2 kg: the next is a 50% drop; a
    30 kg stack stepping by 10 kg: a 33% drop) there is no drop set to plan:
    a bigger drop is another set, not the article's "reduce weight and continue".

    >>> _drop_loads(20, 2.0), _drop_loads(12, 2.0), _drop_loads(4, 2.0), _drop_loads(30, 10.0)
    ((14.0, 16.0), None, None, None)
    """
    high = round_to_increment(load * (1 - DROP_FRACTION_LOW), increment, down=True)
    low = _round_up(load * (1 - DROP_FRACTION_HIGH), increment)
    if high <= 0 or low > high + 1e-9:
        return None
    return low, high


def _session_refusals(
    request: TechniqueRequest, loads: tuple[float, float] | None
) -> list[Refusal]:
    if request.technique is not Technique.DROP_SET:
        return []
    refusals: list[Refusal] = []
    if request.drop_sets_done >= MAX_DROP_SETS_PER_SESSION:
        refusals.append(
            Refusal(
                "drop-set-limit",
                f"You have done {request.drop_sets_done} drop sets this session and "
                f"{MAX_DROP_SETS_PER_SESSION} is the most (1–2 per session): "
                "finish with straight sets.",
            )
        )
    if request.exercises_left > END_OF_WORKOUT_EXERCISES_LEFT:
        refusals.append(
            Refusal(
                "not-end-of-workout",
                "Drop sets go at the end of the workout (the last two exercises), and "
                f"{request.exercises_left} exercises still follow this one: "
                "the fatigue would spoil the work after it.",
            )
        )
    exercise = request.context.exercise
    if request.load is not None and loads is None:
        refusals.append(
            Refusal(
                "no-lighter-load",
                f"{exercise.name} steps by {exercise.increment_kg:g}, and no step lies "
                f"20–30% under {request.load:g}: the next lighter load would be a bigger "
                "drop than a drop set's, so skip the drop and finish with the set.",
            )
        )
    return refusals


def _plan(request: TechniqueRequest, loads: tuple[float, float] | None) -> Plan:
    advanced = request.context.experience is Experience.ADVANCED
    if request.technique is Technique.DROP_SET:
        # The reps follow the loads actually on the stack when they are known.
        lighter, heavier = 1 - DROP_FRACTION_HIGH, 1 - DROP_FRACTION_LOW
        if loads is not None and request.load is not None:
            lighter, heavier = loads[0] / request.load, loads[1] / request.load
        reps = request.reps
        return DropSetPlan(
            load_low=None if loads is None else loads[0],
            load_high=None if loads is None else loads[1],
            expected_reps_low=None if reps is None else reps_after_drop(reps, heavier),
            expected_reps_high=None if reps is None else reps_after_drop(reps, lighter),
        )
    if request.technique is Technique.REST_PAUSE:
        # Two mini-sets is the common form; a third only for advanced lifters, who
        # judge failure best (the article: beginners misjudge it by 3–4 reps). A
        # coaching choice that keeps the technique sparing, not a study's figure.
        mini_sets = 3 if advanced else 2
        expected = None if request.reps is None else rest_pause_reps(request.reps, mini_sets)
        return RestPausePlan(mini_sets=mini_sets, expected_reps=expected)
    # Forced reps: one past failure, two for advanced lifters (the same coaching
    # choice); the spotter gives only the help needed, so the muscle still works.
    forced = 2 if advanced else 1
    return ForcedRepsPlan(
        forced_reps_max=forced,
        spotter_instruction=(
            "Let the lifter fail on their own first, then help with just enough force "
            f"to keep the weight moving for at most {forced} more "
            f"{'rep' if forced == 1 else 'reps'}; take the weight if it stalls."
        ),
    )


def govern(request: TechniqueRequest) -> TechniqueDecision:
    """Allow and plan a technique on this set, or refuse it with every rule that refused."""
    # Imported here: decision imports this module for eligibility().
    from failwise.domain.decision import prescribe

    prescription = prescribe(request.context)
    loads = (
        None
        if request.load is None
        else _drop_loads(request.load, request.context.exercise.increment_kg)
    )
    deciding = tuple(reason.rule for reason in prescription.deciding)
    refusals = (
        *eligibility(
            request.context, request.technique, prescription.failure, deciding_rules=deciding
        ),
        *_session_refusals(request, loads),
    )
    return TechniqueDecision(
        technique=request.technique,
        allowed=not refusals,
        refusals=refusals,
        failure=prescription.failure,
        plan=None if refusals else _plan(request, loads),
    )

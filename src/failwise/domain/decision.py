"""The failure decision: for one set, go to failure, stop short, or never approach it.

The rules are the article's practical framework (``training-to-failure``,
"The Practical Framework"), kept as data in :data:`RULES`: each names when it
fires, its effect, the RIR range it asks for, and a sentence for the lifter.
Precedence is ``never`` > ``avoid`` > ``go``; the target RIR is the
intersection of the ranges of the rules that fired, taken from the strongest
effect down and skipping a weaker rule whose range would leave nothing. A rule
may *yield* in some contexts (:attr:`Rule.yields`): there it does not fire.
The one case today is a lagging muscle's isolation or machine work, whose final
set keeps its failure although the movement is trained often or the phase is
high-volume.

>>> from failwise.domain.exercises import Catalog
>>> curl = Catalog.from_records([{
...     "id": "cable-bicep-curl", "name": "Bicep Curl (Cable)", "pattern": "curl",
...     "mechanics": "isolation", "equipment": "cable", "fixed_path": False,
...     "heavy_compound": False, "injury_risk": "low", "needs_spotter": False,
...     "primary": ["biceps"]}]).get("cable-bicep-curl")
>>> p = prescribe(SetContext(exercise=curl, set_number=1, total_sets=3))
>>> p.failure, str(p.target_rir), [reason.rule for reason in p.reasons]
(<FailurePolicy.AVOID: 'avoid'>, 'RIR 1', ['early-set', 'isolation'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from failwise.domain.context import (
    HIGH_FREQUENCY_PER_WEEK,
    CallTrust,
    Experience,
    FailurePolicy,
    Phase,
    SetContext,
)
from failwise.domain.effort import RirRange
from failwise.domain.exercises import Exercise, InjuryRisk
from failwise.domain.techniques import Technique, eligibility

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "CallTrust",
    "Experience",
    "FailurePolicy",
    "Phase",
    "Prescription",
    "Reason",
    "Rule",
    "SetContext",
    "Techniques",
    "prescribe",
]


def _holds_firm(context: SetContext) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table."""

    id: str
    effect: FailurePolicy
    target: RirRange
    applies: Callable[[SetContext], bool]
    explain: Callable[[SetContext], str]
    summary: str
    """When the rule fires, for tables and the guide."""
    yields: Callable[[SetContext], bool] = _holds_firm
    """The contexts where the rule gives way to another and does not fire."""

    def fires(self, context: SetContext) -> bool:
        """Whether the rule applies to this set and does not give way there."""
        return self.applies(context) and not self.yields(context)


_GO = RirRange(0, 1)  # the article: RIR 0–1 on isolation
_AVOID = RirRange(1, 3)  # the article: RIR 1–3 on compounds
_NEVER = RirRange(2, 4)  # well clear of failure, where form still holds
_DELOAD = RirRange(3, 5)  # a deload lowers effort as well as volume
# The article: "Most beginners dramatically overestimate their proximity to
# failure — they think they're at RIR 1 when they're actually at RIR 4-5"; even
# a called RPE 9 was off by 2.05 reps in 16-rep squat sets (Zourdos et al.
# 2021), against about 0.65 reps for trained lifters near failure (Refalo et
# al. 2023). Until about 3 tests show the calls hold (DESIGN.md, "Beginners and
# scattered calls"), a heavy compound aims at RIR 2–3, the top of the article's
# compound range, so a call that is off does not land at failure.
_UNPROVEN = RirRange(2, 3)


def _name(context: SetContext) -> str:
    return context.exercise.name


def _muscles(context: SetContext) -> str:
    return ", ".join(sorted(m.value for m in context.lagging_primary))


def _lagging_text(context: SetContext) -> str:
    muscles = _muscles(context)
    kept = []
    if context.weekly_frequency >= HIGH_FREQUENCY_PER_WEEK:
        kept.append(f"you train this movement {context.weekly_frequency} times a week")
    if context.phase is Phase.HIGH_VOLUME:
        kept.append("this is a high-volume phase")
    if context.is_lagging_finisher and kept:
        return (
            f"It trains {muscles}, a lagging body part: its isolation and machine work keeps "
            f"the last set to failure even though {' and '.join(kept)}."
        )
    return f"It trains {muscles}, a lagging body part: the extra stimulus helps it catch up."


def _unproven_text(context: SetContext) -> str:
    if context.call_trust is CallTrust.INCONSISTENT:
        why = "Your RIR calls scatter in your tests: one call lands, the next is reps off"
    else:
        why = (
            "As a beginner your RIR calls are still unproven: beginners who think they are "
            "at RIR 1 are often at RIR 4–5"
        )
    return f"{why}. Until tests show your calls hold, keep {_name(context)} at RIR 2–3."


RULES: tuple[Rule, ...] = (
    Rule(
        "isolation",
        FailurePolicy.GO,
        _GO,
        lambda c: c.exercise.is_isolation,
        lambda c: f"{_name(c)} is an isolation exercise: failure is safe and pays off here.",
        "isolation exercise (curls, lateral raises, leg extensions)",
    ),
    Rule(
        "machine",
        FailurePolicy.GO,
        _GO,
        lambda c: c.is_machine,
        lambda c: f"{_name(c)} runs on a fixed path: form cannot drift when you fail.",
        "fixed-path machine exercise",
    ),
    Rule(
        "final-set",
        FailurePolicy.GO,
        _GO,
        lambda c: c.is_final_set,
        lambda c: (
            f"Set {c.set_number} of {c.total_sets} is your last: "
            "nothing later in the exercise pays for the extra fatigue."
        ),
        "last working set of the exercise",
    ),
    Rule(
        "lagging",
        FailurePolicy.GO,
        _GO,
        lambda c: bool(c.lagging_primary),
        _lagging_text,
        "target muscle is a lagging body part: the last set of its isolation and machine "
        "work keeps failure even when trained often or in a high-volume phase",
    ),
    Rule(
        "heavy-compound",
        FailurePolicy.AVOID,
        _AVOID,
        lambda c: c.exercise.heavy_compound,
        lambda c: (
            f"{_name(c)} is a heavy compound: failure costs days of recovery "
            "and form breaks first, so stop 1–3 reps short."
        ),
        "squat, bench, deadlift, overhead press and their heavy barbell kin",
    ),
    Rule(
        "early-set",
        FailurePolicy.AVOID,
        _AVOID,
        lambda c: not c.is_final_set,
        lambda c: (
            f"Set {c.set_number} of {c.total_sets}: keep reps in reserve "
            "so the sets after it keep their quality."
        ),
        "a non-final set of a multi-set exercise",
    ),
    Rule(
        "high-frequency",
        FailurePolicy.AVOID,
        _AVOID,
        lambda c: c.weekly_frequency >= HIGH_FREQUENCY_PER_WEEK,
        lambda c: (
            f"You train this movement {c.weekly_frequency} times a week: "
            "failure now would cut into the next session."
        ),
        "the movement is trained 2–3+ times a week",
        # The article lists "lagging body parts" among the sets to take to
        # failure: the last set of a lagging muscle's isolation or machine work
        # keeps it, though the movement comes round often (the lagging rule).
        lambda c: c.is_lagging_finisher,
    ),
    Rule(
        "high-volume",
        FailurePolicy.AVOID,
        _AVOID,
        lambda c: c.phase is Phase.HIGH_VOLUME,
        lambda c: (
            "High-volume phase: your weekly sets are already high, "
            "and failure would cost you sets later in the week."
        ),
        "high-volume phase (weekly sets already high)",
        # The same: a lagging muscle's isolation or machine finisher keeps its failure.
        lambda c: c.is_lagging_finisher,
    ),
    Rule(
        "unproven-calls",
        FailurePolicy.AVOID,
        _UNPROVEN,
        lambda c: c.exercise.heavy_compound and c.calls_unproven,
        _unproven_text,
        "heavy compound while the RIR calls are unproven "
        "(a beginner without RIR tests) or scatter in tests",
    ),
    Rule(
        "injury-risk",
        FailurePolicy.NEVER,
        _NEVER,
        lambda c: c.exercise.injury_risk is InjuryRisk.HIGH,
        lambda c: (
            f"{_name(c)} carries a high injury risk when form breaks down at fatigue: "
            "never take it near failure."
        ),
        "high injury potential at fatigue (heavy barbell rows, behind-the-neck press)",
    ),
    Rule(
        "alone-risky",
        FailurePolicy.NEVER,
        _NEVER,
        lambda c: c.is_risky_alone,
        lambda c: (
            f"You are training alone and {_name(c)} can pin you if you fail: stop well short."
        ),
        "training alone without a spotter on a risky movement",
    ),
    Rule(
        "deload",
        FailurePolicy.NEVER,
        _DELOAD,
        lambda c: c.phase is Phase.DELOAD,
        lambda c: "Deload week: keep every set easy so fatigue can dissipate.",
        "deload week",
    ),
    Rule(
        "fatigued",
        FailurePolicy.NEVER,
        _NEVER,
        lambda c: c.fatigued,
        lambda c: "You are showing signs of accumulated fatigue: failure now digs the hole deeper.",
        "signs of accumulated fatigue",
    ),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class Reason:
    """A rule that fired, in the lifter's words."""

    rule: str
    effect: FailurePolicy
    text: str


@dataclass(frozen=True, slots=True)
class Techniques:
    """Intensity techniques past initial failure that this set allows.

    Built from :func:`failwise.domain.techniques.eligibility`; ask
    :func:`failwise.domain.techniques.govern` for the reasons and a plan.
    """

    drop_set: bool = False
    rest_pause: bool = False
    forced_reps: bool = False

    def allowed(self) -> tuple[str, ...]:
        names = ("drop_set", "rest_pause", "forced_reps")
        return tuple(name for name in names if getattr(self, name))


@dataclass(frozen=True, slots=True)
class Prescription:
    """The decision for one set."""

    exercise: Exercise
    failure: FailurePolicy
    target_rir: RirRange
    techniques: Techniques
    reasons: tuple[Reason, ...]
    """Every rule that fired, strongest effect first."""

    @property
    def target_rpe(self) -> tuple[float, float]:
        return self.target_rir.rpe

    @property
    def target_text(self) -> str:
        """The target in words: a ``go`` set says it goes to failure, RIR 0 included."""
        if self.failure is FailurePolicy.GO:
            return f"{self.target_rir} (to failure)"
        return str(self.target_rir)

    @property
    def deciding(self) -> tuple[Reason, ...]:
        """The reasons whose effect is the outcome."""
        return tuple(reason for reason in self.reasons if reason.effect is self.failure)


def _techniques(context: SetContext, failure: FailurePolicy) -> Techniques:
    # The per-set technique rules live in one place: techniques.eligibility.
    def allowed(technique: Technique) -> bool:
        return not eligibility(context, technique, failure)

    return Techniques(
        drop_set=allowed(Technique.DROP_SET),
        rest_pause=allowed(Technique.REST_PAUSE),
        forced_reps=allowed(Technique.FORCED_REPS),
    )


def prescribe(context: SetContext) -> Prescription:
    """Decide how close to failure this set should go, and why."""
    fired = [rule for rule in RULES if rule.fires(context)]
    fired.sort(key=lambda rule: -rule.effect.strength)
    failure = fired[0].effect if fired else FailurePolicy.AVOID
    target = fired[0].target if fired else _AVOID
    for rule in fired[1:]:
        if target.overlaps(rule.target):
            target = target & rule.target
    reasons = tuple(Reason(rule.id, rule.effect, rule.explain(context)) for rule in fired)
    return Prescription(
        exercise=context.exercise,
        failure=failure,
        target_rir=target,
        techniques=_techniques(context, failure),
        reasons=reasons,
    )

"""The training plan: a mesocycle of accumulation weeks and a deload, set by set.

:func:`generate_plan` turns a :class:`PlanRequest` (goal, experience, days and
minutes a week, equipment, spotter, lagging muscles, known e1RMs, a seed) into
a :class:`Plan`: a split that fits the days, exercises from the catalog for the
equipment, weekly sets per muscle ramped between the volume landmarks, and for
every set its target reps, target RIR, failure decision (from
:func:`failwise.domain.decision.prescribe`), intensity technique (within
:func:`failwise.domain.techniques.govern`) and starting load.

How the plan is built, in order:

1. **Split** (:func:`split_for`): 2 or 3 days full body, 4 upper/lower, 5
   upper/lower/push/pull/legs, 6 push/pull/legs twice; every muscle is trained
   at least twice a week, and a lagging muscle gets an isolation exercise in
   every session (specialisation raises frequency), filled after its own
   sessions (leg extensions on leg days first). A muscle the plan leaves to
   indirect work (forearms, adductors, lower back) gets landmarks and direct
   work when it lags.
2. **Exercises**: for each muscle of a session a compound then an isolation
   exercise, chosen from the catalog for the equipment, the lifts the lifter
   trains (:attr:`PlanRequest.preferred`) first unless alone and risky (see
   :mod:`~failwise.domain.planning.selection` for the order of preference); a
   seeded hash breaks ties among equally good exercises, so the plan is the
   same for the same request and seed.
3. **Volume**: a weekly-set target per muscle ramps across the accumulation
   weeks from MEV (lagging: the bottom of MAV) toward the middle of MAV (by
   experience; lagging: the top of MAV), at most 2 sets a week more, and is
   filled set by set — lagging muscles to MEV first, then the others, then the
   lateral raises (pressing leaves the side delts), then the maintenance
   muscles, then the ramp of the lagging muscles, then the rest —
   never over any muscle's MRV (indirect sets counted as half, Pelland et al.
   2024) or the session's minutes. When time runs short, the muscles filled
   last stay nearest MEV; a muscle left under MEV is listed in
   :attr:`Plan.shortfalls` with the reason.
4. **Effort**: RIR falls across the accumulation weeks
   (:func:`rir_progression`, 3 → 1 on compounds, 2 → 0 on machine compounds,
   3 → 0 on isolation), and is clamped into the engine's target range for the
   set; the final set of isolation work the engine sends to failure is at
   RIR 0 every accumulation week. The high-frequency rule counts the sessions
   of each exercise (:func:`movement_of`: the article's "exercises you repeat
   2-3 times per week"). The deload week halves the sets and is ``never`` on
   every set.
5. **Techniques**: drop sets on the final set of one of the last two
   exercises of a session, in the last two accumulation weeks, where the
   governor allows them (never where the load's steps skip a 20–30 % drop).
6. **Loads**: from known e1RMs on the RTS chart, rounded to the exercise's step.

The package holds one concern a module: :mod:`.request` (the request, its
limits and checks), :mod:`.plan` (the plan's types and weekly counts),
:mod:`.split`, :mod:`.selection` (exercises and rep ranges), :mod:`.volume`
(weekly sets), :mod:`.effort` (RIR progression and drop sets), :mod:`.loads`,
:mod:`.minutes` (time a set and a session take), :mod:`.generate`, and
:mod:`.codec` (the plan and the request as plain data). Import from
``failwise.domain.planning`` itself: the names below are its public API.

>>> from failwise.domain.context import Experience
>>> from failwise.domain.exercises import Muscle
>>> request = PlanRequest(goal=Goal.HYPERTROPHY, experience=Experience.BEGINNER,
...                       days=3, minutes=60, lagging=frozenset({Muscle.BICEPS}))
>>> request.accumulation, [session.name for session in split_for(3)]
(4, ['Full body A', 'Full body B', 'Full body C'])
"""

from failwise.domain.planning.codec import (
    plan_from_dict,
    plan_to_dict,
    request_from_dict,
    request_to_dict,
)
from failwise.domain.planning.effort import PLAN_WEEK, held_short, rir_progression
from failwise.domain.planning.generate import generate_plan
from failwise.domain.planning.loads import starting_load
from failwise.domain.planning.minutes import session_minutes, set_minutes
from failwise.domain.planning.plan import (
    Plan,
    PlanExercise,
    PlanSession,
    PlanSet,
    PlanWeek,
    movement_of,
    weekly_frequency,
    weekly_sets,
)
from failwise.domain.planning.request import (
    DEFAULT_ACCUMULATION_WEEKS,
    MAINTENANCE_LANDMARKS,
    MAX_ACCUMULATION_WEEKS,
    MAX_DAYS,
    MAX_MINUTES,
    MAX_SEED,
    MIN_ACCUMULATION_WEEKS,
    MIN_DAYS,
    MIN_MINUTES,
    PLAN_LANDMARKS,
    Goal,
    PlanRequest,
)
from failwise.domain.planning.selection import rep_range_for
from failwise.domain.planning.split import SessionTemplate, split_for
from failwise.domain.planning.volume import MAX_SETS_PER_EXERCISE

__all__ = [
    "DEFAULT_ACCUMULATION_WEEKS",
    "MAINTENANCE_LANDMARKS",
    "MAX_ACCUMULATION_WEEKS",
    "MAX_DAYS",
    "MAX_MINUTES",
    "MAX_SEED",
    "MAX_SETS_PER_EXERCISE",
    "MIN_ACCUMULATION_WEEKS",
    "MIN_DAYS",
    "MIN_MINUTES",
    "PLAN_LANDMARKS",
    "PLAN_WEEK",
    "Goal",
    "Plan",
    "PlanExercise",
    "PlanRequest",
    "PlanSession",
    "PlanSet",
    "PlanWeek",
    "SessionTemplate",
    "generate_plan",
    "held_short",
    "movement_of",
    "plan_from_dict",
    "plan_to_dict",
    "rep_range_for",
    "request_from_dict",
    "request_to_dict",
    "rir_progression",
    "session_minutes",
    "set_minutes",
    "split_for",
    "starting_load",
    "weekly_frequency",
    "weekly_sets",
]

"""What the pages show, shaped from the services' answers: units, wording and charts.

Everything here is plain data for the templates (:mod:`failwise.adapters.web.pages`
renders it). Stored loads are kilograms; a lifter who chose pounds sees and
types pounds (:mod:`failwise.domain.units` converts and rounds).

>>> lb = Units("lb")
>>> lb.text(100), lb.to_kg(225)
('220.5 lb', 102.058)
>>> Units("kg").text(142.5)
'142.5 kg'
>>> decision_text("avoid", 1, 3), decision_text("go", 0, 1)
('Avoid failure: stop 1–3 reps short', 'Go: take this set to failure')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from failwise.adapters.reports.svg import (
    Band,
    Series,
    bar_chart,
    date_labels,
    line_chart,
    scatter_chart,
)
from failwise.domain.calibration import RirTest
from failwise.domain.context import SetContext
from failwise.domain.decision import RULES, prescribe
from failwise.domain.effort import scale
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog, Equipment, Exercise, Mechanics, Muscle, class_of
from failwise.domain.fatigue import proximity_cost, set_cost
from failwise.domain.stimulus import (
    LANDMARKS,
    ROBINSON_MARGINAL_MEANS,
    ROBINSON_SLOPE_PER_RIR,
    set_stimulus,
)
from failwise.domain.units import Unit, unit_named
from failwise.services.records import LifterSettings, StoredSet, Workout

UNITS = ("kg", "lb")
# Rest between sets (s): heavy compounds need the longest to keep their quality,
# isolation work the shortest (common coaching ranges: 3, 2 and 1.5 minutes).
REST_SECONDS = {"heavy-compound": 180, "compound": 120, "isolation": 90}


def _number(value: float) -> str:
    """A load or count without trailing zeros: ``142.5``, ``140``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


@dataclass(frozen=True, slots=True)
class Units:
    """The lifter's display unit; everything stored is in kilograms.

    A thin view over :class:`failwise.domain.units.Unit`, where conversion and
    rounding live.
    """

    name: str = "kg"

    @property
    def unit(self) -> Unit:
        return unit_named(self.name)

    @property
    def kg_per_unit(self) -> float:
        return self.unit.kg_per_unit

    def value(self, kg: float) -> float:
        """``kg`` in the display unit (pounds to 0.1 lb)."""
        return round(self.unit.of_kg(kg), 1 if self.name == "lb" else 3)

    def number(self, kg: float | None) -> str:
        return "" if kg is None else _number(self.value(kg))

    def text(self, kg: float | None) -> str:
        """``142.5 kg`` or ``314.2 lb``; a dash when there is no load."""
        return "–" if kg is None else f"{self.number(kg)} {self.name}"

    def to_kg(self, value: float) -> float:
        """A load typed in the display unit, in kg (to the gram)."""
        return round(self.unit.to_kg(value), 3)


def units_of(settings: Mapping[str, Any]) -> Units:
    """The units of a lifter's stored settings, read as every setting is (LifterSettings)."""
    return Units(LifterSettings.of(dict(settings)).unit.name.value)


# --- the decision, in words ------------------------------------------------------------

EFFECT_WORDS = {
    "go": "Go to failure",
    "avoid": "Avoid failure",
    "never": "Never near failure",
}


RULE_WORDS = {rule.id: rule.summary for rule in RULES}
"""Each rule of the decision table by when it fires, in words: a page never shows its id."""


def rir_text(low: float, high: float) -> str:
    """``RIR 1–3 (RPE 7–9)``."""
    if low == high:
        return f"RIR {_number(low)} (RPE {_number(10 - low)})"
    return f"RIR {_number(low)}–{_number(high)} (RPE {_number(10 - high)}–{_number(10 - low)})"


def wait_text(seconds: int) -> str:
    """How long to wait, in whole minutes rounded up.

    >>> wait_text(30), wait_text(61), wait_text(900)
    ('a minute', '2 minutes', '15 minutes')
    """
    minutes = -(-seconds // 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def decision_text(failure: str, low: float, high: float) -> str:
    """One line that says what to do with the set; the page repeats it in JavaScript."""
    reps = _number(low) if low == high else f"{_number(low)}–{_number(high)}"
    plural = "rep" if low == high == 1 else "reps"
    if failure == "go":
        return "Go: take this set to failure"
    if failure == "avoid":
        return f"Avoid failure: stop {reps} {plural} short"
    return f"Never near failure: keep {reps} {plural} in reserve"


def rest_seconds(exercise: Exercise) -> int:
    return REST_SECONDS[class_of(exercise).group]


# --- the lifter's exercises -------------------------------------------------------------

POPULAR = (
    "barbell-squat",
    "barbell-bench-press",
    "barbell-deadlift",
    "barbell-overhead-press",
    "lat-pulldown",
    "dumbbell-curl",
    "dumbbell-lateral-raise",
    "leg-extension",
)


def recent_exercises(sets: Iterable[StoredSet], catalog: Catalog, limit: int = 8) -> list[Exercise]:
    """The exercises done lately, the most recent first."""
    seen: dict[str, None] = {}
    for stored in sorted(sets, key=lambda s: s.logged_at, reverse=True):
        seen.setdefault(stored.exercise_id, None)
    return [catalog.get(exercise_id) for exercise_id in list(seen)[:limit]]


def quick_picks(recent: Sequence[Exercise], catalog: Catalog) -> list[Exercise]:
    """Recent exercises, else the staples a new lifter is likely to start with."""
    if recent:
        return list(recent)
    return [catalog.get(exercise_id) for exercise_id in POPULAR if exercise_id in catalog]


def exercise_options(recent: Sequence[Exercise], catalog: Catalog) -> list[Exercise]:
    """Every exercise for the search box, recent ones first."""
    first = {e.id for e in recent}
    rest = sorted((e for e in catalog if e.id not in first), key=lambda e: e.name.casefold())
    return [*recent, *rest]


# --- history -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkoutView:
    workout: Workout
    sets: list[StoredSet]
    exercises: list[tuple[Exercise, list[StoredSet]]]


def workout_views(
    workouts: Sequence[Workout], sets: Sequence[StoredSet], catalog: Catalog
) -> list[WorkoutView]:
    """Workouts (in the order given) with their sets grouped by exercise, in order done."""
    by_workout: dict[int, list[StoredSet]] = defaultdict(list)
    for stored in sets:
        by_workout[stored.workout_id].append(stored)
    views = []
    for workout in workouts:
        mine = sorted(by_workout.get(workout.id, []), key=lambda s: s.position)
        grouped: dict[str, list[StoredSet]] = {}
        for stored in mine:
            grouped.setdefault(stored.exercise_id, []).append(stored)
        views.append(
            WorkoutView(
                workout, mine, [(catalog.get(eid), group) for eid, group in grouped.items()]
            )
        )
    return views


def set_line(stored: StoredSet, units: Units) -> str:
    """``125 kg × 5 @ RIR 2`` (or ``to failure``) as done."""
    data = stored.data
    load = "bodyweight" if data.load == 0 else units.text(data.load)
    text = f"{load} × {data.reps}"
    if data.test_reps_at_call is not None and data.test_predicted_rir is not None:
        text += (
            f", RIR test: called RIR {_number(data.test_predicted_rir)} at rep "
            f"{data.test_reps_at_call}, failure at rep {data.reps}"
        )
    elif data.to_failure:
        text += " to failure"
    elif data.rir is not None:
        text += f" @ RIR {_number(data.rir)}"
    elif data.rir_inferred is not None:
        text += f" @ RIR ≥{_number(data.rir_inferred)} (inferred)"
    return text


def target_line(stored: StoredSet, units: Units) -> str:
    """What the set aimed at, or an empty string when it had no target."""
    data = stored.data
    parts = []
    if data.target_load is not None:
        parts.append(units.text(data.target_load))
    if data.target_reps is not None:
        parts.append(f"× {data.target_reps}")
    low, high = data.target_rir_low, data.target_rir_high
    if low is not None:
        high = low if high is None else high
        parts.append(f"@ RIR {_number(low)}" + ("" if high == low else f"–{_number(high)}"))
    return " ".join(parts)


def e1rm_chart(name: str, series: Sequence[tuple[date, float]], units: Units) -> str:
    if not series:
        return line_chart(f"Estimated 1RM: {name}", [])
    start, end = series[0][0], series[-1][0]
    points = [((day - start).days, units.value(value)) for day, value in series]
    return line_chart(
        f"Estimated 1RM: {name}",
        [Series(f"e1RM ({units.name})", points)],
        x_labels=date_labels(start, end),
        y_label=units.name,
    )


def volume_chart(weeks: Mapping[date, Mapping[Muscle, float]], today: date) -> str:
    """This week so far and last week, per muscle, against the MEV–MRV band (MAV top dashed)."""
    monday = today - timedelta(days=today.weekday())
    this_week = weeks.get(monday, {})
    last_week = weeks.get(monday - timedelta(weeks=1), {})
    muscles = [m for m in Muscle if m in LANDMARKS]
    return bar_chart(
        "Weekly sets per muscle against MEV–MRV",
        [words(m.value) for m in muscles],
        [
            Series("last week", [(i, last_week.get(m, 0.0)) for i, m in enumerate(muscles)]),
            Series("this week", [(i, this_week.get(m, 0.0)) for i, m in enumerate(muscles)]),
        ],
        bands=[Band(LANDMARKS[m].mev, LANDMARKS[m].mrv, LANDMARKS[m].mav_high) for m in muscles],
        y_label="effective sets",
    )


ZONE_WORDS = {
    "below-mev": "below the minimum that makes it grow",
    "mev": "enough to grow, under your productive range",
    "mav": "within your productive range",
    "above-mav": "above your productive range, still recoverable",
    "above-mrv": "more than you can recover from",
}
"""A week's sets against a muscle's volume landmarks (:meth:`VolumeLandmarks.zone`), in words."""


def count_text(count: float, noun: str, plural: str = "") -> str:
    """A count with its noun, singular for exactly one; counts to one decimal.

    >>> count_text(1, "set"), count_text(1.04, "set"), count_text(2.5, "set"), count_text(0, "set")
    ('1 set', '1 set', '2.5 sets', '0 sets')
    >>> count_text(3, "workout")
    '3 workouts'
    """
    shown = _number(round(count, 1))
    return f"{shown} {noun if shown == '1' else plural or noun + 's'}"


@dataclass(frozen=True, slots=True)
class VolumeCard:
    """One muscle's weekly sets, as a card that fits a phone."""

    muscle: str
    sets: str
    """``12 sets``, in the latest week shown."""
    zone: str
    """``below-mev`` … ``above-mrv``; "" for a muscle without landmarks."""
    verdict: str
    """The zone in words: ``within your productive range``."""
    mev: str
    mav: str
    mrv: str
    earlier: tuple[tuple[str, str], ...]
    """The weeks before, latest first: (``23 Nov``, ``10 sets``)."""


def volume_cards(
    weeks: Mapping[date, Mapping[Muscle, float]], count: int = 4
) -> tuple[date | None, list[VolumeCard]]:
    """The latest of the last ``count`` weeks, a card per muscle with its earlier weeks:
    every muscle with landmarks, and any other trained in those weeks."""
    shown = sorted(weeks)[-count:]
    if not shown:
        return None, []
    latest, before = shown[-1], shown[-2::-1]
    cards = []
    for muscle in Muscle:
        marks = LANDMARKS.get(muscle)
        if marks is None and not any(weeks[w].get(muscle) for w in shown):
            continue
        sets = weeks[latest].get(muscle, 0.0)
        zone = "" if marks is None else marks.zone(sets)
        cards.append(
            VolumeCard(
                muscle=words(muscle.value).capitalize(),
                sets=count_text(sets, "set"),
                zone=zone,
                verdict=ZONE_WORDS.get(zone, ""),
                mev="" if marks is None else _number(marks.mev),
                mav="" if marks is None else f"{_number(marks.mav_low)}–{_number(marks.mav_high)}",
                mrv="" if marks is None else _number(marks.mrv),
                earlier=tuple(
                    (f"{week.day} {week:%b}", count_text(weeks[week].get(muscle, 0.0), "set"))
                    for week in before
                ),
            )
        )
    return latest, cards


def most_trained(sets: Iterable[StoredSet], catalog: Catalog) -> list[tuple[Exercise, int]]:
    """Exercises with loaded working sets, the most sets first (for the e1RM picker)."""
    counts = Counter(s.exercise_id for s in sets if s.data.load > 0)
    return [(catalog.get(eid), n) for eid, n in counts.most_common()]


# --- insights ---------------------------------------------------------------------------------


def calibration_chart(tests: Sequence[RirTest]) -> str:
    by_class: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for test in tests:
        label = "isolation" if test.exercise.mechanics is Mechanics.ISOLATION else "compound"
        # A call the history checks (weight under 1) is its own series: weaker evidence.
        label += " tests" if test.weight >= 1.0 else " calls from history"
        by_class[label].append((test.predicted_rir, float(test.actual_rir)))
    return scatter_chart(
        "Your RIR calls against the reps you really had left",
        [Series(name, points) for name, points in sorted(by_class.items())],
        x_label="RIR you called",
        y_label="RIR you had",
        identity="a perfect call",
    )


def readiness_chart(readiness: Mapping[Muscle, float]) -> str:
    muscles = [m for m in Muscle if m in readiness]
    return bar_chart(
        "Readiness per muscle (100% = fully recovered)",
        [words(m.value) for m in muscles],
        [Series("readiness %", [(i, readiness[m]) for i, m in enumerate(muscles)])],
        y_label="%",
    )


# --- the guide: drawn from the engine's own tables and curves ---------------------------------


def guide_scale() -> list[tuple[str, str, str]]:
    """The RIR/RPE table, from :func:`failwise.domain.effort.scale`."""
    return [(_number(row.rpe), _number(row.rir), row.description) for row in scale()]


def guide_rules() -> list[tuple[str, str, str, str]]:
    """The rule table, from :data:`failwise.domain.decision.RULES`, in words: when it fires,
    its effect (as a style and in words) and its target."""
    return [
        (rule.summary, rule.effect.value, EFFECT_WORDS[rule.effect.value], str(rule.target))
        for rule in RULES
    ]


def guide_landmarks() -> list[tuple[str, str, str, str]]:
    """The volume landmarks table, from :data:`failwise.domain.stimulus.LANDMARKS`:
    muscle, MEV, the MAV range, MRV."""
    return [
        (
            words(muscle.value),
            _number(marks.mev),
            f"{_number(marks.mav_low)}–{_number(marks.mav_high)}",
            _number(marks.mrv),
        )
        for muscle, marks in LANDMARKS.items()
    ]


def guide_framework() -> dict[str, list[str]]:
    """The article's three lists, rebuilt from the rule table."""
    lists: dict[str, list[str]] = {"go": [], "avoid": [], "never": []}
    for rule in RULES:
        lists[rule.effect.value].append(rule.summary)
    return lists


def fatigue_curve_chart() -> str:
    rirs = [r / 2 for r in range(0, 13)]
    return line_chart(
        "Fatigue of one set by reps left",
        [Series("acute fatigue %", [(r, proximity_cost(r)) for r in rirs])],
        x_labels=[(r, f"RIR {_number(r)}") for r in rirs if r == int(r)],
        y_label="% performance loss",
    )


def stimulus_chart() -> str:
    rirs = [float(r) for r in range(0, 11)]
    return line_chart(
        "Growth stimulus by reps left",
        [
            Series(
                f"failwise: −{ROBINSON_SLOPE_PER_RIR} a rep",
                [(r, set_stimulus(r)) for r in rirs],
            ),
            Series(
                "Robinson 2024 means",
                [(float(r), value) for r, value in sorted(ROBINSON_MARGINAL_MEANS.items())],
            ),
        ],
        x_labels=[(r, f"RIR {_number(r)}") for r in rirs if r % 2 == 0],
        y_label="% muscle growth",
    )


@dataclass(frozen=True, slots=True)
class LastReps:
    rir: float
    reps: int
    fatigue: float
    recovery_hours: float
    stimulus: float
    extra_fatigue: float | None
    """Fatigue the last rep added over stopping one rep sooner."""
    extra_stimulus: float | None


def last_reps_table(stops: Sequence[float] = (4, 3, 2, 1, 0)) -> list[LastReps]:
    """The reference set (a heavy compound at its 10RM load) stopped at each RIR."""
    rows = []
    previous = None
    for rir in stops:
        reps = int(10 - rir)
        cost = set_cost(reps, rir)
        rows.append(
            LastReps(
                rir=rir,
                reps=reps,
                fatigue=cost.fatigue,
                recovery_hours=cost.recovery_hours,
                stimulus=cost.stimulus,
                extra_fatigue=None if previous is None else cost.fatigue - previous.fatigue,
                extra_stimulus=None if previous is None else cost.stimulus - previous.stimulus,
            )
        )
        previous = cost
    return rows


def day_label(moment: datetime, today: date) -> str:
    """``Today 18:04``, ``Yesterday``, ``Mon 23 Nov``."""
    if moment.date() == today:
        return f"Today {moment:%H:%M}"
    if moment.date() == today - timedelta(days=1):
        return f"Yesterday {moment:%H:%M}"
    return f"{moment:%a %d %b %Y}"


# --- the lifter's own exercises ----------------------------------------------------------------


def words(value: str) -> str:
    """An attribute's value in plain words: ``horizontal-push`` → ``horizontal push``."""
    return value.replace("-", " ")


@dataclass(frozen=True, slots=True)
class CustomExerciseView:
    """One of the lifter's own exercises, as the "My exercises" page shows and edits it."""

    id: str
    name: str
    guessed: bool
    summary: str
    """``barbell · compound · vertical push · shoulders``."""
    flags: tuple[str, ...]
    """What the rules read about its risk, in words."""
    last_set: str
    """What the coach says about the last of three sets of it, and the strongest reason."""
    last_set_effect: str
    values: dict[str, Any]
    """The form's values: attribute values, muscles as lists, the load step in the unit."""


def custom_exercise_view(exercise: Exercise, units: Units, *, spotter: bool) -> CustomExerciseView:
    """How a custom exercise reads, with what its attributes make the coach say."""
    flags = []
    if exercise.fixed_path:
        flags.append("runs on a fixed path")
    if exercise.heavy_compound:
        flags.append("heavy compound")
    if exercise.needs_spotter:
        flags.append("needs a spotter")
    flags.append(f"{exercise.injury_risk.value} injury risk")
    last = prescribe(SetContext(exercise=exercise, set_number=3, total_sets=3, spotter=spotter))
    reason = last.reasons[0].text if last.reasons else ""
    muscles = ", ".join(words(m.value) for m in exercise.primary)
    return CustomExerciseView(
        id=exercise.id,
        name=exercise.name,
        guessed=exercise.guessed,
        summary=" · ".join(
            (
                words(exercise.equipment.value),
                exercise.mechanics.value,
                words(exercise.pattern.value),
                muscles,
            )
        ),
        flags=tuple(flags),
        last_set=f"{EFFECT_WORDS[last.failure.value]}. {reason}".strip(),
        last_set_effect=last.failure.value,
        values={
            "equipment": exercise.equipment.value,
            "mechanics": exercise.mechanics.value,
            "pattern": exercise.pattern.value,
            "primary": [m.value for m in exercise.primary],
            "secondary": [m.value for m in exercise.secondary],
            "fixed_path": exercise.fixed_path,
            "heavy_compound": exercise.heavy_compound,
            "needs_spotter": exercise.needs_spotter,
            "injury_risk": exercise.injury_risk.value,
            "increment": units.number(exercise.increment_kg),
        },
    )


# --- exercise search -----------------------------------------------------------------------------

SEARCH_RESULTS = 20
"""The most exercises a search lists: a phone screen and a half of them."""


@dataclass(frozen=True, slots=True)
class ExerciseSearch:
    """What the Today page's search box found for what the lifter typed and filtered."""

    typed: str
    muscle: str
    """The muscle filter's value, "" for any muscle."""
    equipment: str
    """The equipment filter's value, "" for any equipment."""
    found: tuple[Exercise, ...]
    every_word: bool
    """The exercises found hold every word typed; else they are the closest names (or none)."""

    @property
    def filtered(self) -> bool:
        return bool(self.muscle or self.equipment)


def exercise_search(
    catalog: Catalog, typed: str, *, muscle: str = "", equipment: str = ""
) -> ExerciseSearch:
    """The exercises that answer a search; a filter value no exercise has is no filter."""
    muscle = muscle if muscle in MUSCLE_CHOICES else ""
    equipment = equipment if equipment in EQUIPMENT_CHOICES else ""
    search = partial(catalog.search, typed, muscle=muscle or None, equipment=equipment or None)
    try:
        found = search(limit=SEARCH_RESULTS, closest=False)
        every_word = bool(found)
        if not found:
            found = search(limit=5)
    except InvalidInput:  # a control character or a name no exercise could have
        found, every_word = (), False
    return ExerciseSearch(typed, muscle, equipment, found, every_word)


def exercise_summary(exercise: Exercise) -> str:
    """``dumbbell · chest``: what tells apart the exercises a search lists."""
    return " · ".join((words(exercise.equipment.value), *(words(m) for m in exercise.primary)))


MUSCLE_CHOICES = {muscle.value: words(muscle.value) for muscle in Muscle}
EQUIPMENT_CHOICES = {item.value: words(item.value) for item in Equipment}

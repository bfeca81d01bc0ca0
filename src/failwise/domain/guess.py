"""Cautious guesses at an exercise the catalog does not know, from its name alone.

An import brings names like ``Snatch Grip Deadlift`` or ``Log Press`` that no
catalog holds. Their sets must not be lost, so each becomes the lifter's own
exercise, and the decision rules need its attributes before the lifter has said
a word about it. A wrong guess on the safe side costs a rep or two in reserve;
a wrong guess on the unsafe side tells a lifter to grind a heavy barbell to
failure. So the guess leans the way a careful coach would:

- only a name that says so is a machine: ``machine``, ``smith``, ``leg press``,
  ``hack squat``, ``pec deck``… A fixed path is the one thing that lets a
  compound go to failure, and it is never assumed;
- a name that names no equipment is taken as a free weight on a bar, the
  riskiest load (a deadlift, squat, press or row without a word about the
  equipment is a barbell one);
- deadlifts, squats, barbell presses and the Olympic lifts are heavy compounds
  (stop 1–3 reps short); barbell presses and squats can pin a lifter alone
  (never near failure without a spotter); free-weight rows flex a loaded spine
  and the Olympic lifts are all technique (high injury risk: never near failure);
- a name that says nothing known is a heavy free-weight compound: the rules
  then keep it short of failure until the lifter says what it is.

Every guess is marked as one (:attr:`~failwise.domain.exercises.Exercise.guessed`)
so the lifter can be shown it and correct it.

>>> guess = guess_exercise("Snatch Grip Deadlift")
>>> guess.equipment.value, guess.pattern.value, guess.heavy_compound, guess.fixed_path
('barbell', 'hinge', True, False)
>>> guess_exercise("Chest Press Machine").fixed_path
True
>>> guess_exercise("Cable Fly Thing").mechanics.value
'isolation'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from failwise.domain.exercises import (
    Catalog,
    Equipment,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)

__all__ = ["Guess", "add_guessed", "guess_exercise"]

_C, _I = Mechanics.COMPOUND, Mechanics.ISOLATION
_LOW, _MODERATE, _HIGH = InjuryRisk.LOW, InjuryRisk.MODERATE, InjuryRisk.HIGH
_GUIDED = frozenset({Equipment.MACHINE, Equipment.SMITH_MACHINE})
_BARS = frozenset({Equipment.BARBELL, Equipment.TRAP_BAR, Equipment.EZ_BAR})
_HANDHELD = frozenset({Equipment.DUMBBELL, Equipment.KETTLEBELL, Equipment.BODYWEIGHT})


@dataclass(frozen=True, slots=True)
class Guess:
    """The attributes guessed for a name: what :meth:`Catalog.add_custom` takes."""

    pattern: Pattern
    mechanics: Mechanics
    equipment: Equipment
    fixed_path: bool
    heavy_compound: bool
    injury_risk: InjuryRisk
    needs_spotter: bool
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...]
    increment_kg: float
    known_movement: bool
    """Whether a word of the name told the movement (else the cautious default)."""

    def attributes(self) -> dict[str, Any]:
        """The keyword arguments of :meth:`Catalog.add_custom`."""
        return {
            "pattern": self.pattern,
            "mechanics": self.mechanics,
            "equipment": self.equipment,
            "fixed_path": self.fixed_path,
            "heavy_compound": self.heavy_compound,
            "injury_risk": self.injury_risk,
            "needs_spotter": self.needs_spotter,
            "primary": list(self.primary),
            "secondary": list(self.secondary),
            "increment_kg": self.increment_kg,
        }


@dataclass(frozen=True, slots=True)
class _Movement:
    """What a movement word says, and how its risk depends on the load."""

    words: tuple[str, ...]
    pattern: Pattern
    mechanics: Mechanics
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...] = ()
    bar_heavy: bool = False
    """A heavy compound when loaded on a bar (or when the name names no equipment)."""
    bar_risk: InjuryRisk = _LOW
    """The injury risk on a bar (or when the name names no equipment)."""
    hand_heavy: bool = False
    """A heavy compound with dumbbells, kettlebells or the body's own weight too."""
    hand_risk: InjuryRisk = _LOW
    """The injury risk with dumbbells, kettlebells or the body's own weight."""
    spotter: bool = False
    """A failed rep can pin the lifter under the load (a bar; dumbbells on a bench)."""
    default: Equipment = Equipment.BARBELL
    """The equipment when the name names none: a bar unless the movement says otherwise."""


_M = Muscle
# The most specific names first: "snatch grip deadlift" is a deadlift, not a snatch;
# "leg press" is no bench press; "upright row" is no bent-over row.
_MOVEMENTS: tuple[_Movement, ...] = (
    _Movement(
        (
            "deadlift",
            "rdl",
            "stiff leg",
            "rack pull",
            "block pull",
            "clean pull",
            "snatch pull",
            "deficit pull",
            "sumo pull",
            "high pull",
        ),
        Pattern.HINGE,
        _C,
        (_M.HAMSTRINGS, _M.GLUTES, _M.LOWER_BACK),
        (_M.QUADS, _M.BACK, _M.TRAPS, _M.FOREARMS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
    ),
    _Movement(
        ("good morning", "jefferson curl", "zercher good morning"),
        Pattern.HINGE,
        _C,
        (_M.HAMSTRINGS, _M.LOWER_BACK),
        (_M.GLUTES,),
        bar_heavy=True,
        bar_risk=_HIGH,
        hand_risk=_MODERATE,
    ),
    # Olympic lifts: all technique, and a missed rep is a dropped bar. Never near failure.
    _Movement(
        ("clean", "snatch", "jerk"),
        Pattern.HINGE,
        _C,
        (_M.GLUTES, _M.HAMSTRINGS, _M.QUADS),
        (_M.TRAPS, _M.BACK, _M.SHOULDERS, _M.LOWER_BACK),
        bar_heavy=True,
        bar_risk=_HIGH,
        hand_heavy=True,
        hand_risk=_HIGH,
    ),
    _Movement(("calf", "calve"), Pattern.CALF_RAISE, _I, (_M.CALVES,)),
    _Movement(
        ("leg press",),
        Pattern.LEG_PRESS,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("hack squat", "belt squat", "pendulum squat", "v squat"),
        Pattern.SQUAT,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("leg extension", "quad extension", "knee extension"),
        Pattern.KNEE_EXTENSION,
        _I,
        (_M.QUADS,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("sissy squat",),
        Pattern.KNEE_EXTENSION,
        _I,
        (_M.QUADS,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("pistol", "shrimp squat", "skater squat"),
        Pattern.LUNGE,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("split squat", "bulgarian", "lunge", "step up"),
        Pattern.LUNGE,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
    ),
    _Movement(
        ("overhead squat",),
        Pattern.SQUAT,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.SHOULDERS, _M.ADDUCTORS, _M.LOWER_BACK),
        bar_heavy=True,
        bar_risk=_HIGH,
        hand_risk=_MODERATE,
        spotter=True,
    ),
    _Movement(
        ("squat", "thruster"),
        Pattern.SQUAT,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.LOWER_BACK, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        spotter=True,
    ),
    _Movement(
        ("hip thrust", "glute bridge", "hip bridge"),
        Pattern.HIP_THRUST,
        _C,
        (_M.GLUTES,),
        (_M.HAMSTRINGS, _M.QUADS),
    ),
    _Movement(
        ("leg curl", "hamstring curl"),
        Pattern.KNEE_FLEXION,
        _I,
        (_M.HAMSTRINGS,),
        (_M.CALVES,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("nordic", "glute ham", "ghr"),
        Pattern.KNEE_FLEXION,
        _I,
        (_M.HAMSTRINGS,),
        (_M.CALVES,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("wrist", "forearm"),
        Pattern.WRIST,
        _I,
        (_M.FOREARMS,),
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("jm press",),
        Pattern.TRICEPS_EXTENSION,
        _C,
        (_M.TRICEPS,),
        (_M.CHEST, _M.SHOULDERS),
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        spotter=True,
    ),
    _Movement(
        ("pushdown", "push down", "rope extension"),
        Pattern.TRICEPS_EXTENSION,
        _I,
        (_M.TRICEPS,),
        default=Equipment.CABLE,
    ),
    _Movement(
        (
            "tricep",
            "skull crusher",
            "skullcrusher",
            "french press",
            "tate press",
            "overhead extension",
        ),
        Pattern.TRICEPS_EXTENSION,
        _I,
        (_M.TRICEPS,),
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("glute kickback", "kickback glute", "donkey kick", "hip extension"),
        Pattern.HIP_THRUST,
        _I,
        (_M.GLUTES,),
        (_M.HAMSTRINGS,),
        default=Equipment.CABLE,
    ),
    _Movement(
        ("kickback",), Pattern.TRICEPS_EXTENSION, _I, (_M.TRICEPS,), default=Equipment.DUMBBELL
    ),
    _Movement(
        ("curl",), Pattern.CURL, _I, (_M.BICEPS,), (_M.FOREARMS,), default=Equipment.DUMBBELL
    ),
    _Movement(
        ("rollout", "roll out", "ab wheel"),
        Pattern.CORE,
        _C,
        (_M.ABS,),
        (_M.BACK, _M.SHOULDERS),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        (
            "pallof",
            "wood chop",
            "woodchop",
            "crunch",
            "sit up",
            "plank",
            "leg raise",
            "knee raise",
            "toe to bar",
            "hollow",
            "dead bug",
            "russian twist",
            "dragon flag",
            "l sit",
            "ab",
            "abs",
            "oblique",
        ),
        Pattern.CORE,
        _I,
        (_M.ABS,),
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("upright row",),
        Pattern.LATERAL_RAISE,
        _C,
        (_M.SHOULDERS, _M.TRAPS),
        (_M.BICEPS, _M.FOREARMS),
        bar_risk=_HIGH,
        hand_risk=_MODERATE,
    ),
    _Movement(
        ("face pull", "rear delt", "reverse fly", "reverse flye", "pull apart", "rear fly"),
        Pattern.REAR_DELT,
        _I,
        (_M.SHOULDERS,),
        (_M.TRAPS, _M.BACK),
        default=Equipment.CABLE,
    ),
    _Movement(
        (
            "lateral raise",
            "lat raise",
            "side raise",
            "front raise",
            "y raise",
            "delt raise",
            "lu raise",
        ),
        Pattern.LATERAL_RAISE,
        _I,
        (_M.SHOULDERS,),
        (_M.TRAPS,),
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("fly", "pec deck", "crossover", "cross over"),
        Pattern.FLY,
        _I,
        (_M.CHEST,),
        (_M.SHOULDERS,),
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("raise",),
        Pattern.LATERAL_RAISE,
        _I,
        (_M.SHOULDERS,),
        (_M.TRAPS,),
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("pullover",),
        Pattern.PULLOVER,
        _I,
        (_M.BACK,),
        (_M.CHEST, _M.TRICEPS),
        default=Equipment.DUMBBELL,
    ),
    _Movement(("shrug",), Pattern.SHRUG, _I, (_M.TRAPS,), (_M.FOREARMS,)),
    _Movement(
        ("abduction", "abductor", "clamshell", "lateral walk", "monster walk"),
        Pattern.HIP_ABDUCTION,
        _I,
        (_M.GLUTES,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("adduction", "adductor", "copenhagen"),
        Pattern.HIP_ADDUCTION,
        _I,
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    _Movement(
        ("carry", "farmer", "yoke", "suitcase", "walk"),
        Pattern.CARRY,
        _C,
        (_M.FOREARMS, _M.TRAPS),
        (_M.ABS, _M.GLUTES),
        bar_heavy=True,
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        default=Equipment.DUMBBELL,
    ),
    _Movement(
        ("pull up", "chin up", "pulldown", "pull down", "muscle up"),
        Pattern.VERTICAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.FOREARMS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("inverted row", "body row", "ring row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("chest supported", "seal row", "supported row", "bench row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
    ),
    _Movement(
        ("seated row", "cable row", "low row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
        default=Equipment.CABLE,
    ),
    # A free-weight row is a loaded spine held flexed: form breaks before the back fails.
    _Movement(
        ("row",),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.LOWER_BACK, _M.TRAPS, _M.SHOULDERS, _M.FOREARMS),
        bar_risk=_HIGH,
    ),
    _Movement(
        ("dip",),
        Pattern.HORIZONTAL_PUSH,
        _C,
        (_M.CHEST, _M.TRICEPS),
        (_M.SHOULDERS,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("push up",),
        Pattern.HORIZONTAL_PUSH,
        _C,
        (_M.CHEST,),
        (_M.TRICEPS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("behind the neck", "behind neck"),
        Pattern.VERTICAL_PUSH,
        _C,
        (_M.SHOULDERS,),
        (_M.TRICEPS, _M.TRAPS),
        bar_heavy=True,
        bar_risk=_HIGH,
        hand_risk=_HIGH,
        spotter=True,
    ),
    _Movement(
        (
            "overhead",
            "shoulder",
            "military",
            "push press",
            "log",
            "axle",
            "strict press",
            "z press",
            "viking",
            "landmine",
            "arnold",
            "bradford",
            "handstand",
            "pike",
        ),
        Pattern.VERTICAL_PUSH,
        _C,
        (_M.SHOULDERS,),
        (_M.TRICEPS, _M.TRAPS, _M.ABS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        spotter=True,
    ),
    _Movement(
        ("press", "bench"),
        Pattern.HORIZONTAL_PUSH,
        _C,
        (_M.CHEST,),
        (_M.TRICEPS, _M.SHOULDERS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        spotter=True,
    ),
    _Movement(
        ("back extension", "hyperextension", "hyper extension", "reverse hyper", "superman"),
        Pattern.HINGE,
        _I,
        (_M.LOWER_BACK, _M.GLUTES),
        (_M.HAMSTRINGS,),
        default=Equipment.BODYWEIGHT,
    ),
    _Movement(
        ("pull through",),
        Pattern.HINGE,
        _I,
        (_M.GLUTES,),
        (_M.HAMSTRINGS,),
        default=Equipment.CABLE,
    ),
    _Movement(
        ("extension",), Pattern.TRICEPS_EXTENSION, _I, (_M.TRICEPS,), default=Equipment.DUMBBELL
    ),
    _Movement(
        ("swing",),
        Pattern.HINGE,
        _C,
        (_M.GLUTES, _M.HAMSTRINGS),
        (_M.LOWER_BACK, _M.ABS),
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        default=Equipment.KETTLEBELL,
    ),
)
# Nothing in the name tells the movement: a heavy free-weight compound, the cautious side.
_UNKNOWN = _Movement(
    (),
    Pattern.HORIZONTAL_PULL,
    _C,
    (_M.BACK,),
    bar_heavy=True,
    bar_risk=_MODERATE,
    hand_heavy=True,
    hand_risk=_MODERATE,
)
# Words that say which muscle an unknown movement trains.
_MUSCLE_WORDS: tuple[tuple[str, Muscle, Pattern], ...] = (
    ("chest", _M.CHEST, Pattern.HORIZONTAL_PUSH),
    ("pec", _M.CHEST, Pattern.HORIZONTAL_PUSH),
    ("lat", _M.BACK, Pattern.VERTICAL_PULL),
    ("back", _M.BACK, Pattern.HORIZONTAL_PULL),
    ("shoulder", _M.SHOULDERS, Pattern.VERTICAL_PUSH),
    ("delt", _M.SHOULDERS, Pattern.LATERAL_RAISE),
    ("bicep", _M.BICEPS, Pattern.CURL),
    ("tricep", _M.TRICEPS, Pattern.TRICEPS_EXTENSION),
    ("trap", _M.TRAPS, Pattern.SHRUG),
    ("glute", _M.GLUTES, Pattern.HIP_THRUST),
    ("hip", _M.GLUTES, Pattern.HIP_THRUST),
    ("quad", _M.QUADS, Pattern.SQUAT),
    ("leg", _M.QUADS, Pattern.SQUAT),
    ("hamstring", _M.HAMSTRINGS, Pattern.KNEE_FLEXION),
    ("core", _M.ABS, Pattern.CORE),
    ("neck", _M.TRAPS, Pattern.SHRUG),
)
# Words that name the equipment, in the order they win: a "smith machine" is a smith
# machine, a "cable machine" is a cable (its path is free), "machine" alone a machine.
_EQUIPMENT_WORDS: tuple[tuple[tuple[str, ...], Equipment], ...] = (
    (("smith",), Equipment.SMITH_MACHINE),
    (("cable", "pulley", "crossover", "cross over"), Equipment.CABLE),
    (
        (
            "machine",
            "leg press",
            "hack squat",
            "pendulum",
            "belt squat",
            "v squat",
            "pec deck",
            "hammer strength",
            "plate loaded",
            "selectorized",
            "selectorised",
            "lever",
            "nautilus",
        ),
        Equipment.MACHINE,
    ),
    (("band", "banded"), Equipment.BAND),
    (("trap bar", "hex bar"), Equipment.TRAP_BAR),
    (("ez bar", "ez", "curl bar"), Equipment.EZ_BAR),
    (("kettlebell", "kb"), Equipment.KETTLEBELL),
    (("dumbbell", "db", "goblet"), Equipment.DUMBBELL),
    (
        (
            "barbell",
            "bb",
            "log",
            "axle",
            "landmine",
            "safety bar",
            "ssb",
            "cambered",
            "swiss bar",
            "football bar",
            "buffalo bar",
            "olympic bar",
            "t bar",
        ),
        Equipment.BARBELL,
    ),
    (
        ("bodyweight", "bw", "weighted", "assisted", "ring", "rings", "hanging"),
        Equipment.BODYWEIGHT,
    ),
)
_INCREMENT = {
    Equipment.DUMBBELL: 2.0,
    Equipment.KETTLEBELL: 4.0,
    Equipment.CABLE: 2.5,
    Equipment.MACHINE: 2.5,
}
_JOINED = {
    "pullup": "pull up",
    "chinup": "chin up",
    "pushup": "push up",
    "situp": "sit up",
    "stepup": "step up",
    "muscleup": "muscle up",
    "pulldown": "pulldown",
    "ezbar": "ez bar",
    "hexbar": "hex bar",
    "trapbar": "trap bar",
    "flye": "fly",
    "flyes": "fly",
    "flies": "fly",
    "dumbell": "dumbbell",
    "dumbbells": "dumbbell",
    "ohp": "overhead press",
    "sldl": "stiff leg deadlift",
    "dl": "deadlift",
    "rdls": "rdl",
    "hyper": "hyperextension",
}


def _words(name: str) -> str:
    """The name as one line of lowercase singular words, padded with spaces."""
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", name.lower().replace("'", "")):
        word = _JOINED.get(word, word)
        if word.endswith(("sses", "ches", "shes", "xes")):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
            word = word[:-1]
        words.append(word)
    return " " + " ".join(words) + " "


def _says(text: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in text for phrase in phrases)


def guess_exercise(name: str) -> Guess:
    """The attributes a careful coach would assume for ``name``, knowing nothing else.

    See the module's docstring for the leanings; the result is only a guess
    until the lifter corrects it.
    """
    text = _words(name)
    movement = next((m for m in _MOVEMENTS if _says(text, m.words)), _UNKNOWN)
    named = next((kind for words, kind in _EQUIPMENT_WORDS if _says(text, words)), None)
    equipment = named or movement.default
    primary, secondary, pattern = movement.primary, movement.secondary, movement.pattern
    if movement is _UNKNOWN:
        found = next(((m, p) for word, m, p in _MUSCLE_WORDS if _says(text, (word,))), None)
        if found is not None:
            primary, pattern = (found[0],), found[1]
    if equipment in _GUIDED:
        heavy, risk = False, _LOW
        # A smith machine still pins a lifter under a failed press or squat.
        spotter = movement.spotter and equipment is Equipment.SMITH_MACHINE
    elif equipment in _BARS:
        heavy, risk, spotter = movement.bar_heavy, movement.bar_risk, movement.spotter
    elif equipment in _HANDHELD:
        heavy, risk = movement.hand_heavy, movement.hand_risk
        # Dumbbells over the face on a bench pin a lifter as a bar does.
        spotter = (
            movement.spotter
            and pattern is Pattern.HORIZONTAL_PUSH
            and (equipment is not Equipment.BODYWEIGHT)
        )
    else:  # a cable or a band lets go when the lifter fails
        heavy, risk, spotter = False, _LOW, False
    return Guess(
        pattern=pattern,
        mechanics=movement.mechanics,
        equipment=equipment,
        fixed_path=equipment in _GUIDED,
        heavy_compound=heavy and movement.mechanics is Mechanics.COMPOUND,
        injury_risk=risk,
        needs_spotter=spotter,
        primary=primary,
        secondary=tuple(m for m in secondary if m not in primary),
        increment_kg=_INCREMENT.get(equipment, 2.5),
        known_movement=movement is not _UNKNOWN,
    )


def add_guessed(catalog: Catalog, name: str) -> Catalog:
    """``catalog`` with ``name`` added as the lifter's own exercise, its attributes guessed.

    >>> from failwise.domain.exercises import Catalog
    >>> mine = add_guessed(Catalog(()), "Log Press")
    >>> log = mine.resolve("log press")
    >>> log.custom, log.guessed, log.equipment.value, log.pattern.value
    (True, True, 'barbell', 'vertical-push')
    """
    return catalog.add_custom(name, guessed=True, **guess_exercise(name).attributes())

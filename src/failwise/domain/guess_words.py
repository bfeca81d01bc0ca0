"""The words an exercise's name is read by, for :mod:`failwise.domain.guess`.

Each :class:`Movement` names a movement and how its risk depends on the load;
:data:`EQUIPMENT_WORDS` names the equipment, :data:`MUSCLE_WORDS` the muscle an
unknown movement trains. :func:`words_of` puts a name in the form they are
looked for in.

>>> text = words_of("Snatch-Grip Deadlifts")
>>> text, says(text, ("deadlift",))
(' snatch grip deadlift ', True)
>>> next(m for m in MOVEMENTS if says(text, m.words)).pattern.value
'hinge'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from failwise.domain.exercises import Equipment, InjuryRisk, Mechanics, Muscle, Pattern

__all__ = [
    "EQUIPMENT_WORDS",
    "INCREMENT_KG",
    "MOVEMENTS",
    "MUSCLE_WORDS",
    "UNKNOWN_MOVEMENT",
    "Movement",
    "says",
    "words_of",
]

_C, _I = Mechanics.COMPOUND, Mechanics.ISOLATION
_LOW, _MODERATE, _HIGH = InjuryRisk.LOW, InjuryRisk.MODERATE, InjuryRisk.HIGH


@dataclass(frozen=True, slots=True)
class Movement:
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
MOVEMENTS: tuple[Movement, ...] = (
    Movement(
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
    Movement(
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
    Movement(
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
    Movement(("calf", "calve"), Pattern.CALF_RAISE, _I, (_M.CALVES,)),
    Movement(
        ("leg press",),
        Pattern.LEG_PRESS,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    Movement(
        ("hack squat", "belt squat", "pendulum squat", "v squat"),
        Pattern.SQUAT,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    Movement(
        ("leg extension", "quad extension", "knee extension"),
        Pattern.KNEE_EXTENSION,
        _I,
        (_M.QUADS,),
        default=Equipment.MACHINE,
    ),
    Movement(
        ("sissy squat",),
        Pattern.KNEE_EXTENSION,
        _I,
        (_M.QUADS,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("pistol", "shrimp squat", "skater squat"),
        Pattern.LUNGE,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("split squat", "bulgarian", "lunge", "step up"),
        Pattern.LUNGE,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
    ),
    Movement(
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
    Movement(
        ("squat", "thruster"),
        Pattern.SQUAT,
        _C,
        (_M.QUADS, _M.GLUTES),
        (_M.ADDUCTORS, _M.LOWER_BACK, _M.HAMSTRINGS),
        bar_heavy=True,
        bar_risk=_MODERATE,
        spotter=True,
    ),
    Movement(
        ("hip thrust", "glute bridge", "hip bridge"),
        Pattern.HIP_THRUST,
        _C,
        (_M.GLUTES,),
        (_M.HAMSTRINGS, _M.QUADS),
    ),
    Movement(
        ("leg curl", "hamstring curl"),
        Pattern.KNEE_FLEXION,
        _I,
        (_M.HAMSTRINGS,),
        (_M.CALVES,),
        default=Equipment.MACHINE,
    ),
    Movement(
        ("nordic", "glute ham", "ghr"),
        Pattern.KNEE_FLEXION,
        _I,
        (_M.HAMSTRINGS,),
        (_M.CALVES,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("wrist", "forearm"),
        Pattern.WRIST,
        _I,
        (_M.FOREARMS,),
        default=Equipment.DUMBBELL,
    ),
    Movement(
        ("jm press",),
        Pattern.TRICEPS_EXTENSION,
        _C,
        (_M.TRICEPS,),
        (_M.CHEST, _M.SHOULDERS),
        bar_risk=_MODERATE,
        hand_risk=_MODERATE,
        spotter=True,
    ),
    Movement(
        ("pushdown", "push down", "rope extension"),
        Pattern.TRICEPS_EXTENSION,
        _I,
        (_M.TRICEPS,),
        default=Equipment.CABLE,
    ),
    Movement(
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
    Movement(
        ("glute kickback", "kickback glute", "donkey kick", "hip extension"),
        Pattern.HIP_THRUST,
        _I,
        (_M.GLUTES,),
        (_M.HAMSTRINGS,),
        default=Equipment.CABLE,
    ),
    Movement(
        ("kickback",), Pattern.TRICEPS_EXTENSION, _I, (_M.TRICEPS,), default=Equipment.DUMBBELL
    ),
    Movement(("curl",), Pattern.CURL, _I, (_M.BICEPS,), (_M.FOREARMS,), default=Equipment.DUMBBELL),
    Movement(
        ("rollout", "roll out", "ab wheel"),
        Pattern.CORE,
        _C,
        (_M.ABS,),
        (_M.BACK, _M.SHOULDERS),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
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
    Movement(
        ("upright row",),
        Pattern.LATERAL_RAISE,
        _C,
        (_M.SHOULDERS, _M.TRAPS),
        (_M.BICEPS, _M.FOREARMS),
        bar_risk=_HIGH,
        hand_risk=_MODERATE,
    ),
    Movement(
        ("face pull", "rear delt", "reverse fly", "reverse flye", "pull apart", "rear fly"),
        Pattern.REAR_DELT,
        _I,
        (_M.SHOULDERS,),
        (_M.TRAPS, _M.BACK),
        default=Equipment.CABLE,
    ),
    Movement(
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
    Movement(
        ("fly", "pec deck", "crossover", "cross over"),
        Pattern.FLY,
        _I,
        (_M.CHEST,),
        (_M.SHOULDERS,),
        default=Equipment.DUMBBELL,
    ),
    Movement(
        ("raise",),
        Pattern.LATERAL_RAISE,
        _I,
        (_M.SHOULDERS,),
        (_M.TRAPS,),
        default=Equipment.DUMBBELL,
    ),
    Movement(
        ("pullover",),
        Pattern.PULLOVER,
        _I,
        (_M.BACK,),
        (_M.CHEST, _M.TRICEPS),
        default=Equipment.DUMBBELL,
    ),
    Movement(("shrug",), Pattern.SHRUG, _I, (_M.TRAPS,), (_M.FOREARMS,)),
    Movement(
        ("abduction", "abductor", "clamshell", "lateral walk", "monster walk"),
        Pattern.HIP_ABDUCTION,
        _I,
        (_M.GLUTES,),
        default=Equipment.MACHINE,
    ),
    Movement(
        ("adduction", "adductor", "copenhagen"),
        Pattern.HIP_ADDUCTION,
        _I,
        (_M.ADDUCTORS,),
        default=Equipment.MACHINE,
    ),
    Movement(
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
    Movement(
        ("pull up", "chin up", "pulldown", "pull down", "muscle up"),
        Pattern.VERTICAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.FOREARMS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("inverted row", "body row", "ring row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("chest supported", "seal row", "supported row", "bench row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
    ),
    Movement(
        ("seated row", "cable row", "low row"),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.TRAPS, _M.SHOULDERS),
        default=Equipment.CABLE,
    ),
    # A free-weight row is a loaded spine held flexed: form breaks before the back fails.
    Movement(
        ("row",),
        Pattern.HORIZONTAL_PULL,
        _C,
        (_M.BACK,),
        (_M.BICEPS, _M.LOWER_BACK, _M.TRAPS, _M.SHOULDERS, _M.FOREARMS),
        bar_risk=_HIGH,
    ),
    Movement(
        ("dip",),
        Pattern.HORIZONTAL_PUSH,
        _C,
        (_M.CHEST, _M.TRICEPS),
        (_M.SHOULDERS,),
        hand_risk=_MODERATE,
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("push up",),
        Pattern.HORIZONTAL_PUSH,
        _C,
        (_M.CHEST,),
        (_M.TRICEPS, _M.SHOULDERS),
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
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
    Movement(
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
    Movement(
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
    Movement(
        ("back extension", "hyperextension", "hyper extension", "reverse hyper", "superman"),
        Pattern.HINGE,
        _I,
        (_M.LOWER_BACK, _M.GLUTES),
        (_M.HAMSTRINGS,),
        default=Equipment.BODYWEIGHT,
    ),
    Movement(
        ("pull through",),
        Pattern.HINGE,
        _I,
        (_M.GLUTES,),
        (_M.HAMSTRINGS,),
        default=Equipment.CABLE,
    ),
    Movement(
        ("extension",), Pattern.TRICEPS_EXTENSION, _I, (_M.TRICEPS,), default=Equipment.DUMBBELL
    ),
    Movement(
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
UNKNOWN_MOVEMENT = Movement(
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
MUSCLE_WORDS: tuple[tuple[str, Muscle, Pattern], ...] = (
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
EQUIPMENT_WORDS: tuple[tuple[tuple[str, ...], Equipment], ...] = (
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
INCREMENT_KG = {
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


def words_of(name: str) -> str:
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


def says(text: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in text for phrase in phrases)

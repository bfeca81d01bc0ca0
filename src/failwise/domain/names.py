"""Exercise names as lifters type them: the normal form lookups use, and search ranking.

Case, punctuation, word order, plurals, synonyms ("db", "dumbell") and joined
words ("pull up") do not matter to :func:`name_key`; :func:`expand_abbreviations`
spells out lifters' shorthand, and :func:`word_rank` says how well a typed
query matches an exercise (what :meth:`failwise.domain.exercises.Catalog.search`
sorts by).

>>> name_key("Pull-Up (Weighted)") == name_key("weighted pullup")
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from failwise.domain.exercises import Exercise

__all__ = ["ABBREVIATIONS", "expand_abbreviations", "name_key", "name_tokens", "word_rank"]


# Words that name the same thing; the right side is the canonical token.
_SYNONYMS = {
    "db": "dumbbell",
    "dumbell": "dumbbell",
    "dumbbells": "dumbbell",
    "bb": "barbell",
    "kb": "kettlebell",
    "ez": "ezbar",
    "ezbar": "ezbar",
    "trap": "trap",
    "hex": "trap",
    "smith": "smith",
    "bw": "bodyweight",
    "weighted": "weighted",
    "flye": "fly",
    "flyes": "fly",
    "flies": "fly",
    "biceps": "bicep",
    "triceps": "tricep",
    "situp": "situp",
    "pullup": "pullup",
    "chinup": "chinup",
    "pushup": "pushup",
    "rdl": "romanian deadlift",
    "ohp": "overhead press",
    "cable": "cable",
    "cables": "cable",
    "machines": "machine",
    "bands": "band",
    "banded": "band",
}
# Words that carry no meaning for telling exercises apart.
_FILLER = {"the", "with", "on", "a", "an", "of", "and", "to", "using"}
_JOINED = {
    ("pull", "up"): "pullup",
    ("chin", "up"): "chinup",
    ("push", "up"): "pushup",
    ("sit", "up"): "situp",
    ("ez", "bar"): "ezbar",
    ("trap", "bar"): "trap",
    ("hex", "bar"): "trap",
    ("smith", "machine"): "smith",
}


def name_key(name: str) -> str:
    """The order-free normal form of an exercise name used for lookups.

    >>> name_key("Bench Press (Barbell)") == name_key("barbell bench-press")
    True
    >>> name_key("Dumbbell Lateral Raises")
    'dumbbell lateral raise'
    """
    return " ".join(sorted(set(name_tokens(name))))


def name_tokens(name: str) -> list[str]:
    """The words of a name in :func:`name_key`'s normal form, in the order they come.

    >>> name_tokens("DB Lateral Raises")
    ['dumbbell', 'lateral', 'raise']
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))
    joined: list[str] = []
    index = 0
    while index < len(words):
        pair = tuple(words[index : index + 2])
        if len(pair) == 2 and pair in _JOINED:
            joined.append(_JOINED[(pair[0], pair[1])])
            index += 2
            continue
        joined.append(words[index])
        index += 1
    tokens: list[str] = []
    for word in joined:
        word = _SYNONYMS.get(word, word)
        for token in word.split():
            if token in _FILLER:
                continue
            if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
                token = token[:-1]
            tokens.append(token)
    return tokens


# Shorthand lifters type for an implement or a lift, spelled out as the catalog's
# names spell them. Gym slang as the apps' exercise lists and lifting forums use it;
# the catalog's own aliases already hold the rarer ones (CGBP, RFESS, HSPU, TGU).
ABBREVIATIONS: Mapping[str, str] = {
    "db": "dumbbell",
    "dbs": "dumbbell",
    "bb": "barbell",
    "kb": "kettlebell",
    "kbs": "kettlebell",
    "ez": "ez bar",
    "bw": "bodyweight",
    "ohp": "overhead press",
    "bp": "bench press",
    "dl": "deadlift",
    "rdl": "romanian deadlift",
    "sldl": "stiff leg deadlift",
    "bss": "bulgarian split squat",
    "btn": "behind the neck",
    "ssb": "safety bar",
}
"""Lifters' shorthand and what it stands for, as :meth:`Catalog.search` reads it."""


def expand_abbreviations(query: str) -> str:
    """``query`` with lifters' shorthand spelled out.

    >>> expand_abbreviations("DB bench")
    'dumbbell bench'
    >>> expand_abbreviations("ohp")
    'overhead press'
    """
    spelled = query.lower()
    for short in sorted(ABBREVIATIONS, key=len, reverse=True):
        spelled = re.sub(
            rf"(?<![a-z0-9']){re.escape(short)}(?![a-z0-9'])", ABBREVIATIONS[short], spelled
        )
    return spelled


def _matches(word: str, label: list[str], *, loose: bool = False) -> int | None:
    """0 when ``word`` is a word of ``label``, 1 when it starts one (or lies in one, if loose)."""
    if word in label:
        return 0
    if any(
        token.startswith(word) or (loose and len(word) > 2 and word in token) for token in label
    ):
        return 1
    return None


def word_rank(exercise: Exercise, words: list[str]) -> tuple[int, int] | None:
    """How well every word of a query matches the exercise: (tier, words cut short), or None."""
    labels = [name_tokens(exercise.name)]
    aliases = [name_tokens(label) for label in (exercise.id.replace("-", " "), *exercise.aliases)]
    for tier, group in ((1, labels), (2, aliases)):
        best: int | None = None
        for label in group:
            found = [_matches(word, label) for word in words]
            if all(hit is not None for hit in found):
                short = sum(hit or 0 for hit in found)
                best = short if best is None else min(best, short)
        if best is not None:
            return tier, best
    attributes = [exercise.pattern.value, exercise.equipment.value, *exercise.muscles]
    everything = [token for label in [*labels, *aliases] for token in label]
    everything += [token for value in attributes for token in name_tokens(value)]
    found = [_matches(word, everything, loose=True) for word in words]
    if all(hit is not None for hit in found):
        return 3, sum(hit or 0 for hit in found)
    return None

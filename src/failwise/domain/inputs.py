"""What a value a lifter or a file sends must be before failwise keeps it.

Numbers are finite and plausible for their field; text is valid Unicode that
any database can store and any screen can show: no NUL, no lone surrogate, no
control characters (a note may hold line breaks and tabs). The services call
these before anything is stored, so the CLI, the API, the forms and the
importers refuse the same things with the same words.

>>> plausible(140, "load", low=0, high=MAX_LOAD_KG, unit="kg")
140.0
>>> plausible(float("inf"), "load", low=0, high=MAX_LOAD_KG, unit="kg")
Traceback (most recent call last):
...
failwise.domain.errors.InvalidInput: load must be a number, not inf
>>> text("good set\\nfelt fast", "notes", max_length=2000, multiline=True)
'good set\\nfelt fast'
>>> text("a\\x00b", "notes", max_length=2000)
Traceback (most recent call last):
...
failwise.domain.errors.InvalidInput: notes cannot hold a NUL character (U+0000)
"""

from __future__ import annotations

import math
import re
import unicodedata

from failwise.domain.errors import InvalidInput

__all__ = ["MAX_LOAD_KG", "cleaned", "decimal", "plausible", "text"]

MAX_LOAD_KG = 1000.0
"""The heaviest load a set may carry. The heaviest lifts ever recorded (a 501 kg deadlift,
plate-loaded leg presses near 1,000 kg) stay under it; anything above is a typo or a unit
mix-up, and would poison every e1RM after it."""

_LINE_BREAKS = frozenset("\n\r\t")


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")


def decimal(text: str, *, exponent: bool = False) -> float:
    """A number as a lifter types it, or a file writes it: ``22.5`` and ``22,5`` are 22.5.

    One decimal mark, a dot or a comma, whichever the phone's keyboard or the
    export's locale offers. A number with both marks or several of one
    (``1,234.5``, ``1.234,5``, ``1.000.000``) is refused, not guessed at:
    thousands separators mean opposite things in en-US and de-DE, and no load
    or count needs them. ``nan``, ``inf`` and (unless ``exponent``, for files
    that write ``1e-05``) exponents are refused too, though ``float`` takes them.
    The one number reader of the forms, the command line's CSV files and the
    importers. Raises :class:`ValueError` with the reason.

    >>> decimal("22,5"), decimal(" 22.5 "), decimal("140"), decimal(",5"), decimal("-2")
    (22.5, 22.5, 140.0, 0.5, -2.0)
    >>> decimal("1e3", exponent=True)
    1000.0
    >>> decimal("1,234.5")
    Traceback (most recent call last):
    ...
    ValueError: use one decimal mark and no thousands separator: 22.5 or 22,5
    >>> decimal("nan")
    Traceback (most recent call last):
    ...
    ValueError: type digits, with a dot or a comma for decimals: 22.5 or 22,5
    """
    text = text.strip()
    mantissa, power = text, ""
    if exponent and (found := _EXPONENT.search(text)) and found.end() == len(text):
        mantissa, power = text[: found.start()], found.group()
    if not _DECIMAL.fullmatch(mantissa):
        if mantissa.count(",") + mantissa.count(".") > 1:
            raise ValueError("use one decimal mark and no thousands separator: 22.5 or 22,5")
        raise ValueError("type digits, with a dot or a comma for decimals: 22.5 or 22,5")
    value = float(mantissa.replace(",", ".") + power)
    if not math.isfinite(value):  # 1e999
        raise ValueError("a number this large is not a load, a count or an effort")
    return value


def plausible(value: float, field: str, *, low: float, high: float, unit: str = "") -> float:
    """``value`` as a float when it is finite and within ``low``–``high``, else a clear error."""
    number = float(value)
    shown = f" {unit}" if unit else ""
    if not math.isfinite(number):
        raise InvalidInput(f"{field} must be a number, not {number:g}", field=field)
    if not low <= number <= high:
        raise InvalidInput(
            f"{field} must be from {low:g} to {high:g}{shown}, not {number:g}{shown}",
            field=field,
        )
    return number


def _problem(character: str, multiline: bool) -> str | None:
    if character == "\x00":
        return "a NUL character (U+0000)"
    category = unicodedata.category(character)
    if category == "Cs":
        return f"a lone surrogate (U+{ord(character):04X}): it is not valid Unicode"
    if category == "Cc" and not (multiline and character in _LINE_BREAKS):
        return f"a control character (U+{ord(character):04X})"
    return None


def text(value: str, field: str, *, max_length: int, multiline: bool = False) -> str:
    """``value`` when it can be stored and shown as it is, else an error naming the problem."""
    if len(value) > max_length:
        raise InvalidInput(
            f"{field} has {len(value):,} characters: at most {max_length:,}", field=field
        )
    for character in value:
        problem = _problem(character, multiline)
        if problem is not None:
            raise InvalidInput(f"{field} cannot hold {problem}", field=field)
    return value


def cleaned(value: str, *, max_length: int, multiline: bool = True) -> str:
    """``value`` with what cannot be stored or shown dropped, cut to ``max_length``: for
    text read from another app's file, where one stray byte must not lose a set.

    >>> cleaned("felt\\x00 good\\x1b[2J", max_length=20)
    'felt good[2J'
    """
    kept = "".join(c for c in value if _problem(c, multiline) is None)
    return kept[:max_length]

"""Cells as values: numbers, units and effort, and the error of a cell a row cannot do without.

The mapping rules:

- loads are converted to kg (1 lb = 0.45359237 kg, the international pound:
  :data:`failwise.domain.units.KG_PER_LB`) and rounded to 0.001 kg, which also
  removes the float noise some apps write (``149.99999999999997`` → ``150.0``);
- RPE becomes reps in reserve by Strong's published RPE table (RPE 10 is
  0 RIR, 9.5 is 0.5, 9 is 1, … 6 is 4; below 6, "4+"), which is the
  domain's ``RIR = 10 − RPE`` down to RPE 6; a decimal comma (``8,5``) is
  read as a decimal point. The RPE as logged is kept in the set's notes
  beside the RIR it was read as (:class:`Effort`).
"""

from __future__ import annotations

from dataclasses import dataclass

from failwise.domain.effort import rir_from_rpe
from failwise.domain.errors import InvalidEffort, InvalidInput
from failwise.domain.inputs import decimal
from failwise.domain.units import KG_PER_LB
from failwise.services.imports import Problem

METRES_PER_MILE = 1609.344
"""The international mile, exactly."""

_WEIGHT_UNITS: dict[str, float] = {
    "kg": 1.0,
    "kgs": 1.0,
    "kilogram": 1.0,
    "kilograms": 1.0,
    "lb": KG_PER_LB,
    "lbs": KG_PER_LB,
    "pound": KG_PER_LB,
    "pounds": KG_PER_LB,
}

_METRES_PER: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "ft": 0.3048,
    "feet": 0.3048,
    "yd": 0.9144,
    "yds": 0.9144,
    "yards": 0.9144,
}


class CellError(Exception):
    """A cell that makes its row unreadable; the message names the column and the value."""


def shorten(value: str) -> str:
    """A cell as a problem quotes it: at most 40 characters."""
    return value if len(value) <= 40 else value[:37] + "..."


def cell_error(column: str, value: str, expected: str) -> CellError:
    return CellError(f"{column} {shorten(value)!r} is not {expected}: the row is skipped")


# --- numbers ------------------------------------------------------------------


def clean(value: float) -> float:
    """``value`` rounded to 0.001: no float noise, no negative zero.

    >>> clean(149.99999999999997)
    150.0
    >>> clean(225 * KG_PER_LB)
    102.058
    """
    return round(value, 3) + 0.0


def number(column: str, text: str) -> float | None:
    """A finite decimal number (a decimal comma is accepted); ``None`` when empty.

    >>> number("RPE", "8,5")
    8.5
    """
    if not text:
        return None
    try:
        return decimal(text, exponent=True)
    except ValueError:
        raise cell_error(column, text, "a number") from None


def amount(column: str, text: str) -> float | None:
    """A number that cannot be negative (a distance, a time)."""
    value = number(column, text)
    if value is not None and value < 0:
        raise cell_error(column, text, "a number of 0 or more")
    return value


def whole_number(column: str, text: str) -> int | None:
    """A whole number of 0 or more (``5.0`` is 5); ``None`` when empty.

    >>> whole_number("Reps", "8.0")
    8
    """
    expected = "a whole number of 0 or more"
    try:
        value = number(column, text)
    except CellError:
        raise cell_error(column, text, expected) from None
    if value is None:
        return None
    if not value.is_integer() or value < 0:
        raise cell_error(column, text, expected)
    return int(value)


def weight_factor(column: str, unit: str) -> float:
    """kg per unit of weight for a unit as the exports write it (``kgs``, ``lbs``)."""
    try:
        return _WEIGHT_UNITS[unit.strip().casefold()]
    except KeyError:
        raise cell_error(column, unit, "a weight unit (kg or lb)") from None


def distance_factor(column: str, unit: str) -> float:
    """Metres per unit of distance (``m``, ``km``, ``mi``, ``ft``, ``yd``)."""
    try:
        return _METRES_PER[unit.strip().casefold()]
    except KeyError:
        raise cell_error(column, unit, "a distance unit (m, km, mi, ft or yd)") from None


def check_unit(unit: str | None) -> float:
    """kg per unit of the lifter's display unit (``kg`` when not given)."""
    if unit is None:
        return 1.0
    try:
        return _WEIGHT_UNITS[unit.strip().casefold()]
    except KeyError:
        raise InvalidInput(f"unit {unit!r} is not a weight unit: use kg or lb") from None


def scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else clean(value * factor)


def positive(value: float | None) -> float | None:
    """``None`` for a missing or zero distance or time (apps write 0 when there is none)."""
    return value if value else None


# --- effort -------------------------------------------------------------------


RPE_TABLE_FLOOR = 6.0
"""The lowest RPE Strong's table reads as a number of reps in reserve (4); below it the
table says "4+", a lower bound and not a call (Zourdos et al. 2016 found RIR calls
less accurate the further the set ends from failure)."""


@dataclass(frozen=True, slots=True)
class Effort:
    """An RPE an export logged, as the set keeps it: its RIR, and the mark that says so.

    >>> Effort.of(8.5)
    Effort(rir=1.5, mark='RPE 8.5 (1.5 RIR)')
    >>> Effort.of(5.0)
    Effort(rir=None, mark='RPE 5 (4+ RIR)')
    >>> Effort.of(8.0, target=True).mark
    'target RPE 8 (2 RIR)'
    """

    rir: float | None
    """RIR by Strong's RPE table; ``None`` below RPE 6 ("4+" is not a number to keep)."""
    mark: str
    """What the set's notes say of it: the RPE as logged, and the RIR it was read as."""

    @classmethod
    def of(cls, rpe: float, *, target: bool = False) -> Effort:
        """The effort of an RPE on the scale (:func:`rir_from_rpe` checks it)."""
        rir = rir_from_rpe(rpe)
        prefix = "target RPE" if target else "RPE"
        if rpe < RPE_TABLE_FLOOR:
            return cls(None, f"{prefix} {rpe:g} (4+ RIR)")
        return cls(rir, f"{prefix} {rpe:g} ({rir:g} RIR)")


def rir_of(effort: Effort | None) -> float | None:
    return None if effort is None else effort.rir


def marked(notes: str, *efforts: Effort | None) -> str:
    """The set's notes with each effort's mark after them, once (a set exported by failwise
    as Strong's format and read back already carries it).

    >>> marked("Paused", Effort.of(9.0), None)
    'Paused · RPE 9 (1 RIR)'
    >>> marked("RPE 9 (1 RIR)", Effort.of(9.0))
    'RPE 9 (1 RIR)'
    """
    for effort in efforts:
        if effort is not None and effort.mark not in notes:
            notes = f"{notes} · {effort.mark}" if notes else effort.mark
    return notes


def effort_from_rpe_cell(
    column: str, text: str, problems: list[Problem], line: int, *, target: bool = False
) -> Effort | None:
    """The effort of an RPE cell; an RPE off the scale is a problem and the set keeps none.

    The scale is the domain's (:func:`failwise.domain.effort.rir_from_rpe`):
    0 to 10 in half steps, ``RIR = 10 − RPE`` (Zourdos et al. 2016; Helms et
    al. 2016), read by Strong's table (:class:`Effort`). ``target`` says the
    cell is a prescribed RPE, not a logged one.

    >>> problems: list[Problem] = []
    >>> effort_from_rpe_cell("RPE", "8,5", problems, 7)
    Effort(rir=1.5, mark='RPE 8.5 (1.5 RIR)')
    >>> effort_from_rpe_cell("RPE", "7.3", problems, 8) is None
    True
    >>> problems[0].reason
    "RPE '7.3' is not on the RPE scale (0 to 10 in half steps): the set is imported without RIR"
    """
    if not text:
        return None
    try:
        rpe = number(column, text)
    except CellError:
        rpe = None
    if rpe is not None:
        try:
            return Effort.of(rpe, target=target)
        except InvalidEffort:
            pass
    problems.append(
        Problem(
            line,
            f"{column} {shorten(text)!r} is not on the RPE scale (0 to 10 in half steps): "
            f"the set is imported without {'target RIR' if target else 'RIR'}",
        )
    )
    return None

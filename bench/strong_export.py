"""A generated lifting history, deterministic for a seed, shared by the import and analysis
benchmarks.

One lifter trains about four times a week (sometimes three or five, now and then a
week off), alternating four sessions (``Upper A``, ``Lower A``, ``Upper B``,
``Lower B, light``). Each session has 5–7 exercises from failwise's catalog
(the names Strong exports, e.g. ``Squat (Barbell)``, ``Lateral Raise
(Dumbbell)``): its main lifts always, accessories drawn at random. Every
exercise gets 1–2 warm-ups (``W``) and 3–4 working sets; loads rise slowly
(a long-term trend that levels off, five-week waves ending in a deload, a
little day-to-day noise) and are rounded to what the equipment loads. About a
third of the sets carry an RPE; some final isolation sets are taken to
failure (``F``) and followed by a drop set (``D``); a heavy lift is now and
then failed outright (an ``F`` row of 0 reps). Notes with commas, quotes and,
rarely, a line break show up now and then, as in real exports.

The history ends in the last week of 2025 and starts as many weeks before as
the number of sets needs (about 120 sets a week: 200,000 sets reach back ~32
years, 1,000,000 sets ~160 — an immortal lifter, but the per-set work is what
is measured). Generation stops at exactly the number of sets asked for.

    >>> rows = list(generate(300, seed=1))
    >>> len(rows), rows[0].order
    (300, 'W')
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,"
    "Distance,Seconds,Notes,Workout Notes,RPE"
)
END = date(2025, 12, 29)  # a Monday: the week after the last one generated
SETS_PER_WEEK = 120  # what the generator averages, to place the first week


@dataclass(frozen=True, slots=True)
class Lift:
    """An exercise as this lifter trains it."""

    name: str
    """As Strong exports it, and as failwise's catalog names it."""
    start_kg: float
    """Working load in the first week."""
    step_kg: float
    """Loads are rounded to this (plates, dumbbell pairs, the machine's stack)."""
    low: int
    high: int
    """Working-set rep range."""
    isolation: bool = False
    """Isolation and machine work: the lifts taken to failure and dropped."""


LIFTS = {
    lift.name: lift
    for lift in (
        Lift("Squat (Barbell)", 80.0, 2.5, 3, 8),
        Lift("Bench Press (Barbell)", 60.0, 2.5, 3, 8),
        Lift("Deadlift (Barbell)", 100.0, 2.5, 3, 6),
        Lift("Overhead Press (Barbell)", 40.0, 2.5, 4, 8),
        Lift("Romanian Deadlift (Barbell)", 70.0, 2.5, 6, 10),
        Lift("Bent Over Row (Barbell)", 60.0, 2.5, 6, 10),
        Lift("Incline Bench Press (Dumbbell)", 22.0, 2.0, 8, 12),
        Lift("Hip Thrust (Barbell)", 80.0, 5.0, 8, 12),
        Lift("Leg Press (Machine)", 120.0, 10.0, 8, 12),
        Lift("Lat Pulldown (Cable)", 50.0, 2.5, 8, 12),
        Lift("Seated Row (Cable)", 50.0, 2.5, 8, 12),
        Lift("Bicep Curl (Cable)", 20.0, 2.5, 10, 15, isolation=True),
        Lift("Hammer Curl (Dumbbell)", 12.0, 1.0, 10, 15, isolation=True),
        Lift("Triceps Pushdown (Cable)", 25.0, 2.5, 10, 15, isolation=True),
        Lift("Lateral Raise (Dumbbell)", 8.0, 1.0, 12, 20, isolation=True),
        Lift("Chest Fly (Dumbbell)", 12.0, 1.0, 10, 15, isolation=True),
        Lift("Face Pull (Cable)", 20.0, 2.5, 12, 20, isolation=True),
        Lift("Leg Extension (Machine)", 45.0, 5.0, 10, 15, isolation=True),
        Lift("Lying Leg Curl (Machine)", 35.0, 5.0, 10, 15, isolation=True),
        Lift("Standing Calf Raise (Machine)", 60.0, 5.0, 10, 15, isolation=True),
    )
}

# Session name → (main lifts, always done; accessories, drawn at random).
SESSIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Upper A",
        ("Bench Press (Barbell)", "Bent Over Row (Barbell)", "Overhead Press (Barbell)"),
        (
            "Lat Pulldown (Cable)",
            "Lateral Raise (Dumbbell)",
            "Bicep Curl (Cable)",
            "Triceps Pushdown (Cable)",
            "Face Pull (Cable)",
        ),
    ),
    (
        "Lower A",
        ("Squat (Barbell)", "Romanian Deadlift (Barbell)", "Leg Press (Machine)"),
        (
            "Leg Extension (Machine)",
            "Lying Leg Curl (Machine)",
            "Standing Calf Raise (Machine)",
            "Hip Thrust (Barbell)",
        ),
    ),
    (
        "Upper B",
        ("Overhead Press (Barbell)", "Lat Pulldown (Cable)", "Incline Bench Press (Dumbbell)"),
        (
            "Seated Row (Cable)",
            "Chest Fly (Dumbbell)",
            "Hammer Curl (Dumbbell)",
            "Lateral Raise (Dumbbell)",
            "Triceps Pushdown (Cable)",
        ),
    ),
    (
        "Lower B, light",
        ("Deadlift (Barbell)", "Squat (Barbell)", "Hip Thrust (Barbell)"),
        (
            "Leg Extension (Machine)",
            "Lying Leg Curl (Machine)",
            "Standing Calf Raise (Machine)",
            "Leg Press (Machine)",
        ),
    ),
)

SET_NOTES = (
    "Paused, 2s at the bottom",
    "Belt on, no wraps",
    "Left knee a bit sore, kept it light",
    'Grip slipped on the last rep, "shorter" arch next time',
    "Tempo 3-1-1",
    "Felt easy",
    "Spotter helped, last rep",
)
WORKOUT_NOTES = (
    "Slept 6h, felt ok",
    "Short on time, skipped the last exercise",
    "Gym was packed, waited for the rack",
    "Great session, new PR",
    "Slept badly\nLeft shoulder a bit tight",  # Strong keeps line breaks, inside quotes
)


@dataclass(frozen=True, slots=True)
class GeneratedSet:
    """One row of the export."""

    workout: int
    """0-based number of the workout in the history."""
    started_at: datetime
    workout_name: str
    duration: str
    exercise: str
    order: str
    """``1``, ``2`` … for a working set, ``W``, ``D`` or ``F``."""
    weight: float
    reps: int
    rpe: float | None
    notes: str
    workout_notes: str


def _round(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def _duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


def _training_days(rng: random.Random) -> list[int]:
    """Weekdays (0 = Monday) of one week's sessions: usually 4."""
    draw = rng.random()
    count = 0 if draw < 0.02 else 3 if draw < 0.12 else 5 if draw < 0.20 else 4
    return sorted(rng.sample(range(7), count))


def _load_factor(week: int, rng: random.Random) -> tuple[float, int]:
    """Working load over the first week's, and the week of the five-week wave (4 = deload)."""
    trend = 1.0 + 0.8 * (1.0 - math.exp(-week / 300.0))  # years of slow gains, then a plateau
    wave = week % 5
    block = 0.85 if wave == 4 else 0.94 + 0.02 * wave
    return trend * block * rng.uniform(0.975, 1.025), wave


def _rpe(rng: random.Random, value: float) -> float | None:
    """An RPE on about a third of the sets, in half steps on the 6–10 scale."""
    if rng.random() >= 1 / 3:
        return None
    return min(10.0, max(5.0, round(value * 2) / 2))


def _exercise_sets(
    rng: random.Random, lift: Lift, factor: float, wave: int
) -> Iterator[tuple[str, float, int, float | None, str]]:
    """(set order, kg, reps, RPE, notes) of one exercise in one session."""
    working = _round(lift.start_kg * factor, lift.step_kg)
    # Heavier weeks of the wave: fewer reps.
    top = lift.high - round((lift.high - lift.low) * min(wave, 3) / 3)
    for fraction in (0.5, 0.7)[: rng.choice((1, 2))]:
        reps = 10 if fraction < 0.6 else 5
        yield "W", _round(working * fraction, lift.step_kg), reps, _rpe(rng, 5.5), ""
    count = rng.choice((3, 4))
    for number in range(1, count + 1):
        reps = max(lift.low, min(lift.high, top - (number - 1) // 2 + rng.choice((-1, 0, 0, 1))))
        notes = rng.choice(SET_NOTES) if rng.random() < 0.015 else ""
        final = number == count
        if final and lift.isolation and rng.random() < 0.15:
            yield "F", working, reps + 1, _rpe(rng, 10.0), notes
            if rng.random() < 0.5:
                drop = _round(working * 0.75, lift.step_kg)
                yield "D", drop, max(4, reps - 2), _rpe(rng, 10.0), ""
            continue
        if final and not lift.isolation and rng.random() < 0.004:
            yield "F", working + lift.step_kg, 0, None, "Failed the first rep, dumped it"
            continue
        yield str(number), working, reps, _rpe(rng, 7.0 + 0.5 * wave + 0.5 * number), notes


def generate(sets: int, *, seed: int = 2024, end: date = END) -> Iterator[GeneratedSet]:
    """Exactly ``sets`` rows of a lifter's history, oldest first, in the weeks before the
    Monday ``end``."""
    if end.weekday() != 0:
        raise ValueError(f"the history ends on a Monday, not on {end:%A %Y-%m-%d}")
    rng = random.Random(seed)
    weeks = math.ceil(sets * 1.05 / SETS_PER_WEEK) + 1
    first_monday = end - timedelta(weeks=weeks)
    produced = workout = 0
    for week in range(weeks * 2):  # bounded; the loop ends once enough sets are out
        factor, wave = _load_factor(week, rng)
        for weekday in _training_days(rng):
            day = first_monday + timedelta(weeks=week, days=weekday)
            started = datetime.combine(
                day, time(rng.randint(6, 20), rng.randint(0, 59), rng.randint(0, 59))
            )
            name, main, accessories = SESSIONS[workout % len(SESSIONS)]
            chosen = [*main, *rng.sample(accessories, rng.randint(2, 4))]
            duration = _duration(rng.randint(45, 95))
            notes = rng.choice(WORKOUT_NOTES) if rng.random() < 0.05 else ""
            for exercise in chosen:
                for order, weight, reps, rpe, set_notes in _exercise_sets(
                    rng, LIFTS[exercise], factor, wave
                ):
                    yield GeneratedSet(
                        workout,
                        started,
                        name,
                        duration,
                        exercise,
                        order,
                        weight,
                        reps,
                        rpe,
                        set_notes,
                        notes,
                    )
                    produced += 1
                    if produced == sets:
                        return
            workout += 1
    raise RuntimeError(f"generated only {produced} of {sets} sets")  # pragma: no cover


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(text: str) -> str:
    """A cell quoted only when it needs to be, as Strong writes names."""
    return _quoted(text) if any(c in text for c in ',"\n') else text


def csv_line(row: GeneratedSet) -> str:
    """The row as Strong's comma format writes it (notes always quoted, empty as ``""``)."""
    rpe = "" if row.rpe is None else f"{row.rpe:g}"
    return (
        f"{row.started_at:%Y-%m-%d %H:%M:%S},{_cell(row.workout_name)},{row.duration},"
        f"{_cell(row.exercise)},{row.order},{row.weight:.1f},{row.reps},0,0,"
        f"{_quoted(row.notes)},{_quoted(row.workout_notes)},{rpe}\n"
    )


def write_export(path: Path, sets: int, *, seed: int = 2024) -> int:
    """Write a Strong comma-format export of ``sets`` rows to ``path``; its size in bytes."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        for row in generate(sets, seed=seed):
            out.write(csv_line(row))
    return path.stat().st_size


def export_text(sets: int, *, seed: int = 2024, end: date = END) -> str:
    """A Strong comma-format export of ``sets`` rows ending before ``end``, as text."""
    return HEADER + "\n" + "".join(csv_line(row) for row in generate(sets, seed=seed, end=end))

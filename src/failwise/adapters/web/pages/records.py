"""Records: each exercise's personal records, as cards a phone shows whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    ExercisesDep,
    InsightsDep,
)
from failwise.adapters.web.pages._core import PAGE_TITLES, PageLifter, render
from failwise.domain.exercises import Exercise
from failwise.domain.personal_records import ExerciseRecords, LiftedSet

router = APIRouter(include_in_schema=False)


def record_day(moment: datetime) -> str:
    """``12 Nov 2026``: a record's day, whatever year it was set in.

    >>> record_day(datetime(2026, 11, 2, 18, 0))
    '2 Nov 2026'
    """
    return f"{moment.day} {moment:%b %Y}"


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One record as a card's line reads it."""

    value: str
    """``172.5 kg``, ``× 8``."""
    done: str
    """The set that holds it: ``140 kg × 5 @ RIR 2``."""
    day: str


@dataclass(frozen=True, slots=True)
class RecordCard:
    exercise: Exercise
    sets: int
    e1rm: RecordLine | None
    heaviest: RecordLine | None
    reps: list[tuple[str, RecordLine]]
    """The load, and the most reps done at it; heaviest load first."""


def _load(kg: float, units: views.Units) -> str:
    return "bodyweight" if kg == 0 else units.text(kg)


def _e1rm(kg: float, units: views.Units) -> str:
    """An estimate to 0.1 of the lifter's unit: ``162.2 kg``, not ``162.22 kg``."""
    return f"{units.unit.of_kg(kg):.1f}".rstrip("0").rstrip(".") + f" {units.name}"


def _done(lifted: LiftedSet, units: views.Units) -> str:
    text = f"{_load(lifted.load, units)} × {lifted.reps}"
    if lifted.to_failure:
        return text + " to failure"
    return text if lifted.rir is None else f"{text} @ RIR {lifted.rir:g}"


def record_card(exercise: Exercise, records: ExerciseRecords, units: views.Units) -> RecordCard:
    """An exercise's records in the lifter's unit and words."""

    def line(value: str, lifted: LiftedSet) -> RecordLine:
        return RecordLine(value, _done(lifted, units), record_day(lifted.performed_at))

    best, heaviest = records.e1rm, records.heaviest
    return RecordCard(
        exercise=exercise,
        sets=records.sets,
        e1rm=None if best is None else line(_e1rm(best.e1rm, units), best.set),
        heaviest=None if heaviest is None else line(units.text(heaviest.load), heaviest),
        reps=[(_load(r.load, units), line(f"× {r.reps}", r.set)) for r in records.reps],
    )


@router.get("/records", response_class=HTMLResponse)
def records(
    request: Request,
    lifter: PageLifter,
    exercises: ExercisesDep,
    insights: InsightsDep,
    exercise: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Every exercise's records, most trained first (one exercise's with ``exercise``)."""
    units = views.units_of(lifter.settings)
    chosen = exercises.catalog(lifter.id).find(exercise) if exercise else None
    held = insights.records(lifter.id, chosen.id if chosen is not None else None)
    return render(
        request,
        "records.html",
        title=PAGE_TITLES["/records"],
        lifter=lifter,
        active="/history",
        cards=[record_card(found, records, units) for found, records in held],
        chosen=chosen,
        unknown=exercise if exercise and chosen is None else "",
    )

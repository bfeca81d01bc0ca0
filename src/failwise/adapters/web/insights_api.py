"""The lifter's check-ins and what their log says, under ``/api``: readiness,
measurements, calibration, fatigue, history, e1RM series, records and volume.

As thin as :mod:`failwise.adapters.web.api`: each route calls one use case
(:class:`~failwise.services.checkins.CheckIns` or
:class:`~failwise.services.insights.Insights`) and shapes its answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from failwise.adapters import payloads
from failwise.adapters.web import insight_schemas, paging, schemas
from failwise.adapters.web.api import ERRORS, MAX_PAGE, Before, read_cursor, set_out
from failwise.adapters.web.deps import (
    CheckInsDep,
    ClockDep,
    ExercisesDep,
    InsightsDep,
    LifterDep,
)
from failwise.domain.exercises import Muscle
from failwise.domain.stimulus import LANDMARKS
from failwise.services.records import Measurement, Readiness

router = APIRouter(prefix="/api", responses=ERRORS)

HISTORY_PAGE = 200
"""Sets in a page of ``/api/history`` unless the client asks for another ``limit``."""


def _readiness(rating: Readiness) -> schemas.ReadinessOut:
    return schemas.ReadinessOut(
        day=rating.day, sleep=rating.sleep, soreness=rating.soreness, motivation=rating.motivation
    )


@router.put("/readiness/{day}", response_model=schemas.ReadinessOut, tags=["readiness"])
def rate_day(
    day: Annotated[schemas.PlausibleDay, Path(description="The day rated (ISO 8601).")],
    body: schemas.ReadinessIn,
    lifter: LifterDep,
    checkins: CheckInsDep,
) -> schemas.ReadinessOut:
    """How the day feels (1–5 each); sent again for the same day, it replaces the rating."""
    rating = Readiness(day, body.sleep, body.soreness, body.motivation)
    checkins.rate_day(lifter.id, rating)
    return _readiness(rating)


@router.get("/readiness", response_model=list[schemas.ReadinessOut], tags=["readiness"])
def readiness(
    lifter: LifterDep,
    checkins: CheckInsDep,
    since: Annotated[schemas.PlausibleDay | None, Query(description="Days on or after.")] = None,
) -> list[schemas.ReadinessOut]:
    return [_readiness(r) for r in checkins.readiness(lifter.id, since=since)]


def _measurement(m: Measurement) -> schemas.MeasurementOut:
    return schemas.MeasurementOut(
        measured_on=m.measured_on,
        body_weight_kg=m.body_weight_kg,
        height_cm=m.height_cm,
        body_fat_pct=m.body_fat_pct,
        circumferences_cm=dict(m.circumferences_cm),
    )


@router.post(
    "/measurements",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.MeasurementOut,
    tags=["readiness"],
)
def add_measurement(
    body: schemas.MeasurementIn, lifter: LifterDep, clock: ClockDep, checkins: CheckInsDep
) -> schemas.MeasurementOut:
    """Body weight, height, body fat and circumferences on a day."""
    measurement = Measurement(
        measured_on=body.measured_on or clock().date(),
        body_weight_kg=body.body_weight_kg,
        height_cm=body.height_cm,
        body_fat_pct=body.body_fat_pct,
        circumferences_cm={str(name): cm for name, cm in body.circumferences_cm.items()},
    )
    checkins.add_measurement(lifter.id, measurement)
    return _measurement(measurement)


@router.get("/measurements", response_model=list[schemas.MeasurementOut], tags=["readiness"])
def measurements(lifter: LifterDep, checkins: CheckInsDep) -> list[schemas.MeasurementOut]:
    return [_measurement(m) for m in checkins.measurements(lifter.id)]


# --- the models ------------------------------------------------------------------------------


@router.get("/calibration", response_model=insight_schemas.CalibrationOut, tags=["models"])
def calibration(lifter: LifterDep, insights: InsightsDep) -> Any:
    """How far off the lifter's RIR calls are, from their RIR tests."""
    return payloads.calibration(insights.calibration(lifter.id))


@router.get("/fatigue", response_model=insight_schemas.FatigueOut, tags=["models"])
def fatigue(
    lifter: LifterDep,
    insights: InsightsDep,
    at: Annotated[schemas.PlausibleMoment | None, Query(description="Default: now.")] = None,
) -> Any:
    """Each muscle's readiness, systemic fatigue and signs of accumulated fatigue."""
    state, verdict = insights.fatigue(lifter.id, at=at)  # naive UTC, as validated
    ordered = sorted(state.readiness.items(), key=lambda item: item[1])
    return {
        "at": payloads.utc_iso(state.at),
        "readiness": {muscle.value: round(value, 1) for muscle, value in ordered},
        "systemic_fatigue": round(state.systemic_fatigue, 1),
        "systemic_readiness": round(state.systemic_readiness, 1),
        "verdict": payloads.fatigue_verdict(verdict),
    }


# --- history ----------------------------------------------------------------------------------


@router.get(
    "/history",
    response_model=list[schemas.SetOut],
    tags=["history"],
    responses={200: {"description": "A page of sets.", "headers": paging.LINK_HEADER}},
)
def history(
    request: Request,
    response: Response,
    lifter: LifterDep,
    exercises: ExercisesDep,
    insights: InsightsDep,
    exercise: Annotated[str | None, Query(max_length=200, description="Name or id.")] = None,
    since: Annotated[
        schemas.PlausibleMoment | None, Query(description="Sets done at or after.")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description=f"Sets in the page (default {HISTORY_PAGE}).")
    ] = HISTORY_PAGE,
    before: Before = None,
) -> list[schemas.SetOut]:
    """Logged sets in the order they were done, a page at a time from the latest back.

    A page is the latest ``limit`` sets (before the ``before`` cursor, when given), in
    the order done. When older sets remain, the ``Link`` header's ``rel="next"`` URL
    gives the page before it: follow it until there is none to read the whole history.
    """
    key = read_cursor(before, paging.set_key)
    read = insights.history(lifter.id, exercise, since=since, before=key, limit=limit + 1)
    sets, more = paging.oldest_first(read, limit)  # since: naive UTC, as validated
    if more:
        paging.link_next(response, request, paging.set_cursor(sets[0].key))
    catalog = exercises.catalog(lifter.id)
    return [set_out(s, catalog, lifter) for s in sets]


@router.get("/history/e1rm", response_model=insight_schemas.E1rmSeriesOut, tags=["history"])
def e1rm_history(
    lifter: LifterDep,
    exercises: ExercisesDep,
    insights: InsightsDep,
    exercise: Annotated[str, Query(min_length=1, max_length=200, description="Name or id.")],
) -> Any:
    """The best estimated 1RM of each day the exercise was trained."""
    found = exercises.catalog(lifter.id).resolve(exercise)
    series = insights.e1rm_series(lifter.id, found.id)
    return {
        "exercise": payloads.exercise_ref(found),
        "unit": lifter.prefs.unit.name.value,
        "points": [
            {"date": day, "e1rm": round(lifter.prefs.unit.of_kg(value), 2)} for day, value in series
        ],
    }


@router.get("/records", response_model=list[insight_schemas.ExerciseRecordsOut], tags=["history"])
def records(
    lifter: LifterDep,
    insights: InsightsDep,
    exercise: Annotated[str | None, Query(max_length=200, description="Name or id.")] = None,
) -> Any:
    """Personal records per exercise, most trained first: the best estimated 1RM, the most
    reps at each load and the heaviest load, each with the set that holds it."""
    unit = lifter.prefs.unit
    return [
        payloads.exercise_records(found, held, unit)
        for found, held in insights.records(lifter.id, exercise)
    ]


@router.get("/history/volume", response_model=insight_schemas.VolumeOut, tags=["history"])
def volume_history(
    lifter: LifterDep,
    insights: InsightsDep,
    weeks: Annotated[int, Query(ge=1, le=104)] = 8,
) -> Any:
    """Effective sets per muscle per week, beside each muscle's volume landmarks."""

    def muscle(name: Muscle, sets: float) -> dict[str, Any]:
        marks = LANDMARKS.get(name)
        return {
            "sets": round(sets, 2),
            "landmarks": None
            if marks is None
            else {
                "mev": marks.mev,
                "mav": {"min": marks.mav_low, "max": marks.mav_high},
                "mrv": marks.mrv,
            },
            "zone": None if marks is None else marks.zone(sets),
        }

    by_week = insights.weekly_volume(lifter.id, weeks=weeks)
    return {
        "weeks": [
            {
                "week": week,
                "muscles": {m.value: muscle(m, sets) for m, sets in sorted(counts.items())},
            }
            for week, counts in by_week.items()
        ]
    }

"""The plan over HTTP: physique analysis, plans, and today's session."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse
from pydantic import Field

from failwise.adapters.payloads import physique_payload, today_payload
from failwise.adapters.reports.plan import render_plan_html
from failwise.adapters.web import plan_schemas, schemas
from failwise.adapters.web.deps import (
    LifterDep,
    PlansDep,
)
from failwise.domain.context import Experience
from failwise.domain.exercises import Equipment, Muscle
from failwise.domain.planning import (
    MAX_ACCUMULATION_WEEKS,
    MAX_DAYS,
    MAX_MINUTES,
    MAX_SEED,
    MIN_ACCUMULATION_WEEKS,
    MIN_DAYS,
    MIN_MINUTES,
    Goal,
    plan_to_dict,
)
from failwise.services.ports import NotFound

router = APIRouter(
    prefix="/api",
    tags=["plan"],
    responses={
        401: {"description": "Not signed in, or the token has expired."},
        503: {"description": "The database is unavailable; retry after `Retry-After` seconds."},
    },
)
_NO_PLAN: dict[int | str, dict[str, Any]] = {404: {"description": "No active plan yet."}}


class PlanIn(schemas.Body):
    """What to plan; what is left out comes from your settings, e1RMs and physique."""

    goal: Goal = Goal.HYPERTROPHY
    experience: Experience | None = None
    days: int = Field(default=3, ge=MIN_DAYS, le=MAX_DAYS)
    minutes: int = Field(default=60, ge=MIN_MINUTES, le=MAX_MINUTES)
    equipment: list[Equipment] | None = None
    spotter: bool | None = None
    lagging: list[Muscle] | None = Field(
        default=None, description="Default: your settings and the physique analysis."
    )
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    accumulation_weeks: int | None = Field(
        default=None, ge=MIN_ACCUMULATION_WEEKS, le=MAX_ACCUMULATION_WEEKS
    )
    preferred: list[Annotated[str, Field(max_length=100)]] | None = Field(
        default=None,
        max_length=200,
        description="Exercise ids to keep over substitutes. Default: the lifts in your log "
        "(every exercise with a working set in the last 12 weeks).",
    )


def _plan_out(stored: Any, plan: Any) -> dict[str, Any]:
    return {
        "id": stored.id,
        "name": stored.name,
        "created_at": stored.created_at.isoformat() + "Z",
        "request": stored.request,
        **plan_to_dict(plan),
    }


@router.get("/physique", response_model=plan_schemas.PhysiqueOut)
def physique(lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """Body composition, proportions, lift balance and lagging muscles."""
    return physique_payload(plans.physique(lifter.id))


@router.post(
    "/plans",
    status_code=status.HTTP_201_CREATED,
    response_model=plan_schemas.PlanOut,
    responses={422: {"description": "Bad input: `detail` names the field and the reason."}},
)
def create_plan(body: PlanIn, lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """Generate a mesocycle and make it the active plan."""
    request = plans.request_for(lifter.id, **body.model_dump())
    stored, plan = plans.create(lifter.id, request)
    return _plan_out(stored, plan)


@router.get("/plans/active", response_model=plan_schemas.PlanOut, responses=_NO_PLAN)
def active_plan(lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """The active plan, every week."""
    found = plans.active(lifter.id)
    if found is None:
        raise NotFound("no active plan yet")
    return _plan_out(*found)


@router.get("/plans/active/print", response_class=HTMLResponse, responses=_NO_PLAN)
def printable_plan(lifter: LifterDep, plans: PlansDep) -> HTMLResponse:
    """The active plan as a printable page, one week per page."""
    found = plans.active(lifter.id)
    if found is None:
        raise NotFound("no active plan yet")
    stored, plan = found
    return HTMLResponse(render_plan_html(plan, title=stored.name))


@router.post(
    "/plans/next",
    status_code=status.HTTP_201_CREATED,
    response_model=plan_schemas.PlanOut,
    responses=_NO_PLAN,
)
def next_plan(lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """Generate the next mesocycle from how the active one went."""
    return _plan_out(*plans.next_plan(lifter.id))


@router.get("/today", response_model=plan_schemas.TodayOut, responses=_NO_PLAN)
def today(lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """Today's session from the active plan, adapted to the log."""
    found = plans.today(lifter.id)
    if found is None:
        raise NotFound("no active plan yet")
    return today_payload(found, lifter.prefs.unit)


@router.post(
    "/today/start",
    response_model=plan_schemas.TodayOut,
    responses={
        **_NO_PLAN,
        409: {"description": "Another workout is still open: finish it first."},
    },
)
def start_today(lifter: LifterDep, plans: PlansDep) -> dict[str, Any]:
    """Open a workout for today's planned session (idempotent while it is open)."""
    return today_payload(plans.start_today(lifter.id), lifter.prefs.unit)

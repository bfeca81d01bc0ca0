"""The plan: make one, read it, start its session."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, Response

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    CoachDep,
)
from failwise.adapters.web.pages._core import (
    CsrfField,
    PageLifter,
    check_form,
    form_number,
    redirect,
    render,
)
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Equipment,
    Muscle,
)
from failwise.domain.planning import MAX_DAYS, MAX_MINUTES, MIN_DAYS, MIN_MINUTES, Goal
from failwise.services.plans import Plans
from failwise.services.ports import Conflict
from failwise.services.records import User, Workout
from failwise.services.training import (
    Coach,
)

router = APIRouter(include_in_schema=False)


# --- plan ----------------------------------------------------------------------------------------


def _plan_page(
    request: Request,
    lifter: User,
    coach: Coach,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    plans = Plans(coach)
    active = plans.active(lifter.id)
    physique = plans.physique(lifter.id)
    suggested = sorted(
        {m.value for m in lifter.prefs.lagging} | {m.value for m in physique.lagging_muscles}
    )
    shown = values or {
        "goal": Goal.HYPERTROPHY.value,
        "days": 3,
        "minutes": 60,
        "equipment": [e.value for e in Equipment],
        "alone": not lifter.prefs.spotter,
        "lagging": suggested,
    }
    weekly: list[tuple[str, list[str]]] = []
    if active is not None:
        weekly = [
            (muscle.value, [f"{sets:.0f}" for sets in per_week])
            for muscle, per_week in active[1].weekly_sets.items()
        ]
    return render(
        request,
        "plan.html",
        title="Plan",
        lifter=lifter,
        active="/plan",
        status_code=status_code,
        plan=active[1] if active else None,
        stored=active[0] if active else None,
        weekly=weekly,
        physique=physique,
        values=shown,
        errors=errors or {},
        goals=[g.value for g in Goal],
        equipment=[e.value for e in Equipment],
        muscles=[m.value for m in Muscle],
        limits={"days": (MIN_DAYS, MAX_DAYS), "minutes": (MIN_MINUTES, MAX_MINUTES)},
        rir_text=views.rir_text,
    )


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    return _plan_page(request, lifter, coach)


@router.post("/plan", response_class=HTMLResponse)
def create_plan(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
    goal: Annotated[str, Form(max_length=20)] = Goal.HYPERTROPHY.value,
    days: Annotated[str, Form(max_length=10)] = "3",
    minutes: Annotated[str, Form(max_length=10)] = "60",
    equipment: Annotated[list[str] | None, Form()] = None,
    alone: Annotated[bool, Form()] = False,
    lagging: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """A new mesocycle from the form, the gaps filled from the physique analysis."""
    check_form(request, csrf)
    errors: dict[str, str] = {}
    day_count = form_number(errors, "days", days, "Days a week", whole=True)
    minute_count = form_number(errors, "minutes", minutes, "Minutes a session", whole=True)
    if goal not in {g.value for g in Goal}:
        errors["goal"] = "Choose hypertrophy, strength or both."
    if day_count is not None and not MIN_DAYS <= day_count <= MAX_DAYS:
        errors["days"] = f"Days a week must be {MIN_DAYS} to {MAX_DAYS}."
    if minute_count is not None and not MIN_MINUTES <= minute_count <= MAX_MINUTES:
        errors["minutes"] = f"Minutes a session must be {MIN_MINUTES} to {MAX_MINUTES}."
    if not equipment:
        errors["equipment"] = "Tick the equipment you can use."
    if not errors and day_count is not None and minute_count is not None:
        plans = Plans(coach)
        try:
            wanted = plans.request_for(
                lifter.id,
                goal=goal,
                days=int(day_count),
                minutes=int(minute_count),
                equipment=equipment,
                spotter=not alone,
                lagging=lagging or [],
            )
            plans.create(lifter.id, wanted)
        except (InvalidInput, ValueError) as error:
            errors["goal"] = str(error)
        else:
            return redirect("/plan")
    values = {
        "goal": goal,
        "days": days,
        "minutes": minutes,
        "equipment": list(equipment or []),
        "alone": alone,
        "lagging": list(lagging or []),
    }
    return _plan_page(
        request,
        lifter,
        coach,
        errors=errors,
        values=values,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _open_workout_choice(request: Request, lifter: User, workout: Workout) -> HTMLResponse:
    """Today's session cannot start while ``workout`` is open: finish it, or go back to it."""
    return render(
        request,
        "start_session.html",
        title="A workout is still open",
        lifter=lifter,
        active="/today",
        status_code=status.HTTP_409_CONFLICT,
        workout=workout,
    )


@router.post("/plan/start")
def start_planned_session(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
    then: Annotated[str, Form(max_length=10)] = "",
    finish: Annotated[int | None, Form()] = None,
) -> Response:
    """Open a workout for today's planned session, then train it from the today page.

    While another workout is open, the lifter chooses (:func:`_open_workout_choice`):
    ``then=finish`` with that workout's id finishes it and starts the session;
    ``then=continue`` goes back to it."""
    check_form(request, csrf)
    plans = Plans(coach)
    if then == "continue":
        return redirect("/today")
    if then == "finish" and finish is not None:
        current = coach.workouts(lifter.id, limit=1)
        if current and current[0].is_open and current[0].id == finish:
            coach.finish_workout(lifter.id, finish)
    try:
        today = plans.start_today(lifter.id)
    except Conflict:
        current = coach.workouts(lifter.id, limit=1)
        if not current or not current[0].is_open:
            raise
        return _open_workout_choice(request, lifter, current[0])
    first = today.exercises[0].planned if today.exercises else None
    target = "/today"
    if first is not None:
        target += "?" + urlencode({"exercise": first.exercise.id, "sets": len(first.sets)})
    return redirect(target)

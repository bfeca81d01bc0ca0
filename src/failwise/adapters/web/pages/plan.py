"""The plan: make one, read it, start its session."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, Response

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    AccountsDep,
    CheckInsDep,
    ClockDep,
    PlansDep,
    WorkoutsDep,
)
from failwise.adapters.web.pages._core import (
    PAGE_TITLES,
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
from failwise.services.checkins import CheckIns
from failwise.services.plans import Plans
from failwise.services.ports import Conflict
from failwise.services.records import Measurement, User, Workout

router = APIRouter(include_in_schema=False)


# --- plan ----------------------------------------------------------------------------------------


def _plan_page(
    request: Request,
    lifter: User,
    plans: Plans,
    checkins: CheckIns,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    body: dict[str, str] | None = None,
    measured: bool = False,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    plans = plans
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
        title=PAGE_TITLES["/plan"],
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
        body=body or _body_values(lifter, checkins),
        sites=CIRCUMFERENCES,
        units=views.units_of(lifter.settings),
        measured=measured,
    )


# --- body measurements ---------------------------------------------------------------------------

CIRCUMFERENCES = ("neck", "shoulders", "chest", "arm", "forearm", "waist", "hips", "thigh", "calf")
"""The circumferences the physique analysis reads, as the measurement form asks them."""
BODY_LABELS = {
    "sex": "Sex",
    "age": "Age",
    "height_cm": "Height",
    "body_weight_kg": "Body weight",
    "body_fat_pct": "Body fat",
    **{f"circumferences_cm.{site}": site.capitalize() for site in CIRCUMFERENCES},
}


def _body_values(lifter: User, checkins: CheckIns) -> dict[str, str]:
    """The body form filled in from the settings and the latest measurement."""
    units = views.units_of(lifter.settings)
    prefs = lifter.prefs
    measured = checkins.measurements(lifter.id)
    last = measured[-1] if measured else None
    sizes = last.circumferences_cm if last else {}
    height = (last.height_cm if last else None) or prefs.height_cm
    return {
        "sex": prefs.sex or "",
        "age": "" if prefs.age is None else f"{prefs.age:g}",
        "height": "" if height is None else f"{height:g}",
        "weight": units.number(last.body_weight_kg) if last else "",
        "body_fat": "" if not last or last.body_fat_pct is None else f"{last.body_fat_pct:g}",
        **{site: f"{sizes[site]:g}" if site in sizes else "" for site in CIRCUMFERENCES},
    }


def _body_form(
    sex: Annotated[str, Form(max_length=10)] = "",
    age: Annotated[str, Form(max_length=40)] = "",
    height: Annotated[str, Form(max_length=40)] = "",
    weight: Annotated[str, Form(max_length=40)] = "",
    body_fat: Annotated[str, Form(max_length=40)] = "",
    neck: Annotated[str, Form(max_length=40)] = "",
    shoulders: Annotated[str, Form(max_length=40)] = "",
    chest: Annotated[str, Form(max_length=40)] = "",
    arm: Annotated[str, Form(max_length=40)] = "",
    forearm: Annotated[str, Form(max_length=40)] = "",
    waist: Annotated[str, Form(max_length=40)] = "",
    hips: Annotated[str, Form(max_length=40)] = "",
    thigh: Annotated[str, Form(max_length=40)] = "",
    calf: Annotated[str, Form(max_length=40)] = "",
) -> dict[str, str]:
    """The Plan page's body form as typed."""
    sizes = {"neck": neck, "shoulders": shoulders, "chest": chest, "arm": arm}
    sizes |= {"forearm": forearm, "waist": waist, "hips": hips, "thigh": thigh, "calf": calf}
    return {
        "sex": sex,
        "age": age,
        "height": height,
        "weight": weight,
        "body_fat": body_fat,
    } | sizes


def _measured(
    errors: dict[str, str], typed: dict[str, str], units: views.Units, on: date
) -> tuple[dict[str, Any], Measurement] | None:
    """The settings and the measurement the body form sends, or None with ``errors``."""
    years = form_number(errors, "age", typed["age"], "Age")
    height_cm = form_number(errors, "height_cm", typed["height"], "Height")
    weight_shown = form_number(errors, "body_weight_kg", typed["weight"], "Body weight")
    fat = form_number(errors, "body_fat_pct", typed["body_fat"], "Body fat")
    sizes = {}
    for site in CIRCUMFERENCES:
        field = f"circumferences_cm.{site}"
        value = form_number(errors, field, typed[site], site.capitalize())
        if value is not None:
            sizes[site] = value
    if weight_shown is None and "body_weight_kg" not in errors:
        errors["body_weight_kg"] = "Enter your body weight."
    if errors or weight_shown is None:
        return None
    settings: dict[str, Any] = {"sex": typed["sex"] or None}
    if years is not None:
        settings["age"] = years
    if height_cm is not None:
        settings["height_cm"] = height_cm
    measurement = Measurement(
        measured_on=on,
        body_weight_kg=units.to_kg(weight_shown),
        height_cm=height_cm,
        body_fat_pct=fat,
        circumferences_cm=sizes,
    )
    return settings, measurement


@router.post("/plan/measurements", response_class=HTMLResponse)
def add_measurements(
    request: Request,
    lifter: PageLifter,
    clock: ClockDep,
    plans: PlansDep,
    checkins: CheckInsDep,
    accounts: AccountsDep,
    typed: Annotated[dict[str, str], Depends(_body_form)],
    csrf: CsrfField = "",
) -> Response:
    """``POST /api/measurements`` as a form, with the sex, age and height the physique
    analysis reads from the settings (``PATCH /api/me/settings``). The services check every
    value; the page only reads the numbers as typed."""
    check_form(request, csrf)
    errors: dict[str, str] = {}
    read = _measured(errors, typed, views.units_of(lifter.settings), clock().date())
    if read is not None:
        settings, measurement = read
        try:
            # The settings first: a wrong age stores nothing, not a measurement without it.
            accounts.update_settings(lifter.id, settings)
            checkins.add_measurement(lifter.id, measurement)
        except InvalidInput as error:
            field = error.field or "body_weight_kg"
            # The services name the field as the API does: the page says it as its label.
            errors[field] = str(error).replace(field, BODY_LABELS.get(field, field), 1)
        else:
            return redirect("/plan?measured=1#body")
    return _plan_page(
        request,
        lifter,
        plans,
        checkins,
        errors=errors,
        body=typed,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, lifter: PageLifter, plans: PlansDep, checkins: CheckInsDep) -> Response:
    return _plan_page(
        request, lifter, plans, checkins, measured=request.query_params.get("measured") == "1"
    )


@router.post("/plan", response_class=HTMLResponse)
def create_plan(
    request: Request,
    lifter: PageLifter,
    plans: PlansDep,
    checkins: CheckInsDep,
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
        plans,
        checkins,
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
    plans: PlansDep,
    workouts: WorkoutsDep,
    csrf: CsrfField = "",
    then: Annotated[str, Form(max_length=10)] = "",
    finish: Annotated[int | None, Form()] = None,
) -> Response:
    """Open a workout for today's planned session, then train it from the today page.

    While another workout is open, the lifter chooses (:func:`_open_workout_choice`):
    ``then=finish`` with that workout's id finishes it and starts the session;
    ``then=continue`` goes back to it."""
    check_form(request, csrf)
    if then == "continue":
        return redirect("/today")
    if then == "finish" and finish is not None:
        current = workouts.latest(lifter.id, limit=1)
        if current and current[0].is_open and current[0].id == finish:
            workouts.finish(lifter.id, finish)
    try:
        today = plans.start_today(lifter.id)
    except Conflict:
        current = workouts.latest(lifter.id, limit=1)
        if not current or not current[0].is_open:
            raise
        return _open_workout_choice(request, lifter, current[0])
    first = today.exercises[0].planned if today.exercises else None
    target = "/today"
    if first is not None:
        target += "?" + urlencode({"exercise": first.exercise.id, "sets": len(first.sets)})
    return redirect(target)

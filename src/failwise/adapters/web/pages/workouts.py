"""A workout: its sets as rows, each one corrected or deleted where it stands.

A row's Save is the API's ``PATCH /api/sets/{id}`` from a form: the same checks
(:class:`~failwise.adapters.web.schemas.SetPatch`) and the same rule
(:meth:`~failwise.services.sets.Sets.patch`), so a load far above the
lifter's e1RM asks to be confirmed here as there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from failwise.adapters.web import schemas, views
from failwise.adapters.web.api import SetId, WorkoutId
from failwise.adapters.web.deps import (
    ExercisesDep,
    SetsDep,
    WorkoutsDep,
)
from failwise.adapters.web.pages._core import (
    PAGE_SETS,
    CsrfField,
    PageLifter,
    check_form,
    field_of,
    redirect,
    render,
    set_correction,
)
from failwise.domain.errors import InvalidInput
from failwise.services.exercises import Exercises
from failwise.services.plausibility import NeedsConfirmation
from failwise.services.ports import NotFound
from failwise.services.records import SetType, StoredSet, User
from failwise.services.sets import Sets
from failwise.services.workouts import Workouts

router = APIRouter(include_in_schema=False)

SET_TYPES = {SetType.WORKING: "Working", SetType.WARM_UP: "Warm-up"}
"""The types a row offers; a drop, rest-pause or forced set also offers its own."""


def _shown(stored: StoredSet, units: views.Units) -> dict[str, Any]:
    data = stored.data
    return {
        "set_type": data.set_type.value,
        "load": units.number(data.load),
        "reps": str(data.reps),
        "rir": "" if data.rir is None else f"{data.rir:g}",
        "to_failure": data.to_failure,
        "notes": data.notes,
    }


def _types(stored: StoredSet) -> dict[str, str]:
    offered = {kind.value: label for kind, label in SET_TYPES.items()}
    kind = stored.data.set_type
    if kind not in SET_TYPES:
        offered[kind.value] = kind.value.capitalize()  # Drop, Rest-pause, Forced
    return offered


def _workout_page(
    request: Request,
    lifter: User,
    exercises: Exercises,
    workouts: Workouts,
    workout_id: int,
    *,
    editing: int | None = None,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    confirm: bool = False,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    units = views.units_of(lifter.settings)
    detail = workouts.get(lifter.id, workout_id, limit=PAGE_SETS + 1)
    sets = detail.sets[-PAGE_SETS:]
    catalog = exercises.catalog(lifter.id)
    rows = [
        {
            "set": stored,
            "exercise": catalog.get(stored.exercise_id),
            "shown": typed if typed is not None and stored.id == editing else _shown(stored, units),
            "errors": (errors or {}) if stored.id == editing else {},
            "confirm": confirm and stored.id == editing,
            "types": _types(stored),
        }
        for stored in sets
    ]
    return render(
        request,
        "workout.html",
        title="Workout",
        lifter=lifter,
        active="/history",
        status_code=status_code,
        workout=detail.workout,
        rows=rows,
        partial=len(detail.sets) > PAGE_SETS,
        page_sets=PAGE_SETS,
        day=f"{detail.workout.started_at:%a} {detail.workout.started_at.day} "
        f"{detail.workout.started_at:%b %Y, %H:%M}",
    )


@router.get("/workouts/{workout_id}", response_class=HTMLResponse)
def workout_page(
    workout_id: WorkoutId,
    request: Request,
    lifter: PageLifter,
    exercises: ExercisesDep,
    workouts: WorkoutsDep,
) -> Response:
    """The workout's sets as rows to correct (another lifter's workout: 404)."""
    return _workout_page(request, lifter, exercises, workouts, workout_id)


def _set_of(sets: Sets, lifter: User, workout_id: int, set_id: int) -> StoredSet:
    stored = sets.get(lifter.id, set_id)
    if stored.workout_id != workout_id:
        raise NotFound(f"no set {set_id} in workout {workout_id}")
    return stored


def _row_form(
    set_type: Annotated[str, Form(max_length=20)] = SetType.WORKING.value,
    load: Annotated[str, Form(max_length=40)] = "",
    reps: Annotated[str, Form(max_length=40)] = "",
    rir: Annotated[str, Form(max_length=40)] = "",
    to_failure: Annotated[bool, Form()] = False,
    notes: Annotated[str, Form(max_length=2000)] = "",
) -> dict[str, Any]:
    """A workout's row as typed."""
    return {
        "set_type": set_type,
        "load": load,
        "reps": reps,
        "rir": rir,
        "to_failure": to_failure,
        "notes": notes,
    }


@router.post("/workouts/{workout_id}/sets/{set_id}", response_class=HTMLResponse)
def save_row(
    workout_id: WorkoutId,
    set_id: SetId,
    request: Request,
    lifter: PageLifter,
    sets: SetsDep,
    exercises: ExercisesDep,
    workouts: WorkoutsDep,
    typed: Annotated[dict[str, Any], Depends(_row_form)],
    csrf: CsrfField = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    """A row's correction, as ``PATCH /api/sets/{set_id}`` with the row's fields."""
    check_form(request, csrf)
    stored = _set_of(sets, lifter, workout_id, set_id)
    errors: dict[str, str] = {}
    changes = set_correction(errors, stored, typed, views.units_of(lifter.settings))
    asked = False
    if not errors:
        sent = {**changes, "set_type": typed["set_type"], "confirmed": confirmed}
        try:
            patch = schemas.SetPatch.model_validate(sent)
            sets.patch(lifter.id, set_id, patch.changes(), confirmed=patch.confirmed)
        except ValidationError as invalid:
            for problem in invalid.errors():
                name = str(problem["loc"][0]) if problem["loc"] else "load"
                errors.setdefault(name if name in typed else "load", problem["msg"])
        except NeedsConfirmation as error:
            errors["load"] = str(error)
            asked = True
        except InvalidInput as error:
            field = field_of(error, "load")
            errors[field if field in typed else "load"] = str(error)
        else:
            return redirect(f"/workouts/{workout_id}#set-{set_id}")
    return _workout_page(
        request,
        lifter,
        exercises,
        workouts,
        workout_id,
        editing=set_id,
        typed=typed,
        errors=errors,
        confirm=asked,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/workouts/{workout_id}/sets/{set_id}/delete")
def delete_row(
    workout_id: WorkoutId,
    set_id: SetId,
    request: Request,
    lifter: PageLifter,
    sets: SetsDep,
    csrf: CsrfField = "",
) -> Response:
    """Delete a row's set, and come back to the workout."""
    check_form(request, csrf)
    _set_of(sets, lifter, workout_id, set_id)
    sets.delete(lifter.id, set_id)
    return redirect(f"/workouts/{workout_id}")

"""The guide, and the lifter's own exercises."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    ExercisesDep,
)
from failwise.adapters.web.pages._core import (
    PAGE_TITLES,
    CsrfField,
    PageLifter,
    check_form,
    field_of,
    form_number,
    redirect,
    render,
    signed_in,
)
from failwise.domain.detection import MIN_SESSIONS
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Equipment,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.guess import guess_exercise
from failwise.services.exercises import Exercises
from failwise.services.records import LifterSettings, User

router = APIRouter(include_in_schema=False)


# --- the guide --------------------------------------------------------------------------------


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request) -> Response:
    return render(
        request,
        "guide.html",
        title=PAGE_TITLES["/guide"],
        lifter=signed_in(request),
        active="/guide",
        scale=views.guide_scale(),
        rules=views.guide_rules(),
        framework=views.guide_framework(),
        landmarks=views.guide_landmarks(),
        fatigue_sessions=MIN_SESSIONS,
        last_reps=views.last_reps_table(),
        fatigue_svg=Markup(views.fatigue_curve_chart()),
        stimulus_svg=Markup(views.stimulus_chart()),
    )


# --- my exercises -----------------------------------------------------------------------------


def _exercises_page(
    request: Request,
    lifter: User,
    exercises: Exercises,
    *,
    errors: dict[str, str] | None = None,
    failed: str = "",
    values: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    """The lifter's own exercises, guessed ones first, each with a form to correct it,
    and a form for a new one (``new``: what it was sent with)."""
    units = views.units_of(lifter.settings)
    spotter = LifterSettings.of(lifter.settings).spotter
    mine = sorted(
        (e for e in exercises.catalog(lifter.id) if e.custom),
        key=lambda e: (not e.guessed, e.name.lower()),
    )
    shown = [views.custom_exercise_view(e, units, spotter=spotter) for e in mine]
    saved = next((e.name for e in mine if e.id == request.query_params.get("saved")), "")
    return render(
        request,
        "exercises.html",
        title=PAGE_TITLES["/exercises"],
        lifter=lifter,
        active="/settings",
        status_code=status_code,
        exercises=shown,
        errors=errors or {},
        failed=failed,
        values=values or {},
        new=new or {},
        saved=saved,
        spotter=spotter,
        choices={
            "equipment": [e.value for e in Equipment],
            "mechanics": [m.value for m in Mechanics],
            "pattern": [p.value for p in Pattern],
            "injury_risk": [r.value for r in InjuryRisk],
        },
        muscles=[m.value for m in Muscle],
        words=views.words,
    )


@router.get("/exercises", response_class=HTMLResponse)
def my_exercises(request: Request, lifter: PageLifter, exercises: ExercisesDep) -> Response:
    return _exercises_page(request, lifter, exercises)


@router.post("/exercises", response_class=HTMLResponse)
def create_exercise(
    request: Request,
    lifter: PageLifter,
    exercises: ExercisesDep,
    csrf: CsrfField = "",
    name: Annotated[str, Form(max_length=200)] = "",
    equipment: Annotated[str, Form(max_length=40)] = "",
    mechanics: Annotated[str, Form(max_length=40)] = "",
    injury_risk: Annotated[str, Form(max_length=40)] = "",
    primary: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """``POST /api/exercises`` as a form, then Today with the new exercise chosen.

    What the lifter leaves blank is guessed from the name on the cautious side and
    marked as guessed (:meth:`~failwise.services.exercises.Exercises.add_custom`).
    """
    check_form(request, csrf)
    name = name.strip()
    given: dict[str, Any] = {
        key: value
        for key, value in (
            ("equipment", equipment),
            ("mechanics", mechanics),
            ("injury_risk", injury_risk),
        )
        if value
    }
    if primary:
        given["primary"] = list(primary)
        # The guessed secondary muscles, less those the lifter says it trains most.
        given["secondary"] = [m for m in guess_exercise(name).secondary if m not in primary]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the exercise a name."
    else:
        try:
            created = exercises.add_custom(lifter.id, name, **given)
        except InvalidInput as error:
            errors[field_of(error, "name")] = str(error)
        except ValueError:  # a value none of the form's choices has
            errors["name"] = "Pick the equipment, joints, muscles and risk from the lists."
        else:
            return redirect("/today?" + urlencode({"exercise": created.id, "added": "1"}))
    return _exercises_page(
        request,
        lifter,
        exercises,
        errors={f"new_{key}": message for key, message in errors.items()},
        new={"name": name, **given, "primary": list(primary or [])},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _corrected_attributes(
    equipment: Annotated[str, Form(max_length=40)] = "",
    mechanics: Annotated[str, Form(max_length=40)] = "",
    pattern: Annotated[str, Form(max_length=40)] = "",
    injury_risk: Annotated[str, Form(max_length=40)] = "",
    primary: Annotated[list[str] | None, Form()] = None,
    secondary: Annotated[list[str] | None, Form()] = None,
    fixed_path: Annotated[bool, Form()] = False,
    heavy_compound: Annotated[bool, Form()] = False,
    needs_spotter: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """The correction form's attributes, as :meth:`Exercises.correct_custom` takes them."""
    return {
        "equipment": equipment,
        "mechanics": mechanics,
        "pattern": pattern,
        "injury_risk": injury_risk,
        "primary": list(primary or []),
        "secondary": list(secondary or []),
        "fixed_path": fixed_path,
        "heavy_compound": heavy_compound,
        "needs_spotter": needs_spotter,
    }


def _no_such_exercise(request: Request, lifter: User) -> HTMLResponse:
    return render(
        request,
        "error.html",
        title="No such exercise",
        lifter=lifter,
        status_code=status.HTTP_404_NOT_FOUND,
        heading="No such exercise",
        message="It is not one of your exercises. Go back to My exercises and try again.",
    )


@router.post("/exercises/{exercise_id}", response_class=HTMLResponse)
def correct_exercise(
    request: Request,
    exercise_id: str,
    lifter: PageLifter,
    exercises: ExercisesDep,
    attributes: Annotated[dict[str, Any], Depends(_corrected_attributes)],
    csrf: CsrfField = "",
    shown_unit: Annotated[str, Form(max_length=8)] = "kg",
    increment: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """``PATCH /api/exercises/{id}`` as a form: the load step is typed in the unit shown."""
    check_form(request, csrf)
    current = exercises.catalog(lifter.id).find(exercise_id)
    if current is None:
        return _no_such_exercise(request, lifter)
    typed_in = views.Units(shown_unit if shown_unit in views.UNITS else "kg")
    errors: dict[str, str] = {}
    changes = dict(attributes)
    step = form_number(errors, "increment_kg", increment, "The load step")
    # Unchanged, the step keeps its stored kilograms (pounds shown are rounded).
    if step is not None and step != typed_in.value(current.increment_kg):
        changes["increment_kg"] = typed_in.to_kg(step)
    if not errors:
        try:
            corrected = exercises.correct_custom(lifter.id, current.id, **changes)
        except InvalidInput as error:
            errors[field_of(error, "exercise")] = str(error)
        else:
            return redirect(
                "/exercises?" + urlencode({"saved": corrected.id}) + f"#exercise-{corrected.id}"
            )
    values = {**changes, "increment": increment}
    return _exercises_page(
        request,
        lifter,
        exercises,
        errors=errors,
        failed=current.id,
        values=values,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )

"""Today: the set to do now, logging it, and fixing a set logged today."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from failwise.adapters import payloads
from failwise.adapters.web import views
from failwise.adapters.web.api import SetId
from failwise.adapters.web.deps import (
    CoreDep,
    ExercisesDep,
    SetsDep,
    WorkoutsDep,
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
    set_correction,
)
from failwise.domain.errors import InvalidInput
from failwise.domain.strength import PlateLoad
from failwise.services.core import Core
from failwise.services.exercises import Exercises
from failwise.services.live import UNLOADED
from failwise.services.plausibility import NeedsConfirmation
from failwise.services.records import SetType, StoredSet, User
from failwise.services.reported import MAX_NOTES, LogRequest, Shown
from failwise.services.sets import LogResult
from failwise.services.today import (
    PLATE_EQUIPMENT,
    LastTime,
    TodayView,
    in_unit,
    today_view,
)

router = APIRouter(include_in_schema=False)


# --- today ---------------------------------------------------------------------------------------


def _today_page(
    request: Request,
    lifter: User,
    core: Core,
    *,
    exercise: str = "",
    muscle: str = "",
    equipment: str = "",
    total_sets: int | None = None,
    errors: dict[str, str] | None = None,
    logged: str | None = None,
    warning: str | None = None,
    confirm: dict[str, str] | None = None,
    undo: int | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    units = views.units_of(lifter.settings)
    filtered = bool(muscle or equipment)
    view = today_view(core, lifter.id, exercise="" if filtered else exercise, total_sets=total_sets)
    catalog, chosen = view.catalog, view.exercise
    search = None
    if filtered or view.unknown:
        # Not one exercise by its name: what was typed and filtered, as results to tap.
        search = views.exercise_search(catalog, exercise, muscle=muscle, equipment=equipment)
    return render(
        request,
        "today.html",
        title=PAGE_TITLES["/today"],
        lifter=lifter,
        active="/today",
        status_code=status_code,
        workout=view.workout,
        done_today=[
            (catalog.get(s.exercise_id), views.set_line(s, units), s.id, s.data) for s in view.done
        ],
        picks=views.quick_picks(list(view.recent), catalog),
        options=views.exercise_options(list(view.recent), catalog),
        chosen=chosen,
        search=search,
        muscle_choices=views.MUSCLE_CHOICES,
        equipment_choices=views.EQUIPMENT_CHOICES,
        summary=views.exercise_summary,
        p=_prescription(view, units),
        test_offer=view.test_offer,
        errors=errors or {},
        logged=logged,
        warning=warning,
        confirm=confirm,
        undo=undo,
        total_sets=view.total_sets,
        welcome=request.query_params.get("welcome") == "1",
        added=chosen is not None and chosen.custom and request.query_params.get("added") == "1",
        session=_session_view(view, units) if view.session else None,
        empty_log=not view.logged_before,
        max_notes=MAX_NOTES,
    )


def _prescription(view: TodayView, units: views.Units) -> dict[str, Any] | None:
    """The set card: the next set, last session's sets, and the plates to load."""
    following, chosen = view.next, view.exercise
    if following is None or chosen is None:
        return None
    data = payloads.next_set(following)
    bar, plates = in_unit(following.unit, view.lifter.prefs)
    card = {
        **data,
        "exercise": chosen,
        "unloaded": chosen.equipment in UNLOADED,
        "step": following.unit.step(chosen.increment_kg),
        "rest": views.rest_seconds(chosen),
        "key": str(uuid.uuid4()),
        "last_time": _last_time_text(view.last_time, units),
        "barbell": chosen.equipment in PLATE_EQUIPMENT,
        "bar": _number(bar),
        "plates": " ".join(_number(p) for p in plates),
        "plate_text": plate_text(view.plates, units.name),
    }
    if not following.exercise_done:
        low, high = following.prescription.target_rir.low, following.prescription.target_rir.high
        card.update(
            low=low,
            high=high,
            decision=views.decision_text(data["failure"], low, high),
            rir_text=views.rir_text(low, high),
            load_display=data["load"],
        )
    return card


def _number(value: float) -> str:
    """``142.5``, ``140``, ``1.25``: as views writes loads, without trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plate_text(load: PlateLoad | None, unit: str) -> str:
    """``20 + 25 + 15 + 1.25 kg per side``, as today.js writes it (an empty bar: ``Bar only``)."""
    if load is None:
        return ""
    if not load.per_side:
        text = "Bar only"
    else:
        text = " + ".join(_number(p) for p in load.per_side) + f" {unit} per side"
    if load.shortfall > 0:
        text += f" ({_number(load.total)} {unit}: the nearest your plates make)"
    return text


def _last_time_text(last: LastTime | None, units: views.Units) -> str:
    """``Last time (12 Nov): 3 × 5 at 140 kg, RIR 2, 1, 1`` (working sets only)."""
    if last is None:
        return ""
    sets = last.sets
    loads = {s.data.load for s in sets}
    reps = {s.data.reps for s in sets}

    def load(kg: float) -> str:
        return "bodyweight" if kg == 0 else units.text(kg)

    if len(loads) == 1 and len(reps) == 1:
        done = f"{len(sets)} × {sets[0].data.reps} at {load(sets[0].data.load)}"
    elif len(loads) == 1:
        done = f"{', '.join(str(s.data.reps) for s in sets)} reps at {load(sets[0].data.load)}"
    else:
        done = ", ".join(f"{load(s.data.load)} × {s.data.reps}" for s in sets)
    rirs = [0.0 if s.data.to_failure else s.data.rir for s in sets]
    if any(r is not None for r in rirs):
        done += ", RIR " + ", ".join("–" if r is None else _number(r) for r in rirs)
    return f"Last time ({last.day.day} {last.day:%b}): {done}"


def _session_view(view: TodayView, units: views.Units) -> dict[str, Any]:
    """Today's planned session: each exercise's sets as planned, and how many are done."""
    today = view.session
    assert today is not None
    rows = []
    for item, count in zip(today.exercises, view.counts, strict=True):
        first = item.planned.sets[0] if item.planned.sets else None
        rows.append(
            {
                "id": count.exercise.id,
                "name": count.exercise.name,
                "sets": count.planned,
                "done": count.done,
                "left": count.left,
                "target": ""
                if first is None
                else f"{count.planned} × {first.reps}"
                + (f" at {units.text(first.load_kg)}" if first.load_kg else "")
                + f", {views.rir_text(first.target_rir.low, first.target_rir.high)}",
                "note": item.note,
                "load_kg": None if first is None else first.load_kg,
            }
        )
    return {
        "title": f"{today.session.name}: week {today.week}" + (" (deload)" if today.deload else ""),
        "started": today.workout is not None,
        "exercises": rows,
        "note": today.volume_note,
        "early_deload": today.early_deload,
    }


@router.get("/today", response_class=HTMLResponse)
def today(
    request: Request,
    lifter: PageLifter,
    core: CoreDep,
    exercise: Annotated[str, Query(max_length=200)] = "",
    sets: Annotated[int | None, Query(ge=1, le=30)] = None,
    muscle: Annotated[str, Query(max_length=40)] = "",
    equipment: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    return _today_page(
        request,
        lifter,
        core,
        exercise=exercise.strip(),
        total_sets=sets,
        muscle=muscle,
        equipment=equipment,
    )


_FORM_FIELDS = frozenset({"load", "reps", "rir", "notes", "reps_at_call", "predicted_rir"})
"""The fields of Today's form that show their own error."""


@dataclass(frozen=True, slots=True)
class _LogForm:
    """Today's log form as typed (the page's fallback without JavaScript)."""

    exercise: str
    load: str
    reps: str
    rir: str
    to_failure: bool
    total_sets: int | None
    idempotency_key: str
    test: bool
    reps_at_call: str
    predicted_rir: str
    confirmed: bool
    warm_up: bool
    notes: str
    shown_load: str = ""
    shown_reps: str = ""
    shown_rir_min: str = ""
    shown_rir_max: str = ""

    def shown(self, errors: dict[str, str]) -> Shown | None:
        """The set the page showed above the form (its hidden fields), or None when it
        showed none; an error (said by the load) when they cannot be read."""
        if not self.shown_reps:
            return None
        read: dict[str, str] = {}
        load = form_number(read, "load", self.shown_load, "The load shown")
        reps = form_number(read, "reps", self.shown_reps, "The reps shown", whole=True)
        low = form_number(read, "low", self.shown_rir_min, "The RIR shown")
        high = form_number(read, "high", self.shown_rir_max, "The RIR shown")
        if read or reps is None or low is None or high is None:
            errors.setdefault("load", "The set shown on this page cannot be read: reload it.")
            return None
        return Shown(load=load, reps=int(reps), rir_low=low, rir_high=high)

    def request(self, errors: dict[str, str]) -> LogRequest | None:
        """The set the form sends, or None with ``errors`` saying what is typed wrong."""
        shown_load = form_number(errors, "load", self.load, "Load")
        done = form_number(errors, "reps", self.reps, "Reps", whole=True)
        called = (
            None if self.to_failure or self.test else form_number(errors, "rir", self.rir, "RIR")
        )
        test = self.test and not self.warm_up  # a warm-up is never an RIR test
        at_call = form_number(
            errors, "reps_at_call", self.reps_at_call, "The rep of the call", whole=True
        )
        predicted = form_number(errors, "predicted_rir", self.predicted_rir, "The RIR you called")
        if shown_load is None and "load" not in errors:
            errors["load"] = "Enter the load (0 for bodyweight)."
        if done is None and "reps" not in errors:
            errors["reps"] = "Enter the reps you did."
        if test and (at_call is None or predicted is None):
            errors.setdefault("reps_at_call", "A test needs the rep where you called your RIR.")
        shown = self.shown(errors)
        if errors or shown_load is None or done is None:
            return None
        return LogRequest(
            exercise=self.exercise,
            load=shown_load,
            reps=int(done),
            rir=called,
            set_type=SetType.WARM_UP if self.warm_up else SetType.WORKING,
            to_failure=self.to_failure and not test,
            test_reps_at_call=int(at_call) if test and at_call is not None else None,
            test_predicted_rir=predicted if test else None,
            notes=self.notes,
            idempotency_key=self.idempotency_key or None,
            total_sets=self.total_sets,
            confirmed=self.confirmed,
            shown=shown,
        )

    def again(self) -> dict[str, str]:
        """The form's fields as they were sent, to send the same set again, confirmed."""
        test = self.test and not self.warm_up
        return {
            "exercise": self.exercise,
            "load": self.load,
            "reps": self.reps,
            "rir": self.rir,
            "to_failure": "true" if self.to_failure else "",
            "total_sets": str(self.total_sets or ""),
            "idempotency_key": self.idempotency_key,
            "test": "true" if test else "",
            "reps_at_call": self.reps_at_call,
            "predicted_rir": self.predicted_rir,
            "warm_up": "true" if self.warm_up else "",
            "notes": self.notes,
            "shown_load": self.shown_load,
            "shown_reps": self.shown_reps,
            "shown_rir_min": self.shown_rir_min,
            "shown_rir_max": self.shown_rir_max,
        }


def _log_form(
    exercise: Annotated[str, Form(max_length=200)] = "",
    load: Annotated[str, Form(max_length=40)] = "",
    reps: Annotated[str, Form(max_length=40)] = "",
    rir: Annotated[str, Form(max_length=40)] = "",
    to_failure: Annotated[bool, Form()] = False,
    total_sets: Annotated[int | None, Form(ge=1, le=30)] = None,
    idempotency_key: Annotated[str, Form(max_length=128)] = "",
    test: Annotated[bool, Form()] = False,
    reps_at_call: Annotated[str, Form(max_length=40)] = "",
    predicted_rir: Annotated[str, Form(max_length=40)] = "",
    confirmed: Annotated[bool, Form()] = False,
    warm_up: Annotated[bool, Form()] = False,
    notes: Annotated[str, Form(max_length=MAX_NOTES)] = "",
    shown_load: Annotated[str, Form(max_length=40)] = "",
    shown_reps: Annotated[str, Form(max_length=40)] = "",
    shown_rir_min: Annotated[str, Form(max_length=40)] = "",
    shown_rir_max: Annotated[str, Form(max_length=40)] = "",
) -> _LogForm:
    return _LogForm(
        exercise,
        load,
        reps,
        rir,
        to_failure,
        total_sets,
        idempotency_key,
        test,
        reps_at_call,
        predicted_rir,
        confirmed,
        warm_up,
        notes,
        shown_load,
        shown_reps,
        shown_rir_min,
        shown_rir_max,
    )


@router.post("/today/log", response_class=HTMLResponse)
def log_from_form(
    request: Request,
    lifter: PageLifter,
    sets: SetsDep,
    core: CoreDep,
    form: Annotated[_LogForm, Depends(_log_form)],
    csrf: CsrfField = "",
) -> Response:
    """The today page's log form without JavaScript: the same set the script would send.

    The set's target is what the coach showed for it: the service stores it. A load far
    above the lifter's e1RM comes back with the question and a "Yes, log it" button that
    sends the same set again, confirmed.
    """
    check_form(request, csrf)
    errors: dict[str, str] = {}
    confirm = None
    asked = form.request(errors)
    if asked is not None:
        try:
            result = sets.log(lifter.id, asked)
        except NeedsConfirmation as error:
            errors["load"] = str(error)
            confirm = form.again()
        except InvalidInput as error:
            field = field_of(error, "load")
            field = {"test": "reps_at_call", "to_failure": "rir"}.get(field, field)
            # A field the form does not show (the set's key, its type) is said by the load.
            errors[field if field in _FORM_FIELDS else "load"] = str(error)
        else:
            return _logged_page(request, lifter, core, result, form)
    return _today_page(
        request,
        lifter,
        core,
        exercise=form.exercise,
        total_sets=form.total_sets,
        errors=errors,
        confirm=confirm,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _logged_page(
    request: Request, lifter: User, core: Core, result: LogResult, form: _LogForm
) -> HTMLResponse:
    """Today after a set is logged: what was stored, and the next set."""
    units = views.units_of(lifter.settings)
    kind = "warm-up " if form.warm_up else ""
    record = payloads.record_text(result.records, units.unit)
    return _today_page(
        request,
        lifter,
        core,
        exercise=result.exercise.id,
        total_sets=form.total_sets,
        logged=f"Logged {result.exercise.name}: {kind}{views.set_line(result.set, units)}."
        + (f" {record}" if record else ""),
        warning=result.warning,
        undo=result.set.id if result.created else None,
    )


@router.post("/today/finish")
def finish_workout(
    request: Request, lifter: PageLifter, workouts: WorkoutsDep, csrf: CsrfField = ""
) -> Response:
    check_form(request, csrf)
    latest = workouts.latest(lifter.id, limit=1)
    if latest and latest[0].is_open:
        workouts.finish(lifter.id, latest[0].id)
    return redirect("/history")


# --- a set logged today: edit it, delete it, undo it --------------------------------------------


def _set_edit_page(
    request: Request,
    lifter: User,
    exercises: Exercises,
    stored: StoredSet,
    *,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    confirm: bool = False,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    units = views.units_of(lifter.settings)
    data = stored.data
    shown = typed or {
        "load": units.number(data.load),
        "reps": str(data.reps),
        "rir": "" if data.rir is None else f"{data.rir:g}",
        "to_failure": data.to_failure,
        "notes": data.notes,
    }
    return render(
        request,
        "set_edit.html",
        title="Edit a set",
        lifter=lifter,
        active="/today",
        status_code=status_code,
        stored=stored,
        exercise=exercises.catalog(lifter.id).get(stored.exercise_id),
        line=views.set_line(stored, units),
        shown=shown,
        errors=errors or {},
        confirm=confirm,
    )


@router.get("/sets/{set_id}/edit", response_class=HTMLResponse)
def edit_set_page(
    set_id: SetId, request: Request, lifter: PageLifter, sets: SetsDep, exercises: ExercisesDep
) -> Response:
    """A logged set's load, reps, RIR and notes in a form (another lifter's set: 404)."""
    return _set_edit_page(request, lifter, exercises, sets.get(lifter.id, set_id))


@router.post("/sets/{set_id}/edit", response_class=HTMLResponse)
def edit_logged_set(
    set_id: SetId,
    request: Request,
    lifter: PageLifter,
    sets: SetsDep,
    exercises: ExercisesDep,
    csrf: CsrfField = "",
    load: Annotated[str, Form(max_length=40)] = "",
    reps: Annotated[str, Form(max_length=40)] = "",
    rir: Annotated[str, Form(max_length=40)] = "",
    to_failure: Annotated[bool, Form()] = False,
    notes: Annotated[str, Form(max_length=2000)] = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    """Correct a logged set as ``PATCH /api/sets/{set_id}`` does
    (:meth:`~failwise.services.sets.Sets.patch`); its target and test stay."""
    check_form(request, csrf)
    stored = sets.get(lifter.id, set_id)
    typed = {"load": load, "reps": reps, "rir": rir, "to_failure": to_failure, "notes": notes}
    errors: dict[str, str] = {}
    changes = set_correction(errors, stored, typed, views.units_of(lifter.settings))
    asked = False
    if not errors:
        try:
            sets.patch(lifter.id, set_id, changes, confirmed=confirmed)
        except NeedsConfirmation as error:
            errors["load"] = str(error)
            asked = True
        except InvalidInput as error:
            field = field_of(error, "load")
            errors[field if field in typed else "load"] = str(error)
        else:
            return redirect("/today")
    return _set_edit_page(
        request,
        lifter,
        exercises,
        stored,
        typed=typed,
        errors=errors,
        confirm=asked,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/sets/{set_id}/delete")
def delete_logged_set(
    set_id: SetId, request: Request, lifter: PageLifter, sets: SetsDep, csrf: CsrfField = ""
) -> Response:
    """Delete a logged set (the Done today list's Delete, and Undo after a log)."""
    check_form(request, csrf)
    sets.delete(lifter.id, set_id)
    return redirect("/today")

"""The REST API of the training log, under ``/api``; and ``/healthz``.

Every route is thin: check the body (pydantic), call one use case (the services in
:mod:`failwise.services`, :class:`~failwise.services.accounts.Accounts`) for the
signed-in lifter, shape the answer. What the log says is in
:mod:`failwise.adapters.web.insights_api`, the plan in
:mod:`failwise.adapters.web.plans_api`. Errors are mapped to statuses in one place,
``app.py``; another lifter's data is "not found" (404), because the services never see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from failwise.adapters import payloads
from failwise.adapters.web import paging, schemas
from failwise.adapters.web.deps import (
    AccountsDep,
    ExercisesDep,
    LifterDep,
    PrescriptionsDep,
    SetsDep,
    TokenDep,
    WorkoutsDep,
    bearer,
    clear_session_cookie,
    client_address,
    rotate_csrf_cookie,
    set_session_cookie,
)
from failwise.adapters.web.limits import take
from failwise.domain.context import Phase
from failwise.domain.errors import InvalidInput, UnknownExercise
from failwise.domain.exercises import Catalog, Equipment, Muscle
from failwise.domain.units import unit_named
from failwise.services.accounts import Session
from failwise.services.ports import NotFound
from failwise.services.quotas import Action
from failwise.services.records import StoredSet, User, Workout
from failwise.services.sets import LogResult


class FieldError(InvalidInput):
    """Bad input whose place in the request is known: ``loc`` as in FastAPI's 422s."""

    def __init__(self, loc: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.loc = tuple(loc)


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in, or the token has expired."},
    422: {"description": "Bad input: `detail` names the field and the reason."},
    503: {"description": "The database is unavailable; retry after `Retry-After` seconds."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not found (or another lifter's)."}
}

router = APIRouter(prefix="/api", responses=ERRORS)
health = APIRouter()

WorkoutId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="A workout's id.")]
Before = Annotated[
    str | None,
    Query(
        max_length=paging.CURSOR_LENGTH,
        description='The page before this cursor: take it from the `Link: rel="next"` header.',
    ),
]
MAX_PAGE = 1000
"""The most sets one page may hold."""
SetId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="A set's id.")]


# --- shaping answers ------------------------------------------------------------------


def _user(user: User) -> schemas.UserOut:
    return schemas.UserOut.model_validate(
        {
            "id": user.id,
            "username": user.username,
            "created_at": payloads.utc_iso(user.created_at),
            "settings": user.prefs.as_dict(),  # every setting, the defaults filled in
        }
    )


def _session(session: Session) -> schemas.SessionOut:
    return schemas.SessionOut(
        user=_user(session.user), token=session.token, expires_at=session.expires_at
    )


def set_out(stored: StoredSet, catalog: Catalog, lifter: User) -> schemas.SetOut:
    """A stored set, its loads in the lifter's unit."""
    return schemas.SetOut.model_validate(
        payloads.stored_set(stored, catalog.get(stored.exercise_id), lifter.prefs.unit)
    )


def _workout(workout: Workout) -> dict[str, Any]:
    return {
        "id": workout.id,
        "started_at": payloads.utc_iso(workout.started_at),
        "finished_at": payloads.utc_iso(workout.finished_at),
        "phase": workout.phase,
        "notes": workout.notes,
        "open": workout.is_open,
    }


def _logged(result: LogResult) -> schemas.LogOut:
    return schemas.LogOut.model_validate(
        {
            "set": payloads.stored_set(result.set, result.exercise, result.next.unit),
            "next": payloads.next_set(result.next),
            "warning": result.warning,
            "records": payloads.new_records(result.records, result.next.unit),
            "record": payloads.record_text(result.records, result.next.unit),
        }
    )


# --- health ------------------------------------------------------------------------------


@health.get(
    "/healthz",
    response_model=schemas.HealthOut,
    tags=["health"],
    responses={503: {"description": "The database does not answer."}},
)
def healthz(request: Request) -> Any:
    """Whether the server can reach its database (no sign-in needed)."""
    if not request.app.state.database.ping():
        return JSONResponse(
            {"status": "unavailable"},
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return {"status": "ok"}


# --- logging a set (first of the API's routes) ---------------------------------------------
# A lifter's phone sends this between every two sets: it is the API's hottest route, and
# FastAPI tries a router's routes in the order they are declared, so it comes first.


def _idempotency_key(header: str | None, body: str | None) -> str | None:
    if header is not None and body is not None and header != body:
        raise FieldError(
            ("header", "Idempotency-Key"),
            "the Idempotency-Key header and the idempotency_key field differ: send one",
        )
    return header if header is not None else body


@router.post(
    "/sets",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LogOut,
    tags=["sets"],
    responses={
        200: {
            "model": schemas.LogOut,
            "description": "A retry: the set stored under this idempotency key, unchanged.",
        },
        404: {"description": "The workout does not exist (or is another lifter's)."},
    },
)
async def log_set(
    body: schemas.SetIn,
    http_request: Request,
    response: Response,
    token: TokenDep,
    sets: SetsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=128,
            description="A retry with the same key never stores a second set.",
        ),
    ] = None,
) -> schemas.LogOut:
    """Log a set; answers with the set stored and the next set's prescription.

    Sent again with the same idempotency key, nothing new is stored and the
    answer is 200 with the set stored the first time.
    """
    key = _idempotency_key(idempotency_key, body.idempotency_key)
    request = body.to_request(key)

    def signed_in_log() -> LogResult:
        # The sign-in check is the log's own first statement (Sets.log_signed_in).
        return sets.log_signed_in(bearer(token), request)

    # On the event loop, which goes on serving while the database works (Database.run).
    result = await http_request.app.state.database.run(signed_in_log)
    if not result.created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return _logged(result)


# --- sign-up, sign-in, the lifter ----------------------------------------------------------


@router.post(
    "/auth/signup",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.SessionOut,
    tags=["lifter"],
    responses={
        409: {"description": "The username is taken."},
        429: {"description": "Too many sign-ups from this address: retry after `Retry-After`."},
    },
)
def sign_up(
    body: schemas.Credentials, request: Request, response: Response, accounts: AccountsDep
) -> schemas.SessionOut:
    """Create a lifter; answers with a bearer token (and sets the session cookie).

    The username is unique whatever its case. The password needs 8 to 128 characters
    and must not be a common one, contain the username, or be one character repeated.
    """
    take(request, Action.SIGN_UP)
    session = accounts.sign_up(body.username, body.password)
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return _session(session)


@router.post(
    "/auth/signin",
    response_model=schemas.SessionOut,
    tags=["lifter"],
    responses={
        429: {
            "description": "Too many failed sign-ins for this username or from this address: "
            "try again after `Retry-After` seconds."
        }
    },
)
def sign_in(
    body: schemas.Credentials, request: Request, response: Response, accounts: AccountsDep
) -> schemas.SessionOut:
    """A bearer token in the body, and the same session in an HttpOnly cookie.

    Failed sign-ins are counted per username and per client address: after 5 for a
    username (20 from an address) in 15 minutes, sign-in answers 429 until the oldest
    of them is 15 minutes old.
    """
    session = accounts.sign_in(body.username, body.password, address=client_address(request))
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return _session(session)


@router.post(
    "/auth/signout",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["lifter"],
    # Signing out needs no sign-in: without a token there is nothing to forget (204 all
    # the same), so the token is optional (`{}`: no security requirement is one choice).
    openapi_extra={"security": [{"HTTPBearer": []}, {"APIKeyCookie": []}, {}]},
)
def sign_out(request: Request, accounts: AccountsDep, token: TokenDep) -> Response:
    """Forget the token sent (bearer or cookie) and clear the cookie."""
    if token is not None:
        accounts.sign_out(token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, request)
    return response


@router.post(
    "/auth/signout-everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["lifter"],
)
def sign_out_everywhere(request: Request, lifter: LifterDep, accounts: AccountsDep) -> Response:
    """End every session of the lifter (every browser, every program's token, this one
    too) and clear the cookie."""
    accounts.sign_out_everywhere(lifter.id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, request)
    return response


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["lifter"],
    responses={
        429: {
            "description": "Too many wrong passwords for this lifter or from this address: "
            "try again after `Retry-After` seconds."
        }
    },
)
def change_password(
    body: schemas.PasswordChange,
    request: Request,
    lifter: LifterDep,
    accounts: AccountsDep,
    token: TokenDep,
) -> Response:
    """Change the password: the current one is needed. Every other session of the lifter
    ends; the one that sent this request goes on. A wrong current password counts as a
    failed sign-in."""
    accounts.change_password(
        lifter.id,
        body.old_password,
        body.new_password,
        keep_token=token,
        address=client_address(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=schemas.UserOut, tags=["lifter"])
def me(lifter: LifterDep) -> schemas.UserOut:
    return _user(lifter)


@router.patch("/me/settings", response_model=schemas.UserOut, tags=["lifter"])
def update_settings(
    body: schemas.SettingsIn, lifter: LifterDep, accounts: AccountsDep
) -> schemas.UserOut:
    """Change some settings; those not sent keep their values."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    return _user(accounts.update_settings(lifter.id, changes))


# --- exercises ------------------------------------------------------------------------------


@router.get("/exercises", response_model=list[schemas.ExerciseOut], tags=["exercises"])
def exercises(
    lifter: LifterDep,
    exercises: ExercisesDep,
    q: Annotated[
        str,
        Query(max_length=200, description="What the lifter typed: words, cut short or not."),
    ] = "",
    custom: Annotated[
        bool | None,
        Query(description="Only the lifter's own exercises (true) or only the built-in ones."),
    ] = None,
    muscle: Annotated[Muscle | None, Query(description="Only those that train it.")] = None,
    equipment: Annotated[Equipment | None, Query(description="Only those done with it.")] = None,
    limit: Annotated[int | None, Query(ge=1, le=500, description="At most this many.")] = None,
) -> Any:
    """The catalog and the lifter's own exercises, the likeliest first for ``q``.

    ``q`` finds words in any order and cut short, and lifters' shorthand (``db bench``,
    ``ohp``, ``rdl``); without ``q`` the whole catalog comes in its order. When no exercise
    holds every word, the closest names come instead. ``muscle`` keeps those with it as a
    primary muscle. A custom exercise that an import made from an unknown name has
    ``guessed``: true until the lifter corrects it (``PATCH /api/exercises/{exercise_id}``).
    """
    found = exercises.catalog(lifter.id).search(q, muscle=muscle, equipment=equipment)
    kept = [e for e in found if custom is None or e.custom is custom]
    return [payloads.exercise_detail(e) for e in kept[:limit]]


@router.get(
    "/exercises/{exercise_id}",
    response_model=schemas.ExerciseOut,
    tags=["exercises"],
    responses=_NOT_FOUND,
)
def exercise(exercise_id: str, lifter: LifterDep, exercises: ExercisesDep) -> Any:
    """One exercise, by id (or by any name the catalog resolves)."""
    found = exercises.catalog(lifter.id).find(exercise_id)
    if found is None:
        raise NotFound(f"no exercise {exercise_id!r}")
    return payloads.exercise_detail(found)


@router.post(
    "/exercises",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ExerciseOut,
    tags=["exercises"],
    responses={409: {"description": "The lifter already has this exercise."}},
)
def add_exercise(body: schemas.ExerciseIn, lifter: LifterDep, exercises: ExercisesDep) -> Any:
    """A lifter's own exercise, seen by them alone."""
    attributes = body.model_dump(exclude={"name"}, exclude_none=True)
    return payloads.exercise_detail(exercises.add_custom(lifter.id, body.name, **attributes))


@router.patch(
    "/exercises/{exercise_id}",
    response_model=schemas.ExerciseOut,
    tags=["exercises"],
    responses=_NOT_FOUND,
)
def correct_exercise(
    exercise_id: str, body: schemas.ExercisePatch, lifter: LifterDep, exercises: ExercisesDep
) -> Any:
    """Correct the attributes of one of the lifter's own exercises (a built-in one: 422).

    Only the attributes sent change; the exercise is no longer marked as guessed, so an
    empty body confirms a guess as it stands.
    """
    changes = body.model_dump(exclude_unset=True)
    try:
        corrected = exercises.correct_custom(lifter.id, exercise_id, **changes)
    except UnknownExercise:
        raise NotFound(f"no exercise {exercise_id!r}") from None
    except InvalidInput as error:
        if error.field == "exercise":  # a built-in: the path is at fault, not the body
            raise FieldError(("path", "exercise_id"), str(error)) from None
        raise
    return payloads.exercise_detail(corrected)


# --- workouts --------------------------------------------------------------------------------


@router.post(
    "/workouts",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.WorkoutOut,
    tags=["workouts"],
    responses={409: {"description": "A workout is still open."}},
)
def start_workout(
    lifter: LifterDep, workouts: WorkoutsDep, body: schemas.WorkoutIn | None = None
) -> Any:
    body = body or schemas.WorkoutIn()
    workout = workouts.start(
        lifter.id, phase=body.phase, notes=body.notes, started_at=body.started_at
    )
    return _workout(workout)


def read_cursor(text: str | None, parse: Callable[[str], Any]) -> Any:
    """The key of a ``before`` cursor (None without one); a 422 naming it when it is bad."""
    try:
        return None if text is None else parse(text)
    except InvalidInput as error:
        raise FieldError(("query", "before"), str(error)) from None


@router.get(
    "/workouts",
    response_model=list[schemas.WorkoutOut],
    tags=["workouts"],
    responses={200: {"description": "A page of workouts.", "headers": paging.LINK_HEADER}},
)
def workouts(
    request: Request,
    response: Response,
    lifter: LifterDep,
    workouts: WorkoutsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Before = None,
) -> Any:
    """The lifter's workouts, latest first, ``limit`` at a time: when older ones remain,
    the ``Link`` header's ``rel="next"`` URL gives the next page."""
    key = read_cursor(before, paging.workout_key)
    listed, more = paging.newest_first(
        workouts.latest(lifter.id, limit=limit + 1, before=key), limit
    )
    if more:
        paging.link_next(response, request, paging.workout_cursor(listed[-1].key))
    return [_workout(w) for w in listed]


@router.get(
    "/workouts/{workout_id}",
    response_model=schemas.WorkoutDetailOut,
    tags=["workouts"],
    responses=_NOT_FOUND,
)
def workout(
    workout_id: WorkoutId,
    request: Request,
    response: Response,
    lifter: LifterDep,
    exercises: ExercisesDep,
    workouts: WorkoutsDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Sets at most.")] = MAX_PAGE,
    before: Before = None,
) -> Any:
    """A workout with its sets, in the order they were done: its latest ``limit`` sets;
    when it has more, the ``Link`` header's ``rel="next"`` URL gives the sets before."""
    key = read_cursor(before, paging.set_key)
    detail = workouts.get(lifter.id, workout_id, limit=limit + 1, before=key)
    sets, more = paging.oldest_first(detail.sets, limit)
    if more:
        paging.link_next(response, request, paging.set_cursor(sets[0].key))
    catalog = exercises.catalog(lifter.id)
    return {**_workout(detail.workout), "sets": [set_out(s, catalog, lifter) for s in sets]}


@router.post(
    "/workouts/{workout_id}/finish",
    response_model=schemas.WorkoutOut,
    tags=["workouts"],
    responses=_NOT_FOUND,
)
def finish_workout(
    workout_id: WorkoutId,
    lifter: LifterDep,
    workouts: WorkoutsDep,
    body: schemas.FinishIn | None = None,
) -> Any:
    """Close the workout (finishing a finished one changes nothing)."""
    finished_at = body.finished_at if body else None
    return _workout(workouts.finish(lifter.id, workout_id, finished_at=finished_at))


@router.delete(
    "/workouts/{workout_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["workouts"],
    responses=_NOT_FOUND,
)
def delete_workout(workout_id: WorkoutId, lifter: LifterDep, workouts: WorkoutsDep) -> Response:
    """Delete the workout and its sets."""
    workouts.delete(lifter.id, workout_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- sets -------------------------------------------------------------------------------------


@router.get("/sets/{set_id}", response_model=schemas.SetOut, tags=["sets"], responses=_NOT_FOUND)
def get_set(
    set_id: SetId, lifter: LifterDep, exercises: ExercisesDep, sets: SetsDep
) -> schemas.SetOut:
    stored = sets.get(lifter.id, set_id)
    return set_out(stored, exercises.catalog(lifter.id), lifter)


@router.patch("/sets/{set_id}", response_model=schemas.SetOut, tags=["sets"], responses=_NOT_FOUND)
def edit_set(
    set_id: SetId, body: schemas.SetPatch, lifter: LifterDep, exercises: ExercisesDep, sets: SetsDep
) -> schemas.SetOut:
    """Correct a logged set; the fields not sent keep their values."""
    updated = sets.patch(
        lifter.id, set_id, body.changes(), unit=body.loads_in, confirmed=body.confirmed
    )
    return set_out(updated, exercises.catalog(lifter.id), lifter)


@router.delete(
    "/sets/{set_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["sets"],
    responses=_NOT_FOUND,
)
def delete_set(set_id: SetId, lifter: LifterDep, sets: SetsDep) -> Response:
    sets.delete(lifter.id, set_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/next", response_model=schemas.NextSetOut, tags=["sets"])
def next_set(
    lifter: LifterDep,
    prescriptions: PrescriptionsDep,
    exercise: Annotated[str, Query(min_length=1, max_length=200, description="Name or id.")],
    total_sets: Annotated[
        int | None, Query(ge=1, le=30, description="Working sets planned today.")
    ] = None,
    spotter: Annotated[bool | None, Query(description="Default: the lifter's setting.")] = None,
    phase: Annotated[Phase | None, Query(description="Default: the open workout's.")] = None,
    unit: Annotated[
        Literal["kg", "lb"] | None, Query(description="Default: the lifter's setting.")
    ] = None,
) -> Any:
    """The next set of an exercise: go to failure or not, why, and the load and reps."""
    following = prescriptions.next_set(
        lifter.id,
        exercise,
        total_sets=total_sets,
        spotter=spotter,
        phase=phase,
        unit=None if unit is None else unit_named(unit),
    )
    return payloads.next_set(following)


# --- readiness and measurements ------------------------------------------------------------

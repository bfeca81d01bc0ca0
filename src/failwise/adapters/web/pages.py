"""The web app's pages: the coach on a lifter's phone, server-rendered with a little JavaScript.

Pages share the API's session (the ``failwise_session`` cookie); a page asked
for without one redirects to ``/signin``. Every HTML form carries the
double-submit CSRF token (the ``failwise_csrf`` cookie, repeated in a hidden
``csrf_token`` field), and every page is served with a Content-Security-Policy
that allows only this site's own scripts and styles: no inline script, no
inline ``style``, nothing from another host. Scripts and styles are plain files
in ``static/``; templates are in ``templates/``.

The API speaks kilograms; pages show and take loads in the lifter's unit
(:class:`~failwise.adapters.web.views.Units`). The today page logs sets through
the JSON API (``static/today.js``) and falls back to a plain form post without
JavaScript; a set logged offline waits in the browser and is sent later with
its idempotency key (``static/app.js``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from failwise.adapters import exporters, payloads
from failwise.adapters.importers import DESCRIPTIONS, parse, read_text
from failwise.adapters.reports import history as report
from failwise.adapters.web import paging, views
from failwise.adapters.web.api import SetId
from failwise.adapters.web.deps import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    AccountsDep,
    CoachDep,
    clear_session_cookie,
    client_address,
    csrf_matches,
    rotate_csrf_cookie,
    set_csrf_cookie,
    set_session_cookie,
)
from failwise.adapters.web.limits import take
from failwise.domain.analysis import HistoryAnalysis
from failwise.domain.calibration import RirTest, next_test
from failwise.domain.context import Experience, Phase
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Equipment,
    Exercise,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.guess import guess_exercise
from failwise.domain.planning import MAX_DAYS, MAX_MINUTES, MIN_DAYS, MIN_MINUTES, Goal
from failwise.domain.units import KG
from failwise.services.accounts import Accounts, AuthenticationFailed, SignInThrottled
from failwise.services.demo import load_demo
from failwise.services.imports import HistoryImporter, ImportRejected, ImportSummary
from failwise.services.live import UNLOADED
from failwise.services.plans import Plans, Today
from failwise.services.plausibility import NeedsConfirmation
from failwise.services.ports import Conflict
from failwise.services.quotas import Action
from failwise.services.records import LifterSettings, StoredSet, User, Workout
from failwise.services.training import (
    CALIBRATION_TESTS,
    WINDOW_SETS,
    Coach,
    LogRequest,
    window_sets,
)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
MAX_UPLOAD_MB = 20
UPLOAD_PATH = "/import"
"""The one route that takes a body past the app's small limit: it streams its own."""
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Room for the multipart envelope and the other fields around the file.
_FORM_OVERHEAD = 64 * 1024
NAV = (
    ("/today", "Today"),
    ("/history", "History"),
    ("/insights", "Insights"),
    ("/plan", "Plan"),
    ("/import", "Import"),
    ("/guide", "Guide"),
    ("/settings", "Settings"),
)
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
RECENT = timedelta(weeks=3)
# What a page reads is bounded, whatever the size of the lifter's history (an import
# may hold a million sets): a window of time, and a count of sets in it.
RECENT_SETS = 500
"""The latest sets the recent exercises are picked from."""
PAGE_SETS = 1000
"""The most sets one page lists (a page of History, today's workout)."""
TRAINED = timedelta(weeks=26)
"""The window the exercise picker's counts come from."""
CHART_WEEKS = 52
"""The weeks, up to the last workout, that the e1RM chart and the analysis read."""

router = APIRouter(include_in_schema=False)


class SignInRequired(Exception):
    """A page that needs a lifter was asked for without a valid session."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class FormRejected(Exception):
    """A form post without the CSRF token of this browser."""


def install(app: FastAPI) -> None:
    """Add the pages, the static files and the pages' two error answers to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(FormRejected, _form_rejected)


# --- rendering ---------------------------------------------------------------------------------


@cache
def _digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: a changed file is never served from a stale cache."""
    return f"/static/{name}?v={_digest(name)}"


TEMPLATES.env.globals["static"] = static_url


def csrf_token(request: Request) -> str:
    """This browser's CSRF token: its cookie's value, or a new one the response will set."""
    known: str | None = getattr(request.state, "csrf", None)
    if known:
        return known
    cookie = request.cookies.get(CSRF_COOKIE, "")
    token = cookie if _TOKEN_SHAPE.match(cookie) else secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


def secure_page(response: Response, request: Request) -> Response:
    """The page headers: CSP, no caching of a lifter's data, and the CSRF cookie if new."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    token = csrf_token(request)
    if request.cookies.get(CSRF_COOKIE) != token:
        set_csrf_cookie(response, request, token)
    return response


def render(
    request: Request,
    template: str,
    *,
    title: str,
    lifter: User | None = None,
    active: str = "",
    status_code: int = status.HTTP_200_OK,
    **context: Any,
) -> HTMLResponse:
    units = views.units_of(lifter.settings) if lifter else views.Units()
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "title": title,
            "lifter": lifter,
            "units": units,
            "nav": NAV,
            "active": active,
            "csrf_field": CSRF_FIELD,
            "csrf": csrf_token(request),
            "csrf_header": CSRF_HEADER,
            "csrf_cookie": CSRF_COOKIE,
            **context,
        },
        status_code=status_code,
    )
    secure_page(response, request)
    return response


def came_from(request: Request) -> str | None:
    """The page on this site the lifter came from (the ``Referer``'s path), if any."""
    referer = request.headers.get("referer", "")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.headers.get("host", ""):
        return None  # another site's page is not a way back
    back = parts.path + ("?" + parts.query if parts.query else "")
    if back == request.url.path or not back.startswith("/") or back.startswith(("//", "/\\")):
        return None
    return back


def error_page(
    request: Request,
    status_code: int,
    *,
    heading: str,
    message: str,
    headers: dict[str, str] | None = None,
    lifter: User | None = None,
) -> HTMLResponse:
    """An error as a page in the site's layout: plain words, a way back to Today and to
    the page the lifter came from, the same status and headers the API would send."""
    page = render(
        request,
        "error.html",
        title=heading,
        lifter=lifter,
        status_code=status_code,
        heading=heading,
        message=message,
        back=came_from(request),
    )
    for name, value in (headers or {}).items():
        page.headers[name] = value
    return page


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def _to_sign_in(request: Request, error: Exception) -> Response:
    path = error.path if isinstance(error, SignInRequired) else "/today"
    response = _redirect("/signin?" + urlencode({"next": path}))
    if request.cookies.get(SESSION_COOKIE):
        clear_session_cookie(response, request)  # it no longer signs anyone in
    return response


def _form_rejected(request: Request, _error: Exception) -> Response:
    return render(
        request,
        "error.html",
        title="Form expired",
        status_code=status.HTTP_403_FORBIDDEN,
        heading="This form has expired",
        message=(
            "Its security token is missing or does not match this browser's, so nothing was "
            "changed. Go back, reload the page and send it again."
        ),
    )


# --- who is asking ------------------------------------------------------------------------------


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def signed_in(request: Request) -> User | None:
    """The lifter the session cookie signs in, if any."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return _accounts(request).user_for_token(token)
    except AuthenticationFailed:
        return None


def page_lifter(request: Request) -> User:
    lifter = signed_in(request)
    if lifter is None:
        # Back to the page after signing in; a form post (its data lost) goes back to today.
        path = request.url.path if request.method == "GET" else "/today"
        if request.url.query and request.method == "GET":
            path += "?" + request.url.query
        raise SignInRequired(path)
    return lifter


PageLifter = Annotated[User, Depends(page_lifter)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]


def check_form(request: Request, sent: str | None) -> None:
    """A form post must repeat this browser's CSRF cookie (:class:`FormRejected`, 403)."""
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), sent):
        raise FormRejected


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//elsewhere`` or a full URL."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/today"


def _field_of(error: InvalidInput, default: str) -> str:
    field = error.field or ""
    return field.split(".")[0] or default


# --- the landing page, sign-up, sign-in, the demo ---------------------------------------------


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it whatever the page says: the same icon, as SVG."""
    return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    if signed_in(request) is not None:
        return _redirect("/today")
    return render(request, "landing.html", title="Train hard, fail wisely")


@router.get("/signup", response_class=HTMLResponse)
def sign_up_page(request: Request) -> Response:
    return render(request, "signup.html", title="Sign up", errors={}, username="")


@router.post("/signup", response_class=HTMLResponse)
def sign_up(
    request: Request,
    accounts: AccountsDep,
    csrf: CsrfField = "",
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    check_form(request, csrf)
    take(request, Action.SIGN_UP)
    errors: dict[str, str] = {}
    try:
        session = accounts.sign_up(username, password)
    except Conflict as error:
        errors["username"] = str(error)
    except InvalidInput as error:
        field = _field_of(error, "username")
        errors[field if field in ("username", "password") else "username"] = str(error)
    if errors:
        return render(
            request,
            "signup.html",
            title="Sign up",
            errors=errors,
            username=username,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    response = _redirect("/today?welcome=1")
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/today") -> Response:
    return render(
        request, "signin.html", title="Sign in", errors={}, username="", next=_safe_next(next)
    )


@router.post("/signin", response_class=HTMLResponse)
def sign_in(
    request: Request,
    accounts: AccountsDep,
    csrf: CsrfField = "",
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/today",
) -> Response:
    check_form(request, csrf)
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "Enter your username."
    if not password:
        errors["password"] = "Enter your password."
    throttled: SignInThrottled | None = None
    if not errors:
        try:
            session = accounts.sign_in(
                username, password, kind="cookie", address=client_address(request)
            )
        except SignInThrottled as error:
            throttled = error
            errors["password"] = (
                f"Too many wrong passwords: sign-in is paused. Try again in "
                f"{views.wait_text(error.retry_after_seconds)}."
            )
        except AuthenticationFailed:
            errors["password"] = "Wrong username or password."
    if errors:
        if throttled is not None:
            code = status.HTTP_429_TOO_MANY_REQUESTS
        elif "password" in errors and username.strip() and password:
            code = status.HTTP_401_UNAUTHORIZED
        else:
            code = status.HTTP_422_UNPROCESSABLE_CONTENT
        page = render(
            request,
            "signin.html",
            title="Sign in",
            errors=errors,
            username=username,
            next=_safe_next(next),
            status_code=code,
        )
        if throttled is not None:
            page.headers["Retry-After"] = str(throttled.retry_after_seconds)
        return page
    response = _redirect(_safe_next(next))
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


@router.post("/signout")
def sign_out(request: Request, accounts: AccountsDep, csrf: CsrfField = "") -> Response:
    check_form(request, csrf)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.sign_out(token)
    response = _redirect("/signin")
    clear_session_cookie(response, request)
    return response


@router.post("/demo")
def try_the_demo(
    request: Request, accounts: AccountsDep, coach: CoachDep, csrf: CsrfField = ""
) -> Response:
    """A fresh demo lifter with six weeks of history, signed in, on the today page.

    The demo is always an account of its own: its made-up sets never go into a real
    lifter's log (a lifter who presses "Try the demo" is signed out of their own
    account, whose log stays as it was)."""
    check_form(request, csrf)
    take(request, Action.DEMO)
    for _ in range(3):
        try:
            session = accounts.sign_up(f"demo-{secrets.token_hex(4)}", secrets.token_urlsafe(24))
            break
        except Conflict:  # eight random hex digits taken: draw again
            continue
    else:
        raise Conflict("could not find a free demo name: try again")
    load_demo(coach, session.user.id)
    response = _redirect("/today?" + urlencode({"exercise": "barbell-squat"}))
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


# --- today ---------------------------------------------------------------------------------------


def _today_page(
    request: Request,
    lifter: User,
    coach: Coach,
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
    now = coach.clock()
    catalog = coach.exercises(lifter.id)
    latest = coach.workouts(lifter.id, limit=1)
    workout = latest[0] if latest and latest[0].is_open else None
    done_today = list(coach.workout(lifter.id, workout.id, limit=PAGE_SETS).sets) if workout else []
    # Recent exercises: those of the three weeks up to the last workout (a short window keeps
    # the page quick; a lifter back from a break still sees what they did last).
    anchor = latest[0].started_at if latest else now
    recent = views.recent_exercises(
        coach.history(lifter.id, since=anchor - RECENT, limit=RECENT_SETS), catalog
    )
    planned = Plans(coach).today(lifter.id)
    session = _session_view(planned, done_today, units) if planned else None
    chosen: Exercise | None = None
    search = None
    if muscle or equipment or (exercise and catalog.find(exercise) is None):
        # Not one exercise by its name: what was typed and filtered, as results to tap.
        search = views.exercise_search(catalog, exercise, muscle=muscle, equipment=equipment)
        exercise = ""
    if not exercise and not done_today and session:
        # The planned session's first exercise with sets still to do.
        exercise = next((row["id"] for row in session["exercises"] if row["left"]), "")
        total_sets = total_sets or next(
            (row["sets"] for row in session["exercises"] if row["id"] == exercise), None
        )
    if exercise:
        chosen = catalog.find(exercise)
    elif done_today:
        chosen = catalog.get(done_today[-1].exercise_id)
    if chosen is not None and total_sets is None and session:
        total_sets = next(
            (row["sets"] for row in session["exercises"] if row["id"] == chosen.id), None
        )
    prescription: dict[str, Any] | None = None
    test_offer = None
    if chosen is not None:
        following = coach.next_set(lifter.id, chosen.id, total_sets=total_sets)
        data = payloads.next_set(following)
        prescription = {
            **data,
            "exercise": chosen,
            "unloaded": chosen.equipment in UNLOADED,
            "step": following.unit.step(chosen.increment_kg),
            "rest": views.rest_seconds(chosen),
            "key": str(uuid.uuid4()),
        }
        if not following.exercise_done:
            low, high = (
                following.prescription.target_rir.low,
                following.prescription.target_rir.high,
            )
            prescription.update(
                low=low,
                high=high,
                decision=views.decision_text(data["failure"], low, high),
                rir_text=views.rir_text(low, high),
                load_display=data["load"],
            )
        plan = next_test(
            coach.calibration(lifter.id),
            last_test_on=None,
            today=now.date(),
            candidates=[chosen],
            spotter=lifter.prefs.spotter,
            phase=workout.phase if workout else Phase.NORMAL,
            fatigued=following.fatigue.fatigued,
        )
        if plan.due and not following.exercise_done:
            test_offer = plan.reason
    return render(
        request,
        "today.html",
        title="Today",
        lifter=lifter,
        active="/today",
        status_code=status_code,
        workout=workout,
        done_today=[
            (catalog.get(s.exercise_id), views.set_line(s, units), s.id) for s in done_today
        ],
        picks=views.quick_picks(recent, catalog),
        options=views.exercise_options(recent, catalog),
        chosen=chosen,
        search=search,
        muscle_choices=views.MUSCLE_CHOICES,
        equipment_choices=views.EQUIPMENT_CHOICES,
        summary=views.exercise_summary,
        p=prescription,
        test_offer=test_offer,
        errors=errors or {},
        logged=logged,
        warning=warning,
        confirm=confirm,
        undo=undo,
        total_sets=total_sets,
        welcome=request.query_params.get("welcome") == "1",
        added=chosen is not None and chosen.custom and request.query_params.get("added") == "1",
        session=session,
        empty_log=not latest,
    )


def _session_view(today: Today, done: list[StoredSet], units: views.Units) -> dict[str, Any]:
    """Today's planned session: each exercise's sets as planned, and how many are done."""
    open_here = today.workout is not None
    rows = []
    for item in today.exercises:
        planned = item.planned
        first = planned.sets[0] if planned.sets else None
        logged = sum(
            1
            for s in done
            if open_here
            and s.exercise_id == planned.exercise.id
            and s.data.set_type.value == "working"
        )
        rows.append(
            {
                "id": planned.exercise.id,
                "name": planned.exercise.name,
                "sets": len(planned.sets),
                "done": logged,
                "left": max(0, len(planned.sets) - logged),
                "target": ""
                if first is None
                else f"{len(planned.sets)} × {first.reps}"
                + (f" at {units.text(first.load_kg)}" if first.load_kg else "")
                + f", {views.rir_text(first.target_rir.low, first.target_rir.high)}",
                "note": item.note,
                "load_kg": None if first is None else first.load_kg,
            }
        )
    return {
        "title": f"{today.session.name}: week {today.week}" + (" (deload)" if today.deload else ""),
        "started": open_here,
        "exercises": rows,
        "note": today.volume_note,
        "early_deload": today.early_deload,
    }


@router.get("/today", response_class=HTMLResponse)
def today(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    exercise: Annotated[str, Query(max_length=200)] = "",
    sets: Annotated[int | None, Query(ge=1, le=30)] = None,
    muscle: Annotated[str, Query(max_length=40)] = "",
    equipment: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    return _today_page(
        request,
        lifter,
        coach,
        exercise=exercise.strip(),
        total_sets=sets,
        muscle=muscle,
        equipment=equipment,
    )


def _number(
    errors: dict[str, str], field: str, text: str, label: str, *, whole: bool = False
) -> float | None:
    """A number typed in a form, or None (with an error for the field) when it is not one.

    Every form of the web app reads its numbers here, through :func:`views.typed_number`:
    a dot or a comma is the decimal mark, and ``1,234.5`` is refused, not guessed at.
    """
    text = text.strip()
    if not text:
        return None
    try:
        value = views.typed_number(text)
    except ValueError as error:
        several = text.count(",") + text.count(".") > 1
        errors[field] = f"{label} must be a number" + (f": {error}" if several else "")
        errors[field] += f", not “{text}”."
        return None
    if whole and not value.is_integer():
        errors[field] = f"{label} must be a whole number."
        return None
    return value


@router.post("/today/log", response_class=HTMLResponse)
def log_from_form(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
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
) -> Response:
    """The today page's log form without JavaScript: the same set the script would send.

    The set's target is what the coach showed for it: the service stores it. A load far
    above the lifter's e1RM comes back with the question and a "Yes, log it" button that
    sends the same set again, confirmed.
    """
    check_form(request, csrf)
    units = views.units_of(lifter.settings)
    errors: dict[str, str] = {}
    shown_load = _number(errors, "load", load, "Load")
    done = _number(errors, "reps", reps, "Reps", whole=True)
    called = None if to_failure or test else _number(errors, "rir", rir, "RIR")
    at_call = _number(errors, "reps_at_call", reps_at_call, "The rep of the call", whole=True)
    predicted = _number(errors, "predicted_rir", predicted_rir, "The RIR you called")
    if shown_load is None and "load" not in errors:
        errors["load"] = "Enter the load (0 for bodyweight)."
    if done is None and "reps" not in errors:
        errors["reps"] = "Enter the reps you did."
    if test and (at_call is None or predicted is None):
        errors.setdefault("reps_at_call", "A test needs the rep where you called your RIR.")
    confirm = None
    if not errors and shown_load is not None and done is not None:
        request_ = LogRequest(
            exercise=exercise,
            load=shown_load,
            reps=int(done),
            rir=called,
            to_failure=to_failure and not test,
            test_reps_at_call=int(at_call) if test and at_call is not None else None,
            test_predicted_rir=predicted if test else None,
            idempotency_key=idempotency_key or None,
            total_sets=total_sets,
            confirmed=confirmed,
        )
        try:
            result = coach.log_set(lifter.id, request_)
        except NeedsConfirmation as error:
            errors["load"] = str(error)
            # The same set again, confirmed: the form's fields as they were sent.
            confirm = {
                "exercise": exercise,
                "load": load,
                "reps": reps,
                "rir": rir,
                "to_failure": "true" if to_failure else "",
                "total_sets": str(total_sets or ""),
                "idempotency_key": idempotency_key,
                "test": "true" if test else "",
                "reps_at_call": reps_at_call,
                "predicted_rir": predicted_rir,
            }
        except InvalidInput as error:
            field = _field_of(error, "load")
            errors[{"test": "reps_at_call", "to_failure": "rir"}.get(field, field)] = str(error)
        else:
            return _today_page(
                request,
                lifter,
                coach,
                exercise=result.exercise.id,
                total_sets=total_sets,
                logged=f"Logged {result.exercise.name}: {views.set_line(result.set, units)}.",
                warning=result.warning,
                undo=result.set.id if result.created else None,
            )
    return _today_page(
        request,
        lifter,
        coach,
        exercise=exercise,
        total_sets=total_sets,
        errors=errors,
        confirm=confirm,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/today/finish")
def finish_workout(
    request: Request, lifter: PageLifter, coach: CoachDep, csrf: CsrfField = ""
) -> Response:
    check_form(request, csrf)
    latest = coach.workouts(lifter.id, limit=1)
    if latest and latest[0].is_open:
        coach.finish_workout(lifter.id, latest[0].id)
    return _redirect("/history")


# --- a set logged today: edit it, delete it, undo it --------------------------------------------


def _set_edit_page(
    request: Request,
    lifter: User,
    coach: Coach,
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
        exercise=coach.exercises(lifter.id).get(stored.exercise_id),
        line=views.set_line(stored, units),
        shown=shown,
        errors=errors or {},
        confirm=confirm,
    )


@router.get("/sets/{set_id}/edit", response_class=HTMLResponse)
def edit_set_page(set_id: SetId, request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    """A logged set's load, reps, RIR and notes in a form (another lifter's set: 404)."""
    return _set_edit_page(request, lifter, coach, coach.get_set(lifter.id, set_id))


@router.post("/sets/{set_id}/edit", response_class=HTMLResponse)
def edit_logged_set(
    set_id: SetId,
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
    load: Annotated[str, Form(max_length=40)] = "",
    reps: Annotated[str, Form(max_length=40)] = "",
    rir: Annotated[str, Form(max_length=40)] = "",
    to_failure: Annotated[bool, Form()] = False,
    notes: Annotated[str, Form(max_length=2000)] = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    """Correct a logged set through :meth:`Coach.edit_set`; its target and test stay."""
    check_form(request, csrf)
    stored = coach.get_set(lifter.id, set_id)
    units = views.units_of(lifter.settings)
    errors: dict[str, str] = {}
    shown_load = _number(errors, "load", load, "Load")
    done = _number(errors, "reps", reps, "Reps", whole=True)
    called = None if to_failure else _number(errors, "rir", rir, "RIR")
    if shown_load is None and "load" not in errors:
        errors["load"] = "Enter the load (0 for bodyweight)."
    if done is None and "reps" not in errors:
        errors["reps"] = "Enter the reps you did."
    typed = {"load": load, "reps": reps, "rir": rir, "to_failure": to_failure, "notes": notes}
    asked = False
    if not errors and shown_load is not None and done is not None:
        data = stored.data
        # The load as shown is the stored one: no rounding through the lifter's unit.
        load_kg = data.load if load.strip() == units.number(data.load) else units.to_kg(shown_load)
        change = LogRequest(
            exercise=data.exercise_id,
            load=load_kg,
            reps=int(done),
            rir=called,
            set_type=data.set_type,
            to_failure=to_failure,
            failure_kind=data.failure_kind if to_failure else None,
            target_load=data.target_load,
            target_reps=data.target_reps,
            target_rir_low=data.target_rir_low,
            target_rir_high=data.target_rir_high,
            test_reps_at_call=data.test_reps_at_call,
            test_predicted_rir=data.test_predicted_rir,
            rest_seconds=data.rest_seconds,
            notes=notes,
            logged_at=data.logged_at,
            unit=KG,
            confirmed=confirmed,
        )
        try:
            coach.edit_set(lifter.id, set_id, change)
        except NeedsConfirmation as error:
            errors["load"] = str(error)
            asked = True
        except InvalidInput as error:
            field = _field_of(error, "load")
            errors[field if field in typed else "load"] = str(error)
        else:
            return _redirect("/today")
    return _set_edit_page(
        request,
        lifter,
        coach,
        stored,
        typed=typed,
        errors=errors,
        confirm=asked,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/sets/{set_id}/delete")
def delete_logged_set(
    set_id: SetId, request: Request, lifter: PageLifter, coach: CoachDep, csrf: CsrfField = ""
) -> Response:
    """Delete a logged set (the Done today list's Delete, and Undo after a log)."""
    check_form(request, csrf)
    coach.delete_set(lifter.id, set_id)
    return _redirect("/today")


# --- history ------------------------------------------------------------------------------------


@router.get("/history", response_class=HTMLResponse)
def history(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    exercise: Annotated[str, Query(max_length=200)] = "",
    workouts: Annotated[int, Query(ge=1, le=500)] = 8,
    before: Annotated[str, Query(max_length=paging.CURSOR_LENGTH)] = "",
) -> Response:
    """A page of workouts (the latest ``workouts``, or those before the ``before`` cursor)
    with at most :data:`PAGE_SETS` of their sets; charts of a window up to the last one."""
    units = views.units_of(lifter.settings)
    now = coach.clock()
    catalog = coach.exercises(lifter.id)
    try:
        key = paging.workout_key(before) if before else None
    except InvalidInput:
        key = None  # a mangled link: the first page
    page, more = coach.workout_page(lifter.id, limit=workouts, before=key, max_sets=PAGE_SETS)
    listed = [detail.workout for detail in page]
    # The picker offers what was trained in the six months up to the last workout (an
    # imported history may have ended long ago), the chart the year up to it.
    newest = page[0].workout if page and key is None else None
    newest = newest or next(iter(coach.workouts(lifter.id, limit=1)), None)
    last = newest.started_at if newest else now
    trained = views.most_trained(
        coach.history(lifter.id, since=last - TRAINED, limit=window_sets(TRAINED)), catalog
    )
    chosen = catalog.find(exercise) if exercise else None
    if chosen is None and trained:
        heavy = [e for e, _ in trained if e.heavy_compound]
        chosen = heavy[0] if heavy else trained[0][0]
    e1rm_svg = None
    if chosen is not None:
        series = coach.e1rm_series(lifter.id, chosen.id, since=last - timedelta(weeks=CHART_WEEKS))
        e1rm_svg = Markup(views.e1rm_chart(chosen.name, series, units))
    volume = coach.weekly_volume(lifter.id, weeks=8)
    weeks, rows = views.volume_rows(volume)
    return render(
        request,
        "history.html",
        title="History",
        lifter=lifter,
        active="/history",
        workouts=views.workout_views(listed, [s for detail in page for s in detail.sets], catalog),
        incomplete={detail.workout.id for detail in page if not detail.complete},
        page_sets=PAGE_SETS,
        chart_weeks=CHART_WEEKS,
        older=paging.workout_cursor(listed[-1].key) if more else None,
        shown=workouts,
        set_line=views.set_line,
        target_line=views.target_line,
        today=now.date(),
        day_label=views.day_label,
        trained=trained,
        chosen=chosen,
        e1rm_svg=e1rm_svg,
        volume_svg=Markup(views.volume_chart(volume, now.date())) if volume else None,
        volume_weeks=weeks,
        volume_rows=rows,
    )


# --- insights -----------------------------------------------------------------------------------


@router.get("/insights", response_class=HTMLResponse)
def insights(request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    now = coach.clock()
    catalog = coach.exercises(lifter.id)
    calibration = coach.calibration(lifter.id)
    with coach.stores() as store:
        tested = store.sets(lifter.id, tests_only=True, latest=CALIBRATION_TESTS)
    tests = [
        RirTest(
            exercise=catalog.get(s.exercise_id),
            reps=s.data.test_reps_at_call,
            predicted_rir=s.data.test_predicted_rir,
            reps_at_failure=s.data.reps,
            performed_on=s.logged_at.date(),
        )
        for s in tested
        if s.data.test_reps_at_call is not None and s.data.test_predicted_rir is not None
    ]
    state, verdict = coach.fatigue(lifter.id)
    recent = views.recent_exercises(
        coach.history(lifter.id, since=now - timedelta(weeks=2), limit=RECENT_SETS), catalog
    )
    plan = next_test(
        calibration,
        last_test_on=None,
        today=now.date(),
        candidates=recent,
        spotter=bool(lifter.settings.get("spotter", True)),
        phase=Phase.NORMAL,
        fatigued=verdict.fatigued,
    )
    analysis = _recent_analysis(coach, lifter.id)
    readiness = {m: round(v, 1) for m, v in sorted(state.readiness.items(), key=lambda i: i[1])}
    return render(
        request,
        "insights.html",
        title="Insights",
        lifter=lifter,
        active="/insights",
        calibration=payloads.calibration(calibration),
        tests=tests,
        calibration_svg=Markup(views.calibration_chart(tests)) if tests else None,
        plan=plan,
        readiness=readiness,
        readiness_svg=Markup(views.readiness_chart(readiness)) if readiness else None,
        systemic=round(state.systemic_fatigue, 1),
        verdict=payloads.fatigue_verdict(verdict),
        analysis=analysis,
        class_names=report.CLASS_NAMES,
        rir_svg=Markup(report.rir_chart(analysis)) if analysis.working_sets else None,
        trend_svg=Markup(report.e1rm_chart(analysis)) if analysis.e1rm_trends else None,
        rule_breaks=list(reversed(analysis.rule_breaks[-10:])),
        fatigue_weeks=list(reversed(analysis.fatigue_by_week[-8:])),
        units=views.units_of(lifter.settings),
        chart_weeks=CHART_WEEKS,
        capped=analysis.sets >= WINDOW_SETS,
        window_sets=WINDOW_SETS,
    )


def _recent_analysis(coach: Coach, user_id: int) -> HistoryAnalysis:
    """The analysis of the :data:`CHART_WEEKS` weeks up to the last workout (at most their
    latest :data:`~failwise.services.training.WINDOW_SETS` sets): what a page can read.
    ``failwise analyze`` reads the whole history."""
    latest = coach.workouts(user_id, limit=1)
    if not latest:
        return coach.analysis(user_id, limit=WINDOW_SETS)
    since = latest[0].started_at - timedelta(weeks=CHART_WEEKS)
    return coach.analysis(user_id, since=since, limit=WINDOW_SETS)


@router.get("/insights/report.html")
def insights_report(request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    """The analysis as a self-contained HTML file to keep (``failwise analyze --html``)."""
    page = report.render_html(_recent_analysis(coach, lifter.id))
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="failwise-report.html"'},
    )


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
    settings = lifter.settings
    suggested = sorted(
        set(settings.get("lagging") or []) | {m.value for m in physique.lagging_muscles}
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
    day_count = _number(errors, "days", days, "Days a week", whole=True)
    minute_count = _number(errors, "minutes", minutes, "Minutes a session", whole=True)
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
            return _redirect("/plan")
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
        return _redirect("/today")
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
    return _redirect(target)


# --- import and export ------------------------------------------------------------------------


def _import_page(
    request: Request,
    lifter: User,
    *,
    fragment: bool = False,
    summary: ImportSummary | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "summary": summary,
        "errors": errors or {},
        "formats": DESCRIPTIONS,
        "format_name": DESCRIPTIONS.get(summary.format, summary.format) if summary else "",
        "max_mb": MAX_UPLOAD_MB,
        "export_formats": exporters.EXPORT_FORMATS,
    }
    return render(
        request,
        "_import_result.html" if fragment else "import.html",
        title="Import and export",
        lifter=lifter,
        active="/import",
        status_code=status_code,
        **context,
    )


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, lifter: PageLifter) -> Response:
    return _import_page(request, lifter)


def _too_big(size: int | None) -> str:
    said = f"is {size / 1024 / 1024:.1f} MB" if size is not None else "is too big"
    return (
        f"The file {said}; the limit is {MAX_UPLOAD_MB} MB. "
        "Export a shorter date range, or split the file and import each part."
    )


class _BodyTooLarge(Exception):
    """The request body went past the upload limit while it was being read."""


def _limited(request: Request, limit: int) -> Request:
    """``request`` whose body stops being read past ``limit`` bytes (:class:`_BodyTooLarge`):
    a client that sends no Content-Length, or a false one, cannot fill the disk either."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge
        return message

    return Request(request.scope, receive)


@router.post(UPLOAD_PATH, response_class=HTMLResponse)
async def import_upload(request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    """Upload an export (multipart): the format is detected, the summary shown."""
    fragment = request.headers.get("X-Fragment") == "import-result"

    def failed(field: str, message: str, code: int) -> HTMLResponse:
        return _import_page(
            request, lifter, fragment=fragment, errors={field: message}, status_code=code
        )

    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
        return failed("file", _too_big(int(length)), status.HTTP_413_CONTENT_TOO_LARGE)
    try:
        form = await _limited(request, MAX_UPLOAD_BYTES + _FORM_OVERHEAD).form(
            max_files=1, max_fields=20
        )
    except _BodyTooLarge:
        return failed("file", _too_big(None), status.HTTP_413_CONTENT_TOO_LARGE)
    try:
        sent = form.get(CSRF_FIELD)
        check_form(request, sent if isinstance(sent, str) else None)
        take(request, Action.IMPORT, lifter=lifter.id)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return failed("file", "Choose a file to import.", status.HTTP_422_UNPROCESSABLE_CONTENT)
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return failed("file", _too_big(len(data)), status.HTTP_413_CONTENT_TOO_LARGE)
        sent_unit = form.get("unit")
        unit = sent_unit if isinstance(sent_unit, str) and sent_unit in views.UNITS else None
        strict = form.get("strict") == "on"
        dry_run = form.get("dry_run") == "on"
    finally:
        await form.close()
    importing = partial(
        _import,
        coach,
        lifter.id,
        data,
        unit=unit or views.units_of(lifter.settings).name,
        strict=strict,
        dry_run=dry_run,
    )
    try:
        summary = await run_in_threadpool(importing)
    except ImportRejected as error:
        return failed("file", str(error), status.HTTP_422_UNPROCESSABLE_CONTENT)
    except InvalidInput as error:
        return failed("file", str(error), status.HTTP_422_UNPROCESSABLE_CONTENT)
    return _import_page(request, lifter, fragment=fragment, summary=summary)


def _import(
    coach: Coach, user_id: int, data: bytes, *, unit: str, strict: bool, dry_run: bool
) -> ImportSummary:
    parsed = parse(read_text(data), unit=unit)
    return HistoryImporter(coach).import_file(user_id, parsed, strict=strict, dry_run=dry_run)


_EXPORTS: dict[str, tuple[str, str]] = {
    "failwise-csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "strong": ("text/csv; charset=utf-8", "csv"),
}
EXPORTS_AT_ONCE = 2
"""Exports one server process streams at the same time, one per lifter: each holds a
database connection for as long as its client takes to read it."""
_exporting: set[int] = set()
_exporting_lock = threading.Lock()


def export_slot(user_id: int) -> bool:
    """Take one of the :data:`EXPORTS_AT_ONCE` slots for the lifter's export, if free."""
    with _exporting_lock:
        if user_id in _exporting or len(_exporting) >= EXPORTS_AT_ONCE:
            return False
        _exporting.add(user_id)
        return True


def free_export_slot(user_id: int) -> None:
    with _exporting_lock:
        _exporting.discard(user_id)


def releasing_slot(pieces: Iterator[str], user_id: int) -> Iterator[str]:
    """``pieces``, giving the lifter's export slot back when they end, fail or are dropped
    (a client gone mid-download). Already started: even dropped unread, it gives it back."""

    def body() -> Iterator[str]:
        try:
            yield ""
            yield from pieces
        finally:
            free_export_slot(user_id)

    started = body()
    next(started)  # into the try: from here on, closing the generator frees the slot
    return started


@router.get("/export/{format}")
def export(format: str, request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    if format not in _EXPORTS:
        return render(
            request,
            "error.html",
            title="No such export",
            lifter=lifter,
            status_code=status.HTTP_404_NOT_FOUND,
            heading="No such export",
            message=f"Exports are {', '.join(_EXPORTS)}.",
        )
    if not export_slot(lifter.id):
        busy = render(
            request,
            "error.html",
            title="An export is on its way",
            lifter=lifter,
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            heading="An export is on its way",
            message="Your last export is still being sent, or the server is sending "
            f"{EXPORTS_AT_ONCE} already: try again in a minute.",
        )
        busy.headers["Retry-After"] = "60"
        return busy
    try:
        take(request, Action.EXPORT, lifter=lifter.id)
        catalog = coach.exercises(lifter.id)
    except BaseException:
        free_export_slot(lifter.id)
        raise
    media, extension = _EXPORTS[format]
    name = f"failwise-{format}-{coach.clock():%Y-%m-%d}.{extension}"
    # Streamed: the history is read a chunk at a time while the answer is sent, so the
    # server's memory does not grow with it (a million sets are some 600 MB of JSON).
    chunks = coach.export_chunks(lifter.id, by_workout=exporters.grouped_by_workout(format))
    return StreamingResponse(
        releasing_slot(exporters.stream(format, chunks, catalog), lifter.id),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{quote(name)}"'},
    )


# --- the guide --------------------------------------------------------------------------------


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request) -> Response:
    return render(
        request,
        "guide.html",
        title="Guide: RIR, RPE and when to fail",
        lifter=signed_in(request),
        active="/guide",
        scale=views.guide_scale(),
        rules=views.guide_rules(),
        framework=views.guide_framework(),
        last_reps=views.last_reps_table(),
        fatigue_svg=Markup(views.fatigue_curve_chart()),
        stimulus_svg=Markup(views.stimulus_chart()),
    )


# --- my exercises -----------------------------------------------------------------------------


def _exercises_page(
    request: Request,
    lifter: User,
    coach: Coach,
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
        (e for e in coach.exercises(lifter.id) if e.custom),
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
def my_exercises(request: Request, lifter: PageLifter, coach: CoachDep) -> Response:
    return _exercises_page(request, lifter, coach)


@router.post("/exercises", response_class=HTMLResponse)
def create_exercise(
    request: Request,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
    name: Annotated[str, Form(max_length=200)] = "",
    equipment: Annotated[str, Form(max_length=40)] = "",
    mechanics: Annotated[str, Form(max_length=40)] = "",
    injury_risk: Annotated[str, Form(max_length=40)] = "",
    primary: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """``POST /api/exercises`` as a form, then Today with the new exercise chosen.

    What the lifter leaves blank is guessed from the name on the cautious side and
    marked as guessed (:meth:`~failwise.services.training.Coach.add_custom_exercise`).
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
            created = coach.add_custom_exercise(lifter.id, name, **given)
        except InvalidInput as error:
            errors[_field_of(error, "name")] = str(error)
        except ValueError:  # a value none of the form's choices has
            errors["name"] = "Pick the equipment, joints, muscles and risk from the lists."
        else:
            return _redirect("/today?" + urlencode({"exercise": created.id, "added": "1"}))
    return _exercises_page(
        request,
        lifter,
        coach,
        errors={f"new_{key}": message for key, message in errors.items()},
        new={"name": name, **given, "primary": list(primary or [])},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/exercises/{exercise_id}", response_class=HTMLResponse)
def correct_exercise(
    request: Request,
    exercise_id: str,
    lifter: PageLifter,
    coach: CoachDep,
    csrf: CsrfField = "",
    shown_unit: Annotated[str, Form(max_length=8)] = "kg",
    equipment: Annotated[str, Form(max_length=40)] = "",
    mechanics: Annotated[str, Form(max_length=40)] = "",
    pattern: Annotated[str, Form(max_length=40)] = "",
    injury_risk: Annotated[str, Form(max_length=40)] = "",
    primary: Annotated[list[str] | None, Form()] = None,
    secondary: Annotated[list[str] | None, Form()] = None,
    fixed_path: Annotated[bool, Form()] = False,
    heavy_compound: Annotated[bool, Form()] = False,
    needs_spotter: Annotated[bool, Form()] = False,
    increment: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """``PATCH /api/exercises/{id}`` as a form: the load step is typed in the unit shown."""
    check_form(request, csrf)
    current = coach.exercises(lifter.id).find(exercise_id)
    if current is None:
        return render(
            request,
            "error.html",
            title="No such exercise",
            lifter=lifter,
            status_code=status.HTTP_404_NOT_FOUND,
            heading="No such exercise",
            message="It is not one of your exercises. Go back to My exercises and try again.",
        )
    typed_in = views.Units(shown_unit if shown_unit in views.UNITS else "kg")
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {
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
    step = _number(errors, "increment_kg", increment, "The load step")
    # Unchanged, the step keeps its stored kilograms (pounds shown are rounded).
    if step is not None and step != typed_in.value(current.increment_kg):
        changes["increment_kg"] = typed_in.to_kg(step)
    if not errors:
        try:
            corrected = coach.update_custom_exercise(lifter.id, current.id, **changes)
        except InvalidInput as error:
            errors[_field_of(error, "exercise")] = str(error)
        else:
            return _redirect(
                "/exercises?" + urlencode({"saved": corrected.id}) + f"#exercise-{corrected.id}"
            )
    values = {**changes, "increment": increment}
    return _exercises_page(
        request,
        lifter,
        coach,
        errors=errors,
        failed=current.id,
        values=values,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


# --- settings ---------------------------------------------------------------------------------


def _settings_page(
    request: Request,
    lifter: User,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    saved: bool = False,
    password_changed: bool = False,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    settings = lifter.settings
    units = views.units_of(settings)
    shown = values or {
        "unit": units.name,
        "bar": units.number(float(settings.get("bar_kg", 20.0))),
        "plates": ", ".join(units.number(float(p)) for p in settings.get("plates_kg", [])),
        "spotter": bool(settings.get("spotter", True)),
        "experience": settings.get("experience", "intermediate"),
        "lagging": list(settings.get("lagging", [])),
    }
    return render(
        request,
        "settings.html",
        title="Settings",
        lifter=lifter,
        active="/settings",
        status_code=status_code,
        values=shown,
        errors=errors or {},
        saved=saved,
        password_changed=password_changed,
        experiences=[e.value for e in Experience],
        muscles=[m.value for m in Muscle],
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, lifter: PageLifter) -> Response:
    return _settings_page(
        request,
        lifter,
        saved=request.query_params.get("saved") == "1",
        password_changed=request.query_params.get("password") == "changed",
    )


@router.post("/settings", response_class=HTMLResponse)
def save_settings(
    request: Request,
    lifter: PageLifter,
    accounts: AccountsDep,
    csrf: CsrfField = "",
    unit: Annotated[str, Form(max_length=8)] = "kg",
    shown_unit: Annotated[str, Form(max_length=8)] = "kg",
    bar: Annotated[str, Form(max_length=40)] = "",
    plates: Annotated[str, Form(max_length=400)] = "",
    spotter: Annotated[bool, Form()] = False,
    experience: Annotated[str, Form(max_length=40)] = "intermediate",
    lagging: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """``PATCH /api/me/settings`` as a form: loads are typed in the unit the form showed."""
    check_form(request, csrf)
    typed_in = views.Units(shown_unit if shown_unit in views.UNITS else "kg")
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {
        "unit": unit,
        "spotter": spotter,
        "experience": experience,
        "lagging": list(lagging or []),
    }
    bar_value = _number(errors, "bar_kg", bar, "Bar weight")
    if bar_value is not None:
        changes["bar_kg"] = typed_in.to_kg(bar_value)
    plate_values = []
    for piece in (p for p in re.split(r"[\s,;]+", plates) if p):
        value = _number(errors, "plates_kg", piece, "Each plate")
        if value is not None:
            plate_values.append(typed_in.to_kg(value))
    if plates.strip() and not errors.get("plates_kg"):
        changes["plates_kg"] = plate_values
    if not errors:
        try:
            accounts.update_settings(lifter.id, changes)
        except InvalidInput as error:
            errors[_field_of(error, "unit")] = str(error)
        else:
            return _redirect("/settings?saved=1")
    values = {
        "unit": unit,
        "bar": bar,
        "plates": plates,
        "spotter": spotter,
        "experience": experience,
        "lagging": list(lagging or []),
    }
    return _settings_page(
        request,
        lifter,
        errors=errors,
        values=values,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/settings/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    lifter: PageLifter,
    accounts: AccountsDep,
    csrf: CsrfField = "",
    old_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """``POST /api/me/password`` as a form: this browser stays signed in, others are not."""
    check_form(request, csrf)
    errors: dict[str, str] = {}
    code = status.HTTP_422_UNPROCESSABLE_CONTENT
    retry_after: int | None = None
    if not old_password:
        errors["old_password"] = "Enter your current password."
    if not new_password:
        errors["new_password"] = "Enter a new password."
    if not errors:
        try:
            accounts.change_password(
                lifter.id,
                old_password,
                new_password,
                keep_token=request.cookies.get(SESSION_COOKIE),
                address=client_address(request),
            )
        except SignInThrottled as error:
            code, retry_after = status.HTTP_429_TOO_MANY_REQUESTS, error.retry_after_seconds
            errors["old_password"] = (
                "Too many wrong passwords: try again in "
                f"{views.wait_text(error.retry_after_seconds)}."
            )
        except InvalidInput as error:
            field = _field_of(error, "new_password")
            errors[field if field == "old_password" else "new_password"] = str(error)
        else:
            return _redirect("/settings?password=changed")
    page = _settings_page(request, lifter, errors=errors, status_code=code)
    if retry_after is not None:
        page.headers["Retry-After"] = str(retry_after)
    return page


@router.post("/signout-everywhere")
def sign_out_everywhere(
    request: Request, lifter: PageLifter, accounts: AccountsDep, csrf: CsrfField = ""
) -> Response:
    """End every session of the lifter, this browser's too."""
    check_form(request, csrf)
    accounts.sign_out_everywhere(lifter.id)
    response = _redirect("/signin")
    clear_session_cookie(response, request)
    return response


# Names the templates and tests use, kept in one place.
PAGE_TITLES: dict[str, str] = {
    "/": "Train hard, fail wisely",
    "/signin": "Sign in",
    "/signup": "Sign up",
    "/today": "Today",
    "/history": "History",
    "/insights": "Insights",
    "/plan": "Plan",
    "/import": "Import and export",
    "/guide": "Guide: RIR, RPE and when to fail",
    "/settings": "Settings",
    "/exercises": "My exercises",
}

__all__: list[str] = [
    "CONTENT_SECURITY_POLICY",
    "MAX_UPLOAD_BYTES",
    "PAGE_TITLES",
    "install",
    "router",
    "static_url",
]

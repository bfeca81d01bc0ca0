"""The landing page, sign-up, sign-in, the demo account, and the lifter's settings."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, Response

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    SESSION_COOKIE,
    AccountsDep,
    CoreDep,
    clear_session_cookie,
    client_address,
    rotate_csrf_cookie,
    set_session_cookie,
)
from failwise.adapters.web.limits import take
from failwise.adapters.web.pages._core import (
    PAGE_TITLES,
    STATIC,
    CsrfField,
    PageLifter,
    check_form,
    field_of,
    form_number,
    redirect,
    render,
    safe_next,
    signed_in,
)
from failwise.domain.context import Experience
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import (
    Muscle,
)
from failwise.services.accounts import AuthenticationFailed, SignInThrottled
from failwise.services.demo import load_demo
from failwise.services.ports import Conflict
from failwise.services.quotas import Action
from failwise.services.records import User

router = APIRouter(include_in_schema=False)


# --- the landing page, sign-up, sign-in, the demo ---------------------------------------------


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it whatever the page says: the same icon, as SVG."""
    return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    if signed_in(request) is not None:
        return redirect("/today")
    return render(request, "landing.html", title=PAGE_TITLES["/"])


@router.get("/signup", response_class=HTMLResponse)
def sign_up_page(request: Request) -> Response:
    return render(request, "signup.html", title=PAGE_TITLES["/signup"], errors={}, username="")


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
        field = field_of(error, "username")
        errors[field if field in ("username", "password") else "username"] = str(error)
    if errors:
        return render(
            request,
            "signup.html",
            title=PAGE_TITLES["/signup"],
            errors=errors,
            username=username,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    response = redirect("/today?welcome=1")
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/today") -> Response:
    return render(
        request,
        "signin.html",
        title=PAGE_TITLES["/signin"],
        errors={},
        username="",
        next=safe_next(next),
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
            title=PAGE_TITLES["/signin"],
            errors=errors,
            username=username,
            next=safe_next(next),
            status_code=code,
        )
        if throttled is not None:
            page.headers["Retry-After"] = str(throttled.retry_after_seconds)
        return page
    response = redirect(safe_next(next))
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


@router.post("/signout")
def sign_out(request: Request, accounts: AccountsDep, csrf: CsrfField = "") -> Response:
    check_form(request, csrf)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.sign_out(token)
    response = redirect("/signin")
    clear_session_cookie(response, request)
    return response


@router.post("/demo")
def try_the_demo(
    request: Request, accounts: AccountsDep, core: CoreDep, csrf: CsrfField = ""
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
    load_demo(core, session.user.id)
    response = redirect("/today?" + urlencode({"exercise": "barbell-squat"}))
    set_session_cookie(response, request, session.token)
    rotate_csrf_cookie(response, request)
    return response


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
    prefs = lifter.prefs
    units = views.units_of(lifter.settings)
    shown = values or {
        "unit": units.name,
        "bar": units.number(prefs.bar_kg),
        "plates": ", ".join(units.number(p) for p in prefs.plates_kg),
        "spotter": prefs.spotter,
        "experience": prefs.experience.value,
        "lagging": sorted(m.value for m in prefs.lagging),
    }
    return render(
        request,
        "settings.html",
        title=PAGE_TITLES["/settings"],
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
    bar_value = form_number(errors, "bar_kg", bar, "Bar weight")
    if bar_value is not None:
        changes["bar_kg"] = typed_in.to_kg(bar_value)
    plate_values = []
    for piece in (p for p in re.split(r"[\s,;]+", plates) if p):
        value = form_number(errors, "plates_kg", piece, "Each plate")
        if value is not None:
            plate_values.append(typed_in.to_kg(value))
    if plates.strip() and not errors.get("plates_kg"):
        changes["plates_kg"] = plate_values
    if not errors:
        try:
            accounts.update_settings(lifter.id, changes)
        except InvalidInput as error:
            errors[field_of(error, "unit")] = str(error)
        else:
            return redirect("/settings?saved=1")
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
            field = field_of(error, "new_password")
            errors[field if field == "old_password" else "new_password"] = str(error)
        else:
            return redirect("/settings?password=changed")
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
    response = redirect("/signin")
    clear_session_cookie(response, request)
    return response

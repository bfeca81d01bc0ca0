"""What every page shares: rendering, the CSRF token, who is asking, the error pages."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    clear_session_cookie,
    csrf_matches,
    set_csrf_cookie,
)
from failwise.domain.errors import InvalidInput
from failwise.domain.inputs import decimal
from failwise.services.accounts import Accounts, AuthenticationFailed
from failwise.services.records import StoredSet, User

HERE = Path(__file__).resolve().parent.parent
"""The web package: its ``static/`` and ``templates/``."""
STATIC = HERE / "static"
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
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
# What a page reads is bounded, whatever the size of the lifter's history (an import
# may hold a million sets): a window of time, and a count of sets in it (Today's own
# bounds are the Today service's, services/today.py).
PAGE_SETS = 1000
"""The most sets one page lists (a page of History, today's workout)."""
TRAINED = timedelta(weeks=26)
"""The window the exercise picker's counts come from."""
CHART_WEEKS = 52
"""The weeks, up to the last workout, that the e1RM chart and the analysis read."""


class SignInRequired(Exception):
    """A page that needs a lifter was asked for without a valid session."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class FormRejected(Exception):
    """A form post without the CSRF token of this browser."""


def install_plumbing(app: FastAPI) -> None:
    """Add the static files and the pages' two error answers to ``app``."""
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
# "1 set", "3 sets": any page may count in words.
TEMPLATES.env.globals["count_text"] = views.count_text
TEMPLATES.env.globals["words"] = views.words


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


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def _to_sign_in(request: Request, error: Exception) -> Response:
    path = error.path if isinstance(error, SignInRequired) else "/today"
    response = redirect("/signin?" + urlencode({"next": path}))
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


def safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//elsewhere`` or a full URL."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/today"


def field_of(error: InvalidInput, default: str) -> str:
    field = error.field or ""
    return field.split(".")[0] or default


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
    "/records": "Records",
    "/offline": "Offline",
}


# --- forms ------------------------------------------------------------------------------------


def form_number(
    errors: dict[str, str], field: str, text: str, label: str, *, whole: bool = False
) -> float | None:
    """A number typed in a form, or None (with an error for the field) when it is not one.

    Every form of the web app reads its numbers here, through the domain's one number
    reader (:func:`~failwise.domain.inputs.decimal`): a dot or a comma is the decimal
    mark, and ``1,234.5`` is refused, not guessed at.
    """
    text = text.strip()
    if not text:
        return None
    try:
        value = decimal(text)
    except ValueError as error:
        several = text.count(",") + text.count(".") > 1
        errors[field] = f"{label} must be a number" + (f": {error}" if several else "")
        errors[field] += f", not “{text}”."
        return None
    if whole and not value.is_integer():
        errors[field] = f"{label} must be a whole number."
        return None
    return value


def set_correction(
    errors: dict[str, str], stored: StoredSet, typed: Mapping[str, Any], units: views.Units
) -> dict[str, Any]:
    """A logged set's form as typed (a workout's row, Today's edit: ``load``, ``reps``,
    ``rir``, ``to_failure``, ``notes``) as the fields it changes, for
    :meth:`~failwise.services.sets.Sets.patch` (loads in the lifter's unit); what is
    typed wrong goes to ``errors`` by field."""
    to_failure = bool(typed["to_failure"])
    shown_load = form_number(errors, "load", typed["load"], "Load")
    done = form_number(errors, "reps", typed["reps"], "Reps", whole=True)
    called = None if to_failure else form_number(errors, "rir", typed["rir"], "RIR")
    if shown_load is None and "load" not in errors:
        errors["load"] = "Enter the load (0 for bodyweight)."
    if done is None and "reps" not in errors:
        errors["reps"] = "Enter the reps you did."
    changes: dict[str, Any] = {
        "reps": None if done is None else int(done),
        "rir": called,
        "to_failure": to_failure,
        "notes": typed["notes"],
    }
    # The load as shown is the stored one: no rounding through the lifter's unit.
    if typed["load"].strip() != units.number(stored.data.load):
        changes["load"] = shown_load
    return changes

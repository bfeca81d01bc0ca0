"""The web application: one database, the services on it, the API, and the error mapping.

Run it with ``uvicorn --factory failwise.adapters.web.app:create_app``; the
database is ``FAILWISE_DATABASE_URL`` (default: the SQLite file in the user's
data directory).

Errors are mapped to statuses here, and only here:

- bad input the services catch (:class:`InvalidInput`, :class:`InvalidEffort`,
  :class:`UnknownExercise`) → 422 in FastAPI's own shape, naming the field
  where it is known; pydantic's 422s are FastAPI's, unchanged;
- :class:`NotFound` → 404 (another lifter's data is not found, never forbidden);
- :class:`Conflict` → 409; :class:`AuthenticationFailed` → 401;
- :class:`CsrfRejected` (a cookie-signed change without ``X-CSRF-Token``) → 403;
  a change sent from another site (a foreign ``Origin``) is refused with 403 before
  the app sees it (:class:`~failwise.adapters.web.deps.SameOriginWrites`);
- :class:`SignInThrottled` (too many failed sign-ins) and :class:`RateLimited` (too many
  demos, imports, exports or sign-ups) → 429 with ``Retry-After``;
- a JSON body that is not even text (not UTF-8) → 422 like any malformed JSON, not
  FastAPI's bare 400;
- a database that cannot be reached → 503 with ``Retry-After``, never a 500.

The API (``/api/…``, ``/openapi.json``, ``/healthz``) answers these in JSON; a page
route answers the same status and headers with an HTML page in the site's layout
(:func:`wants_html`, :func:`~failwise.adapters.web.pages.error_page`): plain words and
a way back, never JSON or a stack trace. A crash (500) and a body past the limit (413)
are answered the same way, by :class:`SecurityHeaders` and :class:`BodyLimit`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import failwise
from failwise.adapters.web.api import FieldError, health, router
from failwise.adapters.web.deps import CsrfRejected, SameOriginWrites
from failwise.adapters.web.insights_api import router as insights_router
from failwise.adapters.web.limits import BodyLimit, validation_errors
from failwise.adapters.web.pages import UPLOAD_PATH, error_page, signed_in
from failwise.adapters.web.pages import install as install_pages
from failwise.adapters.web.plans_api import router as plans_router
from failwise.domain.errors import FailwiseError, InvalidEffort, InvalidInput, UnknownExercise
from failwise.services.accounts import Accounts, AuthenticationFailed, SignInThrottled
from failwise.services.core import utc_now
from failwise.services.ports import Conflict, NotFound, Unavailable
from failwise.services.quotas import LIMITS, Action, Limit, Quotas, RateLimited
from failwise.services.training import Coach
from failwise.storage.database import DATABASE_ERRORS, Database, is_outage

log = logging.getLogger("failwise.web")

RETRY_AFTER_SECONDS = 5

API_PATHS = ("/api/", "/openapi.json", "/healthz")
"""The routes that answer errors in JSON; every other route is a page."""


def is_page_path(path: str) -> bool:
    """Whether ``path`` is a page route (its errors are HTML pages), not the API's."""
    return path != "/api" and not path.startswith(API_PATHS)


def wants_html(request: Request) -> bool:
    """Whether this request's error is answered with an HTML page rather than JSON."""
    return is_page_path(request.url.path)


# What a page says for each status the app maps: a heading, and the words shown when
# the error carries no message a lifter can act on.
_PAGE_WORDS: dict[int, tuple[str, str]] = {
    400: ("That did not work", "The request could not be read. Go back and try again."),
    401: ("Please sign in", "Sign in again, then go back and try again."),
    403: (
        "This form has expired",
        "Its security token is missing or does not match this browser's, so nothing was "
        "changed. Go back, reload the page and send it again.",
    ),
    404: (
        "Not found",
        "There is nothing here: the link may be old, or what it pointed to was deleted.",
    ),
    405: ("That did not work", "This page cannot be used that way. Go back and try again."),
    409: ("That could not be done", "Something changed meanwhile. Go back and try again."),
    413: (
        "That was too much to send",
        "What you sent is larger than the app takes, so nothing was changed. Send less.",
    ),
    422: (
        "That could not be saved",
        "Some of what was sent is not valid, so nothing was changed. Go back and check it.",
    ),
    429: ("Too many tries", "Wait a minute, then try again."),
    500: (
        "Something went wrong on our side",
        "Nothing you did caused it, and nothing you sent was lost on purpose. Try again in "
        "a moment; if it keeps happening, go back to Today.",
    ),
    503: (
        "The coach is unavailable for a moment",
        "The database cannot be reached right now. Try again in a few seconds.",
    ),
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def page_error(
    request: Request,
    code: int,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    heading: str | None = None,
) -> Response:
    """The HTML page for an error on a page route: the status's heading, the service's
    message (or the status's plain words), the same status and headers."""
    titled, words = _PAGE_WORDS.get(code, ("That did not work", "Go back and try again."))
    lifter = None
    if code not in (500, 503):  # the database may be the trouble: do not ask it
        try:
            lifter = signed_in(request)
        except Exception:  # the page still answers, without the lifter's menu
            lifter = None
    return error_page(
        request,
        code,
        heading=heading or titled,
        message=_sentence(message) if message else words,
        headers=dict(headers or {}),
        lifter=lifter,
    )


def _where(request: Request) -> str:
    return "query" if request.method in ("GET", "HEAD", "DELETE") else "body"


def _unprocessable(
    loc: Sequence[str | int], message: str, kind: str, ctx: dict[str, Any] | None = None
) -> JSONResponse:
    error: dict[str, Any] = {"type": kind, "loc": list(loc), "msg": message}
    if ctx:
        error["ctx"] = ctx
    return JSONResponse({"detail": [error]}, status_code=422)


def _invalid_input(request: Request, error: Exception) -> Response:
    message = str(error)
    if wants_html(request):
        return page_error(request, status.HTTP_422_UNPROCESSABLE_CONTENT, message)
    # An error may name its own kind (a load to confirm is "needs_confirmation").
    kind = getattr(error, "kind", None) or (
        "invalid_effort" if isinstance(error, InvalidEffort) else "invalid_input"
    )
    if isinstance(error, FieldError):
        return _unprocessable(error.loc, message, kind)
    field = getattr(error, "field", None)
    if field:
        return _unprocessable((_where(request), *field.split(".")), message, kind)
    return _unprocessable((_where(request),), message, kind)


def _unknown_exercise(request: Request, error: Exception) -> Response:
    if not isinstance(error, UnknownExercise):  # registered for UnknownExercise only
        raise error
    if wants_html(request):
        return page_error(request, status.HTTP_422_UNPROCESSABLE_CONTENT, str(error))
    where = "query" if "exercise" in request.query_params else "body"
    return _unprocessable(
        (where, "exercise"),
        str(error),
        "unknown_exercise",
        {"suggestions": list(error.suggestions)},
    )


def _detail(code: int, headers: dict[str, str] | None = None) -> Callable[..., Response]:
    def handle(request: Request, error: Exception) -> Response:
        if wants_html(request):
            return page_error(request, code, str(error), headers)
        return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)

    return handle


_UNAVAILABLE = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _unavailable_response(request: Request) -> Response:
    if wants_html(request):
        return page_error(request, status.HTTP_503_SERVICE_UNAVAILABLE, None, _UNAVAILABLE)
    return JSONResponse(
        {"detail": "the database is unavailable right now: try again in a few seconds"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers=_UNAVAILABLE,
    )


def _database_error(request: Request, error: Exception) -> Response:
    if not is_outage(error):
        raise error  # a bug, not an outage: let the server log it as one
    log.warning("database unavailable: %s", error)
    return _unavailable_response(request)


def _unavailable(request: Request, error: Exception) -> Response:
    log.warning("database unavailable: %s", error)
    return _unavailable_response(request)


def _throttled(request: Request, error: Exception) -> Response:
    seconds = getattr(error, "retry_after_seconds", 60)
    headers = {"Retry-After": str(seconds)}
    if wants_html(request):
        return page_error(request, status.HTTP_429_TOO_MANY_REQUESTS, str(error), headers)
    return JSONResponse(
        {"detail": str(error)},
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        headers=headers,
    )


# FastAPI's answer when the body cannot even be decoded (JSON that is not UTF-8).
_UNPARSABLE_BODY = "There was an error parsing the body"


async def _http_error(request: Request, error: Exception) -> Response:
    if (
        isinstance(error, HTTPException)
        and error.status_code == status.HTTP_400_BAD_REQUEST
        and error.detail == _UNPARSABLE_BODY
    ):
        if wants_html(request):
            return page_error(request, status.HTTP_422_UNPROCESSABLE_CONTENT)
        return _unprocessable(("body",), "the body is not JSON in UTF-8", "json_invalid")
    assert isinstance(error, HTTPException)  # registered for HTTPException only
    if wants_html(request):
        # Starlette's own words ("Not Found") say less than the page's.
        return page_error(request, error.status_code, None, error.headers)
    return await http_exception_handler(request, error)


async def _validation_errors(request: Request, error: Exception) -> Response:
    if wants_html(request):  # a form's field past its bounds: never its input echoed
        return page_error(request, status.HTTP_422_UNPROCESSABLE_CONTENT)
    return await validation_errors(request, error)


def _too_large_page(scope: Scope, headers: Mapping[str, str]) -> Response | None:
    """A page route's 413 as a page (:class:`BodyLimit`); the API's stays JSON."""
    if not is_page_path(scope["path"]):
        return None
    return page_error(Request(scope), status.HTTP_413_CONTENT_TOO_LARGE, None, headers)


def _foreign_page(scope: Scope) -> Response | None:
    """A page route's refusal of a form sent from another site (:class:`SameOriginWrites`)."""
    if not is_page_path(scope["path"]):
        return None
    return page_error(
        Request(scope),
        status.HTTP_403_FORBIDDEN,
        "this form was sent from another site, so nothing was changed. If you meant to "
        "send it, open the page here and send it again.",
        heading="Sent from another site",
    )


def install_error_handlers(app: FastAPI) -> None:
    """The one place where failwise's errors become HTTP statuses."""
    app.add_exception_handler(UnknownExercise, _unknown_exercise)
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(NotFound, _detail(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(Conflict, _detail(status.HTTP_409_CONFLICT))
    app.add_exception_handler(
        AuthenticationFailed,
        _detail(status.HTTP_401_UNAUTHORIZED, {"WWW-Authenticate": "Bearer"}),
    )
    app.add_exception_handler(CsrfRejected, _detail(status.HTTP_403_FORBIDDEN))
    app.add_exception_handler(SignInThrottled, _throttled)
    app.add_exception_handler(RateLimited, _throttled)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_errors)
    app.add_exception_handler(Unavailable, _unavailable)
    for kind in DATABASE_ERRORS:
        app.add_exception_handler(kind, _database_error)
    # Any other error failwise raises on purpose carries a message a lifter can act on.
    app.add_exception_handler(FailwiseError, _invalid_input)


# What an HTML answer gets when its route sets no policy of its own (the printable plan,
# the downloadable report: self-contained pages with inline styles and no scripts at all).
SELF_CONTAINED_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


# The only answers a cache may keep: the app's own CSS and JS, whose URLs change with them.
CACHEABLE = ("/static/",)


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every response, a crash's 500 included; a
    Content-Security-Policy on every HTML answer: a page's own (``pages/``), else
    :data:`SELF_CONTAINED_CSP`, which allows no script at all; and ``Cache-Control:
    no-store`` on every answer but the static files (:data:`CACHEABLE`): the API's
    answers, exports and pages hold a lifter's data, which no browser or proxy cache
    should keep."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                html = headers.get("content-type", "").startswith("text/html")
                if html and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = SELF_CONTAINED_CSP
                if not scope["path"].startswith(CACHEABLE):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                crash: Response
                if is_page_path(scope["path"]):
                    try:
                        crash = page_error(Request(scope), status.HTTP_500_INTERNAL_SERVER_ERROR)
                    except Exception:  # the page cannot be drawn either: say it plainly
                        crash = PlainTextResponse("Something went wrong: try again.", 500)
                else:
                    crash = JSONResponse({"detail": "Internal Server Error"}, status_code=500)
                await crash(scope, receive, send_with_headers)
            raise  # the server logs it


def create_app(
    database_url: str | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    rate_limits: Mapping[Action, Limit] = LIMITS,
) -> FastAPI:
    """The failwise web application on ``database_url`` (migrated to the latest schema).

    ``clock`` (naive UTC) is for tests; by default the coach and the sessions read the
    real time. ``rate_limits`` bound the costly requests (:mod:`failwise.services.quotas`).
    """
    database = Database(database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await database.aclose()

    app = FastAPI(
        title="failwise",
        version=failwise.__version__,
        summary="A strength-training coach that decides, set by set, when to go to failure.",
        lifespan=lifespan,
        # No Swagger UI or ReDoc: their pages load scripts from a CDN, and no package
        # ships them in a form the dependency audit follows. The schema stays, at
        # /openapi.json, for any OpenAPI tool.
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database
    app.state.accounts = Accounts(database, clock=clock or utc_now)
    app.state.coach = Coach(database, clock=clock or utc_now)
    app.state.quotas = Quotas(database, clock=clock or utc_now, limits=rate_limits)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, exempt=(UPLOAD_PATH,), page=_too_large_page)
    # before reading a body another site sent
    app.add_middleware(SameOriginWrites, page=_foreign_page)
    app.add_middleware(SecurityHeaders)
    app.include_router(health)
    app.include_router(router)
    app.include_router(insights_router)
    app.include_router(plans_router)
    install_pages(app)
    return app

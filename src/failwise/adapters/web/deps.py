"""Dependencies of the API's routes: the use cases, and the lifter making the request.

Each route takes the use cases it uses (``SetsDep``, ``InsightsDep``...), all built by the
app factory on one :class:`~failwise.services.core.Core`, never the whole set of them.

A program signs in once and sends ``Authorization: Bearer <token>``; a browser
gets the same token in the ``failwise_session`` cookie (HttpOnly, so page
scripts cannot read it; SameSite=Lax, so other sites cannot post with it;
Secure over HTTPS). A bearer token wins over the cookie when both are sent.

Cross-site request forgery: a request signed in by the cookie alone that
changes something (POST, PUT, PATCH, DELETE) must carry ``X-CSRF-Token`` with
the value of the ``failwise_csrf`` cookie (double submit: every page sets that
cookie, SameSite=Strict, and only a script of this site can read it to send it
back). Bearer-token requests are exempt: another site cannot make a browser
send a token it does not have. HTML forms send the same value in a hidden
``csrf_token`` field (checked by the pages, :mod:`failwise.adapters.web.pages`).
Signing in or up gives the browser a new CSRF token (:func:`rotate_csrf_cookie`):
a token planted before sign-in is worth nothing after it.

Every request that changes something and says where it comes from (``Origin``)
must come from this site (:class:`SameOriginWrites`, else 403), whether signed
by the cookie or a bearer token: a page of another site cannot even sign a
browser in (login CSRF). Programs that send no ``Origin`` (curl, the CLI) are
not affected. Behind a reverse proxy, the proxy must pass on the ``Host`` the
browser asked for, and the scheme (``failwise serve --proxy-headers``).

A session ends on the server (sliding expiry, :mod:`failwise.services.accounts`):
the session cookie is kept for as long as browsers allow, so that a session in
use is not cut off by the browser after its first 30 days.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, cast
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import URL, Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from failwise.domain.errors import FailwiseError
from failwise.services.accounts import Accounts, AuthenticationFailed
from failwise.services.checkins import CheckIns
from failwise.services.core import Core
from failwise.services.exercises import Exercises
from failwise.services.insights import Insights
from failwise.services.plans import Plans
from failwise.services.prescriptions import Prescriptions
from failwise.services.records import User
from failwise.services.sets import Sets
from failwise.services.training import Coach
from failwise.services.workouts import Workouts

SESSION_COOKIE = "failwise_session"
CSRF_COOKIE = "failwise_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COOKIE_LIFETIME = timedelta(days=400)
"""The longest a browser keeps a cookie (RFC 6265bis): the server decides when a session ends."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


class CsrfRejected(FailwiseError):
    """A cookie-signed request that changes something came without the CSRF token (403)."""


def csrf_matches(expected: str | None, sent: str | None) -> bool:
    """Whether ``sent`` is the CSRF cookie's value (compared in constant time)."""
    if not expected or not sent:
        return False
    return secrets.compare_digest(expected.encode(), sent.encode())


def check_csrf_header(request: Request) -> None:
    """Raise :class:`CsrfRejected` unless ``X-CSRF-Token`` repeats the ``failwise_csrf`` cookie."""
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)):
        raise CsrfRejected(
            f"this request is signed in by the session cookie, so it must send the "
            f"{CSRF_HEADER} header with the value of the {CSRF_COOKIE} cookie (every page "
            "sets it); programs should send 'Authorization: Bearer <token>' instead"
        )


def _origin(scheme: str, host: str | None, port: int | None) -> tuple[str, str, int | None]:
    scheme = scheme.lower()
    return scheme, (host or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def is_same_origin(origin: str, scope: Scope) -> bool:
    """Whether an ``Origin`` header names this site: the scheme, host and port the
    request was sent to (``null``, sent by sandboxed and privacy-minded contexts, is not).

    >>> scope = {"type": "http", "scheme": "http", "server": ("testserver", 80), "path": "/",
    ...          "query_string": b"", "headers": [(b"host", b"localhost:8000")]}
    >>> is_same_origin("http://localhost:8000", scope), is_same_origin("http://evil.example", scope)
    (True, False)
    """
    try:
        sent = urlsplit(origin)
        sent_origin = _origin(sent.scheme, sent.hostname, sent.port)
    except ValueError:  # a port that is not a number
        return False
    if not sent.scheme or not sent.hostname:
        return False
    url = URL(scope=scope)
    return sent_origin == _origin(url.scheme, url.hostname, url.port)


class SameOriginWrites:
    """Refuse (403) a request that would change something and whose ``Origin`` is another
    site's. Browsers send ``Origin`` with every such request; programs need not send it."""

    def __init__(
        self, app: ASGIApp, *, page: Callable[[Scope], Response | None] | None = None
    ) -> None:
        self.app = app
        self.page = page
        """A page route's refusal as a page (or ``None``: the JSON below)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            origin = Headers(scope=scope).get("origin")
            if origin is not None and not is_same_origin(origin, scope):
                shown = self.page(scope) if self.page else None
                if shown is not None:
                    await shown(scope, receive, send)
                    return
                refusal = JSONResponse(
                    {
                        "detail": "this request comes from another site (its Origin is not "
                        "this one's), so nothing was changed"
                    },
                    status_code=403,
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


# The dependencies that do no I/O are coroutines: FastAPI runs a plain
# function in its thread pool, a hand-off per dependency per request.
_bearer = HTTPBearer(
    auto_error=False,
    description="The token that sign-up and sign-in return.",
)
_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="The browser session that sign-in sets.",
)


async def get_accounts(request: Request) -> Accounts:
    return cast(Accounts, request.app.state.accounts)


def _coach(request: Request) -> Coach:
    """The use cases the app factory built on one core (:mod:`failwise.services.training`)."""
    return cast(Coach, request.app.state.coach)


async def get_clock(request: Request) -> Callable[[], datetime]:
    return _coach(request).core.clock


async def get_core(request: Request) -> Core:
    return _coach(request).core


async def get_exercises(request: Request) -> Exercises:
    return _coach(request).exercises


async def get_workouts(request: Request) -> Workouts:
    return _coach(request).workouts


async def get_sets(request: Request) -> Sets:
    return _coach(request).sets


async def get_prescriptions(request: Request) -> Prescriptions:
    return _coach(request).prescriptions


async def get_insights(request: Request) -> Insights:
    return _coach(request).insights


async def get_checkins(request: Request) -> CheckIns:
    return _coach(request).checkins


async def get_plans(request: Request) -> Plans:
    return Plans(_coach(request).core)


AccountsDep = Annotated[Accounts, Depends(get_accounts)]
ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]
"""The app's clock (naive UTC): what "now" is for a page."""
CoreDep = Annotated[Core, Depends(get_core)]
"""For the services built on the core (imports, the demo, Today's view)."""
ExercisesDep = Annotated[Exercises, Depends(get_exercises)]
WorkoutsDep = Annotated[Workouts, Depends(get_workouts)]
SetsDep = Annotated[Sets, Depends(get_sets)]
PrescriptionsDep = Annotated[Prescriptions, Depends(get_prescriptions)]
InsightsDep = Annotated[Insights, Depends(get_insights)]
CheckInsDep = Annotated[CheckIns, Depends(get_checkins)]
PlansDep = Annotated[Plans, Depends(get_plans)]


async def presented_token(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> str | None:
    """The token the request carries: the bearer token, else the session cookie.

    A cookie-signed request that changes something must also pass the CSRF check.
    """
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    if cookie and request.method in UNSAFE_METHODS:
        check_csrf_header(request)
    return cookie or None


TokenDep = Annotated[str | None, Depends(presented_token)]


def bearer(token: str | None) -> str:
    """The token the request signs in with; :class:`AuthenticationFailed` (401) without."""
    if token is None:
        raise AuthenticationFailed(
            "sign in first: send 'Authorization: Bearer <token>' or the session cookie"
        )
    return token


def current_lifter(accounts: AccountsDep, token: TokenDep) -> User:
    """The signed-in lifter; :class:`AuthenticationFailed` (401) otherwise."""
    return accounts.user_for_token(bearer(token))


LifterDep = Annotated[User, Depends(current_lifter)]


def client_address(request: Request) -> str | None:
    """The client's address, for the sign-in throttle (the proxy's, behind one that the
    server is not told to trust)."""
    return request.client.host if request.client else None


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
    )


def set_csrf_cookie(response: Response, request: Request, token: str) -> None:
    """The double-submit cookie: readable by the site's scripts, never sent cross-site."""
    response.set_cookie(
        CSRF_COOKIE,
        token,
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        path="/",
        httponly=False,
        samesite="strict",
        secure=_is_https(request),
    )


def rotate_csrf_cookie(response: Response, request: Request) -> str:
    """A new CSRF token for this browser (at sign-in and sign-up), set on ``response``."""
    token = secrets.token_urlsafe(32)
    set_csrf_cookie(response, request, token)
    return token


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request)
    )

"""Bounded work per request: how much of a body the app reads, and what a 422 says back.

- :class:`BodyLimit` reads at most :data:`MAX_BODY_BYTES` of any request body
  (JSON and forms) before the app sees it, and answers 413 past that, whether
  the client announced the size or not. The upload route (``/import``) has its
  own, larger limit, enforced while streaming where the upload is read.
- :func:`take` counts a costly request (a demo, an import, an export, a sign-up)
  against the rate limits of :mod:`failwise.services.quotas`.
- :func:`validation_errors` is FastAPI's 422 without the input echoed back: a
  hostile body of two million keys, a password, or a NaN (which JSON cannot
  even carry) never comes back in the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from failwise.services.addresses import client_key
from failwise.services.quotas import Action, Quotas

MAX_BODY_BYTES = 64 * 1024
"""The largest JSON or form body: a logged set is about 300 bytes, a plan request 200."""
MAX_ERRORS = 20
"""The most validation errors one answer lists: enough to fix a request by, bounded."""
_MAX_SHOWN = 100
"""Characters of a constraint value (``ctx``) an error may quote."""


_CLOSE = {"Connection": "close"}

PageAnswer = Callable[[Scope, Mapping[str, str]], Response | None]
"""A page route's answer to an error (an HTML page), or ``None`` where JSON is the answer."""


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the request body is larger than {limit // 1024} KB: send less"},
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
        headers=_CLOSE,
    )


class BodyLimit:
    """Read a request body up to ``limit`` bytes before the app does; 413 past it (as
    ``page`` answers it on a page route, else in JSON)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = MAX_BODY_BYTES,
        exempt: Sequence[str] = (),
        page: PageAnswer | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.exempt = frozenset(exempt)
        self.page = page

    def _refuse(self, scope: Scope) -> Response:
        shown = self.page(scope, _CLOSE) if self.page else None
        return shown if shown is not None else _too_large(self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        announced = headers.get(b"content-length", b"")
        if announced.isdigit() and int(announced) > self.limit:
            await self._refuse(scope)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                chunks = []
                break  # the client went away: the app sees an empty body
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._refuse(scope)(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # after the body: wait for a disconnect
            sent = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


def take(request: Request, action: Action, *, lifter: int | None = None) -> None:
    """Count a costly request against the lifter's and the client address's rate limits
    (:class:`~failwise.services.quotas.RateLimited`, a 429, past them)."""
    quotas: Quotas = request.app.state.quotas
    address = client_key(request.client.host if request.client else None)
    quotas.take(action, lifter=lifter, address=address)


def _safe(value: Any) -> Any:
    """A constraint value (``ctx``) as JSON can carry it, short."""
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    # A lone surrogate cannot be written as UTF-8: it is shown replaced.
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def _error(error: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "type": error.get("type", "value_error"),
        "loc": [part if isinstance(part, int) else _safe(part) for part in error["loc"]],
        "msg": _safe(error.get("msg", "")),
    }
    context = error.get("ctx")
    if isinstance(context, Mapping):
        kept = {key: _safe(value) for key, value in context.items() if key != "error"}
        if kept:
            shown["ctx"] = kept
    return shown


async def validation_errors(_request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 shape (``detail``: type, loc, msg), never the input sent."""
    assert isinstance(error, RequestValidationError)  # registered for it only
    errors = list(error.errors())
    detail = [_error(item) for item in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        detail.append(
            {
                "type": "too_many_errors",
                "loc": ["body"],
                "msg": f"{len(errors) - MAX_ERRORS} more errors not listed",
            }
        )
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

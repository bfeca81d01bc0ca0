"""Dependencies of the API's routes: the services, and the lifter making the request.

A program signs in once and sends ``Authorization: Bearer <token>``; a browser
gets the same token in the ``failwise_session`` cookie (HttpOnly, so page
scripts cannot read it; SameSite=Lax, so other sites cannot post with it;
Secure over HTTPS). A bearer token wins over the cookie when both are sent.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from failwise.services.accounts import TOKEN_LIFETIME, Accounts, AuthenticationFailed
from failwise.services.records import User
from failwise.services.training import Coach

SESSION_COOKIE = "failwise_session"

_bearer = HTTPBearer(
    auto_error=False,
    description="The token that sign-up and sign-in return.",
)
_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="The browser session that sign-in sets.",
)


def get_accounts(request: Request) -> Accounts:
    return cast(Accounts, request.app.state.accounts)


def get_coach(request: Request) -> Coach:
    return cast(Coach, request.app.state.coach)


AccountsDep = Annotated[Accounts, Depends(get_accounts)]
CoachDep = Annotated[Coach, Depends(get_coach)]


def presented_token(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> str | None:
    """The token the request carries: the bearer token, else the session cookie."""
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    return cookie or None


TokenDep = Annotated[str | None, Depends(presented_token)]


def current_lifter(accounts: AccountsDep, token: TokenDep) -> User:
    """The signed-in lifter; :class:`AuthenticationFailed` (401) otherwise."""
    if token is None:
        raise AuthenticationFailed(
            "sign in first: send 'Authorization: Bearer <token>' or the session cookie"
        )
    return accounts.user_for_token(token)


LifterDep = Annotated[User, Depends(current_lifter)]


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(TOKEN_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request)
    )

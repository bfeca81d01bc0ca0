"""Shared set-up of the security tests: an app on a fresh SQLite file, and lifters in it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE

from ..conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

T0 = datetime(2026, 3, 4, 18, 0)
PASSWORD = "correct horse"
Headers = dict[str, str]


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def app(sqlite_url: str, clock: Clock) -> FastAPI:
    return create_app(sqlite_url, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def api_sign_up(client: TestClient, username: str) -> Headers:
    """A new lifter's bearer header; the client's cookie jar is left empty."""
    response = client.post("/api/auth/signup", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def csrf(client: TestClient) -> str:
    """The CSRF token as the browser has it after opening any page."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/signin")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def page_sign_up(client: TestClient, username: str) -> None:
    """Sign up through the page: the client keeps the session and CSRF cookies."""
    response = client.post(
        "/signup",
        data={"username": username, "password": PASSWORD, CSRF_FIELD: csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert SESSION_COOKIE in client.cookies


def ok(response: Any) -> Any:
    assert 200 <= response.status_code < 300, (response.status_code, response.text[:500])
    return (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else response.text
    )

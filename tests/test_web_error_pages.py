"""Errors on a page route are pages (the site's layout, plain words, a way back); the API's
stay JSON, with the same status and headers."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, CsrfRejected
from failwise.adapters.web.limits import MAX_BODY_BYTES
from failwise.domain.errors import InvalidInput
from failwise.services.ports import Conflict, NotFound, Unavailable
from failwise.services.quotas import Action, RateLimited

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

T0 = datetime(2026, 3, 4, 18, 0)

# What each mapped error answers, raised by a route of the test's own on a page path and
# on an API path: the page and the JSON must agree on status and headers.
RAISED: dict[str, tuple[Exception, int, dict[str, str]]] = {
    "not-found": (NotFound("no workout 19"), 404, {}),
    "conflict": (Conflict("workout 19 is still open: finish it first"), 409, {}),
    "invalid": (InvalidInput("reps must be 1 to 100", field="reps"), 422, {}),
    "throttled": (RateLimited(Action.DEMO, timedelta(minutes=5)), 429, {"retry-after": "300"}),
    "unavailable": (Unavailable("connection refused"), 503, {"retry-after": "5"}),
    "csrf": (CsrfRejected("no CSRF token"), 403, {}),
    "crash": (RuntimeError("Traceback: secret internals"), 500, {}),
}


@pytest.fixture
def app(sqlite_url: str) -> FastAPI:
    app = create_app(sqlite_url, clock=Clock(T0))
    for name, (error, _code, _headers) in RAISED.items():
        fail = _raiser(error)
        app.add_api_route(f"/raise/{name}", fail, methods=["GET"])
        app.add_api_route(f"/api/raise/{name}", fail, methods=["GET"])
    return app


def _raiser(error: Exception) -> Callable[[], None]:
    def fail() -> None:
        raise error

    return fail


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_error_page(response: object, code: int, *, back: str | None = None) -> str:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == code, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert page.startswith("<!doctype html>")
    assert '<a href="/today" id="go-today">' in page
    if back:
        assert f'<a href="{back}" id="go-back">' in page
    for leak in ('{"detail"', "Traceback", "secret internals", "invalid_input", '"loc"'):
        assert leak not in page, leak
    return page


@pytest.mark.parametrize("name", sorted(RAISED))
def test_every_mapped_error_is_a_page_on_a_page_route_and_json_on_the_api(
    client: TestClient, name: str
) -> None:
    _error, code, headers = RAISED[name]
    page = client.get(f"/raise/{name}", headers={"Referer": "http://testserver/history"})
    assert_error_page(page, code, back="/history")
    api = client.get(f"/api/raise/{name}")
    assert api.status_code == code
    assert api.headers["content-type"] == "application/json"
    assert "detail" in api.json()
    for header, value in headers.items():
        assert page.headers[header] == value
        assert api.headers[header] == value


def test_the_page_says_what_the_service_said_in_plain_words(client: TestClient) -> None:
    page = assert_error_page(client.get("/raise/conflict"), 409)
    assert "Workout 19 is still open: finish it first" in page
    assert "go-back" not in page  # no Referer: only the way back to Today


def test_a_way_back_only_to_this_site(client: TestClient) -> None:
    page = client.get("/raise/not-found", headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in assert_error_page(page, 404)


def test_an_unknown_page_is_a_404_page_and_an_unknown_api_path_json(client: TestClient) -> None:
    assert_error_page(client.get("/no/such/page"), 404)
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    for path in ("/healthz", "/openapi.json"):
        assert client.get(path).headers["content-type"] == "application/json"


def test_a_service_error_on_a_real_page_is_a_page(client: TestClient) -> None:
    client.get("/signin")
    token = client.cookies.get(CSRF_COOKIE)
    signed = client.post(
        "/signup", data={"username": "ann", "password": "correct horse", CSRF_FIELD: token}
    )
    assert signed.status_code == 200
    token = client.cookies.get(CSRF_COOKIE)
    # No plan yet: starting its session is not found, said on a page.
    page = client.post(
        "/plan/start", data={CSRF_FIELD: token}, headers={"Referer": "http://testserver/today"}
    )
    assert "No active plan" in assert_error_page(page, 404, back="/today")
    # A form field past its bounds: a 422 page, the input never echoed.
    long = client.post("/plan", data={CSRF_FIELD: token, "goal": "x" * 500})
    assert "x" * 50 not in assert_error_page(long, 422)


def test_a_body_past_the_limit_is_a_413_page_on_a_page_route(client: TestClient) -> None:
    big = {"notes": "x" * (MAX_BODY_BYTES + 1)}
    page = client.post("/today/log", data=big)
    assert_error_page(page, 413)
    assert page.headers["connection"] == "close"
    api = client.post("/api/sets", content=b"x" * (MAX_BODY_BYTES + 1))
    assert api.status_code == 413 and "KB" in api.json()["detail"]


# --- a planned session started while a free workout is open -----------------------------------


def _signed_up_with_a_plan(client: TestClient) -> str:
    client.get("/signin")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    client.post("/signup", data={"username": "ann", "password": "correct horse", CSRF_FIELD: token})
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    plan = {
        CSRF_FIELD: token,
        "goal": "hypertrophy",
        "days": "3",
        "minutes": "60",
        "equipment": ["barbell", "dumbbell", "machine", "cable", "bodyweight"],
    }
    assert client.post("/plan", data=plan, follow_redirects=False).status_code == 303
    return token


def _open_free_workout(client: TestClient, token: str) -> int:
    opened = client.post("/api/workouts", json={}, headers={CSRF_HEADER: token})
    assert opened.status_code == 201, opened.text
    workout: int = opened.json()["id"]
    return workout


def test_starting_the_session_while_a_workout_is_open_offers_a_choice(client: TestClient) -> None:
    token = _signed_up_with_a_plan(client)
    free = _open_free_workout(client, token)
    asked = client.post("/plan/start", data={CSRF_FIELD: token}, follow_redirects=False)
    assert asked.status_code == 409
    page = asked.text
    assert "A workout is still open" in page and '{"detail"' not in page
    assert "Finish it and start the session" in page and "Continue the open workout" in page
    assert page.count(f'name="{CSRF_FIELD}" value="{token}"') >= 3  # sign-out and both forms
    assert f'name="finish" value="{free}"' in page
    # Continue: back to the open workout, nothing finished or started.
    kept = client.post(
        "/plan/start", data={CSRF_FIELD: token, "then": "continue"}, follow_redirects=False
    )
    assert kept.status_code == 303 and kept.headers["location"] == "/today"
    latest = client.get("/api/workouts?limit=1").json()[0]
    assert latest["id"] == free and latest["open"]
    # Finish: the free workout is finished and the planned session opens.
    started = client.post(
        "/plan/start",
        data={CSRF_FIELD: token, "then": "finish", "finish": str(free)},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/today?")
    workouts = client.get("/api/workouts?limit=2").json()
    assert [w["id"] == free for w in workouts] == [False, True]
    assert workouts[0]["open"] and not workouts[1]["open"]
    assert "Start this session" not in client.get("/today").text  # the session is on
    # Without the form's token nothing is finished.
    refused = client.post("/plan/start", data={"then": "finish", "finish": str(free)})
    assert refused.status_code == 403


def test_finish_names_the_workout_it_finishes(client: TestClient) -> None:
    """A stale choice (another workout opened since) finishes nothing: it asks again."""
    token = _signed_up_with_a_plan(client)
    free = _open_free_workout(client, token)
    asked = client.post(
        "/plan/start", data={CSRF_FIELD: token, "then": "finish", "finish": str(free + 1)}
    )
    assert asked.status_code == 409 and "Finish it and start the session" in asked.text
    assert client.get("/api/workouts?limit=1").json()[0]["open"]


def test_a_form_from_another_site_is_refused_with_a_page_and_the_api_with_json(
    client: TestClient,
) -> None:
    foreign = {"Origin": "https://evil.example"}
    page = client.post("/settings", data={"unit": "lb"}, headers=foreign)
    assert "another site" in assert_error_page(page, 403)
    api = client.post("/api/sets", json={}, headers=foreign)
    assert api.status_code == 403 and "another site" in api.json()["detail"]

"""Hostile input, as an attacker sends it: a clear 4xx, fast and small, and nothing stored.

One test per finding of the hostile-input review (RELIABILITY.md lists them), on
SQLite and PostgreSQL. "Fast" is a generous bound that only a stall breaks (the
stalls found took 5 to 54 s); speed itself is measured by the benchmarks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from failwise.adapters.cli import app as cli
from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_FIELD
from failwise.adapters.web.limits import MAX_BODY_BYTES
from failwise.services.quotas import LIMITS, Action
from failwise.storage.database import Database

from ..conftest import Clock
from .conftest import Headers, TestClient, api_sign_up, csrf, page_sign_up

STALL_SECONDS = 3.0
"""Longer than any hostile request may take to be refused."""
SMALL_ANSWER = 4096
"""Bytes an error answer may take: it never echoes what was sent."""
JSON = {"Content-Type": "application/json"}
SET = '{"exercise": "Squat (Barbell)", "load": %s, "reps": 5, "rir": %s, "notes": %s}'


@pytest.fixture
def app(database_url: str, clock: Clock) -> FastAPI:
    return create_app(database_url, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def ann(client: TestClient) -> Headers:
    return api_sign_up(client, "ann")


def refused(response: Any, *codes: int, started: float) -> dict[str, Any]:
    """A quick, small 4xx; its JSON body."""
    took = time.monotonic() - started
    assert response.status_code in codes, (response.status_code, response.text[:300])
    assert took < STALL_SECONDS, f"took {took:.1f} s to refuse"
    assert len(response.content) <= SMALL_ANSWER, len(response.content)
    body: dict[str, Any] = response.json()
    return body


def stored_sets(client: TestClient, headers: Headers) -> int:
    answer = client.get("/api/history", headers=headers)
    assert answer.status_code == 200, answer.text
    return len(answer.json())


# --- 1 and 2: bodies past the limit never stall the server -------------------------------------


def test_a_json_body_of_millions_of_keys_is_refused_before_it_is_read(
    client: TestClient,
) -> None:
    keys = ",".join(f'"k{i}": 1' for i in range(2_000_000))  # ~25 MB
    body = '{"username": "ab", "password": "xxxxxxxx", ' + keys + "}"
    started = time.monotonic()
    answer = client.post("/api/auth/signin", content=body, headers=JSON)
    detail = refused(answer, 413, started=started)
    assert "larger than 64 KB" in detail["detail"]


def test_a_long_password_list_is_refused_small(client: TestClient) -> None:
    body = json.dumps({"username": "ab", "password": [1] * 5_000})  # ~15 KB, under the limit
    started = time.monotonic()
    answer = refused(
        client.post("/api/auth/signin", content=body, headers=JSON), 422, started=started
    )
    assert "[1, 1" not in json.dumps(answer)  # the input is never echoed


def test_a_body_without_a_length_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "ab", "password": "'
        for _ in range(100):
            yield b"x" * 16_384  # 1.6 MB in all, no Content-Length
        yield b'"}'

    started = time.monotonic()
    refused(client.post("/api/auth/signin", content=chunks(), headers=JSON), 413, started=started)


def test_a_big_multipart_body_to_a_form_is_refused_before_it_fills_a_file(
    client: TestClient,
) -> None:
    upload = {"file": ("big.bin", b"\0" * (MAX_BODY_BYTES * 8), "application/octet-stream")}
    started = time.monotonic()
    answer = client.post("/signin", files=upload)
    assert answer.status_code == 413 and time.monotonic() - started < STALL_SECONDS
    # A page route's refusal is a page (the site's layout and a way back), still small.
    assert answer.headers["content-type"].startswith("text/html")
    assert len(answer.content) <= 10 * SMALL_ANSWER, len(answer.content)


# --- 3: values JSON carries that no lifter means -------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"username": "ab", "password": "xxxxxxxx", "z": NaN}',
        '{"username": "\\ud800x", "password": "xxxxxxxx"}',
        '{"username": "a\\u0000b", "password": "xxxxxxxx"}',
    ],
    ids=["nan-extra-key", "lone-surrogate", "nul"],
)
def test_anonymous_hostile_sign_ins_are_4xx_not_500(client: TestClient, body: str) -> None:
    started = time.monotonic()
    refused(client.post("/api/auth/signin", content=body, headers=JSON), 401, 422, started=started)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("field", ["load", "rir"])
def test_a_set_with_a_number_json_should_not_carry_is_refused_and_not_stored(
    client: TestClient, ann: Headers, number: str, field: str
) -> None:
    load, rir = (number, "2") if field == "load" else ("140", number)
    started = time.monotonic()
    answer = client.post("/api/sets", content=SET % (load, rir, '""'), headers={**ann, **JSON})
    refused(answer, 422, started=started)
    assert stored_sets(client, ann) == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_body_weight_and_bar_weight_refuse_numbers_that_are_not_numbers(
    client: TestClient, ann: Headers, number: str
) -> None:
    started = time.monotonic()
    measured = client.post(
        "/api/measurements", content=f'{{"body_weight_kg": {number}}}', headers={**ann, **JSON}
    )
    refused(measured, 422, started=started)
    settings = client.patch(
        "/api/me/settings", content=f'{{"bar_kg": {number}}}', headers={**ann, **JSON}
    )
    refused(settings, 422, started=started)
    assert client.get("/api/me", headers=ann).json()["settings"]["bar_kg"] == 20.0


@pytest.mark.parametrize(
    "text", ['"\\ud800 lone"', '"a\\u0000b"', '"\\u001b[2J clear"'], ids=["surrogate", "nul", "esc"]
)
def test_notes_names_and_keys_that_cannot_be_stored_are_refused(
    client: TestClient, ann: Headers, text: str
) -> None:
    started = time.monotonic()
    note = client.post("/api/sets", content=SET % ("140", "2", text), headers={**ann, **JSON})
    assert refused(note, 422, started=started)["detail"][0]["loc"][-1] == "notes"
    key = client.post(
        "/api/sets",
        content=SET % ("140", "2", '""'),
        headers={**ann, **JSON, "Idempotency-Key": "k\x01"},
    )
    assert key.status_code in (400, 422)
    workout = client.post("/api/workouts", content=f'{{"notes": {text}}}', headers={**ann, **JSON})
    refused(workout, 422, started=started)
    custom = client.post(
        "/api/exercises",
        content=f'{{"name": {text}, "equipment": "barbell", "primary": ["quads"]}}',
        headers={**ann, **JSON},
    )
    refused(custom, 422, started=started)
    assert stored_sets(client, ann) == 0
    assert client.get("/api/workouts", headers=ann).json() == []


# --- 4: one bad number never poisons a lifter's data ----------------------------------------


@pytest.mark.parametrize("load", ["1e9", "inf", "nan", "-5", "1001"])
def test_the_web_form_checks_a_load_as_the_api_does(client: TestClient, load: str) -> None:
    page_sign_up(client, "bea")
    form = {
        CSRF_FIELD: csrf(client),
        "exercise": "barbell-squat",
        "load": load,
        "reps": "5",
        "rir": "2",
        "idempotency_key": "form-1",
    }
    answer = client.post("/today/log", data=form)
    assert answer.status_code == 422, answer.status_code
    assert "load must be" in answer.text.lower()
    assert client.get("/api/history").json() == []
    for page in ("/today", "/history", "/insights", "/plan"):
        assert client.get(page).status_code == 200, page


def test_the_cli_refuses_an_infinite_load_and_stores_nothing(database_url: str) -> None:
    runner = CliRunner()
    env = {"FAILWISE_DATABASE_URL": database_url}
    bad = runner.invoke(cli, ["log", "Squat (Barbell)", "inf", "5", "--rir", "2"], env=env)
    assert bad.exit_code != 0 and "load must be a number" in bad.output
    good = runner.invoke(cli, ["log", "Squat (Barbell)", "140", "5", "--rir", "2"], env=env)
    assert good.exit_code == 0, good.output
    database = Database(database_url)
    try:
        with database() as store:
            lifter = store.user_by_name("local")
            assert lifter is not None
            assert [s.data.load for s in store.sets(lifter[0].id)] == [140.0]
    finally:
        database.dispose()


# --- 7: costly requests are rate-limited per lifter and per address ------------------------------


def test_sign_ups_and_demos_from_one_address_are_rate_limited(client: TestClient) -> None:
    made = [
        client.post(
            "/api/auth/signup", json={"username": f"lifter{n}", "password": "correct horse"}
        ).status_code
        for n in range(LIMITS[Action.SIGN_UP].per_address + 1)
    ]
    assert made[:-1] == [201] * LIMITS[Action.SIGN_UP].per_address
    started = time.monotonic()
    answer = client.post("/api/auth/signup", json={"username": "one-more", "password": "x" * 12})
    refused(answer, 429, started=started)
    assert int(answer.headers["Retry-After"]) > 0
    demos = []
    for _ in range(LIMITS[Action.DEMO].per_address + 1):
        client.cookies.clear()  # a new visitor each time, from the same address
        demo = client.post("/demo", data={CSRF_FIELD: csrf(client)}, follow_redirects=False)
        demos.append(demo.status_code)
    assert demos[:-1] == [303] * LIMITS[Action.DEMO].per_address and demos[-1] == 429


def test_one_lifter_cannot_export_without_end(client: TestClient) -> None:
    page_sign_up(client, "cleo")
    allowed = LIMITS[Action.EXPORT].per_lifter
    assert allowed is not None
    codes = [client.get("/export/json").status_code for _ in range(allowed + 1)]
    assert codes[:-1] == [200] * allowed and codes[-1] == 429

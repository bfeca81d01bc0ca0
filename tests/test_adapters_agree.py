"""The command line, the API and the web form are three ways to log the same set: they
store the same set with the same target, and answer a retried set the same way.

Three lifters with the same day: ann logs on the command line, bob through the API, cat
on Today's form. What each adapter stores is read back through the API, in kg.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from failwise.adapters.cli import app as cli
from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD

PASSWORD = "correct horse battery staple"
SQUAT = "barbell-squat"
TARGET_FIELDS = ("target_load", "target_reps", "target_rir")


@pytest.fixture
def app(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)  # the command line's database
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    return create_app(sqlite_url)


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def bearer(api: TestClient, username: str) -> dict[str, str]:
    answer = api.post("/api/auth/signup", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


class CommandLine:
    """ann, logging with ``failwise log``."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def log(self, load: float, reps: int, rir: float, key: str) -> tuple[int, str]:
        args = ["log", SQUAT, f"{load:g}", str(reps), "--rir", f"{rir:g}", "--key", key]
        result = self.runner.invoke(cli, [*args, "--user", "ann", "--json"])
        return result.exit_code, result.stdout + result.stderr


class Api:
    """bob, logging with ``POST /api/sets``."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    def log(self, load: float, reps: int, rir: float, key: str) -> tuple[int, str]:
        body = {"exercise": SQUAT, "load": load, "reps": reps, "rir": rir}
        answer = self.client.post(
            "/api/sets", json=body, headers={**self.headers, "Idempotency-Key": key}
        )
        return answer.status_code, answer.text


class WebForm:
    """cat, logging with Today's form (the page's fallback without JavaScript)."""

    def __init__(self, client: TestClient, username: str = "cat") -> None:
        self.client = client
        self.client.get("/signin")
        answer = self.client.post(
            "/signup",
            data={"username": username, "password": PASSWORD, CSRF_FIELD: self.csrf},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text

    @property
    def csrf(self) -> str:
        return str(self.client.cookies.get(CSRF_COOKIE))

    def log(self, load: float, reps: int, rir: float, key: str) -> tuple[int, str]:
        form = {
            CSRF_FIELD: self.csrf,
            "exercise": SQUAT,
            "load": f"{load:g}",
            "reps": str(reps),
            "rir": f"{rir:g}",
            "idempotency_key": key,
        }
        answer = self.client.post("/today/log", data=form)
        return answer.status_code, answer.text


def stored(api: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The lifter's squats as stored: what was done and what it aimed at."""
    answer = api.get("/api/history?exercise=barbell-squat", headers=headers)
    assert answer.status_code == 200, answer.text
    fields = ("load", "reps", "rir", *TARGET_FIELDS)
    return [{name: s[name] for name in fields} for s in answer.json()]


def next_load(api: TestClient, headers: dict[str, str]) -> float:
    answer = api.get("/api/next?exercise=barbell-squat", headers=headers)
    assert answer.status_code == 200, answer.text
    load: float = answer.json()["load"]
    return load


def signed_in(api: TestClient, username: str) -> dict[str, str]:
    answer = api.post("/api/auth/signin", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


LOGGED = {CommandLine: 0, Api: 201, WebForm: 200}
"""What each adapter answers a set it stored: exit code 0, 201 Created, Today's page."""


def test_a_set_logged_on_each_adapter_is_stored_with_the_same_target(
    web: TestClient, api: TestClient
) -> None:
    ann, bob = bearer(api, "ann"), bearer(api, "bob")
    form = WebForm(web)  # signs cat up on the page
    lifters = [(CommandLine(), ann), (Api(api, bob), bob), (form, signed_in(api, "cat"))]
    shown = []
    for adapter, headers in lifters:
        # A first squat; a set 20 kg over the load the coach shows; the next set as shown.
        code, said = adapter.log(100, 5, 2, "set-1")
        assert code == LOGGED[type(adapter)], said
        code, said = adapter.log(next_load(api, headers) + 20, 5, 1, "set-2")
        assert code == LOGGED[type(adapter)], said
        shown.append(next_load(api, headers))
        code, said = adapter.log(shown[-1], 5, 2, "set-3")
        assert code == LOGGED[type(adapter)], said

    assert shown[0] == shown[1] == shown[2]  # the same coach shows the same next set
    ann_sets, bob_sets, cat_sets = (stored(api, headers) for _, headers in lifters)
    assert ann_sets == bob_sets == cat_sets
    (over,) = [s for s in ann_sets if s["rir"] == 1]
    (exact,) = [s for s in ann_sets if s["load"] == shown[0]]
    # 20 kg over the coach's load: its reps were not the target, so fewer is not a miss.
    assert over["load"] > shown[0] and over["rir"] == 1
    assert over["target_load"] is None and over["target_reps"] is None
    assert over["target_rir"] is not None  # the effort it aimed at still is its target
    # Lifted as shown: the coach's load and reps are its target.
    assert exact["load"] == exact["target_load"] == shown[0]
    assert exact["target_reps"] == 5


@pytest.mark.parametrize("kind", [CommandLine, Api, WebForm])
def test_a_retried_set_is_stored_once_and_a_key_reused_for_another_set_is_refused(
    kind: type[CommandLine | Api | WebForm], web: TestClient, api: TestClient
) -> None:
    adapter: CommandLine | Api | WebForm
    if kind is WebForm:
        adapter = WebForm(web)
        headers = signed_in(api, "cat")
    else:
        headers = bearer(api, "ann")
        adapter = CommandLine() if kind is CommandLine else Api(api, headers)

    code, said = adapter.log(100, 5, 2, "set-1")
    assert code == LOGGED[kind], said
    first = stored(api, headers)
    code, said = adapter.log(100, 5, 2, "set-1")  # the retry of an answer lost on the way
    assert code == {CommandLine: 0, Api: 200, WebForm: 200}[kind], said
    assert stored(api, headers) == first and len(first) == 1

    code, said = adapter.log(150, 5, 2, "set-1")  # the same key on another set: refused
    assert code == {CommandLine: 1, Api: 422, WebForm: 422}[kind], said
    assert "idempotency key" in said, said
    assert stored(api, headers) == first  # and nothing stored or changed


def test_a_set_corrected_on_each_adapter_is_stored_the_same(app: FastAPI, api: TestClient) -> None:
    """The API's PATCH, a workout's row and Today's edit form are one correction rule."""
    bob = bearer(api, "bob")
    with TestClient(app) as cat_browser, TestClient(app) as dan_browser:
        cat, dan = WebForm(cat_browser, "cat"), WebForm(dan_browser, "dan")
        lifters = [bob, signed_in(api, "cat"), signed_in(api, "dan")]
        ids = []
        for headers in lifters:
            body = {"exercise": SQUAT, "load": 100, "reps": 5, "rir": 2}
            answer = api.post("/api/sets", json=body, headers=headers)
            assert answer.status_code == 201, answer.text
            ids.append((answer.json()["set"]["id"], answer.json()["set"]["workout_id"]))
        # 102.5 kg for 6, to failure: the API, Today's edit form, the workout's row.
        answer = api.patch(
            f"/api/sets/{ids[0][0]}",
            json={"load": 102.5, "reps": 6, "to_failure": True},
            headers=bob,
        )
        assert answer.status_code == 200, answer.text
        form = {"load": "102.5", "reps": "6", "rir": "", "to_failure": "true", "notes": ""}
        answer = cat.client.post(
            f"/sets/{ids[1][0]}/edit", data={**form, CSRF_FIELD: cat.csrf}, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        set_id, workout_id = ids[2]
        answer = dan.client.post(
            f"/workouts/{workout_id}/sets/{set_id}",
            data={**form, "set_type": "working", CSRF_FIELD: dan.csrf},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
    bob_sets, cat_sets, dan_sets = (stored(api, headers) for headers in lifters)
    assert bob_sets == cat_sets == dan_sets
    assert [(s["load"], s["reps"], s["rir"]) for s in bob_sets] == [(102.5, 6, 0.0)]

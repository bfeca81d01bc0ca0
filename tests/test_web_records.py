"""The Records page and a workout's page of editable rows, in-process (no browser).

The history: on 2 Nov 2026 3 × 5 at 140 kg without an RIR call, then a second workout on
9 Nov with 1 × 8 at 120 kg. A set without RIR is taken at failure, as every e1RM is:
5 to failure is 86.3 % on the RTS chart, 140 / 0.863 = 162.2 kg.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi import FastAPI

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER
from failwise.services.reported import LogRequest
from failwise.services.training import Coach

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOV_2 = datetime(2026, 11, 2, 18, 0)
NOV_9 = datetime(2026, 11, 9, 18, 0)
PASSWORD = "correct horse"


@pytest.fixture
def app(sqlite_url: str) -> FastAPI:
    return create_app(sqlite_url, clock=Clock(datetime(2026, 11, 12, 12, 0)))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def csrf(client: TestClient) -> str:
    if CSRF_COOKIE not in client.cookies:
        client.get("/signin")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def sign_up(client: TestClient, username: str) -> int:
    form = {"username": username, "password": PASSWORD, CSRF_FIELD: csrf(client)}
    assert client.post("/signup", data=form, follow_redirects=False).status_code == 303
    lifter: int = client.get("/api/me").json()["id"]
    return lifter


def seed(app: FastAPI, lifter: int) -> list[int]:
    """The two workouts of the history above; their ids, oldest first."""
    coach: Coach = app.state.coach
    for _ in range(3):
        coach.sets.log(lifter, LogRequest("Squat (Barbell)", 140, 5, logged_at=NOV_2))
    first = coach.workouts.finish(lifter)
    coach.sets.log(lifter, LogRequest("Squat (Barbell)", 120, 8, logged_at=NOV_9))
    second = coach.workouts.finish(lifter)
    return [first.id, second.id]


@pytest.fixture
def ann(client: TestClient, app: FastAPI) -> list[int]:
    return seed(app, sign_up(client, "ann"))


def row_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<form [^>]*id="set-(\d+)"', page)]


def save(client: TestClient, workout: int, set_id: int, **fields: str) -> str:
    form = {"set_type": "working", "load": "140", "reps": "5", "rir": "", "notes": ""}
    response = client.post(
        f"/workouts/{workout}/sets/{set_id}",
        data={**form, **fields, CSRF_FIELD: csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/workouts/{workout}#set-{set_id}"
    return client.get(f"/workouts/{workout}").text


def test_records_are_cards_in_the_lifters_unit_with_their_day(
    client: TestClient, ann: list[int]
) -> None:
    page = client.get("/records").text
    assert "<table" not in page
    card = page[page.index('id="record-barbell-squat"') :]
    assert "<strong>162.2 kg</strong>" in card
    assert "140 kg × 5" in card and "2 Nov 2026" in card
    assert "<strong>140 kg</strong>" in card  # the heaviest
    reps = re.findall(
        r'<span class="load">([^<]+)</span> <strong class="reps">([^<]+)</strong> '
        r'<span class="when">([^<]+)</span>',
        card,
    )
    assert reps == [("140 kg", "× 5", "2 Nov 2026"), ("120 kg", "× 8", "9 Nov 2026")]
    client.patch("/api/me/settings", json={"unit": "lb"}, headers={CSRF_HEADER: csrf(client)})
    pounds = client.get("/records?exercise=barbell-squat").text
    assert "<strong>357.6 lb</strong>" in pounds and "308.6 lb × 5" in pounds


def test_history_links_to_records_and_to_each_workout(client: TestClient, ann: list[int]) -> None:
    page = client.get("/history").text
    assert 'href="/records"' in page
    for workout in ann:
        assert f'href="/workouts/{workout}"' in page


def test_a_workout_lists_its_sets_as_rows_with_their_fields(
    client: TestClient, ann: list[int]
) -> None:
    page = client.get(f"/workouts/{ann[0]}").text
    rows = row_ids(page)
    assert len(rows) == 3
    first = rows[0]
    assert f'id="load-{first}" name="load" type="text" inputmode="decimal"' in page
    assert 'value="140"' in page and f'id="set_type-{first}"' in page
    assert '<option value="warm-up">Warm-up</option>' in page
    assert f'formaction="/workouts/{ann[0]}/sets/{first}/delete"' in page


def test_editing_a_rows_load_changes_history_and_records(
    client: TestClient, ann: list[int]
) -> None:
    first = row_ids(client.get(f"/workouts/{ann[0]}").text)[0]
    page = save(client, ann[0], first, load="145", notes="belt on")
    assert 'value="145"' in page and 'value="belt on"' in page
    # 145 / 0.863 = 168.0 kg.
    assert "<strong>168 kg</strong>" in client.get("/records").text
    assert "145 kg × 5" in client.get("/history").text
    stored = client.get(f"/api/sets/{first}").json()
    assert (stored["load"], stored["notes"]) == (145, "belt on")


def test_a_set_made_a_warm_up_sets_no_record(client: TestClient, ann: list[int]) -> None:
    rows = row_ids(client.get(f"/workouts/{ann[0]}").text)
    save(client, ann[0], rows[0], load="150", set_type="warm-up")
    stored = client.get(f"/api/sets/{rows[0]}").json()
    assert (stored["set_type"], stored["load"]) == ("warm-up", 150)
    records = client.get("/records").text
    assert "150 kg" not in records and "<strong>162.2 kg</strong>" in records


def test_a_deleted_row_leaves_the_workout_and_the_records(
    client: TestClient, ann: list[int]
) -> None:
    [only] = row_ids(client.get(f"/workouts/{ann[1]}").text)
    deleted = client.post(
        f"/workouts/{ann[1]}/sets/{only}/delete",
        data={CSRF_FIELD: csrf(client)},
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == f"/workouts/{ann[1]}"
    assert row_ids(client.get(f"/workouts/{ann[1]}").text) == []
    assert "120 kg" not in client.get("/records").text


def test_a_bad_row_is_answered_on_that_row(client: TestClient, ann: list[int]) -> None:
    rows = row_ids(client.get(f"/workouts/{ann[0]}").text)
    bad = client.post(
        f"/workouts/{ann[0]}/sets/{rows[1]}",
        data={"load": "140", "reps": "five", "set_type": "working", CSRF_FIELD: csrf(client)},
    )
    assert bad.status_code == 422
    assert f'id="reps-{rows[1]}-error" role="alert">Reps must be a number' in bad.text
    assert f'id="reps-{rows[1]}" name="reps" type="text" inputmode="numeric" ' in bad.text
    assert 'value="five"' in bad.text
    refused = client.post(
        f"/workouts/{ann[0]}/sets/{rows[1]}",
        data={"load": "140", "reps": "5", "set_type": "bogus", CSRF_FIELD: csrf(client)},
    )
    assert refused.status_code == 422
    assert f'id="set_type-{rows[1]}-error" role="alert">' in refused.text


def test_a_load_far_above_the_e1rm_is_saved_only_after_yes(
    client: TestClient, ann: list[int]
) -> None:
    first = row_ids(client.get(f"/workouts/{ann[0]}").text)[0]
    url = f"/workouts/{ann[0]}/sets/{first}"
    form = {"load": "400", "reps": "5", "set_type": "working", CSRF_FIELD: csrf(client)}
    asked = client.post(url, data=form)
    assert asked.status_code == 422 and "Yes, save it" in asked.text
    assert client.get(f"/api/sets/{first}").json()["load"] == 140
    done = client.post(url, data={**form, "confirmed": "true"}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get(f"/api/sets/{first}").json()["load"] == 400


def test_another_lifters_workout_and_sets_are_not_found(
    client: TestClient, app: FastAPI, ann: list[int]
) -> None:
    first = row_ids(client.get(f"/workouts/{ann[0]}").text)[0]
    client.post("/signout", data={CSRF_FIELD: csrf(client)})
    bob = sign_up(client, "bob")
    [bobs, _] = seed(app, bob)
    assert client.get(f"/workouts/{ann[0]}").status_code == 404
    form = {"load": "1", "reps": "1", "set_type": "working", CSRF_FIELD: csrf(client)}
    assert client.post(f"/workouts/{bobs}/sets/{first}", data=form).status_code == 404
    assert client.post(f"/workouts/{ann[0]}/sets/{first}/delete", data=form).status_code == 404


def test_today_says_new_record_after_a_set_that_beats_one(
    client: TestClient, ann: list[int]
) -> None:
    form = {"exercise": "barbell-squat", "load": "140", "reps": "6", "idempotency_key": "pr-1"}
    page = client.post("/today/log", data={**form, CSRF_FIELD: csrf(client)}).text
    # 6 to failure = 83.7 %: 140 / 0.837 = 167.3 kg against 162.2; 6 reps at 140 against 5.
    assert "New record: estimated 1RM 167.3 kg (was 162.2 kg); 6 reps at 140 kg (was 5)." in page

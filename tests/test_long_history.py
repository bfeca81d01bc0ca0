"""A long history, read a bounded piece at a time (SQLite and PostgreSQL).

Keyset pages of sets and workouts (the store, ``/api/history``, ``/api/workouts``),
pages that read a window of the history (``/today``, ``/history``, ``/insights``,
``/plan``), and exports streamed a chunk at a time, byte for byte the unstreamed
export. Nothing here is timed: ``python -m bench big-lifter`` measures the speed.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from typer.testing import CliRunner

from failwise.adapters import exporters
from failwise.adapters.cli import app as cli
from failwise.adapters.web import pages
from failwise.adapters.web.app import create_app
from failwise.domain.analysis import analyse
from failwise.domain.context import Phase
from failwise.services import insights
from failwise.services.accounts import Accounts
from failwise.services.catalog import builtin_catalog
from failwise.services.core import history_set
from failwise.services.live import corrector
from failwise.services.ports import Store
from failwise.services.records import NewSet, SetType, StoredSet, Workout
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOW = datetime(2026, 3, 2, 18, 0)
PASSWORD = "correct horse"
LIFTS = ("barbell-squat", "barbell-bench-press", "dumbbell-lateral-raise")


def exported(coach: Coach, user_id: int, format: str) -> str:
    """The lifter's whole log, exported in memory (what a stream must write the same)."""
    whole = coach.insights.everything(user_id)
    return exporters.export(format, whole.workouts, whole.sets, whole.catalog)


def fill(
    database: Database,
    user_id: int,
    *,
    workouts: int,
    per_workout: int,
    end: datetime = NOW,
    spacing: timedelta = timedelta(days=1),
) -> list[Workout]:
    """Workouts ``spacing`` apart up to ``end``, written through the store's batch path.

    The awkward cases of the order done come with them: every third workout's sets share
    one moment (ties broken by workout, then position), and the last workout holds a set
    logged two days into the past, interleaved with the workouts before it.
    """
    with database() as store:
        made = store.add_workouts(
            user_id,
            [
                Workout(0, user_id, end - spacing * (workouts - n), end - spacing * (workouts - n))
                for n in range(workouts)
            ],
        )
        rows = []
        for number, workout in enumerate(made):
            for position in range(1, per_workout + 1):
                same = number % 3 == 0
                at = workout.started_at + (timedelta(0) if same else timedelta(minutes=position))
                exercise = LIFTS[(number + position) % len(LIFTS)]
                load = 100.0 + number + position / 10
                rows.append((workout.id, position, NewSet(exercise, load, 5, rir=2.0), at))
        last = made[-1]
        into_the_past = NewSet("barbell-squat", 61.25, 8, rir=1.0, notes="logged late")
        rows.append((last.id, per_workout + 1, into_the_past, last.started_at - 2 * spacing))
        store.add_sets(user_id, rows, now=end)
        store.commit()
    return made


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def lifter(database: Database, name: str = "ann") -> int:
    with database() as store:
        user = store.add_user(name, "hash", {})
        store.commit()
    return user.id


# --- the store ----------------------------------------------------------------------------------


def _walk(store: Store, user_id: int, limit: int) -> list[list[StoredSet]]:
    pages: list[list[StoredSet]] = []
    key = None
    for _ in range(10_000):
        page = store.sets(user_id, latest=limit, before=key)
        if not page:
            return pages
        pages.append(page)
        key = page[0].key
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("limit", [1, 7, 50])
def test_keyset_pages_walk_every_set_once_in_the_order_done(db: Database, limit: int) -> None:
    ann, bob = lifter(db), lifter(db, "bob")
    fill(db, ann, workouts=9, per_workout=4)
    fill(db, bob, workouts=2, per_workout=3)
    with db() as store:
        every = store.sets(ann)
        pages = _walk(store, ann, limit)
    assert len(every) == 9 * 4 + 1
    assert all(0 < len(page) <= limit for page in pages)
    walked = [s for page in reversed(pages) for s in page]
    assert [s.id for s in walked] == [s.id for s in every]  # once each, in order, only Ann's
    assert [s.key for s in every] == sorted(s.key for s in every)
    assert every[-1].data.notes != "logged late"  # done before the last workout's other sets


def test_the_latest_sets_of_a_window_are_the_end_of_the_window(db: Database) -> None:
    ann = lifter(db)
    fill(db, ann, workouts=6, per_workout=5)
    since = NOW - timedelta(days=3)
    with db() as store:
        window = store.sets(ann, since=since)
        assert store.sets(ann, since=since, latest=4) == window[-4:]
        assert store.sets(ann, since=since, latest=1000) == window
        workout = window[-1].workout_id
        assert (
            store.sets(ann, workout_id=workout, latest=2)
            == [s for s in store.sets(ann) if s.workout_id == workout][-2:]
        )


def test_workouts_page_back_by_start(db: Database) -> None:
    ann = lifter(db)
    made = fill(db, ann, workouts=7, per_workout=1)
    seen: list[int] = []
    with db() as store:
        page = store.workouts(ann, limit=3)
        while page:
            seen += [w.id for w in page]
            page = store.workouts(ann, limit=3, before=page[-1].key)
    assert seen == [w.id for w in reversed(made)]


def _first_workout_order(sets: Sequence[StoredSet]) -> list[StoredSet]:
    first: dict[int, int] = {}
    for stored in sets:
        first.setdefault(stored.workout_id, len(first))
    return sorted(sets, key=lambda s: first[s.workout_id])


@pytest.mark.parametrize("by_workout", [False, True])
def test_chunks_stream_every_set_once_with_its_workout(db: Database, by_workout: bool) -> None:
    ann, bob = lifter(db), lifter(db, "bob")
    fill(db, ann, workouts=5, per_workout=4)
    fill(db, bob, workouts=1, per_workout=2)
    with db() as store:
        every = store.sets(ann)
        workouts = {w.id: w for w in store.workouts(ann, limit=None)}
        chunks = list(store.set_chunks(ann, by_workout=by_workout, size=3))
    assert all(0 < len(sets) <= 3 for _, sets in chunks)
    streamed = [s for _, sets in chunks for s in sets]
    expected = _first_workout_order(every) if by_workout else every
    assert streamed == expected
    assert by_workout or [s.id for s in streamed] != [s.id for s in _first_workout_order(every)]
    for chunk_workouts, sets in chunks:
        assert chunk_workouts == {s.workout_id: workouts[s.workout_id] for s in sets}


def test_sqlite_reads_pages_windows_and_workouts_from_an_index_in_order(sqlite_url: str) -> None:
    """No page walks the whole history or sorts it (SQLite has no statistics to go on)."""
    database = Database(sqlite_url)
    try:
        ann = lifter(database)
        fill(database, ann, workouts=4, per_workout=3)
        statements: list[tuple[str, Any]] = []

        def record(*args: Any) -> None:
            statements.append((args[2], args[3]))

        event.listen(database.engine, "before_cursor_execute", record)
        with database() as store:
            key = store.sets(ann)[5].key
            reads = {
                "ix_sets_user_order": [
                    lambda: store.sets(ann, latest=2, before=key),
                    lambda: store.sets(ann, since=NOW - timedelta(days=2), latest=3),
                    lambda: list(store.set_chunks(ann)),
                ],
                "ix_sets_user_exercise_order": [
                    lambda: store.sets(ann, exercise_ids=["barbell-squat"], latest=2),
                ],
                "ix_sets_workout_order": [lambda: store.sets(ann, workout_id=1, latest=2)],
            }
            for index, calls in reads.items():
                for call in calls:
                    statements.clear()
                    call()
                    sql, parameters = statements[-1]
                    raw = store.session.connection().connection.dbapi_connection  # type: ignore[attr-defined]
                    plan = " / ".join(
                        row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, parameters)
                    )
                    assert f"INDEX {index} " in plan, plan
                    assert "TEMP B-TREE" not in plan, plan
        event.remove(database.engine, "before_cursor_execute", record)
    finally:
        database.dispose()


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return create_app(database_url, clock=Clock(NOW))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def sign_up(client: TestClient, username: str = "ann") -> tuple[int, dict[str, str]]:
    response = client.post("/api/auth/signup", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["user"]["id"], {"Authorization": f"Bearer {response.json()['token']}"}


def _pages(client: TestClient, url: str, headers: dict[str, str]) -> list[Any]:
    pages = []
    for _ in range(1000):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        following = response.links.get("next", {}).get("url")
        if following is None:
            return pages
        assert following.startswith("/api/")  # relative: right behind a proxy too
        url = following
    raise AssertionError("the pages never end")


def test_api_history_pages_walk_every_set_once(app: FastAPI, client: TestClient) -> None:
    ann, headers = sign_up(client)
    fill(app.state.database, ann, workouts=30, per_workout=7)  # 211 sets
    every = [s.id for s in Coach(app.state.database).insights.history(ann)]

    first = client.get("/api/history", headers=headers)
    assert len(first.json()) == 200  # the default page
    assert [s["id"] for s in first.json()] == every[-200:]  # the latest, in the order done
    pages = _pages(client, "/api/history?limit=50", headers)
    assert [len(page) for page in pages] == [50, 50, 50, 50, 11]
    assert [s["id"] for page in reversed(pages) for s in page] == every

    squats = _pages(client, "/api/history?exercise=squat&limit=9&since=2026-02-01", headers)
    ids = [s["id"] for page in reversed(squats) for s in page]
    history = Coach(app.state.database).insights.history(
        ann, "barbell-squat", since=datetime(2026, 2, 1)
    )
    assert ids == [s.id for s in history] and len(squats) > 1

    no_more = client.get("/api/history?limit=1000", headers=headers)
    assert len(no_more.json()) == 211 and "link" not in no_more.headers
    for bad in ("limit=0", "limit=1001", "before=yesterday", "before=20261399T000000.000000_1_1_1"):
        answer = client.get(f"/api/history?{bad}", headers=headers)
        assert answer.status_code == 422, bad
        field = bad.split("=")[0]
        assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_api_workouts_and_a_long_workout_page_too(app: FastAPI, client: TestClient) -> None:
    ann, headers = sign_up(client)
    made = fill(app.state.database, ann, workouts=5, per_workout=6)
    pages = _pages(client, "/api/workouts?limit=2", headers)
    assert [[w["id"] for w in page] for page in pages] == [
        [made[4].id, made[3].id],
        [made[2].id, made[1].id],
        [made[0].id],
    ]
    last = made[-1].id
    whole = client.get(f"/api/workouts/{last}", headers=headers).json()
    assert len(whole["sets"]) == 7
    parts = _pages(client, f"/api/workouts/{last}?limit=3", headers)
    assert [len(part["sets"]) for part in parts] == [3, 3, 1]
    assert [s for part in reversed(parts) for s in part["sets"]] == whole["sets"]


# --- pages read a bounded window ---------------------------------------------------------------


class RecordingStore:
    """A store that notes how every set was read."""

    def __init__(self, store: Store, reads: list[tuple[str, dict[str, Any]]]) -> None:
        self._store = store
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if name in ("sets", "set_chunks", "trained_days", "workouts"):

            def noted(*args: Any, **kwargs: Any) -> Any:
                self._reads.append((name, kwargs))
                return found(*args, **kwargs)

            return noted
        return found


def _sign_in_page(client: TestClient, username: str = "ann") -> int:
    """A new lifter, signed in (the session cookie the pages read)."""
    user_id, _ = sign_up(client, username)
    return user_id


def test_every_read_of_the_pages_is_bounded(app: FastAPI, client: TestClient) -> None:
    ann, headers = sign_up(client)
    fill(app.state.database, ann, workouts=12, per_workout=5)
    coach: Coach = app.state.coach
    assert client.post("/api/plans", json={"days": 3}, headers=headers).status_code == 201
    three_weeks_ago = {"at": NOW - timedelta(weeks=3)}  # the plan's weekly verdicts
    with app.state.database() as store:
        store.session.execute(text("UPDATE plans SET created_at = :at"), three_weeks_ago)
        store.commit()
    reads: list[tuple[str, dict[str, Any]]] = []
    stores = coach.core.stores

    @contextmanager
    def recording() -> Iterator[Store]:
        with stores() as store:
            yield RecordingStore(store, reads)  # type: ignore[misc]

    coach.core.stores = recording
    for path in ("/today", "/today?exercise=squat", "/history", "/insights", "/plan"):
        assert client.get(path).status_code == 200, path
    for path in ("/api/history", "/api/today", "/api/fatigue", "/api/history/volume"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/history/e1rm?exercise=squat").status_code == 200
    unbounded = [
        (name, kwargs)
        for name, kwargs in reads
        if name == "set_chunks" or kwargs.get("latest", kwargs.get("limit")) is None
    ]
    assert {name for name, _ in reads} >= {"sets", "trained_days", "workouts"}
    assert unbounded == []


def test_history_lists_a_page_of_workouts_and_links_to_the_older_ones(
    app: FastAPI, client: TestClient
) -> None:
    ann = _sign_in_page(client)
    fill(app.state.database, ann, workouts=7, per_workout=2, spacing=timedelta(weeks=1))
    pages = [client.get("/history?workouts=2").text]
    assert pages[0].count('<details class="card workout"') == 2
    for _ in range(10):
        older = re.search(r'href="(/history\?before=[^"]+)"', pages[-1])
        if older is None:
            break
        pages.append(client.get(older.group(1).replace("&amp;", "&")).text)
    assert [page.count('<details class="card workout"') for page in pages] == [2, 2, 2, 1]
    # The oldest workout's first set (100.1 kg) is on the last page alone; the set logged
    # two weeks into the past (61.25 kg) is the newest workout's, on the first.
    assert [page.count("100.1 kg") for page in pages] == [0, 0, 0, 1]
    assert [page.count("61.25 kg") for page in pages] == [1, 0, 0, 0]
    dumped = json.loads(client.get("/export/json").text)
    assert sum(len(w["sets"]) for w in dumped["workouts"]) == 7 * 2 + 1
    assert 100.1 in [s["load_kg"] for w in dumped["workouts"] for s in w["sets"]]


def test_history_lists_at_most_a_page_of_sets(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("failwise.adapters.web.pages.history.PAGE_SETS", 5)
    ann = _sign_in_page(client)
    fill(app.state.database, ann, workouts=3, per_workout=4)  # the last one has 5 sets
    page = client.get("/history").text  # the newest workout's 5 sets fill the page
    assert "Its sets are not listed" in page and "Only its latest" not in page
    monkeypatch.setattr("failwise.adapters.web.pages.history.PAGE_SETS", 7)
    page = client.get("/history").text
    assert "Only its latest 2 sets are listed" in page


def test_insights_read_the_year_up_to_the_last_workout(app: FastAPI, client: TestClient) -> None:
    ann = _sign_in_page(client)
    fill(app.state.database, ann, workouts=3, per_workout=2)
    fill(app.state.database, ann, workouts=1, per_workout=4, end=NOW - timedelta(weeks=60))
    page = client.get("/insights").text
    assert "7 working sets in 3 workouts" in page  # 3 × 2 and one logged late
    assert "Read from the 52 weeks up to your last workout." in page
    assert Coach(app.state.database).insights.analysis(ann).working_sets == 7 + 5  # the CLI: all


def test_the_whole_history_analysed_as_it_is_read_is_the_history_analysed_whole(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``failwise history`` reads a long log a chunk at a time: what it says is what the
    analysis of every set held in memory says (ties in the order done, a set logged into
    the past, warm-ups and RIR tests included), and only the lifter's own sets count."""
    ann, bob = lifter(db), lifter(db, "bob")
    fill(db, ann, workouts=40, per_workout=6, spacing=timedelta(days=2))
    fill(db, bob, workouts=3, per_workout=2)
    with db() as store:
        workout = store.add_workouts(ann, [Workout(0, ann, NOW, NOW)])[0]
        store.add_sets(
            ann,
            [
                (workout.id, 1, NewSet("barbell-squat", 60.0, 5, set_type=SetType.WARM_UP), NOW),
                (workout.id, 2, NewSet("barbell-squat", 150.0, 3, rir=0.0, to_failure=True), NOW),
            ],
            now=NOW,
        )
        store.commit()
    monkeypatch.setattr(insights, "HISTORY_CHUNK", 7)
    coach = Coach(db)
    catalog = coach.insights.everything(ann).catalog
    with db() as store:
        every = [history_set(s, catalog) for s in store.sets(ann)]
    calibration = coach.insights.calibration(ann)
    streamed = coach.insights.analysis(ann)
    assert streamed == analyse(every, corrector=lambda e: corrector(calibration, e))
    assert streamed.sets == 40 * 6 + 1 + 2 and streamed.working_sets == streamed.sets - 1
    assert streamed.rule_breaks[-1].performed_at == NOW  # the squat to failure, last
    assert streamed.fatigue_by_week
    # From a moment on: the sets done at it and after, as the store compares its times.
    since = every[100].performed_at
    later = coach.insights.analysis(ann, since=since)
    assert later == analyse(
        [s for s in every if s.performed_at >= since],
        corrector=lambda e: corrector(calibration, e),
    )
    assert later.first == since and later.sets < streamed.sets


# --- exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("format", exporters.EXPORT_FORMATS)
def test_exports_stream_in_chunks_byte_for_byte(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch, format: str
) -> None:
    monkeypatch.setattr(insights, "EXPORT_CHUNK", 4)
    ann = _sign_in_page(client)
    fill(app.state.database, ann, workouts=5, per_workout=3)
    coach: Coach = app.state.coach
    coach.sets.log(ann, LogRequest("Squat (Barbell)", 100, 5, rir=2, notes='a, "b"\nc'))
    chunks = list(
        coach.insights.export_chunks(ann, by_workout=exporters.grouped_by_workout(format))
    )
    assert len(chunks) == 5  # 17 sets, 4 a chunk

    response = client.get(f"/export/{format}")
    assert response.status_code == 200
    assert "content-length" not in response.headers  # streamed, not built whole first
    unstreamed = exported(coach, ann, format)
    assert response.content == unstreamed.encode()
    if format == "json":
        sets = [s for w in json.loads(response.text)["workouts"] for s in w["sets"]]
        assert len(sets) == 17 and len({s["logged_at"] + str(s["position"]) for s in sets}) == 17


def test_an_empty_history_exports_as_before(client: TestClient) -> None:
    _sign_in_page(client)
    for format in exporters.EXPORT_FORMATS:
        expected = exporters.export(format, {}, [], builtin_catalog())
        assert client.get(f"/export/{format}").text == expected


def test_the_command_line_writes_the_export_as_it_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FAILWISE_DATABASE_URL", url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    monkeypatch.setattr(insights, "EXPORT_CHUNK", 3)
    assert CliRunner().invoke(cli, ["log", "Squat (Barbell)", "100", "5"]).exit_code == 0
    database = Database(url)
    try:
        user_id = Accounts(database).local_lifter().id
        fill(database, user_id, workouts=4, per_workout=2)
        coach = Coach(database)
        for format in exporters.EXPORT_FORMATS:
            out = tmp_path / f"export-{format}"
            result = CliRunner().invoke(cli, ["export", "--format", format, str(out)])
            assert result.exit_code == 0, result.output
            assert "Wrote 10 sets in 5 workouts" in result.output
            unstreamed = exported(coach, user_id, format)
            assert out.read_bytes() == unstreamed.encode()
    finally:
        database.dispose()


def test_a_set_type_and_phase_survive_the_stream(db: Database) -> None:
    """The rows read beside each set carry every column of its workout."""
    ann = lifter(db)
    with db() as store:
        legs = Workout(0, ann, NOW, NOW + timedelta(hours=1), Phase.DELOAD, "n", "Legs", "1:2:0")
        (workout,) = store.add_workouts(ann, [legs])
        store.add_sets(
            ann,
            [(workout.id, 1, NewSet("barbell-squat", 60, 5, set_type=SetType.WARM_UP), NOW)],
            now=NOW,
        )
        store.commit()
    with db() as store:
        ((workouts, sets),) = list(store.set_chunks(ann))
        assert workouts == {workout.id: workout} and sets == store.sets(ann)


def test_a_server_streams_two_exports_at_once_one_per_lifter(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages.history, "_exporting", set())  # this test's own slots
    assert pages.history.export_slot(1) and not pages.history.export_slot(1)  # one per lifter
    assert pages.history.export_slot(2) and not pages.history.export_slot(3)  # two at once
    assert list(pages.history.releasing_slot(iter(["a", "b"]), 1)) == ["a", "b"]
    assert pages.history.export_slot(3)  # the first one is done: its slot is free
    dropped = pages.history.releasing_slot(iter(["never read"]), 2)
    del dropped  # a client gone before its first byte
    assert pages.history.export_slot(4)
    ann = _sign_in_page(client)
    pages.history.free_export_slot(4)
    assert pages.history.export_slot(ann)  # Ann's own export is still on its way
    busy = client.get("/export/json")
    assert busy.status_code == 429 and busy.headers["retry-after"] == "60"
    pages.history.free_export_slot(ann)
    assert client.get("/export/json").status_code == 200
    pages.history.free_export_slot(3)
    assert pages.history.export_slot(5) and pages.history.export_slot(6)  # every slot given back
    pages.history.free_export_slot(5)
    pages.history.free_export_slot(6)

"""The training log on the command line: lifters, workouts, log → next, history, serve."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from failwise.adapters.cli import app
from failwise.storage.database import Database

runner = CliRunner()

SQUAT = "Squat (Barbell)"


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Every test gets its own SQLite file and starts as the local lifter."""
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    # Tables as wide as a roomy terminal, whatever terminal runs the tests.
    monkeypatch.setenv("COLUMNS", "120")
    return sqlite_url


def invoke(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def ok(*args: str, stdin: str | None = None) -> Result:
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def run_json(*args: str, stdin: str | None = None) -> Any:
    return json.loads(ok(*args, "--json", stdin=stdin).stdout)


def stored_sets(url: str) -> int:
    """Every set in the database, whoever logged it."""
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            count: int = connection.execute(text("SELECT count(*) FROM sets")).scalar_one()
    finally:
        database.dispose()
    return count


def create_user(name: str, password: str = "correct horse") -> Any:
    return run_json("user", "create", name, "--password-stdin", stdin=password + "\n")


def test_the_local_lifter_logs_without_signing_up_and_gets_the_next_load(database: str) -> None:
    data = run_json("log", SQUAT, "140", "5", "--rir", "2", "--spotter")
    assert set(data) == {"set", "next", "created", "warning", "records", "record"}
    assert data["created"] is True and data["warning"] is None
    assert data["records"] == [] and data["record"] is None  # a first set claims no record
    logged = data["set"]
    assert logged["exercise"]["name"] == SQUAT
    assert (logged["load"], logged["reps"], logged["rir"], logged["rpe"]) == (140.0, 5, 2.0, 8.0)
    # The plan for set 1 of 3 (RIR 1–3 on a heavy compound) is stored as its target.
    assert logged["target_rir"] == {"min": 1.0, "max": 3.0}
    following = data["next"]
    assert (following["set_number"], following["total_sets"]) == (2, 3)
    assert following["failure"] == "avoid" and following["exercise_done"] is False
    # On target (5 at RIR 2 for RIR 1–3): the load holds.
    assert following["load"] == 140.0 and following["unit"] == "kg"
    assert following["reps"] == 5 and following["e1rm"] > 140
    assert following["target_rir"]["min"] <= following["aim_rir"] <= following["target_rir"]["max"]
    assert stored_sets(database) == 1


def test_log_prints_what_was_stored_and_the_next_set(database: str) -> None:
    result = ok("log", SQUAT, "140", "5", "--rpe", "8", "--sets", "4", "--spotter")
    assert "Logged Squat (Barbell): 140 kg × 5 at RIR 2 (RPE 8)" in result.stdout
    assert "AVOID" in result.stdout and "heavy-compound" in result.stdout
    assert "Next: set 2 of 4 — 5 × " in result.stdout and "kg at RIR 1–3" in result.stdout
    following = run_json("next", SQUAT, "--sets", "4", "--spotter")
    assert following["set_number"] == 2 and following["load"] is not None
    shown = ok("next", SQUAT, "--sets", "4", "--spotter")
    assert f"5 × {following['load']:g} kg at RIR 1–3" in shown.stdout


def test_following_the_plan_stores_it_as_the_target(database: str) -> None:
    ok("settings", "--spotter")
    planned = run_json("log", SQUAT, "140", "5", "--rir", "2")["next"]
    load = f"{planned['load']:g}"
    kept = run_json("log", SQUAT, load, "4", "--rir", "1")["set"]
    assert (kept["target_load"], kept["target_reps"]) == (planned["load"], 5)
    assert kept["target_rir"] == planned["target_rir"]
    # A load other than the plan's keeps only the effort target: 3 reps at a heavier
    # load are not a miss of 5 planned reps.
    heavier = run_json("log", SQUAT, str(planned["load"] + 20), "3", "--rir", "1")["set"]
    assert heavier["target_load"] is None and heavier["target_reps"] is None
    assert heavier["target_rir"] is not None
    shown = ok("workout", "show")
    assert f"{planned['load']:g} × 5 @ RIR 1–3" in shown.stdout
    assert f"{planned['load']:g} × 4 @ RIR 1" in shown.stdout


def test_a_retry_with_the_same_key_stores_once(database: str) -> None:
    first = run_json("log", SQUAT, "140", "5", "--rir", "2", "--key", "set-1")
    again = run_json("log", SQUAT, "140", "5", "--rir", "2", "--key", "set-1")
    assert first["created"] is True and again["created"] is False
    assert again["set"]["id"] == first["set"]["id"]
    assert stored_sets(database) == 1
    shown = ok("log", SQUAT, "140", "5", "--rir", "2", "--key", "set-1")
    assert "nothing stored again" in shown.stdout
    assert stored_sets(database) == 1


def test_workout_start_log_finish_and_show() -> None:
    started = run_json("workout", "start", "--phase", "deload", "--notes", "easy week")
    assert started["open"] is True and started["phase"] == "deload"
    assert started["notes"] == "easy week"
    clash = invoke("workout", "start")
    assert clash.exit_code == 1 and "is still open: finish it first" in clash.stderr
    logged = run_json("log", "Leg Extension (Machine)", "70", "12", "--rir", "3")
    assert logged["set"]["workout_id"] == started["id"]
    # A deload never goes near failure, whatever the exercise.
    assert logged["next"]["failure"] == "never"
    finished = run_json("workout", "finish")
    assert finished["id"] == started["id"] and finished["open"] is False
    assert [s["exercise"]["name"] for s in finished["sets"]] == ["Leg Extension (Machine)"]
    nothing_open = invoke("workout", "finish")
    assert nothing_open.exit_code == 1 and "no workout is open" in nothing_open.stderr
    latest = run_json("workout", "show")
    assert latest["id"] == started["id"] and len(latest["sets"]) == 1
    table = ok("workout", "show", str(started["id"]))
    for column in ("target", "actual", "RPE"):
        assert column in table.stdout
    assert "70 × 12 @ RIR 3" in table.stdout
    missing = invoke("workout", "show", "999")
    assert missing.exit_code == 1 and "no workout 999" in missing.stderr


def test_a_set_logged_without_a_workout_starts_one() -> None:
    none_yet = invoke("workout", "show")
    assert none_yet.exit_code == 1 and "no workouts yet" in none_yet.stderr
    logged = run_json("log", SQUAT, "100", "5", "--rir", "3")
    shown = run_json("workout", "show")
    assert shown["open"] is True and shown["id"] == logged["set"]["workout_id"]


def test_failure_on_a_never_set_is_warned_about() -> None:
    data = run_json("log", SQUAT, "140", "5", "--failure", "--alone")
    assert data["set"]["to_failure"] is True and data["set"]["rir"] == 0
    assert data["warning"] and "should never have gone to failure" in data["warning"]
    assert "training alone" in data["warning"]
    shown = ok("log", SQUAT, "140", "4", "--failure", "--alone")
    assert "should never have gone to failure" in shown.stdout


def test_an_rir_test_is_logged_as_a_set_to_failure() -> None:
    data = run_json(
        "log", "Leg Extension (Machine)", "60", "14", "--test-call", "10", "--test-rir", "2"
    )
    logged = data["set"]
    assert logged["test"] == {"reps_at_call": 10, "predicted_rir": 2.0}
    assert logged["to_failure"] is True and logged["rir"] == 0
    half = invoke("log", "Leg Extension (Machine)", "60", "14", "--test-call", "10")
    assert half.exit_code == 1 and "needs both" in half.stderr


def test_other_set_types_are_stored_without_a_target() -> None:
    warm_up = run_json("log", SQUAT, "60", "8", "--type", "warm-up")["set"]
    assert warm_up["set_type"] == "warm-up" and warm_up["target_rir"] is None
    assert warm_up["rir"] is None and warm_up["rpe"] is None


def test_history_by_day_and_e1rm_by_day(database: str) -> None:
    ok("log", SQUAT, "140", "5", "--rir", "2")
    ok("log", SQUAT, "140", "5", "--rir", "1")
    ok("log", "Bicep Curl (Cable)", "30", "12", "--rir", "1", "--notes", "slow eccentric")
    everything = run_json("history")
    assert everything["exercise"] is None
    assert len(everything["days"]) == 1
    (day,) = everything["days"]
    assert [s["exercise"]["name"] for s in day["sets"]] == [SQUAT, SQUAT, "Bicep Curl (Cable)"]
    assert day["sets"][2]["notes"] == "slow eccentric"
    squats = run_json("history", "squat barbell", "--weeks", "2")
    assert squats["exercise"]["name"] == SQUAT
    assert [len(d["sets"]) for d in squats["days"]] == [2]
    assert squats["days"][0]["e1rm"] > 140
    shown = ok("history", SQUAT)
    assert "Estimated 1RM by day" in shown.stdout and "140 × 5 @ RIR 2" in shown.stdout
    people = ok("history")
    assert "Bicep Curl (Cable)" in people.stdout


def test_history_with_nothing_logged() -> None:
    assert run_json("history")["days"] == []
    assert "No sets in the last 4 weeks" in ok("history").stdout


def test_a_named_lifter_sees_only_their_own_sets(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = create_user("ann")
    assert created["user"]["username"] == "ann"
    assert created["token_type"] == "bearer" and len(created["token"]) >= 32
    taken = invoke("user", "create", "ann", "--password-stdin", stdin="another one\n")
    assert taken.exit_code == 1 and "taken" in taken.stderr
    ok("log", SQUAT, "140", "5", "--rir", "2")
    ok("log", "Bench Press (Barbell)", "80", "8", "--rir", "2", "--user", "ann")
    mine = run_json("history", "--user", "ann")
    assert [s["exercise"]["name"] for d in mine["days"] for s in d["sets"]] == [
        "Bench Press (Barbell)"
    ]
    local = run_json("history")
    assert [s["exercise"]["name"] for d in local["days"] for s in d["sets"]] == [SQUAT]
    # Ann's squat has no e1RM of hers to go on: the local lifter's sets are not hers.
    assert run_json("next", SQUAT, "--user", "ann")["load"] is None
    monkeypatch.setenv("FAILWISE_USER", "ann")
    assert run_json("next", "Bench Press (Barbell)")["load"] is not None
    assert stored_sets(database) == 2


def test_an_unknown_lifter_is_an_error() -> None:
    result = invoke("next", SQUAT, "--user", "nobody")
    assert result.exit_code == 1
    assert "no lifter named 'nobody'" in result.stderr and "failwise user create" in result.stderr


def test_user_create_prompts_for_the_password_twice() -> None:
    result = ok("user", "create", "bob", stdin="correct horse\ncorrect horse\n")
    assert "Created lifter bob" in result.stdout and "Bearer" in result.stdout
    short = invoke("user", "create", "cat", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([SQUAT, "140", "5", "--rpe", "11"], "RPE 11 is not on the scale"),
        ([SQUAT, "-5", "5", "--rir", "2"], "load must be from 0 to 1000 kg, not -5 kg"),
        ([SQUAT, "inf", "5", "--rir", "2"], "load must be a number, not inf"),
        ([SQUAT, "1e9", "5", "--rir", "2"], "load must be from 0 to 1000 kg"),
        ([SQUAT, "140", "0", "--rir", "2"], "reps must be from 1 to 200"),
        ([SQUAT, "140", "5", "--rir", "1", "--rpe", "9"], "not both"),
        ([SQUAT, "140", "5", "--rir", "11"], "RIR 11 is not on the scale"),
        (["Sqaut (Barbel)", "140", "5"], "did you mean: Squat (Barbell)"),
    ],
)
def test_bad_input_is_an_error_on_stderr_and_stores_nothing(
    database: str, args: list[str], message: str
) -> None:
    result = invoke("log", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert stored_sets(database) == 0


def test_an_unreadable_database_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", "not a url")
    result = invoke("next", SQUAT)
    assert result.exit_code == 1 and "is not a database URL" in result.stderr


def test_serve_runs_the_web_app_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    help_text = ok("serve", "--help").stdout
    assert "--host" in help_text and "--port" in help_text
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    # Record the call instead of starting a server.
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    result = ok("serve", "--port", "8123")
    assert "http://127.0.0.1:8123" in result.stdout
    ((args, kwargs),) = calls
    assert args == ("failwise.adapters.web.app:create_app",)
    assert kwargs["factory"] is True and (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
    # X-Forwarded-For is nobody's to set unless a proxy is named (uvicorn trusts it from
    # 127.0.0.1 by default).
    assert kwargs["proxy_headers"] is False and kwargs["forwarded_allow_ips"] is None
    assert "X-Forwarded-For is ignored" in result.stdout


def test_serve_trusts_forwarded_headers_only_from_the_proxies_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    ok("serve", "--proxy-headers")
    ok("serve", "--proxy-headers", "--forwarded-allow-ips", "10.0.0.5, 192.168.1.0/24")
    assert [(c["proxy_headers"], c["forwarded_allow_ips"]) for c in calls] == [
        (True, "127.0.0.1"),
        (True, "10.0.0.5,192.168.1.0/24"),
    ]
    alone = invoke("serve", "--forwarded-allow-ips", "10.0.0.5")
    assert alone.exit_code == 1 and "give --proxy-headers too" in alone.stderr
    typo = invoke("serve", "--proxy-headers", "--forwarded-allow-ips", "10.0.0.l")
    assert typo.exit_code == 1 and "'10.0.0.l' is not an IP address" in typo.stderr
    assert len(calls) == 2


def test_postgresql_without_its_driver_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if failwise[postgresql] were not
    monkeypatch.setenv("FAILWISE_DATABASE_URL", "postgresql://failwise@127.0.0.1:1/failwise")
    result = invoke("history")
    assert result.exit_code == 1
    assert "install failwise[postgresql]" in result.stderr, result.stderr


def test_round_trip_on_postgresql(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", postgres_url)
    create_user("ann")
    started = run_json("workout", "start", "--user", "ann")
    first = run_json("log", SQUAT, "140", "5", "--rir", "2", "--key", "pg-1", "--user", "ann")
    again = run_json("log", SQUAT, "140", "5", "--rir", "2", "--key", "pg-1", "--user", "ann")
    assert first["created"] and not again["created"]
    assert first["set"]["workout_id"] == started["id"]
    assert first["next"]["load"] is not None
    finished = run_json("workout", "finish", "--user", "ann")
    assert len(finished["sets"]) == 1
    history = run_json("history", SQUAT, "--user", "ann")
    assert [len(d["sets"]) for d in history["days"]] == [1]
    assert run_json("history")["days"] == []
    assert stored_sets(postgres_url) == 1


def test_a_load_far_above_the_e1rm_is_logged_with_confirm(database: str) -> None:
    ok("log", "Seated Leg Curl (Machine)", "60", "10", "--rir", "2")
    asked = invoke("log", "Seated Leg Curl (Machine)", "600", "10", "--rir", "2")
    assert asked.exit_code != 0
    assert "far above your e1RM" in asked.output and "again with --confirm" in asked.output
    assert stored_sets(database) == 1
    ok("log", "Seated Leg Curl (Machine)", "600", "10", "--rir", "2", "--confirm")
    assert stored_sets(database) == 2

"""The commands that need no stored data start without the database or the web app,
and, asked for JSON, without Rich's console.

A lifter asking ``failwise prescribe`` between sets waits for every library the
command imports: each command below runs in a fresh interpreter, and what it
imported is read from ``sys.modules`` afterwards. (How long it takes is for
``python -m bench cli-start``; nothing here is timed.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import failwise

SOURCES = Path(failwise.__file__).parent.parent

# Database and web libraries, what only signing in needs (password hashing and the list of
# common passwords), and numpy (only a whole history's analysis reads columns): a command
# on no stored data has no use for any of them.
# (platformdirs it may use: it finds the user's cache directory, where the parsed
# exercise catalog is kept.)
NOT_FOR_PURE_COMMANDS = {
    "numpy",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "sqlite3",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "multipart",
    "python_multipart",
    "httpx",
    "argon2",
    "zxcvbn",
    "failwise.storage",
    "failwise.adapters.web",
    "failwise.services.training",
    "failwise.services.accounts",
}

# What only printing for people needs: asked for --json, a command prints without them.
NOT_FOR_JSON = {"rich.console", "rich.table", "rich.panel"}

# Runs the command line as the console script does, then writes down every module loaded.
RUN_AND_LIST_MODULES = """
import json, sys
from failwise.adapters.cli import app
try:
    app(sys.argv[2:], prog_name="failwise")
except SystemExit as stop:
    code = stop.code
else:
    code = 0
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def run_fresh(tmp_path: Path, *args: str) -> tuple[object, set[str]]:
    """The command's JSON answer, and the modules it imported, from a new interpreter."""
    listing = tmp_path / "modules.json"
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(SOURCES), *filter(None, [environment.get("PYTHONPATH")])]
    )
    # Pointed nowhere: were a command to open the database anyway, it could touch no real one.
    environment["FAILWISE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'never-opened.sqlite3'}"
    # The test's own cache directory (where platformdirs looks on Linux).
    environment["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, str(listing), *args, "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(listing.read_text(encoding="utf-8"))
    assert record["code"] == 0, done.stderr
    return json.loads(done.stdout), set(record["modules"])


def forbidden(modules: set[str]) -> set[str]:
    return {
        name
        for name in modules
        if any(
            name == top or name.startswith(f"{top}.")
            for top in NOT_FOR_PURE_COMMANDS | NOT_FOR_JSON
        )
    }


def test_prescribe_in_a_fresh_interpreter_imports_no_database_and_still_answers(
    tmp_path: Path,
) -> None:
    answer, modules = run_fresh(tmp_path, "prescribe", "Squat (Barbell)", "--set", "3")
    assert forbidden(modules) == set()
    # The last set of a squat done alone: never to failure (no one to catch the bar).
    assert isinstance(answer, dict)
    assert answer["exercise"]["name"] == "Squat (Barbell)"
    assert answer["failure"] == "never"
    assert answer["reasons"][0]["rule"] == "alone-risky"
    assert not tmp_path.joinpath("never-opened.sqlite3").exists()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="XDG_CACHE_HOME places the cache on Linux"
)
def test_prescribe_reads_the_catalog_from_the_cache_its_first_run_wrote(tmp_path: Path) -> None:
    """The first run parses exercises.toml and keeps the records; the next one reads
    them back without the TOML parser, and answers the same."""
    first, first_modules = run_fresh(tmp_path, "prescribe", "Lateral Raise (Dumbbell)")
    second, second_modules = run_fresh(tmp_path, "prescribe", "Lateral Raise (Dumbbell)")
    assert "tomllib" in first_modules
    assert "tomllib" not in second_modules
    assert second == first
    assert isinstance(second, dict) and second["exercise"]["id"] == "dumbbell-lateral-raise"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # 100 kg × 5 at RPE 8 (2 in reserve): 7 reps to failure, Epley 100 × (1 + 7/30).
        (("e1rm", "--load", "100", "--reps", "5", "--rpe", "8"), {"e1rm": 123.33}),
        # 5 reps at RIR 2 from an e1RM of 140 kg: 112.5 kg on the bar.
        (("load", "--e1rm", "140", "--reps", "5", "--rir", "2"), {"rounded_load": 112.5}),
        # 142.5 kg on a 20 kg bar: 25 + 25 + 10 + 1.25 a side.
        (("plates", "142.5"), {"per_side": [25.0, 25.0, 10.0, 1.25]}),
    ],
)
def test_the_strength_math_imports_no_database(
    tmp_path: Path, args: tuple[str, ...], expected: dict[str, object]
) -> None:
    answer, modules = run_fresh(tmp_path, *args)
    assert forbidden(modules) == set()
    assert isinstance(answer, dict)
    assert {key: answer[key] for key in expected} == expected


def test_the_effort_scale_imports_no_database(tmp_path: Path) -> None:
    answer, modules = run_fresh(tmp_path, "scale")
    assert forbidden(modules) == set()
    # RPE 10 is failure itself: no rep left in reserve.
    assert isinstance(answer, list) and answer[0]["rpe"] == 10.0 and answer[0]["rir"] == 0.0


def test_a_command_on_the_log_still_finds_its_module(tmp_path: Path) -> None:
    """The other commands load when asked for: the import check is not vacuous."""
    listing = tmp_path / "modules.json"
    environment = dict(os.environ, PYTHONPATH=str(SOURCES))
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, str(listing), "serve", "--help"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Run the web app and the REST API" in done.stdout
    modules = set(json.loads(listing.read_text(encoding="utf-8"))["modules"])
    assert "failwise.adapters.cli.server" in modules


def test_a_command_run_as_a_program_builds_its_own_options_and_no_others(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typer makes a command's options from its signature: ``failwise plates`` makes the
    plates command's, not those of the eight others there from the start."""
    import typer.main

    from failwise.adapters.cli import app

    built: list[str] = []
    make = typer.main.get_command_from_info

    def counted(info: Any, **settings: Any) -> Any:
        built.append(info.name)
        return make(info, **settings)

    monkeypatch.setattr(typer.main, "get_command_from_info", counted)
    with pytest.raises(SystemExit) as stop:
        app(["plates", "142.5", "--json"], prog_name="failwise")
    assert stop.value.code == 0
    assert built == ["plates"]
    # 142.5 kg on a 20 kg bar: 61.25 kg a side, 25 + 25 + 10 + 1.25.
    answer = json.loads(capsys.readouterr().out)
    assert answer["per_side"] == [25, 25, 10, 1.25] and answer["total"] == 142.5

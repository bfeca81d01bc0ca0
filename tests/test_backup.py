"""Backup and restore reproduce every set, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from failwise.adapters.cli import app
from failwise.domain.errors import InvalidInput
from failwise.services.accounts import Accounts
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage import backup as backups
from failwise.storage.database import Database

runner = CliRunner()


def _sets(url: str) -> list[tuple[object, ...]]:
    db = Database(url)
    try:
        coach = Coach(db)
        with db() as store:
            users = [store.user_by_name(name) for name in ("ann", "bob")]
        return [
            (found[0].username, s.exercise_id, s.data.load, s.data.reps, s.data.rir, s.logged_at)
            for found in users
            if found
            for s in coach.insights.history(found[0].id)
        ]
    finally:
        db.dispose()


def test_backup_then_restore_reproduces_every_set(database_url: str, tmp_path: Path) -> None:
    db = Database(database_url)
    try:
        coach = Coach(db)
        for name in ("ann", "bob"):
            user = Accounts(db).sign_up(name, "correct horse").user.id
            for load in (100, 102.5, 105):
                coach.sets.log(user, LogRequest("Squat (Barbell)", load, 5, rir=2))
    finally:
        db.dispose()
    before = _sets(database_url)
    assert len(before) == 6
    file = tmp_path / "failwise.backup"
    backups.backup(file, database_url)
    # Lose a set after the backup, then restore: the backup's state comes back.
    db = Database(database_url)
    try:
        coach = Coach(db)
        with db() as store:
            found = store.user_by_name("ann")
        assert found is not None
        coach.sets.delete(found[0].id, coach.insights.history(found[0].id)[0].id)
    finally:
        db.dispose()
    assert len(_sets(database_url)) == 5
    backups.restore(file, database_url)
    assert _sets(database_url) == before


def test_backup_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no database"):
        backups.backup(tmp_path / "x.backup", f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    Database(target).dispose()
    with pytest.raises(InvalidInput, match="not a SQLite backup"):
        backups.restore(junk, target)


def test_backup_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FAILWISE_DATABASE_URL", url)
    assert runner.invoke(app, ["log", "Squat (Barbell)", "100", "5", "--rir", "2"]).exit_code == 0
    file = tmp_path / "cli.backup"
    assert runner.invoke(app, ["backup", str(file)]).exit_code == 0
    assert runner.invoke(app, ["log", "Squat (Barbell)", "105", "5", "--rir", "2"]).exit_code == 0
    refused = runner.invoke(app, ["restore", str(file)], input="n\n")
    assert refused.exit_code == 1
    assert runner.invoke(app, ["restore", str(file), "--yes"]).exit_code == 0
    history = runner.invoke(app, ["history", "--json"])
    assert history.stdout.count('"load": 100') == 1 and '"load": 105' not in history.stdout

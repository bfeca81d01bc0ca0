"""How durable an acknowledged set is on SQLite: ``synchronous=FULL`` unless the install
chooses ``NORMAL`` (``FAILWISE_SQLITE_SYNCHRONOUS``), checked on real connections."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from failwise.domain.errors import InvalidInput
from failwise.storage.database import Database

# SQLite's own numbers for PRAGMA synchronous (https://sqlite.org/pragma.html#pragma_synchronous).
NORMAL, FULL = 1, 2


def _in_force(tmp_path: Path) -> tuple[int, str]:
    """``synchronous`` and ``journal_mode`` on a connection of a freshly opened database."""
    database = Database(f"sqlite:///{tmp_path / 'failwise.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            synchronous = connection.scalar(text("PRAGMA synchronous"))
            journal = connection.scalar(text("PRAGMA journal_mode"))
        return int(synchronous), str(journal)
    finally:
        database.dispose()


def test_a_logged_set_is_synced_to_disk_at_commit_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lifter's set the server acknowledged survives a power cut: FULL, in WAL mode."""
    monkeypatch.delenv("FAILWISE_SQLITE_SYNCHRONOUS", raising=False)
    assert _in_force(tmp_path) == (FULL, "wal")


@pytest.mark.parametrize(("setting", "expected"), [("NORMAL", NORMAL), ("full", FULL)])
def test_the_install_can_choose_normal_or_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, expected: int
) -> None:
    monkeypatch.setenv("FAILWISE_SQLITE_SYNCHRONOUS", setting)
    assert _in_force(tmp_path) == (expected, "wal")


@pytest.mark.parametrize("setting", ["OFF", "extra", "2"])
def test_a_setting_that_is_not_full_or_normal_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """OFF would lose sets on an operating-system crash: never run with it, nor with a typo."""
    monkeypatch.setenv("FAILWISE_SQLITE_SYNCHRONOUS", setting)
    with pytest.raises(InvalidInput, match=f"FAILWISE_SQLITE_SYNCHRONOUS='{setting}'"):
        Database(f"sqlite:///{tmp_path / 'failwise.sqlite3'}")
    assert not (tmp_path / "failwise.sqlite3").exists()

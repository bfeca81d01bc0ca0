"""The sets' table after an import was made faster (migration 0010: a set's lifter is held
by its workout's key alone): a history imported before re-imports as nothing after, a
deleted lifter takes their sets along, and no set can name a lifter who does not exist."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from failwise.adapters.importers import parse, read_text
from failwise.domain.context import Phase
from failwise.services.accounts import Accounts
from failwise.services.core import Core
from failwise.services.imports import HistoryImporter, ParsedFile
from failwise.services.records import NewSet
from failwise.storage.database import Database, downgrade, make_engine, upgrade

EXPORT = Path(__file__).parent / "data" / "exports" / "strong_2023.csv"
BEFORE = "0009"  # the revision before the sets lost their own key into users
T0 = datetime(2026, 3, 2, 18, 0)


def strong_export() -> ParsedFile:
    parsed = parse(read_text(EXPORT.read_bytes()))
    assert isinstance(parsed, ParsedFile)
    return parsed


def test_a_file_imported_before_the_upgrade_reimports_as_nothing_after_it(
    database_url: str,
) -> None:
    """Imported, then the schema taken back to before 0010 and up again (the sets as the
    older schema held them, through the upgrade): the same file imports as nothing new."""
    db = Database(database_url)
    try:
        lifter = Accounts(db).sign_up("ann", "correct horse").user.id
        first = HistoryImporter(Core(db)).import_file(lifter, strong_export())
        with db() as store:
            before = store.sets(lifter)
    finally:
        db.dispose()
    assert first.sets > 0
    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            held = connection.execute(text("SELECT count(*) FROM sets")).scalar()
        assert held == first.sets
        upgrade(engine)
    finally:
        engine.dispose()
    db = Database(database_url)
    try:
        again = HistoryImporter(Core(db)).import_file(lifter, strong_export())
        with db() as store:
            assert store.sets(lifter) == before
    finally:
        db.dispose()
    assert (again.sets, again.workouts, again.duplicates) == (0, 0, first.sets)


def test_deleting_a_lifter_takes_their_sets_and_no_other_lifters(database_url: str) -> None:
    db = Database(database_url)
    try:
        accounts = Accounts(db)
        ann = accounts.sign_up("ann", "correct horse").user.id
        bob = accounts.sign_up("bob", "correct horse").user.id
        with db() as store:
            for lifter in (ann, bob):
                workout = store.add_workout(lifter, started_at=T0, phase=Phase.NORMAL, notes="")
                store.add_set(
                    lifter,
                    workout.id,
                    NewSet("barbell-back-squat", 140.0, 5, 1.0),
                    logged_at=T0,
                    now=T0,
                )
            store.commit()
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM users WHERE id = :ann"), {"ann": ann})
        with db.engine.connect() as connection:
            owners = connection.execute(text("SELECT user_id FROM sets")).scalars().all()
        assert owners == [bob]
    finally:
        db.dispose()


def test_a_set_cannot_name_a_lifter_who_does_not_exist(database_url: str) -> None:
    db = Database(database_url)
    try:
        lifter = Accounts(db).sign_up("ann", "correct horse").user.id
        with db() as store:
            workout = store.add_workout(lifter, started_at=T0, phase=Phase.NORMAL, notes="")
            store.commit()
        row = NewSet("barbell-back-squat", 140.0, 5, 1.0)
        with db() as store, pytest.raises(IntegrityError):
            store.add_sets(lifter + 1, [(workout.id, 1, row, T0)], now=T0)
    finally:
        db.dispose()

"""Storage: migrations, and the store's lifter isolation, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from failwise.domain.context import Phase
from failwise.services.ports import Conflict, DuplicateKey
from failwise.services.records import Measurement, NewSet, Readiness
from failwise.storage.database import Database, downgrade, make_engine, table_names, upgrade
from failwise.storage.tables import Base

T0 = datetime(2026, 3, 2, 18, 0)
T1 = datetime(2026, 4, 1, 18, 0)
TABLES = {
    "users",
    "tokens",
    "custom_exercises",
    "workouts",
    "sets",
    "readiness",
    "measurements",
    "plans",
}


def test_migrations_upgrade_an_empty_database_and_downgrade_cleanly(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert table_names(engine) == set()
        upgrade(engine)
        assert table_names(engine) >= TABLES
        downgrade(engine, "base")
        assert table_names(engine) <= {"alembic_version"}
        upgrade(engine)
        assert table_names(engine) >= TABLES
    finally:
        engine.dispose()


def test_store_round_trip_and_isolation(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db() as store:
            ann = store.add_user("ann", "hash-a", {"unit": "kg"})
            bob = store.add_user("bob", "hash-b", {})
            workout = store.add_workout(ann.id, started_at=T0, phase=Phase.NORMAL, notes="legs")
            first = store.add_set(
                ann.id,
                workout.id,
                NewSet("barbell-back-squat", 140.0, 5, 2.0, idempotency_key="k1"),
                logged_at=T0,
                now=T0,
            )
            second = store.add_set(
                ann.id,
                workout.id,
                NewSet("barbell-back-squat", 140.0, 5, 1.0),
                logged_at=T0,
                now=T0,
            )
            store.put_readiness(ann.id, Readiness(date(2026, 3, 2), 4, 3, 5))
            store.put_readiness(ann.id, Readiness(date(2026, 3, 2), 2, 3, 5))
            store.add_measurement(
                ann.id, Measurement(date(2026, 3, 2), 82.5, 180, None, {"waist": 84})
            )
            store.commit()
        assert (first.position, second.position) == (1, 2)
        with db() as store:
            assert [s.id for s in store.sets(ann.id)] == [first.id, second.id]
            assert store.sets(bob.id) == []
            assert store.get_set(bob.id, first.id) is None
            assert store.workout(bob.id, workout.id) is None
            assert not store.delete_set(bob.id, first.id)
            assert store.set_by_key(bob.id, "k1") is None
            assert store.set_by_key(ann.id, "k1") == first
            assert store.readiness(ann.id) == [Readiness(date(2026, 3, 2), 2, 3, 5)]
            assert store.readiness(bob.id) == []
            assert store.measurements(ann.id)[0].circumferences_cm == {"waist": 84}
        with db() as store, pytest.raises(DuplicateKey):
            store.add_set(
                ann.id,
                workout.id,
                NewSet("barbell-back-squat", 1.0, 1, idempotency_key="k1"),
                logged_at=T0,
                now=T0,
            )
        with db() as store, pytest.raises(Conflict, match="taken"):
            store.add_user("ann", "x", {})
        with db() as store:
            assert len(store.sets(ann.id)) == 2, "the failed insert left nothing behind"
    finally:
        db.dispose()


def test_uncommitted_work_is_rolled_back(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db() as store:
            user = store.add_user("cat", "h", {})
            store.commit()
        with db() as store:
            store.add_workout(user.id, started_at=T0, phase=Phase.NORMAL, notes="")
            # no commit: as if the request crashed here
        with db() as store:
            assert store.workouts(user.id) == []
    finally:
        db.dispose()


def test_the_migrations_build_exactly_the_tables_the_code_declares(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_usernames_differing_only_by_case_are_one_lifter(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db() as store:
            carol = store.add_user("carol", "h", {})
            store.commit()
        with db() as store, pytest.raises(Conflict, match="'Carol' is taken"):
            store.add_user("Carol", "h", {})
        with db() as store:
            found = store.user_by_name("CAROL")
            assert found is not None and found[0].id == carol.id
            assert found[0].username == "carol"
    finally:
        db.dispose()


def test_the_upgrade_renames_lifters_whose_names_differ_only_by_case(database_url: str) -> None:
    """Before 0005 ``carol``, ``Carol`` and ``CAROL`` could be three lifters: the oldest keeps
    the name, the others get the first free ``-N``, and nobody loses a set or a session."""
    engine = make_engine(database_url)
    ids: dict[str, int] = {}
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            for name in ("carol", "Carol", "carol-2", "CAROL"):  # oldest first
                connection.execute(
                    text(
                        "INSERT INTO users (username, password_hash, created_at, settings) "
                        "VALUES (:name, 'h', :at, '{}')"
                    ),
                    {"name": name, "at": T0},
                )
                ids[name] = connection.execute(
                    text("SELECT id FROM users WHERE username = :name"), {"name": name}
                ).scalar_one()
                connection.execute(
                    text(
                        "INSERT INTO tokens (user_id, token_hash, kind, created_at, expires_at) "
                        "VALUES (:id, :token, 'bearer', :at, :expires)"
                    ),
                    {"id": ids[name], "token": f"token of {name}", "at": T0, "expires": T1},
                )
                connection.execute(
                    text(
                        "INSERT INTO workouts (user_id, started_at, phase, notes, name) "
                        "VALUES (:id, :at, 'normal', :notes, '')"
                    ),
                    {"id": ids[name], "at": T0, "notes": f"{name}'s legs"},
                )
        upgrade(engine)
    finally:
        engine.dispose()
    db = Database(database_url)
    try:
        with db() as store:
            names = {}
            for before, user_id in ids.items():
                user = store.user(user_id)
                assert user is not None
                names[before] = user.username
                assert store.workouts(user_id)[0].notes == f"{before}'s legs"
                signed_in = store.token_lifter(f"token of {before}", T0)
                assert signed_in is not None and signed_in[0].id == user_id
            assert names == {
                "carol": "carol",
                "Carol": "Carol-3",
                "carol-2": "carol-2",
                "CAROL": "CAROL-4",
            }
            found = store.user_by_name("CAROL-3")
            assert found is not None and found[0].id == ids["Carol"]
        with db() as store, pytest.raises(Conflict, match="taken"):
            store.add_user("Carol-2", "h", {})
        with db() as store:
            assert store.add_user("carol-5", "h", {}).username == "carol-5"
            store.commit()
    finally:
        db.dispose()
    engine = make_engine(database_url)
    try:
        downgrade(engine, "0004")
        upgrade(engine)
    finally:
        engine.dispose()


def test_a_logged_set_stores_every_value_a_set_has() -> None:
    """The one-statement insert of a logged set (storage.statements) binds exactly the
    columns a set's values fill: none is left at its default, none is bound twice."""
    from failwise.services.records import NewSet
    from failwise.storage.rows import SET_VALUE_COLUMNS, set_columns

    filled = set_columns(NewSet("barbell-back-squat", 140.0, 5, 2.0))
    assert sorted(SET_VALUE_COLUMNS) == sorted(filled)

"""Storage: migrations, and the store's lifter isolation, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from failwise.domain.context import Phase
from failwise.services.ports import Conflict, DuplicateKey
from failwise.services.records import Measurement, NewSet, Readiness
from failwise.storage.database import Database, downgrade, make_engine, table_names, upgrade
from failwise.storage.tables import Base

T0 = datetime(2026, 3, 2, 18, 0)
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

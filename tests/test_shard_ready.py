"""The schema is ready to shard by lifter (Citus): checked from the models and from a
database the migrations built, on SQLite and PostgreSQL; and the migration to it keeps
every row and every id."""

from __future__ import annotations

import multiprocessing
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, MetaData, UniqueConstraint, inspect, text

from failwise.domain.context import Phase
from failwise.services.ports import Store
from failwise.services.records import Measurement, NewSet, Readiness
from failwise.storage.database import Database, make_engine, upgrade
from failwise.storage.tables import LIFTER_TABLES, LOCAL_TABLES, REFERENCE_TABLES, Base

T0 = datetime(2026, 3, 2, 18, 0)
T1 = datetime(2026, 4, 1, 18, 0)
BEFORE = "0007"  # the revision before the lifter tables were keyed by user_id


@dataclass
class Shape:
    """What Citus looks at in a table: its keys and its unique constraints and indexes."""

    columns: set[str]
    primary_key: list[str]
    uniques: list[list[str]] = field(default_factory=list)
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)


def shapes_of_models(metadata: MetaData) -> dict[str, Shape]:
    shapes = {}
    for table in metadata.tables.values():
        shape = Shape({c.name for c in table.columns}, [c.name for c in table.primary_key])
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                shape.uniques.append([c.name for c in constraint.columns])
        shape.uniques += [[c.name for c in i.columns] for i in table.indexes if i.unique]
        shape.uniques += [[c.name] for c in table.columns if c.unique]
        for key in table.foreign_key_constraints:
            shape.foreign_keys.append(
                (key.column_keys, key.referred_table.name, [e.column.name for e in key.elements])
            )
        shapes[table.name] = shape
    return shapes


def shapes_of_database(engine: Engine) -> dict[str, Shape]:
    seen = inspect(engine)
    shapes = {}
    for name in seen.get_table_names():
        if name == "alembic_version":
            continue
        shape = Shape(
            {c["name"] for c in seen.get_columns(name)},
            list(seen.get_pk_constraint(name)["constrained_columns"]),
        )
        shape.uniques += [list(u["column_names"]) for u in seen.get_unique_constraints(name)]
        shape.uniques += [list(i["column_names"]) for i in seen.get_indexes(name) if i["unique"]]
        for key in seen.get_foreign_keys(name):
            shape.foreign_keys.append(
                (key["constrained_columns"], key["referred_table"], key["referred_columns"])
            )
        shapes[name] = shape
    return shapes


def shard_problems(shapes: dict[str, Shape]) -> list[str]:
    """Whatever would stop ``create_distributed_table(<lifter table>, 'user_id')``."""
    problems = []
    placed = [*LIFTER_TABLES, *REFERENCE_TABLES, *LOCAL_TABLES]
    if sorted(placed) != sorted(shapes):
        problems.append(f"tables not placed exactly once: {sorted(placed)} vs {sorted(shapes)}")
    for name in LIFTER_TABLES:
        shape = shapes.get(name, Shape(set(), []))
        if "user_id" not in shape.columns:
            problems.append(f"{name} has no user_id")
        if "user_id" not in shape.primary_key:
            problems.append(f"{name}: primary key {shape.primary_key} lacks user_id")
        for unique in shape.uniques:
            if "user_id" not in unique:
                problems.append(f"{name}: unique {unique} lacks user_id")
        for local, referred, remote in shape.foreign_keys:
            if referred in LIFTER_TABLES and (
                "user_id" not in local or remote[local.index("user_id")] != "user_id"
            ):
                problems.append(f"{name}: key {local} → {referred}{remote} is not by lifter")
            if referred in LOCAL_TABLES:
                problems.append(f"{name}: key into the local table {referred}")
    for name in (*REFERENCE_TABLES, *LOCAL_TABLES):
        for _, referred, _ in shapes.get(name, Shape(set(), [])).foreign_keys:
            if referred in LIFTER_TABLES:
                problems.append(f"{name} (not distributed) has a key into {referred}")
    return problems


def test_the_models_are_ready_to_shard_by_lifter() -> None:
    assert shard_problems(shapes_of_models(Base.metadata)) == []


def test_the_check_finds_a_table_a_shard_could_not_hold() -> None:
    shapes = shapes_of_models(Base.metadata)
    shapes["sets"].primary_key = ["id"]
    shapes["sets"].foreign_keys.append((["workout_id"], "workouts", ["id"]))
    shapes["plans"].uniques.append(["name"])
    assert shard_problems(shapes) == [
        "sets: primary key ['id'] lacks user_id",
        "sets: key ['workout_id'] → workouts['id'] is not by lifter",
        "plans: unique ['name'] lacks user_id",
    ]


def test_the_migrated_database_is_ready_to_shard_by_lifter(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        assert shard_problems(shapes_of_database(engine)) == []
    finally:
        engine.dispose()


def test_the_readme_distributes_each_table_after_those_it_points_to() -> None:
    """The SQL in the README names every lifter table and every reference table, and
    distributes a table only once the tables its foreign keys point to are."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Scaling out on PostgreSQL (Citus)")[1].split("\n## ")[0]
    calls = re.findall(r"create_(distributed|reference)_table\('(\w+)'", section)
    assert sorted(name for kind, name in calls if kind == "distributed") == sorted(LIFTER_TABLES)
    assert sorted(name for kind, name in calls if kind == "reference") == sorted(REFERENCE_TABLES)
    done: set[str] = set()
    shapes = shapes_of_models(Base.metadata)
    for _, name in calls:
        pointed_to = {referred for _, referred, _ in shapes[name].foreign_keys} - {name}
        assert pointed_to <= done, f"{name} before {pointed_to - done}"
        done.add(name)


# --- the migration keeps every row and id ----------------------------------------------------
ROWS = {
    "users": "INSERT INTO users (id, username, username_key, password_hash, created_at, settings)"
    " VALUES (:id, :name, :name, 'h', :at, '{}')",
    "tokens": "INSERT INTO tokens (user_id, token_hash, kind, created_at, expires_at)"
    " VALUES (:user, :name, 'bearer', :at, :until)",
    "custom_exercises": "INSERT INTO custom_exercises (id, user_id, slug, record)"
    " VALUES (:id, :user, :name, '{}')",
    "workouts": "INSERT INTO workouts (id, user_id, started_at, phase, notes, name)"
    " VALUES (:id, :user, :at, 'normal', :name, '')",
    "sets": "INSERT INTO sets (id, user_id, workout_id, position, exercise_id, set_type, load,"
    " reps, to_failure, notes, logged_at, created_at, source, idempotency_key)"
    " VALUES (:id, :user, :workout, :id, 'barbell-back-squat', 'working', 140, 5, :no, :name,"
    " :at, :at, 'log', :key)",
    "readiness": "INSERT INTO readiness (id, user_id, day, sleep) VALUES (:id, :user, :day, 3)",
    "measurements": "INSERT INTO measurements (id, user_id, measured_on, body_weight_kg,"
    " circumferences_cm) VALUES (:id, :user, :day, 82.5, '{}')",
    "plans": "INSERT INTO plans (id, user_id, created_at, name, active, data, request)"
    " VALUES (:id, :user, :at, :name, :no, '{}', '{}')",
}


def _fill_before(engine: Engine) -> dict[str, set[tuple[int, int]]]:
    """Ann (1) and Bob (2) with rows in every table, the ids interleaved and with gaps (the
    rows deleted since): the (id, user_id) of every row."""
    stored: dict[str, set[tuple[int, int]]] = {}
    with engine.begin() as connection:
        for user, name in ((1, "ann"), (2, "bob")):
            connection.execute(text(ROWS["users"]), {"id": user, "name": name, "at": T0})
            connection.execute(
                text(ROWS["tokens"]), {"user": user, "name": f"token-{name}", "at": T0, "until": T1}
            )
        for table in (name for name in LIFTER_TABLES if name in ROWS):  # those of 0007
            ids = [3, 4, 9] if table != "workouts" else [5, 7, 8]
            for number, row_id in enumerate(ids):
                user = 1 if number != 1 else 2
                values = {
                    "id": row_id,
                    "user": user,
                    "name": f"{table}-{row_id}",
                    "key": f"key-{row_id}",
                    "at": T0,
                    "day": date(2026, 3, row_id),
                    "no": False,
                    "workout": {1: 5, 2: 7}[user],
                }
                connection.execute(text(ROWS[table]), values)
                stored.setdefault(table, set()).add((row_id, user))
    return stored


def _rows(engine: Engine, table: str) -> set[tuple[int, int]]:
    with engine.connect() as connection:
        return {
            (row_id, user)
            for row_id, user in connection.execute(text(f"SELECT id, user_id FROM {table}"))
        }


def test_the_upgrade_keeps_every_row_and_id_and_new_ids_go_on_after_them(
    database_url: str,
) -> None:
    """A lifter with a training log from before the upgrade finds every set, workout and
    plan under the id they had; the next set anyone logs gets an id no one has had."""
    engine = make_engine(database_url)
    try:
        upgrade(engine, BEFORE)
        before = _fill_before(engine)
        upgrade(engine)
        for table, rows in before.items():
            assert _rows(engine, table) == rows, table
        with engine.connect() as connection:
            sets = connection.execute(
                text("SELECT id, workout_id, notes FROM sets WHERE user_id = 2")
            ).all()
            assert sets == [(4, 7, "sets-4")]
            signed_in = connection.execute(
                text("SELECT user_id FROM tokens WHERE token_hash = 'token-bob'")
            ).scalar_one()
            assert signed_in == 2
            # Each lifter gets their state row (storage.tables.LifterStateRow) on the way.
            states = connection.execute(text("SELECT user_id FROM lifter_state")).scalars()
            assert sorted(states) == [1, 2]
    finally:
        engine.dispose()
    db = Database(database_url)
    try:
        with db() as store:
            ann_set = store.add_set(
                1, 5, NewSet("barbell-back-squat", 145.0, 5, 1.0), logged_at=T1, now=T1
            )
            bob_workout = store.add_workout(2, started_at=T1, phase=Phase.NORMAL, notes="")
            bob_set = store.add_set(
                2, bob_workout.id, NewSet("barbell-bench-press", 90.0, 5, 2.0), logged_at=T1, now=T1
            )
            store.put_readiness(2, Readiness(date(2026, 4, 1), 4, 2, 4))
            store.add_measurement(2, Measurement(date(2026, 4, 1), 90.0, None, None, {}))
            store.add_custom_exercise(2, {"id": "zercher-squat"})
            plan = store.save_plan(2, name="next", data={}, request={}, now=T1)
            store.commit()
        assert ann_set.id == 10 and bob_set.id == 11, "after the largest id, never reused"
        assert bob_workout.id == 9 and plan.id == 10
        with db() as store:
            assert store.get_set(2, ann_set.id) is None, "Ann's set is not Bob's to read"
            assert store.get_set(1, ann_set.id) == ann_set
            assert [s.id for s in store.sets(2)] == [4, 11]
            assert [s.id for s in store.sets(1)] == [3, 9, 10]
            assert [w.id for w in store.workouts(2)] == [9, 7]
            assert store.custom_exercises(2) == [{}, {"id": "zercher-squat"}]
    finally:
        db.dispose()


def test_deleting_a_workout_takes_its_sets_and_no_other_lifters(database_url: str) -> None:
    """The key of a set into its workout names the lifter too: deleting Ann's workout
    deletes her sets in it, and none of Bob's (whose workouts have other ids)."""
    db = Database(database_url)
    try:
        with db() as store:
            ann = store.add_user("ann", "h", {})
            bob = store.add_user("bob", "h", {})
            workouts = {}
            for lifter in (ann, bob):
                workouts[lifter.id] = store.add_workout(
                    lifter.id, started_at=T0, phase=Phase.NORMAL, notes=""
                )
                for reps in (5, 5, 4):
                    store.add_set(
                        lifter.id,
                        workouts[lifter.id].id,
                        NewSet("barbell-back-squat", 140.0, reps, 1.0),
                        logged_at=T0,
                        now=T0,
                    )
            store.commit()
        with db() as store:
            assert store.delete_workout(ann.id, workouts[ann.id].id)
            assert not store.delete_workout(ann.id, workouts[bob.id].id)
            store.commit()
        with db() as store:
            assert store.sets(ann.id) == []
            assert [s.data.reps for s in store.sets(bob.id)] == [5, 5, 4]
    finally:
        db.dispose()


# --- ids from several processes at once -------------------------------------------------------
WRITERS = 3
SETS_EACH = 20


def _log_sets(url: str, user_id: int, workout_id: int) -> list[int]:
    db = Database(url, migrate=False)
    ids = []
    try:
        for number in range(SETS_EACH):
            with db() as store:
                store.lock_lifter(user_id)
                stored = store.add_set(
                    user_id,
                    workout_id,
                    NewSet("barbell-back-squat", 100.0 + number, 5, 2.0),
                    logged_at=T0,
                    now=T0,
                )
                store.commit()
            ids.append(stored.id)
    finally:
        db.dispose()
    return ids


def test_lifters_logging_at_once_from_several_processes_get_distinct_ids(
    database_url: str,
) -> None:
    """Three lifters log sets at the same moment, each through their own server process:
    no set is lost and no two sets share an id, whoever logged them."""
    db = Database(database_url)
    try:
        lifters = []
        with db() as store:
            for name in ("ann", "bob", "cat"):
                user = store.add_user(name, "h", {})
                workout = store.add_workout(user.id, started_at=T0, phase=Phase.NORMAL, notes="")
                lifters.append((database_url, user.id, workout.id))
            store.commit()
    finally:
        db.dispose()
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        given = pool.starmap(_log_sets, lifters)
    every_id = [set_id for ids in given for set_id in ids]
    assert len(every_id) == WRITERS * SETS_EACH
    assert len(set(every_id)) == len(every_id), "two sets share an id"
    db = Database(database_url)
    try:
        with db() as store:
            for (_, user_id, _), ids in zip(lifters, given, strict=True):
                assert [s.id for s in store.sets(user_id)] == sorted(ids)
    finally:
        db.dispose()


def test_a_set_rolled_back_leaves_no_id_that_another_process_is_given_too(
    sqlite_url: str,
) -> None:
    """On SQLite a server process takes ids for the sets it logs a block at a time. A set
    whose transaction rolls back gives its block back to the sequence, where another
    process takes it: the first process's next set must not take an id from it again."""
    first, second = Database(sqlite_url), Database(sqlite_url, migrate=False)
    try:
        with first() as store:
            user = store.add_user("ann", "h", {})
            workout = store.add_workout(user.id, started_at=T0, phase=Phase.NORMAL, notes="")
            store.commit()

        def add(store: Store, reps: int) -> int:
            store.lock_lifter(user.id)
            new = NewSet("barbell-back-squat", 100.0, reps, 2.0)
            return store.add_set(user.id, workout.id, new, logged_at=T0, now=T0).id

        def log(db: Database, reps: int) -> int:
            with db() as store:
                given = add(store, reps)
                store.commit()
            return given

        given = []
        with first() as store:
            add(store, 1)
            store.rollback()
            given += [log(second, 2), log(second, 3)]
            given.append(add(store, 4))
            store.commit()
        given += [log(second, 5), log(first, 6)]
        assert len(set(given)) == len(given), f"two sets share an id: {given}"
        with first() as store:
            stored = store.sets(user.id)
        assert sorted(s.id for s in stored) == sorted(given)
        assert [s.data.reps for s in stored] == [2, 3, 4, 5, 6]
    finally:
        first.dispose()
        second.dispose()

"""The baseline of the set-logging benchmark: a bare Starlette endpoint, one INSERT.

``POST /api/sets`` parses the same JSON body failwise's endpoint takes
(``{exercise, load, reps, rir}``) and performs exactly one INSERT into
``bench_sets``, a plain table shaped like failwise's ``sets`` row (its own
table, so failwise's schema is never touched), through an engine made by
failwise's own :func:`failwise.storage.database.make_engine`. No auth, no
validation beyond parsing, no reads, no response model: the floor of what
logging a set over HTTP can cost on this machine and database.

``POST /noop`` answers the same request without touching the database: the
benchmark drives it once to show what the load generator can deliver.

Run with uvicorn's factory mode; the database URL comes from
``BENCH_DATABASE_URL``::

    BENCH_DATABASE_URL=sqlite:////tmp/b.sqlite3 \\
        python -m uvicorn bench.baseline_app:create_app --factory
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
)
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from failwise.storage.database import make_engine

URL_VARIABLE = "BENCH_DATABASE_URL"

metadata = MetaData()

# The columns of failwise's `sets` row, without its foreign keys and secondary indexes.
bench_sets = Table(
    "bench_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("workout_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("exercise_id", String(120), nullable=False),
    Column("set_type", String(16), nullable=False),
    Column("target_load", Float),
    Column("target_reps", Integer),
    Column("target_rir_low", Float),
    Column("target_rir_high", Float),
    Column("load", Float, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("rir", Float),
    Column("to_failure", Boolean, nullable=False),
    Column("failure_kind", String(16)),
    Column("test_reps_at_call", Integer),
    Column("test_predicted_rir", Float),
    Column("rest_seconds", Integer),
    Column("notes", Text, nullable=False),
    Column("logged_at", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("idempotency_key", String(128)),
)


def _insert(engine: Engine, values: dict[str, Any]) -> int:
    with engine.begin() as connection:
        result = connection.execute(insert(bench_sets).values(**values))
        (key,) = result.inserted_primary_key or (0,)
    return int(key)


def create_app(database_url: str | None = None) -> Starlette:
    """The baseline app on ``database_url`` (default: ``$BENCH_DATABASE_URL``)."""
    url = database_url or os.environ.get(URL_VARIABLE)
    if not url:
        raise RuntimeError(f"set {URL_VARIABLE} to the database to insert into")
    engine = make_engine(url)
    metadata.create_all(engine)

    async def log_set(request: Request) -> JSONResponse:
        body = await request.json()
        now = datetime.now(UTC).replace(tzinfo=None)
        values = {
            "user_id": 1,
            "workout_id": 1,
            "position": 1,
            "exercise_id": str(body["exercise"]),
            "set_type": "working",
            "load": float(body["load"]),
            "reps": int(body["reps"]),
            "rir": None if body.get("rir") is None else float(body["rir"]),
            "to_failure": False,
            "notes": "",
            "logged_at": now,
            "created_at": now,
            "idempotency_key": request.headers.get("idempotency-key"),
        }
        # Sync SQLAlchemy in the thread pool, as FastAPI runs a sync route.
        set_id = await run_in_threadpool(_insert, engine, values)
        return JSONResponse({"id": set_id, **body}, status_code=201)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        engine.dispose()

    async def echo(request: Request) -> JSONResponse:
        # The load generator's ceiling: the same request and answer, no database.
        body = await request.json()
        return JSONResponse({"id": 0, **body}, status_code=201)

    async def health(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/api/sets", log_set, methods=["POST"]),
            Route("/noop", echo, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )

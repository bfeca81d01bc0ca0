"""A real server process for the tests that need one: a free loopback port, a fresh
SQLite file, and the process ended (its log kept beside the database) afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
FAILWISE = str(Path(sys.executable).parent / "failwise")
"""The console script, as a user starts it."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def uvicorn_app(port: int) -> list[str]:
    """The command line of the app factory under uvicorn on ``port`` (no ``failwise serve``
    start-up banner or proxy checks: what the browser tests need)."""
    factory = "failwise.adapters.web.app:create_app"
    return [sys.executable, "-m", "uvicorn", factory, "--factory", "--port", str(port)]


def failwise_serve(*options: str) -> Callable[[int], list[str]]:
    """The command line of ``failwise serve`` on a port, with ``options``."""
    return lambda port: [FAILWISE, "serve", "--port", str(port), *options]


@contextmanager
def serving(
    folder: Path,
    command: Callable[[int], list[str]] | None = None,
    *,
    database_url: str | None = None,
    name: str = "server",
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The server ``command`` (by default ``failwise serve``) starts on a free port, once
    it answers ``/healthz``: its URL and its process. The database is ``database_url``,
    by default ``folder/failwise.sqlite3``; the server's output goes to
    ``folder/<name>.log``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = database_url or f"sqlite:///{folder / 'failwise.sqlite3'}"
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            (command or failwise_serve())(port),
            cwd=ROOT,
            env={**os.environ, "FAILWISE_DATABASE_URL": database_url},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if process.poll() is not None:
                    tail = log_path.read_text()[-2000:]
                    pytest.fail(f"the server exited: {tail}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer /healthz in {STARTUP_SECONDS} s")
                time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

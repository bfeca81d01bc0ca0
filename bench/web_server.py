"""A real failwise server on loopback for the web benchmarks, and a demo lifter signed in.

with running_app() as base_url:
    cookies = demo_lifter(base_url)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # all traffic stays on loopback
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_app(database_url: str | None = None) -> Iterator[str]:
    """``uvicorn failwise…create_app --factory`` (one worker) on a fresh SQLite file."""
    with tempfile.TemporaryDirectory(prefix="failwise-bench-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'failwise.sqlite3'}"
        port = free_port()
        log_path = Path(folder) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "failwise.adapters.web.app:create_app",
                    "--factory",
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env={**os.environ, "FAILWISE_DATABASE_URL": url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base_url = f"http://{HOST}:{port}"
            try:
                deadline = time.monotonic() + STARTUP_TIMEOUT
                while True:
                    if process.poll() is not None:
                        raise RuntimeError(f"the server exited:\n{log_path.read_text()[-2000:]}")
                    try:
                        if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"no answer from {base_url} in {STARTUP_TIMEOUT:.0f} s")
                    time.sleep(0.2)
                yield base_url
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def demo_lifter(base_url: str) -> httpx.Cookies:
    """The cookies of a browser that pressed "Try the demo" (a fresh demo lifter)."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        client.get("/signin").raise_for_status()
        token = client.cookies["failwise_csrf"]
        answer = client.post("/demo", data={"csrf_token": token})
        if answer.status_code != 303:
            raise RuntimeError(f"the demo did not start: {answer.status_code} {answer.text[:200]}")
        return client.cookies

"""Hostile bodies against a real ``failwise serve`` process: no stall, no memory kept.

A 25 MB JSON body (two million keys) once took a server 54 s to refuse, blocked
``/healthz`` meanwhile and left it 280 MB bigger. Here the same body, sent with
its length and without, is refused while ``/healthz`` stays quick, and the
server's resident memory afterwards stays within 50 MB of before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..servers import serving

ROOT = Path(__file__).resolve().parents[2]
BODY = (
    b'{"username": "ab", "password": "xxxxxxxx", '
    + b",".join(b'"k%d": 1' % i for i in range(2_000_000))
    + b"}"
)
MEMORY_SLACK_MB = 50.0


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    with serving(tmp_path_factory.mktemp("hostile")) as (url, process):
        yield url, process.pid


def _chunks() -> Iterator[bytes]:
    for start in range(0, len(BODY), 65_536):
        yield BODY[start : start + 65_536]


@pytest.mark.parametrize("with_length", [True, False], ids=["length", "chunked"])
def test_a_25_mb_json_body_is_refused_without_stalling_or_keeping_memory(
    server: tuple[str, int], with_length: bool
) -> None:
    url, pid = server
    httpx.get(f"{url}/healthz")
    before = _rss_mb(pid)
    health: list[float] = []

    def probe() -> None:
        for _ in range(10):
            started = time.monotonic()
            httpx.get(f"{url}/healthz", timeout=10)
            health.append(time.monotonic() - started)
            time.sleep(0.05)

    watcher = threading.Thread(target=probe)
    watcher.start()
    started = time.monotonic()
    try:
        answer = httpx.post(
            f"{url}/api/auth/signin",
            content=BODY if with_length else _chunks(),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        status, size = answer.status_code, len(answer.content)
    except httpx.TransportError:
        status, size = 413, 0  # the server closed the connection after its 413
    took = time.monotonic() - started
    watcher.join()
    assert status == 413 and size < 1024
    assert took < 5.0, f"{took:.1f} s to refuse"
    assert max(health) < 1.0, f"/healthz waited {max(health):.2f} s"
    after = _rss_mb(pid)
    assert after - before < MEMORY_SLACK_MB, (before, after)

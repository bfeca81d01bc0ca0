"""``failwise serve --workers 2``, a real server on loopback: both workers start on a
new database, the clients' connections are shared out over them, and every accepted
socket has TCP_NODELAY (without it an answer written in two pieces waits for the
client's delayed ACK, ~40 ms a request: what uvicorn's workers, sharing one listening
socket, gave every connection on asyncio's loop).

The sockets are read on the server's side: the test takes a copy of each worker's
accepted sockets (``pidfd_getfd``, Linux 5.6+) and asks the kernel for the option.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from .servers import failwise_serve, serving

WORKERS = 2
# Keep-alive clients. The kernel sends each to a worker by a hash: with 16, both workers
# get some but for a chance of 2 in 65,536.
CONNECTIONS = 16
STARTUP_SECONDS = 60
PIDFD_GETFD = 438  # the system call's number on x86-64 and arm64 alike

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"),
    reason="reads the server's sockets through /proc and pidfd_getfd (Linux)",
)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def workers_of(server: int) -> list[int]:
    """The worker processes under the ``failwise serve`` process (not the supervisor,
    not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (
                entry.name.isdigit()
                and _parent(int(entry.name)) == server
                and b"spawn_main" in (entry / "cmdline").read_bytes()
            ):
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while we looked
    return sorted(found)


def accepted_sockets(pid: int, port: int) -> list[int]:
    """The descriptors of ``pid`` that are connections accepted on ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(f"socket:[{fields[9]}]")  # 01: ESTABLISHED
    found = []
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(descriptor) in inodes:
                found.append(int(descriptor.name))
        except OSError:
            continue
    return found


def nodelay(pid: int, descriptor: int) -> bool:
    """TCP_NODELAY on the socket ``descriptor`` of process ``pid``, as the kernel has it."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        copy = libc.syscall(PIDFD_GETFD, pidfd, descriptor, 0)
        if copy < 0:
            error = ctypes.get_errno()
            pytest.skip(f"cannot read another process's socket here: {os.strerror(error)}")
        with socket.socket(fileno=copy) as connection:
            return bool(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    finally:
        os.close(pidfd)


def _all_workers_started(log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while log.read_text().count("Application startup complete") < WORKERS:
        if time.monotonic() > deadline:
            pytest.fail(f"not every worker started:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """``failwise serve --workers 2`` on a fresh SQLite file: its URL, pid and log."""
    folder = tmp_path_factory.mktemp("workers")
    with serving(folder, failwise_serve("--workers", str(WORKERS))) as (url, process):
        _all_workers_started(folder / "server.log")
        yield url, process.pid, folder / "server.log"


@pytest.fixture(scope="module")
def connected(server: tuple[str, int, Path]) -> Iterator[dict[int, list[int]]]:
    """Keep-alive clients that have each had an answer: each worker's accepted sockets
    while they stay open."""
    url, pid, _ = server
    port = int(url.rsplit(":", 1)[1])
    with ExitStack() as stack:
        for _ in range(CONNECTIONS):
            client = stack.enter_context(httpx.Client(base_url=url, timeout=30))
            assert client.get("/healthz").status_code == 200
        yield {worker: accepted_sockets(worker, port) for worker in workers_of(pid)}


def test_the_schema_is_made_once_and_both_workers_start(server: tuple[str, int, Path]) -> None:
    """Two workers on a new database: neither trips over the other's migrations."""
    _, pid, log = server
    assert len(workers_of(pid)) == WORKERS
    text = log.read_text()
    assert "Traceback" not in text and "died" not in text, text
    # On SQLite the lifter is told what a second worker does not buy.
    assert "one writes at a time" in " ".join(text.split()), text


def test_every_accepted_connection_has_tcp_nodelay(connected: dict[int, list[int]]) -> None:
    held = {(worker, fd) for worker, fds in connected.items() for fd in fds}
    assert len(held) == CONNECTIONS  # every client's connection, found on the server's side
    assert all(nodelay(worker, fd) for worker, fd in held)


def test_the_connections_are_shared_out_over_both_workers(
    connected: dict[int, list[int]],
) -> None:
    """No worker sits idle while the other holds every client (uvicorn's shared socket
    gave one worker 7 or 8 of 8 clients in the set-logging benchmark)."""
    assert len(connected) == WORKERS
    assert all(connected.values()), {worker: len(fds) for worker, fds in connected.items()}

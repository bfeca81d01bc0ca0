"""Several uvicorn worker processes, each accepting connections on a socket of its own.

uvicorn's ``--workers N`` binds one listening socket in its supervisor and hands the
same socket to every worker. Whichever worker is awake when clients connect accepts
them, and an event loop accepts every connection waiting at each wake-up: a burst
of new keep-alive clients can all land on one worker while the other idles (the
set-logging benchmark saw 7 of 8, and 8 of 8).

On Linux each worker here binds a socket of its own to the address, with
``SO_REUSEPORT``, and the kernel shares new connections out among the workers'
sockets by a hash of each connection's addresses and ports, whoever is awake. The
sockets are made as TCP sockets, so every accepted connection gets ``TCP_NODELAY``
on asyncio's loop as on uvloop's. The supervisor (uvicorn's: it restarts a worker
that dies, replaces them all on SIGHUP and stops them on SIGTERM) holds the port
with a socket that never listens, so no connection waits on it. Elsewhere (no
``SO_REUSEPORT``, or the BSD kind that does not balance) it is uvicorn's own
``--workers``.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from failwise.domain.errors import InvalidInput


class _ListeningInEachWorker(socket.socket):
    """The supervisor's hold on the address; a worker that receives it binds its own."""

    def __reduce__(self) -> tuple[Any, ...]:
        # uvicorn sends its workers the sockets by pickling them (multiprocessing's spawn).
        family, address = self.family, self.getsockname()
        return (bind_reusing_port, (family, address))


def bind_reusing_port(family: int, address: Any) -> socket.socket:
    """A TCP socket bound to ``address`` that other processes can bind too (not listening
    yet: uvicorn's server does it)."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def balances_connections() -> bool:
    """Whether this system shares connections out over sockets bound with SO_REUSEPORT."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def run(app: str, *, host: str, port: int, workers: int, **options: Any) -> None:
    """uvicorn serving ``app`` (an import string) from ``workers`` processes on
    ``host:port``; ``options`` are :class:`uvicorn.Config`'s."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if workers == 1 or not balances_connections():
        uvicorn.run(app, host=host, port=port, workers=workers, **options)
        return
    config = uvicorn.Config(app, host=host, port=port, workers=workers, **options)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    held = _ListeningInEachWorker(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            held.bind((host, port))
        except OSError as error:
            raise InvalidInput(f"cannot listen on {host}:{port}: {error.strerror}") from None
        Multiprocess(config, sockets=[held]).run()
    finally:
        held.close()

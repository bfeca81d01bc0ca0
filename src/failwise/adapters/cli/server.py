"""``failwise serve``: the web app and its API on this install's database."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from failwise.adapters.cli import app
from failwise.adapters.cli.output import console, shown
from failwise.adapters.cli.wiring import database_shown, prepared_database
from failwise.domain.errors import InvalidInput

# --- failwise serve --------------------------------------------------------------------------
WORKER_STARTUP_SECONDS = 30
"""How long a worker process may take to answer its supervisor (uvicorn's default is 5 s)."""


def _trusted_proxies(text: str) -> str:
    """``--forwarded-allow-ips``: addresses or networks, comma-separated, or ``*``."""
    proxies = [item.strip() for item in text.split(",") if item.strip()]
    for proxy in proxies:
        if proxy == "*":
            continue
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise InvalidInput(
                f"--forwarded-allow-ips: {proxy!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    if not proxies:
        raise InvalidInput("--forwarded-allow-ips names no proxy")
    return ",".join(proxies)


def _proxies_to_trust(proxy_headers: bool, forwarded_allow_ips: str | None) -> str | None:
    """The proxies whose X-Forwarded-For to trust: none without --proxy-headers."""
    if forwarded_allow_ips is not None and not proxy_headers:
        raise InvalidInput(
            "--forwarded-allow-ips names the proxies whose X-Forwarded-For to trust: "
            "give --proxy-headers too"
        )
    return _trusted_proxies(forwarded_allow_ips or "127.0.0.1") if proxy_headers else None


def _show_where_served(host: str, port: int, trusted: str | None) -> None:
    """Where to open the app and the API, the database, and whose addresses clients have."""
    # 0.0.0.0 and :: listen everywhere; this machine reaches them as localhost.
    reached = "localhost" if host in ("0.0.0.0", "::", "") else host
    address = f"http://{reached}:{port}"
    clients = (
        f"from X-Forwarded-For, sent by {trusted} only"
        if trusted
        else "the addresses they connect from (X-Forwarded-For is ignored)"
    )
    console.print(
        f"failwise is running at [bold]{address}[/]\n"
        f"  Open {address}/signup to sign up, or {address}/signin and press "
        '"Try the demo".\n'
        f"  REST API under /api (schema at {address}/openapi.json); database {database_shown()}.\n"
        f"  Clients are {shown(clients)}.\n"
        "  Ctrl+C stops it.",
        soft_wrap=True,
    )


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help=(
                "Behind a reverse proxy: take each client's address and scheme from the "
                "X-Forwarded-For and X-Forwarded-Proto headers that the proxies of "
                "--forwarded-allow-ips send. Off by default: a client is the address it "
                "connects from, whatever headers it sends."
            ),
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help=(
                "With --proxy-headers: the proxies to trust, addresses or networks, "
                "comma-separated (default 127.0.0.1, a proxy on this machine)."
            ),
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help=(
                "Server processes, each with its own app and database connections; clients' "
                "connections are shared out over them. One per CPU core is a start."
            ),
        ),
    ] = 1,
) -> None:
    """Run the web app and the REST API on the same database.

    Open the address it prints in a browser: sign up, or press "Try the demo"
    for a made-up lifter with six weeks of training. Behind a reverse proxy
    (nginx, Caddy) give --proxy-headers and the proxy's address, or every
    client shares the proxy's address in the sign-in throttle and rate limits.

    With --workers N the app runs in N processes that share nothing but the
    database, so any of them can answer any lifter.

    Example: failwise serve --host 0.0.0.0 --port 8000 --workers 2
    """
    from failwise.adapters.cli import workers as server_processes  # only serve needs uvicorn

    trusted = _proxies_to_trust(proxy_headers, forwarded_allow_ips)
    # Bring the schema up to date once, here, rather than in N workers at once.
    embedded = workers > 1 and prepared_database()
    _show_where_served(host, port, trusted)
    if embedded:
        console.print(
            f"  {workers} workers on SQLite: they answer pages side by side, but one writes "
            "at a time, so they log no more sets a second than one worker does. For many "
            "lifters at once use PostgreSQL (FAILWISE_DATABASE_URL).",
            soft_wrap=True,
        )
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to: then anyone on this
    # machine (or any client of a proxy that passes the header on) picks its own address.
    # The app as an import string, built by its factory in each worker process: every
    # worker has its own engine and connections, and (on Linux) a listening socket of its
    # own, so that the kernel shares the connections out over them (cli/workers.py).
    server_processes.run(
        "failwise.adapters.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # A worker is restarted when it does not answer its supervisor's ping in time;
        # one still importing and opening its database on a busy machine is not hung.
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
        log_level="info",
        proxy_headers=proxy_headers,
        forwarded_allow_ips=trusted,
    )

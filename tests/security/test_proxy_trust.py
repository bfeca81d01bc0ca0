"""Who a client is, against real ``failwise serve`` processes on loopback.

uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 unless told otherwise, so a
client on the machine (or behind a proxy that passes the header on) could pick a
new address for every guess: 60 failed sign-ins, each with its own
``X-Forwarded-For``, were 60 × 401 and never a 429. ``failwise serve`` now
ignores the header unless ``--proxy-headers`` names the proxies to trust; and
what the throttle counts is a parsed IP address, anything else one "unknown"
client (``services/addresses.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from failwise.services.accounts import MAX_FAILURES_PER_ADDRESS

from ..servers import failwise_serve, serving

ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = 25  # more than MAX_FAILURES_PER_ADDRESS, so the throttle must show
STARTUP_SECONDS = 60


def _serve(folder: Path, *options: str) -> Iterator[str]:
    """A ``failwise serve`` process (the console script) on a fresh SQLite file."""
    with serving(folder, failwise_serve(*options)) as (url, _):
        yield url


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Behind a proxy on this machine: 127.0.0.1 (the tests) is the trusted proxy."""
    yield from _serve(
        tmp_path_factory.mktemp("proxied"), "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"
    )


def _failed_sign_ins(url: str, forwarded: list[str], run: str) -> list[int]:
    """One wrong sign-in per ``X-Forwarded-For`` value, each for another username (so
    only the per-address limit can answer 429)."""
    statuses = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for number, address in enumerate(forwarded):
            answer = client.post(
                "/api/auth/signin",
                json={"username": f"{run}-{number}", "password": "not the password"},
                headers={"X-Forwarded-For": address},
            )
            if answer.status_code == 429:
                assert int(answer.headers["Retry-After"]) > 0
            statuses.append(answer.status_code)
    return statuses


def _throttled_after_the_limit(statuses: list[int]) -> bool:
    limit = MAX_FAILURES_PER_ADDRESS
    return statuses == [401] * limit + [429] * (len(statuses) - limit)


def test_a_new_forwarded_address_per_guess_does_not_escape_the_throttle(
    plain_server: str,
) -> None:
    forwarded = [f"198.51.100.{number}" for number in range(1, ATTEMPTS + 1)]
    statuses = _failed_sign_ins(plain_server, forwarded, "plain")
    assert _throttled_after_the_limit(statuses), statuses


def test_behind_a_trusted_proxy_each_client_address_counts_apart(proxied_server: str) -> None:
    """The proxy's header is believed: real addresses are different clients (a gym's
    lifters behind one proxy do not lock each other out)."""
    forwarded = [f"203.0.113.{number}" for number in range(1, ATTEMPTS + 1)]
    assert _failed_sign_ins(proxied_server, forwarded, "real") == [401] * ATTEMPTS


def test_behind_a_trusted_proxy_what_is_no_address_is_one_client(proxied_server: str) -> None:
    """Junk, names and a new IPv6 address of one /64 per guess: no fresh budget each."""
    junk = [f"not-an-address-{number}" for number in range(ATTEMPTS)]
    assert _throttled_after_the_limit(_failed_sign_ins(proxied_server, junk, "junk"))
    rotating = [f"2001:db8:1:2::{number:x}" for number in range(1, ATTEMPTS + 1)]
    assert _throttled_after_the_limit(_failed_sign_ins(proxied_server, rotating, "v6"))

"""Sign-in throttling against password guessing: per username and per client address.

Five failed sign-ins for a username in 15 minutes (twenty from one address, for
any usernames) and sign-in is refused with 429 and ``Retry-After`` until the
oldest of them leaves the window; the throttle lives in the database, so every
server process sees it. A successful sign-in forgets that username's failures
from that address only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI

from failwise.adapters.web.deps import CSRF_FIELD, SESSION_COOKIE
from failwise.services.accounts import (
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_USERNAME,
    THROTTLE_WINDOW,
    Accounts,
    AuthenticationFailed,
    SignInThrottled,
)
from failwise.storage.database import Database

from .conftest import PASSWORD, TestClient, csrf

T0 = datetime(2026, 3, 4, 18, 0)
HERE, THERE, ELSEWHERE = "127.0.0.2", "127.0.0.3", "127.0.0.4"


@pytest.fixture
def accounts(database_url: str) -> Iterator[Accounts]:
    """On SQLite and PostgreSQL: the throttle's counts are kept in the database."""
    database = Database(database_url)
    found = Accounts(database)
    found.sign_up("ann", PASSWORD)
    yield found
    database.dispose()


def fail(accounts: Accounts, at: datetime, *, name: str = "ann", address: str = HERE) -> None:
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(name, "wrong guess", now=at, address=address)


def test_five_failures_lock_the_username_until_the_window_has_passed(accounts: Accounts) -> None:
    for minute in range(MAX_FAILURES_PER_USERNAME):
        fail(accounts, T0 + timedelta(minutes=minute))
    # Locked, even with the right password, and from anywhere.
    later = T0 + timedelta(minutes=10)
    for address in (HERE, THERE):
        with pytest.raises(SignInThrottled) as refused:
            accounts.sign_in("ann", PASSWORD, now=later, address=address)
        # The first failure (at T0) leaves the window at T0 + 15 min: 5 minutes from now.
        assert refused.value.retry_after_seconds == 5 * 60
        assert "try again in 5 minutes" in str(refused.value)
    # A guess while locked is not even checked, and does not extend the lock.
    with pytest.raises(SignInThrottled):
        accounts.sign_in("ann", "wrong guess", now=later, address=THERE)
    # The names are one target, however they are written.
    with pytest.raises(SignInThrottled):
        accounts.sign_in(" ANN ", PASSWORD, now=later, address=HERE)
    # When the oldest failure is out of the window, one more try is allowed.
    reopened = T0 + THROTTLE_WINDOW
    assert accounts.sign_in("ann", PASSWORD, now=reopened, address=HERE).user.username == "ann"


def test_a_sliding_window_counts_only_recent_failures(accounts: Accounts) -> None:
    for minute in (0, 5, 10, 14):
        fail(accounts, T0 + timedelta(minutes=minute))
    # At 16 minutes the failure at 0 has left the window: 3 in it, so two more guesses…
    fail(accounts, T0 + timedelta(minutes=16))
    fail(accounts, T0 + timedelta(minutes=17))
    with pytest.raises(SignInThrottled) as refused:
        accounts.sign_in("ann", PASSWORD, now=T0 + timedelta(minutes=18), address=HERE)
    # …and then a lock until the failure at 5 minutes leaves, at 20.
    assert refused.value.retry_after_seconds == 2 * 60


def test_a_success_forgets_only_its_own_addresses_failures(accounts: Accounts) -> None:
    at = T0
    for _ in range(3):
        fail(accounts, at, address=THERE)  # someone guessing from elsewhere
    fail(accounts, at, address=HERE)  # ann's own typo
    accounts.sign_in("ann", PASSWORD, now=at, address=HERE)  # ann gets in: hers are forgotten
    fail(accounts, at, address=THERE)  # the guesser's fourth: 4 in the window, not locked
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.sign_in("ann", "wrong guess", now=at, address=THERE)  # fifth: still counted
    assert not isinstance(wrong.value, SignInThrottled)
    with pytest.raises(SignInThrottled):
        accounts.sign_in("ann", PASSWORD, now=at, address=HERE)


def test_an_address_guessing_many_usernames_is_locked(accounts: Accounts) -> None:
    for number in range(MAX_FAILURES_PER_ADDRESS):
        fail(accounts, T0, name=f"someone-{number}", address=ELSEWHERE)
    with pytest.raises(SignInThrottled):
        accounts.sign_in("ann", PASSWORD, now=T0, address=ELSEWHERE)
    # Lifters at other addresses are not affected.
    assert accounts.sign_in("ann", PASSWORD, now=T0, address=HERE).user.username == "ann"


def test_the_api_answers_429_with_retry_after(app: FastAPI) -> None:
    with TestClient(app, client=(HERE, 50000)) as client:
        created = client.post("/api/auth/signup", json={"username": "ann", "password": PASSWORD})
        assert created.status_code == 201
        client.cookies.clear()
        wrong = {"username": "ann", "password": "wrong guess"}
        for _ in range(MAX_FAILURES_PER_USERNAME):
            assert client.post("/api/auth/signin", json=wrong).status_code == 401
        right = {"username": "ann", "password": PASSWORD}
        refused = client.post("/api/auth/signin", json=right)
        assert refused.status_code == 429
        assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
        assert refused.json()["detail"].startswith("too many failed sign-ins")
        assert SESSION_COOKIE not in client.cookies
        spec = client.get("/openapi.json").json()
        assert "429" in spec["paths"]["/api/auth/signin"]["post"]["responses"]
    # The username is locked from every address.
    with TestClient(app, client=(THERE, 50000)) as other:
        assert other.post("/api/auth/signin", json=right).status_code == 429


def test_the_sign_in_page_says_when_to_try_again(app: FastAPI) -> None:
    with TestClient(app, client=(HERE, 50000)) as client:
        token = csrf(client)
        signed_up = client.post(
            "/signup",
            data={"username": "ann", "password": PASSWORD, CSRF_FIELD: token},
            follow_redirects=False,
        )
        assert signed_up.status_code == 303
        client.cookies.delete(SESSION_COOKIE)
        # Signing up gave the browser a new CSRF token: the form carries that one.
        wrong = {"username": "ann", "password": "wrong guess", CSRF_FIELD: csrf(client)}
        for _ in range(MAX_FAILURES_PER_USERNAME):
            assert client.post("/signin", data=wrong).status_code == 401
        page = client.post("/signin", data={**wrong, "password": PASSWORD}, follow_redirects=False)
        assert page.status_code == 429
        assert 14 * 60 < int(page.headers["Retry-After"]) <= 15 * 60
        assert re.search(
            r'id="password-error" role="alert">Too many wrong passwords: sign-in is paused\. '
            r"Try again in 15 minutes\.",
            page.text,
        )
        assert page.headers["Content-Security-Policy"]
        assert SESSION_COOKIE not in client.cookies

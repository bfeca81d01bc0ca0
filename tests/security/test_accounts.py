"""Accounts against hostile input and abuse: what a lifter sees, and what an attacker cannot do.

- a password is chosen as NIST SP 800-63B asks: 8 to 128 characters, no composition
  rules, and never a common one, the username, only spaces or one character repeated;
  passwords chosen before the policy keep signing in;
- usernames are one lifter whatever their case, on SQLite and PostgreSQL;
- a password change needs the current password and ends every other session; "sign
  out everywhere" ends them all; a token lasts 30 days from its last use;
- signing in gives the browser a new CSRF token, and no other site can make a change
  (a foreign ``Origin`` is a 403, whatever signs the request);
- no 422 repeats a password sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE
from failwise.domain.errors import InvalidInput
from failwise.services import accounts
from failwise.services.accounts import (
    MAX_FAILURES_PER_USERNAME,
    MAX_PASSWORD_LENGTH,
    TOKEN_LIFETIME,
    Accounts,
    AuthenticationFailed,
    SignInThrottled,
    check_password,
    hash_token,
)
from failwise.services.ports import Conflict
from failwise.services.records import DEFAULT_SETTINGS
from failwise.storage.database import Database
from failwise.storage.tables import TokenRow

from ..conftest import Clock
from .conftest import PASSWORD, T0, Headers, TestClient, api_sign_up, csrf, ok, page_sign_up

NEW_PASSWORD = "lifting at dawn again"
FOREIGN = "https://evil.example"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    found = Database(database_url)
    yield found
    found.dispose()


@pytest.fixture
def lifters(database: Database, clock: Clock) -> Accounts:
    """The accounts service on SQLite and PostgreSQL, on the test's clock."""
    return Accounts(database, clock=clock)


def _password_error(response: Any) -> str:
    """The message of a 422 on a password field."""
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][-1] in ("password", "new_password", "old_password"), error
    return str(error["msg"])


# --- the password policy -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password", "among the most common ones"),
        ("12345678", "among the most common ones"),
        ("Password", "among the most common ones"),  # case does not hide it
        ("iloveyou", "among the most common ones"),
        (" " * 8, "only spaces"),
        ("\t \u00a0  \n  ", "only spaces"),
        ("aaaaaaaaaaaa", "one character repeated"),
        ("carol-lifts", "contain your username"),
        ("xxCAROLxxlifts", "contain your username"),  # case-folded
        ("failwise rocks", "app's name"),
        ("short", "at least 8 characters (it has 5)"),
        ("żółćgęś", "at least 8 characters (it has 7)"),  # counted in characters, not bytes
        ("x" + "y" * MAX_PASSWORD_LENGTH, f"at most {MAX_PASSWORD_LENGTH} characters"),
    ],
)
def test_a_weak_password_is_refused_and_the_answer_names_why(
    client: TestClient, password: str, why: str
) -> None:
    answer = client.post("/api/auth/signup", json={"username": "carol", "password": password})
    assert why in _password_error(answer)
    nobody = client.post("/api/auth/signin", json={"username": "carol", "password": password})
    assert nobody.status_code == 401  # nothing was created


def test_the_sign_up_with_password_is_refused_as_common(client: TestClient) -> None:
    answer = client.post("/api/auth/signup", json={"username": "ann", "password": "password"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "password"]
    assert answer.json()["detail"][0]["msg"] == (
        "this password is among the most common ones: choose another"
    )


@pytest.mark.parametrize(
    "password",
    [
        "correct horse",
        "żółć-gęś",  # 8 characters of Polish, 13 bytes
        "🏋️ heavy day 🏋️",
        "a" * 7 + "b",  # no composition rules: this is allowed
        "t" + "o" * (MAX_PASSWORD_LENGTH - 1),  # 128 characters: passphrases fit
    ],
)
def test_a_password_needs_no_digits_or_symbols(password: str) -> None:
    check_password(password, username="carol")


def test_the_list_of_common_passwords_comes_with_the_package() -> None:
    common = accounts._common_passwords()
    assert len(common) > 25_000
    assert {"password", "12345678", "qwerty", "letmein"} <= common


def test_a_page_sign_up_with_a_common_password_says_so_next_to_the_field(
    client: TestClient,
) -> None:
    answer = client.post(
        "/signup",
        data={"username": "ann", "password": "12345678", CSRF_FIELD: csrf(client)},
    )
    assert answer.status_code == 422
    assert re.search(
        r'id="password-error" role="alert">this password is among the most common ones',
        answer.text,
    )
    assert "12345678" not in answer.text


def test_a_password_chosen_before_the_policy_still_signs_in(
    database: Database, lifters: Accounts
) -> None:
    with database() as store:  # signed up before the policy, with a weak password
        store.add_user("old", accounts._HASHER.hash("password"), DEFAULT_SETTINGS)
        store.commit()
    assert lifters.sign_in("old", "password").user.username == "old"
    # …and changing it asks for a good one.
    session = lifters.sign_in("old", "password")
    with pytest.raises(InvalidInput, match="most common"):
        lifters.change_password(session.user.id, "password", "12345678")


# --- usernames, whatever their case ----------------------------------------------------------


def test_carol_cannot_sign_up_when_carol_exists_and_carol_signs_in_as_carol(
    lifters: Accounts,
) -> None:
    carol = lifters.sign_up("carol", PASSWORD)
    for other in ("Carol", "CAROL", " cArOl "):
        with pytest.raises(Conflict, match="taken"):
            lifters.sign_up(other, NEW_PASSWORD)
    for written in ("CAROL", "Carol", "carol "):
        session = lifters.sign_in(written, PASSWORD)
        assert session.user.id == carol.user.id
        assert session.user.username == "carol"  # shown as it was signed up


def test_the_throttle_and_the_accounts_agree_on_case(lifters: Accounts) -> None:
    lifters.sign_up("carol", PASSWORD)
    for number in range(MAX_FAILURES_PER_USERNAME):
        written = ("Carol", "CAROL", "carol")[number % 3]
        with pytest.raises(AuthenticationFailed):
            lifters.sign_in(written, "wrong guess", address="10.0.0.9")
    with pytest.raises(SignInThrottled):
        lifters.sign_in("cArOl", PASSWORD, address="10.0.0.10")


def test_the_api_says_taken_for_another_case(app_on: FastAPI) -> None:
    with TestClient(app_on) as client:
        ok(client.post("/api/auth/signup", json={"username": "carol", "password": PASSWORD}))
        taken = client.post("/api/auth/signup", json={"username": "Carol", "password": PASSWORD})
        assert taken.status_code == 409 and "taken" in taken.json()["detail"]
        signed_in = client.post(
            "/api/auth/signin", json={"username": "CAROL", "password": PASSWORD}
        )
        assert ok(signed_in)["user"]["username"] == "carol"


# --- password change and sign out everywhere ---------------------------------------------------


@pytest.fixture
def app_on(database_url: str, clock: Clock) -> FastAPI:
    """The app on SQLite and PostgreSQL."""
    return create_app(database_url, clock=clock)


def _bearer(client: TestClient, username: str, password: str = PASSWORD) -> Headers:
    answer = client.post("/api/auth/signin", json={"username": username, "password": password})
    return {"Authorization": f"Bearer {ok(answer)['token']}"}


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app_on: FastAPI) -> None:
    with TestClient(app_on) as client:
        phone = api_sign_up(client, "ann")
        laptop = _bearer(client, "ann")
        script = _bearer(client, "ann")
        changed = client.post(
            "/api/me/password",
            json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=phone,
        )
        assert changed.status_code == 204, changed.text
        assert client.get("/api/me", headers=phone).status_code == 200
        for ended in (laptop, script):
            assert client.get("/api/me", headers=ended).status_code == 401
        old = client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD})
        assert old.status_code == 401
        ok(client.post("/api/auth/signin", json={"username": "ann", "password": NEW_PASSWORD}))


def test_a_password_change_needs_the_current_password(client: TestClient) -> None:
    ann = api_sign_up(client, "ann")
    wrong = client.post(
        "/api/me/password",
        json={"old_password": "not my password", "new_password": NEW_PASSWORD},
        headers=ann,
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "old_password"]
    assert "not my password" not in wrong.text and NEW_PASSWORD not in wrong.text
    weak = client.post(
        "/api/me/password",
        json={"old_password": PASSWORD, "new_password": "ann-2026-ann"},
        headers=ann,
    )
    assert _password_error(weak) == "password must not contain your username: choose another"
    same = client.post(
        "/api/me/password", json={"old_password": PASSWORD, "new_password": PASSWORD}, headers=ann
    )
    assert "the one you have" in _password_error(same)
    # Nothing changed: the password signs in as before, and the session goes on.
    ok(client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD}))
    assert client.get("/api/me", headers=ann).status_code == 200


def test_a_stolen_session_cannot_guess_the_password_by_changing_it(client: TestClient) -> None:
    stolen = api_sign_up(client, "ann")
    guess = {"old_password": "wrong guess", "new_password": NEW_PASSWORD}
    for _ in range(MAX_FAILURES_PER_USERNAME):
        assert client.post("/api/me/password", json=guess, headers=stolen).status_code == 422
    right = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    refused = client.post("/api/me/password", json=right, headers=stolen)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_sign_out_everywhere_ends_every_token_this_one_too(app_on: FastAPI) -> None:
    with TestClient(app_on) as client:
        phone = api_sign_up(client, "ann")
        laptop = _bearer(client, "ann")
        bob = api_sign_up(client, "bob")
        ended = client.post("/api/auth/signout-everywhere", headers=phone)
        assert ended.status_code == 204
        for token in (phone, laptop):
            assert client.get("/api/me", headers=token).status_code == 401
        assert client.get("/api/me", headers=bob).status_code == 200  # only ann's
        assert client.post("/api/auth/signout-everywhere").status_code == 401


def test_the_settings_page_changes_the_password_and_signs_out_other_browsers(
    app: FastAPI,
) -> None:
    with TestClient(app) as browser, TestClient(app) as other_browser:
        page_sign_up(browser, "ann")
        signed_in = other_browser.post(
            "/signin",
            data={"username": "ann", "password": PASSWORD, CSRF_FIELD: csrf(other_browser)},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        settings = browser.get("/settings")
        assert 'action="/settings/password"' in settings.text
        assert 'action="/signout-everywhere"' in settings.text

        form = {CSRF_FIELD: csrf(browser), "old_password": "nope nope", "new_password": "x"}
        wrong = browser.post("/settings/password", data=form)
        assert wrong.status_code == 422
        assert 'id="old_password-error" role="alert">the current password is not right' in (
            wrong.text
        )
        assert "nope nope" not in wrong.text

        form = {CSRF_FIELD: csrf(browser), "old_password": PASSWORD, "new_password": "qwerty123"}
        weak = browser.post("/settings/password", data=form)
        assert weak.status_code == 422
        assert 'id="new_password-error" role="alert">this password is among' in weak.text

        form = {**form, "new_password": NEW_PASSWORD}
        changed = browser.post("/settings/password", data=form, follow_redirects=False)
        assert changed.status_code == 303
        assert changed.headers["location"] == "/settings?password=changed"
        shown = browser.get(changed.headers["location"])
        assert shown.status_code == 200 and "Password changed" in shown.text
        gone = other_browser.get("/today", follow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"].startswith("/signin")


def test_the_settings_page_signs_out_everywhere(app: FastAPI) -> None:
    with TestClient(app) as browser, TestClient(app) as other_browser:
        page_sign_up(browser, "ann")
        program = _bearer(other_browser, "ann")
        out = browser.post(
            "/signout-everywhere", data={CSRF_FIELD: csrf(browser)}, follow_redirects=False
        )
        assert out.status_code == 303 and out.headers["location"] == "/signin"
        assert SESSION_COOKIE not in browser.cookies
        assert other_browser.get("/api/me", headers=program).status_code == 401


# --- sliding expiry ---------------------------------------------------------------------------


def _expires(database: Database, token: str) -> object:
    with database() as store:
        session = store.session  # type: ignore[attr-defined]
        return session.scalar(
            select(TokenRow.expires_at).where(TokenRow.token_hash == hash_token(token))
        )


def test_a_token_in_use_lasts_and_one_left_unused_expires(
    database: Database, lifters: Accounts, clock: Clock
) -> None:
    token = lifters.sign_up("ann", PASSWORD).token
    assert _expires(database, token) == T0 + TOKEN_LIFETIME
    # Used within the day: not written again.
    clock.now = T0 + timedelta(hours=20)
    lifters.user_for_token(token)
    assert _expires(database, token) == T0 + TOKEN_LIFETIME
    # Used a day or more later: 30 days from now.
    clock.now = T0 + timedelta(days=29)
    lifters.user_for_token(token)
    assert _expires(database, token) == clock.now + TOKEN_LIFETIME
    # A lifter who trains every few weeks stays signed in, well past the first 30 days.
    for _ in range(4):
        clock.now += timedelta(days=25)
        assert lifters.user_for_token(token).username == "ann"
    # Unused for 30 days: refused.
    clock.now += TOKEN_LIFETIME
    with pytest.raises(AuthenticationFailed, match="expired"):
        lifters.user_for_token(token)


def test_an_expired_token_is_refused_by_the_api(client: TestClient, clock: Clock) -> None:
    ann = api_sign_up(client, "ann")
    clock.now = T0 + TOKEN_LIFETIME - timedelta(minutes=1)
    assert client.get("/api/me", headers=ann).status_code == 200  # used: extended
    clock.now += TOKEN_LIFETIME - timedelta(minutes=1)
    assert client.get("/api/me", headers=ann).status_code == 200
    clock.now += TOKEN_LIFETIME
    assert client.get("/api/me", headers=ann).status_code == 401


def test_a_lifter_who_only_logs_sets_stays_signed_in_and_an_expired_token_logs_nothing(
    client: TestClient, clock: Clock
) -> None:
    # POST /api/sets checks the token in the log's own transaction: the same rule as
    # every other request (Accounts.user_for_token), the token extended the same way.
    ann = api_sign_up(client, "ann")

    squat = {"exercise": "Squat (Barbell)", "load": 100, "reps": 5, "rir": 2}

    def log(key: str) -> int:
        answer = client.post("/api/sets", json=squat, headers={**ann, "Idempotency-Key": key})
        return answer.status_code

    def sets() -> int:
        answer = client.get("/api/history", headers=ann)
        assert answer.status_code == 200, answer.text
        return len(answer.json())

    clock.now = T0 + TOKEN_LIFETIME - timedelta(minutes=1)
    assert log("first") == 201  # used: extended to 30 days from now
    clock.now += TOKEN_LIFETIME - timedelta(minutes=1)
    assert log("second") == 201  # alive only because logging the first set extended it
    assert sets() == 2
    clock.now += TOKEN_LIFETIME
    assert log("third") == 401
    clock.now -= TOKEN_LIFETIME  # back when the token was good: the refused set is not there
    assert sets() == 2
    assert client.post("/api/sets", json=squat).status_code == 401  # no token at all


# --- CSRF rotation and the Origin check -------------------------------------------------------


def test_signing_in_gives_the_browser_a_new_csrf_token(client: TestClient) -> None:
    planted = csrf(client)  # a token an attacker could have planted before sign-in
    page_sign_up(client, "ann")
    after_sign_up = client.cookies[CSRF_COOKIE]
    assert after_sign_up != planted
    stale = client.post(
        "/settings", data={CSRF_FIELD: planted, "unit": "lb"}, follow_redirects=False
    )
    assert stale.status_code == 403
    client.post("/signout", data={CSRF_FIELD: after_sign_up})
    before = csrf(client)
    signed_in = client.post(
        "/signin",
        data={"username": "ann", "password": PASSWORD, CSRF_FIELD: before},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303 and client.cookies[CSRF_COOKIE] != before
    before = client.cookies[CSRF_COOKIE]
    ok(client.post("/api/auth/signin", json={"username": "ann", "password": PASSWORD}))
    assert client.cookies[CSRF_COOKIE] != before


def test_a_change_from_another_site_is_refused_whatever_signs_it(client: TestClient) -> None:
    page_sign_up(client, "ann")
    bearer = _bearer(client, "ann")
    token = client.cookies[CSRF_COOKIE]
    change = {"spotter": True}
    for origin in (FOREIGN, "null", "http://testserver:8080", "https://testserver"):
        by_cookie = client.patch(
            "/api/me/settings", json=change, headers={CSRF_HEADER: token, "Origin": origin}
        )
        assert by_cookie.status_code == 403, origin
        by_bearer = client.patch(
            "/api/me/settings", json=change, headers={**bearer, "Origin": origin}
        )
        assert by_bearer.status_code == 403, origin
        form = client.post(
            "/settings",
            data={CSRF_FIELD: token, "unit": "lb"},
            headers={"Origin": origin},
            follow_redirects=False,
        )
        assert form.status_code == 403, origin
    assert client.get("/api/me", headers=bearer).json()["settings"]["unit"] == "kg"
    # This site's own pages, and programs that send no Origin, are not affected.
    mine = client.patch(
        "/api/me/settings",
        json=change,
        headers={CSRF_HEADER: token, "Origin": "http://testserver"},
    )
    assert mine.status_code == 200
    assert client.patch("/api/me/settings", json=change, headers=bearer).status_code == 200
    # Reading is not a change: another site's Origin on a GET is answered.
    assert client.get("/api/me", headers={**bearer, "Origin": FOREIGN}).status_code == 200


def test_another_site_cannot_sign_a_browser_in(client: TestClient) -> None:
    ok(client.post("/api/auth/signup", json={"username": "eve", "password": PASSWORD}))
    client.cookies.clear()
    login_csrf = client.post(
        "/api/auth/signin",
        json={"username": "eve", "password": PASSWORD},
        headers={"Origin": FOREIGN},
    )
    assert login_csrf.status_code == 403 and SESSION_COOKIE not in client.cookies
    form = client.post(
        "/signin",
        data={"username": "eve", "password": PASSWORD, CSRF_FIELD: csrf(client)},
        headers={"Origin": FOREIGN},
        follow_redirects=False,
    )
    assert form.status_code == 403 and SESSION_COOKIE not in client.cookies


# --- no 422 repeats a secret ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/signup", {"password": "hunter2-secret"}),  # no username
        ("/api/auth/signup", {"username": "ann", "password": "hunter2-secret" * 80}),  # too long
        ("/api/auth/signin", {"username": "ann", "password": "hunter2-secret", "extra": 1}),
        ("/api/auth/signin", {"username": "", "password": "hunter2-secret"}),
        ("/api/auth/signup", {"username": "a b", "password": "hunter2-secret"}),
    ],
)
def test_a_422_never_repeats_the_password(
    client: TestClient, path: str, body: dict[str, Any]
) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code == 422, answer.text
    assert "hunter2" not in answer.text


def test_a_422_on_a_password_change_repeats_neither_password(client: TestClient) -> None:
    ann = api_sign_up(client, "ann")
    for body in (
        {"old_password": "hunter2-secret"},
        {"old_password": "hunter2-secret", "new_password": "hunter2-other" * 100},
        {"old_password": "hunter2-secret", "new_password": "hunter2-other", "x": 1},
    ):
        answer = client.post("/api/me/password", json=body, headers=ann)
        assert answer.status_code == 422, answer.text
        assert "hunter2" not in answer.text

"""Security headers, cookies, CSRF on every form, upload limits and password hashing.

- every HTML answer carries a Content-Security-Policy whose scripts are this site's
  own files (or none at all): no ``'unsafe-inline'``, and ``frame-ancestors 'none'``;
- ``X-Content-Type-Options: nosniff`` on every answer, errors included;
- ``Cache-Control: no-store`` on every answer but the static files: the API, exports,
  pages; and no API docs page that would load scripts from a CDN;
- the session cookie is HttpOnly and SameSite=Lax, and Secure over HTTPS;
- every form that posts carries the CSRF token, in every template and on every page
  as rendered, and every form post or cookie-signed API change without it is a 403;
- an upload over the limit is refused with a message that says so, whether or not
  the client says how big it is;
- passwords are hashed with argon2id at RFC 9106's recommended parameters, read back
  from the hash stored.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI

from failwise.adapters.web import pages
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE
from failwise.services import accounts
from failwise.storage.database import Database

from .conftest import PASSWORD, TestClient, csrf, ok, page_sign_up
from .test_access_matrix import app_routes

PRODUCTION_HASHER = accounts._HASHER  # before any test swaps in the cheap one
TEMPLATES = pages.HERE / "templates"


def _policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S | re.I)


def assert_safe_policy(response: Any, where: str) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{where}: an HTML answer without a Content-Security-Policy"
    policy = _policy(header)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts, f"{where}: no script-src (nor default-src): {header}"
    for source in scripts:
        assert source not in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:"), (
            where,
            header,
        )
    assert policy.get("frame-ancestors") == ["'none'"], (where, header)
    assert policy.get("base-uri") in (["'self'"], ["'none'"]), (where, header)
    # Any inline script is there only because the policy names its hash.
    for code in _inline_scripts(response.text):
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, (where, code[:80])
    for attribute in re.findall(r"\son[a-z]+=", response.text, re.I):
        pytest.fail(f"{where}: an inline event handler ({attribute.strip()})")


@pytest.fixture
def demo(client: TestClient) -> TestClient:
    """Signed in as the demo lifter (six weeks of history), with a plan."""
    response = client.post("/demo", data={CSRF_FIELD: csrf(client)}, follow_redirects=False)
    assert response.status_code == 303
    ok(client.post("/api/plans", json={}, headers={CSRF_HEADER: csrf(client)}))
    return client


def _get_routes(app: FastAPI) -> Iterator[str]:
    for method, path in sorted(app_routes(app)):
        if method == "GET" and "{" not in path:
            yield path


def test_every_html_answer_has_a_policy_without_inline_scripts(
    app: FastAPI, demo: TestClient
) -> None:
    anonymous = TestClient(app)
    checked: list[str] = []
    extra = ["/export/xlsx", "/today?exercise=barbell-squat", "/history?exercise=nope"]
    for path in [*_get_routes(app), *extra]:
        for who, client in (("the demo lifter", demo), ("anonymous", anonymous)):
            response = client.get(path)
            if response.headers.get("content-type", "").startswith("text/html"):
                assert_safe_policy(response, f"GET {path} as {who}")
                checked.append(path)
    # Error pages are pages too: a refused form, a wrong password.
    refused = demo.post("/settings", data={"unit": "lb"})
    assert refused.status_code == 403
    assert_safe_policy(refused, "a refused form")
    wrong = anonymous.post(
        "/signin", data={"username": "x", "password": "y" * 8, CSRF_FIELD: csrf(anonymous)}
    )
    assert wrong.status_code == 401
    assert_safe_policy(wrong, "a failed sign-in")
    for page in ("/today", "/history", "/insights", "/plan", "/import", "/guide"):
        assert page in checked
    assert {"/api/plans/active/print", "/insights/report.html"} <= set(checked)
    # The app's own pages: scripts from this site only.
    policy = _policy(demo.get("/today").headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["default-src"] == ["'self'"]


def test_nosniff_on_every_answer_errors_included(app: FastAPI, demo: TestClient) -> None:
    anonymous = TestClient(app)
    answers = [demo.get(path) for path in _get_routes(app)]
    answers += [anonymous.get(path, follow_redirects=False) for path in _get_routes(app)]
    answers += [
        anonymous.get("/api/me"),  # 401
        anonymous.get("/no/such/page"),  # 404
        anonymous.delete("/api/me"),  # 405
        demo.get("/api/sets/99999", headers={}),  # 404 from the API
        demo.get("/api/history?since=yesterday"),  # 422
        demo.post("/api/sets", json={}),  # 403: cookie-signed without the CSRF header
        demo.post("/settings", data={}),  # 403 page
        demo.get("/static/app.css"),
        demo.get("/static/nope.js"),
    ]
    statuses = {answer.status_code for answer in answers}
    assert {200, 303, 401, 403, 404, 405, 422} <= statuses
    for answer in answers:
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", answer.request.url


def test_no_store_on_the_api_exports_and_pages_but_not_on_static_files(
    app: FastAPI, demo: TestClient
) -> None:
    """Exports and API answers hold a lifter's history: no browser or proxy cache may
    keep them (a shared computer's back button, a caching proxy)."""
    anonymous = TestClient(app)
    answers = [demo.get(path) for path in _get_routes(app) if not path.startswith("/static")]
    answers += [demo.get(f"/export/{name}") for name in ("failwise-csv", "json", "strong")]
    answers += [
        anonymous.get("/api/me"),  # 401
        demo.get("/api/sets/99999"),  # 404
        demo.get("/api/history?since=yesterday"),  # 422
        demo.post("/api/sets", json={}),  # 403
        demo.post("/settings", data={}, follow_redirects=False),  # 403 page
        anonymous.get("/today", follow_redirects=False),  # the redirect to sign in
    ]
    assert {200, 303, 401, 403, 404, 422} <= {answer.status_code for answer in answers}
    exports = [a for a in answers if a.request.url.path.startswith("/export/")]
    assert len(exports) == 3 and all(a.status_code == 200 for a in exports)
    for answer in answers:
        assert answer.headers.get("Cache-Control") == "no-store", answer.request.url
    static = demo.get(pages.static_url("app.css"))
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_no_docs_page_loads_scripts_from_a_cdn_and_the_schema_stays(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404, path
    schema = client.get("/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "failwise"


def _set_cookies(response: Any) -> dict[str, str]:
    return {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_session_cookie_is_httponly_lax_and_secure_over_https(
    app: FastAPI, scheme: str
) -> None:
    with TestClient(app, base_url=f"{scheme}://testserver") as client:
        answers = {
            "api sign-up": client.post(
                "/api/auth/signup", json={"username": "ann", "password": PASSWORD}
            ),
            "api sign-in": client.post(
                "/api/auth/signin", json={"username": "ann", "password": PASSWORD}
            ),
            "page sign-in": client.post(
                "/signin",
                data={"username": "ann", "password": PASSWORD, CSRF_FIELD: csrf(client)},
                follow_redirects=False,
            ),
        }
        answers["page sign-up"] = client.post(
            "/signup",
            data={"username": "bob", "password": PASSWORD, CSRF_FIELD: csrf(client)},
            follow_redirects=False,
        )
        for what, answer in answers.items():
            cookie = _set_cookies(answer)[SESSION_COOKIE]
            assert "httponly" in cookie and "samesite=lax" in cookie, (what, cookie)
            assert ("secure" in cookie.split("; ")) is (scheme == "https"), (what, cookie)
        csrf_cookie = _set_cookies(TestClient(app, base_url=f"{scheme}://x").get("/signin"))
        assert "samesite=strict" in csrf_cookie[CSRF_COOKIE]
        assert ("secure" in csrf_cookie[CSRF_COOKIE].split("; ")) is (scheme == "https")
        cleared = _set_cookies(
            client.post("/signout", data={CSRF_FIELD: csrf(client)}, follow_redirects=False)
        )[SESSION_COOKIE]
        assert "max-age=0" in cleared and "httponly" in cleared


class _Forms(HTMLParser):
    """The forms of a page or template: their method, and whether the token is in them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = {
                "method": values.get("method", "get").lower(),
                "action": values.get("action", ""),
                "tokens": [],
            }
            self.forms.append(self._open)
        elif (
            tag == "input"
            and self._open is not None
            and values.get("type") == "hidden"
            and values.get("name") in (CSRF_FIELD, "{{ csrf_field }}")
        ):
            self._open["tokens"].append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def test_every_form_in_every_template_carries_the_csrf_token() -> None:
    posting = 0
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text()
        text = text.replace("{{ csrf_input() }}", '<input type="hidden" name="{{ csrf_field }}">')
        for form in _forms(text):
            if form["method"] != "get":
                posting += 1
                assert form["tokens"], f"{template.name}: a form to {form['action']} has no token"
    assert posting >= 10


def test_every_form_on_every_rendered_page_carries_this_browsers_token(
    app: FastAPI, demo: TestClient
) -> None:
    paths = [*_get_routes(app), "/today?exercise=barbell-squat"]
    seen: set[str] = set()
    for client in (demo, TestClient(app)):
        for path in paths:
            response = client.get(path)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            token = client.cookies.get(CSRF_COOKIE)
            for form in _forms(response.text):
                if form["method"] == "post":
                    assert form["tokens"] == [token], (path, form)
                    seen.add(form["action"])
    assert {"/signout", "/today/log", "/plan", "/import", "/settings", "/signin"} <= seen


def test_every_form_post_and_cookie_signed_change_without_the_token_is_refused(
    app: FastAPI, client: TestClient
) -> None:
    page_sign_up(client, "ann")
    token = csrf(client)
    routes = sorted(app_routes(app))
    # A path parameter is given a value that exists in form: the token is checked first.
    form_posts = [
        re.sub(r"\{[a-z_]+\}", "1", p)
        for m, p in routes
        if m == "POST" and not p.startswith("/api/")
    ]
    assert len(form_posts) >= 10
    for path in form_posts:
        for sent in ({}, {CSRF_FIELD: "not-" + token}):
            files = {"file": ("a.csv", b"Date,Exercise,Category\n", "text/csv")}
            answer = client.post(
                path, data=sent, files=files if path == "/import" else None, follow_redirects=False
            )
            assert answer.status_code == 403, (path, sent, answer.status_code)
            assert "This form has expired" in answer.text
    # The API, signed in by the cookie alone: every change needs the X-CSRF-Token header.
    changes = [
        (m, p.replace("{workout_id}", "1").replace("{set_id}", "1").replace("{day}", "2026-03-02"))
        for m, p in routes
        if p.startswith("/api/")
        and m in ("POST", "PUT", "PATCH", "DELETE")
        and p not in ("/api/auth/signup", "/api/auth/signin")
    ]
    assert len(changes) >= 12
    for method, path in changes:
        for headers in ({}, {CSRF_HEADER: "guess"}):
            answer = client.request(method, path, json={}, headers=headers)
            assert answer.status_code == 403, (method, path, answer.status_code, answer.text)
    assert SESSION_COOKIE in client.cookies  # nothing above signed ann out
    assert client.get("/api/me").status_code == 200


def test_an_upload_over_the_limit_is_refused_even_without_a_size(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages.uploads, "MAX_UPLOAD_BYTES", 64 * 1024)
    monkeypatch.setattr(pages.uploads, "_FORM_OVERHEAD", 4 * 1024)
    page_sign_up(client, "ann")
    boundary = "failwiseboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{CSRF_FIELD}"\r\n\r\n'
        f"{csrf(client)}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nDate,Exercise,Category\n"
    ).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is only known as it comes
        yield head
        for _ in range(1000):  # 8 MB, were it all read
            yield b"x" * 8192
        yield f"\r\n--{boundary}--\r\n".encode()

    refused = client.post(
        "/import",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert refused.status_code == 413
    assert "content-length" not in refused.request.headers
    assert (
        'id="file-error" role="alert">The file is too big; the limit is 20 MB. '
        "Export a shorter date range"
    ) in refused.text
    # Told the size, the page refuses before reading anything.
    big = b"Date,Exercise,Category\n" + b"x" * (70 * 1024)
    told = client.post(
        "/import", data={CSRF_FIELD: csrf(client)}, files={"file": ("big.csv", big, "text/csv")}
    )
    assert told.status_code == 413 and "The file is 0.1 MB" in told.text


def _argon2_parameters(encoded: str) -> dict[str, int | str]:
    found = re.fullmatch(
        r"\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", encoded
    )
    assert found, encoded
    kind, version, memory, time_cost, lanes = found.groups()
    return {"type": kind, "v": int(version), "m": int(memory), "t": int(time_cost), "p": int(lanes)}


def test_passwords_are_hashed_with_argon2id_at_rfc_9106_parameters(
    sqlite_url: str, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lifter from before: a weak hash (the tests' cheap profile) …
    ok(client.post("/api/auth/signup", json={"username": "old", "password": PASSWORD}))
    monkeypatch.setattr(accounts, "_HASHER", PRODUCTION_HASHER)
    ok(client.post("/api/auth/signup", json={"username": "ann", "password": PASSWORD}))
    # … is rehashed at the recommended parameters when they sign in.
    ok(client.post("/api/auth/signin", json={"username": "old", "password": PASSWORD}))
    database = Database(sqlite_url)
    try:
        for name in ("ann", "old"):
            with database() as store:
                found = store.user_by_name(name)
            assert found is not None
            stored = _argon2_parameters(found[1])
            assert stored["type"] == "argon2id" and stored["v"] == 19, stored
            # RFC 9106 §4: t=1 with 2 GiB, or (the low-memory choice) t=3 with 64 MiB.
            memory, time_cost = int(stored["m"]), int(stored["t"])
            assert (memory >= 2 * 1024 * 1024 and time_cost >= 1) or (
                memory >= 64 * 1024 and time_cost >= 3
            ), stored
            assert int(stored["p"]) >= 1, stored
    finally:
        database.dispose()

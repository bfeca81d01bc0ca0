"""Access control over every route: anonymous, another lifter, the owner.

The routes are read from the app itself, so a new route cannot be forgotten:
each must be listed here as public or as owner-only (with how to call it), or
the first test fails. Then lifter A's data is made, carrying a marker, and every
owner-only route is called three times:

- anonymous: the API answers 401, a page redirects to ``/signin``;
- as lifter B: a route naming one of A's rows (an id in the path) answers 404
  (never 403: another lifter's data does not exist for B); a route without one
  answers for B's own data, and nothing B gets — body or download — contains A's
  marker or ids;
- as A (the owner): 2xx (or a page's redirect after a form post), and the
  routes that show data show A's marker, so the check above can see it.

At the end B's lists (workouts, history, exercises, readiness, measurements,
plans) are checked against A's ids, and A's data is checked unchanged by
everything B sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI

from failwise.adapters.web.deps import CSRF_FIELD

from .conftest import PASSWORD, Headers, TestClient, csrf, ok, page_sign_up

try:  # FastAPI ≥ 0.13x keeps included routers lazily: this walks them
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI lists every route in app.routes
    iter_route_contexts = None

NEW_PASSWORD = "a new and longer one"
MARKER = "zqmarker"
"""In A's notes, workout notes and custom exercise name: found anywhere B can read, it
is a cross-lifter read."""
STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE\n2026-03-01 18:00:00,Legs,1h,Squat (Barbell),1,100,5,0,0,,,8\n"
)

# Anyone may call these; none of them shows a lifter's data.
PUBLIC = {
    ("GET", "/openapi.json"),
    ("GET", "/healthz"),
    ("POST", "/api/auth/signup"),
    ("POST", "/api/auth/signin"),
    ("POST", "/api/auth/signout"),  # forgets the token sent, if any: 204 either way
    ("GET", "/favicon.ico"),
    ("GET", "/"),
    ("GET", "/signup"),
    ("POST", "/signup"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("POST", "/signout"),
    ("POST", "/demo"),  # a fresh demo lifter of its own
    ("GET", "/guide"),
    ("GET", "/sw.js"),  # the service worker: the same file for everyone
    ("GET", "/manifest.webmanifest"),
    ("MOUNT", "/static"),
}


@dataclass(frozen=True)
class Call:
    """How to call an owner-only route; ``{name}`` in ``path`` is one of A's ids."""

    method: str
    route: str
    path: str = ""
    json: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    upload: bool = False
    remember: tuple[str, str] | None = None
    """(name, key of the answer): an id A's call creates, for the calls after it."""
    owner_sees_marker: bool = False
    owner: frozenset[int] = field(default_factory=lambda: frozenset({200, 201, 204}))
    signs_in_again: str | None = None
    """The call ends the caller's sessions (password change, sign out everywhere): the
    caller signs in again after it, with this password."""

    @property
    def page(self) -> bool:
        return not self.route.startswith("/api/")

    @property
    def names_a_row(self) -> bool:
        return "{" in self.path

    def url(self, ids: dict[str, Any]) -> str:
        return (self.path or self.route).format(**ids)


def _call(method: str, route: str, **kwargs: Any) -> Call:
    return Call(method, route, **kwargs)


# In the order A calls them: each leaves the state the next needs (one workout open at
# most, deletes last).
OWNER_ONLY: list[Call] = [
    _call("GET", "/api/me"),
    _call("PATCH", "/api/me/settings", json={"spotter": True}),
    _call("GET", "/api/exercises", path="/api/exercises?q=curl", owner_sees_marker=True),
    _call(
        "POST",
        "/api/exercises",
        json={"name": "Cable Kickback Variant", "primary": ["glutes"], "equipment": "cable"},
    ),
    _call(
        "GET",
        "/api/exercises/{exercise_id}",
        path="/api/exercises/{custom}",
        owner_sees_marker=True,
    ),
    _call(
        "PATCH",
        "/api/exercises/{exercise_id}",
        path="/api/exercises/{custom}",
        json={"increment_kg": 1.25},
        owner_sees_marker=True,
    ),
    _call("GET", "/api/workouts", owner_sees_marker=True),
    _call(
        "GET",
        "/api/workouts/{workout_id}",
        path="/api/workouts/{finished}",
        owner_sees_marker=True,
    ),
    _call(
        "POST",
        "/api/workouts/{workout_id}/finish",
        path="/api/workouts/{open}/finish",
        json={},
    ),
    _call("POST", "/api/workouts", json={"notes": "another"}, remember=("spare", "id")),
    _call(
        "POST",
        "/api/sets",
        json={"exercise": "Squat (Barbell)", "load": 100, "reps": 5, "rir": 3},
    ),
    _call("GET", "/api/sets/{set_id}", path="/api/sets/{set}", owner_sees_marker=True),
    _call("PATCH", "/api/sets/{set_id}", path="/api/sets/{set}", json={"rir": 2}),
    _call("GET", "/api/next", path="/api/next?exercise=squat"),
    _call("PUT", "/api/readiness/{day}", path="/api/readiness/2026-03-03", json={"sleep": 2}),
    _call("GET", "/api/readiness"),
    _call("POST", "/api/measurements", json={"body_weight_kg": 80}),
    _call("GET", "/api/measurements"),
    _call("GET", "/api/calibration"),
    _call("GET", "/api/fatigue"),
    _call("GET", "/api/history", owner_sees_marker=True),
    _call("GET", "/api/history/e1rm", path="/api/history/e1rm?exercise=squat"),
    _call("GET", "/api/history/volume"),
    _call("GET", "/api/physique"),
    _call("DELETE", "/api/workouts/{workout_id}", path="/api/workouts/{spare}"),
    _call("POST", "/api/plans", json={"days": 3}, remember=("plan", "id")),
    _call("GET", "/api/plans/active"),
    _call("GET", "/api/plans/active/print"),
    _call("POST", "/api/plans/next"),
    _call("GET", "/api/today"),
    _call("POST", "/api/today/start"),
    _call("DELETE", "/api/sets/{set_id}", path="/api/sets/{spare_set}"),
    # --- pages: they take no ids; each shows the signed-in lifter's data only
    _call("GET", "/today"),
    _call(
        "POST",
        "/today/log",
        form={"exercise": "Squat (Barbell)", "load": "100", "reps": "5", "rir": "2"},
    ),
    _call("POST", "/today/finish", owner=frozenset({303})),
    _call("GET", "/history", owner_sees_marker=True),
    _call("GET", "/insights"),
    _call("GET", "/insights/report.html", owner_sees_marker=True),
    _call("GET", "/plan"),
    _call(
        "POST",
        "/plan",
        form={"goal": "hypertrophy", "days": "3", "minutes": "60", "equipment": ["barbell"]},
        owner=frozenset({303}),
    ),
    _call("POST", "/plan/start", owner=frozenset({303})),
    _call("GET", "/import"),
    _call("POST", "/import", upload=True),
    _call("GET", "/export/{format}", path="/export/json", owner_sees_marker=True),
    _call("GET", "/export/{format}", path="/export/failwise-csv", owner_sees_marker=True),
    _call("GET", "/export/{format}", path="/export/strong", owner_sees_marker=True),
    _call("GET", "/settings"),
    _call("GET", "/offline"),
    _call("GET", "/exercises", owner_sees_marker=True),
    _call(
        "POST",
        "/exercises/{exercise_id}",
        path="/exercises/{custom}",
        form={
            "equipment": "cable",
            "mechanics": "isolation",
            "pattern": "curl",
            "injury_risk": "low",
            "primary": ["biceps"],
            "increment": "1.25",
        },
        owner=frozenset({303}),
    ),
    _call(
        "POST",
        "/exercises",
        form={"name": "Sled Push Matrix", "equipment": "machine", "primary": ["quads"]},
        owner=frozenset({303}),
    ),
    _call(
        "POST", "/settings", form={"unit": "kg", "experience": "advanced"}, owner=frozenset({303})
    ),
    # --- a workout's sets as rows, the records, the body measurements on the Plan page
    _call("GET", "/workouts/{workout_id}", path="/workouts/{finished}", owner_sees_marker=True),
    _call(
        "POST",
        "/workouts/{workout_id}/sets/{set_id}",
        path="/workouts/{finished}/sets/{set}",
        form={"set_type": "working", "load": "30", "reps": "12", "rir": "1", "notes": "row"},
        owner=frozenset({303}),
    ),
    _call(
        "POST",
        "/workouts/{workout_id}/sets/{set_id}/delete",
        path="/workouts/{finished}/sets/{second}/delete",
        owner=frozenset({303}),
    ),
    _call("GET", "/records", owner_sees_marker=True),
    _call("GET", "/api/records", owner_sees_marker=True),
    _call("POST", "/plan/measurements", form={"weight": "90"}, owner=frozenset({303})),
    # --- a logged set on the web: edit it, then delete it (A's first set, last of all)
    _call("GET", "/sets/{set_id}/edit", path="/sets/{set}/edit", owner_sees_marker=True),
    _call(
        "POST",
        "/sets/{set_id}/edit",
        path="/sets/{set}/edit",
        form={"load": "30", "reps": "11", "rir": "1", "notes": "edited"},
        owner=frozenset({303}),
    ),
    _call("POST", "/sets/{set_id}/delete", path="/sets/{set}/delete", owner=frozenset({303})),
    # --- last: they end the caller's other sessions (or all of them)
    _call(
        "POST",
        "/settings/password",
        form={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        owner=frozenset({303}),
        signs_in_again=NEW_PASSWORD,
    ),
    _call(
        "POST",
        "/api/me/password",
        json={"old_password": NEW_PASSWORD, "new_password": PASSWORD},
        signs_in_again=PASSWORD,
    ),
    _call("POST", "/signout-everywhere", owner=frozenset({303}), signs_in_again=PASSWORD),
    _call("POST", "/api/auth/signout-everywhere", signs_in_again=PASSWORD),
]


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, HEAD aside; a mount is ("MOUNT", path)."""
    routes = iter_route_contexts(app.routes) if iter_route_contexts else app.routes
    found: set[tuple[str, str]] = set()
    for route in routes:
        methods = getattr(route, "methods", None)
        if not methods:
            found.add(("MOUNT", route.path))
            continue
        found |= {(method, route.path) for method in methods if method != "HEAD"}
    return found


def test_every_route_is_classified_as_public_or_owner_only(app: FastAPI) -> None:
    routes = app_routes(app)
    owner_only = {(c.method, c.route) for c in OWNER_ONLY}
    assert not PUBLIC & owner_only
    unclassified = routes - PUBLIC - owner_only
    assert not unclassified, f"say who may call these routes (PUBLIC or OWNER_ONLY): {unclassified}"
    stale = (PUBLIC | owner_only) - routes
    assert not stale, f"these routes are gone: {stale}"


@dataclass
class Lifter:
    client: TestClient
    bearer: Headers
    name: str = ""

    def sign_in_again(self, password: str) -> None:
        """A new session cookie and bearer token, after a call that ended the old ones."""
        answer = self.client.post(
            "/api/auth/signin", json={"username": self.name, "password": password}
        )
        self.bearer = {"Authorization": f"Bearer {ok(answer)['token']}"}

    def send(self, call: Call, ids: dict[str, Any], *, anonymous: bool = False) -> Any:
        url = call.url(ids)
        headers = {} if anonymous or call.page else dict(self.bearer)
        if call.page and call.method == "POST":
            data: dict[str, Any] = {**(call.form or {}), CSRF_FIELD: csrf(self.client)}
            files = {"file": ("strong.csv", STRONG.encode(), "text/csv")} if call.upload else None
            return self.client.post(url, data=data, files=files, follow_redirects=False)
        return self.client.request(
            call.method, url, json=call.json, headers=headers, follow_redirects=False
        )


def _lifter(app: FastAPI, name: str) -> Lifter:
    client = TestClient(app)
    page_sign_up(client, name)
    token = client.post("/api/auth/signin", json={"username": name, "password": PASSWORD})
    return Lifter(client, {"Authorization": f"Bearer {ok(token)['token']}"}, name)


def _a_data(a: Lifter) -> dict[str, Any]:
    """A's log, every piece carrying the marker; answers A's ids."""
    c, h = a.client, a.bearer
    custom = ok(
        c.post(
            "/api/exercises",
            json={"name": f"{MARKER} Curl", "primary": ["biceps"], "equipment": "cable"},
            headers=h,
        )
    )
    ok(c.post("/api/workouts", json={"notes": f"{MARKER} workout"}, headers=h))
    body = {"exercise": custom["id"], "load": 30, "reps": 12, "rir": 1, "notes": MARKER}
    first = ok(c.post("/api/sets", json=body, headers=h))["set"]
    second = ok(c.post("/api/sets", json={**body, "reps": 10}, headers=h))["set"]
    finished = first["workout_id"]
    ok(c.post(f"/api/workouts/{finished}/finish", json={}, headers=h))
    spare = ok(c.post("/api/sets", json={**body, "reps": 8}, headers=h))["set"]
    ok(c.put("/api/readiness/2026-03-03", json={"sleep": 5, "soreness": 5}, headers=h))
    ok(c.post("/api/measurements", json={"body_weight_kg": 91.3}, headers=h))
    return {
        "custom": custom["id"],
        "finished": finished,
        "open": spare["workout_id"],
        "set": first["id"],
        "second": second["id"],
        "sets": [first["id"], second["id"], spare["id"]],
        "spare_set": spare["id"],
    }


def _text(response: Any) -> str:
    return str(response.content.decode("utf-8", "replace"))


def _leaks(text: str, a_ids: dict[str, Any], sent: str = "") -> list[str]:
    """A's marker or custom exercise id in what B or an anonymous caller got (a 404 that
    repeats the id the caller sent in ``sent``, its URL, tells them nothing new)."""
    for part in sent.split("?")[0].split("/"):
        if len(part) > 3:
            text = text.replace(part, "")
    return [found for found in (MARKER, a_ids["custom"]) if found in text.lower()]


SNAPSHOT = (
    "/api/workouts",
    "/api/history",
    "/api/exercises",
    "/api/readiness",
    "/api/measurements",
    "/api/me",
    "/api/plans/active",
)


def _snapshot(lifter: Lifter) -> dict[str, str]:
    return {path: _text(lifter.client.get(path, headers=lifter.bearer)) for path in SNAPSHOT}


def test_only_the_owner_gets_the_data(app: FastAPI) -> None:
    a, b = _lifter(app, "ann"), _lifter(app, "bob")
    anonymous = Lifter(TestClient(app), {})
    ids = _a_data(a)
    matrix: list[tuple[str, str, int]] = []
    for call in OWNER_ONLY:
        label = f"{call.method} {call.url(ids)}"
        writes = call.method != "GET"
        before = _snapshot(a) if writes else {}
        # anonymous
        answer = anonymous.send(call, ids, anonymous=True)
        if call.page:
            assert answer.status_code == 303, (label, answer.status_code)
            assert answer.headers["location"].startswith("/signin?next="), label
        else:
            assert answer.status_code == 401, (label, answer.status_code, answer.text)
        assert not _leaks(_text(answer), ids, call.url(ids)), label
        matrix.append((label, "anonymous", answer.status_code))
        # another lifter
        answer = b.send(call, ids)
        if call.names_a_row and not call.page:
            assert answer.status_code == 404, (label, answer.status_code, answer.text)
        else:
            assert answer.status_code < 500, (label, answer.status_code, answer.text)
            assert answer.status_code not in (401, 403), (label, answer.status_code)
        assert not _leaks(_text(answer), ids, call.url(ids)), (label, answer.text[:300])
        matrix.append((label, "another lifter", answer.status_code))
        if call.signs_in_again:
            b.sign_in_again(call.signs_in_again)
        if writes:  # what anonymous and B sent changed nothing of A's
            assert _snapshot(a) == before, label
        # the owner
        answer = a.send(call, ids)
        assert answer.status_code in call.owner, (label, answer.status_code, answer.text[:500])
        if call.owner_sees_marker:
            assert MARKER in _text(answer).lower(), (label, "the owner's marker is missing")
        if call.remember:
            name, key = call.remember
            ids[name] = answer.json()[key]
        matrix.append((label, "owner", answer.status_code))
        if call.signs_in_again:
            a.sign_in_again(call.signs_in_again)
    assert len(matrix) == 3 * len(OWNER_ONLY)

    # B's lists never hold A's ids, whatever B did above.
    def listed(path: str) -> set[Any]:
        return {item["id"] for item in ok(b.client.get(path, headers=b.bearer))}

    assert not listed("/api/workouts") & {ids["finished"], ids["open"], ids["spare"]}
    assert not listed("/api/history") & set(ids["sets"])
    assert ids["custom"] not in listed("/api/exercises")
    b_plan = b.client.get("/api/plans/active", headers=b.bearer)
    assert b_plan.status_code == 200 and b_plan.json()["id"] != ids["plan"]
    for path in SNAPSHOT:
        assert not _leaks(_text(b.client.get(path, headers=b.bearer)), ids), path


@pytest.mark.parametrize("route", sorted(PUBLIC - {("MOUNT", "/static")}))
def test_public_routes_show_no_lifters_data(app: FastAPI, route: tuple[str, str]) -> None:
    a = _lifter(app, "ann")
    ids = _a_data(a)
    anonymous = TestClient(app)
    method, path = route
    if method == "GET":
        answer = anonymous.get(path, follow_redirects=False)
    elif path.startswith("/api/"):
        answer = anonymous.post(path, json={"username": "ann", "password": "wrong guess"})
    else:
        answer = anonymous.post(path, data={CSRF_FIELD: csrf(anonymous)}, follow_redirects=False)
    assert answer.status_code < 500
    assert not _leaks(_text(answer), ids)

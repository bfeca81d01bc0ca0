"""Schemathesis over the whole OpenAPI of the app: no 5xx, and every answer as documented.

The app runs in-process on a fresh SQLite file, signed in as a lifter with a
workout, sets (one of them an RIR test), a readiness rating, a measurement, a
custom exercise and a plan, so that the routes have something to return. Every
operation is fuzzed with valid requests (positive) and invalid ones
(negative); path ids are drawn from the lifter's real ids part of the time, so
the routes that find a row are exercised as well as those that do not. Each
answer is checked by schemathesis: not a 5xx (nor a crash), the status code is
documented, the content type and headers and the body match the schema, invalid
data is rejected, and a route that needs a sign-in refuses a request without one.

Part of the requests with a JSON body carry what no schema generates but an
attacker sends: NaN, Infinity, -Infinity, 1e400, a lone surrogate or a NUL in one
of their values (the body sent as raw JSON text). Those must be refused with a
documented 4xx too, never a 5xx.

How many requests: ``FAILWISE_FUZZ_CASES`` (default 400, the CI run: well under
a minute). The full run is 5,000 or more::

    FAILWISE_FUZZ_CASES=5000 .venv/bin/pytest -m fuzz -s tests/security/test_fuzz_api.py

``FAILWISE_FUZZ_SEED`` replays a run (each run prints its seed).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from failwise.adapters.web.app import create_app
from failwise.services.quotas import Action, Limit

from ..conftest import Clock
from .conftest import Headers, TestClient, api_sign_up, ok

pytestmark = pytest.mark.fuzz

CASES = int(os.environ.get("FAILWISE_FUZZ_CASES", "400"))
SEED = int(os.environ.get("FAILWISE_FUZZ_SEED", str(random.randrange(2**32))))
NEGATIVE_SHARE = 1 / 3
MAX_SECONDS = 30 * 60  # a bound on the full run, whatever the machine

CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
]
NEGATIVE_CHECKS = [*CHECKS, checks.negative_data_rejection]


@pytest.fixture
def app(sqlite_url: str, clock: Clock) -> FastAPI:
    """The app with room for the fuzzing's hundreds of sign-ups (the limits have tests
    of their own in test_hostile.py)."""
    roomy = {action: Limit(per_lifter=10**6, per_address=10**6) for action in Action}
    return create_app(sqlite_url, clock=clock, rate_limits=roomy)


def _seed_data(client: TestClient, bearer: Headers) -> dict[str, list[Any]]:
    """A lifter's log with one of everything; answers the ids the routes can find."""
    squat = {"exercise": "Squat (Barbell)", "load": 140, "reps": 5, "rir": 2, "total_sets": 3}
    sets = [ok(client.post("/api/sets", json=squat, headers=bearer))["set"]]
    sets.append(ok(client.post("/api/sets", json={**squat, "load": 142.5}, headers=bearer))["set"])
    tested = {
        "exercise": "Leg Extension (Machine)",
        "load": 60,
        "reps": 12,
        "test": {"reps_at_call": 10, "predicted_rir": 1},
    }
    sets.append(ok(client.post("/api/sets", json=tested, headers=bearer))["set"])
    workout = sets[0]["workout_id"]
    ok(client.post(f"/api/workouts/{workout}/finish", json={}, headers=bearer))
    ok(
        client.put(
            "/api/readiness/2026-03-04",
            json={"sleep": 4, "soreness": 3, "motivation": 5},
            headers=bearer,
        )
    )
    ok(
        client.post(
            "/api/measurements",
            json={"body_weight_kg": 82, "height_cm": 180, "circumferences_cm": {"waist": 84}},
            headers=bearer,
        )
    )
    custom = {"name": "Sissy Squat Bench", "primary": ["quads"], "equipment": "bodyweight"}
    exercise = ok(client.post("/api/exercises", json=custom, headers=bearer))
    ok(client.post("/api/plans", json={"days": 3}, headers=bearer))
    ok(client.post("/api/today/start", headers=bearer))  # today's session, open
    return {
        "workout_id": [workout],
        "set_id": [s["id"] for s in sets],
        "exercise_id": [exercise["id"], "barbell-squat"],
    }


HOSTILE = ("NaN", "Infinity", "-Infinity", "1e400", '"\\ud800x"', '"a\\u0000b"')
"""Raw JSON values an attacker sends: not numbers, not Unicode, not storable."""
_SLOT = "\x1fhostile\x1f"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list) and value:
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [path] if path else []


@st.composite
def _hostile(draw: st.DrawFn, case: Any) -> Any:
    """``case`` with one value of its JSON body replaced by a hostile raw value."""
    body = case.body
    paths = _leaves(body) if isinstance(body, dict) else []
    if not paths:
        return case
    path, token = draw(st.sampled_from(paths)), draw(st.sampled_from(HOSTILE))
    mutated = json.loads(json.dumps(body))
    holder = mutated
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = _SLOT
    case.body = json.dumps(mutated).replace(json.dumps(_SLOT), token).encode()
    return case


ENDS_SESSIONS = {
    "POST /api/auth/signout",
    "POST /api/auth/signout-everywhere",
    "POST /api/me/password",
}


def _order(label: str) -> tuple[int, str]:
    """Deletes last, so that the other routes find the lifter's data."""
    return (label.startswith("DELETE"), label)


class Run:
    """What the fuzzing did: requests sent, statuses seen, failures found."""

    def __init__(self) -> None:
        self.cases = 0
        self.hostile = 0
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: dict[str, set[str]] = defaultdict(set)

    def report(self) -> str:
        lines = [
            f"schemathesis: {self.cases} requests ({self.hostile} with a hostile raw value), "
            f"seed {SEED}"
        ]
        by_operation: dict[str, list[str]] = defaultdict(list)
        for (label, code), count in sorted(self.statuses.items()):
            by_operation[label].append(f"{code}×{count}")
        lines += [f"  {label}: {', '.join(codes)}" for label, codes in by_operation.items()]
        return "\n".join(lines)


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    ids: dict[str, list[Any]],
    headers_for: Callable[[str], Headers],
    run: Run,
    round_seed: int,
) -> None:
    label = operation.label
    strategy = operation.as_strategy(generation_mode=mode)
    names = {p.name for p in operation.path_parameters}
    known = {name: ids[name] for name in names if name in ids}
    if known and mode.is_positive:
        # Half the time, ids that exist: the found-it path of each route is fuzzed too.
        real = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in known.items()})
        strategy = st.one_of(
            strategy,
            real.flatmap(lambda chosen: operation.as_strategy(path_parameters=chosen)),
        )
    if mode.is_positive:
        strategy = st.one_of(strategy, strategy.flatmap(_hostile))
    checks_run = CHECKS if mode.is_positive else NEGATIVE_CHECKS

    @seed(round_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        run.cases += 1
        run.hostile += isinstance(case.body, bytes)
        try:
            response = case.call(headers=headers_for(label))
        except Exception as error:  # the app crashed: the 500 a server would have sent
            run.failures[label].add(f"server error: {type(error).__name__}: {error}")
            run.statuses[(label, 500)] += 1
            return
        run.statuses[(label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=checks_run, headers=headers_for(label))
        except (AssertionError, BaseExceptionGroup) as error:
            run.failures[label].add(str(error)[:1500])

    # An operation without parameters has nothing to negate: nothing to send then.
    with contextlib.suppress(Unsatisfiable):
        fuzz()


def test_no_5xx_and_every_answer_as_the_schema_says(app: FastAPI, client: TestClient) -> None:
    bearer = api_sign_up(client, "ann")
    ids = _seed_data(client, bearer)
    signed_out = iter(range(10**9))

    def headers_for(label: str) -> Headers:
        if label in ENDS_SESSIONS:
            # These end the token sent (or every one): each of these gets its own lifter.
            return api_sign_up(client, f"leaver-{next(signed_out)}")
        return bearer

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda o: _order(o.label)
    )
    assert len(operations) >= 30, [o.label for o in operations]
    run = Run()
    started = time.monotonic()
    rounds = 0
    while run.cases < CASES and time.monotonic() - started < MAX_SECONDS:
        rounds += 1
        left = CASES - run.cases
        per_operation = max(2, math.ceil(left / len(operations)))
        negative = max(1, round(per_operation * NEGATIVE_SHARE))
        for number, operation in enumerate(operations):
            round_seed = SEED + 1000 * rounds + number
            _fuzz(
                operation,
                GenerationMode.POSITIVE,
                per_operation - negative,
                ids,
                headers_for,
                run,
                round_seed,
            )
            _fuzz(operation, GenerationMode.NEGATIVE, negative, ids, headers_for, run, round_seed)
        assert rounds < 20, "the operations stopped generating new requests"
    print(run.report())
    failures = "\n\n".join(
        f"== {label}\n" + "\n--\n".join(sorted(found)[:3]) for label, found in run.failures.items()
    )
    assert not run.failures, f"{run.report()}\n\n{failures}"
    assert run.cases >= CASES, run.report()
    # The token still works: the fuzzing signed out other lifters only.
    assert client.get("/api/me", headers=bearer).json()["username"] == "ann"

"""The pages in a lifter's words: every term of the trade linked to the Guide's glossary,
no rule id or raw float on a page, counts in the singular when there is one, and no
fatigue verdict before there is history enough to judge it (pages and API agree)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD
from failwise.domain.decision import RULES
from failwise.domain.detection import SIGNAL_WORDS, Recommendation

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

MONDAY = datetime(2026, 11, 2, 18, 0)
PAGES = [
    "/today",
    "/history",
    "/insights",
    "/plan",
    "/import",
    "/settings",
    "/exercises",
    "/records",
    "/guide",
]
TERM_PAGES = ["/today", "/history", "/insights", "/plan"]
# The glossary's entries (the Guide's "Words"), and how each reads on a page.
TERMS = {
    "rir": r"\bRIR\b",
    "rpe": r"\bRPE\b",
    "e1rm": r"\be1RM\b",
    "mev": r"\bMEV\b",
    "mav": r"\bMAV\b",
    "mrv": r"\bMRV\b",
    "effective-sets": r"\beffective sets\b",
    "systemic-fatigue": r"\bsystemic fatigue\b",
    "accumulated-fatigue": r"\baccumulated fatigue\b",
    "deload": r"\bdeload\b",
    "mesocycle": r"\bmesocycle\b",
    "drop-set": r"\bdrop sets?\b",
    "rest-pause": r"\brest-pause\b",
    "calibration": r"\bcalibration\b",
}
GLOSSARY = [*TERMS, "failure", "forced-reps"]
# Ids a page must never show: the rule table's (those that are not plain words), the
# fatigue signals', the volume zones' and the fatigue verdicts'.
IDS = sorted(
    {rule.id for rule in RULES if "-" in rule.id}
    | {signal for signal in SIGNAL_WORDS if "-" in signal}
    | {"below-mev", "above-mav", "above-mrv"}
    | {r.value for r in Recommendation if "-" in r.value}
)
LONG_FLOAT = re.compile(r"\d\.\d{3,}")
ONE_MANY = re.compile(r"(?<![\d.])1 (sets|workouts|sessions|weeks|reps|tests)\b")


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def app(sqlite_url: str, clock: Clock) -> FastAPI:
    return create_app(sqlite_url, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def csrf(client: TestClient) -> str:
    if CSRF_COOKIE not in client.cookies:
        client.get("/signin")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def sign_up(client: TestClient, *, spotter: bool = True) -> None:
    form = {"username": "ann", "password": "correct horse", CSRF_FIELD: csrf(client)}
    assert client.post("/signup", data=form, follow_redirects=False).status_code == 303
    settings = {CSRF_FIELD: csrf(client), "unit": "kg", "shown_unit": "kg", "bar": "20"}
    if spotter:
        settings["spotter"] = "true"
    assert client.post("/settings", data=settings, follow_redirects=False).status_code == 303


def log(client: TestClient, exercise: str, load: float, reps: int, **more: str) -> None:
    """A set as the Today page's form sends it, with the target the coach showed."""
    form = {
        CSRF_FIELD: csrf(client),
        "exercise": exercise,
        "load": str(load),
        "reps": str(reps),
        "total_sets": "3",
        "confirmed": "true",
        **more,
    }
    response = client.post("/today/log", data=form)
    assert response.status_code == 200, visible(response.text)


def missed_session(client: TestClient) -> None:
    """Three leg-press sets at the coach's load, each three reps short of its target (the
    first ever has none: 100 kg × 10), then the workout finished."""
    for _ in range(3):
        following = client.get("/api/next", params={"exercise": "leg-press", "total_sets": 3})
        load, reps = following.json()["load"] or 100, following.json()["reps"] or 13
        log(client, "leg-press", load, max(1, reps - 3), rir="0")
    finished = client.post("/today/finish", data={CSRF_FIELD: csrf(client)})
    assert finished.status_code == 200


def fatigue_line(client: TestClient, path: str, element: str) -> str:
    found = re.search(rf'id="{element}"[^>]*>(.*?)</p>', client.get(path).text, re.S)
    assert found, (path, element)
    return visible(found.group(1))


# --- no fatigue verdict before there is history to judge it ---------------------------------


def test_a_lifter_on_their_first_day_is_not_told_of_accumulated_fatigue(
    client: TestClient,
) -> None:
    sign_up(client)
    missed_session(client)
    expected = "Not enough history yet to judge fatigue (1 of 3 sessions)."
    insights = client.get("/insights").text
    assert expected in fatigue_line(client, "/insights", "fatigue-verdict")
    assert "sign of accumulated fatigue" not in visible(insights).lower()
    assert "Systemic fatigue" not in visible(insights)  # no percentage either
    today = client.get("/today?exercise=leg-press&sets=6").text
    assert fatigue_line(client, "/today?exercise=leg-press&sets=6", "fatigue-status") == expected
    assert "showing signs of accumulated fatigue" not in visible(today)
    # The API says the same, and the coach does not treat the lifter as fatigued.
    api = client.get("/api/fatigue").json()["verdict"]
    assert api["recommendation"] == "not-enough-history" and api["summary"] == expected
    following = client.get("/api/next", params={"exercise": "leg-press"}).json()
    assert "fatigued" not in {reason["rule"] for reason in following["reasons"]}


def test_after_three_sessions_of_missed_reps_the_warning_shows(
    client: TestClient, clock: Clock
) -> None:
    # Three sessions: the fewest the e1RM signal can judge (two for the usual, one to compare).
    sign_up(client)
    for n, day in enumerate((0, 2, 4), start=1):
        clock.now = MONDAY + timedelta(days=day)
        missed_session(client)
        summary = fatigue_line(client, "/insights", "fatigue-verdict")
        if n < 3:
            assert f"Not enough history yet to judge fatigue ({n} of 3 sessions)." in summary
    assert "One sign of accumulated fatigue: stay clear of failure" in summary
    insights = visible(client.get("/insights").text)
    assert "missed reps" in insights and "planned sets fell short" in insights
    assert "Systemic fatigue" in insights
    why = visible(client.get("/today?exercise=leg-press&sets=6").text)
    assert "You are showing signs of accumulated fatigue" in why
    api = client.get("/api/fatigue").json()["verdict"]
    assert api["recommendation"] == "avoid-failure" and api["summary"] in summary
    assert [item["signal"] for item in api["evidence"]] == ["missed-reps"]


# --- words --------------------------------------------------------------------------------------


def lifter_with_history(client: TestClient, clock: Clock) -> None:
    """Alone, without a spotter: squats (never near failure alone), curls, a bench set to
    failure where it should never go, and three sessions of leg presses that miss."""
    sign_up(client, spotter=False)
    for day in (0, 2, 4):
        clock.now = MONDAY + timedelta(days=day)
        log(client, "barbell-squat", 100, 5, rir="2")
        log(client, "barbell-squat", 100, 5, rir="2")
        if day == 0:  # one set of curls ever: "1 set"
            log(client, "dumbbell-curl", 12.5, 10, rir="1", total_sets="1")
        log(client, "barbell-bench-press", 80, 3, to_failure="true")
        missed_session(client)


def test_no_rule_id_raw_float_or_wrong_plural_on_any_page(client: TestClient, clock: Clock) -> None:
    lifter_with_history(client, clock)
    # What the pages are meant to show, so that the checks below read something.
    squat = client.get("/api/next", params={"exercise": "barbell-squat", "total_sets": 6})
    assert "alone-risky" in {reason["rule"] for reason in squat.json()["reasons"]}
    assert "missed-reps" in client.get("/api/fatigue").text
    shown = {path: visible(client.get(path).text) for path in PAGES}
    shown["/today (squat)"] = visible(client.get("/today?exercise=barbell-squat&sets=6").text)
    shown["/today (curl)"] = visible(client.get("/today?exercise=dumbbell-curl&sets=6").text)
    assert "You are training alone" in shown["/today (squat)"]
    assert "missed reps" in shown["/insights"]
    assert "Bicep Curl (Dumbbell) (1 set)" in shown["/history"]  # in the e1RM picker
    for path, text in shown.items():
        # The guide's conditions say "a high-volume phase" in plain English.
        for rule in set(IDS) - ({"high-volume"} if path == "/guide" else set()):
            assert not re.search(rf"\b{re.escape(rule)}\b", text, re.I), (path, rule)
        assert not LONG_FLOAT.search(text), (path, LONG_FLOAT.findall(text))
        assert not ONE_MANY.search(text), (path, ONE_MANY.findall(text))
        assert "/api/" not in text, path


def test_the_plan_page_takes_measurements_in_the_web_app(client: TestClient) -> None:
    sign_up(client)
    plan = client.get("/plan").text
    assert "/api/measurements" not in plan
    assert 'href="#body"' in plan and 'action="/plan/measurements"' in plan
    form = {CSRF_FIELD: csrf(client), "sex": "female", "age": "31", "height": "168"}
    sent = client.post("/plan/measurements", data={**form, "weight": "64,5", "waist": "70"})
    assert sent.status_code == 200 and "Measurements saved." in sent.text
    stored = client.get("/api/measurements").json()
    assert stored[-1]["body_weight_kg"] == 64.5
    assert stored[-1]["circumferences_cm"] == {"waist": 70}
    assert client.get("/api/me").json()["settings"]["age"] == 31
    # The service's checks, shown by the field: nothing stored.
    refused = client.post("/plan/measurements", data={**form, "weight": "900"})
    assert refused.status_code == 422
    error = re.search(r'id="body_weight_kg-error" role="alert">([^<]*)', refused.text)
    assert error and error.group(1).startswith("Body weight must be from 25 to 350 kg")
    assert len(client.get("/api/measurements").json()) == 1


# --- the glossary ---------------------------------------------------------------------------


def test_every_term_on_the_pages_links_to_its_glossary_entry(
    client: TestClient, clock: Clock
) -> None:
    guide = client.get("/guide").text
    for entry in GLOSSARY:
        assert re.search(rf'<dt id="{entry}">', guide), entry
    # The landmarks' numbers and their source, as DESIGN.md cites them.
    assert '<th scope="row">chest</th><td>10</td><td>12–20</td><td>22</td>' in guide
    assert "coaching heuristics" in guide and "Pelland et al. 2024" in guide
    lifter_with_history(client, clock)
    for path in [*TERM_PAGES, "/today?exercise=barbell-squat&sets=6"]:
        html = client.get(path).text
        text = visible(html)
        linked = set(re.findall(r'href="/guide#([a-z0-9-]+)"', html))
        assert linked <= set(GLOSSARY), (path, linked - set(GLOSSARY))
        for entry, pattern in TERMS.items():
            if re.search(pattern, text, re.I):
                assert entry in linked, (path, entry)

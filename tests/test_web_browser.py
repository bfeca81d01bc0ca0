"""The web app in Debian's Chromium, against a real server on loopback.

One ``uvicorn`` process serves a fresh SQLite file for the whole module; each
test drives it in its own browser context (its own cookies and storage), as a
lifter would on a phone (360×740) or a desktop (1280×900). Screenshots of
every page at both sizes go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .browser import ARTEFACTS, chromium, watch_errors
from .servers import serving, uvicorn_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
STRONG = Path(__file__).parent / "data" / "exports" / "strong_2023.csv"
SIZES = {"phone": (360, 740), "desktop": (1280, 900)}
PASSWORD = "correct horse battery"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web")

    with serving(folder, uvicorn_app) as (url, _):
        yield Server(url, f"sqlite:///{folder / 'failwise.sqlite3'}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _context(browser: Browser, server: Server, size: str = "phone") -> BrowserContext:
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    return context


def _demo(context: BrowserContext) -> tuple[Page, list[str]]:
    """A fresh demo lifter, started from the sign-in page as a visitor would."""
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signin")
    page.get_by_role("button", name="Try the demo").click()
    page.wait_for_url("**/today?exercise=barbell-squat")
    return page, errors


def _fits(page: Page, width: int) -> None:
    """Nothing on the page is wider than the screen (tables and charts scroll inside)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _sets(page: Page, exercise: str) -> list[dict[str, object]]:
    response = page.request.get(f"/api/history?exercise={exercise}")
    assert response.ok
    sets: list[dict[str, object]] = response.json()
    return sets


def _open_workout(page: Page) -> int:
    workouts = page.request.get("/api/workouts?limit=1").json()
    assert workouts and workouts[0]["open"]
    workout_id: int = workouts[0]["id"]
    return workout_id


def test_sign_up_and_log_a_first_set_in_under_a_minute(browser: Browser, server: Server) -> None:
    context = _context(browser, server)
    page = context.new_page()
    errors = watch_errors(page)
    started = time.monotonic()
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    expect(page).to_have_title("Today — failwise")
    expect(page.get_by_role("heading", name="Welcome, ann")).to_be_visible()
    page.screenshot(path=str(ARTEFACTS / "web-welcome-phone.png"), full_page=True)
    page.get_by_role("link", name="Squat (Barbell)").click()
    expect(page.locator("#set-number")).to_have_text("Set 1 of 3")
    page.get_by_label("Load (kg)").fill("100")  # no e1RM yet: the first set sets it
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    expect(page.locator("#done-list li")).to_have_count(1)
    assert time.monotonic() - started < 60
    assert len(_sets(page, "barbell-squat")) == 1
    assert errors == []
    context.close()


def test_the_demo_three_sets_and_the_prescription_moves_on(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server)
    page, errors = _demo(context)
    expect(page.locator("#set-number")).to_have_text("Set 1 of 3")
    # The demo lifter trains alone: a squat never nears failure.
    expect(page.locator("#decision")).to_contain_text("NEVER")
    assert page.locator("#reasons li").count() >= 2
    for expected in ("Set 2 of 3", "Set 3 of 3"):
        page.get_by_role("button", name="Log as planned").click()
        expect(page.locator("#set-number")).to_have_text(expected)
        expect(page.locator("#rest")).to_be_visible()
        expect(page.locator("#rest-left")).to_have_text(re.compile(r"^\d:\d\d$"))
    page.get_by_role("button", name="Log as planned").click()
    # The exercise ends: no fourth "last set", but a way to add one.
    expect(page.locator("#exercise-done")).to_contain_text("All 3 working sets are logged")
    expect(page.locator("#log-form")).to_have_count(0)
    today = [s for s in _sets(page, "barbell-squat") if s["workout_id"] == _open_workout(page)]
    assert len({s["idempotency_key"] for s in today}) == 3
    page.get_by_role("link", name="Add a set").click()
    expect(page.locator("#set-number")).to_have_text("Set 4 of 4")
    expect(page.locator("#done-list li")).to_have_count(3)
    # steppers change the numbers, with the mouse or the keyboard
    load = float(page.locator("#load").input_value())
    page.get_by_role("button", name="More load").click()
    assert float(page.locator("#load").input_value()) == load + 2.5
    page.get_by_role("button", name="Less load").focus()
    page.keyboard.press("Enter")
    assert float(page.locator("#load").input_value()) == load
    expect(page.get_by_role("button", name="Log as planned")).to_be_visible()
    page.get_by_role("button", name="One rep more").click()
    expect(page.get_by_role("button", name="Log set")).to_be_visible()
    assert errors == []
    context.close()


def _new_lifter(context: BrowserContext, name: str, **settings: object) -> tuple[Page, list[str]]:
    """A lifter who signed up on the page, with their settings changed over the API."""
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    if settings:
        token = next(c["value"] for c in context.cookies() if c["name"] == "failwise_csrf")
        changed = page.request.patch(
            "/api/me/settings", data=settings, headers={"X-CSRF-Token": token}
        )
        assert changed.ok, changed.text()
    return page, errors


def _target_load(page: Page) -> float:
    return float(page.locator("#target-load").inner_text().split()[0])


def test_golden_sessions_on_the_today_page(browser: Browser, server: Server) -> None:
    context = _context(browser, server)
    # 3 × 5 squat at 140, RIR 2, logged as shown: the load holds, then the squat is done.
    page, errors = _new_lifter(context, "golden-kg", spotter=True)
    page.goto("/today?exercise=barbell-squat")
    page.get_by_label("Load (kg)").fill("140")
    page.get_by_label("Reps", exact=True).fill("5")
    page.locator("#rir").fill("2")
    page.get_by_role("button", name="Log set").click()
    for expected in ("Set 2 of 3", "Set 3 of 3"):
        expect(page.locator("#set-number")).to_have_text(expected)
        assert _target_load(page) == 140 and page.locator("#target-reps").inner_text() == "5"
        page.get_by_role("button", name="Log as planned").click()
    expect(page.locator("#exercise-done")).to_be_visible()
    stored = [s for s in _sets(page, "barbell-squat") if s["workout_id"] == _open_workout(page)]
    assert [s["load"] for s in stored] == [140, 140, 140]
    assert [s["target_load"] for s in stored[1:]] == [140, 140]  # shown = stored

    # A missed set (3 reps at RIR 0 of 5): lighter, and still 5 reps aimed.
    page.goto("/today?exercise=barbell-bench-press&sets=4")
    page.get_by_label("Load (kg)").fill("100")
    page.get_by_label("Reps", exact=True).fill("5")
    page.locator("#rir").fill("2")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 4")
    page.get_by_label("Reps", exact=True).fill("3")
    page.locator("#rir").fill("0")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 3 of 4")
    assert _target_load(page) < 100 and page.locator("#target-reps").inner_text() == "5"
    assert errors == []

    # A pound lifter: every figure in pounds.
    pounds = _context(browser, server)
    page, errors = _new_lifter(pounds, "golden-lb", spotter=True, unit="lb")
    page.goto("/today?exercise=barbell-squat")
    page.get_by_label("Load (lb)").fill("225")
    page.get_by_label("Reps", exact=True).fill("5")
    page.locator("#rir").fill("2")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    expect(page.locator("#target-load")).to_have_text("225 lb")
    expect(page.locator("#basis")).to_contain_text(" lb.")
    expect(page.locator("#done-list li")).to_contain_text("225 lb × 5")
    page.screenshot(path=str(ARTEFACTS / "web-today-golden-lb-phone.png"), full_page=True)
    assert errors == []
    pounds.close()
    context.close()


def _csrf(context: BrowserContext) -> dict[str, str]:
    return {
        "X-CSRF-Token": next(c["value"] for c in context.cookies() if c["name"] == "failwise_csrf")
    }


def test_golden_sessions_a_beginner_and_a_planned_session_on_the_today_page(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server)
    # A beginner's deadlift stays at RIR 2 or more until their calls are calibrated.
    page, errors = _new_lifter(context, "golden-beginner", spotter=True, experience="beginner")
    page.goto("/today?exercise=barbell-deadlift&sets=1")
    expect(page.locator("#target-rir")).to_contain_text("RIR 2–3")
    # A planned session: what Today shows for each set is the plan's, and it is stored.
    made = page.request.post("/api/plans", data={"days": 3}, headers=_csrf(context))
    assert made.ok, made.text()
    started = page.request.post("/api/today/start", headers=_csrf(context))
    assert started.ok, started.text()
    first = started.json()["exercises"][0]
    page.goto("/today?exercise=" + first["exercise"]["id"])
    for number, planned in enumerate(first["sets"], start=1):
        expect(page.locator("#set-number")).to_have_text(f"Set {number} of {len(first['sets'])}")
        assert page.locator("#target-reps").inner_text() == str(planned["reps"])
        low, high = planned["target_rir"]["min"], planned["target_rir"]["max"]
        rir = f"RIR {low:g}" if low == high else f"RIR {low:g}–{high:g}"
        expect(page.locator("#target-rir")).to_contain_text(rir)
        if page.locator("#load").input_value() == "":
            page.locator("#load").fill("20")
        page.locator("#log-button").click()
    # The exercise is done: Today moves on to the session's next exercise.
    following = started.json()["exercises"][1]["exercise"]
    page.wait_for_url(f"**/today?exercise={following['id']}")
    expect(page.locator("#exercise-name")).to_have_text(following["name"])
    stored = [
        s for s in _sets(page, first["exercise"]["id"]) if s["workout_id"] == _open_workout(page)
    ]
    assert [s["target_reps"] for s in stored] == [p["reps"] for p in first["sets"]]
    assert [s["target_rir"] for s in stored] == [p["target_rir"] for p in first["sets"]]
    page.screenshot(path=str(ARTEFACTS / "web-today-planned-done-phone.png"), full_page=True)
    assert errors == []
    context.close()


def test_a_set_logged_offline_is_stored_once_when_the_connection_returns(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server)
    page, errors = _demo(context)
    page.goto("/today?exercise=leg-extension")
    before = len(_sets(page, "leg-extension"))
    key = page.locator("#idempotency_key").input_value()
    context.set_offline(True)
    page.get_by_role("button", name="Log as planned").click()
    expect(page.locator("#queue-count")).to_have_text("1 set waiting to be sent")
    expect(page.locator("#queue")).to_be_visible()
    expect(page.locator("#done-list li.waiting")).to_have_count(1)
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    page.screenshot(path=str(ARTEFACTS / "web-offline-phone.png"), full_page=True)
    context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden()
    expect(page.locator("#done-list li.waiting")).to_have_count(0)
    stored = _sets(page, "leg-extension")
    assert len(stored) == before + 1
    assert stored[-1]["idempotency_key"] == key
    assert stored[-1]["logged_at"] <= stored[-1]["created_at"]  # stamped when done, offline
    assert page.evaluate("JSON.parse(localStorage.getItem('failwise.queue.v1'))") == []
    # a reload sends nothing again: the queue is empty, the set is stored once
    page.reload()
    assert len(_sets(page, "leg-extension")) == before + 1
    assert errors == []
    context.close()


def test_import_a_strong_file(browser: Browser, server: Server) -> None:
    context = _context(browser, server, "phone")
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill("strong-lifter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    page.goto("/import")
    page.locator("#file").set_input_files(str(STRONG))
    page.get_by_role("button", name="Import").click()
    summary = page.locator("#import-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    assert int(page.locator("#summary-sets").inner_text()) > 0
    expect(summary).to_contain_text("Strong, comma-separated")
    # The lines left out (the file's cardio row among them) say why, and the reasons wrap
    # on a phone: nothing runs off to the right.
    skipped = page.locator("#skipped-lines li")
    assert skipped.count() > 0
    expect(skipped.first).to_contain_text(re.compile(r"^Line \d+ \S"))
    for size in ("phone", "desktop"):
        width, height = SIZES[size]
        page.set_viewport_size({"width": width, "height": height})
        for box in (skipped.nth(i).bounding_box() for i in range(skipped.count())):
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTEFACTS / f"web-import-summary-{size}.png"), full_page=True)
    page.goto("/history")
    assert page.locator("#e1rm-chart svg polyline.series").count() == 1
    assert errors == []
    context.close()


def _drawn(page: Page, figure: str, marks: str) -> None:
    chart = page.locator(f"#{figure} svg.chart")
    expect(chart).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100, figure
    assert chart.locator(marks).count() > 0, figure


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_page_renders_with_its_charts_and_no_errors(
    browser: Browser, server: Server, size: str
) -> None:
    width, _ = SIZES[size]
    context = _context(browser, server, size)
    page, errors = _demo(context)
    charts = {
        "/today?exercise=barbell-squat": {},
        "/history": {"e1rm-chart": "polyline.series", "volume-chart": "rect.bar"},
        "/insights": {
            "calibration-chart": "circle.point",
            "readiness-chart": "rect.bar",
            "rir-chart": "rect.bar",
            "trend-chart": "polyline.series",
        },
        "/plan": {},
        "/import": {},
        "/guide": {"fatigue-chart": "polyline.series", "stimulus-chart": "polyline.series"},
        "/settings": {},
    }
    for path, figures in charts.items():
        page.goto(path)
        assert page.title().endswith(" — failwise")
        expect(page.locator("h1")).to_have_count(1)
        for figure, marks in figures.items():
            _drawn(page, figure, marks)
        _fits(page, width)
        name = path.strip("/").split("?")[0]
        page.screenshot(path=str(ARTEFACTS / f"web-{name}-{size}.png"), full_page=True)
    # a plan from the form's defaults (prefilled from settings and the physique analysis)
    page.goto("/plan")
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_url("**/plan")
    assert page.locator("details.week").count() >= 5
    _fits(page, width)
    page.screenshot(path=str(ARTEFACTS / f"web-plan-created-{size}.png"), full_page=True)
    page.goto("/today")
    expect(page.locator("#session-title")).to_contain_text("week 1")
    page.screenshot(path=str(ARTEFACTS / f"web-today-planned-{size}.png"), full_page=True)
    page.context.clear_cookies()
    for path in ("/signin", "/signup", "/"):
        page.goto(path)
        _fits(page, width)
        name = path.strip("/") or "landing"
        page.screenshot(path=str(ARTEFACTS / f"web-{name}-{size}.png"), full_page=True)
    assert errors == []
    context.close()


def test_the_keyboard_reaches_the_log_button_with_a_visible_focus(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server, "desktop")
    page, errors = _demo(context)
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    button = page.get_by_role("button", name="Log as planned")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "log-button":
            break
    else:
        pytest.fail("Tab never reached the log button")
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    assert errors == []
    context.close()


@pytest.fixture(scope="module")
def gym_floor(browser: Browser, server: Server) -> str:
    """One lifter for the gym-floor tests below: sign-ups from one address are rate limited
    (10 an hour), and this module already makes many."""
    context = _context(browser, server)
    _new_lifter(context, "gym-floor")
    context.close()
    return "gym-floor"


def _signed_in(
    browser: Browser, server: Server, name: str, locale: str = "en-GB"
) -> tuple[BrowserContext, Page, list[str]]:
    """A phone (390×844) signed in as ``name``."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": 390, "height": 844}, locale=locale
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signin")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/today")
    return context, page, errors


def test_a_load_typed_with_a_decimal_comma_in_german_is_stored_as_typed(
    browser: Browser, server: Server, gym_floor: str
) -> None:
    # Chromium's number field read "22,5" as 225 (en-US and de-DE alike): the load is text.
    context, page, errors = _signed_in(browser, server, gym_floor, locale="de-DE")
    page.goto("/today?exercise=leg-extension")
    page.get_by_label("Load (kg)").fill("")
    page.get_by_label("Load (kg)").press_sequentially("22,5")
    page.get_by_label("Reps", exact=True).fill("10")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    assert [s["load"] for s in _sets(page, "leg-extension")] == [22.5]
    expect(page.locator("#done-list li")).to_contain_text(["22.5 kg × 10"])
    assert errors == []
    context.close()


def test_a_load_far_above_the_e1rm_asks_and_yes_logs_it(
    browser: Browser, server: Server, gym_floor: str
) -> None:
    context, page, errors = _signed_in(browser, server, gym_floor)
    page.goto("/today?exercise=leg-curl-seated")
    page.get_by_label("Load (kg)").fill("60")
    page.get_by_label("Reps", exact=True).fill("10")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    page.get_by_label("Load (kg)").fill("600")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#load-error")).to_contain_text("600 kg is far above your e1RM")
    assert len(_sets(page, "leg-curl-seated")) == 1
    page.get_by_role("button", name="Yes, log it").click()
    expect(page.locator("#set-number")).to_have_text("Set 3 of 3")
    expect(page.locator("#confirm-load")).to_have_count(0)
    assert sorted(s["load"] for s in _sets(page, "leg-curl-seated")) == [60, 600]
    # Chromium logs the question's 422 as a failed load; nothing else went wrong.
    assert [e for e in errors if "status of 422" not in e] == []
    context.close()


def test_a_new_lifter_searches_bench_and_creates_an_exercise_and_logs_it(
    browser: Browser, server: Server
) -> None:
    """The gym floor on a phone (390×844): "bench" lists the bench variants right under the
    box, tapping one opens it; a name the catalog lacks is created and logged."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page, errors = _new_lifter(context, "zoe")
    box = page.get_by_label("Search the catalog")
    box.fill("bench")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/today?exercise=bench*")
    results = page.locator("#search-list a")
    expect(results.first).to_have_text("Bench Press (Barbell)")
    names = results.all_inner_texts()
    for variant in ("Bench Press (Dumbbell)", "Incline Bench Press (Barbell)"):
        assert variant in names
    expect(page.get_by_label("Search the catalog")).to_have_value("bench")
    listed = results.first.bounding_box()
    assert listed is not None and listed["y"] + listed["height"] <= 844  # above the fold
    _fits(page, 390)
    page.screenshot(path=str(ARTEFACTS / "web-search-phone.png"), full_page=True)
    page.get_by_role("link", name="Incline Bench Press (Dumbbell)").click()
    page.wait_for_url("**/today?exercise=incline-dumbbell-bench-press*")
    expect(page.locator("#exercise-name")).to_have_text("Incline Bench Press (Dumbbell)")

    page.get_by_label("Search the catalog").fill("Zercher Squat")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Create “Zercher Squat”").click()
    page.wait_for_url("**/today?exercise=zercher-squat&added=1")
    expect(page.locator("#exercise-name")).to_have_text("Zercher Squat")
    expect(page.locator("#added")).to_contain_text("Added Zercher Squat")
    page.get_by_label("Load (kg)").fill("60")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#done-list li")).to_have_count(1)
    assert len(_sets(page, "zercher-squat")) == 1
    assert errors == []
    context.close()


def test_an_error_is_a_page_with_a_way_back(browser: Browser, server: Server) -> None:
    context = _context(browser, server)
    page, errors = _new_lifter(context, "lost-lifter")
    page.goto("/history")
    page.evaluate("window.location.href = '/no/such/page'")
    page.wait_for_url("**/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    assert "detail" not in page.content()
    page.screenshot(path=str(ARTEFACTS / "web-error-404-phone.png"), full_page=True)
    page.get_by_role("link", name="Back to where you were").click()
    page.wait_for_url("**/history")
    page.goto("/no/such/page")
    page.get_by_role("link", name="Back to Today").click()
    page.wait_for_url("**/today")
    assert [e for e in errors if "status of 404" not in e] == []
    context.close()


def test_start_a_planned_session_while_a_free_workout_is_open(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server)
    page, errors = _new_lifter(context, "open-workout-lifter")
    made = page.request.post("/api/plans", data={"days": 3}, headers=_csrf(context))
    assert made.ok, made.text()
    free = page.request.post("/api/workouts", data={}, headers=_csrf(context))
    assert free.ok, free.text()
    page.goto("/today")
    page.get_by_role("button", name="Start this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A workout is still open")
    expect(page.get_by_role("button", name="Continue the open workout")).to_be_visible()
    page.screenshot(path=str(ARTEFACTS / "web-start-session-open-phone.png"), full_page=True)
    page.get_by_role("button", name="Finish it and start the session").click()
    page.wait_for_url("**/today?exercise=*")
    expect(page.get_by_role("button", name="Start this session")).to_have_count(0)
    workouts = page.request.get("/api/workouts?limit=2").json()
    assert [w["id"] for w in workouts][1] == free.json()["id"]
    assert workouts[0]["open"] and not workouts[1]["open"]
    assert [e for e in errors if "status of 409" not in e] == []
    context.close()


def test_try_the_demo_from_today_leaves_the_lifters_own_log_empty(
    browser: Browser, server: Server
) -> None:
    context = _context(browser, server)
    page, errors = _new_lifter(context, "real-lifter")
    mine = page.request.get("/api/me").json()["id"]
    expect(page.locator("#demo-note")).to_contain_text("separate")
    page.get_by_role("button", name="Try the demo").click()
    page.wait_for_url("**/today?exercise=barbell-squat")
    assert page.request.get("/api/me").json()["id"] != mine
    page.goto("/signin")
    page.get_by_label("Username").fill("real-lifter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/today")
    assert page.request.get("/api/me").json()["id"] == mine
    assert page.request.get("/api/history").json() == []
    assert errors == []
    context.close()


def test_undo_after_a_log_deletes_the_set_on_a_phone(
    browser: Browser, server: Server, gym_floor: str
) -> None:
    context, page, errors = _signed_in(browser, server, gym_floor)
    page.goto("/today?exercise=machine-chest-fly")
    done = page.locator("#done-list li").count()
    page.get_by_label("Load (kg)").fill("40")
    page.get_by_label("Reps", exact=True).fill("12")
    page.get_by_role("button", name="Log set").click()
    expect(page.locator("#done-list li")).to_have_count(done + 1)
    assert len(_sets(page, "machine-chest-fly")) == 1
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/today?exercise=machine-chest-fly")
    expect(page.locator("#done-list li")).to_have_count(done)
    expect(page.locator("#set-number")).to_have_text("Set 1 of 3")
    assert _sets(page, "machine-chest-fly") == []
    _fits(page, 390)
    assert errors == []
    context.close()


def _inside_first_screen(page: Page, selector: str, height: int = 844) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{selector} at {box}"


def test_on_a_phone_the_set_and_its_log_button_fill_the_first_screen(
    browser: Browser, server: Server, gym_floor: str
) -> None:
    context, page, errors = _signed_in(browser, server, gym_floor)
    page.goto("/today?exercise=barbell-bench-press")
    # One row of navigation, every link and chip and stepper a 44 px target.
    assert page.locator("header.top").bounding_box()["height"] <= 60  # type: ignore[index]
    for selector in ("header.top nav a", ".chips a", ".stepper .step", "#log-button"):
        targets = page.locator(selector)
        assert targets.count() > 0, selector
        for index in range(targets.count()):
            box = targets.nth(index).bounding_box()
            assert box is not None and box["height"] >= 44, (selector, index, box)
    assert page.locator(".toggle label").bounding_box()["height"] >= 44  # type: ignore[index]
    assert page.evaluate("window.scrollY") == 0
    for selector in ("#set-number", "#target-load", "#target-reps", "#decision", "#log-button"):
        _inside_first_screen(page, selector)
    page.screenshot(path=str(ARTEFACTS / "web-today-first-screen-phone.png"))
    # "Why" unfolds the reasons.
    expect(page.locator("#reasons")).to_be_hidden()
    page.locator("#why > summary").click()
    expect(page.locator("#reasons li").first).to_be_visible()
    page.locator("#why > summary").click()
    page.get_by_label("Load (kg)").fill("60")
    page.get_by_label("Reps", exact=True).fill("8")
    page.locator("#log-button").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    expect(page.locator("#rest")).to_be_visible()
    # Today's rest card says it: the bar other pages show never covers the Log button here.
    assert not page.locator("#rest-bar").is_visible()
    _inside_first_screen(page, "#target-load")
    _inside_first_screen(page, "#rest")
    page.screenshot(path=str(ARTEFACTS / "web-today-after-log-phone.png"))
    _fits(page, 390)
    assert errors == []
    context.close()

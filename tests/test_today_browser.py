"""Today's set card on a phone (390×844) in Debian's Chromium: the plates follow the load
field, the planned session's counters follow each log without a reload, a warm-up counts
for nothing, the Log button and the decision stay on the first screen, and the one-row nav
shows that it scrolls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .browser import ARTEFACTS, chromium, watch_errors
from .servers import serving, uvicorn_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("today")

    with serving(folder, uvicorn_app) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _lifter(browser: Browser, server: str, name: str) -> tuple[BrowserContext, Page, list[str]]:
    """A new lifter on a phone, signed up on the page."""
    context = browser.new_context(base_url=server, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    return context, page, errors


def _csrf(context: BrowserContext) -> dict[str, str]:
    return {
        "X-CSRF-Token": next(c["value"] for c in context.cookies() if c["name"] == "failwise_csrf")
    }


def _inside_first_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{selector} at {box}"


def _squats_two_days_ago(context: BrowserContext, page: Page) -> None:
    """3 × 5 at 140 kg at RIR 2, 1, 1, in a workout finished two days ago."""
    when = datetime.now(UTC) - timedelta(days=2)
    for n, rir in enumerate((2, 1, 1)):
        logged = page.request.post(
            "/api/sets",
            data={
                "exercise": "barbell-squat",
                "load": 140,
                "reps": 5,
                "rir": rir,
                "total_sets": 3,
                "logged_at": (when + timedelta(minutes=3 * n)).isoformat(),
            },
            headers=_csrf(context),
        )
        assert logged.ok, logged.text()
    workout = logged.json()["set"]["workout_id"]
    finished = page.request.post(f"/api/workouts/{workout}/finish", headers=_csrf(context))
    assert finished.ok, finished.text()


def test_the_squat_card_shows_last_time_and_plates_that_follow_the_load_field(
    browser: Browser, server: str
) -> None:
    context, page, errors = _lifter(browser, server, "plates")
    _squats_two_days_ago(context, page)
    page.goto("/today?exercise=barbell-squat")
    expect(page.locator("#last-time")).to_contain_text("3 × 5 at 140 kg, RIR 2, 1, 1")
    expect(page.locator("#plates")).to_contain_text("kg per side")
    # The set, its decision and the Log button on the first screen, with the new lines.
    assert page.evaluate("window.scrollY") == 0
    for selector in ("#set-number", "#target-load", "#decision", "#plates", "#log-button"):
        _inside_first_screen(page, selector)
    page.screenshot(path=str(ARTEFACTS / "web-today-plates-phone.png"))
    # The load typed: the plates follow, with no request to the server.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator("#load").fill("142.5")
    expect(page.locator("#plates")).to_have_text("25 + 25 + 10 + 1.25 kg per side")
    page.locator("#load").fill("20")
    expect(page.locator("#plates")).to_have_text("Bar only")
    page.locator("#load").fill("15")
    expect(page.locator("#plates")).to_be_hidden()
    page.get_by_role("button", name="More load").click()  # 15 → 17.5: still under the bar
    expect(page.locator("#plates")).to_be_hidden()
    assert requests == []
    # After a log, the next set's load arrives and its plates are the server's for it.
    page.locator("#load").fill("140")
    page.locator("#log-button").click()
    expect(page.locator("#set-number")).to_have_text("Set 2 of 3")
    shown = page.locator("#plates").inner_text()
    page.reload()
    expect(page.locator("#plates")).to_have_text(shown)
    assert errors == []
    context.close()


def test_a_warm_up_then_a_working_set_move_the_planned_counter_without_a_reload(
    browser: Browser, server: str
) -> None:
    context, page, errors = _lifter(browser, server, "counters")
    made = page.request.post("/api/plans", data={"days": 3}, headers=_csrf(context))
    assert made.ok, made.text()
    page.goto("/today")
    page.get_by_role("button", name="Start this session").click()
    page.wait_for_url("**/today**")
    first = page.locator("#session ol.planned a").first.get_attribute("href") or ""
    exercise = first.split("exercise=")[1].split("&")[0]
    sets = int(first.split("sets=")[1])
    page.goto(f"/today?exercise={exercise}")
    counter = page.locator(f'[data-counter="{exercise}"]')
    expect(counter).to_have_text(f"0/{sets} done")
    for selector in ("#decision", "#log-button"):
        _inside_first_screen(page, selector)
    page.evaluate("window.notReloaded = true")
    # A warm-up at 20 kg with a note: not a working set.
    page.get_by_label("Warm-up").check()
    expect(page.locator("#log-button")).to_have_text("Log warm-up")
    page.locator("#load").fill("20")
    page.locator("#note-box > summary").click()
    page.get_by_label("Note on this set").fill("empty bar")
    page.locator("#log-button").click()
    expect(page.locator("#done-list li").last).to_contain_text("warm-up 20 kg")
    expect(counter).to_have_text(f"0/{sets} done")
    expect(page.locator("#set-number")).to_have_text(f"Set 1 of {sets}")
    assert not page.get_by_label("Warm-up").is_checked()
    # A working set: 1 done, set 2, and the page was never reloaded.
    if page.locator("#load").input_value() == "":
        page.locator("#load").fill("40")
    page.locator("#log-button").click()
    expect(counter).to_have_text(f"1/{sets} done")
    expect(page.locator("#set-number")).to_have_text(f"Set 2 of {sets}")
    assert page.evaluate("window.notReloaded") is True
    stored = page.request.get(f"/api/history?exercise={exercise}").json()
    assert [(s["set_type"], s["notes"]) for s in stored] == [
        ("warm-up", "empty bar"),
        ("working", ""),
    ]
    # Undo the working set: the counter is back to 0.
    page.get_by_role("button", name="Undo").click()
    page.wait_for_load_state()
    expect(counter).to_have_text(f"0/{sets} done")
    assert errors == []
    context.close()


def test_the_nav_shows_it_scrolls_and_the_page_its_own_link(browser: Browser, server: str) -> None:
    context, page, errors = _lifter(browser, server, "nav")
    nav = page.locator("header.top nav")
    # On Today the links past the edge fade out on the right.
    expect(nav).to_have_class("more-right")
    assert "gradient" in nav.evaluate("n => getComputedStyle(n).maskImage")
    # On the last page of the row, its link is scrolled into view and the left edge fades.
    page.goto("/exercises")
    current = page.locator('header.top nav [aria-current="page"]').bounding_box()
    box = nav.bounding_box()
    assert current is not None and box is not None
    # (A pixel's rounding either way: the last link ends where the nav does.)
    assert box["x"] - 1 <= current["x"]
    assert current["x"] + current["width"] <= box["x"] + box["width"] + 1
    expect(nav).to_have_class("more-left")
    page.screenshot(path=str(ARTEFACTS / "web-nav-scrolled-phone.png"))
    assert errors == []
    context.close()


def test_each_set_logged_keeps_the_target_its_card_showed(browser: Browser, server: str) -> None:
    """Two squat sets, each logged with one tap: the first at 150 kg where the card said
    140 (heavier than shown: only its RIR is a target), the second as its card, from the
    answer to the first, showed it (all of it is its target). The phone sent each card
    with its set."""
    context, page, errors = _lifter(browser, server, "shown")
    _squats_two_days_ago(context, page)
    page.goto("/today?exercise=barbell-squat")
    sent: list[Any] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data_json)
            if request.method == "POST" and request.url.endswith("/api/sets")
            else None
        ),
    )
    cards = []
    for number in (1, 2):
        expect(page.locator("#set-number")).to_have_text(f"Set {number} of 3")
        cards.append(
            tuple(page.locator(f"#target-{part}").inner_text() for part in ("load", "reps", "rir"))
        )
        if number == 1:
            page.locator("#load").fill("150")
        page.locator("#log-button").click()
    expect(page.locator("#set-number")).to_have_text("Set 3 of 3")
    assert cards[0][0] == "140 kg" and cards[1][0] != cards[0][0]
    first, second = page.request.get("/api/history?exercise=barbell-squat").json()[-2:]
    assert (first["load"], first["target_load"], first["target_reps"]) == (150, None, None)
    assert (second["target_load"], second["target_reps"]) == (
        float(cards[1][0].removesuffix(" kg")),
        int(cards[1][1]),
    )
    for card, done, body in zip(cards, (first, second), sent, strict=True):
        low, high = done["target_rir"]["min"], done["target_rir"]["max"]
        assert card[2].startswith(f"RIR {low:g}–{high:g}" if low != high else f"RIR {low:g}")
        assert body["shown"] == {
            "load": float(card[0].removesuffix(" kg")),
            "reps": int(card[1]),
            "target_rir": {"min": low, "max": high},
        }
    assert errors == []
    context.close()

"""Records and a workout's editable rows on a phone (390×844), in Debian's Chromium.

Three sets of 5 at 140 kg without an RIR call, and one of 8 at 120: each taken at
failure, 140 / 0.863 = 162.2 kg is the best e1RM (RTS chart, 5 to failure = 86.3 %).
Corrected to 145 kg on the workout's page, it is 145 / 0.863 = 168.0 kg.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import ARTEFACTS, chromium, watch_errors
from .servers import serving, uvicorn_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("records")

    with serving(folder, uvicorn_app) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _fits(page: Page) -> None:
    """No sideways scroll on the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _tappable(page: Page, selector: str) -> None:
    """Every control ``selector`` finds is at least 44 px tall and inside the screen."""
    for box in page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {h: r.height, right: r.right, left: r.left}; })"
    ):
        assert box["h"] >= 44, (selector, box)
        assert box["left"] >= 0 and box["right"] <= PHONE["width"], (selector, box)


def test_records_fit_a_phone_and_a_corrected_load_shows_in_history_and_records(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill("rowena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    token = next(c["value"] for c in context.cookies() if c["name"] == "failwise_csrf")
    for load, reps in ((140, 5), (140, 5), (140, 5), (120, 8)):
        logged = page.request.post(
            "/api/sets",
            data={"exercise": "Squat (Barbell)", "load": load, "reps": reps},
            headers={"X-CSRF-Token": token},
        )
        assert logged.ok, logged.text()

    page.goto("/records")
    squat = page.locator("#record-barbell-squat")
    expect(squat.locator(".e1rm strong")).to_have_text("162.2 kg")
    expect(squat.locator(".heaviest strong")).to_have_text("140 kg")
    _fits(page)
    squat.locator(".rep-records > summary").click()
    expect(squat.locator(".rep-records li")).to_have_count(2)
    _fits(page)
    _tappable(page, ".rep-records > summary, .record h2 a")
    page.screenshot(path=str(ARTEFACTS / "records-phone.png"), full_page=True)

    page.goto("/history")
    page.get_by_role("link", name="Edit its sets").first.click()
    page.wait_for_url("**/workouts/*")
    _fits(page)
    _tappable(page, ".set-row input[type=text], .set-row select, .set-row button")
    first = page.locator("form.set-row").first
    first.get_by_label("Load (kg)").fill("145")
    first.get_by_role("button", name="Save").click()
    page.wait_for_url("**/workouts/*#set-*")
    expect(page.locator("form.set-row").first.get_by_label("Load (kg)")).to_have_value("145")
    _fits(page)
    page.screenshot(path=str(ARTEFACTS / "workout-rows-phone.png"), full_page=True)

    page.goto("/history")
    expect(page.locator("details.workout").first).to_contain_text("145 kg × 5")
    page.goto("/records")
    expect(page.locator("#record-barbell-squat .e1rm strong")).to_have_text("168 kg")
    _fits(page)
    assert errors == []
    context.close()

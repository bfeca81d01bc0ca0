"""The web app on the gym floor, offline, in Debian's Chromium on a phone (390×844).

After one visit with a connection the service worker has saved Today, the recent
exercises' Today pages, the catalog and the recent sets: with the connection gone
the app reloads, switches exercise and logs sets into the queue, which sends each
exactly once when the connection returns. A page never saved is the offline page,
which still logs a set. Signing out drops what was saved; the manifest makes the app
installable; the rest timer goes on on every page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .browser import ARTEFACTS, chromium, watch_errors
from .servers import serving, uvicorn_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CSS = (
    Path(__file__).resolve().parent.parent / "src/failwise/adapters/web/static/app.css"
).read_text()
SAVED_PAGES = """async () => {
  const cache = await caches.open("failwise-data-v1");
  return (await cache.keys()).map((r) => new URL(r.url)).map((u) => u.pathname + u.search);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web-offline")

    with serving(folder, uvicorn_app) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    opened = browser.new_context(base_url=server, viewport=PHONE, locale="en-GB")
    opened.set_default_timeout(20_000)
    yield opened
    opened.close()


def _visited_once(context: BrowserContext) -> tuple[Page, list[str]]:
    """A demo lifter's one visit with a connection, until the worker has saved the pages."""
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signin")
    page.get_by_role("button", name="Try the demo").click()
    page.wait_for_url("**/today?exercise=barbell-squat")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")
    return page, errors


def _history(page: Page) -> list[dict[str, object]]:
    response = page.request.get("/api/history?limit=500")
    assert response.ok
    sets: list[dict[str, object]] = response.json()
    return sets


def _online(context: BrowserContext, page: Page) -> None:
    context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden()


def test_offline_today_reloads_switches_exercise_and_its_sets_are_stored_once(
    context: BrowserContext,
) -> None:
    page, errors = _visited_once(context)
    before = _history(page)
    # Another of the lifter's recent exercises, one tap away on the picker.
    name = page.locator('#picker .chips a:not([href*="barbell-squat"])').first.inner_text()
    context.set_offline(True)
    page.reload()
    expect(page).to_have_title("Today — failwise")
    expect(page.locator("#exercise-name")).to_have_text("Squat (Barbell)")
    page.locator("#picker .chips a", has_text=name).first.click()
    expect(page.locator("#exercise-name")).to_have_text(name)
    first_key = page.locator("#idempotency_key").input_value()
    page.locator("#log-button").click()
    expect(page.locator("#queue-count")).to_have_text("1 set waiting to be sent")
    page.reload()  # the same saved page again: a new key, not the first set's
    expect(page.locator("#exercise-name")).to_have_text(name)
    assert page.locator("#idempotency_key").input_value() != first_key
    page.locator("#log-button").click()
    expect(page.locator("#queue-count")).to_have_text("2 sets waiting to be sent")
    page.screenshot(path=str(ARTEFACTS / "web-offline-switched-phone.png"), full_page=True)
    _online(context, page)
    after = _history(page)
    new = [s for s in after if s["id"] not in {b["id"] for b in before}]
    assert len(new) == 2
    assert {s["exercise"]["name"] for s in new} == {name}  # type: ignore[index]
    assert len({s["idempotency_key"] for s in new}) == 2
    page.reload()  # nothing is sent again
    assert len(_history(page)) == len(after)
    assert errors == []


def test_a_page_never_saved_is_the_offline_page_and_it_logs_a_set(
    context: BrowserContext,
) -> None:
    page, errors = _visited_once(context)
    before = len(_history(page))
    context.set_offline(True)
    page.goto("/today?exercise=good-morning")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_label("Exercise")).to_have_value(
        "Good Morning (Barbell)"
    )  # from the saved catalog
    page.get_by_label("Load (kg)").fill("60")
    page.get_by_label("Reps", exact=True).fill("8")
    page.get_by_label("Reps in reserve").fill("2")
    page.get_by_role("button", name="Save the set").click()
    expect(page.locator("#queue-count")).to_have_text("1 set waiting to be sent")
    expect(page.locator("#offline-status")).to_contain_text(
        "Good Morning (Barbell) 60 kg × 8 @ RIR 2"
    )
    page.screenshot(path=str(ARTEFACTS / "web-offline-page-phone.png"), full_page=True)
    page.goto("/history")  # another page never saved: the queue waits there too
    expect(page.locator("#queue-count")).to_have_text("1 set waiting to be sent")
    _online(context, page)
    stored = _history(page)
    assert len(stored) == before + 1
    last = stored[-1]
    assert last["exercise"]["id"] == "good-morning"  # type: ignore[index]
    assert (last["load"], last["reps"], last["rir"]) == (60, 8, 2)
    assert errors == []


def test_signing_out_drops_the_pages_saved_on_the_phone(context: BrowserContext) -> None:
    for button in ("Sign out", "Sign out everywhere"):
        page, _ = _visited_once(context)
        user = page.locator("body").get_attribute("data-user")
        assert user
        assert "/today" in page.evaluate(SAVED_PAGES)
        if button == "Sign out everywhere":
            page.goto("/settings")
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_url("**/signin")
        page.wait_for_function(f"({SAVED_PAGES})().then((saved) => saved.length <= 1)")
        assert not [p for p in page.evaluate(SAVED_PAGES) if not p.startswith("/__failwise/")]
        context.set_offline(True)
        page.goto("/today")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        assert user not in page.content()
        context.set_offline(False)
        page.close()


def test_the_manifest_makes_the_app_installable_and_every_page_links_it(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    anonymous = ["/", "/signin", "/signup", "/guide", "/no-such-page"]
    pages = {path: page.request.get(path) for path in anonymous}
    page.goto("/signin")
    page.get_by_role("button", name="Try the demo").click()
    page.wait_for_url("**/today?exercise=barbell-squat")
    signed_in = ["/today", "/history", "/insights", "/plan", "/import", "/settings", "/exercises"]
    pages |= {
        path: page.request.get(path) for path in [*signed_in, "/offline", "/sets/999999/edit"]
    }
    for path, answer in pages.items():
        assert '<link rel="manifest" href="/manifest.webmanifest">' in answer.text(), path
        assert '<meta name="theme-color" content="#1d4ed8">' in answer.text(), path

    served = page.request.get("/manifest.webmanifest")
    assert served.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(served.text())
    assert manifest["name"].startswith("failwise")
    assert manifest["short_name"] == "failwise"
    assert manifest["start_url"] == "/today"
    assert manifest["display"] == "standalone"
    brand = re.search(r"--brand:\s*(#[0-9a-fA-F]{6})", CSS)
    assert brand and manifest["theme_color"] == brand.group(1)
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= set(sizes)
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == icon["type"]
    worker = page.request.get("/sw.js")
    assert worker.ok and worker.headers["content-type"].startswith("text/javascript")
    assert (
        page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        == page.url.split("/today")[0] + "/"
    )


def test_the_rest_timer_goes_on_on_every_page_and_says_when_it_is_over(
    context: BrowserContext,
) -> None:
    context.grant_permissions(["notifications"])
    page, errors = _visited_once(context)
    page.locator("#log-button").click()
    expect(page.locator("#rest")).to_be_visible()
    expect(page.locator("#rest-bar")).to_be_hidden()  # Today's own rest card says it
    page.goto("/history")
    expect(page.locator("#rest-bar")).to_be_visible()
    expect(page.locator("#rest-bar-left")).to_have_text(re.compile(r"^\d:\d\d$"))
    page.screenshot(path=str(ARTEFACTS / "web-rest-bar-phone.png"))
    page.goto("/today?exercise=barbell-squat")
    expect(page.locator("#rest")).to_be_visible()  # the same rest, on Today's card
    page.goto("/plan")
    page.evaluate("window.failwise.rest.start(1)")
    expect(page.locator("#rest-bar-left")).to_have_text("over: next set")
    page.wait_for_function(
        "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
        ".then((shown) => shown.some((n) => n.title === 'Rest is over'))"
    )
    page.get_by_role("button", name="Dismiss").click()
    expect(page.locator("#rest-bar")).to_be_hidden()
    assert page.evaluate("localStorage.getItem('failwise.rest.v1')") is None
    assert errors == []

"""History's weekly sets on a phone, in Chromium: a card per muscle in plain words that
fits a 390 px screen, with nothing to scroll sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from .browser import ARTEFACTS, chromium
from .test_web_browser import Server, _demo
from .test_web_browser import server as server

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Each card's box, and whether anything in it is wider than the card (it would scroll).
CARDS = """() => [...document.querySelectorAll('#volume-cards li')].map(card => {
  const box = card.getBoundingClientRect();
  const wide = [...card.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1);
  return {text: card.innerText, left: box.left, right: box.right, wide,
          scrolls: card.scrollWidth > card.clientWidth + 1,
          inScroll: !!card.closest('.scroll')};
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


def test_weekly_sets_read_as_cards_that_fit_a_phone(browser: Browser, server: Server) -> None:
    context = browser.new_context(base_url=server.url, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    page, errors = _demo(context)
    page.goto("/history")
    cards = page.locator("#volume-cards li")
    expect(cards.first).to_be_visible()
    chest = cards.filter(has_text="Chest:")
    expect(chest).to_have_count(1)
    # "Chest: 12 sets — within your productive range", with the landmarks in words.
    expect(chest).to_contain_text("sets —")
    expect(chest).to_contain_text("best at 12–20")
    measured = page.evaluate(CARDS)
    assert len(measured) >= 7  # every muscle with landmarks
    for card in measured:
        assert card["left"] >= 0 and card["right"] <= PHONE["width"], card
        assert not card["scrolls"] and not card["wide"] and not card["inScroll"], card
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The landmarks' words link to the glossary, and the glossary entry is there.
    chest.get_by_role("link", name="MAV").click()
    page.wait_for_url("**/guide#mav")
    expect(page.locator("dt#mav")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/history")
    page.locator("#volume-cards").screenshot(path=str(ARTEFACTS / "volume-cards-390.png"))
    assert errors == []
    context.close()

"""Charts on a phone, in Chromium: they fit a 360 px screen, their labels never overlap,
and a history over more than a year shows the year on its axis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .browser import ARTEFACTS, chromium, watch_errors
from .test_web_browser import PASSWORD, SIZES, Server, _context, _demo
from .test_web_browser import server as server

pytestmark = pytest.mark.browser

CHARTS = {
    "/history": ("e1rm-chart", "volume-chart"),
    "/insights": ("calibration-chart", "readiness-chart", "rir-chart", "trend-chart"),
}

# Every chart on the page: its box, and each pair of its <text> elements that overlap.
MEASURE = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i].r, b = texts[j].r;
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
        a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      overlaps.push([texts[i].text, texts[j].text]);
  }
  return {id: svg.closest('figure') ? svg.closest('figure').id : '', left: box.left,
          right: box.right, texts: texts.length, overlaps};
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


def _check_charts(page: Page, width: int, figures: tuple[str, ...], name: str = "") -> None:
    charts = page.evaluate(MEASURE)
    found = {chart["id"] for chart in charts}
    assert set(figures) <= found, (figures, found)
    for chart in charts:
        assert chart["left"] >= 0 and chart["right"] <= width, chart
        assert chart["texts"] > 0, chart
        assert chart["overlaps"] == [], chart
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for figure in figures:
        shot = ARTEFACTS / f"chart-{figure}{name}-{width}.png"
        page.locator(f"#{figure}").screenshot(path=str(shot))


@pytest.mark.parametrize("size", sorted(SIZES))
def test_charts_fit_the_screen_and_their_labels_never_overlap(
    browser: Browser,
    server: Server,
    size: str,
) -> None:
    width, _ = SIZES[size]
    context = _context(browser, server, size)
    page, errors = _demo(context)
    for path, figures in CHARTS.items():
        page.goto(path)
        _check_charts(page, width, figures)
        page.screenshot(
            path=str(ARTEFACTS / f"charts{path.replace('/', '-')}-{size}.png"), full_page=True
        )
    # The plan reads as cards: each exercise a row with its sets × reps, load and target.
    page.goto("/plan")
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_url("**/plan")
    rows = page.locator("details.week[open] .plan-rows li")
    assert rows.count() > 0
    for label in ("sets × reps", "load", "target", "last set"):
        expect(rows.first.locator("dt", has_text=label)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTEFACTS / f"charts-plan-{size}.png"), full_page=True)
    session = page.locator("details.week[open] .session").first
    session.screenshot(path=str(ARTEFACTS / f"plan-session-{size}.png"))
    # The guide's rules break between words only, never inside one ("isol/atio/n").
    page.goto("/guide")
    conditions = page.locator('#rules-table th[scope="row"]')
    assert conditions.count() > 5
    for index in range(conditions.count()):
        broken = conditions.nth(index).evaluate(
            """e => { const range = document.createRange(); const text = e.firstChild;
                for (let i = 1; i < text.length; i++) {
                  if (!/\\w/.test(text.data[i - 1]) || !/\\w/.test(text.data[i])) continue;
                  range.setStart(text, i - 1); range.setEnd(text, i + 1);
                  if (range.getClientRects().length > 1) return text.data; }
                return null; }"""
        )
        assert broken is None, broken
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTEFACTS / f"charts-guide-{size}.png"), full_page=True)
    page.locator("#rules-table").screenshot(path=str(ARTEFACTS / f"guide-rules-{size}.png"))
    assert errors == []
    context.close()


def _long_history(path: Path) -> Path:
    """A Strong export: bench press and squat every two weeks, March 2023 to June 2026."""
    rows = [
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE"
    ]
    day, index = date(2023, 3, 6), 0
    while day <= date(2026, 6, 1):
        for exercise, base in (("Bench Press (Barbell)", 60.0), ("Squat (Barbell)", 80.0)):
            load = base + index * 0.5
            for order in (1, 2, 3):
                rows.append(
                    f'{day} 18:00:00,"Full body",1h 0m,{exercise},{order},{load},8,0,0,"","",8'
                )
        day += timedelta(weeks=2)
        index += 1
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_history_over_more_than_a_year_shows_the_years_on_its_axis(
    browser: Browser,
    server: Server,
    tmp_path: Path,
) -> None:
    context: BrowserContext = _context(browser, server, "phone")
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill("long-lifter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/today?welcome=1")
    page.goto("/import")
    page.locator("#file").set_input_files(str(_long_history(tmp_path / "strong.csv")))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-summary").wait_for()
    for path, figure in (("/history", "e1rm-chart"), ("/insights", "trend-chart")):
        page.goto(path)
        labels = page.locator(f"#{figure} svg text.tick").all_text_contents()
        assert any(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", label) for label in labels), labels
        _check_charts(page, SIZES["phone"][0], (figure,), "-long")
        page.screenshot(
            path=str(ARTEFACTS / f"charts-long{path.replace('/', '-')}-phone.png"), full_page=True
        )
    assert errors == []
    context.close()

"""The HTML history report in a real browser: no console errors, and the charts render."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from failwise.adapters.reports.history import render_html
from failwise.domain.analysis import HistorySet, analyse
from failwise.services.catalog import builtin_catalog

from .browser import ARTEFACTS, chromium, watch_errors

pytestmark = pytest.mark.browser


def _history() -> list[HistorySet]:
    catalog = builtin_catalog()
    squat = catalog.resolve("Squat (Barbell)")
    bench = catalog.resolve("Bench Press (Barbell)")
    curl = catalog.resolve("Bicep Curl (Cable)")
    start = datetime(2026, 1, 5, 18)
    sets = []
    for week in range(8):
        for day in (0, 3):
            at = start + timedelta(weeks=week, days=day)
            workout = at.isoformat()
            sets += [HistorySet(at, squat, 120 + 2.5 * week, 5, workout=workout)] * 3
            sets += [HistorySet(at, bench, 90 + week, 5, rir=1.0, workout=workout)] * 3
            sets += [HistorySet(at, curl, 30, 12, to_failure=day == 3, workout=workout)] * 3
    return sets


def test_the_report_opens_without_errors_and_shows_its_charts(tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(analyse(_history())), encoding="utf-8")
    with chromium() as browser:
        for name, size in (("phone", (360, 740)), ("desktop", (1280, 900))):
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            errors = watch_errors(page)
            page.goto(page_file.as_uri())
            charts = page.locator("figure svg.chart")
            assert charts.count() == 4
            for index in range(charts.count()):
                box = charts.nth(index).bounding_box()
                assert box is not None and box["width"] > 200 and box["height"] > 100
                # something was drawn: bars or lines, not an empty frame
                drawn = charts.nth(index).locator("rect.bar, polyline.series").count()
                assert drawn > 0
            # the charts fit the screen: nothing wider than the viewport
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size[0] + 1
            page.screenshot(path=str(ARTEFACTS / f"report-{name}.png"), full_page=True)
            assert errors == []
            page.close()

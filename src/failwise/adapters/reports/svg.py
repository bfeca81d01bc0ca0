"""Small, dependency-free SVG charts for reports and pages: they render with no script.

Each chart is drawn in a narrow viewBox (400 units) and scales to its box, so it fits a
360 px phone without scrolling sideways; legends sit beneath the plot, never over the data,
and axis labels are thinned to what fits without touching.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777")
WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 50, 12, 30, 30
CHAR = 7.0  # a generous width of one 12-unit character, to keep labels apart
TITLE_CHAR = 8.2
LINE = 16  # the height of one legend row


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    points: Sequence[tuple[float, float]]


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    value = math.floor(low / step) * step
    ticks = [round(value, 10)]
    while ticks[-1] < high:  # the last tick is at or above the highest value
        value += step
        ticks.append(round(value, 10))
    return ticks


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


def _width(text: str) -> float:
    return len(text) * CHAR


def date_labels(start: date, end: date) -> list[tuple[float, str]]:
    """Axis labels for days counted from ``start``: the first and last day and each month
    between; with the year when the dates span more than one (``Mar 2025``).

    >>> [text for _, text in date_labels(date(2024, 11, 20), date(2025, 2, 3))]
    ['Nov 2024', 'Dec 2024', 'Jan 2025', 'Feb 2025']
    >>> [text for _, text in date_labels(date(2025, 3, 2), date(2025, 4, 20))]
    ['2 Mar', '1 Apr', '20 Apr']
    """
    years = start.year != end.year or (end - start).days > 365

    def fmt(day: date) -> str:
        return f"{day:%b %Y}" if years else f"{day.day} {day:%b}"

    labels = [(0.0, fmt(start))]
    month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    while month < end:
        labels.append((float((month - start).days), fmt(month)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if end != start:
        if labels[-1][1] == fmt(end):  # the month's label and the last day's read the same
            labels.pop()
        labels.append((float((end - start).days), fmt(end)))
    return labels


def _x_labels(
    labels: Sequence[tuple[float, str]], sx: Callable[[float], float], y: float
) -> list[str]:
    """Labels along the x axis, inside the plot's width, thinned so that none touch: the
    first and the last are kept, those between only where they fit."""
    placed: list[tuple[float, float, str, str]] = []  # left, right, anchor, text

    def box(x: float, text: str) -> tuple[float, float, str]:
        width = _width(text)
        centre = sx(x)
        if centre - width / 2 < LEFT - 4:
            return LEFT - 4, LEFT - 4 + width, "start"
        if centre + width / 2 > WIDTH - RIGHT:
            return WIDTH - RIGHT - width, WIDTH - RIGHT, "end"
        return centre - width / 2, centre + width / 2, "middle"

    ordered = sorted(labels)
    last = box(*ordered[-1]) if ordered else None
    for index, (x, text) in enumerate(ordered):
        left, right, anchor = box(x, text)
        if placed and left < placed[-1][1] + 8:
            continue
        if last is not None and index < len(ordered) - 1 and right + 8 > last[0]:
            continue
        placed.append((left, right, anchor, text))
    parts = []
    for left, right, anchor, text in placed:
        at = {"start": left, "end": right, "middle": (left + right) / 2}[anchor]
        parts.append(
            f'<text x="{at:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="tick">'
            f"{escape(text)}</text>"
        )
    return parts


def _y_axis(
    ticks: Sequence[float], sy: Callable[[float], float], label: str, bottom: float
) -> list[str]:
    """Grid lines with their values, and the axis label turned on its side."""
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" class="grid"/>'
        f'<text x="{LEFT - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{_fmt(t)}</text>'
        for t in ticks
    ]
    if label:
        middle = TOP + (bottom - TOP) / 2
        parts.append(
            f'<text x="12" y="{middle:.0f}" transform="rotate(-90 12 {middle:.0f})" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _legend(names: Sequence[str], top: float) -> tuple[list[str], float]:
    """Colour keys beneath the plot, wrapping to new rows; returns them and their bottom."""
    parts: list[str] = []
    x, y = float(LEFT), top
    for index, name in enumerate(names):
        width = 16 + _width(name)
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = float(LEFT), y + LINE
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="10" height="10" fill="{colour}" '
            f'class="key"/><text x="{x + 14:.1f}" y="{y + 12:.1f}" class="legend">'
            f"{escape(name)}</text>"
        )
        x += width + 12
    return parts, (y + LINE if names else top)


def _title_lines(title: str) -> list[str]:
    """The title, wrapped to the chart's width."""
    room = int((WIDTH - 16) / TITLE_CHAR)
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _frame(
    title: str, body: list[str], *, label: str, height: float = HEIGHT, top: float = 0
) -> str:
    """The chart: its title at the top, then the body shifted below the title's lines."""
    lines = _title_lines(title)
    shift = (len(lines) - 1) * 17 + top
    heading = "".join(
        f'<text x="8" y="{18 + 17 * i}" class="chart-title">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height + shift:.0f}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(title)}</title>{heading}"
        f'<g transform="translate(0 {shift})">' + "".join(body) + "</g></svg>"
    )


def _empty(title: str) -> str:
    return _frame(
        title,
        [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no data</text>'],
        label=title,
    )


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    x_labels: Sequence[tuple[float, str]] = (),
    y_label: str = "",
) -> str:
    """Lines over a shared x axis (numbers, e.g. days since the first point)."""
    points = [p for s in series for p in s.points]
    if not points:
        return _empty(title)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    yticks = _ticks(min(ys) * 0.95, max(ys) * 1.05)
    y0, y1 = yticks[0], yticks[-1]
    bottom = HEIGHT - BOTTOM
    plot_w, plot_h = WIDTH - LEFT - RIGHT, bottom - TOP

    def sx(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - (y - y0) / (y1 - y0) * plot_h

    body: list[str] = _y_axis(yticks, sy, y_label, bottom)
    body += _x_labels(x_labels, sx, bottom + 20)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line.points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
            f'class="series" data-name="{escape(line.name)}"/>'
        )
        for x, y in line.points:
            body.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{colour}"/>')
    legend, end = _legend([s.name for s in series], HEIGHT)
    return _frame(title, body + legend, label=title, height=end + 4)


@dataclass(frozen=True, slots=True)
class Band:
    """A range drawn behind one bar group, e.g. a muscle's MEV–MRV."""

    low: float
    high: float
    mark: float | None = None


def _category_totals(
    values: dict[tuple[int, int], float], groups: int, categories: int, *, stacked: bool
) -> list[float]:
    """How far each category's bars reach: the sum of its groups stacked, else the longest."""
    return [
        sum(values.get((g, c), 0.0) for g in range(groups))
        if stacked
        else max((values.get((g, c), 0.0) for g in range(groups)), default=0.0)
        for c in range(categories)
    ]


def _value_axis(
    ticks: Sequence[float],
    sx: Callable[[float], float],
    bottom: float,
    label: str,
    *,
    middle: float,
) -> tuple[list[str], float]:
    """Vertical grid lines with their values beneath, and the axis label under them,
    centred on ``middle``; returns them and where the axis ends."""
    parts = [
        f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{TOP}" y2="{bottom:.1f}" class="grid"/>'
        for t in ticks
    ]
    parts += _x_labels([(t, _fmt(t)) for t in ticks], sx, bottom + 16)
    axis_end = bottom + 20
    if label:
        parts.append(
            f'<text x="{middle:.1f}" y="{bottom + 34:.1f}" text-anchor="middle" '
            f'class="axis">{escape(label)}</text>'
        )
        axis_end += 16
    return parts, axis_end


def _band(band: Band, sx: Callable[[float], float], y: float, row: float) -> list[str]:
    """The band behind one row of bars, with its mark when it has one."""
    parts = [
        f'<rect x="{sx(band.low):.1f}" y="{y + 2:.1f}" '
        f'width="{sx(band.high) - sx(band.low):.1f}" height="{row - 4:.1f}" class="band"/>'
    ]
    if band.mark is not None:
        parts.append(
            f'<line x1="{sx(band.mark):.1f}" x2="{sx(band.mark):.1f}" y1="{y + 2:.1f}" '
            f'y2="{y + row - 2:.1f}" class="mark"/>'
        )
    return parts


def _bars(
    category: str,
    values: Sequence[tuple[str, float]],
    sx: Callable[[float], float],
    *,
    y: float,
    height: float,
    stacked: bool,
) -> list[str]:
    """One category's bars, one per group (``values`` as group name and value): side by
    side, or end to end when stacked."""
    parts = []
    base = 0.0
    for g, (group, value) in enumerate(values):
        colour = PALETTE[g % len(PALETTE)]
        top_y = y + 7 + (0 if stacked else g * height)
        start = base if stacked else 0.0
        parts.append(
            f'<rect x="{sx(start):.1f}" y="{top_y:.1f}" '
            f'width="{sx(start + value) - sx(start):.1f}" height="{height:.1f}" '
            f'fill="{colour}" class="bar">'
            f"<title>{escape(category)} — {escape(group)}: {_fmt(value)}</title></rect>"
        )
        if stacked:
            base += value
    return parts


def _category_label(name: str, label_w: float, *, right: float, y: float) -> str:
    """A category's name, right-aligned before its bars, cut short with … to fit."""
    shown = name if _width(name) <= label_w - 8 else name[: int((label_w - 8) / CHAR) - 1] + "…"
    return (
        f'<text x="{right:.1f}" y="{y:.1f}" text-anchor="end" '
        f'class="category">{escape(shown)}</text>'
    )


def bar_chart(
    title: str,
    categories: Sequence[str],
    groups: Sequence[Series],
    *,
    bands: Sequence[Band | None] = (),
    y_label: str = "",
    stacked: bool = False,
) -> str:
    """Horizontal bars, one row per category (readable on a phone however many there are);
    each :class:`Series` gives one value per category (x = index)."""
    values = {(g, int(x)): y for g, s in enumerate(groups) for x, y in s.points}
    totals = _category_totals(values, len(groups), len(categories), stacked=stacked)
    ceiling = max([*totals, *(b.high for b in bands if b), 1.0])
    ticks = _ticks(0.0, ceiling * 1.05, 4)
    top = ticks[-1]
    label_w = min(130.0, max((_width(name) for name in categories), default=0.0) + 8)
    left = max(float(LEFT), label_w)
    bars = 1 if stacked else max(1, len(groups))
    row = max(22.0, 14.0 + 9.0 * bars)  # a gap between rows
    bottom = TOP + row * max(1, len(categories))
    plot_w = WIDTH - left - RIGHT

    def sx(x: float) -> float:
        return left + x / top * plot_w

    body, axis_end = _value_axis(ticks, sx, bottom, y_label, middle=left + plot_w / 2)
    for c, name in enumerate(categories):
        y = TOP + c * row
        band = bands[c] if c < len(bands) else None
        if band is not None:
            body += _band(band, sx, y, row)
        row_values = [(group.name, values.get((g, c), 0.0)) for g, group in enumerate(groups)]
        body += _bars(name, row_values, sx, y=y, height=(row - 14) / bars, stacked=stacked)
        body.append(_category_label(name, label_w, right=left - 6, y=y + row / 2 + 4))
    legend, end = _legend([g.name for g in groups], axis_end + 4)
    return _frame(title, body + legend, label=title, height=end + 4)


def scatter_chart(
    title: str,
    series: Sequence[Series],
    *,
    x_label: str = "",
    y_label: str = "",
    identity: str | None = None,
) -> str:
    """Points on two numeric axes (both starting at zero), e.g. called against actual RIR.

    ``identity`` names a dashed ``y = x`` line: where the points would sit if
    the two were the same.

    >>> svg = scatter_chart("calls", [Series("tests", [(2, 5), (1, 2)])], identity="exact")
    >>> svg.count('class="point"'), 'class="identity"' in svg
    (2, True)
    """
    points = [p for s in series for p in s.points]
    if not points:
        return _empty(title)
    ceiling = max(max(max(x, y) for x, y in points), 1.0)
    ticks = _ticks(0.0, ceiling * 1.1)
    top = ticks[-1]
    bottom = HEIGHT - BOTTOM
    plot_w, plot_h = WIDTH - LEFT - RIGHT, bottom - TOP

    def sx(x: float) -> float:
        return LEFT + x / top * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - y / top * plot_h

    body: list[str] = _y_axis(ticks, sy, y_label, bottom)
    body += _x_labels([(t, _fmt(t)) for t in ticks], sx, bottom + 18)
    end = float(HEIGHT)
    if x_label:
        body.append(
            f'<text x="{LEFT + plot_w / 2:.0f}" y="{bottom + 36}" text-anchor="middle">'
            f"{escape(x_label)}</text>"
        )
        end += 14
    if identity is not None:
        body.append(
            f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(top):.1f}" y2="{sy(top):.1f}" '
            f'class="identity" stroke="#6b7280" stroke-dasharray="5 4">'
            f"<title>{escape(identity)}</title></line>"
        )
    for index, group in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        for x, y in group.points:
            body.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="5" fill="{colour}" '
                f'fill-opacity="0.75" class="point"><title>{escape(group.name)}: '
                f"{_fmt(x)}, {_fmt(y)}</title></circle>"
            )
    legend, end = _legend([s.name for s in series], end)
    return _frame(title, body + legend, label=title, height=end + 4)


STYLE = """
.chart{display:block;width:100%;height:auto;max-width:560px}
.chart{font:12px system-ui,sans-serif;background:#fff}
.chart .chart-title{font-weight:600;font-size:14px}
.chart .grid{stroke:#e5e7eb}
.chart .band{fill:#dcfce7}
.chart .mark{stroke:#15803d;stroke-dasharray:4 3}
.chart .category{font-size:12px}
.chart .legend,.chart .axis{fill:#374151}
"""

"""Small, dependency-free SVG charts for reports and pages: they render with no script."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777")
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 48


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


def _y_axis(ticks: Sequence[float], sy: Callable[[float], float], label: str) -> list[str]:
    """Grid lines with their values, and the axis label turned on its side."""
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" class="grid"/>'
        f'<text x="{LEFT - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{_fmt(t)}</text>'
        for t in ticks
    ]
    if label:
        middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
        parts.append(
            f'<text x="14" y="{middle:.0f}" transform="rotate(-90 14 {middle:.0f})" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _frame(title: str, body: list[str], *, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(title)}</title>"
        f'<text x="{LEFT}" y="18" class="chart-title">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
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
        return _frame(
            title, ['<text x="50%" y="50%" text-anchor="middle">no data</text>'], label=title
        )
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    yticks = _ticks(min(ys) * 0.95, max(ys) * 1.05)
    y0, y1 = yticks[0], yticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - (y - y0) / (y1 - y0) * plot_h

    body: list[str] = []
    for x, text in x_labels:
        body.append(
            f'<text x="{sx(x):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    body += _y_axis(yticks, sy, y_label)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line.points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
            f'class="series" data-name="{escape(line.name)}"/>'
        )
        for x, y in line.points:
            body.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{colour}"/>')
        body.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{TOP + 14 + 14 * index}" text-anchor="end" '
            f'fill="{colour}">{escape(line.name)}</text>'
        )
    return _frame(title, body, label=title)


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal range drawn behind one bar group, e.g. a muscle's MEV–MRV."""

    low: float
    high: float
    mark: float | None = None


def bar_chart(
    title: str,
    categories: Sequence[str],
    groups: Sequence[Series],
    *,
    bands: Sequence[Band | None] = (),
    y_label: str = "",
    stacked: bool = False,
) -> str:
    """Bars per category; each :class:`Series` gives one value per category (x = index)."""
    values = {(g, int(x)): y for g, s in enumerate(groups) for x, y in s.points}
    totals = [
        sum(values.get((g, c), 0.0) for g in range(len(groups)))
        if stacked
        else max((values.get((g, c), 0.0) for g in range(len(groups))), default=0.0)
        for c in range(len(categories))
    ]
    ceiling = max([*totals, *(b.high for b in bands if b), 1.0])
    yticks = _ticks(0.0, ceiling * 1.05)
    top = yticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(categories))

    def sy(y: float) -> float:
        return TOP + plot_h - y / top * plot_h

    body: list[str] = []
    body += _y_axis(yticks, sy, y_label)
    for c, name in enumerate(categories):
        x = LEFT + c * slot
        band = bands[c] if c < len(bands) else None
        if band is not None:
            body.append(
                f'<rect x="{x + 2:.1f}" y="{sy(band.high):.1f}" width="{slot - 4:.1f}" '
                f'height="{sy(band.low) - sy(band.high):.1f}" class="band"/>'
            )
            if band.mark is not None:
                body.append(
                    f'<line x1="{x + 2:.1f}" x2="{x + slot - 2:.1f}" y1="{sy(band.mark):.1f}" '
                    f'y2="{sy(band.mark):.1f}" class="mark"/>'
                )
        width = (slot - 8) / (1 if stacked else max(1, len(groups)))
        base = 0.0
        for g in range(len(groups)):
            value = values.get((g, c), 0.0)
            colour = PALETTE[g % len(PALETTE)]
            left = x + 4 + (0 if stacked else g * width)
            bottom = base if stacked else 0.0
            body.append(
                f'<rect x="{left:.1f}" y="{sy(bottom + value):.1f}" width="{width:.1f}" '
                f'height="{sy(bottom) - sy(bottom + value):.1f}" fill="{colour}" class="bar">'
                f"<title>{escape(name)} — {escape(groups[g].name)}: {_fmt(value)}</title></rect>"
            )
            if stacked:
                base += value
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'class="category">{escape(name)}</text>'
        )
    for g, group in enumerate(groups):
        colour = PALETTE[g % len(PALETTE)]
        body.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{TOP + 14 + 14 * g}" text-anchor="end" '
            f'fill="{colour}">{escape(group.name)}</text>'
        )
    return _frame(title, body, label=title)


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
        return _frame(
            title, ['<text x="50%" y="50%" text-anchor="middle">no data</text>'], label=title
        )
    ceiling = max(max(max(x, y) for x, y in points), 1.0)
    ticks = _ticks(0.0, ceiling * 1.1)
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + x / top * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - y / top * plot_h

    body: list[str] = []
    body += _y_axis(ticks, sy, y_label)
    body += [
        f'<text x="{sx(t):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{_fmt(t)}</text>'
        for t in ticks
    ]
    if x_label:
        body.append(
            f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
            f"{escape(x_label)}</text>"
        )
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
        body.append(
            f'<text x="{LEFT + 8}" y="{TOP + 14 + 14 * index}" fill="{colour}">'
            f"{escape(group.name)}</text>"
        )
    return _frame(title, body, label=title)


STYLE = """
.chart{width:100%;height:auto;max-width:720px;font:12px system-ui,sans-serif;background:#fff}
.chart .chart-title{font-weight:600;font-size:14px}
.chart .grid{stroke:#e5e7eb}
.chart .band{fill:#dcfce7}
.chart .mark{stroke:#15803d;stroke-dasharray:4 3}
.chart .category{font-size:11px}
"""

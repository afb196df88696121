"""Small inline SVG charts for the board report: a trend with its interval band, and intervals.

No JavaScript and no ``style`` attributes (the CSP forbids inline styles): presentation
attributes only. Each chart has a ``<title>`` and ``<desc>``; the same numbers are in the
tables beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

from survey_app.services.reports import MetricCell

INK, BRAND, BAND, GRID = "#1b1b1b", "#00507a", "#cfe3ef", "#767676"
_ids = count(1)


def _c(value: float) -> str:
    return f"{value:.1f}"


def value_range(metric: str) -> tuple[float, float]:
    """The scale of a metric: −100…100 for NPS/eNPS, 0…100 for QWL."""
    return (-100.0, 100.0) if metric in ("nps", "enps") else (0.0, 100.0)


def _open(width: int, height: int, title: str, description: str) -> str:
    ident = next(_ids)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" class="board-chart" '
            f'aria-labelledby="bc-t{ident} bc-d{ident}">'
            f'<title id="bc-t{ident}">{escape(title)}</title>'
            f'<desc id="bc-d{ident}">{escape(description)}</desc>')


def trend_chart(cells: Sequence[MetricCell], metric: str, title: str, description: str
                ) -> Markup:
    """The trend of one metric: a line of the scores over a band of their intervals."""
    width, height, left, right, top, bottom = 320, 130, 34, 24, 8, 22
    low, high = value_range(metric)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / max(len(cells) - 1, 1))

    def y(v: float) -> float:
        return top + plot_h * (high - max(low, min(high, v))) / (high - low)

    parts = [_open(width, height, title, description)]
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_c(y(tick))}" '
                     f'y2="{_c(y(tick))}" stroke="{GRID}" stroke-width="0.5" '
                     f'stroke-dasharray="2 3"/>'
                     f'<text x="{left - 4}" y="{_c(y(tick) + 3)}" font-size="9" '
                     f'text-anchor="end" fill="{INK}">{int(tick)}</text>')
    shown = [(i, c) for i, c in enumerate(cells) if c.shown and c.value is not None]
    banded = [(i, c) for i, c in shown if c.low is not None and c.high is not None]
    if len(banded) > 1:
        upper = " ".join(f"{_c(x(i))},{_c(y(c.high))}" for i, c in banded)
        lower = " ".join(f"{_c(x(i))},{_c(y(c.low))}" for i, c in reversed(banded))
        parts.append(f'<polygon points="{upper} {lower}" fill="{BAND}" stroke="none"/>')
    if len(shown) > 1:
        points = " ".join(f"{_c(x(i))},{_c(y(c.value))}" for i, c in shown)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{BRAND}" '
                     f'stroke-width="2"/>')
    for i, c in shown:
        parts.append(f'<circle cx="{_c(x(i))}" cy="{_c(y(c.value))}" r="3" fill="{BRAND}"/>')
    for i, c in enumerate(cells):
        parts.append(f'<text x="{_c(x(i))}" y="{height - 6}" font-size="9" text-anchor="middle" '
                     f'fill="{INK}">{escape(c.period)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def interval_chart(rows: Sequence[tuple[str, MetricCell]], metric: str, title: str,
                   description: str) -> Markup:
    """One row per unit: its score as a dot and its interval as a line; hidden rows stay empty."""
    width, row_h, label_w, right, top = 480, 20, 170, 12, 6
    height = top * 2 + row_h * max(len(rows), 1) + 14
    low, high = value_range(metric)
    plot_w = width - label_w - right

    def x(v: float) -> float:
        return label_w + plot_w * (max(low, min(high, v)) - low) / (high - low)

    parts = [_open(width, height, title, description)]
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<line x1="{_c(x(tick))}" x2="{_c(x(tick))}" y1="{top}" '
                     f'y2="{height - 14}" stroke="{GRID}" stroke-width="0.5" '
                     f'stroke-dasharray="2 3"/>'
                     f'<text x="{_c(x(tick))}" y="{height - 3}" font-size="9" '
                     f'text-anchor="middle" fill="{INK}">{int(tick)}</text>')
    for index, (label, cell) in enumerate(rows):
        mid = top + row_h * index + row_h / 2
        name = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{_c(mid + 3)}" font-size="10" '
                     f'text-anchor="end" fill="{INK}">{escape(name)}</text>')
        if not (cell.shown and cell.value is not None):
            continue
        if cell.low is not None and cell.high is not None:
            parts.append(f'<line x1="{_c(x(cell.low))}" x2="{_c(x(cell.high))}" '
                         f'y1="{_c(mid)}" y2="{_c(mid)}" stroke="{BRAND}" stroke-width="2"/>')
        parts.append(f'<circle cx="{_c(x(cell.value))}" cy="{_c(mid)}" r="4" fill="{BRAND}" '
                     f'stroke="#ffffff" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))

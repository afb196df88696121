"""Server-rendered SVG charts: pure functions from numbers (and given texts) to markup.

No JavaScript, no inline ``style`` attributes (the CSP forbids them): presentation attributes
and classes only. Every chart is a ``<figure>`` with an SVG that has a ``<title>`` and ``<desc>``
(``role="img"``, labelled by both), a caption, and the same numbers as a ``<table>`` for screen
readers and print. Series differ by marker shape, line pattern and text, not by colour alone.
Every text is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

INK, MUTED, BRAND = "#1b1b1b", "#4a4a4a", "#00507a"
LOW, MIDDLE, HIGH = "#b00020", "#595959", "#1d6b2f"
BAND = "#cfe3ef"
_ids = count(1)


def _id(prefix: str) -> str:
    """A document-unique id for titles, descriptions and patterns."""
    return f"{prefix}-{next(_ids)}"


def _num(value: float) -> str:
    """A coordinate with two decimals (SVG wants a dot, whatever the locale)."""
    return f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Texts:
    """Texts of a chart: title, description, caption and the data table's column headers."""

    title: str
    description: str
    headers: Sequence[str]


def figure(svg: str, texts: Texts, rows: Sequence[Sequence[str]], css: str = "chart") -> Markup:
    """Wrap an SVG body in a figure with its title/description, caption and data table."""
    title_id, desc_id = _id("chart-title"), _id("chart-desc")
    head = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in texts.headers)
    body = "".join("<tr>" + "".join(
        (f"<th scope=\"row\">{escape(cell)}</th>" if i == 0 else f"<td>{escape(cell)}</td>")
        for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return Markup(
        f'<figure class="{escape(css)}">'
        f'<svg {svg.split(">", 1)[0].removeprefix("<svg ")} role="img" '
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(texts.title)}</title>'
        f'<desc id="{desc_id}">{escape(texts.description)}</desc>'
        f'{svg.split(">", 1)[1]}'
        f'<figcaption>{escape(texts.description)}</figcaption>'
        f'<table class="chart-data"><caption class="visually-hidden">{escape(texts.title)}'
        f'</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></figure>')


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One period of a trend: label, value and interval (None when hidden or empty)."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    note: str = ""


def trend_chart(points: Sequence[TrendPoint], scale: tuple[float, float], texts: Texts,
                rows: Sequence[Sequence[str]], number: Callable[[float], str] = str,
                width: int = 360, height: int = 220) -> Markup:
    """A line with circle markers and the interval as a band; hidden periods leave a gap.

    With many periods only every few axis labels are written (the table has them all); a
    hidden or empty period shows a short note below the axis when there is room for it.
    """
    left, right, top, bottom = 40, 30, 16, 38
    label_every = -(-len(points) // 6)
    plot_w, plot_h = width - left - right, height - top - bottom
    low_s, high_s = scale
    step = plot_w / max(len(points) - 1, 1)

    def x(i):
        return left + (i * step if len(points) > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (high_s - v) / (high_s - low_s)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="trend-chart" '
             f'preserveAspectRatio="xMidYMid meet">']
    parts += _axis(left, plot_w, scale, y, number)
    for segment in _segments(points):
        upper = [(x(i), y(points[i].high)) for i in segment if points[i].high is not None]
        lower = [(x(i), y(points[i].low)) for i in segment if points[i].low is not None]
        if len(upper) > 1:
            outline = " ".join(f"{_num(a)},{_num(b)}" for a, b in upper + lower[::-1])
            parts.append(f'<polygon points="{outline}" fill="{BAND}" stroke="{BRAND}" '
                         f'stroke-width="1" stroke-dasharray="4 3"/>')
        elif len(upper) == 1:
            (ux, uy), (_, ly) = upper[0], lower[0]
            parts.append(f'<line x1="{_num(ux)}" x2="{_num(ux)}" y1="{_num(uy)}" y2="{_num(ly)}" '
                         f'stroke="{BRAND}" stroke-width="6" stroke-opacity="0.35"/>')
        line = " ".join(f"{_num(x(i))},{_num(y(points[i].value))}" for i in segment)
        if len(segment) > 1:
            parts.append(f'<polyline points="{line}" fill="none" stroke="{BRAND}" '
                         f'stroke-width="2.5"/>')
    for i, point in enumerate(points):
        if i % label_every == 0 or i == len(points) - 1:
            parts.append(f'<text x="{_num(x(i))}" y="{height - 20}" font-size="11" '
                         f'fill="{INK}" text-anchor="middle">{escape(point.label)}</text>')
        if point.value is None:
            if label_every == 1:
                parts.append(f'<text x="{_num(x(i))}" y="{height - 6}" font-size="9" '
                             f'fill="{MUTED}" text-anchor="middle">{escape(point.note)}</text>')
            continue
        parts.append(f'<circle cx="{_num(x(i))}" cy="{_num(y(point.value))}" r="4" '
                     f'fill="{BRAND}" stroke="#ffffff" stroke-width="1.5"/>')
        parts.append(f'<text x="{_num(x(i))}" y="{_num(y(point.value) - 8)}" font-size="11" '
                     f'fill="{INK}" text-anchor="middle">{escape(number(point.value))}</text>')
    parts.append("</svg>")
    return figure("".join(parts), texts, rows, "chart trend")


def _segments(points: Sequence[TrendPoint]) -> list[list[int]]:
    """Runs of consecutive periods that have a value."""
    runs, current = [], []
    for i, point in enumerate(points):
        if point.value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _axis(left: float, plot_w: float, scale, y, number) -> list[str]:
    """Horizontal grid lines with labels at five levels of the scale."""
    low, high = scale
    lines = []
    for k in range(5):
        value = low + (high - low) * k / 4
        lines.append(f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(y(value))}" '
                     f'y2="{_num(y(value))}" stroke="#c8c8c8" stroke-width="1"/>')
        lines.append(f'<text x="{left - 6}" y="{_num(y(value) + 4)}" font-size="10" '
                     f'fill="{MUTED}" text-anchor="end">{escape(number(value))}</text>')
    if low < 0 < high:
        lines.append(f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(y(0))}" '
                     f'y2="{_num(y(0))}" stroke="{MUTED}" stroke-width="1.5"/>')
    return lines


def interval_bar(value: float, low: float | None, high: float | None,
                 scale: tuple[float, float], label: str, reference: float | None = None,
                 width: int = 140, height: int = 18) -> Markup:
    """A compact bar for a table row: the interval as a line, the score as a diamond.

    ``reference`` (e.g. the parent's score) is a dashed vertical tick. The row's cells carry the
    same numbers as text; ``label`` is the SVG's accessible name.
    """
    lo, hi = scale

    def x(v):
        return 4 + (width - 8) * (min(max(v, lo), hi) - lo) / (hi - lo)

    title_id = _id("bar")
    parts = [f'<svg class="interval-bar" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="{title_id}">'
             f'<title id="{title_id}">{escape(label)}</title>',
             f'<line x1="4" x2="{width - 4}" y1="{height / 2}" y2="{height / 2}" '
             f'stroke="#c8c8c8" stroke-width="1"/>']
    if reference is not None:
        parts.append(f'<line x1="{_num(x(reference))}" x2="{_num(x(reference))}" y1="1" '
                     f'y2="{height - 1}" stroke="{MUTED}" stroke-width="1.5" '
                     f'stroke-dasharray="2 2"/>')
    if low is not None and high is not None:
        parts.append(f'<line x1="{_num(x(low))}" x2="{_num(x(high))}" y1="{height / 2}" '
                     f'y2="{height / 2}" stroke="{BRAND}" stroke-width="4"/>')
    cx, cy = x(value), height / 2
    parts.append(f'<polygon points="{_num(cx)},{_num(cy - 6)} {_num(cx + 6)},{_num(cy)} '
                 f'{_num(cx)},{_num(cy + 6)} {_num(cx - 6)},{_num(cy)}" fill="{INK}" '
                 f'stroke="#ffffff" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def distribution_bar(shares: Sequence[tuple[str, float]], texts: Texts,
                     rows: Sequence[Sequence[str]], number: Callable[[float], str] = str,
                     width: int = 560, height: int = 64) -> Markup:
    """Detractors, passives, promoters as one stacked bar with three fill patterns and labels."""
    pattern_ids = [_id("pattern") for _ in range(3)]
    defs = (
        f'<defs><pattern id="{pattern_ids[0]}" width="8" height="8" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{LOW}"/><line x1="0" y1="0" x2="0" y2="8" '
        f'stroke="#ffffff" stroke-width="2"/></pattern>'
        f'<pattern id="{pattern_ids[1]}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{MIDDLE}"/></pattern>'
        f'<pattern id="{pattern_ids[2]}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{HIGH}"/><circle cx="4" cy="4" r="1.5" '
        f'fill="#ffffff"/></pattern></defs>')
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="distribution-chart">',
             defs]
    start = 0.0
    for index, ((name, share), pattern) in enumerate(zip(shares, pattern_ids, strict=True)):
        span = (width - 2) * share / 100.0
        if span > 0:
            parts.append(f'<rect x="{_num(1 + start)}" y="4" width="{_num(span)}" height="28" '
                         f'fill="url(#{pattern})" stroke="#ffffff" stroke-width="1"/>')
        start += span
        # A legend in fixed thirds, so labels never collide when a share is small.
        key_x = 4 + index * (width / 3)
        parts.append(f'<rect x="{_num(key_x)}" y="42" width="14" height="14" '
                     f'fill="url(#{pattern})" stroke="{INK}" stroke-width="1"/>')
        parts.append(f'<text x="{_num(key_x + 20)}" y="54" font-size="12" fill="{INK}">'
                     f'{escape(f"{name} {number(share)} %")}</text>')
    parts.append("</svg>")
    return figure("".join(parts), texts, rows, "chart distribution")


@dataclass(frozen=True, slots=True)
class Bar:
    """A labelled value with an optional interval, for horizontal bar charts."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None


def bar_chart(bars: Sequence[Bar], scale: tuple[float, float], texts: Texts,
              rows: Sequence[Sequence[str]], number: Callable[[float], str] = str,
              width: int = 560, row_height: int = 30) -> Markup:
    """Horizontal bars with interval whiskers and value labels; missing values say so in text."""
    label_w, right = 200, 60
    plot_w = width - label_w - right
    height = row_height * len(bars) + 10
    lo, hi = scale

    def x(v):
        return label_w + plot_w * (min(max(v, lo), hi) - lo) / (hi - lo)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="bar-chart">']
    for i, bar in enumerate(bars):
        top = 5 + i * row_height
        text = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{top + 17}" font-size="11" fill="{INK}" '
                     f'text-anchor="end">{escape(text)}</text>')
        if bar.value is None:
            continue
        parts.append(f'<rect x="{label_w}" y="{top + 5}" width="{_num(x(bar.value) - label_w)}" '
                     f'height="16" fill="{BRAND}"/>')
        if bar.low is not None and bar.high is not None:
            mid = top + 13
            parts.append(f'<line x1="{_num(x(bar.low))}" x2="{_num(x(bar.high))}" y1="{mid}" '
                         f'y2="{mid}" stroke="{INK}" stroke-width="2"/>')
            for end in (bar.low, bar.high):
                parts.append(f'<line x1="{_num(x(end))}" x2="{_num(x(end))}" y1="{mid - 5}" '
                             f'y2="{mid + 5}" stroke="{INK}" stroke-width="2"/>')
        parts.append(f'<text x="{_num(x(bar.high if bar.high is not None else bar.value) + 6)}" '
                     f'y="{top + 17}" font-size="11" fill="{INK}">'
                     f'{escape(number(bar.value))}</text>')
    parts.append("</svg>")
    return figure("".join(parts), texts, rows, "chart bars")


@dataclass(frozen=True, slots=True)
class FunnelDot:
    """A unit on the funnel: n, score, position (−2…2) and a short label."""

    label: str
    n: int
    value: float
    position: int


def funnel_chart(dots: Sequence[FunnelDot], limits: Sequence[tuple],
                 target: float, scale: tuple[float, float], texts: Texts,
                 rows: Sequence[Sequence[str]], number: Callable[[float], str] = str,
                 width: int = 640, height: int = 360) -> Markup:
    """Scores against n with 95 % (dashed) and 99.8 % (dotted) limits around the target.

    `limits` rows are (n, inner low, inner high, outer low, outer high[, plain low, plain
    high]); the optional plain (unadjusted 95 %) limits are drawn as a thin solid line.

    Inside the limits: circle; above: triangle up; below: triangle down (filled when outside
    the 99.8 % limits). The x axis is logarithmic in n.
    """
    import math

    left, right, top, bottom = 48, 16, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    max_n = max([lim[0] for lim in limits] + [d.n for d in dots] + [2])
    lo, hi = scale

    def x(n):
        return left + plot_w * math.log(max(n, 1)) / math.log(max_n)

    def y(v):
        return top + plot_h * (hi - v) / (hi - lo)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="funnel-chart">']
    parts += _axis(left, plot_w, scale, y, number)
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y(target))}" '
                 f'y2="{_num(y(target))}" stroke="{BRAND}" stroke-width="2"/>')
    for column, dash in ((1, "6 4"), (2, "6 4"), (3, "2 3"), (4, "2 3")):
        line = " ".join(f"{_num(x(lim[0]))},{_num(y(lim[column]))}" for lim in limits)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{MUTED}" '
                     f'stroke-width="1.5" stroke-dasharray="{dash}"/>')
    for column in (5, 6):  # unadjusted 95 % limits (chance alone), when the limits are adjusted
        if limits and len(limits[0]) > column and limits[0][column] is not None:
            line = " ".join(f"{_num(x(lim[0]))},{_num(y(lim[column]))}" for lim in limits)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{MUTED}" '
                         f'stroke-width="0.75"/>')
    for tick in _log_ticks(max_n):
        parts.append(f'<text x="{_num(x(tick))}" y="{height - 22}" font-size="10" '
                     f'fill="{MUTED}" text-anchor="middle">{tick}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" font-size="11" fill="{INK}" '
                 f'text-anchor="middle">n</text>')
    for dot in dots:
        cx, cy = x(dot.n), y(dot.value)
        fill = INK if abs(dot.position) == 2 else "#ffffff"
        if dot.position > 0:
            shape = (f'<polygon points="{_num(cx)},{_num(cy - 7)} {_num(cx + 6)},{_num(cy + 4)} '
                     f'{_num(cx - 6)},{_num(cy + 4)}"')
        elif dot.position < 0:
            shape = (f'<polygon points="{_num(cx)},{_num(cy + 7)} {_num(cx + 6)},{_num(cy - 4)} '
                     f'{_num(cx - 6)},{_num(cy - 4)}"')
        else:
            shape = f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="5"'
        parts.append(f'{shape} fill="{fill}" stroke="{INK}" stroke-width="1.5"/>')
        parts.append(f'<text x="{_num(cx + 8)}" y="{_num(cy + 4)}" font-size="10" '
                     f'fill="{INK}">{escape(dot.label)}</text>')
    parts.append("</svg>")
    return figure("".join(parts), texts, rows, "chart funnel")


def _log_ticks(max_n: int) -> list[int]:
    """1, 2, 5, 10, 20, 50 … up to max_n."""
    ticks, base = [], 1
    while base <= max_n:
        ticks += [t for t in (base, 2 * base, 5 * base) if t <= max_n]
        base *= 10
    return ticks

"""Server-rendered SVG charts: pure functions from numbers (and given texts) to markup.

No JavaScript, no inline ``style`` attributes (the CSP forbids them): presentation attributes
and classes only. Every chart is a ``<figure>`` with an SVG that has a ``<title>`` and ``<desc>``
(``role="img"``, labelled by both), a caption, and the same numbers as a ``<table>`` for screen
readers and print. Series differ by marker shape, line pattern and text, not by colour alone.
Every text is escaped here.
"""

from __future__ import annotations

import math
import re
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


#: Smallest text in any chart, in SVG user units; charts are drawn at (at least) their
#: viewBox width, so this is also the smallest size in CSS pixels at 100 % zoom.
FONT = 12
#: Widest label of the trend's period axis in user units ("2026-T3" at 12 px).
_PERIOD_LABEL_W = 54


def nice_scale(values: Sequence[float | None], full: tuple[float, float],
               minimum_span: float = 10.0) -> tuple[float, float, float]:
    """An axis (low, high, step) that holds ``values`` with some room, on round numbers.

    Never beyond ``full`` (the score's whole range); at least ``minimum_span`` wide so a
    flat line does not fill the chart with noise.
    """
    present = [float(v) for v in values if v is not None]
    if not present:
        low, high = full
        return low, high, (high - low) / 4
    low, high = min(present), max(present)
    pad = max((high - low) * 0.08, 1.0)
    low, high = low - pad, high + pad
    if high - low < minimum_span:
        middle = (low + high) / 2
        low, high = middle - minimum_span / 2, middle + minimum_span / 2
    step = _nice_step((high - low) / 5)
    low = max(full[0], step * math.floor(low / step))
    high = min(full[1], step * math.ceil(high / step))
    room = step * math.ceil(minimum_span / step)
    if high - low < minimum_span:  # pressed against an end of the full range
        low, high = (max(full[0], high - room), high) if high == full[1] else \
            (low, min(full[1], low + room))
    return low, high, step


def tick_text(number: Callable[[float], str], value: float) -> str:
    """An axis label: the locale's number, without a decimal when the tick is whole (20, not
    20,0), and never a negative zero."""
    text = number(value + 0.0)
    if float(value).is_integer():
        text = re.sub(r"[.,]0+$", "", text)
    return text


def _nice_step(raw: float) -> float:
    """The round step (1, 2, 2.5, 5 × 10^k) at or above ``raw``."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def trend_chart(points: Sequence[TrendPoint], scale: tuple[float, float], texts: Texts,
                rows: Sequence[Sequence[str]], number: Callable[[float], str] = str,
                width: int = 280, height: int = 210, gap_note: str = "") -> Markup:
    """A line with circle markers and the interval as a band; hidden periods leave a gap.

    The value axis is scaled to the values and their intervals (``scale`` is the score's
    whole range, the limit), with zero drawn darker when it is in range. Period labels are
    written only as often as they fit (the table has them all); only the latest value is
    written on the chart. When a period is hidden or empty, one note under the axis
    (``gap_note``) says what the gaps mean.
    """
    has_gap = any(p.value is None for p in points)
    left, right, top = 44, 30, 14
    bottom = 28 + (18 if has_gap and gap_note else 0)
    plot_w, plot_h = width - left - right, height - top - bottom
    low_s, high_s, step = nice_scale([v for p in points for v in (p.value, p.low, p.high)], scale)
    step_x = plot_w / max(len(points) - 1, 1)
    label_every = max(1, math.ceil((_PERIOD_LABEL_W + 6) / step_x))

    def x(i):
        return left + (i * step_x if len(points) > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (high_s - min(max(v, low_s), high_s)) / (high_s - low_s)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="trend-chart" '
             f'preserveAspectRatio="xMidYMid meet">']
    parts += _axis(left, plot_w, (low_s, high_s), y, number, step)
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
    last = len(points) - 1
    for i, point in enumerate(points):
        if (last - i) % label_every == 0:
            parts.append(f'<text x="{_num(x(i))}" y="{top + plot_h + 18}" font-size="{FONT}" '
                         f'fill="{INK}" text-anchor="middle">{escape(point.label)}</text>')
        if point.value is None:
            continue
        parts.append(f'<circle cx="{_num(x(i))}" cy="{_num(y(point.value))}" r="4" '
                     f'fill="{BRAND}" stroke="#ffffff" stroke-width="1.5"/>')
    latest = next((i for i in range(last, -1, -1) if points[i].value is not None), None)
    if latest is not None:
        value_y = y(points[latest].value)
        above = value_y - 9 if value_y - 9 > top + FONT else value_y + 20
        parts.append(f'<text x="{_num(x(latest) - 6)}" y="{_num(above)}" font-size="{FONT + 1}" '
                     f'font-weight="700" fill="{INK}" text-anchor="end">'
                     f'{escape(number(points[latest].value))}</text>')
    if has_gap and gap_note:
        parts.append(f'<text x="{left}" y="{height - 6}" font-size="{FONT}" fill="{MUTED}">'
                     f'{escape(gap_note)}</text>')
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


def _axis(left: float, plot_w: float, scale, y, number, step: float | None = None) -> list[str]:
    """Horizontal grid lines with labels every ``step`` (five levels without one); zero darker."""
    low, high = scale
    step = step or (high - low) / 4
    lines = []
    first = math.ceil(low / step - 1e-9)
    for k in range(first, math.floor(high / step + 1e-9) + 1):
        value = k * step
        lines.append(f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(y(value))}" '
                     f'y2="{_num(y(value))}" stroke="#c8c8c8" stroke-width="1"/>')
        lines.append(f'<text x="{left - 6}" y="{_num(y(value) + 4)}" font-size="{FONT}" '
                     f'fill="{MUTED}" text-anchor="end">{escape(tick_text(number, value))}</text>')
    if low < 0 < high:
        lines.append(f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(y(0))}" '
                     f'y2="{_num(y(0))}" stroke="{INK}" stroke-width="1.5"/>')
    return lines


def interval_bar(value: float, low: float | None, high: float | None,
                 scale: tuple[float, float], label: str, reference: float | None = None,
                 width: int = 280, height: int = 22) -> Markup:
    """A bar for a table row: the interval as a thick line, the score as a thin upright tick.

    The tick is narrow so that even a 5-point interval stays visible around it when the
    table's ``scale`` spans the rows' intervals (see ``nice_scale``). ``reference`` (e.g. the
    parent's score) is a dashed vertical line. The row's cells carry the same numbers as text;
    ``label`` is the SVG's accessible name.
    """
    lo, hi = scale

    def x(v):
        return 4 + (width - 8) * (min(max(v, lo), hi) - lo) / (hi - lo)

    title_id = _id("bar")
    mid = height / 2
    parts = [f'<svg class="interval-bar" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="{title_id}">'
             f'<title id="{title_id}">{escape(label)}</title>',
             f'<line x1="4" x2="{width - 4}" y1="{mid}" y2="{mid}" '
             f'stroke="#c8c8c8" stroke-width="1"/>']
    if lo < 0 < hi:
        parts.append(f'<line x1="{_num(x(0))}" x2="{_num(x(0))}" y1="3" y2="{height - 3}" '
                     f'stroke="#c8c8c8" stroke-width="1"/>')
    if reference is not None:
        parts.append(f'<line x1="{_num(x(reference))}" x2="{_num(x(reference))}" y1="1" '
                     f'y2="{height - 1}" stroke="{MUTED}" stroke-width="1.5" '
                     f'stroke-dasharray="2 2"/>')
    if low is not None and high is not None:
        parts.append(f'<line x1="{_num(x(low))}" x2="{_num(x(high))}" y1="{mid}" '
                     f'y2="{mid}" stroke="{BRAND}" stroke-width="6" stroke-opacity="0.55"/>')
    cx = x(value)
    parts.append(f'<polygon points="{_num(cx - 1.5)},{_num(mid - 8)} {_num(cx + 1.5)},'
                 f'{_num(mid - 8)} {_num(cx + 1.5)},{_num(mid + 8)} {_num(cx - 1.5)},'
                 f'{_num(mid + 8)}" fill="{INK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def interval_chart(rows: Sequence[tuple[str, float | None, float | None, float | None]],
                   full: tuple[float, float], texts: Texts, table: Sequence[Sequence[str]],
                   number: Callable[[float], str] = str, width: int = 560,
                   row_height: int = 26) -> Markup:
    """One row per unit: its score as a dot and its interval as a line; hidden rows empty.

    ``rows`` are (label, value, low, high); the axis is scaled to the values and intervals
    within ``full``, with zero drawn darker when in range.
    """
    label_w, right, top = 210, 16, 8
    height = top + row_height * max(len(rows), 1) + 28
    low_s, high_s, step = nice_scale([v for r in rows for v in r[1:]], full)
    plot_w = width - label_w - right

    def x(v: float) -> float:
        return label_w + plot_w * (min(max(v, low_s), high_s) - low_s) / (high_s - low_s)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" class="interval-chart">']
    first = math.ceil(low_s / step - 1e-9)
    for k in range(first, math.floor(high_s / step + 1e-9) + 1):
        tick = k * step
        colour, stroke = (INK, 1.5) if tick == 0 else ("#c8c8c8", 1)
        parts.append(f'<line x1="{_num(x(tick))}" x2="{_num(x(tick))}" y1="{top}" '
                     f'y2="{height - 24}" stroke="{colour}" stroke-width="{stroke}"/>'
                     f'<text x="{_num(x(tick))}" y="{height - 8}" font-size="{FONT}" '
                     f'text-anchor="middle" fill="{MUTED}">'
                     f'{escape(tick_text(number, tick))}</text>')
    for index, (label, value, low, high) in enumerate(rows):
        mid = top + row_height * index + row_height / 2
        name = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{_num(mid + 4)}" font-size="{FONT}" '
                     f'text-anchor="end" fill="{INK}">{escape(name)}</text>')
        if value is None:
            continue
        if low is not None and high is not None:
            parts.append(f'<line x1="{_num(x(low))}" x2="{_num(x(high))}" y1="{_num(mid)}" '
                         f'y2="{_num(mid)}" stroke="{BRAND}" stroke-width="3"/>')
        parts.append(f'<circle cx="{_num(x(value))}" cy="{_num(mid)}" r="5" fill="{BRAND}" '
                     f'stroke="#ffffff" stroke-width="1.5"/>')
    parts.append("</svg>")
    return figure("".join(parts), texts, table, "chart intervals")


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
        text = bar.label if len(bar.label) <= 26 else bar.label[:25] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{top + 17}" font-size="{FONT}" fill="{INK}" '
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
                     f'y="{top + 17}" font-size="{FONT}" fill="{INK}">'
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
    placed: list[tuple[float, float, float, float]] = []
    for tick in _log_ticks(max_n):
        half = _text_width(str(tick)) / 2
        if _free(placed, (x(tick) - half, height - 34, x(tick) + half, height - 20)):
            parts.append(f'<text x="{_num(x(tick))}" y="{height - 22}" font-size="{FONT}" '
                         f'fill="{MUTED}" text-anchor="middle">{tick}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" font-size="{FONT}" fill="{INK}" '
                 f'text-anchor="middle">n</text>')
    shapes: list[tuple[float, float, float, float]] = []
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
        shapes.append((cx - 7, cy - 7, cx + 7, cy + 7))
    for dot in dots:
        # A label only where it touches no other label or marker (the table names them all).
        cx, cy, span = x(dot.n), y(dot.value), _text_width(dot.label)
        for start, anchor in ((cx + 8, "start"), (cx - 8 - span, "end")):
            box = (start, cy - 9, start + span, cy + 5)
            if start >= 0 and start + span <= width and _free(placed + shapes, box):
                placed.append(box)
                parts.append(f'<text x="{_num(cx + 8 if anchor == "start" else cx - 8)}" '
                             f'y="{_num(cy + 4)}" font-size="{FONT}" fill="{INK}" '
                             f'text-anchor="{anchor}">{escape(dot.label)}</text>')
                break
    parts.append("</svg>")
    return figure("".join(parts), texts, rows, "chart funnel")


def _text_width(text: str) -> float:
    """A generous estimate of a 12 px sans-serif text's width."""
    return 7.2 * len(text) + 2


def _free(boxes, box) -> bool:
    """True when ``box`` (x0, y0, x1, y1) overlaps none of ``boxes``."""
    x0, y0, x1, y1 = box
    return not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def _log_ticks(max_n: int) -> list[int]:
    """1, 2, 5, 10, 20, 50 … up to max_n."""
    ticks, base = [], 1
    while base <= max_n:
        ticks += [t for t in (base, 2 * base, 5 * base) if t <= max_n]
        base *= 10
    return ticks


def standalone_svg(markup: Markup, width: int = 840) -> str:
    """The SVG of a chart figure as a file of its own (for slides): namespace, size, font,
    white background; the figure's title and description stay inside it."""
    text = str(markup)
    start, end = text.index("<svg "), text.index("</svg>") + len("</svg>")
    svg = text[start:end]
    view = svg.split('viewBox="', 1)[1].split('"', 1)[0].split()
    view_w, view_h = float(view[2]), float(view[3])
    height = width * view_h / view_w
    svg = svg.replace('width="100%"', f'width="{width}" height="{_num(height)}"', 1)
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" '
                      'font-family="Arial, Helvetica, sans-serif" ', 1)
    background = f'<rect width="{view_w:g}" height="{view_h:g}" fill="#ffffff"/>'
    head, rest = svg.split("</desc>", 1)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}</desc>{background}{rest}\n'


def trend_png(points: Sequence[TrendPoint], scale: tuple[float, float], title: str,
              number: Callable[[float], str] = str, gap_note: str = "") -> bytes:
    """The trend as a PNG for slides, drawn by matplotlib (Agg, no display): the same line,
    interval band, data-scaled axis with zero marked and a note for gaps; 150 dpi, text 12 pt
    or larger."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    low_s, high_s, step = nice_scale([v for p in points for v in (p.value, p.low, p.high)], scale)
    figure = Figure(figsize=(8, 4.5), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    xs = list(range(len(points)))
    for segment in _segments(points):
        seg_x = [xs[i] for i in segment]
        banded = [i for i in segment if points[i].low is not None and points[i].high is not None]
        if banded:
            axes.fill_between([xs[i] for i in banded], [points[i].low for i in banded],
                              [points[i].high for i in banded], color=BAND, linewidth=0)
        if len(banded) == 1:  # a period alone between gaps: its interval as a bar
            i = banded[0]
            axes.vlines(xs[i], points[i].low, points[i].high, color=BAND, linewidth=10)
        axes.plot(seg_x, [points[i].value for i in segment], color=BRAND, linewidth=2.5,
                  marker="o", markersize=6)
    if low_s < 0 < high_s:
        axes.axhline(0, color=INK, linewidth=1.2)
    axes.set_ylim(low_s, high_s)
    axes.yaxis.set_major_locator(MultipleLocator(step))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_text(number, v)))
    every = max(1, math.ceil(len(points) / 8))
    ticks = [i for i in xs if (len(points) - 1 - i) % every == 0]
    axes.set_xticks(ticks, [points[i].label for i in ticks])
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.tick_params(labelsize=12)
    axes.grid(axis="y", color="#c8c8c8", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(title, fontsize=15, loc="left", color=INK)
    if gap_note and any(p.value is None for p in points):
        figure.text(0.01, 0.01, gap_note, fontsize=12, color=MUTED)
    # Fixed margins, not tight_layout(): the text sizes are fixed, so the room they need is
    # known, and measuring every label first costs a third of the drawing time.
    figure.subplots_adjust(left=0.09, right=0.98, top=0.89, bottom=0.16)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="#ffffff")
    return buffer.getvalue()

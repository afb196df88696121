"""Translated texts, number formats and charts for the report templates."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import get_minus_sign_symbol
from flask_babel import format_date, format_decimal, get_locale, gettext, lazy_gettext
from markupsafe import Markup

from survey_app.periods import PeriodError, parse_period
from survey_app.services.reports import (
    Change,
    ChannelShare,
    FactorCell,
    Funnel,
    MetricCell,
    MetricSummary,
    StatementCell,
)

from . import charts
from .period_names import short_name

METRIC_NAMES = {
    "nps": lazy_gettext("NPS (residents)"),
    "enps": lazy_gettext("eNPS (staff)"),
    "qwl": lazy_gettext("Quality of working life index (staff)"),
}
PERIOD_NAMES = {
    "month": lazy_gettext("Months"),
    "quarter": lazy_gettext("Quarters"),
    "tertial": lazy_gettext("Tertials (four-month periods)"),
    "year": lazy_gettext("Years"),
}
CHANNEL_NAMES = {
    "sms": lazy_gettext("Text message"), "qr": lazy_gettext("QR code"),
    "kiosk": lazy_gettext("Kiosk"), "web": lazy_gettext("Web"),
    "email": lazy_gettext("E-mail"), "paper": lazy_gettext("Paper"),
}


def scale(metric: str) -> tuple[float, float]:
    """The score's full range: −100…100 for NPS and eNPS, 0…100 for QWL."""
    return (0.0, 100.0) if metric == "qwl" else (-100.0, 100.0)


def number(value: float | None, digits: int = 1) -> str:
    """A score with one decimal in the page's locale (``−12,5`` in Finnish); empty for None."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = format_decimal(round(value, digits) + 0.0, format=pattern)
    # A true minus sign in every language ("−17.5 to −6.7" reads better than "-17.5 to -6.7").
    return text.replace("-", "\u2212").replace(get_minus_sign_symbol(get_locale()), "\u2212")


def integer(value: int | None) -> str:
    """A count in the page's locale."""
    return "" if value is None else format_decimal(value, format="#,##0")


#: Short names for sentences.
SHORT_NAMES = {"nps": "NPS", "enps": "eNPS", "qwl": lazy_gettext("QWL")}


def day_text(day) -> str:
    """A day in the page's locale by Babel (Finnish 5.3.2026)."""
    return format_date(day, "medium")


def change_rule() -> str:
    """The one-line rule under tables of changes."""
    return gettext("A change is marked real when its interval shown here does not include 0; "
                   "otherwise it is within normal variation.")


def metric_name(metric: str) -> str:
    """The measure's name in the page language."""
    return str(METRIC_NAMES.get(metric, metric))


def hidden_text(cell) -> str:
    """What a suppressed cell shows instead of numbers."""
    if cell.suppressed == "not_released":
        return gettext("not released yet")
    # One text for every hidden cell: "fewer than k answers" would reveal a bound.
    return gettext("hidden to protect a smaller group")


def interval_text(low: float | None, high: float | None, digits: int = 1) -> str:
    """``−17,5 … −6,7`` (English ``−17.5 to −6.7``), or empty."""
    if low is None or high is None:
        return ""
    return gettext("%(low)s to %(high)s", low=number(low, digits), high=number(high, digits))


def cell_text(cell: MetricCell) -> str:
    """A cell as one line of text: score, interval and n, or why it is not shown."""
    if not cell.shown:
        return hidden_text(cell)
    if not cell.n or cell.value is None:
        return gettext("no answers")
    if cell.low is None:
        return gettext("%(value)s (n = %(n)s)", value=number(cell.value), n=integer(cell.n))
    return gettext("%(value)s (95 %% interval %(interval)s, n = %(n)s)", value=number(cell.value),
                   interval=interval_text(cell.low, cell.high), n=integer(cell.n))


def table_scale(result) -> tuple[float, float]:
    """One axis for every interval bar of a unit table: its rows' and total's intervals."""
    cells = [result.total, *(cell for _, cell in result.rows)]
    values = [v for c in cells if c.shown for v in (c.value, c.low, c.high)]
    low, high, _ = charts.nice_scale(values, scale(result.metric))
    return low, high


def row_bar(cell: MetricCell, reference: float | None,
            bar_scale: tuple[float, float] | None = None) -> Markup:
    """The interval bar of a unit-table row ('' when the cell has no value)."""
    if not cell.shown or cell.value is None:
        return Markup("")
    return charts.interval_bar(cell.value, cell.low, cell.high, bar_scale or scale(cell.metric),
                               f"{cell.unit_name}: {cell_text(cell)}", reference)


def _trend_points(summary: MetricSummary) -> list[charts.TrendPoint]:
    """The trend's periods as chart points; hidden or empty periods have no value."""
    return [charts.TrendPoint(c.period, c.value if c.shown and c.n else None,
                              c.low if c.shown else None, c.high if c.shown else None,
                              "" if c.shown and c.n else (hidden_text(c) if not c.shown
                                                          else gettext("no answers")))
            for c in summary.trend]


def gap_note() -> str:
    """The one legend note for gaps in a trend."""
    return gettext("Gap: hidden or no answers")


def trend(summary: MetricSummary) -> Markup:
    """The trend chart of one measure, with the interval as a band and a data table."""
    cells = summary.trend
    points = _trend_points(summary)
    name = metric_name(summary.metric)
    shown = [c for c in cells if c.shown and c.n and c.value is not None]
    if shown:
        best = max(shown, key=lambda c: c.value)
        worst = min(shown, key=lambda c: c.value)
        summary_text = gettext(
            "%(name)s from %(first)s to %(last)s. Latest: %(latest)s. Highest %(high)s in "
            "%(high_period)s, lowest %(low)s in %(low_period)s. The band is the 95 %% interval.",
            name=name, first=cells[0].period, last=cells[-1].period,
            latest=cell_text(cells[-1]), high=number(best.value), high_period=best.period,
            low=number(worst.value), low_period=worst.period)
    else:
        summary_text = gettext("%(name)s from %(first)s to %(last)s: nothing to show.",
                               name=name, first=cells[0].period, last=cells[-1].period)
    texts = charts.Texts(gettext("Trend of %(name)s", name=name), summary_text,
                         [gettext("Period"), gettext("Answers"), gettext("Score"),
                          gettext("95 % interval")])
    rows = [[c.period, integer(c.n) if c.shown else hidden_text(c),
             number(c.value) if c.shown else "", interval_text(c.low, c.high) if c.shown else ""]
            for c in cells]
    return charts.trend_chart(points, scale(summary.metric), texts, rows, number,
                              gap_note=gap_note())


def trend_svg_file(summary: MetricSummary) -> str:
    """The trend chart as an SVG file for slides."""
    return charts.standalone_svg(trend(summary))


def trend_png(summary: MetricSummary, unit_name: str, period: str) -> bytes:
    """The trend chart as a PNG for slides (matplotlib)."""
    title = gettext("%(name)s, %(unit)s, %(period)s", name=metric_name(summary.metric),
                    unit=unit_name, period=short_name(period))
    return charts.trend_png(_trend_points(summary), scale(summary.metric), title, number,
                            gap_note())


def distribution(cell: MetricCell) -> Markup:
    """Detractors, passives and promoters of a shown cell as a stacked bar with a table."""
    d = cell.distribution
    if not cell.shown or d is None or not d.n:
        return Markup("")
    names = [gettext("Detractors (0–6)"), gettext("Passives (7–8)"), gettext("Promoters (9–10)")]
    shares = d.shares()
    counts = (d.detractors, d.passives, d.promoters)
    description = gettext(
        "%(name)s answers: detractors %(d)s %%, passives %(p)s %%, promoters %(r)s %% "
        "of %(n)s.", name=metric_name(cell.metric), d=number(shares[0]), p=number(shares[1]),
        r=number(shares[2]), n=integer(d.n))
    texts = charts.Texts(gettext("Distribution of %(name)s answers",
                                 name=metric_name(cell.metric)), description,
                         [gettext("Group"), gettext("Answers"), gettext("Share (%)")])
    rows = [[names[i], integer(counts[i]), number(shares[i])] for i in range(3)]
    return charts.distribution_bar(list(zip(names, shares, strict=True)), texts, rows, number)


def statements(cells: tuple[StatementCell, ...]) -> Markup:
    """Core statements as % agreeing with Wilson intervals, as bars and a table."""
    if not cells:
        return Markup("")
    bars = [charts.Bar(c.text, c.value, c.low, c.high) for c in cells]
    description = gettext("Share of residents who agreed with each statement (answers 4 and 5 "
                          "of 5), with 95 % intervals. \"Cannot say\" is left out.")
    texts = charts.Texts(gettext("Core statements: % agreeing"), description,
                         [gettext("Statement"), gettext("Answers"), gettext("Agreeing (%)"),
                          gettext("95 % interval")])
    rows = [[c.text, integer(c.n) if c.suppressed is None else hidden_text(c),
             number(c.value), interval_text(c.low, c.high)] for c in cells]
    return charts.bar_chart(bars, (0.0, 100.0), texts, rows, number)


def factors(cells: tuple[FactorCell, ...]) -> Markup:
    """QWL factor scores (0–100) with t-intervals, as bars and a table."""
    if not cells:
        return Markup("")
    bars = [charts.Bar(c.name, c.value, c.low, c.high) for c in cells]
    texts = charts.Texts(gettext("Quality of working life by factor"),
                         gettext("Mean factor scores from 0 to 100 with 95 % intervals."),
                         [gettext("Factor"), gettext("Answers"), gettext("Score"),
                          gettext("95 % interval")])
    rows = [[c.name, integer(c.n) if c.suppressed is None else hidden_text(c),
             number(c.value), interval_text(c.low, c.high)] for c in cells]
    return charts.bar_chart(bars, (0.0, 100.0), texts, rows, number)


def channels(cells: tuple[ChannelShare, ...]) -> Markup:
    """Resident answers per channel as bars and a table."""
    if not cells:
        return Markup("")
    bars = [charts.Bar(str(CHANNEL_NAMES.get(c.channel, c.channel)), c.share) for c in cells]
    texts = charts.Texts(gettext("Answers by channel"),
                         gettext("How residents reached the questionnaire, as % of answers."),
                         [gettext("Channel"), gettext("Answers"), gettext("Share (%)")])
    rows = [[str(CHANNEL_NAMES.get(c.channel, c.channel)), integer(c.n), number(c.share)]
            for c in cells]
    return charts.bar_chart(bars, (0.0, 100.0), texts, rows, number)


def funnel(result: Funnel) -> Markup:
    """The funnel plot with a table of every unit shown on it."""
    if result.target is None:
        return Markup("")
    positions = {-2: gettext("below the 99.8 % limit"), -1: gettext("below the 95 % limit"),
                 0: gettext("within the limits"), 1: gettext("above the 95 % limit"),
                 2: gettext("above the 99.8 % limit")}
    dots = [charts.FunnelDot(p.unit.code, p.n, p.value, p.position) for p in result.points]
    limits = [(lim.n, lim.inner_low, lim.inner_high, lim.outer_low, lim.outer_high,
               lim.plain_low, lim.plain_high) for lim in result.limits]
    outside = sum(1 for p in result.points if p.position != 0)
    description = gettext(
        "%(count)s units against %(parent)s (%(target)s). Dashed lines: 95 %% control limits; "
        "dotted lines: 99.8 %% limits. %(outside)s units lie outside the 95 %% limits.",
        count=len(result.points), parent=result.parent.name, target=number(result.target),
        outside=outside)
    texts = charts.Texts(gettext("Funnel plot of %(name)s", name=metric_name(result.metric)),
                         description, [gettext("Unit"), gettext("Answers"), gettext("Score"),
                                       gettext("Position")])
    rows = [[f"{p.unit.name} ({p.unit.code})", integer(p.n), number(p.value),
             positions[p.position]] for p in result.points]
    return charts.funnel_chart(dots, limits, result.target, scale(result.metric), texts, rows,
                               number)


@dataclass(frozen=True, slots=True)
class Headline:
    """A metric's headline card: value, interval and n as text, one sentence, and a chip.

    ``chip`` is ``"up"`` or ``"down"`` only when the service flags the change as real;
    ``chip_text`` says so in words (the chip is never colour alone).
    """

    metric: str
    shown: bool
    value: str
    interval: str
    n: str
    sentence: str
    chip: str | None
    chip_text: str


def _digits(metric: str) -> int:
    """Headlines round NPS and eNPS to whole points (as the county reports them), QWL to 0,1."""
    return 1 if metric == "qwl" else 0


def headline(summary: MetricSummary) -> Headline:
    """The headline of one metric: e.g. "NPS 21 (16 … 26), up 3 from T1 2026 — within normal
    variation"; the chip follows the service's flag of a real change, nothing else."""
    cell, metric = summary.cell, summary.metric
    digits = _digits(metric)
    if not cell.shown or not cell.n or cell.value is None:
        text = hidden_text(cell) if not cell.shown else gettext("no answers")
        return Headline(metric, False, "", "", "", gettext(
            "%(name)s: %(reason)s.", name=SHORT_NAMES[metric], reason=text), None, "")
    interval = interval_text(cell.low, cell.high, digits)
    head = gettext("%(name)s %(value)s (%(interval)s)", name=SHORT_NAMES[metric],
                   value=number(cell.value, digits), interval=interval) if interval else \
        gettext("%(name)s %(value)s", name=SHORT_NAMES[metric], value=number(cell.value, digits))
    sentence, chip = _change_sentence(head, cell.change_previous, _previous(cell.period), digits)
    chip_text = {"up": gettext("Real improvement"), "down": gettext("Real decline")}.get(chip, "")
    return Headline(metric, True, number(cell.value, digits), interval, integer(cell.n),
                    sentence, chip, chip_text)


def _previous(label: str) -> str:
    """The short name of the period before ``label``."""
    try:
        return short_name(parse_period(label).previous())
    except PeriodError:
        return gettext("the previous period")


def _change_sentence(head: str, change: Change | None, previous: str,
                     digits: int) -> tuple[str, str | None]:
    """The sentence after the value, and the chip ("up"/"down") when the change is flagged."""
    if change is None or change.delta is None:
        against = short_name(change.against) if change else previous
        return gettext("%(head)s; no figure for %(period)s to compare with.", head=head,
                       period=against), None
    against = short_name(change.against)
    if change.significant and change.delta != 0:
        # A flagged change is never written as "the same": enough decimals to show it.
        while round(change.delta, digits) == 0 and digits < 3:
            digits += 1
    size = number(abs(change.delta), digits)
    if change.delta == 0 or (not change.significant and round(change.delta, digits) == 0):
        return gettext("%(head)s, the same as in %(period)s — within normal variation.",
                       head=head, period=against), None
    up = change.delta > 0
    if change.significant:
        text = (gettext("%(head)s, up %(delta)s from %(period)s — a real change.", head=head,
                        delta=size, period=against) if up else
                gettext("%(head)s, down %(delta)s from %(period)s — a real change.", head=head,
                        delta=size, period=against))
        return text, "up" if up else "down"
    text = (gettext("%(head)s, up %(delta)s from %(period)s — within normal variation.",
                    head=head, delta=size, period=against) if up else
            gettext("%(head)s, down %(delta)s from %(period)s — within normal variation.",
                    head=head, delta=size, period=against))
    return text, None


def change_chip(change: Change | None) -> str | None:
    """"up"/"down" when the service flags the change as real, else None (for table cells)."""
    if change is None or change.delta is None or not change.significant or change.delta == 0:
        return None
    return "up" if change.delta > 0 else "down"

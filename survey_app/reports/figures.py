"""Translated texts, number formats and charts for the report templates."""

from __future__ import annotations

from babel.numbers import get_minus_sign_symbol
from flask_babel import format_decimal, get_locale, gettext, lazy_gettext
from markupsafe import Markup

from survey_app.services.reports import (
    ChannelShare,
    FactorCell,
    Funnel,
    MetricCell,
    MetricSummary,
    StatementCell,
)

from . import charts

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


def number(value: float | None) -> str:
    """A score with one decimal in the page's locale (``−12,5`` in Finnish); empty for None."""
    if value is None:
        return ""
    text = format_decimal(round(value, 1) + 0.0, format="#,##0.0")
    return text.replace("-", get_minus_sign_symbol(get_locale()))


def integer(value: int | None) -> str:
    """A count in the page's locale."""
    return "" if value is None else format_decimal(value, format="#,##0")


def metric_name(metric: str) -> str:
    """The measure's name in the page language."""
    return str(METRIC_NAMES.get(metric, metric))


def hidden_text(cell) -> str:
    """What a suppressed cell shows instead of numbers."""
    if cell.suppressed == "not_released":
        return gettext("not released yet")
    # One text for every hidden cell: "fewer than k answers" would reveal a bound.
    return gettext("hidden to protect a smaller group")


def interval_text(low: float | None, high: float | None) -> str:
    """``30,1–52,8`` or empty."""
    if low is None or high is None:
        return ""
    return gettext("%(low)s to %(high)s", low=number(low), high=number(high))


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


def row_bar(cell: MetricCell, reference: float | None) -> Markup:
    """The compact interval bar of a unit-table row ('' when the cell has no value)."""
    if not cell.shown or cell.value is None:
        return Markup("")
    return charts.interval_bar(cell.value, cell.low, cell.high, scale(cell.metric),
                               f"{cell.unit_name}: {cell_text(cell)}", reference)


def trend(summary: MetricSummary) -> Markup:
    """The trend chart of one measure, with the interval as a band and a data table."""
    cells = summary.trend
    points = [charts.TrendPoint(c.period, c.value if c.shown and c.n else None,
                                c.low if c.shown else None, c.high if c.shown else None,
                                "" if c.shown and c.n else (hidden_text(c) if not c.shown
                                                            else gettext("no answers")))
              for c in cells]
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
    return charts.trend_chart(points, scale(summary.metric), texts, rows, number)


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
    limits = [(lim.n, lim.inner_low, lim.inner_high, lim.outer_low, lim.outer_high)
              for lim in result.limits]
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

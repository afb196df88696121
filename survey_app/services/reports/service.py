"""The report functions: scope and period in, suppressed plain results out."""

from __future__ import annotations

from datetime import date

import numpy as np
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput
from survey_app.periods import Period, periods_back
from survey_app.privacy import Thresholds
from survey_app.scoring import (
    FUNNEL_LEVELS,
    mean_funnel_limits,
    nps_funnel_limits,
)
from survey_app.services import comments as comment_service
from survey_app.services.access import Scope

from .common import (
    TREND_LENGTH,
    as_period,
    check_metric,
    current_thresholds,
    default_as_of,
    scope_root_indexes,
    unit_in_scope,
    visible_ancestors,
    visible_children,
)
from .details import channels_of, factors_of, statements_of
from .frames import Comparison, Sources, apply_changes, build_cells
from .results import (
    COUNT_METRICS,
    METRIC_KINDS,
    METRICS,
    Comment,
    CommentList,
    Funnel,
    FunnelLimit,
    FunnelPoint,
    MetricCell,
    MetricSummary,
    Overview,
    UnitDetail,
    UnitRef,
    UnitTable,
)
from .tree import UnitTree

#: Sort keys of the unit table.
SORTS = ("name", "n", "value", "change_previous", "change_year")


def overview(session: Session, scope: Scope, root_unit: str | None, period: Period | str,
             lang: str, *, as_of: date | None = None,
             thresholds: Thresholds | None = None) -> Overview:
    """NPS, eNPS and QWL of a unit's subtree in a period, with changes and trend.

    ``root_unit`` None means the first top unit of the scope. Changes against the previous
    period and the same period a year earlier, their intervals FDR-adjusted over the six
    comparisons; a change is significant exactly when its shown interval excludes 0.
    """
    period, as_of = as_period(period), as_of or default_as_of()
    tree = UnitTree.load(session)
    unit = unit_in_scope(tree, scope, root_unit)
    summaries = _summaries(session, tree, unit, period, lang, as_of, thresholds)
    return Overview(tree.ref(unit, lang), period.label, period.granularity, summaries,
                    as_of.isoformat())


def unit_table(session: Session, scope: Scope, parent_unit: str | None, metric: str,
               period: Period | str, lang: str, *, sort: str = "name", descending: bool = False,
               as_of: date | None = None, thresholds: Thresholds | None = None) -> UnitTable:
    """One metric for the children of a unit, with the unit's own total and changes.

    ``sort``: name, n, value, change_previous, change_year. Rows whose numbers are hidden always
    come last in name order, whatever the sort, so their place reveals nothing.
    """
    check_metric(metric)
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort order %(sort)s.", sort=str(sort)[:20]))
    period, as_of = as_period(period), as_of or default_as_of()
    tree = UnitTree.load(session)
    parent = unit_in_scope(tree, scope, parent_unit)
    answering = tree.answering(METRIC_KINDS[metric])
    children = [c for c in visible_children(tree, scope, parent) if answering[c]]
    periods = [period, period.previous(), period.year_before()]
    units = [parent, *children]
    sources = Sources(session, tree, periods, as_of, current_thresholds(thresholds), units)
    frame = sources.frame(metric)
    cells = {metric: build_cells(frame, units, periods, lang)}
    apply_changes({metric: frame}, cells, _change_comparisons(metric, units, period))
    rows = [(tree.ref(c, lang), cells[metric][(c, period.label)]) for c in children]
    return UnitTable(tree.ref(parent, lang), metric, period.label,
                     cells[metric][(parent, period.label)],
                     tuple(_sorted_rows(rows, sort, descending)), sort, descending,
                     as_of.isoformat())


def unit_detail(session: Session, scope: Scope, unit: str, period: Period | str, lang: str, *,
                as_of: date | None = None, thresholds: Thresholds | None = None) -> UnitDetail:
    """Everything on a unit page: metrics with trend, statements, QWL factors, channel mix."""
    period, as_of = as_period(period), as_of or default_as_of()
    tree = UnitTree.load(session)
    index = unit_in_scope(tree, scope, unit)
    thresholds = current_thresholds(thresholds)
    summaries = _summaries(session, tree, index, period, lang, as_of, thresholds)
    by_metric = {s.metric: s.cell for s in summaries}
    resident_shown = by_metric["nps"].shown and bool(by_metric["nps"].n)
    sources = Sources(session, tree, [period], as_of, thresholds, [index])
    statements = statements_of(sources, index, period, lang) if resident_shown else ()
    channels = channels_of(sources, index, period) if resident_shown else ()
    factors = ()
    if by_metric["qwl"].shown and by_metric["qwl"].n:
        factors = factors_of(sources, index, period, lang)
    return UnitDetail(
        unit=tree.ref(index, lang),
        ancestors=tuple(tree.ref(a, lang) for a in visible_ancestors(tree, scope, index)),
        children=tuple(tree.ref(c, lang) for c in visible_children(tree, scope, index)),
        period=period.label, granularity=period.granularity, metrics=summaries,
        statements=statements, factors=factors, channels=channels, as_of=as_of.isoformat())


def funnel(session: Session, scope: Scope, parent: str | None, metric: str,
           period: Period | str, lang: str = "fi", *, as_of: date | None = None,
           thresholds: Thresholds | None = None) -> Funnel:
    """The children of a unit on a funnel plot around the unit's own score.

    Control limits at 95 % and 99.8 % from `scoring`, allowing for overdispersion estimated from
    the shown children (additive random effects, Spiegelhalter 2005), with the unadjusted 95 %
    limits beside them; hidden children are only counted.
    """
    check_metric(metric)
    period, as_of = as_period(period), as_of or default_as_of()
    tree = UnitTree.load(session)
    index = unit_in_scope(tree, scope, parent)
    answering = tree.answering(METRIC_KINDS[metric])
    children = [c for c in visible_children(tree, scope, index) if answering[c]]
    sources = Sources(session, tree, [period], as_of, current_thresholds(thresholds),
                      [index, *children])
    frame = sources.frame(metric)
    cells = build_cells(frame, [index, *children], [period], lang)
    total = cells[(index, period.label)]
    shown = [c for c in children if cells[(c, period.label)].shown and cells[(c, period.label)].n]
    hidden = sum(1 for c in children if not cells[(c, period.label)].shown)
    if not (total.shown and total.n and total.value is not None):
        return Funnel(tree.ref(index, lang), metric, period.label, None, total, (), (),
                      hidden, FUNNEL_LEVELS, as_of.isoformat())
    n = np.array([cells[(c, period.label)].n for c in shown], dtype=np.int64)
    values = np.array([cells[(c, period.label)].value for c in shown], dtype=np.float64)
    top = int(max(n.max() if n.size else 1, total.n) * 1.1) + 2
    grid = np.unique(np.geomspace(1, top, 60).round().astype(np.int64))
    limits = _funnel_limits(metric, total, np.concatenate([n, grid]), (n, values))
    positions = limits.position(np.concatenate([values, np.full(grid.size, limits.target)]))
    points = tuple(FunnelPoint(tree.ref(c, lang), int(n[i]), float(values[i]), int(positions[i]))
                   for i, c in enumerate(shown))
    plain = limits.unadjusted
    curve = tuple(FunnelLimit(int(grid[j]), *(float(getattr(limits, name)[n.size + j])
                                              for name in ("inner_low", "inner_high",
                                                           "outer_low", "outer_high")),
                              *((float(plain.inner_low[n.size + j]),
                                 float(plain.inner_high[n.size + j])) if plain else ()))
                  for j in range(grid.size))
    spread = limits.overdispersion
    return Funnel(tree.ref(index, lang), metric, period.label, float(limits.target), total,
                  points, curve, hidden, tuple(limits.levels), as_of.isoformat(),
                  spread.adjustment, spread.tau, spread.phi)


def comments(session: Session, scope: Scope, unit: str, period: Period | str,
             language: str | None = None, *, kind: str = "resident", lang: str = "fi",
             as_of: date | None = None, thresholds: Thresholds | None = None,
             page: int = 1) -> CommentList:
    """One page of the released comment batches of a unit's subtree that touch the period.

    Only released batches are read (:mod:`survey_app.services.comments`): each holds at
    least the comment threshold of one unit's comments of whole months, appears whole, and
    is dated only by its span. ``language`` filters by the labels the batches allow.
    ``as_of`` is accepted for symmetry with the other reports; releases fix what is shown.
    """
    if kind not in ("resident", "pulse"):
        raise InvalidInput(_("Unknown survey kind."))
    period = as_period(period)
    tree = UnitTree.load(session)
    index = unit_in_scope(tree, scope, unit)
    code = tree.units[index].code
    thresholds = current_thresholds(thresholds)
    query = comment_service.CommentQuery(unit=code, kind=kind, period=period,
                                         language=language or None)
    listing = comment_service.search(session, scope, query, page, lang)
    every = comment_service.CommentQuery(unit=code, kind=kind, period=period)
    total = listing.total if not language else comment_service.search(
        session, scope, every, 1, lang, per_page=1).total
    ref = tree.ref(index, lang)
    if total == 0:
        return CommentList(ref, period.label, kind, False, thresholds.comments, None, (),
                           language or None, ())
    chosen = tuple(Comment(c.text, c.language, c.score_group,
                           f"{c.batch.unit_name}, {c.batch.span}", c.batch.id)
                   for c in listing.comments)
    languages = comment_service.languages(session, scope, every)
    return CommentList(ref, period.label, kind, True, thresholds.comments, listing.total,
                       languages, language or None, chosen, listing.page, listing.pages)


def units_in_scope(session: Session, scope: Scope, lang: str) -> tuple[UnitRef, ...]:
    """Every unit the scope allows, in tree order (for unit choosers)."""
    tree = UnitTree.load(session)
    order: list[int] = []
    stack = list(reversed(scope_root_indexes(tree, scope)))
    while stack:
        index = stack.pop()
        order.append(index)
        stack.extend(reversed(tree.children[index]))
    return tuple(tree.ref(i, lang) for i in order)


def _summaries(session, tree, unit, period, lang, as_of, thresholds) -> tuple[MetricSummary, ...]:
    """Every metric of one unit: the period's cell with changes, and the trend."""
    trend = periods_back(period, TREND_LENGTH[period.granularity])
    periods = sorted(set(trend) | {period.previous(), period.year_before()})
    sources = Sources(session, tree, periods, as_of, current_thresholds(thresholds), [unit])
    frames = {metric: sources.frame(metric) for metric in METRICS}
    cells = {metric: build_cells(frames[metric], [unit], periods, lang) for metric in METRICS}
    comparisons = [c for metric in METRICS for c in _change_comparisons(metric, [unit], period)]
    apply_changes(frames, cells, comparisons)
    return tuple(MetricSummary(metric, cells[metric][(unit, period.label)],
                               tuple(cells[metric][(unit, p.label)] for p in trend))
                 for metric in METRICS)


def _change_comparisons(metric: str, units: list[int], period: Period) -> list[Comparison]:
    """Against the previous period and the same period a year earlier, for every unit."""
    result = [Comparison(metric, u, period, period.previous(), "change_previous") for u in units]
    if period.year_before() != period.previous():
        result += [Comparison(metric, u, period, period.year_before(), "change_year")
                   for u in units]
    return result


def _sorted_rows(rows, sort: str, descending: bool):
    """Shown rows by the key (empty values after numbers), then hidden rows by name."""
    def value(cell: MetricCell):
        if sort == "n":
            return cell.n
        if sort == "value":
            return cell.value
        change = getattr(cell, sort)
        return change.delta if change else None

    shown = [r for r in rows if r[1].shown]
    hidden = sorted((r for r in rows if not r[1].shown), key=lambda r: r[0].name.casefold())
    if sort == "name":
        ordered = sorted(shown, key=lambda r: r[0].name.casefold(), reverse=descending)
        return ordered + hidden
    numbered = [r for r in shown if value(r[1]) is not None]
    blank = sorted((r for r in shown if value(r[1]) is None), key=lambda r: r[0].name.casefold())
    numbered.sort(key=lambda r: (value(r[1]), r[0].name.casefold()), reverse=descending)
    return numbered + blank + hidden


def _funnel_limits(metric: str, total: MetricCell, n: np.ndarray, units):
    """Control limits around the parent: NPS from its counts, QWL from its mean and SD;
    widened for the overdispersion ``units`` (sizes, scores) show."""
    if metric in COUNT_METRICS:
        d = total.distribution
        return nps_funnel_limits(n, (d.detractors, d.passives, d.promoters), units=units)
    return mean_funnel_limits(n, total.value, total.sd or 0.0, units=units)

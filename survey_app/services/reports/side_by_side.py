"""A reader's own top units side by side: every metric of each unit the scope starts from.

A manager of several units (``manager.kuhmo`` has three) sees them in one table before
drilling down. Cells, suppression and changes come from the same frames as every other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from survey_app.periods import Period
from survey_app.privacy import Thresholds
from survey_app.services.access import Scope

from .common import as_period, current_thresholds, default_as_of, scope_root_indexes
from .frames import Sources, apply_changes, build_cells
from .results import METRICS, MetricCell, UnitRef
from .service import _change_comparisons
from .tree import UnitTree


@dataclass(frozen=True, slots=True)
class SideBySide:
    """The scope's top units in code order, each with one cell per metric (NPS, eNPS, QWL)."""

    period: str
    rows: tuple[tuple[UnitRef, dict[str, MetricCell]], ...]
    as_of: str


def scope_unit_count(session: Session, scope: Scope) -> int:
    """How many top units the scope starts from (one for HR: the county)."""
    return len(scope_root_indexes(UnitTree.load(session), scope))


def units_side_by_side(session: Session, scope: Scope, period: Period | str, lang: str, *,
                       as_of: date | None = None,
                       thresholds: Thresholds | None = None) -> SideBySide:
    """Every metric of each top unit of the scope in ``period``, with changes."""
    period, as_of = as_period(period), as_of or default_as_of()
    tree = UnitTree.load(session)
    roots = scope_root_indexes(tree, scope)
    periods = [period, period.previous(), period.year_before()]
    sources = Sources(session, tree, periods, as_of, current_thresholds(thresholds), roots)
    frames = {metric: sources.frame(metric) for metric in METRICS}
    cells = {metric: build_cells(frames[metric], roots, periods, lang) for metric in METRICS}
    apply_changes(frames, cells, [c for metric in METRICS
                                  for c in _change_comparisons(metric, roots, period)])
    rows = tuple((tree.ref(r, lang), {m: cells[m][(r, period.label)] for m in METRICS})
                 for r in roots)
    return SideBySide(period.label, rows, as_of.isoformat())

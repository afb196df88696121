"""Shared steps of every report: the period, the unit within the scope, thresholds, as-of day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _

from survey_app.errors import Forbidden, InvalidInput, NotFound
from survey_app.periods import Period, PeriodError, helsinki_day, parse_period
from survey_app.privacy import Thresholds
from survey_app.services.access import Scope

from .results import METRICS
from .tree import UnitTree

#: Periods in a trend, oldest first, ending with the chosen one: long enough to reach the same
#: period a year earlier.
TREND_LENGTH = {"month": 13, "quarter": 5, "tertial": 4, "year": 3}


def as_period(period: Period | str) -> Period:
    """A Period from a Period or its label; InvalidInput (400) for anything else."""
    try:
        result = period if isinstance(period, Period) else parse_period(str(period))
        # Reports also show the trend and the same period a year earlier: they must exist too.
        result.shift(-TREND_LENGTH[result.granularity]).previous().year_before()
        return result
    except PeriodError:
        raise InvalidInput(_("The period %(period)s is not valid. Write for example 2026-03, "
                             "2026-Q1, 2026-T1 or 2026.", period=str(period)[:20])) from None


def check_metric(metric: str) -> str:
    """The metric if known (nps, enps, qwl), else InvalidInput."""
    if metric not in METRICS:
        raise InvalidInput(_("Unknown measure %(metric)s.", metric=str(metric)[:20]))
    return metric


def default_as_of() -> date:
    """The last day the released cells cover: the end of the last released resident month.

    Before the first release (or outside an app context), yesterday in Helsinki.
    """
    if has_app_context():
        from survey_app.db import get_session
        from survey_app.services.releases.ledger import last_released_month

        month = last_released_month(get_session())
        if month is not None:
            return month.end - timedelta(days=1)
    return helsinki_day(datetime.now(UTC)) - timedelta(days=1)


def current_thresholds(thresholds: Thresholds | None) -> Thresholds:
    """Given thresholds, else those of the current app's configuration, else the defaults."""
    if thresholds is not None:
        return thresholds
    if has_app_context():
        return Thresholds.from_config(current_app.config)
    return Thresholds()


def unit_in_scope(tree: UnitTree, scope: Scope, code: str | None) -> int:
    """Index of the unit ``code`` (default: the first root of the scope).

    NotFound for an unknown code, Forbidden for a unit outside the scope.
    """
    if code is None:
        roots = scope_root_indexes(tree, scope)
        if not roots:
            raise NotFound(_("There are no units to report on."))
        return roots[0]
    index = tree.by_code.get(str(code))
    if index is None:
        raise NotFound(_("No unit with the code %(code)s.", code=str(code)[:40]))
    if not scope.allows(tree.units[index]):
        raise Forbidden()
    return index


def scope_root_indexes(tree: UnitTree, scope: Scope) -> list[int]:
    """Top units of the scope in code order: the tree's roots, or the manager's subtrees."""
    if scope.everything:
        roots = [i for i in range(len(tree)) if tree.parent[i] < 0]
    else:
        inside = [i for i, u in enumerate(tree.units) if u.path in scope.paths]
        roots = [i for i in inside if not any(
            tree.units[i].path != p and tree.units[i].path.startswith(p) for p in scope.paths)]
    return sorted(roots, key=lambda i: tree.units[i].code)


def visible_children(tree: UnitTree, scope: Scope, index: int) -> list[int]:
    """Children of a unit that the scope allows (all of them, as a scope is whole subtrees)."""
    return [c for c in tree.children[index] if scope.allows(tree.units[c])]


def visible_ancestors(tree: UnitTree, scope: Scope, index: int) -> list[int]:
    """Ancestors inside the scope, root first."""
    return [a for a in tree.ancestors(index) if scope.allows(tree.units[a])]


def recent_periods(as_of: date) -> dict[str, list[Period]]:
    """Periods to offer in the chooser, newest first: 13 months, 8 quarters, 6 tertials, 4 years."""
    from survey_app.periods import period_of

    counts = {"month": 13, "quarter": 8, "tertial": 6, "year": 4}
    return {g: [period_of(as_of, g).shift(-k) for k in range(n)] for g, n in counts.items()}


def default_period(as_of: date) -> Period:
    """The latest quarter complete by the last reported day (running periods are not released)."""
    return latest_complete(as_of, "quarter")


def latest_complete(as_of: date, granularity: str) -> Period:
    """The latest period of ``granularity`` that has ended by the end of ``as_of``."""
    from survey_app.periods import period_of

    period = period_of(as_of, granularity)
    return period if period.end <= as_of + timedelta(days=1) else period.previous()

"""Per-unit, per-month sums read from the aggregate tables (never from raw answers).

One SQL statement per metric sums a unit's *own* rows per calendar month; subtree totals and
period totals are then numpy sums (:meth:`UnitTree.roll_up`, :meth:`MonthlySums.over`).
Resident rows count by their Helsinki day; a pulse round counts in the month in which it closes
(Helsinki), and only once closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Integer, and_, cast, extract, func, select
from sqlalchemy.orm import Session

from survey_app.models import (
    SCORE_COLUMNS,
    OrgUnit,
    ResidentDaily,
    ResidentItemDaily,
    ResidentMonthly,
    StaffMeasure,
    StaffRound,
    Survey,
    SurveyKind,
)
from survey_app.periods import Period, helsinki_day
from survey_app.services.qwl import MEASURES

from .tree import UnitTree

#: Column layout per source: 11 score counts + comments, or n/Σ/Σ² of an index.
COUNT_COLUMNS = (*SCORE_COLUMNS, "comments")
MEASURE_COLUMNS = ("n", "total", "total_sq")


@dataclass(slots=True, eq=False)
class MonthlySums:
    """``data[unit, month, column]``: own sums of each unit per month from ``first_month``.

    Months are ordinals (year × 12 + month − 1, as `Period.ordinal` for months).
    """

    first_month: int
    data: np.ndarray

    @property
    def months(self) -> int:
        """Number of months covered."""
        return self.data.shape[1]

    def month_index(self, period: Period) -> list[int]:
        """Positions of the period's months in this array."""
        return [m.ordinal - self.first_month for m in period.parts("month")]

    def over(self, periods: list[Period]) -> np.ndarray:
        """``result[unit, period, column]``: own sums per period (one matrix product)."""
        weights = np.zeros((len(periods), self.months))
        for row, period in enumerate(periods):
            weights[row, self.month_index(period)] = 1.0
        return np.einsum("pm,umc->upc", weights, self.data)


def month_range(periods: list[Period]) -> tuple[int, int]:
    """Ordinals of January of the earliest year touched and of January after the last one.

    Whole calendar years, so that months, quarters, tertials and the year can all be protected
    against differencing together.
    """
    first = min(p.start.year for p in periods)
    last = max((p.end - timedelta(days=1)).year for p in periods)
    return first * 12, (last + 1) * 12


def _month_of_day(column):
    """SQL month ordinal of a date column (portable: SQLite and PostgreSQL)."""
    return (cast(extract("year", column), Integer) * 12
            + cast(extract("month", column), Integer) - 1)


def _empty(tree: UnitTree, months: tuple[int, int], width: int) -> MonthlySums:
    return MonthlySums(months[0], np.zeros((len(tree), months[1] - months[0], width)))


def resident_sums(session: Session, tree: UnitTree, months: tuple[int, int],
                  as_of: date) -> MonthlySums:
    """Score counts and comment counts of resident answers per unit and month, up to ``as_of``.

    Whole months before ``as_of``'s month come from the monthly aggregates; ``as_of``'s own
    month from the daily ones, so that answers after ``as_of`` never count.
    """
    result = _empty(tree, months, len(COUNT_COLUMNS))
    start = date(months[0] // 12, 1, 1)
    end = min(date(months[1] // 12, 1, 1), as_of.replace(day=1))
    monthly = _month_of_day(ResidentMonthly.month).label("month")
    rows = session.execute(
        select(ResidentMonthly.unit_id, monthly,
               *[func.sum(getattr(ResidentMonthly, c)) for c in COUNT_COLUMNS])
        .where(ResidentMonthly.month >= start, ResidentMonthly.month < end)
        .group_by(ResidentMonthly.unit_id, monthly)
    ).all()
    current = as_of.replace(day=1)
    if start <= current < date(months[1] // 12, 1, 1):
        daily = _month_of_day(ResidentDaily.day).label("month")
        rows += session.execute(
            select(ResidentDaily.unit_id, daily,
                   *[func.sum(getattr(ResidentDaily, c)) for c in COUNT_COLUMNS])
            .where(ResidentDaily.day >= current, ResidentDaily.day <= as_of)
            .group_by(ResidentDaily.unit_id, daily)
        ).all()
    _fill(result, tree, [(r[0], r[1]) for r in rows], [r[2:] for r in rows])
    return result


def closed_rounds(session: Session, months: tuple[int, int], as_of: date) -> dict[int, int]:
    """Pulse rounds that closed (Helsinki day ≤ ``as_of``) within ``months``: id → month ordinal."""
    rounds = session.execute(
        select(Survey.id, Survey.closes_at)
        .where(Survey.kind == SurveyKind.PULSE, Survey.closes_at.is_not(None))
    ).all()
    result = {}
    for survey_id, closes_at in rounds:
        day = helsinki_day(closes_at)
        ordinal = day.year * 12 + day.month - 1
        if day <= as_of and months[0] <= ordinal < months[1]:
            result[survey_id] = ordinal
    return result


def staff_sums(session: Session, tree: UnitTree, rounds: dict[int, int],
               months: tuple[int, int]) -> MonthlySums:
    """eNPS score counts and comment counts per unit and month of the rounds' closing."""
    result = _empty(tree, months, len(COUNT_COLUMNS))
    if not rounds:
        return result
    rows = session.execute(
        select(StaffRound.unit_id, StaffRound.survey_id,
               *[getattr(StaffRound, c) for c in COUNT_COLUMNS])
        .where(StaffRound.survey_id.in_(list(rounds)))
    ).all()
    _fill(result, tree, [(r[0], rounds[r[1]]) for r in rows], [r[2:] for r in rows])
    return result


def measure_sums(session: Session, tree: UnitTree, rounds: dict[int, int],
                 months: tuple[int, int]) -> dict[str, MonthlySums]:
    """n, Σ and Σ² of the QWL index and of each factor per unit and month."""
    result = {name: _empty(tree, months, len(MEASURE_COLUMNS)) for name in MEASURES}
    if not rounds:
        return result
    rows = session.execute(
        select(StaffMeasure.unit_id, StaffMeasure.survey_id, StaffMeasure.measure,
               StaffMeasure.n, StaffMeasure.total, StaffMeasure.total_sq)
        .where(StaffMeasure.survey_id.in_(list(rounds)),
               StaffMeasure.measure.in_(MEASURES))
    ).all()
    for name, sums in result.items():
        chosen = [r for r in rows if r[2] == name]
        _fill(sums, tree, [(r[0], rounds[r[1]]) for r in chosen], [r[3:] for r in chosen])
    return result


def item_sums(session: Session, tree: UnitTree, months: tuple[int, int],
              as_of: date) -> dict[str, MonthlySums]:
    """Per statement, the n of its % agreeing per unit and month, up to ``as_of``.

    n counts the answers other than "cannot say" (value ≥ 1); one column.
    """
    month = _month_of_day(ResidentItemDaily.day).label("month")
    rows = session.execute(
        select(ResidentItemDaily.unit_id, month, ResidentItemDaily.item,
               func.sum(ResidentItemDaily.count))
        .where(ResidentItemDaily.value >= 1,
               ResidentItemDaily.day >= date(months[0] // 12, 1, 1),
               ResidentItemDaily.day < date(months[1] // 12, 1, 1),
               ResidentItemDaily.day <= as_of)
        .group_by(ResidentItemDaily.unit_id, month, ResidentItemDaily.item)
    ).all()
    items = sorted({r[2] for r in rows})
    column = {item: j for j, item in enumerate(items)}
    values = np.zeros((len(rows), len(items)))
    values[np.arange(len(rows)), [column[r[2]] for r in rows]] = [r[3] or 0 for r in rows]
    result = _empty(tree, months, len(items))
    _fill(result, tree, [(r[0], r[1]) for r in rows], values)
    return {item: MonthlySums(result.first_month, result.data[:, :, j:j + 1])
            for item, j in column.items()}


def _fill(target: MonthlySums, tree: UnitTree, keys: list[tuple[int, int]], values) -> None:
    """Add SQL rows (unit id, month ordinal) → values into the array."""
    if not keys:
        return
    key_array = np.array(keys, dtype=np.int64)
    units = np.array([tree.index_of[int(u)] for u in key_array[:, 0]], dtype=np.int64)
    months = key_array[:, 1] - target.first_month
    np.add.at(target.data, (units, months),
              np.array(values, dtype=np.float64).reshape(len(keys), -1))


def subtree_condition(unit: OrgUnit, column):
    """SQL: ``column`` (a unit id) lies in ``unit``'s subtree."""
    return column.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True)))


def statement_counts(session: Session, unit: OrgUnit, period: Period,
                     as_of: date) -> dict[str, dict[int, int]]:
    """Resident statement answers of the subtree in the period: item → value → count."""
    rows = session.execute(
        select(ResidentItemDaily.item, ResidentItemDaily.value, func.sum(ResidentItemDaily.count))
        .where(subtree_condition(unit, ResidentItemDaily.unit_id),
               ResidentItemDaily.day >= period.start, ResidentItemDaily.day < period.end,
               ResidentItemDaily.day <= as_of)
        .group_by(ResidentItemDaily.item, ResidentItemDaily.value)
    ).all()
    result: dict[str, dict[int, int]] = {}
    for item, value, count in rows:
        result.setdefault(item, {})[int(value)] = int(count or 0)
    return result


def channel_counts(session: Session, unit: OrgUnit, period: Period, as_of: date) -> dict[str, int]:
    """Resident answers of the subtree in the period per channel."""
    rows = session.execute(
        select(ResidentDaily.channel, func.sum(ResidentDaily.n))
        .where(subtree_condition(unit, ResidentDaily.unit_id),
               and_(ResidentDaily.day >= period.start, ResidentDaily.day < period.end,
                    ResidentDaily.day <= as_of))
        .group_by(ResidentDaily.channel)
    ).all()
    return {channel: int(n or 0) for channel, n in rows if n}

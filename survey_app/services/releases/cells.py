"""Every additive measure of each unit's own answers, read from the aggregate tables.

A :class:`Measures` table has one row per unit (in :class:`UnitTree` order) and one column per
additive measure; subtree cells are its roll-up. Column names are those stored in
``ReleasedCell.values``: ``n`` (respondents), ``c0``…``c10`` (0–10 answers), ``comments``,
``item:<id>:<value>`` (statement answers, value 0 = cannot say), ``channel:<name>`` (resident
answers per channel) and ``m:<measure>:n|sum|sq`` (staff QWL index and factors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import (
    SCORE_COLUMNS,
    ResidentDaily,
    ResidentItemDaily,
    ResidentMonthly,
    StaffItemCount,
    StaffMeasure,
    StaffRound,
)
from survey_app.services.reports.tree import UnitTree

BASE_COLUMNS = ("n", *SCORE_COLUMNS, "comments")


@dataclass(slots=True, eq=False)
class Measures:
    """``data[unit, column]``: own sums of every unit (rows in tree order)."""

    columns: list[str]
    data: np.ndarray

    def column(self, name: str) -> np.ndarray:
        """One column (zeros when absent)."""
        if name not in self.columns:
            return np.zeros(self.data.shape[0])
        return self.data[:, self.columns.index(name)]

    def score_n(self) -> np.ndarray:
        """Answers to the 0–10 question per row."""
        return self.data[:, 1:12].sum(axis=1)

    def small_counts(self) -> np.ndarray:
        """Per row, every respondent count that the threshold applies to (n, score n, m:*:n)."""
        counts = [self.column("n"), self.score_n()]
        counts += [self.data[:, j] for j, name in enumerate(self.columns)
                   if name.startswith("m:") and name.endswith(":n")]
        return np.stack(counts, axis=1)

    def rolled_up(self, tree: UnitTree) -> Measures:
        """Subtree sums of every unit."""
        return Measures(self.columns, tree.roll_up(self.data) if len(tree) else self.data)

    def values(self, row: int) -> dict:
        """The row as a JSON-ready dict of its non-zero measures."""
        result = {}
        for name, value in zip(self.columns, self.data[row].tolist(), strict=True):
            if value:
                result[name] = int(round(value)) if not _is_float(name) else round(value, 9)
        return result


def _is_float(name: str) -> bool:
    return name.endswith(":sum") or name.endswith(":sq")


def _table(tree: UnitTree, keyed: dict[str, dict[int, float]]) -> Measures:
    """Columns from ``{column: {unit id: value}}`` (base columns first, the rest sorted)."""
    extra = sorted(set(keyed) - set(BASE_COLUMNS))
    columns = [*BASE_COLUMNS, *extra]
    data = np.zeros((len(tree), len(columns)))
    for j, name in enumerate(columns):
        for unit_id, value in keyed.get(name, {}).items():
            index = tree.index_of.get(int(unit_id))
            if index is not None:
                data[index, j] += float(value or 0)
    return Measures(columns, data)


def resident_measures(session: Session, tree: UnitTree, start: date, end: date) -> Measures:
    """Own resident measures of every unit for the whole months in [start, end)."""
    keyed: dict[str, dict[int, float]] = {}
    rows = session.execute(
        select(ResidentMonthly.unit_id,
               *[func.sum(getattr(ResidentMonthly, c)) for c in BASE_COLUMNS])
        .where(ResidentMonthly.month >= start, ResidentMonthly.month < end)
        .group_by(ResidentMonthly.unit_id)).all()
    for unit_id, *values in rows:
        for name, value in zip(BASE_COLUMNS, values, strict=True):
            keyed.setdefault(name, {})[unit_id] = value
    items = session.execute(
        select(ResidentItemDaily.unit_id, ResidentItemDaily.item, ResidentItemDaily.value,
               func.sum(ResidentItemDaily.count))
        .where(ResidentItemDaily.day >= start, ResidentItemDaily.day < end)
        .group_by(ResidentItemDaily.unit_id, ResidentItemDaily.item, ResidentItemDaily.value))
    for unit_id, item, value, count in items:
        keyed.setdefault(f"item:{item}:{int(value)}", {})[unit_id] = count
    channels = session.execute(
        select(ResidentDaily.unit_id, ResidentDaily.channel, func.sum(ResidentDaily.n))
        .where(ResidentDaily.day >= start, ResidentDaily.day < end)
        .group_by(ResidentDaily.unit_id, ResidentDaily.channel))
    for unit_id, channel, count in channels:
        keyed.setdefault(f"channel:{channel}", {})[unit_id] = count
    return _table(tree, keyed)


def staff_measures(session: Session, tree: UnitTree, round_id: int) -> Measures:
    """Own staff measures of every unit in one round."""
    keyed: dict[str, dict[int, float]] = {}
    rows = session.execute(
        select(StaffRound.unit_id, *[getattr(StaffRound, c) for c in BASE_COLUMNS])
        .where(StaffRound.survey_id == round_id)).all()
    for unit_id, *values in rows:
        for name, value in zip(BASE_COLUMNS, values, strict=True):
            keyed.setdefault(name, {})[unit_id] = value
    for unit_id, measure, n, total, total_sq in session.execute(
            select(StaffMeasure.unit_id, StaffMeasure.measure, StaffMeasure.n,
                   StaffMeasure.total, StaffMeasure.total_sq)
            .where(StaffMeasure.survey_id == round_id)):
        for suffix, value in (("n", n), ("sum", total), ("sq", total_sq)):
            keyed.setdefault(f"m:{measure}:{suffix}", {})[unit_id] = value
    for unit_id, item, value, count in session.execute(
            select(StaffItemCount.unit_id, StaffItemCount.item, StaffItemCount.value,
                   StaffItemCount.count).where(StaffItemCount.survey_id == round_id)):
        keyed.setdefault(f"item:{item}:{int(value)}", {})[unit_id] = count
    return _table(tree, keyed)


def resident_atom_counts(session: Session, start: date, end: date) -> dict[tuple[int, date], int]:
    """Respondents of each unit's own answers per month in [start, end): the resident atoms."""
    rows = session.execute(
        select(ResidentMonthly.unit_id, ResidentMonthly.month, func.sum(ResidentMonthly.n))
        .where(ResidentMonthly.month >= start, ResidentMonthly.month < end)
        .group_by(ResidentMonthly.unit_id, ResidentMonthly.month)).all()
    return {(int(u), m): int(n or 0) for u, m, n in rows if n}


def members(tree: UnitTree) -> list[list[int]]:
    """Per unit (tree order), the ids of the units in its subtree."""
    matrix = tree.subtree.tocsr()
    return [tree.ids[matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]].tolist()
            for i in range(len(tree))]

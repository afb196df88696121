"""Reading the ledger: the only source of numbers for pages, the API, exports and public pages.

Residents: a month, quarter, tertial or year is shown once it is released, which for a quarter,
tertial or year means once its last month is released (a running period shows nothing yet:
its months are there to read). Staff: a period shows the sum of the released round cells of the
rounds that closed in it; if any of them is hidden for the unit, the period is hidden too, so
that every number shown is a sum of published cells and tells nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import Release, ReleasedCell
from survey_app.models.release import RESIDENT_MONTH
from survey_app.periods import Period

#: Status of a cell for a reader.
SHOWN, HIDDEN, NOT_RELEASED = None, "hidden", "not_released"


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    """One release as the admin page and ``releases list`` show it."""

    id: int
    kind: str
    covers: str
    created_on: date
    threshold: int
    cells: int
    hidden: int


def release_summaries(session: Session) -> list[ReleaseSummary]:
    """Every release with its cell counts, oldest first."""
    counts = dict(session.execute(select(ReleasedCell.release_id, func.count())
                                  .group_by(ReleasedCell.release_id)).all())
    hidden = dict(session.execute(select(ReleasedCell.release_id, func.count())
                                  .where(ReleasedCell.hidden.is_(True))
                                  .group_by(ReleasedCell.release_id)).all())
    releases = session.scalars(select(Release).order_by(Release.month, Release.id))
    return [ReleaseSummary(r.id, r.kind, r.covers, r.created_on, r.threshold,
                           int(counts.get(r.id, 0)), int(hidden.get(r.id, 0)))
            for r in releases]


def released_months(session: Session) -> set[str]:
    """Labels of the released resident months."""
    return {m.strftime("%Y-%m") for m in session.scalars(
        select(Release.month).where(Release.kind == RESIDENT_MONTH))}


def last_released_month(session: Session) -> Period | None:
    """The latest released resident month, or None before the first release."""
    month = session.scalar(select(func.max(Release.month)).where(Release.kind == RESIDENT_MONTH))
    return Period("month", month.year, month.month) if month else None


class Ledger:
    """Released cells for a set of periods, read in two queries: of the given units (database
    ids) only, or of every unit when ``units`` is None.

    A page needs a unit and perhaps its children, a few cells out of thousands: reading only
    those keeps a page's cost independent of the size of the tree.
    """

    def __init__(self, session: Session, periods: Iterable[Period],
                 units: Iterable[int] | None = None) -> None:
        periods = list(periods)
        self.units = None if units is None else frozenset(int(u) for u in units)
        labels = sorted({p.label for p in periods})
        months = sorted({m.label for p in periods for m in p.parts("month")})
        self.released = released_months(session)
        # Months before the ledger's first month had no answers at all: empty, not pending.
        self.first = min(self.released, default="9999-99")
        self.resident = self._read(session, "resident", labels)
        self.staff: dict[tuple[int, str], tuple[bool, dict]] = self._read(session, "staff",
                                                                           months)

    def _read(self, session: Session, kind: str, labels: list[str]):
        """(unit id, period label) → (hidden, values); staff rounds of a month summed."""
        result: dict[tuple[int, str], tuple[bool, dict]] = {}
        if not labels or self.units == frozenset():
            return result
        query = (select(ReleasedCell.unit_id, ReleasedCell.period, ReleasedCell.hidden,
                        ReleasedCell.values)
                 .where(ReleasedCell.survey_kind == kind, ReleasedCell.period.in_(labels)))
        if self.units is not None:
            query = query.where(ReleasedCell.unit_id.in_(sorted(self.units)))
        rows = session.execute(query)
        for unit_id, label, hidden, values in rows:
            key = (int(unit_id), label)
            if key in result:
                before_hidden, before = result[key]
                values = {name: before.get(name, 0) + values.get(name, 0)
                          for name in before.keys() | values.keys()}
                hidden = hidden or before_hidden
            result[key] = (bool(hidden), values)
        return result

    def _check(self, unit_id: int) -> None:
        if self.units is not None and unit_id not in self.units:
            raise KeyError(f"unit {unit_id} was not read into this ledger")

    def resident_cell(self, unit_id: int, period: Period) -> tuple[str | None, dict]:
        """Status (None = shown, ``hidden``, ``not_released``) and values of a resident cell."""
        self._check(unit_id)
        if any(m.label not in self.released and m.label >= self.first
               for m in period.parts("month")):
            return NOT_RELEASED, {}
        hidden, values = self.resident.get((unit_id, period.label), (False, {}))
        return (HIDDEN, {}) if hidden else (SHOWN, values)

    def staff_cell(self, unit_id: int, period: Period) -> tuple[str | None, dict]:
        """Status and values of the staff rounds that closed in ``period`` (summed)."""
        self._check(unit_id)
        total: dict = {}
        for month in period.parts("month"):
            hidden, values = self.staff.get((unit_id, month.label), (False, {}))
            if hidden:
                return HIDDEN, {}
            for name, value in values.items():
                total[name] = total.get(name, 0) + value
        return SHOWN, total

"""Public service-area pages: the resident NPS of an area and its units in a released month.

The page shows the latest released calendar month, read from the release ledger like every
other output: the same cells, hidden the same way, so that nothing on the public page can be
set against the reports. Calendar months do not overlap, so two successive pages cannot be
subtracted to read a week or a day (a rolling window could).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.errors import NotFound
from survey_app.models import SCORE_COLUMNS, OrgUnit
from survey_app.periods import Period
from survey_app.privacy import Thresholds
from survey_app.scoring import categorise_score_counts, grouped_nps_from_counts
from survey_app.services import reports
from survey_app.services.releases.ledger import Ledger, last_released_month


@dataclass(frozen=True, slots=True)
class PublicScore:
    """A unit's NPS in the month; numbers None when hidden (``suppressed`` says why)."""

    code: str
    name: str
    n: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: str | None


@dataclass(frozen=True, slots=True)
class PublicArea:
    """The area, its direct units, the month shown (both days inclusive) and the threshold."""

    area: PublicScore
    units: tuple[PublicScore, ...]
    first_day: date
    last_day: date
    threshold: int


def window(session: Session, as_of: date | None = None) -> Period | None:
    """The latest released resident month that ended by ``as_of`` (None before any release)."""
    month = last_released_month(session)
    if month is not None and as_of is not None:
        while month.end > as_of + timedelta(days=1) and month.year > 2000:
            month = month.previous()
    return month


def service_areas(session: Session) -> list[OrgUnit]:
    """The active children of the tree's roots, by code: the county's service areas."""
    roots = select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))
    return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id.in_(roots),
                                                      OrgUnit.active.is_(True))
                                .order_by(OrgUnit.code)))


def public_area(session: Session, code: str, lang: str, *, as_of: date | None = None,
                thresholds: Thresholds | None = None) -> PublicArea:
    """The area's and its units' NPS in the month; NotFound unless ``code`` is a service area."""
    area = next((a for a in service_areas(session) if a.code == code), None)
    if area is None:
        raise NotFound(_("There is no public page for %(code)s.", code=str(code)[:40]))
    k = (thresholds or Thresholds()).resident
    month = window(session, as_of)
    shown_units = [area, *session.scalars(select(OrgUnit).where(
        OrgUnit.parent_id == area.id, OrgUnit.active.is_(True)).order_by(OrgUnit.code))]
    if month is None:
        empty = [PublicScore(u.code, u.name(lang), None, None, None, None, "not_released")
                 for u in shown_units]
        today = reports.default_as_of()
        return PublicArea(empty[0], tuple(empty[1:]), today, today, k)
    ledger = Ledger(session, [month], [u.id for u in shown_units])
    cells = [ledger.resident_cell(u.id, month) for u in shown_units]
    counts = np.array([[values.get(c, 0) for c in SCORE_COLUMNS] for _, values in cells],
                      dtype=np.int64)
    scored = grouped_nps_from_counts(*categorise_score_counts(counts))
    scores = [_score(u, lang, i, scored, cells[i][0]) for i, u in enumerate(shown_units)]
    return PublicArea(scores[0], tuple(scores[1:]), month.start,
                      month.end - timedelta(days=1), k)


def _score(unit: OrgUnit, lang: str, i: int, scored, status: str | None) -> PublicScore:
    if status is not None:
        return PublicScore(unit.code, unit.name(lang), None, None, None, None, status)
    return PublicScore(unit.code, unit.name(lang), int(scored.n[i]), _opt(scored.value[i]),
                       _opt(scored.low[i]), _opt(scored.high[i]), None)


def _opt(value) -> float | None:
    if value is np.ma.masked or value is None:
        return None
    return float(value)

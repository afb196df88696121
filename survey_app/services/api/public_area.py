"""Public service-area pages: the rolling 30-day resident NPS of an area and its units.

The window is not a calendar period, so it is summed here from the per-day aggregates; the
score and interval come from `survey_app.scoring` and the hiding from `survey_app.privacy`
(threshold and difference protection over the area's whole subtree), as everywhere else.

The window moves once a week (it ends on the last Sunday before today's data): a window that
moved daily would let anyone subtract two consecutive days' figures and read one day's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.errors import NotFound
from survey_app.models import SCORE_COLUMNS, OrgUnit, ResidentDaily
from survey_app.privacy import Thresholds, suppress, tree_relations
from survey_app.scoring import categorise_score_counts, grouped_nps_from_counts
from survey_app.services import reports

WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class PublicScore:
    """A unit's NPS in the window; numbers None when hidden (``suppressed`` says why)."""

    code: str
    name: str
    n: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: str | None


@dataclass(frozen=True, slots=True)
class PublicArea:
    """The area, its direct units, the window (both days inclusive) and the threshold."""

    area: PublicScore
    units: tuple[PublicScore, ...]
    first_day: date
    last_day: date
    threshold: int


def window(as_of: date | None = None) -> tuple[date, date]:
    """First and last day of the 30 days that end on the last Sunday up to ``as_of``."""
    as_of = as_of or reports.default_as_of()
    last = as_of - timedelta(days=as_of.isoweekday() % 7)
    return last - timedelta(days=WINDOW_DAYS - 1), last


def service_areas(session: Session) -> list[OrgUnit]:
    """The active children of the tree's roots, by code: the county's service areas."""
    roots = select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))
    return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id.in_(roots),
                                                      OrgUnit.active.is_(True))
                                .order_by(OrgUnit.code)))


def public_area(session: Session, code: str, lang: str, *, as_of: date | None = None,
                thresholds: Thresholds | None = None) -> PublicArea:
    """The area's and its units' NPS in the window; NotFound unless ``code`` is a service area."""
    area = next((a for a in service_areas(session) if a.code == code), None)
    if area is None:
        raise NotFound(_("There is no public page for %(code)s.", code=str(code)[:40]))
    k = (thresholds or Thresholds()).resident
    first, last = window(as_of)
    units = list(session.scalars(select(OrgUnit).where(
        OrgUnit.path.startswith(area.path, autoescape=True)).order_by(OrgUnit.id)))
    own = _own_counts(session, units, first, last)
    index = {u.id: i for i, u in enumerate(units)}
    parent_of = {u.id: (u.parent_id if u.id != area.id else None) for u in units}
    cells, relations = tree_relations(parent_of, {u.id: int(own[index[u.id]].sum())
                                                  for u in units if own[index[u.id]].any()})
    decisions = suppress(cells, relations, k)
    shown_units = [area, *(u for u in units if u.parent_id == area.id and u.active)]
    totals = np.array([_subtree(own, units, index, u) for u in shown_units], dtype=np.int64)
    scored = grouped_nps_from_counts(*categorise_score_counts(totals))
    scores = [_score(u, lang, i, scored, decisions[u.id]) for i, u in enumerate(shown_units)]
    return PublicArea(scores[0], tuple(scores[1:]), first, last, k)


def _own_counts(session, units, first: date, last: date) -> np.ndarray:
    """Score counts 0–10 of each unit's own answers in the window (rows in ``units`` order)."""
    result = np.zeros((len(units), 11), dtype=np.int64)
    index = {u.id: i for i, u in enumerate(units)}
    rows = session.execute(
        select(ResidentDaily.unit_id,
               *[func.sum(getattr(ResidentDaily, c)) for c in SCORE_COLUMNS])
        .where(ResidentDaily.unit_id.in_(list(index)), ResidentDaily.day >= first,
               ResidentDaily.day <= last)
        .group_by(ResidentDaily.unit_id)).all()
    for unit_id, *counts in rows:
        result[index[unit_id]] = [int(c or 0) for c in counts]
    return result


def _subtree(own: np.ndarray, units, index, unit: OrgUnit) -> np.ndarray:
    members = [index[u.id] for u in units if u.path.startswith(unit.path)]
    return own[members].sum(axis=0)


def _score(unit: OrgUnit, lang: str, i: int, scored, decision) -> PublicScore:
    if decision.hidden:
        return PublicScore(unit.code, unit.name(lang), None, None, None, None, decision.reason)
    return PublicScore(unit.code, unit.name(lang), int(scored.n[i]), _opt(scored.value[i]),
                       _opt(scored.low[i]), _opt(scored.high[i]), None)


def _opt(value) -> float | None:
    if value is np.ma.masked or value is None:
        return None
    return float(value)

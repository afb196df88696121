"""What the JSON API lists and scores: units, pulse rounds and score cells, within a scope.

Scores come from `survey_app.services.reports.unit_table` unchanged, so the API shows exactly
the numbers (and the suppression) of the report pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput
from survey_app.models import OrgUnit, Survey, SurveyKind
from survey_app.periods import GRANULARITIES, Period, PeriodError, helsinki_day, periods_back
from survey_app.privacy import Thresholds
from survey_app.services import reports
from survey_app.services.access import Scope

#: Largest page size and page number the listings accept.
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
#: Most periods one scores request may return (a year in months is 12).
MAX_PARTS = 12


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: the items, where it is, and whether more follow."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def has_next(self) -> bool:
        """True when a later page holds more items."""
        return self.page * self.per_page < self.total


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """A unit's cell for one period, and whether the unit is the one asked for or a child."""

    unit: reports.UnitRef
    role: str
    cell: reports.MetricCell


def list_units(session: Session, scope: Scope, page: int, per_page: int) -> Page:
    """The units the scope may read, by code, one page at a time."""
    query = select(OrgUnit).where(scope.unit_filter())
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(query.order_by(OrgUnit.code)
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(items), page, per_page, int(total or 0))


def parent_codes(session: Session, units: list[OrgUnit]) -> dict[int, str]:
    """Code of each listed unit's parent, in one query."""
    ids = {u.parent_id for u in units if u.parent_id}
    if not ids:
        return {}
    return dict(session.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.id.in_(ids))).all())


def list_rounds(session: Session, scope: Scope, page: int, per_page: int) -> Page:
    """Pulse rounds that cover a unit the scope may read, newest first."""
    query = select(Survey).join(OrgUnit, Survey.unit_id == OrgUnit.id).where(
        Survey.kind == SurveyKind.PULSE, _covers_scope(scope))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(query.order_by(Survey.opens_at.desc(), Survey.code)
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(items), page, per_page, int(total or 0))


def _covers_scope(scope: Scope):
    """A round's subtree overlaps the scope: its root is inside, or is above a scope root."""
    if scope.everything:
        return OrgUnit.id.is_not(None)
    above = [OrgUnit.path.in_([p[:i + 1] for p in scope.paths for i, ch in enumerate(p)
                               if ch == "/" and i > 0])]
    return or_(scope.unit_filter(), *above)


def round_state(survey: Survey, now: datetime | None = None) -> str:
    """``scheduled``, ``open`` or ``closed``."""
    now = now or datetime.now(UTC)
    if survey.is_open(now):
        return "open"
    return "scheduled" if now < survey.opens_at else "closed"


def round_days(survey: Survey) -> tuple[date, date | None]:
    """Helsinki opening day and closing day (None while open-ended)."""
    return helsinki_day(survey.opens_at), (helsinki_day(survey.closes_at)
                                           if survey.closes_at else None)


def reportable(period: Period) -> Period:
    """The period, if its trend, previous period and year-earlier period all exist (≥ 2000)."""
    try:
        periods_back(period, reports.TREND_LENGTH[period.granularity])
        period.year_before()
    except PeriodError:
        raise InvalidInput(_("The period %(value)s is too early to report on.",
                             value=period.label)) from None
    return period


def score_periods(period: Period, granularity: str | None) -> list[Period]:
    """The period itself, or its parts of ``granularity`` (a year in quarters …)."""
    if granularity is None or granularity == period.granularity:
        return [period]
    if granularity not in GRANULARITIES:
        raise InvalidInput(_("Unknown granularity %(value)s; use month, quarter, tertial or "
                             "year.", value=str(granularity)[:20]))
    try:
        parts = period.parts(granularity)
    except PeriodError:
        raise InvalidInput(_("A %(period)s cannot be split into periods of the granularity "
                             "%(granularity)s.", period=period.label,
                             granularity=granularity)) from None
    if len(parts) > MAX_PARTS:
        raise InvalidInput(_("Too many periods in one request."))
    return parts


def scores(session: Session, scope: Scope, metric: str, unit: str | None, period: Period,
           granularity: str | None = None, children: bool = False, lang: str = "fi", *,
           as_of: date | None = None, thresholds: Thresholds | None = None) -> list[ScoreRow]:
    """Cells of a unit (and optionally its children) for a period or each of its parts."""
    rows: list[ScoreRow] = []
    for part in map(reportable, score_periods(period, granularity)):
        table = reports.unit_table(session, scope, unit, metric, part, lang, as_of=as_of,
                                   thresholds=thresholds)
        rows.append(ScoreRow(table.parent, "unit", table.total))
        if children:
            rows += [ScoreRow(ref, "child", cell) for ref, cell in table.rows]
    return rows

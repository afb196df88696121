"""Which periods reports offer: the last complete tertial by default, and only periods with data.

A period is complete when its last day is on or before the last reported day (``as_of``,
yesterday in Helsinki). The chooser offers every month, quarter, tertial and year that holds
a month with resident answers or a closed pulse round, up to the running one, which is offered
too but marked incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import ResidentMonthly, StaffRound, Survey, SurveyKind
from survey_app.periods import GRANULARITIES, HELSINKI, Period, helsinki_day, period_of

#: Order of granularities inside one year of the chooser: the county reports by tertial first.
CHOOSER_ORDER = ("tertial", "quarter", "month", "year")


@dataclass(frozen=True, slots=True)
class PeriodOption:
    """A period the chooser offers and whether it has ended by the last reported day."""

    period: Period
    complete: bool


def is_complete(period: Period, as_of: date) -> bool:
    """True when the period's last day is on or before ``as_of``."""
    return period.end <= as_of + timedelta(days=1)


def last_complete(as_of: date, granularity: str) -> Period:
    """The latest period of ``granularity`` that has ended by ``as_of`` (inclusive)."""
    running = period_of(as_of, granularity)
    return running if is_complete(running, as_of) else running.previous()


def default_report_period(as_of: date) -> Period:
    """The last complete tertial: the county's strategy reports by tertial."""
    return last_complete(as_of, "tertial")


def months_with_data(session: Session, as_of: date) -> set[Period]:
    """Months up to ``as_of`` with resident answers or a pulse round that closed in them."""
    months = {period_of(day, "month") for day in session.scalars(
        select(ResidentMonthly.month).where(ResidentMonthly.month <= as_of).distinct())}
    limit = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=HELSINKI)
    closes = session.scalars(
        select(Survey.closes_at).distinct()
        .where(Survey.kind == SurveyKind.PULSE, Survey.closes_at.is_not(None),
               Survey.closes_at < limit,
               Survey.id.in_(select(StaffRound.survey_id).where(StaffRound.n > 0))))
    months |= {period_of(helsinki_day(moment), "month") for moment in closes}
    return months


def periods_with_data(session: Session, as_of: date) -> list[PeriodOption]:
    """Every month, quarter, tertial and year holding a month with data, newest first."""
    months = months_with_data(session, as_of)
    periods = {period_of(m.start, g) for m in months for g in GRANULARITIES}
    return [PeriodOption(p, is_complete(p, as_of))
            for p in sorted(periods, key=lambda p: (p.start, p.end), reverse=True)]

"""Aggregates that reports read instead of raw answers (DESIGN §3).

They are updated in the same transaction as the response. Residents: per survey × unit ×
day × channel; staff: per round × unit. Score counts are kept per value 0–10 so that any
NPS interval can be computed from sums over a period.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base

#: Column names of the counts per 0–10 score value, in value order.
SCORE_COLUMNS: tuple[str, ...] = tuple(f"c{value}" for value in range(11))


class _ScoreCounts:
    """Eleven count columns, one per recommendation value, and their total."""

    n: Mapped[int] = mapped_column(Integer, default=0)
    c0: Mapped[int] = mapped_column(Integer, default=0)
    c1: Mapped[int] = mapped_column(Integer, default=0)
    c2: Mapped[int] = mapped_column(Integer, default=0)
    c3: Mapped[int] = mapped_column(Integer, default=0)
    c4: Mapped[int] = mapped_column(Integer, default=0)
    c5: Mapped[int] = mapped_column(Integer, default=0)
    c6: Mapped[int] = mapped_column(Integer, default=0)
    c7: Mapped[int] = mapped_column(Integer, default=0)
    c8: Mapped[int] = mapped_column(Integer, default=0)
    c9: Mapped[int] = mapped_column(Integer, default=0)
    c10: Mapped[int] = mapped_column(Integer, default=0)


class ResidentDaily(_ScoreCounts, Base):
    """Resident answers per survey, unit, Helsinki day and channel.

    ``n`` counts every response (with or without a recommendation); the score counts
    add up to the number of responses that answered the recommendation.
    """

    __tablename__ = "resident_daily"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: Responses that left a (redacted) comment.
    comments: Mapped[int] = mapped_column(Integer, default=0)


class ResidentMonthly(_ScoreCounts, Base):
    """Resident answers per survey, unit and calendar month (Helsinki), all channels together.

    The same counts as ResidentDaily summed over a month, kept in the same transaction so
    that reports over long periods read ~30 times fewer rows; ``month`` is the month's first day.
    """

    __tablename__ = "resident_monthly"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    comments: Mapped[int] = mapped_column(Integer, default=0)


class ResidentItemDaily(Base):
    """Counts per answer value of each statement, per survey, unit and day.

    ``value`` 0 stands for "cannot say", which is excluded from n in every score.
    """

    __tablename__ = "resident_item_daily"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class StaffRound(_ScoreCounts, Base):
    """Staff answers per round and unit: response count and eNPS counts per value."""

    __tablename__ = "staff_round"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    comments: Mapped[int] = mapped_column(Integer, default=0)


class StaffMeasure(Base):
    """Sufficient statistics of a per-person index per round and unit.

    ``measure`` is ``qwl`` for the whole index or a factor key (``safety``,
    ``belonging``, ``goals``); mean and t-interval follow from n, sum and sum of squares.
    """

    __tablename__ = "staff_measure"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    total_sq: Mapped[float] = mapped_column(Float, default=0.0)


class StaffItemCount(Base):
    """Counts per answer value of each staff statement per round and unit (0 = cannot say)."""

    __tablename__ = "staff_item_count"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

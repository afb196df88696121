"""Calendar periods in Europe/Helsinki: month, quarter, tertial and year.

Labels: month ``2026-03``, quarter ``2026-Q1``, tertial ``2026-T1`` (T1 = January–April,
T2 = May–August, T3 = September–December: the Finnish interim-report period) and year ``2026``.
A period runs from `start` (inclusive) to `end` (exclusive), both calendar days in Helsinki.
Pure: standard library (zoneinfo) and numpy only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import total_ordering
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

HELSINKI = ZoneInfo("Europe/Helsinki")

#: Granularity → months in one period.
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "tertial": 4, "year": 12}
GRANULARITIES = tuple(MONTHS_PER_PERIOD)
FIRST_YEAR, LAST_YEAR = 2000, 2100

_LABEL = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>\d+)|[Tt](?P<tertial>\d+)))?"
)


class PeriodError(ValueError):
    """A period that cannot exist or be read; the message says what was wrong."""


def _months(granularity: str) -> int:
    """Months in one period of `granularity`, or PeriodError for an unknown granularity."""
    if granularity not in MONTHS_PER_PERIOD:
        raise PeriodError(
            f"unknown period granularity {granularity!r}; use {', '.join(GRANULARITIES)}"
        )
    return MONTHS_PER_PERIOD[granularity]


def _per_year(granularity: str) -> int:
    """How many periods of `granularity` make a year."""
    return 12 // _months(granularity)


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """One calendar period; `index` is the 1-based month, quarter or tertial (1 for a year).

    Periods sort by start, then by length, so months of a year sort chronologically.
    """

    granularity: str
    year: int
    index: int

    def __post_init__(self) -> None:
        count = _per_year(self.granularity)
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(f"year {self.year} is outside {FIRST_YEAR}–{LAST_YEAR}")
        if not 1 <= self.index <= count:
            raise PeriodError(f"a year has no {self.granularity} number {self.index} (1–{count})")

    @classmethod
    def from_ordinal(cls, granularity: str, ordinal: int) -> Period:
        """The period numbered `ordinal` = year × periods-per-year + index − 1."""
        year, offset = divmod(int(ordinal), _per_year(granularity))
        return cls(granularity, year, offset + 1)

    @property
    def ordinal(self) -> int:
        """year × periods-per-year + index − 1: consecutive periods have consecutive ordinals."""
        return self.year * _per_year(self.granularity) + self.index - 1

    @property
    def _first_month(self) -> int:
        """Months since year 0 at the start (year × 12 + month − 1)."""
        return self.year * 12 + (self.index - 1) * MONTHS_PER_PERIOD[self.granularity]

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self._first_month % 12 + 1, 1)

    @property
    def end(self) -> date:
        """First day after the period (exclusive end)."""
        after = self._first_month + MONTHS_PER_PERIOD[self.granularity]
        return date(after // 12, after % 12 + 1, 1)

    @property
    def label(self) -> str:
        """``2026-03``, ``2026-Q1``, ``2026-T1`` or ``2026``."""
        suffix = {
            "month": f"-{self.index:02d}",
            "quarter": f"-Q{self.index}",
            "tertial": f"-T{self.index}",
            "year": "",
        }[self.granularity]
        return f"{self.year}{suffix}"

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)

    def shift(self, n: int) -> Period:
        """The period `n` steps later (earlier for negative n) of the same granularity."""
        return Period.from_ordinal(self.granularity, self.ordinal + int(n))

    def previous(self) -> Period:
        """The period just before this one (2026-01 → 2025-12, 2026-T1 → 2025-T3)."""
        return self.shift(-1)

    def year_before(self) -> Period:
        """The same period a year earlier (2026-Q2 → 2025-Q2)."""
        return self.shift(-_per_year(self.granularity))

    def parts(self, granularity: str) -> list[Period]:
        """The periods of `granularity` that make up this one, in order (a tertial → 4 months).

        PeriodError when they do not nest: a quarter is not made of tertials, a month of quarters.
        """
        size, own = MONTHS_PER_PERIOD.get(granularity), MONTHS_PER_PERIOD[self.granularity]
        if size is None or own % size or (self._first_month % size):
            raise PeriodError(f"a {self.granularity} is not made of whole {granularity}s")
        first = Period.from_ordinal(granularity, self._first_month // size)
        return [first.shift(k) for k in range(own // size)]

    def contains(self, day: date) -> bool:
        """True when `day` is in the period (a datetime is first taken to its Helsinki day)."""
        return self.start <= _as_day(day) < self.end


def parse_period(text: str) -> Period:
    """The Period a label names (2026-03, 2026-Q1, 2026-T1, 2026), or PeriodError."""
    match = _LABEL.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise PeriodError(f"{text!r} is not a period: write 2026-03, 2026-Q1, 2026-T1 or 2026")
    year = int(match["year"])
    granularity, index = "year", 1
    for part in ("month", "quarter", "tertial"):
        if match[part] is not None:
            granularity, index = part, int(match[part])
    try:
        return Period(granularity, year, index)
    except PeriodError as error:
        raise PeriodError(f"{text!r} is not a period: {error}") from None


def period_of(day: date, granularity: str) -> Period:
    """The period of `granularity` that contains `day` (a datetime is first taken to Helsinki)."""
    size = _months(granularity)
    calendar_day = _as_day(day)
    return Period.from_ordinal(
        granularity, (calendar_day.year * 12 + calendar_day.month - 1) // size
    )


def helsinki_day(moment: datetime) -> date:
    """The calendar day in Europe/Helsinki of an instant; a naive datetime is taken as UTC.

    2026-03-31T21:30Z is 2026-04-01 in Helsinki (UTC+3 in summer time).
    """
    if not isinstance(moment, datetime):
        raise PeriodError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(HELSINKI).date()


def helsinki_now() -> datetime:
    """The current time as an aware datetime in Europe/Helsinki."""
    return datetime.now(HELSINKI)


def periods_back(period: Period, count: int) -> list[Period]:
    """The `count` periods ending with `period`, oldest first (count ≥ 1)."""
    if int(count) < 1:
        raise PeriodError(f"count must be at least 1, got {count}")
    return [period.shift(-k) for k in range(int(count) - 1, -1, -1)]


class Buckets(NamedTuple):
    """Result of `bucket_days`: the ordinal of each day's period, and the distinct periods."""

    ordinals: np.ndarray
    periods: list[Period]


def bucket_days(days, granularity: str) -> Buckets:
    """Each day's period ordinal (int64 array, see `Period.ordinal`) and the distinct periods.

    `days` is anything numpy reads as datetime64[D] (dates, ISO strings). Vectorised: one
    conversion to months, one integer division. NaT or a year outside 2000–2100 → PeriodError.
    """
    size = _months(granularity)
    try:
        day_array = np.asarray(days, dtype="datetime64[D]").reshape(-1)
    except (TypeError, ValueError) as error:
        raise PeriodError(f"days must be calendar days: {error}") from None
    if np.isnat(day_array).any():
        raise PeriodError("days must not contain missing values (NaT)")
    months = day_array.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    if months.size and (months.min() < FIRST_YEAR * 12 or months.max() >= (LAST_YEAR + 1) * 12):
        raise PeriodError(f"days must fall in the years {FIRST_YEAR}–{LAST_YEAR}")
    ordinals = months // size
    return Buckets(ordinals, [Period.from_ordinal(granularity, o) for o in np.unique(ordinals)])


def _as_day(day: date) -> date:
    """A calendar day: datetimes go through `helsinki_day`, dates pass unchanged."""
    if isinstance(day, datetime):
        return helsinki_day(day)
    if not isinstance(day, date):
        raise PeriodError(f"expected a date, got {type(day).__name__}")
    return day

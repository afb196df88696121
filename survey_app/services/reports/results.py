"""Plain, frozen results of the report service: what pages, the API and exports show.

Every number a reader may see comes from a released cell: a cell hidden at publishing carries
``suppressed == "hidden"`` (whatever the reason, so that the label bounds nothing), a period not
released yet ``"not_released"``, and ``None`` for n, value, interval, distribution and changes.
Scores are in points (NPS, eNPS: −100…100; QWL: 0–100).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Metrics and the survey kind that produces them.
METRIC_KINDS = {"nps": "resident", "enps": "pulse", "qwl": "pulse"}
METRICS = tuple(METRIC_KINDS)
#: Metrics computed from 0–10 recommendation counts (the rest are means of indices).
COUNT_METRICS = frozenset({"nps", "enps"})


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit as reports show it: code, name in the page language, depth, whether active."""

    code: str
    name: str
    depth: int
    active: bool = True
    has_children: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """Difference of a score against another period (this − other), in points.

    ``low``/``high`` is the interval of the difference (Newcombe square-and-add for NPS/eNPS,
    Welch for QWL); ``p`` its two-sided p-value, ``adjusted_p`` after Benjamini–Hochberg over
    every comparison of the same result, and ``significant`` is true only when that adjusted
    p-value is at most 0.05. Fields are None where the difference is undefined.
    """

    against: str
    delta: float | None
    low: float | None
    high: float | None
    p: float | None
    adjusted_p: float | None
    significant: bool


@dataclass(frozen=True, slots=True)
class Distribution:
    """Detractors (0–6), passives (7–8) and promoters (9–10) of a shown NPS/eNPS cell."""

    detractors: int
    passives: int
    promoters: int

    @property
    def n(self) -> int:
        """Answers in the three categories together."""
        return self.detractors + self.passives + self.promoters

    def shares(self) -> tuple[float, float, float]:
        """The three categories in percent of n (zeros when n = 0)."""
        total = self.n or 1
        return (100.0 * self.detractors / total, 100.0 * self.passives / total,
                100.0 * self.promoters / total)


@dataclass(frozen=True, slots=True)
class MetricCell:
    """One metric of one unit (whole subtree) in one period.

    ``n`` is the number of answers (None when suppressed); ``value``/``low``/``high`` the score
    and its 95 % interval (None when suppressed, when n = 0, or — for the interval of a mean —
    when n < 2). ``threshold`` is the k that applied.
    """

    unit_code: str
    unit_name: str
    metric: str
    period: str
    n: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: str | None
    threshold: int
    distribution: Distribution | None = None
    sd: float | None = None
    change_previous: Change | None = None
    change_year: Change | None = None

    @property
    def shown(self) -> bool:
        """True when the numbers may be shown."""
        return self.suppressed is None

    @property
    def empty(self) -> bool:
        """True when shown and nobody answered."""
        return self.suppressed is None and not self.n


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """A metric of the chosen unit: its cell for the period and its trend (oldest first)."""

    metric: str
    cell: MetricCell
    trend: tuple[MetricCell, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    """The overview page: one unit (its subtree) in one period, every metric with trend."""

    unit: UnitRef
    period: str
    granularity: str
    metrics: tuple[MetricSummary, ...]
    as_of: str


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Children of ``parent`` for one metric and period (``rows`` already sorted)."""

    parent: UnitRef
    metric: str
    period: str
    total: MetricCell
    rows: tuple[tuple[UnitRef, MetricCell], ...]
    sort: str
    descending: bool
    as_of: str


@dataclass(frozen=True, slots=True)
class StatementCell:
    """A statement (item) as % agreeing (answers at or above the instrument's agree point)."""

    item: str
    text: str
    n: int | None
    agree: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: str | None
    threshold: int = 5


@dataclass(frozen=True, slots=True)
class FactorCell:
    """A QWL factor's mean score (0–100) with its t-interval."""

    factor: str
    name: str
    n: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: str | None
    threshold: int = 5


@dataclass(frozen=True, slots=True)
class ChannelShare:
    """How many resident answers came through a channel (sms, qr, kiosk, web, email, paper)."""

    channel: str
    n: int
    share: float


@dataclass(frozen=True, slots=True)
class UnitDetail:
    """Everything on a unit page; lists are empty when the unit's cell is suppressed."""

    unit: UnitRef
    ancestors: tuple[UnitRef, ...]
    children: tuple[UnitRef, ...]
    period: str
    granularity: str
    metrics: tuple[MetricSummary, ...]
    statements: tuple[StatementCell, ...]
    factors: tuple[FactorCell, ...]
    channels: tuple[ChannelShare, ...]
    as_of: str


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    """A unit on the funnel plot: its n, score and position against the control limits.

    ``position``: −2 below the 99.8 % limit, −1 below the 95 % limit, 0 inside, 1 above the
    95 % limit, 2 above the 99.8 % limit.
    """

    unit: UnitRef
    n: int
    value: float
    position: int


@dataclass(frozen=True, slots=True)
class FunnelLimit:
    """The control limits at one n (for drawing the funnel)."""

    n: int
    inner_low: float
    inner_high: float
    outer_low: float
    outer_high: float


@dataclass(frozen=True, slots=True)
class Funnel:
    """Children of ``parent`` against the parent's score; suppressed units only counted."""

    parent: UnitRef
    metric: str
    period: str
    target: float | None
    total: MetricCell
    points: tuple[FunnelPoint, ...]
    limits: tuple[FunnelLimit, ...]
    hidden_units: int
    levels: tuple[float, float]
    as_of: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A redacted comment and the language it was written in; no date, no order."""

    text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class CommentList:
    """Comments of a unit's subtree in a period: shown only when the count passes the threshold.

    When ``shown`` is False, ``count`` is None and ``comments`` is empty.
    """

    unit: UnitRef
    period: str
    kind: str
    shown: bool
    threshold: int
    count: int | None
    languages: tuple[str, ...]
    language: str | None
    comments: tuple[Comment, ...]

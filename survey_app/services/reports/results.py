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
    #: The resident 0–10 question's wording behind this unit's NPS: None for the usual
    #: recommendation wording, the alternative's name (``experience``) when every answering
    #: unit of the subtree uses it, ``mixed`` when the subtree's NPS mixes wordings.
    wording: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Difference of a score against another period (this − other), in points.

    ``low``/``high`` is the FDR-adjusted interval of the difference (Newcombe square-and-add of
    score-cc limits for NPS/eNPS, Welch for QWL) at ``confidence``, the level shared by every
    comparison of the same result (Benjamini–Yekutieli: 1 − max(R, 1)·0.05/m, see
    `survey_app.scoring.fdr`); ``significant`` is true exactly when that shown interval excludes
    0, which is when Benjamini–Hochberg rejects. ``p`` is the two-sided p-value, ``adjusted_p``
    after Benjamini–Hochberg; ``unadjusted_low``/``unadjusted_high`` the plain 95 % interval.
    Fields are None where the difference is undefined.
    """

    against: str
    delta: float | None
    low: float | None
    high: float | None
    p: float | None
    adjusted_p: float | None
    significant: bool
    confidence: float | None = None
    unadjusted_low: float | None = None
    unadjusted_high: float | None = None


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
    """The control limits at one n (for drawing the funnel).

    The inner (95 %) and outer (99.8 %) limits allow for overdispersion (see ``Funnel``);
    ``plain_low``/``plain_high`` are the unadjusted 95 % limits for a thin reference line (None
    when no adjustment was made, i.e. they equal the inner limits).
    """

    n: int
    inner_low: float
    inner_high: float
    outer_low: float
    outer_high: float
    plain_low: float | None = None
    plain_high: float | None = None


@dataclass(frozen=True, slots=True)
class Funnel:
    """Children of ``parent`` against the parent's score; suppressed units only counted.

    ``adjustment`` says how the limits allow for real variation between units beyond chance
    (Spiegelhalter 2005): ``"additive"`` (random effects, between-unit SD ``tau`` in points) or
    ``"none"`` (too few units to estimate it, or none found); ``phi`` is the overdispersion
    factor of the units' z-scores. See `survey_app.scoring.funnel`.
    """

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
    adjustment: str = "none"
    tau: float | None = None
    phi: float | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A released comment: its text, the labels its batch allows, and the batch's span.

    No date other than the batch's months, and no order but the batch's stored random one.
    """

    text: str
    language: str | None
    score_group: str | None = None
    #: ``unit name, 2026-01–2026-03`` of the batch the comment was released in.
    batch: str | None = None
    batch_id: int | None = None


@dataclass(frozen=True, slots=True)
class CommentList:
    """One page of the released comment batches of a unit's subtree that touch a period.

    Comments appear only in released batches, each of at least the comment threshold of one
    unit's comments, and a batch appears whole (across pages). When ``shown`` is False no
    batch touches the period: ``count`` is None and ``comments`` is empty.
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
    page: int = 1
    pages: int = 1

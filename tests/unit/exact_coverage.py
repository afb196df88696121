"""Exact coverage of an NPS interval method, computed independently of how the limits are found.

For n answers there are (n + 1)(n + 2)/2 outcomes (D, M, P). For a true distribution
π = (π_d, π_m, π_p) with Δ = π_p − π_d, the coverage is Σ P(outcome | π) · 1[L ≤ Δ ≤ U].

- Interior: π on a grid over the open simplex.
- Edges (one share 0): only outcomes without that category have positive probability, and the
  coverage is a step polynomial in the one free share; it jumps only where Δ crosses an interval
  endpoint. It is evaluated at every endpoint from both sides (Δ ± 1e-11) and at points inside
  every cell between consecutive endpoints, so no dip between grid points can be missed.
- Near the edges (one share λ/n for λ = 0.02 … 0.5, where a grid is too coarse): at every
  endpoint from both sides, over the outcomes with at most 6 answers in that category; the
  probability of the others is counted as not covered, so the figure is a lower bound.

Every interval is computed once per (n, level, method), for all outcomes at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from survey_app.scoring import grouped_nps_from_counts

#: Distance at which an endpoint is approached from either side.
SIDE = 1e-11
#: Points inside each cell between consecutive endpoints (fractions of the cell).
INSIDE = (0.02, 0.25, 0.5, 0.75, 0.98)


def outcomes(n: int) -> np.ndarray:
    """Every (detractors, passives, promoters) with n answers, as an (K × 3) float array."""
    d, p = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = d + p <= n
    d, p = d[keep], p[keep]
    return np.column_stack([d, n - d - p, p]).astype(float)


@dataclass(frozen=True)
class Intervals:
    """All outcomes of one n with their limits (proportions) and log multinomial coefficients."""

    n: int
    counts: np.ndarray
    low: np.ndarray
    high: np.ndarray
    log_coefficient: np.ndarray

    @classmethod
    def compute(cls, n: int, confidence: float, method: str) -> Intervals:
        """Every outcome's interval, one grouped call."""
        counts = outcomes(n)
        result = grouped_nps_from_counts(*counts.T, confidence=confidence, method=method)
        log_coefficient = gammaln(n + 1) - gammaln(counts + 1).sum(axis=1)
        return cls(n, counts, result.low.data / 100.0, result.high.data / 100.0, log_coefficient)

    def coverage(self, shares: np.ndarray, select=None) -> np.ndarray:
        """Exact coverage at each row of `shares` (π_d, π_m, π_p), over outcomes `select`."""
        counts, low, high, log_c = self.counts, self.low, self.high, self.log_coefficient
        if select is not None:
            counts, low, high, log_c = counts[select], low[select], high[select], log_c[select]
        # log P(outcome) = log multinomial coefficient + counts · log π (a matrix product); a
        # zero share becomes 1e-300, so an outcome that needs it gets probability exp(−690 k) = 0.
        log_shares = np.log(np.maximum(shares, 1e-300))
        total = np.zeros(shares.shape[0])
        for start in range(0, shares.shape[0], 2048):
            part = slice(start, start + 2048)
            truth = (shares[part, 2] - shares[part, 0])[:, None]
            covered = (low[None] <= truth) & (truth <= high[None])
            probability = np.exp(log_c[None] + log_shares[part] @ counts.T)
            total[part] = (probability * covered).sum(axis=1)
        return total


#: Edges of the simplex: (the category that is 0, share vector as a function of Δ).
EDGES = {
    "no passives": (
        1, lambda delta: np.column_stack([(1 - delta) / 2, 0 * delta, (1 + delta) / 2])
    ),
    "no detractors": (0, lambda delta: np.column_stack([0 * delta, 1 - delta, delta])),
    "no promoters": (2, lambda delta: np.column_stack([-delta, 1 + delta, 0 * delta])),
}
EDGE_RANGE = {"no passives": (-1.0, 1.0), "no detractors": (0.0, 1.0), "no promoters": (-1.0, 0.0)}


def edge_points(intervals: Intervals, edge: str) -> np.ndarray:
    """Δ values along one edge: every endpoint ± SIDE, points inside every cell, the ends."""
    zero, _ = EDGES[edge]
    first, last = EDGE_RANGE[edge]
    on_edge = intervals.counts[:, zero] == 0
    ends = np.concatenate([intervals.low[on_edge], intervals.high[on_edge], [first, last]])
    breaks = np.unique(np.clip(ends, first, last))
    inside = [breaks[:-1] + f * np.diff(breaks) for f in INSIDE]
    points = np.concatenate([breaks - SIDE, breaks + SIDE, breaks, *inside])
    return np.unique(np.clip(points, first, last))


def edge_coverage(intervals: Intervals, edge: str) -> tuple[np.ndarray, np.ndarray]:
    """(Δ, coverage) at every point `edge_points` gives along `edge`."""
    zero, shares_of = EDGES[edge]
    delta = edge_points(intervals, edge)
    shares = np.clip(shares_of(delta), 0.0, 1.0)
    return delta, intervals.coverage(shares, intervals.counts[:, zero] == 0)


def interior_grid(step: float) -> np.ndarray:
    """(π_d, π_m, π_p) on a grid of `step` with every share > 0."""
    k = round(1 / step)
    a, b = np.meshgrid(np.arange(1, k), np.arange(1, k), indexing="ij")
    keep = a + b < k
    return np.column_stack([a[keep], k - a[keep] - b[keep], b[keep]]) / k


#: Expected answers λ in the minority category on the near-edge lines, and the outcomes kept.
NEAR_EDGE = (0.02, 0.05, 0.1, 0.2, 0.5)
NEAR_EDGE_MOST = 6


def near_edge_shares(category: int, share: float, delta: np.ndarray) -> np.ndarray:
    """(π_d, π_m, π_p) with π[category] = share and π_p − π_d = Δ, feasible rows only."""
    if category == 1:
        shares = np.column_stack(
            [(1 - share - delta) / 2, 0 * delta + share, (1 - share + delta) / 2]
        )
    elif category == 0:
        shares = np.column_stack([0 * delta + share, 1 - 2 * share - delta, delta + share])
    else:
        shares = np.column_stack([share - delta, 1 - 2 * share + delta, 0 * delta + share])
    return shares[(shares > 0).all(axis=1)]


def near_edge_coverage(intervals: Intervals) -> tuple[float, np.ndarray]:
    """Lowest coverage (a lower bound) on the near-edge lines, and where.

    The truncated sum jumps only where Δ crosses an endpoint of an outcome it keeps, so those
    endpoints, from both sides, are the points to evaluate.
    """
    worst, where = np.inf, None
    for category in range(3):
        few = intervals.counts[:, category] <= NEAR_EDGE_MOST
        ends = np.unique(np.concatenate([intervals.low[few], intervals.high[few]]))
        delta = np.concatenate([ends - SIDE, ends + SIDE])
        for expected in NEAR_EDGE:
            shares = near_edge_shares(category, expected / intervals.n, delta)
            coverage = intervals.coverage(shares, few)
            i = int(np.argmin(coverage))
            if coverage[i] < worst:
                worst, where = float(coverage[i]), shares[i]
    return worst, where


@dataclass(frozen=True)
class Summary:
    """Lowest coverage on the edges and in the interior, where, and the interior mean."""

    lowest: float
    where: tuple[float, float, float]
    lowest_edge: float
    lowest_near_edge: float
    lowest_interior: float
    mean_interior: float


def summarise(n: int, confidence: float, method: str, step: float = 0.02) -> Summary:
    """Exact coverage of `method` at level `confidence` over the closed simplex for n answers."""
    intervals = Intervals.compute(n, confidence, method)
    worst, where = np.inf, None
    for edge, (_, shares_of) in EDGES.items():
        delta, coverage = edge_coverage(intervals, edge)
        i = int(np.argmin(coverage))
        if coverage[i] < worst:
            worst, where = float(coverage[i]), tuple(np.round(shares_of(delta[i : i + 1])[0], 6))
    edge_low = worst
    near, near_where = near_edge_coverage(intervals)
    if near < worst:
        worst, where = near, tuple(np.round(near_where, 6))
    grid = interior_grid(step)
    inner = intervals.coverage(grid)
    j = int(np.argmin(inner))
    if inner[j] < worst:
        worst, where = float(inner[j]), tuple(grid[j])
    return Summary(worst, where, edge_low, near, float(inner.min()), float(inner.mean()))

"""FDR-adjusted confidence intervals, so that what a page shows and what it flags always agree.

One rule for "real change": a change is flagged if and only if its shown interval excludes 0.
With many comparisons on one page, unadjusted 95 % intervals would flag far more than the false
discovery rate allows; so every interval of the family is shown at one adjusted level.

Benjamini & Yekutieli (2005, JASA 100, "False discovery rate–adjusted multiple confidence
intervals for selected parameters"): select the R comparisons that Benjamini–Hochberg rejects at
rate q among the m with a p-value, and give each selected one the marginal interval at level
1 − R q / m; the false coverage-statement rate is then at most q (independent or positively
dependent statistics). Here every comparison of the family gets the interval at that level,
1 − max(R, 1) q / m, which makes the rule exact both ways whenever the p-value is the inversion
of the interval (Newcombe's p and Welch's t are):

- a comparison BH rejects has p ≤ R q / m, so its interval at 1 − R q / m excludes 0;
- any other has p > R q / m (BH's step-up rule), so that interval contains 0;
- with R = 0 the level is 1 − q / m (Bonferroni's), and p₍₁₎ > q / m, so none excludes 0.

The flag is nevertheless read off the shown interval itself, never off a p-value, so the two
cannot disagree even by rounding. Masked (undefined) p-values are not counted in m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compare import FalseDiscovery, benjamini_hochberg
from .errors import ScoringError


@dataclass(frozen=True, slots=True, eq=False)
class FdrLevel:
    """The common confidence level of a family's FDR-adjusted intervals.

    `level` = 1 − max(R, 1) q / m (None when no comparison has a p-value); `selected` = R, the
    number of Benjamini–Hochberg rejections; `tested` = m; `discovery` the BH result itself.
    """

    level: float | None
    selected: int
    tested: int
    rate: float
    discovery: FalseDiscovery


def fdr_adjusted_level(p_values, rate=0.05) -> FdrLevel:
    """The level 1 − max(R, 1) q / m at which a family's intervals are shown (module docstring).

    `p_values`: one 1-D array of the family's p-values (masked or NaN where undefined); `rate` the
    false discovery rate q. No defined p-value → level None. Bad p-values or rate → ScoringError.
    """
    discovery = benjamini_hochberg(p_values, rate)
    tested = int((~np.ma.getmaskarray(discovery.adjusted)).sum())
    selected = int(discovery.rejected.sum())
    level = None if tested == 0 else 1.0 - max(selected, 1) * float(rate) / tested
    return FdrLevel(level, selected, tested, float(rate), discovery)


def excludes_zero(low, high) -> np.ndarray:
    """True where the interval [low, high] lies wholly above or wholly below 0 (masked → False)."""
    low_values = np.ma.filled(np.ma.asarray(low, dtype=np.float64), np.nan)
    high_values = np.ma.filled(np.ma.asarray(high, dtype=np.float64), np.nan)
    if low_values.shape != high_values.shape:
        raise ScoringError(f"low and high differ in shape: {low_values.shape}, {high_values.shape}")
    with np.errstate(invalid="ignore"):
        return (low_values > 0.0) | (high_values < 0.0)

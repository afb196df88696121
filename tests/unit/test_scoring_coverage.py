"""Exact coverage of the default 95 % score interval, by enumerating every possible outcome.

For n answers there are (n + 1)(n + 2)/2 outcomes (detractors, passives, promoters). For a true
distribution (p_d, p_m, p_p) the coverage is the multinomial probability of the outcomes whose
interval contains the true NPS. Figures found (grid step 0.01 over the simplex):

    n   all shares ≥ 0.05: min / mean     whole simplex incl. edges: min (where) / mean
    10  0.9346 / 0.9624                   0.9004 (p_d 0.01, p_m 0.01, p_p 0.98) / 0.9642
    30  0.9343 / 0.9509                   0.9298 (p_d 0.30, p_m 0, p_p 0.70)   / 0.9526

So the score interval holds ≥ 0.93 wherever every category has at least 5 % of the population,
but not on the very edge of the simplex: with almost nobody in two of the three categories its
coverage dips to 0.90 at n = 10. Both facts are asserted here so a change shows up.
"""

import numpy as np
import pytest
from scipy.special import gammaln, xlogy

from survey_app.scoring import grouped_nps_from_counts


def _outcomes(n: int) -> np.ndarray:
    """Every (detractors, passives, promoters) with n answers."""
    return np.array([(d, n - d - p, p) for d in range(n + 1) for p in range(n + 1 - d)])


def _grid(step: float, min_share: float) -> np.ndarray:
    """True distributions (p_d, p_m, p_p) on a grid over the simplex, all shares ≥ min_share."""
    k = round(1 / step)
    grid = np.array([(a, b) for a in range(k + 1) for b in range(k + 1 - a)]) / k
    shares = np.column_stack([grid[:, 0], 1.0 - grid.sum(axis=1), grid[:, 1]]).clip(0.0, 1.0)
    return shares[(shares >= min_share - 1e-12).all(axis=1)]


def _probabilities(outcomes: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Multinomial probability of each outcome (columns) under each distribution (rows)."""
    n = outcomes[0].sum()
    log_terms = xlogy(outcomes[None], shares[:, None, :]).sum(axis=2)
    return np.exp(gammaln(n + 1) - gammaln(outcomes + 1).sum(axis=1) + log_terms)


def _coverage(n: int, step: float, min_share: float, confidence=0.95) -> np.ndarray:
    """Exact coverage at every grid point whose three shares are all ≥ min_share."""
    outcomes = _outcomes(n)
    result = grouped_nps_from_counts(*outcomes.T, confidence=confidence)
    low, high = result.low.data / 100.0, result.high.data / 100.0
    shares = _grid(step, min_share)
    probability = _probabilities(outcomes, shares)
    truth = (shares[:, 2] - shares[:, 0])[:, None]
    covered = (low[None] <= truth + 1e-12) & (truth <= high[None] + 1e-12)
    return (probability * covered).sum(axis=1)


@pytest.mark.parametrize("n", [10, 30])
def test_score_interval_covers_at_least_93_percent_wherever_every_category_has_5_percent(n):
    coverage = _coverage(n, step=0.01, min_share=0.05)
    assert coverage.min() >= 0.93
    assert 0.95 <= coverage.mean() <= 0.97


@pytest.mark.parametrize(("n", "floor"), [(10, 0.90), (30, 0.925)])
def test_score_interval_coverage_dips_only_slightly_at_the_edges_of_the_simplex(n, floor):
    coverage = _coverage(n, step=0.01, min_share=0.0)
    assert floor <= coverage.min() < 0.935
    assert coverage.mean() >= 0.95


@pytest.mark.parametrize("n", [10, 30])
def test_outcome_probabilities_sum_to_one_for_every_true_distribution(n):
    total = _probabilities(_outcomes(n), _grid(0.05, 0.0)).sum(axis=1)
    assert total == pytest.approx(np.ones_like(total))

"""Funnel limits with overdispersion (Spiegelhalter 2005) on simulated units without outliers."""

import numpy as np
import pytest
from scipy import stats

from survey_app.scoring import (
    ScoringError,
    estimate_overdispersion,
    mean_funnel_limits,
    nps_funnel_limits,
)


def simulated_county(seed, units=40, concentration=25.0):
    """Units of 20 to 5,000 answers whose true shares vary around (0.2, 0.3, 0.5) by a Dirichlet
    (real between-unit variation, no outlier); returns sizes, NPS values and the total counts."""
    rng = np.random.default_rng(seed)
    sizes = np.round(np.exp(rng.uniform(np.log(20), np.log(5000), units))).astype(int)
    shares = rng.dirichlet(concentration * np.array([0.2, 0.3, 0.5]), units)
    counts = np.array([rng.multinomial(n, s) for n, s in zip(sizes, shares, strict=True)])
    values = 100 * (counts[:, 2] - counts[:, 0]) / sizes
    return sizes, values, counts.sum(axis=0)


def outside(limits, values):
    """How many units fall outside the inner (95 %) limits."""
    return int((limits.position(values) != 0).sum())


def test_overdispersed_units_without_outliers_stay_inside_the_adjusted_95_percent_limits():
    flagged = plain_flagged = total = 0
    for seed in range(25):
        sizes, values, organisation = simulated_county(seed)
        limits = nps_funnel_limits(sizes, organisation, units=(sizes, values))
        assert limits.adjustment == "additive" and limits.overdispersion.tau > 0
        flagged += outside(limits, values)
        plain_flagged += outside(limits.unadjusted, values)
        total += sizes.size
    # Expected share 5 %, plus three binomial standard deviations over all units.
    margin = 3 * np.sqrt(total * 0.05 * 0.95)
    assert flagged <= 0.05 * total + margin, (flagged, total)
    assert stats.binom.sf(flagged - 1, total, 0.05) > 0.001
    # The plain limits flag far more: the adjustment is what makes the plot readable.
    assert plain_flagged > 4 * flagged


def test_without_overdispersion_the_additive_adjustment_stays_close_to_the_plain_limits():
    rng = np.random.default_rng(9)
    sizes = rng.integers(30, 3000, 60)
    counts = np.array([rng.multinomial(n, [0.2, 0.3, 0.5]) for n in sizes])
    values = 100 * (counts[:, 2] - counts[:, 0]) / sizes
    limits = nps_funnel_limits(sizes, counts.sum(axis=0), units=(sizes, values))
    plain = limits.unadjusted if limits.unadjusted is not None else limits
    assert limits.overdispersion.tau < 3.0
    assert outside(limits, values) <= outside(plain, values)


def test_multiplicative_adjustment_scales_the_plain_half_width_by_root_phi():
    sizes, values, organisation = simulated_county(3)
    limits = nps_funnel_limits(sizes, organisation, units=(sizes, values),
                               adjustment="multiplicative")
    phi = limits.overdispersion.phi
    assert phi > 1 and limits.adjustment == "multiplicative"
    plain = limits.unadjusted
    half = (limits.inner_high - limits.target).filled(np.nan)
    plain_half = (plain.inner_high - plain.target).filled(np.nan)
    inside = (plain.inner_high < 100).filled(False) & (limits.inner_high < 100).filled(False)
    assert half[inside] == pytest.approx(np.sqrt(phi) * plain_half[inside])


def test_phi_and_tau_make_the_winsorised_z_scores_look_standard_normal():
    sizes = np.array([100, 100, 400, 400, 900, 900, 1600, 1600, 2500, 2500])
    values = np.array([10.0, 30.0, 15.0, 25.0, 18.0, 22.0, 19.0, 21.0, 35.0, 5.0])
    spread = estimate_overdispersion(sizes, values, target=20.0, sd=50.0)
    z = (values - 20.0) * np.sqrt(sizes) / 50.0

    def winsorised_square(x):
        low, high = np.percentile(x, [10, 90])
        return np.mean(np.clip(x, low, high) ** 2)

    # A standard normal winsorised at 10 % / 90 % keeps this much of its mean square.
    normal = stats.norm.expect(lambda x: np.clip(x, -1.2815515655, 1.2815515655) ** 2)
    assert spread.phi == pytest.approx(winsorised_square(z) / normal, rel=1e-6)
    widened = (values - 20.0) / np.sqrt(2500.0 / sizes + spread.tau**2)
    assert winsorised_square(widened) == pytest.approx(normal, rel=1e-6)


def test_too_few_units_get_the_plain_limits_and_say_so():
    limits = mean_funnel_limits([10, 20, 30], 60.0, 15.0, units=([10, 20, 30], [40, 70, 90]))
    assert limits.adjustment == "none" and limits.unadjusted is None
    assert limits.overdispersion.units == 3


def test_an_unknown_adjustment_is_refused():
    with pytest.raises(ScoringError, match="adjustment"):
        nps_funnel_limits([5, 6, 7, 8, 9], (1, 2, 3), units=([5, 6, 7, 8, 9], [0] * 5),
                          adjustment="bayes")

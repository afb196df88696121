"""The default `score-cc` interval against independent oracles, its edge cases and properties.

Oracles that share no code with `survey_app.scoring`:
- Newcombe (1998, Statistics in Medicine 17, method 4): the continuity-corrected Wilson interval
  for P/n in closed form. With no passives, P − D = 2P − n, so score-cc must equal it mapped to
  2π − 1 (at confidence ≤ 95 %, where the correction is exactly ½ on the P scale).
- The corrected score equation of Chang et al. (2024) / R ratesci (`pairbinci(cc = TRUE)`),
  written out here from the paired-table formulation and solved by scipy's Brent method with
  c = 1 (no passives) or ½ (passives). No published ratesci output was at hand, so this oracle is
  an independent implementation, not a copied figure.
- A 100-digit `decimal` bisection of Tango's statistic for lopsided counts up to n = 10^9.
"""

from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.stats import norm

from survey_app.scoring import grouped_nps_from_counts, nps_interval

PROPERTY = settings(max_examples=150, deadline=None)
counts = st.integers(min_value=0, max_value=80)


def newcombe_cc_wilson(successes: int, n: int, z: float) -> tuple[float, float]:
    """Newcombe's continuity-corrected Wilson interval for successes / n (closed form)."""
    p, denominator = successes / n, 2 * (n + z * z)
    low = high = None
    if successes > 0:
        root = np.sqrt(z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))
        low = (2 * n * p + z * z - 1 - z * root) / denominator
    if successes < n:
        root = np.sqrt(z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))
        high = (2 * n * p + z * z + 1 + z * root) / denominator
    return (0.0 if low is None else max(low, 0.0), 1.0 if high is None else min(high, 1.0))


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95])
def test_score_cc_without_passives_is_newcombes_corrected_wilson_interval(confidence):
    z = norm.ppf(0.5 + confidence / 2)
    for n in range(1, 61):
        promoters = np.arange(n + 1)
        result = grouped_nps_from_counts(n - promoters, 0 * promoters, promoters, confidence)
        for p, low, high in zip(promoters, result.low, result.high, strict=True):
            w_low, w_high = newcombe_cc_wilson(int(p), n, z)
            assert float(low) == pytest.approx(100 * (2 * w_low - 1), abs=1e-7)
            assert float(high) == pytest.approx(100 * (2 * w_high - 1), abs=1e-7)


def corrected_tango_by_brent(b: int, c: int, n: int, z: float, correction: float):
    """Chang et al. (2024) / ratesci cc score limits for a paired difference (b − c)/N, by Brent.

    Paired table with discordant cells b (promoters) and c (detractors) of N pairs; Tango's
    restricted MLE of p21 under Δ: the positive root of 2N x² − (2N Δ − b − c ... ) written as in
    Tango (1998, eq. 5): x = (sqrt(B² − 4 A C) − B) / (2A), A = 2N, B = −b − c + (2N − b + c) Δ,
    C = −c Δ (1 − Δ). Score T(Δ) = (b − c − NΔ ∓ cc) / sqrt(N (2x + Δ(1 − Δ))).
    """

    def statistic(delta, shift):
        a_, b_ = 2.0 * n, -b - c + (2.0 * n - b + c) * delta
        c_ = -c * delta * (1.0 - delta)
        x = (np.sqrt(max(b_ * b_ - 4 * a_ * c_, 0.0)) - b_) / (2 * a_)
        variance = n * (2 * x + delta * (1 - delta))
        return (b - c - n * delta + shift) / np.sqrt(max(variance, 1e-300))

    estimate = (b - c) / n
    low = -1.0 if c == n else brentq(lambda d: statistic(d, -correction) - z, -1.0, estimate,
                                     xtol=1e-14, rtol=1e-15)
    high = 1.0 if b == n else brentq(lambda d: statistic(d, correction) + z, estimate, 1.0,
                                     xtol=1e-14, rtol=1e-15)
    return 100 * low, 100 * high


@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_score_cc_equals_the_corrected_score_equation_solved_by_brent(confidence):
    rng = np.random.default_rng(14)
    triples = [(d, k - d - p, p) for k in (1, 2, 3, 7, 12) for d in range(k + 1)
               for p in range(k + 1 - d)]
    triples += [tuple(int(x) for x in rng.integers(0, top, 3)) for top in (4, 40, 4000)
                for _ in range(80)]
    triples += [(0, 0, 25), (25, 0, 0), (3, 0, 40), (0, 1, 30), (1, 0, 10**6)]
    triples = [t for t in triples if sum(t) > 0]
    d, m, p = (np.array(x) for x in zip(*triples, strict=True))
    result = grouped_nps_from_counts(d, m, p, confidence)
    z = norm.ppf(0.5 + confidence / 2)
    for i, (dd, mm, pp) in enumerate(triples):
        expected = corrected_tango_by_brent(pp, dd, dd + mm + pp, z, 0.5 if mm else 1.0)
        assert (float(result.low[i]), float(result.high[i])) == pytest.approx(expected, abs=1e-7)


def test_score_cc_boundaries_sit_exactly_at_minus_100_and_100():
    assert nps_interval(12, 0, 0).low == -100.0 and nps_interval(12, 0, 0).high > -100.0
    assert nps_interval(0, 0, 12).high == 100.0 and nps_interval(0, 0, 12).low < 100.0
    assert nps_interval(11, 1, 0).low > -100.0 and nps_interval(0, 1, 11).high < 100.0


def test_the_audit_example_now_covers_the_true_score():
    # n = 10, true shares (0.983, 0.017, 0): plain Tango's (9, 1, 0) interval missed −98.3.
    assert nps_interval(9, 1, 0, method="score").low > -98.3
    assert nps_interval(9, 1, 0).low < -98.3


def test_the_default_method_is_score_cc():
    assert nps_interval(3, 4, 5).method == "score-cc"
    assert grouped_nps_from_counts([3], [4], [5]).method == "score-cc"


@pytest.mark.parametrize("method", ["score", "score-cc"])
@pytest.mark.parametrize("n", [10**7, 10**8, 10**9])
def test_one_category_outcomes_never_collapse_to_a_point_at_large_n(method, n):
    middle = nps_interval(0, n, 0, method=method)
    assert middle.low < 0.0 < middle.high
    assert middle.high == pytest.approx(-middle.low, rel=1e-6)
    # Plain Tango solves nΔ = z sqrt(nΔ(1 − Δ)): Δ = z² / (n + z²), 3.8e-5 points at n = 10^7.
    z2 = norm.ppf(0.975) ** 2
    plain = 100 * z2 / (n + z2)
    if method == "score":
        assert middle.high == pytest.approx(plain, rel=1e-6)
    else:
        assert middle.high > plain
    top, bottom = nps_interval(0, 0, n, method=method), nps_interval(n, 0, 0, method=method)
    assert top.low < 100.0 == top.high and bottom.low == -100.0 < bottom.high


def tango_by_decimal(d: int, p: int, n: int, z: float, correction: float, upper: bool):
    """One Tango (or corrected) limit by 120 bisection steps in 60-digit decimal arithmetic."""
    getcontext().prec = 60
    D, P, N, Z, C = (Decimal(x) for x in (d, p, n, repr(z), repr(correction)))

    def g(delta):
        spread = delta * (1 - delta)
        b = delta * (2 * N + D - P) - (P + D)
        root = (b * b + 8 * N * D * spread).max(Decimal(0)).sqrt()
        restricted = (root - b) / (4 * N)
        variance = (N * (2 * restricted + spread)).max(Decimal(0))
        shift, target = (C, -Z) if upper else (-C, Z)
        return (P - D + shift - N * delta) - target * variance.sqrt()

    estimate = (P - D) / N
    lo, hi = (estimate, Decimal(1)) if upper else (Decimal(-1), estimate)
    for _ in range(120):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if g(mid) > 0 else (lo, mid)
    return float(100 * (lo + hi) / 2)


@pytest.mark.parametrize(
    "counts", [(1, 10**7, 0), (1, 0, 10**7), (0, 10**7, 1), (3, 10**9, 2), (1, 0, 10**9),
               (10**9, 7, 0), (5, 10**8, 10**8)]
)
@pytest.mark.parametrize("method", ["score", "score-cc"])
def test_lopsided_large_counts_are_within_1e_8_points_of_a_60_digit_solution(counts, method):
    d, m, p = counts
    result = nps_interval(d, m, p, method=method)
    z = float(norm.ppf(0.975))
    correction = 0.0 if method == "score" else (0.5 if m else 1.0)
    n = d + m + p
    assert result.low == pytest.approx(tango_by_decimal(d, p, n, z, correction, False), abs=1e-8)
    assert result.high == pytest.approx(tango_by_decimal(d, p, n, z, correction, True), abs=1e-8)


@PROPERTY
@given(counts, counts, counts, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_score_cc_holds_the_estimate_and_stays_within_minus_100_and_100(d, m, p, level):
    result = nps_interval(d, m, p, level)
    if d + m + p == 0:
        assert result.value is None
        return
    assert -100.0 <= result.low <= result.value <= result.high <= 100.0
    assert result.low < result.high


@PROPERTY
@given(counts, counts, counts, st.sampled_from([0.8, 0.9, 0.95, 0.99]),
       st.sampled_from(["score-cc", "score"]))
def test_one_more_promoter_never_lowers_a_limit_and_one_more_detractor_never_raises_one(
    d, m, p, level, method
):
    if d + m + p == 0:
        return
    base = nps_interval(d, m, p, level, method)
    more_p = nps_interval(d, m, p + 1, level, method)
    more_d = nps_interval(d + 1, m, p, level, method)
    assert more_p.low >= base.low - 1e-7 and more_p.high >= base.high - 1e-7
    assert more_d.low <= base.low + 1e-7 and more_d.high <= base.high + 1e-7


def test_many_groups_solved_in_blocks_equal_the_same_groups_solved_a_few_at_a_time():
    rng = np.random.default_rng(41)
    d, m, p = (rng.integers(0, 300, 10_000) for _ in range(3))
    d[d + m + p == 0] = 1
    together = grouped_nps_from_counts(d, m, p)
    for start in (0, 4090, 4096, 8190, 9990):
        part = slice(start, start + 10)
        alone = grouped_nps_from_counts(d[part], m[part], p[part])
        assert np.array_equal(alone.low.data, together.low.data[part])
        assert np.array_equal(alone.high.data, together.high.data[part])

"""Comparisons: Newcombe and adjusted-Wald NPS differences, Welch, Benjamini–Hochberg, funnels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import ndtr

from survey_app.scoring import (
    MomentSums,
    ScoringError,
    benjamini_hochberg,
    compare,
    enps_difference,
    mean_funnel_limits,
    nps_difference,
    nps_differences,
    nps_funnel_limits,
    nps_interval,
    welch_difference,
    welch_differences,
)

triple = st.tuples(*(st.integers(0, 40),) * 3).filter(lambda t: sum(t) > 0)


def test_newcombe_difference_is_the_raw_difference_with_square_and_add_limits():
    a, b = (10, 20, 70), (20, 30, 50)
    result = nps_difference(a, b)
    one, two = nps_interval(*a), nps_interval(*b)
    assert result.delta == pytest.approx(30.0)
    assert result.low == pytest.approx(30.0 - np.hypot(one.value - one.low, two.high - two.value))
    assert result.high == pytest.approx(30.0 + np.hypot(one.high - one.value, two.value - two.low))
    assert 0.0 < result.p < 0.05


def test_equal_groups_differ_by_zero_with_p_one():
    result = nps_difference((3, 4, 5), (3, 4, 5))
    assert result.delta == 0.0 and result.p == 1.0 and result.low < 0.0 < result.high


def test_a_difference_with_an_empty_group_is_undefined():
    result = nps_difference((0, 0, 0), (1, 2, 3))
    assert (result.delta, result.low, result.high, result.p) == (None, None, None, None)


def test_enps_difference_is_the_nps_difference():
    assert enps_difference((1, 2, 3), (3, 2, 1)) == nps_difference((1, 2, 3), (3, 2, 1))


def test_nps_differences_compare_many_pairs_at_once_like_one_at_a_time():
    a = np.array([[10, 20, 70], [16, 139, 6], [0, 0, 3]])
    b = np.array([[20, 30, 50], [10, 140, 11], [3, 0, 0]])
    many = nps_differences(a, b)
    for i in range(3):
        single, row = nps_difference(a[i], b[i]), many.item(i)
        assert (row.delta, row.low, row.high, row.p) == pytest.approx(
            (single.delta, single.low, single.high, single.p), abs=1e-9
        )


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ((1, 2), (1, 2, 3), {}, "detractors, passives, promoters"),
        ((1, 2, -3), (1, 2, 3), {}, "negative"),
        ((1, 2, 3), (1, 2, 3), {"method": "bayes"}, "unknown method"),
        ((1, 2, 3), (1, 2, 3), {"confidence": 1.0}, "confidence"),
    ],
)
def test_nps_difference_refuses_bad_input(a, b, kwargs, message):
    with pytest.raises(ScoringError, match=message):
        nps_difference(a, b, **kwargs)


@settings(max_examples=25, deadline=None)
@given(triple, triple, st.sampled_from([0.9, 0.95]))
def test_newcombe_p_value_is_below_alpha_exactly_when_the_interval_excludes_zero(a, b, level):
    result = nps_difference(a, b, level)
    assert result.low <= result.delta <= result.high
    excludes_zero = result.low > 1e-6 or result.high < -1e-6
    includes_zero = result.low < -1e-6 and result.high > 1e-6
    if excludes_zero:
        assert result.p < 1 - level
    if includes_zero:
        assert result.p > 1 - level


def reference_newcombe_p(a, b, outer_steps, inner_steps):
    """The Newcombe p by plain bisection on z, with `inner_steps` for every score limit.

    With (32, 16) this is the implementation the false-position search replaced; with (55, 60)
    it is exact to far below what any page shows.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    delta, _, _ = compare._newcombe_bounds(a, b, np.ones(len(a)))
    lo, hi = np.zeros(len(a)), np.full(len(a), 40.0)
    for _ in range(outer_steps):
        mid = 0.5 * (lo + hi)
        _, near_low, near_high = compare._newcombe_bounds(a, b, mid, inner_steps)
        apart = np.where(delta > 0, near_low > 0.0, near_high < 0.0)
        lo, hi = np.where(apart, mid, lo), np.where(apart, hi, mid)
    return np.where(delta == 0, 1.0, 2.0 * ndtr(-0.5 * (lo + hi)))


def count_pairs(seed, size=150):
    """Pairs from tiny to county-sized groups, some nearly equal, some all at one end."""
    rng = np.random.default_rng(seed)
    pairs = []
    for top in (2, 6, 40, 500, 30_000, 200_000):
        a, b = rng.integers(0, top, (size, 3)), rng.integers(0, top, (size, 3))
        b[::3] = a[::3] + rng.integers(0, 3, (len(a[::3]), 3))
        a[::7, :2] = 0
        b[::11, 1:] = 0
        a[a.sum(axis=1) == 0, 2] = 1
        b[b.sum(axis=1) == 0, 0] = 1
        pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("seed", [1, 2])
def test_newcombe_p_value_equals_a_long_bisection_of_the_interval(seed):
    for a, b in count_pairs(seed):
        result = nps_differences(a, b).p.filled(np.nan)
        assert result == pytest.approx(reference_newcombe_p(a, b, 55, 60), abs=1e-9)


def test_newcombe_p_value_agrees_with_the_previous_bisection_and_decides_alike():
    for a, b in count_pairs(3):
        result = nps_differences(a, b).p.filled(np.nan)
        previous = reference_newcombe_p(a, b, 32, 16)
        # The previous search narrowed each limit to ~3e-5 before its false-position finish;
        # it is off by a few 1e-6 only where Δ is ~1e-5 at n ~ 10^5.
        assert result == pytest.approx(previous, abs=1e-5)
        for alpha in (0.001, 0.01, 0.05, 0.1):
            assert ((result < alpha) == (previous < alpha)).all()


def test_welch_differences_agree_with_scipy_for_many_pairs():
    rng = np.random.default_rng(11)
    samples = [(rng.normal(50, 10, 8 + i), rng.normal(45, 20, 5 + 2 * i)) for i in range(5)]
    a = MomentSums(
        *(
            np.array(v)
            for v in zip(*[(x.size, x.sum(), (x**2).sum()) for x, _ in samples], strict=True)
        )
    )
    b = MomentSums(
        *(
            np.array(v)
            for v in zip(*[(y.size, y.sum(), (y**2).sum()) for _, y in samples], strict=True)
        )
    )
    result = welch_differences(a, b)
    for i, (x, y) in enumerate(samples):
        expected = stats.ttest_ind(x, y, equal_var=False)
        interval = expected.confidence_interval(0.95)
        assert float(result.p[i]) == pytest.approx(expected.pvalue)
        assert (float(result.low[i]), float(result.high[i])) == pytest.approx(
            (interval.low, interval.high)
        )


def test_welch_difference_needs_two_values_on_each_side():
    result = welch_differences(MomentSums([1], [5.0], [25.0]), MomentSums([3], [6.0], [14.0]))
    assert result.item(0).delta is None


def test_benjamini_hochberg_matches_scipy_and_rejects_by_the_step_up_rule():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    result = benjamini_hochberg(p, rate=0.05)
    assert np.asarray(result.adjusted) == pytest.approx(stats.false_discovery_control(p))
    assert result.rejected.tolist() == [True, True] + [False] * 8


def test_benjamini_hochberg_leaves_missing_p_values_out_and_never_rejects_them():
    result = benjamini_hochberg(np.ma.masked_array([0.01, 0.5, 0.02], mask=[False, True, False]))
    assert result.adjusted.mask.tolist() == [False, True, False]
    assert result.adjusted.compressed() == pytest.approx([0.02, 0.02])
    assert result.rejected.tolist() == [True, False, True]


@pytest.mark.parametrize(("p", "rate"), [([0.5, 1.2], 0.05), ([-0.1], 0.05), ([0.5], 1.5)])
def test_benjamini_hochberg_refuses_impossible_p_values_or_rates(p, rate):
    with pytest.raises(ScoringError):
        benjamini_hochberg(p, rate)


def test_nps_funnel_limits_narrow_with_n_around_the_organisation_value():
    limits = nps_funnel_limits(np.array([0, 10, 100, 1000]), (200, 300, 500))
    assert limits.target == pytest.approx(30.0)
    assert limits.inner_low.mask.tolist() == [True, False, False, False]
    widths = (limits.outer_high - limits.outer_low).compressed()
    assert widths[1] > widths[2] and np.all(limits.outer_high >= limits.inner_high)
    sigma = 100 * np.sqrt(0.7 - 0.09)
    assert float(limits.inner_high[2]) == pytest.approx(30 + 1.959964 * sigma / 10, abs=1e-4)
    assert float(limits.outer_low[3]) == pytest.approx(
        30 - 3.090232 * sigma / np.sqrt(1000), abs=1e-4
    )
    assert limits.position([0, 90, 10, 20]).tolist() == [0, 1, -1, -2]


def test_nps_funnel_limits_are_clipped_to_minus_100_and_100():
    limits = nps_funnel_limits([1], (0, 1, 99))
    assert float(limits.outer_high[0]) == 100.0


def test_mean_funnel_limits_follow_target_plus_minus_z_sd_over_root_n():
    limits = mean_funnel_limits([25], target=60.0, sd=20.0)
    assert (float(limits.inner_low[0]), float(limits.inner_high[0])) == pytest.approx(
        (60 - 1.959964 * 4, 60 + 1.959964 * 4), abs=1e-4
    )


def test_funnel_limits_need_an_organisation_with_answers():
    with pytest.raises(ScoringError, match="no answers"):
        nps_funnel_limits([5], (0, 0, 0))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nps_funnel_limits([5], (1, 2)), "detractors, passives, promoters"),
        (lambda: nps_funnel_limits([-5], (1, 2, 3)), "negative"),
        (lambda: mean_funnel_limits([5], 50.0, -1.0), "non-negative"),
        (lambda: mean_funnel_limits([5], "fifty", 10.0), "numbers"),
        (lambda: mean_funnel_limits([5], 50.0, 10.0, levels=(0.95,)), "two confidence levels"),
    ],
)
def test_funnel_limits_refuse_bad_input(call, message):
    with pytest.raises(ScoringError, match=message):
        call()


def test_welch_difference_of_an_empty_sample_is_undefined():
    result = welch_difference([], [1.0, 2.0, 3.0])
    assert (result.delta, result.low, result.high, result.p, result.df) == (None,) * 5


def _newcombe_exact_coverage(n, method, level=0.95):
    """Lowest and mean exact coverage of NPS(a) − NPS(b) over a grid of true distributions of
    both groups (edges included), every pair of outcomes of two n-answer multinomials enumerated."""
    from scipy.special import gammaln

    from tests.unit.exact_coverage import outcomes

    grid = [0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.94, 0.97, 0.99, 1]
    shares = np.array([(d, max(1 - d - p, 0.0), p) for d in grid for p in grid if d + p <= 1])
    counts = outcomes(n)
    log_c = gammaln(n + 1) - gammaln(counts + 1).sum(axis=1)
    probability = np.exp(log_c[None] + np.log(np.maximum(shares, 1e-300)) @ counts.T)
    a, b = np.repeat(counts, len(counts), axis=0), np.tile(counts, (len(counts), 1))
    result = nps_differences(a, b, level, method=method, p_values=False)
    low = result.low.data.reshape(len(counts), -1) / 100
    high = result.high.data.reshape(len(counts), -1) / 100
    truth = shares[:, 2] - shares[:, 0]
    coverage = []
    for i in range(len(shares)):
        gap = (truth[i] - truth)[:, None, None]
        covered = (low[None] <= gap + 1e-12) & (gap - 1e-12 <= high[None])
        coverage.append(np.einsum("a,jb,jab->j", probability[i], probability, covered))
    coverage = np.concatenate(coverage)
    return coverage.min(), coverage.mean()


def test_newcombe_differences_from_corrected_limits_cover_better_than_from_plain_tango():
    corrected, corrected_mean = _newcombe_exact_coverage(10, "newcombe")
    plain, _ = _newcombe_exact_coverage(10, "newcombe-score")
    # The figures the module docstring quotes: 0.927 against 0.895 (n = 10 and 10, 95 %).
    assert corrected == pytest.approx(0.927, abs=5e-4) and corrected_mean > 0.98
    assert plain == pytest.approx(0.895, abs=5e-4)

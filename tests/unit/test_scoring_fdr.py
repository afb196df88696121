"""FDR-adjusted intervals: shown and flagged always agree, and agree with Benjamini–Hochberg."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey_app.scoring import (
    MomentSums,
    ScoringError,
    benjamini_hochberg,
    excludes_zero,
    fdr_adjusted_level,
    nps_differences,
    welch_differences,
)

triple = st.tuples(*(st.integers(0, 60),) * 3).filter(lambda t: sum(t) > 0)


def test_benjamini_hochberg_refuses_two_dimensional_input_instead_of_flattening_it():
    with pytest.raises(ScoringError, match="1-D"):
        benjamini_hochberg(np.array([[0.01, 0.2], [0.03, 0.5]]))


def test_the_adjusted_level_is_one_minus_r_q_over_m():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    level = fdr_adjusted_level(p, 0.05)
    assert (level.selected, level.tested) == (2, 10)
    assert level.level == pytest.approx(1 - 2 * 0.05 / 10)


def test_without_any_rejection_the_level_is_bonferronis_and_masked_p_values_do_not_count():
    level = fdr_adjusted_level(np.ma.masked_array([0.3, 0.04, 0.9], mask=[False, False, True]))
    assert (level.selected, level.tested) == (0, 2)
    assert level.level == pytest.approx(1 - 0.05 / 2)
    assert fdr_adjusted_level([np.nan]).level is None


def test_excludes_zero_reads_only_the_interval():
    low = np.ma.masked_array([0.1, -2.0, -3.0, 0.0], mask=[False, False, False, True])
    high = np.array([4.0, -0.5, 2.0, 1.0])
    assert excludes_zero(low, high).tolist() == [True, True, False, False]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(triple, triple), min_size=1, max_size=12), st.sampled_from([0.05, 0.1]))
def test_a_change_is_flagged_exactly_when_its_shown_interval_excludes_zero(pairs, rate):
    a = np.array([x for x, _ in pairs])
    b = np.array([y for _, y in pairs])
    raw = nps_differences(a, b, 0.95)
    fdr = fdr_adjusted_level(raw.p, rate)
    shown = nps_differences(a, b, fdr.level, p_values=False)
    flagged = excludes_zero(shown.low, shown.high)
    # The flag is the interval; it must also be Benjamini–Hochberg's decision, except for a
    # p-value within rounding of the threshold R q / m.
    threshold = max(fdr.selected, 1) * rate / fdr.tested
    p = raw.p.filled(np.nan)
    clear = np.abs(p - threshold) > 1e-8
    assert (flagged[clear] == fdr.discovery.rejected[clear]).all()
    assert ((shown.low > 0) | (shown.high < 0)).filled(False).tolist() == flagged.tolist()
    # Every adjusted interval is at least as wide as the unadjusted one at 1 − q (R ≤ m).
    plain = nps_differences(a, b, 1 - rate, p_values=False)
    assert (shown.low <= plain.low + 1e-9).all() and (shown.high >= plain.high - 1e-9).all()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(2, 30), st.floats(-3, 3), st.integers(2, 30)),
                min_size=2, max_size=10))
def test_welch_changes_are_flagged_exactly_when_benjamini_hochberg_rejects(groups):
    rng = np.random.default_rng(len(groups))
    samples = [(rng.normal(50, 10, na), rng.normal(50 + shift * 5, 10, nb))
               for na, shift, nb in groups]
    a = MomentSums(*(np.array(v) for v in zip(*[(x.size, x.sum(), (x**2).sum())
                                                 for x, _ in samples], strict=True)))
    b = MomentSums(*(np.array(v) for v in zip(*[(y.size, y.sum(), (y**2).sum())
                                                 for _, y in samples], strict=True)))
    raw = welch_differences(a, b)
    fdr = fdr_adjusted_level(raw.p, 0.05)
    shown = welch_differences(a, b, fdr.level)
    p = raw.p.filled(np.nan)
    clear = np.abs(p - max(fdr.selected, 1) * 0.05 / fdr.tested) > 1e-9
    assert (excludes_zero(shown.low, shown.high)[clear] == fdr.discovery.rejected[clear]).all()
    for i, (x, y) in enumerate(samples):
        expected = stats.ttest_ind(x, y, equal_var=False).confidence_interval(fdr.level)
        assert float(shown.low[i]) == pytest.approx(expected.low)

"""Means from shifted sums: constant data, large offsets and merging keep their digits."""

import numpy as np
import pytest

from survey_app.scoring import MomentSums, grouped_mean_from_sums, mean_interval, welch_difference


def test_constant_values_have_exactly_zero_spread_and_a_point_interval():
    result = mean_interval([0.1] * 10)
    assert result.sd == 0.0
    assert result.low == result.mean == result.high == 0.1


def test_a_large_offset_keeps_the_standard_deviation():
    rng = np.random.default_rng(3)
    values = 1e9 + rng.normal(0.0, 1.0, 1000)
    result = mean_interval(values)
    assert result.sd == pytest.approx(np.std(values, ddof=1), rel=1e-9)
    assert result.mean == pytest.approx(np.mean(values), rel=1e-15)


def test_merging_shifted_sums_equals_summing_all_values_at_once():
    rng = np.random.default_rng(4)
    x, y = 5e8 + rng.normal(0, 2, 300), 5e8 + 7 + rng.normal(0, 3, 200)
    merged = MomentSums.from_values(x).merge(MomentSums.from_values(y))
    direct = grouped_mean_from_sums(MomentSums.from_values(np.concatenate([x, y])))
    result = grouped_mean_from_sums(merged)
    assert float(result.mean[0]) == pytest.approx(float(direct.mean[0]), rel=1e-15)
    # The means themselves carry 1 ulp of 5e8 (6e-8), so 1e-7 is what any float method can keep.
    assert float(result.sd[0]) == pytest.approx(np.std(np.concatenate([x, y]), ddof=1), rel=1e-7)
    assert int(merged.n[0]) == 500


def test_merging_with_an_empty_group_keeps_the_other():
    some = MomentSums.from_values([1.0, 2.0, 4.0])
    merged = some.merge(MomentSums.from_values([]))
    assert float(grouped_mean_from_sums(merged).mean[0]) == pytest.approx(7 / 3)
    assert float(grouped_mean_from_sums(merged).sd[0]) == pytest.approx(np.std([1, 2, 4], ddof=1))


def test_plain_unshifted_sums_from_storage_still_score_as_before():
    values = np.array([40.0, 55.0, 70.0, 85.0])
    stored = MomentSums([4], [values.sum()], [(values**2).sum()])
    result = grouped_mean_from_sums(stored)
    assert float(result.mean[0]) == pytest.approx(62.5)
    assert float(result.sd[0]) == pytest.approx(np.std(values, ddof=1))


def test_welch_difference_of_samples_far_from_zero_matches_the_centred_computation():
    rng = np.random.default_rng(5)
    a, b = 1e9 + rng.normal(0, 1, 50), 1e9 + 0.5 + rng.normal(0, 1, 60)
    result = welch_difference(a, b)
    assert result.delta == pytest.approx(np.mean(a) - np.mean(b), abs=1e-6)
    assert result.df == pytest.approx(
        (a.var(ddof=1) / 50 + b.var(ddof=1) / 60) ** 2
        / ((a.var(ddof=1) / 50) ** 2 / 49 + (b.var(ddof=1) / 60) ** 2 / 59),
        rel=1e-6,
    )

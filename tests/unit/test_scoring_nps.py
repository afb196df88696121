"""NPS and eNPS intervals: edge cases, errors, grouped = one by one, and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey_app.scoring import (
    METHODS,
    ScoringError,
    categorise_score_counts,
    enps_interval,
    grouped_enps,
    grouped_nps,
    grouped_nps_from_counts,
    nps_interval,
)
from survey_app.scoring import nps as nps_module

counts = st.integers(min_value=0, max_value=60)
levels = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.998])
PROPERTY = settings(max_examples=60, deadline=None)


def test_nps_interval_without_answers_has_no_value_and_no_limits():
    result = nps_interval(0, 0, 0)
    assert (result.value, result.low, result.high, result.n) == (None, None, None, 0)


def test_nps_interval_all_promoters_keeps_upper_limit_at_100():
    result = nps_interval(0, 0, 12)
    assert result.value == 100.0 and result.high == 100.0 and result.low < 100.0


def test_nps_interval_all_detractors_keeps_lower_limit_at_minus_100():
    result = nps_interval(12, 0, 0)
    assert result.value == -100.0 and result.low == -100.0 and result.high > -100.0


def test_nps_interval_reports_counts_method_and_confidence():
    result = nps_interval(2, 3, 5, confidence=0.9, method="wald")
    assert (result.n, result.detractors, result.passives, result.promoters) == (10, 2, 3, 5)
    assert (result.method, result.confidence, result.value) == ("wald", 0.9, 30.0)


def test_score_interval_narrows_as_the_sample_grows():
    widths = [
        nps_interval(k, 2 * k, 3 * k).high - nps_interval(k, 2 * k, 3 * k).low for k in (1, 10, 100)
    ]
    assert widths[0] > widths[1] > widths[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 2, 3), "negative"),
        ((1, -2, 3), "negative"),
        ((1.5, 2, 3), "whole"),
        ((float("nan"), 2, 3), "finite"),
        (("many", 2, 3), "numeric"),
        ((1 + 2j, 2, 3), "real"),
        ((2**63, 0, 1), "2\\*\\*53"),
        ((1e300, 0, 1e300), "2\\*\\*53"),
        ((10**30, 0, 1), "numeric"),
    ],
)
def test_nps_interval_refuses_impossible_counts_with_a_clear_message(args, message):
    with pytest.raises(ScoringError, match=message):
        nps_interval(*args)


@pytest.mark.parametrize(
    "confidence", [0, 1, -0.5, 1.5, 95, float("nan"), "high", "0.95", 0.95 + 0j, [0.95]]
)
def test_nps_interval_refuses_a_confidence_outside_zero_and_one(confidence):
    with pytest.raises(ScoringError, match="confidence"):
        nps_interval(1, 2, 3, confidence=confidence)


def test_nps_interval_refuses_an_unknown_method_and_names_the_choices():
    with pytest.raises(ScoringError, match="score-cc, score, adjusted-wald, wald"):
        nps_interval(1, 2, 3, method="bootstrap")


def test_scoring_error_is_a_value_error():
    assert issubclass(ScoringError, ValueError)


def test_enps_interval_is_the_nps_mathematics():
    assert enps_interval(3, 4, 5, 0.9) == nps_interval(3, 4, 5, 0.9)


def test_grouped_nps_counts_answers_per_key_in_sorted_key_order():
    keys = np.array([7, 3, 7, 3, 3, 7, 7])
    scores = np.array([10, 0, 8, 9, 6, 9, 3])
    result = grouped_nps(keys, scores)
    assert result.keys.tolist() == [3, 7]
    assert result.detractors.tolist() == [2, 1]
    assert result.passives.tolist() == [0, 1]
    assert result.promoters.tolist() == [1, 2]
    assert result.n.tolist() == [3, 4]
    assert result.value.tolist() == pytest.approx([-100 / 3, 25.0])


def test_grouped_nps_handles_sparse_keys_through_the_sorting_path():
    keys = np.array([10**12, 5, 10**12, -(10**9)])
    result = grouped_nps(keys, np.array([10, 10, 0, 7]))
    assert result.keys.tolist() == [-(10**9), 5, 10**12]
    assert result.n.tolist() == [1, 1, 2]


def test_grouped_nps_of_no_answers_is_empty():
    result = grouped_nps(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert len(result) == 0 and result.rows() == []


@pytest.mark.parametrize("bad", [[0, 11], [-1, 5], [5.5, 6]])
def test_grouped_nps_refuses_answers_off_the_0_to_10_scale(bad):
    with pytest.raises(ScoringError, match="0..10"):
        grouped_nps(np.array([1, 1]), np.array(bad))


def test_grouped_nps_refuses_keys_and_scores_of_different_lengths():
    with pytest.raises(ScoringError, match="one length"):
        grouped_nps(np.array([1, 2, 3]), np.array([1, 2]))


def test_grouped_nps_refuses_non_integer_keys():
    with pytest.raises(ScoringError, match="keys must be integers"):
        grouped_nps(np.array([1.0, 2.0]), np.array([1, 2]))


def test_grouped_result_arrays_are_read_only():
    result = grouped_nps_from_counts([1, 2], [3, 4], [5, 6])
    with pytest.raises(ValueError):
        result.n[0] = 99


def test_grouped_nps_from_counts_masks_groups_without_answers_and_rows_give_none():
    result = grouped_nps_from_counts([0, 1], [0, 1], [0, 1], keys=[41, 42])
    assert result.value.mask.tolist() == [True, False]
    assert not np.isnan(result.value.data).any()
    assert result.rows()[0] == {
        "key": 41,
        "n": 0,
        "detractors": 0,
        "passives": 0,
        "promoters": 0,
        "value": None,
        "low": None,
        "high": None,
    }
    assert result.value.tolist()[0] is None


def test_grouped_nps_from_counts_refuses_arrays_of_different_lengths():
    with pytest.raises(ScoringError, match="same shape"):
        grouped_nps_from_counts([1, 2], [1], [1, 2])


def test_categorise_score_counts_sums_0_to_6_then_7_8_then_9_10():
    histogram = np.array([[1] * 11, [0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 4]])
    detractors, passives, promoters = categorise_score_counts(histogram)
    assert (
        detractors.tolist() == [7, 2]
        and passives.tolist() == [2, 3]
        and promoters.tolist() == [2, 4]
    )


def test_categorise_score_counts_refuses_a_histogram_without_11_columns():
    with pytest.raises(ScoringError, match="11 columns"):
        categorise_score_counts(np.ones((2, 10)))


def test_grouped_enps_equals_grouped_nps():
    keys, scores = np.array([1, 1, 2]), np.array([9, 5, 7])
    assert grouped_enps(keys, scores).rows() == grouped_nps(keys, scores).rows()


@PROPERTY
@given(counts, counts, counts, levels)
def test_score_interval_contains_the_estimate_and_stays_within_minus_100_and_100(d, m, p, level):
    result = nps_interval(d, m, p, level)
    if d + m + p == 0:
        assert result.value is None
        return
    assert -100.0 <= result.low <= result.value <= result.high <= 100.0
    assert result.low < result.high


@PROPERTY
@given(counts, counts, counts, levels, st.sampled_from(["adjusted-wald", "wald"]))
def test_wald_type_intervals_stay_ordered_within_minus_100_and_100(d, m, p, level, method):
    result = nps_interval(d, m, p, level, method)
    if d + m + p:
        assert -100.0 <= result.low <= result.high <= 100.0
        if method == "wald":
            assert result.low <= result.value <= result.high


@PROPERTY
@given(counts, counts, counts, st.sampled_from(METHODS))
def test_interval_is_wider_at_higher_confidence(d, m, p, method):
    if d + m + p == 0:
        return
    narrow, wide = nps_interval(d, m, p, 0.8, method), nps_interval(d, m, p, 0.99, method)
    assert wide.low <= narrow.low + 1e-9 and wide.high >= narrow.high - 1e-9
    if method in ("score", "score-cc"):
        assert wide.high - wide.low > narrow.high - narrow.low


@PROPERTY
@given(
    st.lists(st.tuples(counts, counts, counts), min_size=1, max_size=20),
    levels,
    st.sampled_from(METHODS),
)
def test_grouped_results_equal_one_by_one_results(triples, level, method):
    d, m, p = (np.array(column) for column in zip(*triples, strict=True))
    grouped = grouped_nps_from_counts(d, m, p, level, method)
    for i, triple in enumerate(triples):
        single = nps_interval(*triple, confidence=level, method=method)
        row = grouped.rows()[i]
        for name in ("value", "low", "high"):
            expected = getattr(single, name)
            assert (
                (row[name] is None)
                if expected is None
                else row[name] == pytest.approx(expected, abs=1e-9)
            )


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10)), min_size=1, max_size=80))
def test_grouped_nps_from_answers_equals_counting_by_hand(pairs):
    keys, scores = (np.array(column) for column in zip(*pairs, strict=True))
    result = grouped_nps(keys, scores)
    for i, key in enumerate(result.keys):
        own = scores[keys == key]
        single = nps_interval(
            int((own <= 6).sum()), int(((own >= 7) & (own <= 8)).sum()), int((own >= 9).sum())
        )
        assert result.n[i] == own.size
        assert (float(result.low[i]), float(result.high[i])) == pytest.approx(
            (single.low, single.high)
        )


def _tango_limits_by_long_bisection(d, m, p, z, steps=60):
    """An independent, slow reference: Tango's z written out and bisected 60 times."""
    n = d + m + p

    def tango(delta):
        b = -(p + d) + delta * (2 * n + d - p)
        c = -d * delta * (1 - delta)
        q = (-b + np.sqrt(np.maximum(b * b - 8 * n * c, 0))) / (4 * n)
        variance = np.maximum(n * (2 * q + delta * (1 - delta)), 0)
        numerator = p - d - n * delta
        with np.errstate(divide="ignore", invalid="ignore"):
            z_value = numerator / np.sqrt(variance)
        return np.where(variance > 0, z_value, np.sign(numerator) * 1e300)

    estimate = (p - d) / n
    limits = []
    for target, lo, hi in ((z, np.full(n.shape, -1.0), estimate), (-z, estimate, np.ones(n.shape))):
        for _ in range(steps):
            mid = (lo + hi) / 2
            right = tango(mid) > target
            lo, hi = np.where(right, mid, lo), np.where(right, hi, mid)
        limits.append(100 * (lo + hi) / 2)
    return limits


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.998])
def test_fast_score_limits_agree_with_a_long_bisection_to_1e_8_points(confidence):
    rng = np.random.default_rng(7)
    small = [
        (d, k - d - p, p) for k in range(1, 13) for d in range(k + 1) for p in range(k + 1 - d)
    ]
    large = [
        tuple(rng.integers(0, top, 3)) for top in (5, 50, 500, 5000, 100_000) for _ in range(600)
    ]
    d, m, p = (np.array(c, dtype=float) for c in zip(*(small + large), strict=True))
    keep = d + m + p > 0
    d, m, p = d[keep], m[keep], p[keep]
    fast = grouped_nps_from_counts(d, m, p, confidence, method="score")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    slow_low, slow_high = _tango_limits_by_long_bisection(d, m, p, z)
    assert np.abs(fast.low.data - slow_low).max() < 1e-8
    assert np.abs(fast.high.data - slow_high).max() < 1e-8


def test_grouped_nps_counts_correctly_across_chunk_boundaries(monkeypatch):
    monkeypatch.setattr(nps_module, "_CHUNK", 7)
    rng = np.random.default_rng(5)
    keys, scores = rng.integers(100, 130, 500), rng.integers(0, 11, 500)
    result = grouped_nps(keys, scores)
    for i, key in enumerate(result.keys):
        own = scores[keys == key]
        assert (result.detractors[i], result.passives[i], result.promoters[i]) == (
            (own <= 6).sum(),
            ((own == 7) | (own == 8)).sum(),
            (own >= 9).sum(),
        )

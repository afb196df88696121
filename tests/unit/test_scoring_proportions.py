"""Wilson intervals for shares (statements as % agreeing)."""

import pytest

from survey_app.scoring import ScoringError
from survey_app.scoring.proportions import grouped_wilson


def test_wilson_interval_matches_published_values():
    # Newcombe (1998) table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605.
    result = grouped_wilson([81, 15], [263, 148])
    assert result.low.tolist() == pytest.approx([25.53, 6.24], abs=0.01)
    assert result.high.tolist() == pytest.approx([36.62, 16.05], abs=0.01)


def test_wilson_interval_at_the_extremes_stays_inside_the_scale_and_is_not_a_point():
    result = grouped_wilson([0, 10], [10, 10])
    assert result.low[0] == 0.0 and 0 < result.high[0] < 30
    assert 70 < result.low[1] < 100 and result.high[1] == pytest.approx(100.0)


def test_wilson_with_no_answers_is_masked():
    assert grouped_wilson([0], [0]).value.tolist() == [None]


def test_wilson_refuses_more_hits_than_answers():
    with pytest.raises(ScoringError):
        grouped_wilson([3], [2])

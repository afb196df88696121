"""Exact coverage of the NPS intervals over the whole closed simplex, edges included.

The computation (tests/unit/exact_coverage.py) enumerates every outcome and evaluates the
coverage at every interval endpoint from both sides along each edge, on lines through every
endpoint just inside each edge, and on a 0.02 grid in the interior: a grid alone falls between
the dips. Every interval is computed once per n and level, for all outcomes at once.

Lowest coverage found (score-cc, the default), asserted below and quoted in the docstrings:

    n      90 %     95 %     99 %
    10    0.9102   0.9488   0.9871
    20    0.9144   0.9490   0.9867
    30    0.9020   0.9490   0.9866
    50    0.9023   0.9491   0.9865
    100   0.9021   0.9491   0.9864

Plain Tango (`score`) dips to 0.835–0.838 at 95 % at every n; adjusted Wald to 0.860–0.905.
"""

import numpy as np
import pytest

from tests.unit.exact_coverage import EDGES, Intervals, edge_coverage, outcomes, summarise

SIZES = (10, 20, 30, 50, 100)
#: Lowest coverage each level must keep (nominal − ½ point at 95 %, the issue's guarantee at 99 %).
FLOORS = {0.90: 0.895, 0.95: 0.945, 0.99: 0.985}


@pytest.fixture(scope="module")
def summaries():
    """Exact coverage summaries of score-cc for every n and level (computed once)."""
    return {(n, level): summarise(n, level, "score-cc") for n in SIZES for level in FLOORS}


@pytest.mark.parametrize("level", sorted(FLOORS))
@pytest.mark.parametrize("n", SIZES)
def test_score_cc_keeps_its_lowest_coverage_over_the_closed_simplex(summaries, n, level):
    summary = summaries[n, level]
    assert summary.lowest >= FLOORS[level], summary
    # Not wastefully wide either: the lowest coverage sits within 2 points of nominal.
    assert summary.lowest <= level + 0.02, summary
    assert level <= summary.mean_interior <= level + 0.06


@pytest.mark.parametrize("n", [10, 30])
def test_plain_tango_dips_to_84_percent_at_the_edges_where_a_grid_does_not_see_it(n):
    summary = summarise(n, 0.95, "score")
    assert 0.83 <= summary.lowest_edge <= 0.84
    assert summary.lowest_interior > 0.92


def test_the_audit_dip_of_plain_tango_at_n_10_is_found_exactly():
    intervals = Intervals.compute(10, 0.95, "score")
    delta, coverage = edge_coverage(intervals, "no promoters")
    assert coverage.min() == pytest.approx(0.835, abs=5e-4)
    # At the audit's point (0.983, 0.017, 0) the coverage is 0.842.
    at = intervals.coverage(np.array([[0.983, 0.017, 0.0]]), intervals.counts[:, 2] == 0)
    assert at[0] == pytest.approx(0.842, abs=1e-3)


@pytest.mark.parametrize("n", [10, 50])
def test_outcome_probabilities_sum_to_one_on_edges_and_inside(n):
    intervals = Intervals.compute(n, 0.95, "score-cc")
    shares = np.array([[0.2, 0.3, 0.5], [0.0, 0.4, 0.6], [0.999, 0.0, 0.001], [1.0, 0.0, 0.0]])
    everything = type(intervals)(n, intervals.counts, intervals.counts[:, 0] * 0 - 2.0,
                                 intervals.counts[:, 0] * 0 + 2.0, intervals.log_coefficient)
    assert everything.coverage(shares) == pytest.approx(np.ones(4))
    assert len(outcomes(n)) == (n + 1) * (n + 2) // 2


def test_edge_points_include_both_sides_of_every_endpoint():
    intervals = Intervals.compute(10, 0.95, "score-cc")
    for edge, (zero, _) in EDGES.items():
        delta, _ = edge_coverage(intervals, edge)
        ends = intervals.high[intervals.counts[:, zero] == 0]
        inside = ends[(ends > delta.min() + 1e-9) & (ends < delta.max() - 1e-9)]
        for end in inside:
            assert (delta < end).any() and np.min(np.abs(delta[delta < end] - end)) < 1e-10
            assert np.min(np.abs(delta[delta > end] - end)) < 1e-10


def test_without_the_level_dependent_growth_the_99_percent_interval_dips_to_0_9675(monkeypatch):
    from survey_app.scoring import _nps_core

    monkeypatch.setattr(_nps_core, "CORRECTION_SLOPE", 0.0)
    monkeypatch.setattr(_nps_core, "PASSIVE_SLOPE", 0.0)
    assert summarise(10, 0.99, "score-cc").lowest == pytest.approx(0.9675, abs=5e-4)

"""QWL: our open per-person rule, a pluggable rule, unit means from raw answers and from sums."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.scoring import (
    FACTORS,
    MomentSums,
    OpenQwlRule,
    QwlInstrument,
    ScoringError,
    grouped_mean,
    grouped_qwl,
    grouped_qwl_from_sums,
    mean_interval,
    qwl_interval,
    qwl_person_scores,
)

NAN = np.nan


def make_instrument(**overrides) -> QwlInstrument:
    """Six items on a 1–5 scale, two per factor, s2 reverse-worded unless overridden."""
    fields = dict(
        items=("s1", "s2", "b1", "b2", "g1", "g2"),
        factors=(
            "safety",
            "safety",
            "belonging_competence",
            "belonging_competence",
            "goals_creativity",
            "goals_creativity",
        ),
        scale_min=1,
        scale_max=5,
        reversed_items=frozenset({"s2"}),
    )
    return QwlInstrument(**{**fields, **overrides})


def test_open_rule_rescales_answers_to_0_100_and_averages_the_three_factors():
    scores = qwl_person_scores([5, 1, 4, 4, 3, 2], make_instrument())
    assert scores.person(0) == {
        "index": pytest.approx(212.5 / 3),
        "safety": 100.0,
        "belonging_competence": 75.0,
        "goals_creativity": 37.5,
    }


def test_open_rule_weighs_each_factor_equally_whatever_its_item_count():
    instrument = make_instrument(
        items=("s1", "b1", "b2", "b3", "g1"),
        factors=(
            "safety",
            "belonging_competence",
            "belonging_competence",
            "belonging_competence",
            "goals_creativity",
        ),
        reversed_items=frozenset(),
    )
    assert qwl_person_scores([5, 1, 1, 1, 5], instrument).person(0)["index"] == pytest.approx(
        200 / 3
    )


def test_open_rule_scores_a_factor_from_half_its_items_but_not_from_fewer():
    instrument = make_instrument(reversed_items=frozenset())
    half = qwl_person_scores([5, NAN, 3, 3, 3, 3], instrument).person(0)
    none = qwl_person_scores([NAN, NAN, 3, 3, 3, 3], instrument).person(0)
    assert half["safety"] == 100.0 and half["index"] is not None
    assert none["safety"] is None and none["index"] is None
    assert none["belonging_competence"] == 50.0


def test_a_stricter_open_rule_needs_every_item_of_a_factor():
    strict = OpenQwlRule(min_answered_share=1.0)
    assert (
        qwl_person_scores([5, NAN, 3, 3, 3, 3], make_instrument(), strict).person(0)["safety"]
        is None
    )


def test_a_licensed_rule_can_replace_ours_without_other_changes():
    def licensed(answers, instrument):
        factors = np.full((answers.shape[0], 3), 42.0)
        return np.full(answers.shape[0], 77.0), factors

    result = grouped_qwl([1, 1, 2], np.full((3, 6), 3.0), make_instrument(), rule=licensed)
    assert result.index.mean.tolist() == [77.0, 77.0]
    assert result.factors["safety"].mean.tolist() == [42.0, 42.0]


def test_a_rule_returning_the_wrong_shapes_is_refused():
    def broken(answers, instrument):
        return np.zeros(1), np.zeros((1, 2))

    with pytest.raises(ScoringError, match="person rule"):
        qwl_person_scores(np.full((3, 6), 3.0), make_instrument(), rule=broken)


@pytest.mark.parametrize(
    "answers", [[0, 3, 3, 3, 3, 3], [6, 3, 3, 3, 3, 3], [np.inf, 3, 3, 3, 3, 3]]
)
def test_answers_off_the_scale_are_refused(answers):
    with pytest.raises(ScoringError, match="scale 1–5"):
        qwl_person_scores(answers, make_instrument())


def test_answers_with_the_wrong_number_of_items_are_refused():
    with pytest.raises(ScoringError, match="6 item columns"):
        qwl_person_scores([3, 3, 3], make_instrument())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (dict(factors=("safety",) * 6), "at least one item"),
        (
            dict(
                factors=("safety", "safety", "fun", "fun", "goals_creativity", "goals_creativity")
            ),
            "unknown",
        ),
        (dict(scale_min=5, scale_max=1), "below"),
        (dict(reversed_items=frozenset({"x9"})), "reversed_items"),
    ],
)
def test_an_inconsistent_instrument_is_refused(overrides, message):
    with pytest.raises(ScoringError, match=message):
        make_instrument(**overrides)


def test_unit_qwl_is_the_mean_of_person_indices_with_a_t_interval():
    answers = np.array(
        [[5, 1, 5, 5, 5, 5], [3, 3, 3, 3, 3, 3], [2, 4, 2, 2, 1, 1], [4, 2, 4, 3, 4, 4]]
    )
    indices = [qwl_person_scores(row, make_instrument()).person(0)["index"] for row in answers]
    expected = mean_interval(indices)
    result = qwl_interval(answers, make_instrument())
    assert (result.index.mean, result.index.low, result.index.high) == pytest.approx(
        (expected.mean, max(expected.low, 0.0), min(expected.high, 100.0))
    )
    assert set(result.factors) == set(FACTORS)


def test_unit_qwl_limits_stay_on_the_0_100_scale_for_tiny_units():
    result = qwl_interval([[5, 1, 5, 5, 5, 5], [1, 5, 1, 1, 1, 1]], make_instrument())
    assert result.index.low == 0.0 and result.index.high == 100.0


def test_a_unit_whose_persons_cannot_be_scored_has_no_qwl():
    result = grouped_qwl([4], [[NAN] * 6], make_instrument())
    assert result.index.rows() == [
        {"key": 4, "n": 0, "mean": None, "low": None, "high": None, "sd": None}
    ]


def test_qwl_from_stored_sums_equals_qwl_from_raw_answers():
    rng = np.random.default_rng(3)
    answers = rng.integers(1, 6, size=(40, 6)).astype(float)
    keys = rng.integers(0, 4, size=40)
    raw = grouped_qwl(keys, answers, make_instrument())
    index = qwl_person_scores(answers, make_instrument()).index.filled(np.nan)
    sums = MomentSums(*(np.bincount(keys, weights=w) for w in (np.ones(40), index, index**2)))
    stored = grouped_qwl_from_sums(sums, keys=np.arange(4))
    assert stored.index.rows() == [pytest.approx(row) for row in raw.index.rows()]


def test_grouped_mean_of_one_value_has_a_mean_but_no_interval():
    result = grouped_mean(np.array([1, 2, 2]), np.array([50.0, 40.0, 60.0]))
    assert result.rows()[0] == {
        "key": 1,
        "n": 1,
        "mean": 50.0,
        "low": None,
        "high": None,
        "sd": None,
    }
    assert result.rows()[1]["low"] < 50.0 < result.rows()[1]["high"]


def test_moment_sums_refuse_negative_or_fractional_counts():
    with pytest.raises(ScoringError, match="whole"):
        MomentSums([1.5], [3.0], [9.0])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 100), min_size=2, max_size=30), st.sampled_from([0.8, 0.9, 0.95, 0.99])
)
def test_mean_interval_contains_the_mean_and_widens_with_confidence(values, level):
    narrow, wide = mean_interval(values, level), mean_interval(values, 0.995)
    assert narrow.low <= narrow.mean + 1e-9 and narrow.mean <= narrow.high + 1e-9
    assert wide.low <= narrow.low + 1e-9 and wide.high >= narrow.high - 1e-9

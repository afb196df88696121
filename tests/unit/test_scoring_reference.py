"""Every reference vector in shared/reference/nps_vectors.json, reproduced to 0.01 points."""

import pytest

from survey_app.scoring import (
    mean_interval,
    nps_difference,
    nps_interval,
    welch_difference,
)
from tests.unit.reference import load_vectors

VECTORS = load_vectors()
METHOD_KEYS = {"score": "score", "adjusted-wald": "adjusted_wald", "wald": "wald"}
TOLERANCE = 0.01 + 1e-9


def _one_sample_cases():
    for group in ("published", "one_sample"):
        for number, case in enumerate(VECTORS[group]):
            for method, key in METHOD_KEYS.items():
                if key in case:
                    counts = case["detractors"], case["passives"], case["promoters"]
                    yield pytest.param(
                        case,
                        method,
                        key,
                        id=f"{group}{number}-{counts}-{case['confidence']}-{method}",
                    )


def test_the_reference_file_holds_every_expected_group_of_vectors():
    for group in (
        "published",
        "one_sample",
        "two_sample_adjusted_wald_z",
        "mean_t_interval",
        "welch_difference",
    ):
        assert VECTORS[group], group


@pytest.mark.parametrize(("case", "method", "key"), list(_one_sample_cases()))
def test_nps_interval_matches_the_reference_vector(case, method, key):
    result = nps_interval(
        case["detractors"],
        case["passives"],
        case["promoters"],
        confidence=case["confidence"],
        method=method,
    )
    low, high = case[key]
    assert result.low == pytest.approx(low, abs=TOLERANCE)
    assert result.high == pytest.approx(high, abs=TOLERANCE)
    if "value" in case:
        assert result.value == pytest.approx(case["value"], abs=TOLERANCE)


@pytest.mark.parametrize("case", VECTORS["two_sample_adjusted_wald_z"])
def test_adjusted_wald_difference_matches_the_reference_vector(case):
    result = nps_difference(case["a"], case["b"], case["confidence"], method="adjusted-wald")
    assert result.delta == pytest.approx(case["delta"], abs=TOLERANCE)
    assert (result.low, result.high) == pytest.approx(tuple(case["ci"]), abs=TOLERANCE)
    assert result.p == pytest.approx(case["p"], abs=0.0001 + 1e-9)


@pytest.mark.parametrize("case", VECTORS["mean_t_interval"])
def test_mean_t_interval_matches_the_reference_vector(case):
    result = mean_interval(case["values"], case["confidence"])
    assert result.mean == pytest.approx(case["mean"], abs=0.0001 + 1e-9)
    assert (result.low, result.high) == pytest.approx(tuple(case["ci"]), abs=0.0001 + 1e-9)


@pytest.mark.parametrize("case", VECTORS["welch_difference"])
def test_welch_difference_matches_the_reference_vector(case):
    result = welch_difference(case["a"], case["b"], case["confidence"])
    assert result.delta == pytest.approx(case["delta"], abs=0.0001 + 1e-9)
    assert (result.low, result.high) == pytest.approx(tuple(case["ci"]), abs=0.0001 + 1e-9)
    assert result.p == pytest.approx(case["p"], abs=0.0001 + 1e-9)
    assert result.df == pytest.approx(case["df"], abs=0.01)

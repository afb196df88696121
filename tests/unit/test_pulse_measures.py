"""The pulse instrument and the adapter to the QWL per-person rule of ``scoring``."""

from __future__ import annotations

import pytest

from survey_app.i18n import LANGUAGES
from survey_app.instruments import load_instrument, validate
from survey_app.services.pulse import MEASURES, person_measures

INSTRUMENT = load_instrument("staff-pulse", 1)


def _answers(value=None, **overrides):
    answers = {item.id: value for item in INSTRUMENT.items}
    answers.update(overrides)
    return answers


def test_the_staff_instrument_speaks_every_public_language_completely():
    assert set(INSTRUMENT.languages) == set(LANGUAGES)
    assert validate(INSTRUMENT.data) == []
    assert len(INSTRUMENT.items) == 15
    assert {factor: len(ids) for factor, ids in INSTRUMENT.factors.items()} == {
        "safety": 5, "belonging": 5, "goals": 5}


def test_measures_are_named_as_the_aggregates_store_them():
    assert MEASURES == ("qwl", "safety", "belonging", "goals")
    assert set(person_measures(INSTRUMENT, _answers(3))) == set(MEASURES)


@pytest.mark.parametrize("value, expected", [(1, 0.0), (3, 50.0), (4, 75.0), (5, 100.0)])
def test_uniform_answers_give_the_rescaled_value_everywhere(value, expected):
    assert person_measures(INSTRUMENT, _answers(value)) == pytest.approx(
        {name: expected for name in MEASURES})


def test_factors_weigh_the_same_in_the_index():
    safety = {item.id: 5 for item in INSTRUMENT.items if item.factor == "safety"}
    measures = person_measures(INSTRUMENT, _answers(1, **safety))
    assert measures["safety"] == 100.0 and measures["goals"] == 0.0
    assert measures["qwl"] == pytest.approx(100 / 3)


def test_cannot_say_is_left_out_and_too_few_answers_leave_a_factor_undefined():
    goals = [item.id for item in INSTRUMENT.items if item.factor == "goals"]
    some = person_measures(INSTRUMENT, _answers(5, **{goals[0]: None, goals[1]: None}))
    assert some["goals"] == 100.0 and some["qwl"] == 100.0
    most = person_measures(INSTRUMENT, _answers(5, **{g: None for g in goals[:3]}))
    assert most["goals"] is None and most["qwl"] is None and most["safety"] == 100.0
    assert person_measures(INSTRUMENT, _answers(None)) == {name: None for name in MEASURES}

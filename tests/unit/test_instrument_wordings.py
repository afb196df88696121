"""Alternative recommendation wordings in an instrument version (issue 15)."""

import copy

from survey_app.instruments import load_instrument, resident_wordings, validate

RESIDENT = load_instrument("resident-feedback", 1)


def test_the_experience_wording_exists_in_every_language_of_the_instrument():
    assert RESIDENT.wordings == ("experience",) and "experience" in resident_wordings()
    for lang in RESIDENT.languages:
        usual = RESIDENT.recommend_text(lang)
        other = RESIDENT.recommend_text(lang, "text", "experience")
        assert other and other != usual
        assert RESIDENT.recommend_text(lang, "low", "experience").startswith("0 =")
        assert RESIDENT.recommend_text(lang, "high", "experience").startswith("10 =")
    assert RESIDENT.recommend_text("en", "text", "experience") == \
        "Overall, how was your experience of our service?"


def test_no_wording_or_an_unknown_one_gives_the_recommendation_question():
    usual = RESIDENT.text("recommend", "sv")
    assert RESIDENT.recommend_text("sv") == usual
    assert RESIDENT.recommend_text("sv", "text", "nope") == usual


def test_an_alternative_missing_a_language_is_a_problem_of_the_file():
    data = copy.deepcopy(RESIDENT.data)
    del data["recommend"]["alternatives"]["experience"]["high"]["ar"]
    assert validate(data) == ["recommend.alternatives.experience.high has no ar text"]

"""Resident feedback use cases: surveys over unit subtrees, answers, posters."""

from survey_app.services.survey.responses import (
    CHANNELS,
    SELKO,
    Answers,
    AnswerValidationError,
    check_urlencoded_body,
    submit_response,
    validate_answers,
)
from survey_app.services.survey.surveys import (
    close_survey,
    list_resident_surveys,
    open_resident_survey,
    open_survey_for_unit,
    public_unit,
)

__all__ = [
    "CHANNELS",
    "SELKO",
    "AnswerValidationError",
    "Answers",
    "check_urlencoded_body",
    "close_survey",
    "list_resident_surveys",
    "open_resident_survey",
    "open_survey_for_unit",
    "public_unit",
    "submit_response",
    "validate_answers",
]

"""Resident feedback use cases: surveys over unit subtrees, answers, posters."""

from survey_app.services.survey.responses import (
    CHANNELS,
    SELKO,
    Answers,
    AnswerValidationError,
    check_urlencoded_body,
    validate_answers,
    validate_details,
)
from survey_app.services.survey.store import (
    Target,
    TargetCache,
    find_target,
    submit_response,
)
from survey_app.services.survey.surveys import (
    close_survey,
    list_resident_surveys,
    open_resident_survey,
    open_survey_for_unit,
    public_unit,
    survey_closed,
)

__all__ = [
    "CHANNELS",
    "SELKO",
    "Target",
    "TargetCache",
    "AnswerValidationError",
    "Answers",
    "check_urlencoded_body",
    "close_survey",
    "find_target",
    "list_resident_surveys",
    "open_resident_survey",
    "open_survey_for_unit",
    "public_unit",
    "submit_response",
    "survey_closed",
    "validate_answers",
    "validate_details",
]

"""Public resident questionnaire and kiosk (blueprint ``survey``)."""

from survey_app.survey import more  # noqa: F401  (the follow-up routes)
from survey_app.survey.views import bp

__all__ = ["bp"]

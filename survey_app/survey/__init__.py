"""Public resident questionnaire and kiosk (blueprint ``survey``)."""

from survey_app.survey.views import bp

__all__ = ["bp"]

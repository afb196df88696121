"""Public staff pulse questionnaire, reached through a single-use invitation link."""

from survey_app.pulse.views import bp

__all__ = ["bp"]

"""Single-use links sent after a visit (blueprint ``reach``): ``/r/<code>``."""

from survey_app.reach.views import bp

__all__ = ["bp"]

"""Public pages, no login: the front page and accessibility statement (`pages`) and the
service areas' rolling resident NPS (`areas`)."""

from survey_app.public import areas
from survey_app.public.pages import bp

__all__ = ["areas", "bp"]

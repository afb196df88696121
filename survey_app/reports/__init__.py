"""HR and manager report pages under ``/reports/`` (login, roles admin, hr, manager)."""

from survey_app.reports import workbench  # noqa: F401  (registers the workbench views)
from survey_app.reports.views import bp

__all__ = ["bp"]

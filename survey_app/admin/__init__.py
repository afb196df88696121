"""Administration in the browser: units, resident surveys, pulse rounds, invitations,
posters, users, API tokens and the audit log. Admins only; every action is audited."""

from survey_app.admin import audit_log, home, rounds, surveys, tokens, units, users  # noqa: F401
from survey_app.admin import releases  # noqa: F401
from survey_app.admin.blueprint import bp

__all__ = ["bp"]

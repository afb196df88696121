"""Administration in the browser: units, resident surveys, pulse rounds, invitations,
posters, users, API tokens and the audit log. Admins only; every action is audited."""

from survey_app.admin import (  # noqa: F401
    audit_log,
    home,
    mail,
    reach,
    releases,  # noqa: F401
    rounds,
    surveys,
    tokens,
    units,
    users,
)
from survey_app.admin.blueprint import bp

__all__ = ["bp"]

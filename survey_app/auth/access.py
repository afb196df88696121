"""Role guard for whole blueprints, and the scope of the current user."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from survey_app.errors import Forbidden
from survey_app.models import Role
from survey_app.services.access import Scope, scope_for


def require_roles(*roles: Role):
    """A ``before_request`` function: log in first, then the role must be one of ``roles``."""

    def guard():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            raise Forbidden()
        return None

    return guard


def current_scope() -> Scope:
    """The units the logged-in user may see."""
    return scope_for(current_user.role, [scope.unit for scope in current_user.scopes])

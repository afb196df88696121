"""Login, logout and the role guard shared by the report, admin and API blueprints."""

from __future__ import annotations

from flask import Flask

from survey_app.auth.access import require_roles
from survey_app.auth.views import bp

__all__ = ["bp", "init_app", "require_roles"]


def init_app(app: Flask) -> None:
    """Session loading for Flask-Login and the login routes."""
    from flask_babel import lazy_gettext

    from survey_app.db import get_session
    from survey_app.extensions import login_manager
    from survey_app.services.users import load_session_user

    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        return load_session_user(get_session(), session_id)

    app.register_blueprint(bp)

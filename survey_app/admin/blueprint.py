"""The ``admin`` blueprint under ``/admin/``, guarded for the admin role as a whole."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from survey_app.auth import require_roles
from survey_app.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
#: One guard for every admin page: anonymous users go to /login, other roles get 403.
bp.before_request(require_roles(Role.ADMIN))

#: Endpoints that take a file larger than the app-wide request limit.
UPLOAD_ENDPOINTS = frozenset({"admin.upload_units", "admin.mail_invite",
                              "admin.bulk_invitations"})
DEFAULT_UPLOAD_MAX_BYTES = 1024 * 1024


@bp.url_value_preprocessor
def allow_larger_uploads(endpoint, _values):
    """Raise the body limit for the unit file before anything (CSRF included) reads the form.

    URL value preprocessors run before every ``before_request`` function, which is why the
    limit is set here rather than in the view. Werkzeug's multipart parser also holds up to
    ``max_form_memory_size`` bytes of the stream in its buffer, so that limit rises with it.
    """
    if endpoint in UPLOAD_ENDPOINTS:
        limit = current_app.config.get("ADMIN_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)
        request.max_content_length = limit
        request.max_form_memory_size = limit


@bp.app_template_filter("closing_minute")
def closing_minute_filter(moment):
    """The last minute a round accepts answers (14.12. 23:59, not 15.12. 0:00)."""
    from survey_app.services.pulse.operations import closing_minute

    return closing_minute(moment)


@bp.context_processor
def admin_context() -> dict:
    """Names every admin template uses."""
    from flask_babel import gettext as _

    from survey_app.services.users import MIN_PASSWORD_LENGTH

    return {"role_names": {"admin": _("Administrator"), "hr": _("HR (all units)"),
                           "manager": _("Manager (chosen units)"),
                           "visits": _("Posts visits (patient system)")},
            "min_password": MIN_PASSWORD_LENGTH}

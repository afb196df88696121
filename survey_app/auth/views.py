"""``/login``, ``/logout`` and the report-language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from survey_app.db import get_session
from survey_app.extensions import limiter
from survey_app.forms import BaseForm
from survey_app.i18n import REPORT_LANGUAGES
from survey_app.models import Role
from survey_app.services.users import authenticate

bp = Blueprint("auth", __name__)


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField(lazy_gettext("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=200)])


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the form; on success go to ``next`` (same site only) or the reports."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = authenticate(get_session(), form.username.data, form.password.data)
        if result.user is not None:
            session.clear()
            login_user(result.user)
            home = url_for("admin.home" if result.user.role == Role.ADMIN
                           else "reports.overview")
            return redirect(_safe_next(request.args.get("next"), home))
        status = 429 if result.reason == "throttled" else 401
        if result.reason == "throttled":
            flash(_("Too many failed attempts. Try again in %(seconds)d seconds.",
                    seconds=result.retry_after), "error")
        else:
            flash(_("The username or password is not correct."), "error")
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End the session."""
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/ui-language")
def set_ui_language():
    """Remember the language chosen for the report and admin pages."""
    lang = request.form.get("lang", "")
    if lang in REPORT_LANGUAGES:
        session["ui_lang"] = lang
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None, default: str | None = None) -> str:
    """Only local paths, so the login page cannot be used to redirect elsewhere."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return default or url_for("public.index")

"""Users: list, create with a role and unit scopes, disable/enable, set a password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.admin.blueprint import bp
from survey_app.admin.common import (
    actor,
    form_errors,
    name_from_path,
    refuse,
    refuse_and_return,
    refuse_form,
    unit_choices,
)
from survey_app.admin.forms import ActionForm, PasswordForm, UserForm
from survey_app.db import get_session
from survey_app.errors import InvalidInput, NotFound, SurveyAppError
from survey_app.services import users as user_service


@bp.get("/users")
def users():
    """Every user with role, units and state."""
    return render_template("admin/users.html", users=user_service.list_users(get_session()))


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    """Create a user; managers need at least one unit."""
    form = UserForm()
    form.units.choices = unit_choices()
    if not form.validate_on_submit():
        if not form.is_submitted():
            return render_template("admin/user_new.html", form=form, errors=[])
        refuse_form("user.create", form)
        return render_template("admin/user_new.html", form=form, errors=form_errors(form)), 400
    try:
        user = user_service.create_user(get_session(), form.username.data, form.password.data,
                                        form.role.data, form.units.data or [], actor=actor())
    except SurveyAppError as error:
        refuse("user.create", error.message)
        return render_template("admin/user_new.html", form=form,
                               errors=[("username", error.message)]), error.status_code
    flash(_("User %(name)s was created.", name=user.username), "info")
    return redirect(url_for("admin.user", username=user.username), code=303)


@bp.get("/users/<username>")
def user(username: str):
    """One user: state, scopes, and the forms to disable/enable and set a password."""
    found = user_service.get_user(get_session(), name_from_path(username))
    return render_template("admin/user.html", user=found, password_form=PasswordForm(),
                           action_form=ActionForm(), errors=[])


@bp.post("/users/<username>/active")
def set_active(username: str):
    """Disable (ending their sessions) or enable a user."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user", username=username), code=303)
    active = request.form.get("active") == "1"
    try:
        if not active and username.lower() == actor().lower():
            raise InvalidInput(_("You cannot disable your own account."))
        found = user_service.set_active(get_session(), name_from_path(username), active,
                                        actor=actor())
    except SurveyAppError as error:
        return refuse_and_return("user.enable" if active else "user.disable", error,
                                 "admin.users")
    flash(_("User %(name)s is enabled.", name=found.username) if active
          else _("User %(name)s is disabled.", name=found.username), "info")
    return redirect(url_for("admin.user", username=found.username), code=303)


@bp.post("/users/<username>/password")
def set_password(username: str):
    """Set a new password; the user's old sessions end."""
    try:
        found = user_service.get_user(get_session(), name_from_path(username))
    except NotFound as error:
        refuse("user.set_password", error.message)
        raise
    form = PasswordForm()
    if not form.validate_on_submit():
        refuse_form("user.set_password", form)
        return render_template("admin/user.html", user=found, password_form=form,
                               action_form=ActionForm(), errors=form_errors(form)), 400
    try:
        user_service.set_password(get_session(), found.username, form.password.data,
                                  actor=actor())
    except SurveyAppError as error:
        refuse("user.set_password", error.message)
        return render_template("admin/user.html", user=found, password_form=form,
                               action_form=ActionForm(),
                               errors=[("password", error.message)]), error.status_code
    flash(_("The password of %(name)s was changed.", name=found.username), "info")
    return redirect(url_for("admin.user", username=found.username), code=303)

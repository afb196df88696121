"""API tokens: list, create (the secret shown once, in the answer to the POST), revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
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
from survey_app.admin.forms import ActionForm, TokenForm
from survey_app.db import get_session
from survey_app.errors import Conflict, SurveyAppError
from survey_app.services.api import tokens as token_service


def _token_form() -> TokenForm:
    form = TokenForm()
    form.units.choices = unit_choices()
    return form


def _tokens_page(form: TokenForm, status: int = 200, errors=None, created=None):
    page = render_template("admin/tokens.html", form=form, created=created,
                           tokens=token_service.list_tokens(get_session()),
                           errors=errors if errors is not None else form_errors(form))
    # The page that shows a new secret must not be kept by any cache.
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/tokens")
def tokens():
    """Every API token, and the form for a new one."""
    return _tokens_page(_token_form())


@bp.post("/tokens")
def create_token():
    """Create a token; its secret appears on this answer only and is stored nowhere."""
    form = _token_form()
    if not form.validate_on_submit():
        refuse_form("token.create", form)
        return _tokens_page(form, 400)
    try:
        created = token_service.create_token(get_session(), form.name.data, form.role.data,
                                             form.units.data or [], actor=actor())
    except SurveyAppError as error:
        refuse("token.create", error.message)
        return _tokens_page(form, error.status_code, [("name", error.message)])
    return _tokens_page(_token_form(), created=created)


@bp.post("/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    """Revoke a token for good."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.tokens"), code=303)
    try:
        session = get_session()
        token = token_service.get_token(session, name_from_path(token_id))
        if token.revoked:
            raise Conflict(_("The token %(name)s is already revoked.", name=token.name))
        token_service.revoke_token(session, token.id, actor=actor())
    except SurveyAppError as error:
        return refuse_and_return("token.revoke", error, "admin.tokens")
    flash(_("The token %(name)s is revoked; it no longer works.", name=token.name), "info")
    return redirect(url_for("admin.tokens"), code=303)

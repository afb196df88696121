"""Reaching people: SMS opt-in per unit, counters per unit, the outbox at a glance."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.admin.blueprint import bp
from survey_app.admin.common import (
    actor,
    name_from_path,
    now,
    refuse_and_return,
    refuse_form,
)
from survey_app.admin.forms import ActionForm
from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.periods import helsinki_day
from survey_app.services.reach import overview


@bp.get("/reach")
def reach():
    """Opt-ins, what was sent and what failed per unit (counts only, never numbers)."""
    session = get_session()
    return render_template("admin/reach.html", form=ActionForm(),
                           rows=overview.unit_overview(session, helsinki_day(now())),
                           states=overview.outbox_states(session))


@bp.post("/reach/units/<code>/sms")
def unit_sms(code: str):
    """Switch a unit's SMS asks on or off."""
    form = ActionForm()
    if not form.validate_on_submit():
        refuse_form("units.sms", form)
        return redirect(url_for("admin.reach"), code=303)
    enabled = request.form.get("sms") == "on"
    try:
        unit = overview.set_sms(get_session(), name_from_path(code), enabled, actor())
    except SurveyAppError as error:
        return refuse_and_return("units.sms", error, "admin.reach")
    flash(_("SMS asks after visits are on for %(code)s.", code=unit.code) if enabled else
          _("SMS asks after visits are off for %(code)s.", code=unit.code), "info")
    return redirect(url_for("admin.reach"), code=303)

"""Resident feedback: open and close collections over unit subtrees; poster downloads."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from survey_app.admin.blueprint import bp
from survey_app.admin.common import (
    actor,
    day_end,
    day_start,
    form_errors,
    instrument_choices,
    name_from_path,
    now,
    refuse,
    refuse_and_return,
    refuse_form,
    split_instrument,
    state_names,
    unit_choices,
)
from survey_app.admin.forms import ActionForm, PosterForm, ResidentSurveyForm
from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import audit
from survey_app.services import survey as survey_service
from survey_app.services.pulse import round_state
from survey_app.services.survey import posters


def _survey_form() -> ResidentSurveyForm:
    form = ResidentSurveyForm()
    form.unit.choices = unit_choices(active_only=True)
    form.instrument.choices = instrument_choices("resident")
    return form


def _surveys_page(form: ResidentSurveyForm, status: int = 200, errors=None):
    surveys = survey_service.list_resident_surveys(get_session())
    current = now()
    states = {survey.id: round_state(survey, current) for survey in surveys}
    return render_template("admin/surveys.html", form=form, surveys=surveys, states=states,
                           state_names=state_names(),
                           action_form=ActionForm(), errors=errors or form_errors(form)), status


@bp.get("/surveys")
def surveys():
    """Resident surveys, newest first, and the form to open one."""
    return _surveys_page(_survey_form())


@bp.post("/surveys")
def open_survey():
    """Open resident feedback for a subtree with an instrument version and days."""
    form = _survey_form()
    if not form.validate_on_submit():
        refuse_form("surveys.open", form)
        return _surveys_page(form, 400)
    key, version = split_instrument(form.instrument.data)
    try:
        survey = survey_service.open_resident_survey(
            get_session(), form.unit.data, key, version,
            day_start(form.opens.data) or now(), day_end(form.closes.data), actor=actor())
    except SurveyAppError as error:
        refuse("surveys.open", error.message)
        return _surveys_page(form, error.status_code, [("unit", error.message)])
    flash(_("Resident feedback %(code)s is open.", code=survey.code), "info")
    return redirect(url_for("admin.surveys"), code=303)


@bp.post("/surveys/<code>/close")
def close_survey(code: str):
    """Close a resident survey now."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.surveys"), code=303)
    try:
        survey = survey_service.close_survey(get_session(), name_from_path(code), now(),
                                             actor=actor())
    except SurveyAppError as error:
        return refuse_and_return("surveys.close", error, "admin.surveys")
    flash(_("Resident feedback %(code)s is closed.", code=survey.code), "info")
    return redirect(url_for("admin.surveys"), code=303)


def _poster_form() -> PosterForm:
    form = PosterForm()
    form.unit.choices = unit_choices(active_only=True)
    return form


@bp.route("/posters", methods=["GET", "POST"])
def poster():
    """Choose a unit and languages; the answer to the POST is the A4 SVG poster."""
    form = _poster_form()
    if not form.validate_on_submit():
        if not form.is_submitted():
            return render_template("admin/posters.html", form=form, errors=[])
        refuse_form("posters.download", form)
        return render_template("admin/posters.html", form=form, errors=form_errors(form)), 400
    try:
        codes = posters.parse_languages(",".join(form.languages.data))
        unit = survey_service.public_unit(get_session(), form.unit.data)
    except SurveyAppError as error:
        refuse("posters.download", error.message)
        return render_template("admin/posters.html", form=form,
                               errors=[("unit", error.message)]), error.status_code
    svg = posters.poster_svg(unit, codes)
    audit.record_now(get_session(), actor(), "posters.download",
                     f"unit {unit.code} languages {','.join(codes)}")
    return Response(svg, mimetype="image/svg+xml", headers={
        "Content-Disposition": f'attachment; filename="poster-{unit.code}.svg"'})

"""Pulse rounds (create, open, close) and invitation batches downloaded once."""

from __future__ import annotations

import csv
import io

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

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
from survey_app.admin.forms import ActionForm, InvitationBatchForm, ReopenForm, RoundForm
from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import pulse
from survey_app.services.pulse import operations


def _round_form() -> RoundForm:
    form = RoundForm()
    form.unit.choices = unit_choices(active_only=True)
    form.instrument.choices = instrument_choices("pulse")
    return form


def _rounds_page(form: RoundForm, status: int = 200, errors=None, overlaps=()):
    rounds = pulse.list_rounds(get_session(), now())
    return render_template("admin/rounds.html", form=form, rounds=rounds,
                           state_names=state_names(), overlaps=list(overlaps),
                           errors=errors or form_errors(form)), status


@bp.get("/rounds")
def rounds():
    """Every pulse round with its state and invitation counts, and the create form."""
    return _rounds_page(_round_form())


@bp.post("/rounds")
def create_round():
    """Create a pulse round over a unit subtree."""
    form = _round_form()
    if not form.validate_on_submit():
        refuse_form("round.create", form)
        return _rounds_page(form, 400)
    try:
        overlaps = operations.overlapping_rounds(get_session(), form.unit.data,
                                                 day_start(form.opens.data),
                                                 day_end(form.closes.data), now())
    except SurveyAppError as error:
        return _rounds_page(form, error.status_code, [("unit", error.message)])
    if overlaps and not form.confirm_overlap.data and \
            form.code.data.strip() not in {s.code for s in overlaps}:
        message = _("The new round overlaps %(rounds)s on some units. Check the box to create "
                    "it anyway.", rounds=", ".join(s.code for s in overlaps))
        return _rounds_page(form, 409, [(form.confirm_overlap.id, message)], overlaps)
    try:
        survey = pulse.create_round(
            get_session(), form.code.data.strip(), form.unit.data, day_start(form.opens.data),
            day_end(form.closes.data), split_instrument(form.instrument.data),
            form.title.data or "", actor=actor())
    except SurveyAppError as error:
        refuse("round.create", error.message)
        return _rounds_page(form, error.status_code, [("code", error.message)])
    flash(_("Pulse round %(code)s was created.", code=survey.code), "info")
    return redirect(url_for("admin.rounds"), code=303)


@bp.post("/rounds/<code>/open")
def open_round(code: str):
    """Open a round now (until its closing day, or a new one)."""
    form = ReopenForm()
    if not form.validate_on_submit():
        refuse_form("round.open", form)
        flash(" ".join(message for _id, message in form_errors(form)), "error")
        return redirect(url_for("admin.rounds"), code=303)
    try:
        survey = pulse.open_round(get_session(), name_from_path(code), now(),
                                  day_end(form.until.data), actor=actor())
    except SurveyAppError as error:
        return refuse_and_return("round.open", error, "admin.rounds")
    flash(_("Pulse round %(code)s is open.", code=survey.code), "info")
    return redirect(url_for("admin.rounds"), code=303)


@bp.get("/rounds/<code>/close")
def confirm_close_round(code: str):
    """Ask before closing: staff can no longer answer once it is closed."""
    survey = pulse.get_round(get_session(), name_from_path(code))
    return render_template("admin/round_close.html", survey=survey,
                           closes=operations.closing_minute(survey.closes_at))


@bp.get("/rounds/<code>")
def round_status(code: str):
    """A round's live response rate per unit (answers below k shown only as "fewer than k")."""
    session = get_session()
    survey = pulse.get_round(session, name_from_path(code))
    threshold = int(current_app.config["PRIVACY_MIN_STAFF"])
    return render_template("admin/round_status.html", survey=survey, threshold=threshold,
                           state=state_names()[pulse.round_state(survey, now())],
                           closes=operations.closing_minute(survey.closes_at),
                           rates=operations.response_rates(session, survey, threshold))


@bp.post("/rounds/<code>/close")
def close_round(code: str):
    """Close a round now, once the admin has confirmed it on the confirmation page."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.rounds"), code=303)
    if request.form.get("confirm") != "yes":
        refuse("round.close", "not confirmed")
        return redirect(url_for("admin.confirm_close_round", code=name_from_path(code)), 303)
    try:
        survey = pulse.close_round(get_session(), name_from_path(code), now(), actor=actor())
    except SurveyAppError as error:
        return refuse_and_return("round.close", error, "admin.rounds")
    flash(_("Pulse round %(code)s is closed.", code=survey.code), "info")
    return redirect(url_for("admin.rounds"), code=303)


def _batch_form() -> InvitationBatchForm:
    form = InvitationBatchForm()
    current = now()
    form.round.choices = [SelectChoice(r.code, f"{r.code} ({r.unit_code})")
                          for r in pulse.list_rounds(get_session(), current)
                          if r.state != pulse.CLOSED]
    form.unit.choices = unit_choices(active_only=True)
    return form


@bp.route("/invitations", methods=["GET", "POST"])
def invitations():
    """Create a batch; the CSV of its links is the answer to the POST and exists nowhere else."""
    form = _batch_form()
    if not form.validate_on_submit():
        if not form.is_submitted():
            return render_template("admin/invitations.html", form=form, errors=[])
        refuse_form("invitations.create", form)
        return render_template("admin/invitations.html", form=form,
                               errors=form_errors(form)), 400
    if not form.single_invitee.data and pulse.single_invitee_units(
            get_session(), form.round.data, {form.unit.data: form.count.data}):
        form.single_invitee.errors = [_(
            "The unit %(unit)s would have only one invitation in this round. Its answer "
            "would be that one person's answer: no one else's answers hide it, and whoever "
            "knows who was invited knows what they answered. Invite the unit together with "
            "a larger one if you can.", unit=form.unit.data)]
        return render_template("admin/invitations.html", form=form, confirm_single=True,
                               errors=form_errors(form)), 409
    try:
        links = pulse.create_invitation_links(
            get_session(), form.round.data, {form.unit.data: form.count.data},
            current_app.config["PUBLIC_BASE_URL"], form.lang.data, day_end(form.expires.data),
            now=now(), actor=actor())
    except SurveyAppError as error:
        refuse("invitations.create", error.message)
        return render_template("admin/invitations.html", form=form,
                               errors=[("unit", error.message)]), error.status_code
    return _links_download(form.round.data, form.unit.data, links)


def _links_download(round_code: str, unit_code: str, links: list[tuple[str, str]]) -> Response:
    """The links as a CSV attachment that no cache may keep."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["unit_code", "link"])
    writer.writerows(links)
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="invitations-{round_code}-{unit_code}.csv"',
        "Cache-Control": "no-store"})

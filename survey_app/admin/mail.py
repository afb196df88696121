"""Pulse invitations and reminders by e-mail, and links for many units from one upload."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from survey_app.admin.blueprint import bp
from survey_app.admin.common import actor, day_end, form_errors, now, refuse, refuse_form
from survey_app.admin.forms import MailInvitationForm, ReminderForm, SizesUploadForm
from survey_app.admin.rounds import _links_download
from survey_app.db import get_session
from survey_app.errors import SurveyAppError
from survey_app.services import pulse
from survey_app.services.reach import staff_mail


def _round_choices(states=(pulse.SCHEDULED, pulse.OPEN)) -> list[SelectChoice]:
    return [SelectChoice(r.code, f"{r.code} ({r.unit_code})")
            for r in pulse.list_rounds(get_session(), now()) if r.state in states]


def _forms() -> tuple[MailInvitationForm, ReminderForm]:
    invite, remind = MailInvitationForm(prefix="invite"), ReminderForm(prefix="remind")
    invite.round.choices = _round_choices()
    remind.round.choices = _round_choices((pulse.OPEN,))
    return invite, remind


def _page(invite, remind, errors=(), problems=(), status: int = 200):
    return render_template("admin/mail.html", invite=invite, remind=remind,
                           errors=list(errors), problems=list(problems)), status


@bp.get("/reach/mail")
def mail_invitations():
    """The e-mail invitation upload and the reminder form."""
    return _page(*_forms())


@bp.post("/reach/mail/invite")
def mail_invite():
    """Queue one e-mailed single-use link per person in the file (all or nothing)."""
    invite, remind = _forms()
    if not invite.validate_on_submit():
        refuse_form("mail.invite", invite)
        return _page(invite, remind, form_errors(invite), status=400)
    try:
        report = staff_mail.send_invitations(
            get_session(), invite.round.data, invite.file.data.read(),
            current_app.config["PUBLIC_BASE_URL"], now(), actor())
    except staff_mail.RecipientFileError as error:
        refuse("mail.invite", f"{len(error.problems)} problem(s)")
        return _page(invite, remind, [(invite.file.id, _("The file was refused; see the "
                                                         "lines below."))],
                     error.problems, 400)
    except SurveyAppError as error:
        refuse("mail.invite", error.message)
        return _page(invite, remind, [(invite.round.id, error.message)], status=400)
    flash(_("%(count)d invitations are queued for e-mail; %(already)d people were already "
            "invited.", count=report.queued, already=report.already_invited), "info")
    return redirect(url_for("admin.mail_invitations"), code=303)


@bp.post("/reach/mail/remind")
def mail_remind():
    """Queue reminders: to everyone by default, to non-respondents only when chosen."""
    invite, remind = _forms()
    if not remind.validate_on_submit():
        refuse_form("mail.remind", remind)
        return _page(invite, remind, form_errors(remind), status=400)
    try:
        report = staff_mail.send_reminders(get_session(), remind.round.data, now(),
                                           remind.audience.data == "non-respondents", actor())
    except SurveyAppError as error:
        refuse("mail.remind", error.message)
        return _page(invite, remind, [(remind.round.id, error.message)], status=400)
    flash(_("%(count)d reminders are queued for e-mail.", count=report.queued), "info")
    return redirect(url_for("admin.mail_invitations"), code=303)


@bp.route("/invitations/bulk", methods=["GET", "POST"])
def bulk_invitations():
    """Links for many units of a round from one ``unit_code,count`` upload, downloaded once."""
    form = SizesUploadForm()
    form.round.choices = _round_choices()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        if status == 400:
            refuse_form("invitations.create", form)
        return render_template("admin/invitations_bulk.html", form=form,
                               errors=form_errors(form)), status
    try:
        counts = pulse.parse_sizes(form.file.data.read())
        links = pulse.create_invitation_links(
            get_session(), form.round.data, counts, current_app.config["PUBLIC_BASE_URL"],
            form.lang.data, day_end(form.expires.data), now=now(), actor=actor())
    except SurveyAppError as error:
        refuse("invitations.create", error.message.split("\n")[0])
        return render_template("admin/invitations_bulk.html", form=form,
                               errors=[(form.file.id, line)
                                       for line in error.message.split("\n")]), 400
    return _links_download(form.round.data, "bulk", links)

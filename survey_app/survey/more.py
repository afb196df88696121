"""Completing a short answer: ``POST /<lang>/s/<unit_code>/more`` and ``/<lang>/k/…/more``.

The follow-up page (:func:`survey_app.survey.views._more_page`) holds a completion token; the
statements and the comment sent with it are added to that same answer, once
(:mod:`survey_app.services.survey.followup`). An expired token is a translated 410, a forged or
missing one a 400, an answer already completed a 409; invalid details show the follow-up page
again (400). Nothing is stored in any of those cases.
"""

from __future__ import annotations

from flask import current_app, redirect, request
from flask_babel import gettext as _

from survey_app.db import get_session
from survey_app.errors import Conflict, Gone, InvalidInput
from survey_app.extensions import csrf, limiter
from survey_app.instruments import load_instrument
from survey_app.services.survey import (
    AnswerValidationError,
    check_urlencoded_body,
    find_target,
    public_unit,
    validate_details,
)
from survey_app.services.survey.followup import complete_response, completion_secret
from survey_app.survey.views import (
    TOKEN,
    URLENCODED,
    _kiosk_limit,
    _more_page,
    _page_context,
    _submit_limit,
    _url,
    bp,
)


@bp.post("/<lang>/s/<unit_code>/more")
@limiter.limit(_submit_limit)
@csrf.exempt
def more(lang: str, unit_code: str):
    """Complete a short answer with statements and a comment."""
    return complete(unit_code, kiosk=False)


@bp.post("/<lang>/k/<unit_code>/more")
@limiter.limit(_kiosk_limit)
@csrf.exempt
def kiosk_more(lang: str, unit_code: str):
    """Complete a kiosk's short answer ("Done")."""
    return complete(unit_code, kiosk=True)


def complete(unit_code: str, kiosk: bool):
    """Validate and add the statements and comment to the short answer of the token."""
    endpoint = "survey.kiosk" if kiosk else "survey.questionnaire"
    raw = request.get_data(cache=True) if request.mimetype == URLENCODED else b""
    if current_app.config["WTF_CSRF_ENABLED"] and not kiosk:
        csrf.protect()
    secret, expired = completion_secret(request.form.get(TOKEN))
    if secret is None:
        if expired:
            raise Gone(_("The time for adding to this answer has passed. Your answer to the "
                         "first question was saved. Thank you!"))
        raise InvalidInput(_("This page cannot add to an answer. Your answer to the first "
                             "question, if you sent it, was saved."))
    session = get_session()
    target = find_target(session, unit_code, current_app.extensions["survey_targets"])
    instrument = load_instrument(target.instrument_key, target.instrument_version)
    try:
        check_urlencoded_body(raw)
        details = validate_details(instrument, request.form)
    except AnswerValidationError as error:
        unit = public_unit(session, unit_code)
        context = _page_context(endpoint, unit_code, kiosk, unit=unit)
        return _more_page(unit, instrument, context, kiosk, request.form.get(TOKEN),
                          error.errors, error.values, 400)
    if not complete_response(session, secret, details):
        raise Conflict(_("This answer has already been completed. Thank you!"))
    context = _page_context(endpoint, unit_code, kiosk, chooser=False)
    return redirect(_url("survey.kiosk_thanks" if kiosk else "survey.thanks", unit_code,
                         context["query"]), 303)

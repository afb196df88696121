"""``/r/<code>``: the questionnaire behind a single-use SMS (or e-mail) link.

GET shows the unit's questionnaire in the visit's language; POST stores the answer with
channel ``invited`` and spends the code in the same transaction (a second POST, or a click
after expiry, gets a translated 410 page). The code travels only in the URL path, never in a
cookie, a log line or the stored answer.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from survey_app.db import get_session
from survey_app.extensions import csrf, limiter
from survey_app.instruments import load_instrument
from survey_app.services.reach import codes, counts, outbox
from survey_app.services.survey import (
    AnswerValidationError,
    Target,
    check_urlencoded_body,
    open_survey_for_unit,
    public_unit,
    submit_response,
    survey_closed,
    validate_answers,
)

bp = Blueprint("reach", __name__)
HONEYPOT = "website"
URLENCODED = "application/x-www-form-urlencoded"


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_SUBMIT"]


def _now() -> datetime:
    return datetime.now(UTC)


@bp.get("/r/dlr")
def delivery_report():
    """Kannel's delivery report: counted per unit and day, never stored per number."""
    unit, signature = request.args.get("u", ""), request.args.get("s", "")
    kind = request.args.get("type", "")
    if not unit.isdigit() or not kind.isdigit() or len(unit) > 9 or len(kind) > 3 or \
            not hmac.compare_digest(signature, outbox.dlr_signature(int(unit))):
        return "", 404
    counts.count_delivery_report(get_session(), _now(), int(unit), int(kind))
    return "", 204


@bp.route("/r/<code>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
@csrf.exempt
def answer(code: str):
    """The questionnaire of the code's unit, in the code's language."""
    session = get_session()
    code = code.strip().lower()
    language = codes.language_of(session, code)
    if language:
        g.lang = language  # pages about this code, errors included, speak its language
    target = codes.resolve(session, code, _now())
    unit = public_unit(session, target.unit.code)
    survey = open_survey_for_unit(session, unit)
    instrument = load_instrument(survey.instrument_key, survey.instrument_version)
    instrument_lang = target.language if target.language in instrument.languages else "fi"
    if request.method == "POST":
        raw = request.get_data(cache=True) if request.mimetype == URLENCODED else b""
        if current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()
        thanks = url_for("survey.thanks", lang=target.language, unit_code=unit.code)
        if current_app.config.get("HONEYPOT_ENABLED", True) and request.form.get(HONEYPOT):
            return redirect(thanks, 303)
        try:
            check_urlencoded_body(raw)
            answers = validate_answers(instrument, request.form)
        except AnswerValidationError as error:
            return _page(unit, instrument, instrument_lang, code, error.errors, error.values,
                         400)
        stored = submit_response(session, Target.of(unit, survey), instrument_lang, "invited",
                                 answers, spend=codes.spender(code, _now()))
        if stored is None:
            raise survey_closed()
        return redirect(thanks, 303)
    return _page(unit, instrument, instrument_lang, code)


def _page(unit, instrument, instrument_lang: str, code: str, errors=(), values=None,
          status: int = 200):
    response = render_template(
        "survey/questionnaire.html", unit=unit, instrument=instrument, errors=list(errors),
        values=values or {}, honeypot=HONEYPOT, kiosk=False, chooser=[], query={"code": code},
        instrument_lang=instrument_lang, channel="invited", selko=False)
    return response, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

"""The resident questionnaire on a phone or PC, and the waiting-room kiosk.

URLs (``<lang>`` is one of :data:`survey_app.i18n.LANGUAGES`):

- ``/<lang>/s/<unit_code>`` — the questionnaire; GET shows it, POST stores the answer and
  answers 303 to ``/<lang>/s/<unit_code>/thanks``. ``?ch=sms|qr|web|email|paper`` records the
  channel (default and fallback ``web``).
- ``/<lang>/k/<unit_code>`` — the kiosk (channel ``kiosk``): large targets, the recommendation
  first; its thank-you page returns to the start by itself with a meta refresh (no JavaScript).
- ``/s/<unit_code>`` and ``/k/<unit_code>`` without a language redirect by Accept-Language.
- The POST views are exempt from the global CSRF check and call ``csrf.protect()`` themselves
  (when ``WTF_CSRF_ENABLED``), right after reading the raw body: a body that is not UTF-8 must
  be seen before Werkzeug parses (and silently mangles) it.
- Plain Finnish (selkosuomi) is a variant of the Finnish page: ``/fi/s/<unit_code>?variant=selko``
  (and ``/fi/k/…?variant=selko``). The UI stays Finnish, the questionnaire texts come from the
  instrument's ``fi-x-selko`` language, and the answer is stored with language ``fi-x-selko``.
  ``variant`` is ignored with any other language.

Unknown or staff-only unit → 404; no open resident survey covering the unit → 410; invalid
answers → the form again with an error summary, status 400, nothing stored; a filled honeypot →
the usual 303 to the thank-you page, nothing stored.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from survey_app.db import get_session
from survey_app.extensions import csrf, limiter
from survey_app.i18n import LANGUAGES
from survey_app.instruments import load_instrument
from survey_app.services.survey import (
    CHANNELS,
    SELKO,
    AnswerValidationError,
    TargetCache,
    check_urlencoded_body,
    find_target,
    open_survey_for_unit,
    public_unit,
    submit_response,
    survey_closed,
    validate_answers,
)

bp = Blueprint("survey", __name__)


@bp.record_once
def _target_cache(state) -> None:
    """One cache of submission targets per application (per worker process)."""
    seconds = float(state.app.config.get("SUBMIT_TARGET_CACHE_SECONDS", 0))
    state.app.extensions["survey_targets"] = TargetCache(seconds)

#: Name of the honeypot field: hidden from people, tempting for form-filling bots.
HONEYPOT = "website"
#: Seconds the kiosk thank-you screen stays before returning to the start (config
#: ``KIOSK_RETURN_SECONDS`` overrides it).
KIOSK_RETURN_SECONDS = 10
URLENCODED = "application/x-www-form-urlencoded"


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_SUBMIT"]


def _kiosk_limit() -> str:
    # A waiting-room tablet sends every visitor's answer from one address.
    return current_app.config["RATELIMIT_KIOSK"]


@bp.get("/s/<unit_code>")
def negotiate(unit_code: str):
    """Send a language-less link to the resident's preferred language (Accept-Language)."""
    return _negotiated_redirect("survey.questionnaire", unit_code)


@bp.get("/k/<unit_code>")
def negotiate_kiosk(unit_code: str):
    """The kiosk without a language prefix, by Accept-Language."""
    return _negotiated_redirect("survey.kiosk", unit_code)


@bp.route("/<lang>/s/<unit_code>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
@csrf.exempt
def questionnaire(lang: str, unit_code: str):
    """The questionnaire: GET shows it, POST validates and stores an answer."""
    return _answer_page(unit_code, kiosk=False)


@bp.route("/<lang>/k/<unit_code>", methods=["GET", "POST"])
@limiter.limit(_kiosk_limit, methods=["POST"])
@csrf.exempt
def kiosk(lang: str, unit_code: str):
    """The waiting-room kiosk: the same questionnaire with large targets, channel ``kiosk``."""
    return _answer_page(unit_code, kiosk=True)


@bp.get("/<lang>/s/<unit_code>/thanks")
def thanks(lang: str, unit_code: str):
    """Thank-you page after an answer."""
    unit = public_unit(get_session(), unit_code)
    return render_template("survey/thanks.html", unit=unit, kiosk=False,
                           **_page_context("survey.thanks", unit_code, kiosk=False))


@bp.get("/<lang>/k/<unit_code>/thanks")
def kiosk_thanks(lang: str, unit_code: str):
    """Kiosk thank-you screen; a meta refresh returns to the start for the next resident."""
    unit = public_unit(get_session(), unit_code)
    context = _page_context("survey.kiosk_thanks", unit_code, kiosk=True)
    start = url_for("survey.kiosk", unit_code=unit_code, **context["query"])
    return render_template("survey/thanks.html", unit=unit, kiosk=True, start_url=start,
                           return_seconds=int(current_app.config.get("KIOSK_RETURN_SECONDS",
                                                                     KIOSK_RETURN_SECONDS)),
                           **context)


def _answer_page(unit_code: str, kiosk: bool):
    endpoint = "survey.kiosk" if kiosk else "survey.questionnaire"
    if request.method == "POST":
        return _submit(unit_code, kiosk, endpoint)
    session = get_session()
    unit = public_unit(session, unit_code)
    survey = open_survey_for_unit(session, unit)
    instrument = load_instrument(survey.instrument_key, survey.instrument_version)
    context = _page_context(endpoint, unit_code, kiosk)
    return _form_page(unit, instrument, context, kiosk)


def _submit(unit_code: str, kiosk: bool, endpoint: str):
    """Validate and store a POSTed answer: 303 to the thank-you page, or the form with errors.

    The unit and its open survey come from the worker's short-lived target cache; the write
    re-checks them, and when they no longer hold they are looked up afresh (404, 410, or the
    answer stored in the survey now open, validated again if its instrument differs).
    """
    cache = current_app.extensions["survey_targets"]
    target = find_target(get_session(), unit_code, cache)
    instrument = load_instrument(target.instrument_key, target.instrument_version)
    # The chooser's nine links are built only when a page is rendered, not for a 303.
    context = _page_context(endpoint, unit_code, kiosk, chooser=False)
    thanks_url = url_for("survey.kiosk_thanks" if kiosk else "survey.thanks",
                         unit_code=unit_code, **context["query"])
    raw = request.get_data(cache=True) if request.mimetype == URLENCODED else b""
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    if current_app.config.get("HONEYPOT_ENABLED", True) and request.form.get(HONEYPOT):
        return redirect(thanks_url, 303)
    try:
        check_urlencoded_body(raw)
        answers = validate_answers(instrument, request.form)
        stored = submit_response(get_session(), target, _answer_language(context, instrument),
                                 context["channel"], answers)
        if stored is None:
            cache.forget(unit_code)
            fresh = find_target(get_session(), unit_code, cache)
            if (fresh.instrument_key, fresh.instrument_version) != \
                    (instrument.key, instrument.version):
                instrument = load_instrument(fresh.instrument_key, fresh.instrument_version)
                answers = validate_answers(instrument, request.form)
            if submit_response(get_session(), fresh, _answer_language(context, instrument),
                               context["channel"], answers) is None:
                raise survey_closed()
    except AnswerValidationError as error:
        unit = public_unit(get_session(), unit_code)
        context["chooser"] = _page_context(endpoint, unit_code, kiosk)["chooser"]
        return _form_page(unit, instrument, context, kiosk, error.errors, error.values, 400)
    return redirect(thanks_url, 303)


def _answer_language(context: dict, instrument) -> str:
    """The questionnaire language; an instrument version without it shows its Finnish texts."""
    lang = context["instrument_lang"]
    return lang if lang in instrument.languages else "fi"


def _form_page(unit, instrument, context: dict, kiosk: bool, errors=(), values=None,
               status: int = 200):
    context["instrument_lang"] = _answer_language(context, instrument)
    return render_template("survey/questionnaire.html", unit=unit, instrument=instrument,
                           errors=list(errors), values=values or {}, honeypot=HONEYPOT,
                           kiosk=kiosk, **context), status


def _page_context(endpoint: str, unit_code: str, kiosk: bool, chooser: bool = True) -> dict:
    """Channel, variant, instrument language and (unless not needed) the language chooser."""
    lang = request.view_args["lang"]
    channel = "kiosk" if kiosk else request.args.get("ch", "web")
    if channel not in CHANNELS or (channel == "kiosk") != kiosk:
        channel = "web"
    selko = lang == "fi" and request.args.get("variant") == "selko"
    query = {} if kiosk or channel == "web" else {"ch": channel}
    context = {"channel": channel, "query": dict(query), "selko": selko,
               "instrument_lang": SELKO if selko else lang}
    if selko:
        context["query"]["variant"] = "selko"
    if chooser:
        context["chooser"] = _chooser(endpoint, unit_code, query, lang, selko)
    return context


def _chooser(endpoint: str, unit_code: str, query: dict, lang: str, selko: bool) -> list:
    """Links to the same page in every language and in plain Finnish, keeping the channel."""
    links = [(url_for(endpoint, lang=code, unit_code=unit_code, **query), code, name,
              code == lang and not selko) for code, name in _chooser_names()]
    links.insert(1, (url_for(endpoint, lang="fi", unit_code=unit_code, variant="selko",
                             **query), "fi", "Selkosuomi", selko))
    return links


def _chooser_names() -> list[tuple[str, str]]:
    from survey_app.i18n import NATIVE_NAMES

    return [(code, NATIVE_NAMES[code]) for code in LANGUAGES]


def _negotiated_redirect(endpoint: str, unit_code: str):
    lang = request.accept_languages.best_match(LANGUAGES) or \
        current_app.config["BABEL_DEFAULT_LOCALE"]
    query = {key: value for key, value in request.args.items() if key in ("ch", "variant")}
    return redirect(url_for(endpoint, lang=lang, unit_code=unit_code, **query), 302)

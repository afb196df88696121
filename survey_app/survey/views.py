"""The resident questionnaire on a phone or PC, and the waiting-room kiosk.

URLs (``<lang>`` is one of :data:`survey_app.i18n.LANGUAGES`):

- ``/<lang>/s/<unit_code>`` — the questionnaire; GET shows it, POST stores the answer and
  answers 303 to ``/<lang>/s/<unit_code>/thanks``. ``?ch=sms|qr|web|email|paper`` records the
  channel (default and fallback ``web``).
- ``/<lang>/k/<unit_code>`` — the kiosk (channel ``kiosk``): large targets, the recommendation
  first; its thank-you page returns to the start by itself with a meta refresh (no JavaScript).
- The short path: question 1 has its own Send. An answer with the 0–10 choice alone is
  stored at once and answered with a follow-up page offering the statements and the comment
  ("tell us more"); ``POST /<lang>/s/<unit_code>/more`` (and ``/k/…/more``, in
  :mod:`survey_app.survey.more`) completes that same answer through a token only that page
  holds (:mod:`survey_app.services.survey.followup`).
  A complete answer goes straight to the thank-you page. Either way one answer is stored.
- The kiosk's first screen is the 0–10 question alone, eleven large buttons that send the
  answer at one tap; the follow-up page ends in a clear "Done". The kiosk's own language
  comes from ``?lang=`` in the address the tablet opens (kept in every kiosk link), else the
  unit's ``kiosk_lang``, else the default locale. After the thank-you page, and after
  ``KIOSK_IDLE_SECONDS`` without input on any kiosk page, it returns to a blank form in that
  language, never the last visitor's. A small script restarts the idle time on every input;
  without JavaScript a ``<noscript>`` meta refresh returns that long after the page loaded
  (only the follow-up's unsent extras can be lost: the 0–10 answer is already stored).
  Kiosk pages set no cookie (no CSRF session: the signed form handle proves the kiosk served
  the form) and every form has ``autocomplete="off"``.
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

from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.db import get_session
from survey_app.errors import InvalidInput
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
from survey_app.services.survey.followup import (
    FORM_SECONDS,
    completion_token,
    form_secret,
    new_form_handle,
    response_id_for,
)
from survey_app.survey.kiosk_return import kiosk_return

bp = Blueprint("survey", __name__)
bp.add_app_template_global(kiosk_return)


@bp.record_once
def _target_cache(state) -> None:
    """One cache of submission targets per application (per worker process)."""
    seconds = float(state.app.config.get("SUBMIT_TARGET_CACHE_SECONDS", 0))
    state.app.extensions["survey_targets"] = TargetCache(seconds)

#: Name of the honeypot field: hidden from people, tempting for form-filling bots.
HONEYPOT = "website"
#: Hidden fields of the short path: the form's handle and the follow-up's completion token.
HANDLE = "handle"
TOKEN = "token"
#: Default seconds without input before a kiosk page returns to a blank form.
KIOSK_IDLE_SECONDS = 60
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


@bp.after_request
def _no_store(response):
    """Pages carry a form handle or a completion token: never keep them in a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


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
    context = _page_context("survey.kiosk_thanks", unit_code, kiosk=True, unit=unit)
    seconds = int(current_app.config.get("KIOSK_RETURN_SECONDS", KIOSK_RETURN_SECONDS))
    context["idle_seconds"] = seconds
    return render_template("survey/thanks.html", unit=unit, kiosk=True,
                           start_url=context["home_url"], return_seconds=seconds, **context)


def _answer_page(unit_code: str, kiosk: bool):
    endpoint = "survey.kiosk" if kiosk else "survey.questionnaire"
    if request.method == "POST":
        return _submit(unit_code, kiosk, endpoint)
    session = get_session()
    unit = public_unit(session, unit_code)
    survey = open_survey_for_unit(session, unit)
    instrument = load_instrument(survey.instrument_key, survey.instrument_version)
    context = _page_context(endpoint, unit_code, kiosk, unit=unit)
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
    thanks_url = _url("survey.kiosk_thanks" if kiosk else "survey.thanks", unit_code,
                      context["query"])
    raw = request.get_data(cache=True) if request.mimetype == URLENCODED else b""
    secret = _check_form(kiosk)
    if current_app.config.get("HONEYPOT_ENABLED", True) and request.form.get(HONEYPOT):
        return redirect(thanks_url, 303)
    response_id = response_id_for(secret) if secret else None
    try:
        check_urlencoded_body(raw)
        answers = validate_answers(instrument, request.form)
        stored = submit_response(get_session(), target, _answer_language(context, instrument),
                                 context["channel"], answers, response_id=response_id)
        if stored is None:
            cache.forget(unit_code)
            fresh = find_target(get_session(), unit_code, cache)
            if (fresh.instrument_key, fresh.instrument_version) != \
                    (instrument.key, instrument.version):
                instrument = load_instrument(fresh.instrument_key, fresh.instrument_version)
                answers = validate_answers(instrument, request.form)
            if submit_response(get_session(), fresh, _answer_language(context, instrument),
                               context["channel"], answers, response_id=response_id) is None:
                raise survey_closed()
    except AnswerValidationError as error:
        unit = public_unit(get_session(), unit_code)
        context = _page_context(endpoint, unit_code, kiosk, unit=unit)
        return _form_page(unit, instrument, context, kiosk, error.errors, error.values, 400)
    if secret and answers.short:
        # The short path: thank, and offer the rest of the questionnaire for the same answer.
        unit = public_unit(get_session(), unit_code)
        context = _page_context(endpoint, unit_code, kiosk, unit=unit)
        return _more_page(unit, instrument, context, kiosk, completion_token(secret))
    return redirect(thanks_url, 303)


def _check_form(kiosk: bool) -> str | None:
    """CSRF check, and the random part of the form's handle (None without a valid one).

    The phone form has the usual CSRF token. The kiosk sets no cookie, so its proof is the
    signed handle itself: a form this server made within ``FORM_SECONDS``.
    """
    handle = request.form.get(HANDLE)
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return form_secret(handle)
    if not kiosk:
        csrf.protect()
        return form_secret(handle)
    secret = form_secret(handle, max_age=FORM_SECONDS)
    if secret is None:
        raise InvalidInput(_("This form is too old to send. Please answer again."))
    return secret


def _more_page(unit, instrument, context: dict, kiosk: bool, token: str, errors=(),
               values=None, status: int = 200):
    """The follow-up page: thanks for the 0–10 answer, then the optional statements."""
    context["instrument_lang"] = _answer_language(context, instrument)
    action = _url("survey.kiosk_more" if kiosk else "survey.more", unit.code, context["query"])
    return render_template("survey/more.html", unit=unit, instrument=instrument,
                           errors=list(errors), values=values or {}, kiosk=kiosk, token=token,
                           action=action, **context), status


def _answer_language(context: dict, instrument) -> str:
    """The questionnaire language; an instrument version without it shows its Finnish texts."""
    lang = context["instrument_lang"]
    return lang if lang in instrument.languages else "fi"


def _form_page(unit, instrument, context: dict, kiosk: bool, errors=(), values=None,
               status: int = 200):
    context["instrument_lang"] = _answer_language(context, instrument)
    return render_template("survey/questionnaire.html", unit=unit, instrument=instrument,
                           errors=list(errors), values=values or {}, honeypot=HONEYPOT,
                           kiosk=kiosk, handle=new_form_handle(),
                           action=_url(request.endpoint, unit.code, context["query"]),
                           **context), status


def _page_context(endpoint: str, unit_code: str, kiosk: bool, chooser: bool = True,
                  unit=None) -> dict:
    """Channel, variant, instrument language, the chooser and, in a kiosk, its way home."""
    lang = request.view_args["lang"]
    channel = "kiosk" if kiosk else request.args.get("ch", "web")
    if channel not in CHANNELS or (channel == "kiosk") != kiosk:
        channel = "web"
    selko = lang == "fi" and request.args.get("variant") == "selko"
    query = {} if kiosk or channel == "web" else {"ch": channel}
    home = request.args.get("lang") if kiosk else None
    if home in LANGUAGES:
        query["lang"] = home      # the kiosk's own language, fixed in its address
    context = {"channel": channel, "query": dict(query), "selko": selko,
               "instrument_lang": SELKO if selko else lang}
    if selko:
        context["query"]["variant"] = "selko"
    if chooser:
        context["chooser"] = _chooser(endpoint, unit_code, query, lang, selko)
    if kiosk and unit is not None:
        home = query.get("lang") or (unit.kiosk_lang if unit.kiosk_lang in LANGUAGES else None) \
            or current_app.config["BABEL_DEFAULT_LOCALE"]
        context["home_url"] = _url("survey.kiosk", unit_code, query, lang=home)
        context["idle_seconds"] = int(current_app.config.get("KIOSK_IDLE_SECONDS",
                                                             KIOSK_IDLE_SECONDS))
    return context


def _url(endpoint: str, unit_code: str, query: dict, lang: str | None = None) -> str:
    """A survey page's address with its query (``lang`` there is the kiosk's language)."""
    base = url_for(endpoint, unit_code=unit_code, **({"lang": lang} if lang else {}))
    return f"{base}?{urlencode(query)}" if query else base


def _chooser(endpoint: str, unit_code: str, query: dict, lang: str, selko: bool) -> list:
    """Links to the same page in every language and in plain Finnish, keeping the channel."""
    links = [(_url(endpoint, unit_code, query, lang=code), code, name,
              code == lang and not selko) for code, name in _chooser_names()]
    links.insert(1, (_url(endpoint, unit_code, {"variant": "selko", **query}, lang="fi"), "fi",
                     "Selkosuomi", selko))
    return links


def _chooser_names() -> list[tuple[str, str]]:
    from survey_app.i18n import NATIVE_NAMES

    return [(code, NATIVE_NAMES[code]) for code in LANGUAGES]


def _negotiated_redirect(endpoint: str, unit_code: str):
    lang = request.accept_languages.best_match(LANGUAGES) or \
        current_app.config["BABEL_DEFAULT_LOCALE"]
    query = {key: value for key, value in request.args.items() if key in ("ch", "variant")}
    home = request.args.get("lang")
    if endpoint == "survey.kiosk" and home in LANGUAGES:
        # A kiosk link with its own language opens in that language, whatever the browser says.
        lang, query = home, {**query, "lang": home}
    return redirect(_url(endpoint, unit_code, query, lang=lang), 302)

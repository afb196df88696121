"""``/<lang>/p/<token>``: the pulse questionnaire and its thank-you page; and the anonymity page
of both surveys (``/<lang>/p/anonymity``, linked from every page's footer).

The token sits in the URL, so these views never log the path, every page sends
``Referrer-Policy: no-referrer`` (security.py) and ``Cache-Control: no-store``, and the
werkzeug request log gets a filter that masks the token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import get_datetime_format
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from markupsafe import Markup
from wtforms.validators import ValidationError

from survey_app.db import get_session
from survey_app.extensions import csrf
from survey_app.i18n import LANGUAGES
from survey_app.privacy import Thresholds
from survey_app.services import pulse
from survey_app.services.pulse.operations import closing_minute

bp = Blueprint("pulse", __name__)

@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<lang>/p/anonymity")
def anonymity(lang: str):
    """What is stored about a resident's or an employee's answer and what is not, and the
    reporting thresholds (the page for both surveys, linked from every page's footer)."""
    config = current_app.config
    thresholds = Thresholds.from_config(config)
    return render_template("pulse/anonymity.html", min_staff=thresholds.staff,
                           min_resident=thresholds.resident, min_comments=thresholds.comments,
                           mark_batch=pulse.mark_batch(config),
                           guards_in_database=pulse.guards_in_database())


@bp.get("/<lang>/p/thanks")
def thanks(lang: str):
    """Shown after an answer was stored."""
    return render_template("pulse/thanks.html")


@bp.route("/<lang>/p/<token>", methods=["GET", "POST"])
@csrf.exempt
def questionnaire(lang: str, token: str):
    """The questionnaire; a valid POST stores the answer and redirects (303) to thanks."""
    session = get_session()
    now = datetime.now(UTC)
    try:
        opened = pulse.open_invitation(session, token, now)
        if request.method == "POST":
            _check_csrf()
            pulse.submit(session, token, pulse.parse_answer(opened.instrument, request.form), now)
            return redirect(url_for(".thanks"), 303)
    except pulse.AnswerErrors as problem:
        return _questionnaire(opened, token, problem.errors), 400
    except (pulse.UnknownInvitation, pulse.InvitationUsed, pulse.RoundNotOpen,
            pulse.InvitationExpired) as problem:
        session.rollback()
        return _status_page(problem)
    return _questionnaire(opened, token, [])


def _status_page(problem):
    """A translated page for an unusable invitation, with the round's dates if it is not open."""
    opens = closes = None
    if isinstance(problem, pulse.RoundNotOpen):
        opens = local_moment(problem.opens_at)
        closes = local_moment(closing_minute(problem.closes_at)) if problem.closes_at else "–"
    return render_template("pulse/status.html", problem=problem, status=problem.status_code,
                           opens=opens, closes=closes), problem.status_code


def local_moment(moment: datetime) -> str:
    """Day and minute in Europe/Helsinki, in the page's locale (no seconds, no offset)."""
    pattern = get_datetime_format("long", locale=get_locale())
    return pattern.replace("{1}", format_date(moment, "long")).replace(
        "{0}", format_time(moment, "short"))


def _unit_name(unit, lang: str) -> Markup:
    """The unit's name, marked as Finnish where the unit has no name in ``lang``."""
    name = unit.name(lang)
    if lang in ("fi", "sv", "en") or name != unit.name_fi:
        return Markup("<strong>{}</strong>").format(name)
    return Markup('<strong lang="fi" dir="ltr">{}</strong>').format(name)


def _check_csrf() -> None:
    """Flask-WTF's CSRF check, answered on the form itself so no answer is lost."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        raise pulse.AnswerErrors([("submit", _(
            "The form had expired. Your answers are still on the page; please send them "
            "again."))]) from None


def _questionnaire(opened: pulse.OpenInvitation, token: str, errors: list[tuple[str, str]]):
    """Render the form, keeping what was entered when there are errors."""
    instrument = opened.instrument
    lang = request.view_args["lang"]
    text_lang = lang if lang in instrument.languages else "fi"
    return render_template(
        "pulse/questionnaire.html", instrument=instrument, token=token, errors=errors,
        error_fields={field for field, _message in errors}, values=request.form,
        text_lang=text_lang, cannot_say=pulse.CANNOT_SAY, languages=LANGUAGES,
        comment_limit=pulse.comment_limit(instrument), unit_name=_unit_name(opened.unit, lang),
        closes=local_moment(closing_minute(opened.survey.closes_at))
        if opened.survey.closes_at else None)

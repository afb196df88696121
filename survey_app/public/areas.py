"""Public pages per service area (no login): the rolling 30-day resident NPS, in 8 languages.

They set no cookie and may be cached by browsers and proxies for an hour: the figures change
once a week.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from survey_app.db import get_session
from survey_app.privacy import Thresholds
from survey_app.reports import formatting
from survey_app.services.public import area as area_service
from survey_app.services.reports.texts import suppression_text

bp = Blueprint("public_area", __name__)
CACHE_SECONDS = 3600


@bp.context_processor
def template_helpers():
    """Locale-aware numbers and the suppression texts."""
    return {**formatting.helpers(), "suppression_text": suppression_text}


def _cacheable(body: str):
    return body, 200, {"Cache-Control": f"public, max-age={CACHE_SECONDS}"}


@bp.get("/<lang>/public/")
def areas(lang: str):
    """The county's service areas, each linking to its page."""
    return _cacheable(render_template("public/areas/index.html",
                                      areas=area_service.service_areas(get_session())))


@bp.get("/<lang>/public/<code>")
def area(lang: str, code: str):
    """One service area's rolling 30-day NPS with its units."""
    thresholds = Thresholds.from_config(current_app.config)
    result = area_service.public_area(get_session(), code, lang, thresholds=thresholds)
    return _cacheable(render_template("public/areas/area.html", result=result, code=code))

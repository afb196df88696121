"""Report pages: overview, unit table, unit page, funnel plot. Thin: parameters in, service out."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from survey_app.auth import require_roles
from survey_app.auth.access import current_scope
from survey_app.db import get_session
from survey_app.errors import InvalidInput
from survey_app.i18n import current_language
from survey_app.models import Role
from survey_app.services import reports

from . import comment_labels, figures

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.before_request(require_roles(Role.ADMIN, Role.HR, Role.MANAGER))


@bp.context_processor
def report_helpers():
    """Number formatting, metric names and chart builders for the templates."""
    return {"fmt": figures.number, "fmt_int": figures.integer, "metric_name": figures.metric_name,
            "hidden_text": figures.hidden_text, "figures": figures,
            "metrics": reports.METRICS, "language_name": comment_labels.language_name,
            "group_name": comment_labels.group_name, "kind_name": comment_labels.kind_name}


def _choices(metric: str | None = None) -> dict:
    """The chooser's state and options: unit, period (and metric)."""
    as_of = reports.default_as_of()
    period = request.args.get("period") or reports.default_period(as_of).label
    unit = request.args.get("unit") or None
    return {"as_of": as_of, "period": period, "unit": unit, "metric": metric,
            "units": reports.units_in_scope(get_session(), current_scope(), current_language()),
            "periods": reports.recent_periods(as_of)}


def _metric() -> str:
    metric = request.args.get("metric", "nps")
    if metric not in reports.METRICS:
        raise InvalidInput()
    return metric


@bp.get("/")
def overview():
    """NPS, eNPS and QWL of the chosen unit's subtree in the chosen period, with trends."""
    chooser = _choices()
    result = reports.overview(get_session(), current_scope(), chooser["unit"],
                              chooser["period"], current_language(), as_of=chooser["as_of"])
    return render_template("reports/overview.html", result=result, chooser=chooser)


@bp.get("/units")
def unit_table():
    """The chosen unit's children for one measure, sortable on the server."""
    chooser = _choices(_metric())
    direction = request.args.get("dir", "asc")
    if direction not in ("asc", "desc"):
        raise InvalidInput()
    result = reports.unit_table(get_session(), current_scope(), chooser["unit"],
                                chooser["metric"], chooser["period"], current_language(),
                                sort=request.args.get("sort", "name"),
                                descending=direction == "desc", as_of=chooser["as_of"])
    return render_template("reports/units.html", result=result, chooser=chooser)


@bp.get("/unit/<code>")
def unit_page(code: str):
    """Everything about one unit: trends, distribution, statements, factors, channels, comments."""
    chooser = _choices()
    chooser["unit"] = code
    session, scope, lang = get_session(), current_scope(), current_language()
    detail = reports.unit_detail(session, scope, code, chooser["period"], lang,
                                 as_of=chooser["as_of"])
    language = request.args.get("clang") or None
    pages = {"resident": _page_number("rpage"), "pulse": _page_number("ppage")}
    comment_lists = [reports.comments(session, scope, code, chooser["period"], language,
                                      kind=kind, lang=lang, as_of=chooser["as_of"],
                                      page=pages[kind])
                     for kind in ("resident", "pulse")]
    return render_template("reports/unit.html", detail=detail, comment_lists=comment_lists,
                           chooser=chooser, comment_language=language, comment_pages=pages)


def _page_number(name: str = "page") -> int:
    """A positive page number from the query string (1 when absent)."""
    raw = request.args.get(name, "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise InvalidInput(_("The page number %(page)s is not valid.", page=raw[:10]))
    return int(raw)


@bp.get("/funnel")
def funnel():
    """The chosen unit's children on a funnel plot around its own score."""
    chooser = _choices(_metric())
    result = reports.funnel(get_session(), current_scope(), chooser["unit"], chooser["metric"],
                            chooser["period"], current_language(), as_of=chooser["as_of"])
    return render_template("reports/funnel.html", result=result, chooser=chooser)

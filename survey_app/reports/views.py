"""Report pages: overview, unit table, unit page, funnel plot. Thin: parameters in, service out."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from survey_app.auth import require_roles
from survey_app.auth.access import current_scope
from survey_app.db import get_session
from survey_app.errors import InvalidInput, NotFound
from survey_app.i18n import current_language
from survey_app.models import Role
from survey_app.services import reports
from survey_app.services.reports.common import as_period
from survey_app.services.reports.periods import default_report_period, periods_with_data
from survey_app.services.reports.side_by_side import scope_unit_count, units_side_by_side

from . import comment_labels, figures, period_names

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.before_request(require_roles(Role.ADMIN, Role.HR, Role.MANAGER))


@bp.context_processor
def report_helpers():
    """Number formatting, metric names and chart builders for the templates."""
    return {"fmt": figures.number, "fmt_int": figures.integer, "metric_name": figures.metric_name,
            "hidden_text": figures.hidden_text, "figures": figures,
            "metrics": reports.METRICS, "language_name": comment_labels.language_name,
            "group_name": comment_labels.group_name, "kind_name": comment_labels.kind_name,
            "period_name": period_names.long_name,
            "short_period": period_names.short_name, "day_text": figures.day_text}


def _choices(metric: str | None = None) -> dict:
    """The chooser's state and options: unit, period (and metric).

    The default period is the last complete tertial. A period that cannot be read falls back
    to it with the error shown beside the chooser (the page answers 400, not a bare error).
    """
    as_of = reports.default_as_of()
    period, error = period_choice(request.args.get("period"), as_of)
    unit = request.args.get("unit") or None
    session = get_session()
    return {"as_of": as_of, "period": period, "unit": unit, "metric": metric,
            "period_error": error,
            "units": reports.units_in_scope(session, current_scope(), current_language()),
            "period_groups": period_names.chooser_groups(periods_with_data(session, as_of),
                                                         period)}


def period_choice(raw: str | None, as_of) -> tuple[str, str | None]:
    """The period label to show and the error message for a bad one (then the default)."""
    default = default_report_period(as_of).label
    if not raw:
        return default, None
    try:
        return as_period(raw).label, None
    except InvalidInput as error:
        return default, error.message


def _page(template: str, chooser: dict, **context):
    """Render a report page; 400 when the period given could not be read."""
    return render_template(template, chooser=chooser, **context), (
        400 if chooser["period_error"] else 200)


def _metric() -> str:
    metric = request.args.get("metric", "nps")
    if metric not in reports.METRICS:
        raise InvalidInput()
    return metric


@bp.get("/")
def overview():
    """NPS, eNPS and QWL of the chosen unit's subtree in the chosen period, with trends."""
    chooser = _choices()
    session, scope = get_session(), current_scope()
    if chooser["unit"] is None and scope_unit_count(session, scope) > 1:
        return _own_units(chooser)
    result = reports.overview(session, scope, chooser["unit"],
                              chooser["period"], current_language(), as_of=chooser["as_of"])
    return _page("reports/overview.html", chooser, result=result)


def _own_units(chooser: dict):
    """A reader with several top units (a manager of three) sees them side by side first."""
    result = units_side_by_side(get_session(), current_scope(), chooser["period"],
                                current_language(), as_of=chooser["as_of"])
    return _page("reports/own_units.html", chooser, result=result)


@bp.get("/units")
def unit_table():
    """The chosen unit's children for one measure, sortable on the server."""
    chooser = _choices(_metric())
    direction = request.args.get("dir", "asc")
    if direction not in ("asc", "desc"):
        raise InvalidInput()
    if chooser["unit"] is None and scope_unit_count(get_session(), current_scope()) > 1:
        return _own_units(chooser)
    result = reports.unit_table(get_session(), current_scope(), chooser["unit"],
                                chooser["metric"], chooser["period"], current_language(),
                                sort=request.args.get("sort", "name"),
                                descending=direction == "desc", as_of=chooser["as_of"])
    return _page("reports/units.html", chooser, result=result)


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
    return _page("reports/unit.html", chooser, detail=detail, comment_lists=comment_lists,
                 comment_language=language, comment_pages=pages)


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
    return _page("reports/funnel.html", chooser, result=result)


@bp.get("/chart/<metric>.<fmt>")
def chart_download(metric: str, fmt: str):
    """A unit's trend chart as an SVG or PNG file for slides (the overview's numbers)."""
    if metric not in reports.METRICS or fmt not in ("svg", "png"):
        raise NotFound()
    chooser = _choices()
    if chooser["period_error"]:
        raise InvalidInput(chooser["period_error"])
    result = reports.overview(get_session(), current_scope(), chooser["unit"],
                              chooser["period"], current_language(), as_of=chooser["as_of"])
    summary = next(s for s in result.metrics if s.metric == metric)
    name = f"{metric}-{result.unit.code}-{result.period}.{fmt}"
    if fmt == "svg":
        body, mimetype = figures.trend_svg_file(summary), "image/svg+xml"
    else:
        body = figures.trend_png(summary, result.unit.name, result.period)
        mimetype = "image/png"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

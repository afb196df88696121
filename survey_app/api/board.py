"""``/reports/board``: the board's strategy report (HR and admins), printable on A4."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from survey_app.api import charts, formatting
from survey_app.auth.access import require_roles
from survey_app.db import get_session
from survey_app.i18n import current_language
from survey_app.models import Role
from survey_app.services.api import board as board_service
from survey_app.services.api.texts import metric_name, suppression_text
from survey_app.services.reports.common import as_period

bp = Blueprint("board", __name__, url_prefix="/reports/board")
bp.before_request(require_roles(Role.ADMIN, Role.HR))


@bp.context_processor
def template_helpers():
    """Locale-aware number formatting and the metric names."""
    return {**formatting.helpers(), "metric_name": metric_name,
            "suppression_text": suppression_text}


@bp.get("")
def board():
    """The county's NPS, eNPS and QWL for a period with every service area."""
    raw = request.args.get("period")
    period = as_period(raw) if raw else board_service.default_period()
    lang = current_language()
    report = board_service.board_report(get_session(), period, lang)
    trends = {s.metric: charts.trend_chart(
        s.trend, s.metric, metric_name(s.metric), _trend_description(s)) for s in
        report.overview.metrics}
    areas = {metric: charts.interval_chart(
        [(ref.name, cell) for ref, cell in table.rows], metric, metric_name(metric),
        _areas_description(table)) for metric, table in report.areas.items()}
    return render_template("api/board.html", report=report, trends=trends, area_charts=areas,
                           method=board_service.plain_method_text(report.thresholds))


def _trend_description(summary) -> str:
    from flask_babel import gettext as _

    points = "; ".join(f"{c.period}: {formatting.cell_text(c)}" for c in summary.trend)
    return _("Trend by period: %(points)s", points=points)


def _areas_description(table) -> str:
    from flask_babel import gettext as _

    points = "; ".join(f"{ref.name}: {formatting.cell_text(c)} "
                       f"({formatting.interval(c.low, c.high)})" for ref, c in table.rows)
    return _("Score and interval by service area: %(points)s", points=points)

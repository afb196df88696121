"""``/reports/board``: the board's strategy report (HR and admins), on screen, printed or as PDF.

The period chooser is the one of the report pages (periods with data, grouped by year, in
words); a period that cannot be read is an inline error beside it, and the page shows the
default period, the last complete tertial. ``/reports/board/pdf`` prints the same page on A4
with headless Chromium.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from survey_app.auth.access import require_roles
from survey_app.db import get_session
from survey_app.i18n import current_language
from survey_app.models import Role
from survey_app.reports import figures, formatting, pdf
from survey_app.reports.period_names import chooser_groups, long_name
from survey_app.reports.views import period_choice
from survey_app.services import reports
from survey_app.services.reports import board as board_service
from survey_app.services.reports.periods import periods_with_data
from survey_app.services.reports.texts import metric_name, suppression_text

bp = Blueprint("board", __name__, url_prefix="/reports/board")
bp.before_request(require_roles(Role.ADMIN, Role.HR))


@bp.context_processor
def template_helpers():
    """Locale-aware number formatting and the metric names."""
    return {**formatting.helpers(), "metric_name": metric_name,
            "suppression_text": suppression_text, "fmt_int": figures.integer,
            "period_name": long_name, "day_text": figures.day_text, "figures": figures}


@bp.get("")
def board():
    """The county's NPS, eNPS and QWL for a period with every service area."""
    page, status = _page()
    return page, status


@bp.get("/pdf")
def board_pdf():
    """The same report as an A4 PDF file printed by headless Chromium (503 without it)."""
    page, status = _page(pdf_styles=pdf.inline_styles("app.css", "api.css", "reports.css"))
    if status != 200:
        return page, status
    name = f"board-{request.args.get('period') or 'report'}.pdf".replace("/", "-")
    return Response(pdf.html_to_pdf(page), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _page(**extra) -> tuple[str, int]:
    """The rendered board page and its status (400 with an inline error for a bad period)."""
    as_of = reports.default_as_of()
    session = get_session()
    period, error = period_choice(request.args.get("period"), as_of)
    report = board_service.board_report(session, period, current_language())
    trends = {s.metric: figures.trend(s) for s in report.overview.metrics}
    areas = {metric: _area_chart(table) for metric, table in report.areas.items()}
    html = render_template(
        "reports/board.html", report=report, trends=trends, area_charts=areas,
        method=board_service.plain_method_text(report.thresholds), as_of=as_of,
        period_error=error,
        period_groups=chooser_groups(periods_with_data(session, as_of), period), **extra)
    return html, 400 if error else 200


def _area_chart(table):
    """Each service area's score and interval on one axis scaled to them."""
    from flask_babel import gettext as _

    from survey_app.reports import charts

    rows = [(ref.name, *((c.value, c.low, c.high) if c.shown and c.n else (None, None, None)))
            for ref, c in table.rows]
    texts = charts.Texts(
        _("%(measure)s by service area", measure=metric_name(table.metric)),
        _("Score and interval by service area: %(points)s", points="; ".join(
            f"{ref.name}: {formatting.cell_text(c)} ({formatting.interval(c.low, c.high)})"
            for ref, c in table.rows)),
        [_("Service area"), _("Score"), _("Interval")])
    data = [[ref.name, formatting.cell_text(c), formatting.interval(c.low, c.high)]
            for ref, c in table.rows]
    return charts.interval_chart(rows, figures.scale(table.metric), texts, data, figures.number)

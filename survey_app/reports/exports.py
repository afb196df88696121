"""CSV and XLSX downloads of the report tables under ``/reports/export/``.

Guarded like the report pages (logged in as admin, hr or manager; managers only their subtrees,
as the report service enforces). Every download is written to the audit log.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.auth.access import current_scope, require_roles
from survey_app.db import get_session
from survey_app.errors import InvalidInput
from survey_app.i18n import REPORT_LANGUAGES, current_language
from survey_app.models import Role
from survey_app.privacy import Thresholds
from survey_app.services.reports import SORTS, files
from survey_app.services.reports import exports as export_service
from survey_app.services.reports.common import as_period

bp = Blueprint("exports", __name__, url_prefix="/reports/export")
bp.before_request(require_roles(Role.ADMIN, Role.HR, Role.MANAGER))

MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/<table>.<fmt>")
def download(table: str, fmt: str):
    """One table (or, as XLSX, a whole unit page) for the unit, period and metric asked."""
    export = _export_request(table, fmt)
    thresholds = Thresholds.from_config(current_app.config)
    session = get_session()
    with force_locale(export.lang):
        result = export_service.build(session, current_scope(), export, thresholds)
        if fmt == "csv":
            body = files.csv_bytes(result.tables[0], export.lang)
        else:
            what = f"{result.unit_name} ({result.unit_code})"
            body = files.xlsx_bytes(result.tables, files.method_rows(
                thresholds, what, result.period, result.as_of))
    export_service.record_export(session, current_user.username, export, result)
    name = _file_name(table, result.unit_code, result.period, fmt)
    return Response(body, mimetype=MIME[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


def _export_request(table: str, fmt: str) -> export_service.ExportRequest:
    args = request.args
    lang = args.get("lang") or current_language()
    if lang not in REPORT_LANGUAGES:
        lang = "fi"
    period = as_period(args["period"]) if args.get("period") else \
        export_service.default_period()
    sort, direction = args.get("sort", "name"), args.get("dir", "asc")
    if sort not in SORTS or direction not in ("asc", "desc"):
        shown = f"{sort} {direction}"[:20]
        raise InvalidInput(_("Unknown sort order %(sort)s.", sort=shown))
    return export_service.ExportRequest(
        table=table, fmt=fmt, unit=args.get("unit") or None, period=period,
        metric=args.get("metric", "nps"), sort=sort, descending=direction == "desc", lang=lang)


def _file_name(table: str, unit: str, period: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{table}-{unit}-{period}")
    return f"{stem}.{fmt}"

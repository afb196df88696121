"""Export use cases: build the tables of a report page and note the export in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput
from survey_app.periods import Period
from survey_app.privacy import Thresholds
from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.api.catalog import reportable
from survey_app.services.audit import record
from survey_app.services.reports import tables

#: Tables that can be exported, and the formats.
TABLES = ("overview", "trend", "units", "statements", "factors", "channels", "unit")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export: which table of which unit, period and metric, in which language."""

    table: str
    fmt: str
    unit: str | None
    period: Period
    metric: str = "nps"
    sort: str = "name"
    descending: bool = False
    lang: str = "fi"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The tables, what they cover (for the method sheet and file name)."""

    tables: list[tables.Table]
    unit_code: str
    unit_name: str
    period: str
    as_of: str


def default_period() -> Period:
    """The report pages' default period, so that an export without one matches the page."""
    return reports.default_period(reports.default_as_of())


def build(session: Session, scope: Scope, request: ExportRequest,
          thresholds: Thresholds | None = None) -> ExportResult:
    """The tables for ``request`` from the report service (same scope rules as the pages)."""
    if request.table not in TABLES:
        raise InvalidInput(_("Unknown table %(name)s.", name=request.table[:20]))
    if request.fmt not in FORMATS:
        raise InvalidInput(_("Unknown file format %(name)s.", name=request.fmt[:10]))
    if request.table == "unit" and request.fmt != "xlsx":
        raise InvalidInput(_("A whole unit page can only be exported as XLSX."))
    reportable(request.period)
    args = dict(thresholds=thresholds)
    if request.table == "units":
        result = reports.unit_table(session, scope, request.unit, request.metric, request.period,
                                    request.lang, sort=request.sort,
                                    descending=request.descending, **args)
        return ExportResult([tables.units_table(result)], result.parent.code, result.parent.name,
                            result.period, result.as_of)
    if request.table in ("overview", "trend"):
        result = reports.overview(session, scope, request.unit, request.period, request.lang,
                                  **args)
        built = tables.overview_table(result) if request.table == "overview" \
            else tables.trend_table(result)
        return ExportResult([built], result.unit.code, result.unit.name, result.period,
                            result.as_of)
    detail = reports.unit_detail(session, scope, request.unit, request.period, request.lang,
                                 **args)
    overview = reports.Overview(detail.unit, detail.period, detail.granularity, detail.metrics,
                                detail.as_of)
    every = {"overview": tables.overview_table(overview), "trend": tables.trend_table(overview),
             "statements": tables.statements_table(detail),
             "factors": tables.factors_table(detail), "channels": tables.channels_table(detail)}
    chosen = list(every.values()) if request.table == "unit" else [every[request.table]]
    return ExportResult(chosen, detail.unit.code, detail.unit.name, detail.period, detail.as_of)


def record_export(session: Session, actor: str, request: ExportRequest, result: ExportResult
                  ) -> None:
    """Write who exported what into the audit log (never any numbers)."""
    detail = (f"{request.table} unit={result.unit_code} period={result.period} "
              f"metric={request.metric} lang={request.lang}")
    record(session, actor, f"export.{request.fmt}", detail)
    session.commit()

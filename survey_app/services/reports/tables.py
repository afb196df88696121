"""Report tables as plain rows for CSV and XLSX: the report service's numbers, unchanged.

Each builder takes a result of `survey_app.services.reports` and lays it out; a suppressed
cell shows its reason in the ``n`` column and no number anywhere in its row.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from survey_app.services import reports
from survey_app.services.reports.texts import metric_name, suppression_text

#: Decimals of scores, limits and changes (as on the pages).
DECIMALS = 1


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header in the export's language and its type (text, int, number, bool)."""

    header: str
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class Table:
    """One exported table: a name (sheet and file name), a title, columns and rows."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), DECIMALS)


def _score_columns() -> list[Column]:
    return [Column(_("Answers (n)"), "int"), Column(_("Score"), "number"),
            Column(_("Interval low"), "number"), Column(_("Interval high"), "number")]


def _change_columns() -> list[Column]:
    columns = []
    for label in (_("Change from previous period"), _("Change from a year earlier")):
        columns += [Column(label, "number"), Column(_("%(label)s, interval low", label=label),
                                                    "number"),
                    Column(_("%(label)s, interval high", label=label), "number"),
                    Column(_("%(label)s, significant", label=label), "bool")]
    return columns


def score_values(cell: reports.MetricCell) -> list:
    """n, score, low, high of a cell; the reason text and blanks when it is suppressed."""
    if not cell.shown:
        return [suppression_text(cell.suppressed, cell.threshold), None, None, None]
    return [cell.n, _number(cell.value), _number(cell.low), _number(cell.high)]


def change_values(cell: reports.MetricCell) -> list:
    """Changes against the previous period and a year earlier (blanks when undefined)."""
    values = []
    for change in (cell.change_previous, cell.change_year):
        if change is None or not cell.shown:
            values += [None, None, None, None]
        else:
            values += [_number(change.delta), _number(change.low), _number(change.high),
                       change.significant]
    return values


def overview_table(result: reports.Overview) -> Table:
    """The overview: every metric of a unit's subtree in the period, with changes."""
    columns = (Column(_("Measure")), Column(_("Unit code")), Column(_("Unit")),
               Column(_("Period")), *_score_columns(), *_change_columns())
    rows = tuple((metric_name(s.metric), result.unit.code, result.unit.name, result.period,
                  *score_values(s.cell), *change_values(s.cell)) for s in result.metrics)
    return Table("overview", _("Overview"), columns, rows)


def trend_table(result: reports.Overview) -> Table:
    """The trend behind the overview's charts: every metric per period, oldest first."""
    columns = (Column(_("Measure")), Column(_("Unit code")), Column(_("Period")),
               *_score_columns())
    rows = tuple((metric_name(s.metric), result.unit.code, cell.period, *score_values(cell))
                 for s in result.metrics for cell in s.trend)
    return Table("trend", _("Trend"), columns, rows)


def units_table(result: reports.UnitTable) -> Table:
    """The unit table: the parent's total first, then its children in the page's order."""
    columns = (Column(_("Unit code")), Column(_("Unit")), Column(_("Measure")),
               Column(_("Period")), *_score_columns(), *_change_columns())
    entries = [(result.parent, result.total), *result.rows]
    rows = tuple((ref.code, ref.name, metric_name(result.metric), result.period,
                  *score_values(cell), *change_values(cell)) for ref, cell in entries)
    return Table("units", _("Units"), columns, rows)


def statements_table(detail: reports.UnitDetail) -> Table:
    """Core statements of a unit page as % agreeing with intervals."""
    columns = (Column(_("Statement")), Column(_("Answers (n)"), "int"),
               Column(_("Agreeing (n)"), "int"), Column(_("Agreeing, per cent"), "number"),
               Column(_("Interval low"), "number"), Column(_("Interval high"), "number"))
    rows = []
    for s in detail.statements:
        if s.suppressed:
            rows.append((s.text, suppression_text(s.suppressed, _threshold(detail, "nps")),
                         None, None, None, None))
        else:
            rows.append((s.text, s.n, s.agree, _number(s.value), _number(s.low),
                         _number(s.high)))
    return Table("statements", _("Statements"), columns, tuple(rows))


def factors_table(detail: reports.UnitDetail) -> Table:
    """QWL factor scores of a unit page."""
    columns = (Column(_("Factor")), *_score_columns())
    rows = []
    for f in detail.factors:
        if f.suppressed:
            rows.append((f.name, suppression_text(f.suppressed, _threshold(detail, "qwl")),
                         None, None, None))
        else:
            rows.append((f.name, f.n, _number(f.value), _number(f.low), _number(f.high)))
    return Table("factors", _("QWL factors"), columns, tuple(rows))


def channels_table(detail: reports.UnitDetail) -> Table:
    """How resident answers arrived (channel mix) on a unit page."""
    columns = (Column(_("Channel")), Column(_("Answers (n)"), "int"),
               Column(_("Share, per cent"), "number"))
    rows = tuple((c.channel, c.n, _number(c.share)) for c in detail.channels)
    return Table("channels", _("Channels"), columns, rows)


def _threshold(detail: reports.UnitDetail, metric: str) -> int:
    return next(s.cell.threshold for s in detail.metrics if s.metric == metric)

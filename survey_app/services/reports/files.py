"""Tables to files: CSV in the reader's locale (as Excel in Finland wants it) and typed XLSX.

CSV is UTF-8 with a byte-order mark; Finnish and Swedish use ``;`` and a decimal comma (what
Excel expects there), English ``,`` and a point. XLSX keeps numbers as numeric cells and adds a
sheet that says how the numbers were made and which threshold hid what.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from survey_app.privacy import Thresholds
from survey_app.services.reports.tables import DECIMALS, Table

#: Separator and decimal mark per report language.
CSV_DIALECTS = {"fi": (";", ","), "sv": (";", ","), "en": (",", ".")}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def csv_bytes(table: Table, lang: str) -> bytes:
    """The table as CSV in the dialect of ``lang``, UTF-8 with BOM."""
    separator, decimal = CSV_DIALECTS.get(lang, CSV_DIALECTS["en"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([column.header for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(value, decimal) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}".replace(".", decimal)
    return _safe_text(str(value))


def _safe_text(text: str) -> str:
    """Keep spreadsheets from running a unit name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def xlsx_bytes(tables: list[Table], method: list[tuple[str, str]]) -> bytes:
    """A workbook: one sheet per table with typed cells, then the method sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        sheet.append([column.header for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, min(40, len(column.header) + 2))
            if column.kind == "number":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, float):
                        cell.number_format = "0." + "0" * DECIMALS
        sheet.freeze_panes = "A2"
    info = workbook.create_sheet(_sheet_title(_("Method")))
    for label, text in method:
        info.append([label, text])
        info.cell(info.max_row, 1).font = Font(bold=True)
        info.cell(info.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return _safe_text(value)
    return value


def _sheet_title(title: str) -> str:
    return _SHEET_FORBIDDEN.sub(" ", title)[:31] or "Sheet"


def method_rows(thresholds: Thresholds, scope_text: str, period: str, as_of: str
                ) -> list[tuple[str, str]]:
    """What the method sheet says, in the export's language."""
    return [
        (_("What"), scope_text),
        (_("Period"), period),
        (_("Data up to"), as_of),
        (_("NPS and eNPS"), _("Share of promoters (9–10) minus share of detractors (0–6), in "
                              "points from −100 to 100. Those who did not answer the question "
                              "are not counted in n.")),
        (_("QWL"), _("Mean of each respondent's quality-of-working-life index (0–100) from the "
                     "pulse statements.")),
        (_("Interval"), _("A 95-percent confidence interval: for NPS and eNPS Tango's score "
                          "interval with a continuity correction (score-cc), for QWL the "
                          "t-interval. It is built so that it contains the true value at "
                          "least 94.5 times in 100, also in small units where nearly everyone "
                          "gives the same answer; the fewer the answers, the wider it is.")),
        (_("Changes"), _("Difference from the previous period and from the same period a year "
                         "earlier, with an interval widened for the number of comparisons "
                         "(false discovery rate 5 %, Benjamini–Yekutieli). A change is marked "
                         "significant exactly when that interval excludes 0.")),
        (_("Threshold"), _("Numbers are shown only for groups of at least %(resident)d "
                           "residents or %(staff)d staff members. When a hidden group could be "
                           "worked out from the other numbers, another group is hidden too.",
                           resident=thresholds.resident, staff=thresholds.staff)),
    ]

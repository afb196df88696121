"""CSV and XLSX exports: the report service's numbers and suppression, locale dialects, audit."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey_app.models import AuditEvent
from survey_app.services import reports
from survey_app.services.access import Scope
from tests.web.api.helpers import login

EVERYTHING = Scope(everything=True)
UNITS = "/reports/export/units.{fmt}?unit=ROOT&period=2026-Q1&metric=nps&lang={lang}"


def _csv_rows(response, separator: str) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=separator))


def test_exports_need_a_login(client, users):
    response = client.get(UNITS.format(fmt="csv", lang="fi"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("lang, separator, decimal", [("fi", ";", ","), ("sv", ";", ","),
                                                      ("en", ",", ".")])
def test_unit_table_csv_equals_the_service_in_the_locale_dialect(client, session, users, lang,
                                                                  separator, decimal):
    login(client, "hanna")
    response = client.get(UNITS.format(fmt="csv", lang=lang))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response, separator)
    table = reports.unit_table(session, EVERYTHING, "ROOT", "nps", "2026-Q1", lang)
    expected = [(table.parent, table.total), *table.rows]
    assert [r[0] for r in rows[1:]] == [ref.code for ref, _ in expected]
    for row, (_, cell) in zip(rows[1:], expected, strict=True):
        if cell.shown:
            assert row[4] == str(cell.n)
            assert row[5] == f"{cell.value:.1f}".replace(".", decimal)
            assert row[6] == f"{cell.low:.1f}".replace(".", decimal)
        else:
            assert row[4] and not row[4].isdigit(), "the reason text, not a count"
            assert row[5:] == [""] * len(row[5:]), "a hidden row carries no numbers"
    hidden = [row for row, (_, cell) in zip(rows[1:], expected, strict=True) if not cell.shown]
    assert len(hidden) == 2


def test_headers_follow_the_chosen_language(client, users):
    login(client, "hanna")
    finnish = _csv_rows(client.get(UNITS.format(fmt="csv", lang="fi")), ";")[0]
    english = _csv_rows(client.get(UNITS.format(fmt="csv", lang="en")), ",")[0]
    assert english[0] == "Unit code" and finnish[0] != "Unit code"


def test_unit_table_xlsx_has_numeric_cells_and_a_method_sheet(client, session, users):
    login(client, "hanna")
    response = client.get(UNITS.format(fmt="xlsx", lang="en"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert len(workbook.sheetnames) == 2
    sheet, method = workbook[workbook.sheetnames[0]], workbook[workbook.sheetnames[1]]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Unit code", "Unit", "Measure", "Period", "Answers (n)", "Score"]
    table = reports.unit_table(session, EVERYTHING, "ROOT", "nps", "2026-Q1", "en")
    root = [c.value for c in sheet[2]]
    assert root[0] == "ROOT" and root[4] == table.total.n and isinstance(root[4], int)
    assert isinstance(root[5], int | float) and root[5] == round(table.total.value, 1)
    assert sheet.cell(2, 6).data_type == "n"
    hidden = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)
              if isinstance(row[4].value, str)]
    assert hidden and all(v is None for row in hidden for v in row[5:])
    method_text = " ".join(str(c.value) for row in method.iter_rows() for c in row)
    assert "95-percent" in method_text and "at least 5 residents" in method_text


def test_unit_page_xlsx_has_every_table(client, users):
    login(client, "hanna")
    response = client.get("/reports/export/unit.xlsx?unit=A1&period=2026-Q1&lang=en")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Overview", "Trend", "Statements", "QWL factors", "Channels",
                                   "Method"]
    overview = workbook["Overview"]
    # A1 is hidden in 2026-Q1 (it would reveal B1's three January answers as ROOT − A1).
    hidden = "Hidden so that a small group cannot be worked out"
    assert [c.value for c in overview[2]][:5] == ["Resident NPS", "A1", "A1 en", "2026-Q1", hidden]


def test_overview_export_equals_the_overview_service(client, session, users):
    login(client, "hanna")
    rows = _csv_rows(client.get("/reports/export/overview.csv?unit=ROOT&period=2026-Q1&lang=en"),
                     ",")
    result = reports.overview(session, EVERYTHING, "ROOT", "2026-Q1", "en")
    for row, summary in zip(rows[1:], result.metrics, strict=True):
        cell = summary.cell
        assert row[4] == (str(cell.n) if cell.shown else row[4])
        if cell.shown and cell.value is not None:
            assert row[5] == f"{cell.value:.1f}"
        if cell.change_previous and cell.change_previous.delta is not None:
            assert row[8] == f"{cell.change_previous.delta:.1f}"


def test_every_export_is_audited_without_numbers(client, session, users):
    login(client, "hanna")
    client.get(UNITS.format(fmt="csv", lang="fi"))
    client.get(UNITS.format(fmt="xlsx", lang="en"))
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("export.%"))
                             .order_by(AuditEvent.id)).all()
    assert [(e.actor, e.action) for e in events] == [("hanna", "export.csv"),
                                                     ("hanna", "export.xlsx")]
    assert events[0].detail == "units unit=ROOT period=2026-Q1 metric=nps lang=fi"


def test_manager_cannot_export_outside_the_subtree(client, session, users):
    login(client, "maija")
    assert client.get(UNITS.format(fmt="csv", lang="fi")).status_code == 403
    ok = client.get("/reports/export/units.csv?unit=A&period=2026-Q1&lang=fi")
    assert ok.status_code == 200
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "export.csv")) \
        is not None


@pytest.mark.parametrize("url", [
    "/reports/export/nothing.csv", "/reports/export/units.pdf",
    "/reports/export/unit.csv?unit=A1", "/reports/export/units.csv?period=2026-Q9",
    "/reports/export/units.csv?metric=xyz", "/reports/export/units.csv?sort=evil",
    "/reports/export/units.csv?dir=sideways",
    "/reports/export/units.csv?unit=NOPE", "/reports/export/overview.csv?period=2000-02",
])
def test_bad_export_requests_are_4xx_and_not_audited(client, session, users, url):
    login(client, "hanna")
    assert client.get(url).status_code in (400, 404)
    assert session.scalar(select(AuditEvent).where(AuditEvent.action.like("export.%"))) is None


def test_text_that_looks_like_a_formula_is_neutralised():
    from survey_app.services.reports.files import csv_bytes
    from survey_app.services.reports.tables import Column, Table

    table = Table("t", "T", (Column("Unit"),), (("=HYPERLINK(1)",), ("-x",), ("ok",)))
    text = csv_bytes(table, "en").decode("utf-8-sig").splitlines()
    assert text[1:] == ["'=HYPERLINK(1)", "'-x", "ok"]


def test_export_links_macro_points_at_the_download_routes(app):
    with app.test_request_context("/reports/"):
        from flask import render_template_string

        html = render_template_string(
            '{% from "reports/_exports.html" import export_links %}'
            '{{ export_links("units", unit="A", period="2026-Q1", metric="nps") }}')
    assert "/reports/export/units.csv?unit=A&amp;period=2026-Q1&amp;metric=nps" in html
    assert "/reports/export/units.xlsx?" in html


def test_report_pages_link_to_their_exports(client, users):
    login(client, "hanna")
    overview = client.get("/reports/?unit=ROOT&period=2026-Q1").get_data(as_text=True)
    assert "/reports/export/overview.csv?unit=ROOT&amp;period=2026-Q1" in overview
    units = client.get("/reports/units?unit=ROOT&period=2026-Q1&metric=enps&sort=value&dir=desc"
                       ).get_data(as_text=True)
    assert ("/reports/export/units.xlsx?unit=ROOT&amp;period=2026-Q1&amp;metric=enps&amp;"
            "sort=value&amp;dir=desc") in units
    unit = client.get("/reports/unit/A1?period=2026-Q1").get_data(as_text=True)
    assert "/reports/export/unit.xlsx?unit=A1&amp;period=2026-Q1" in unit


def test_sorted_export_keeps_the_page_order(client, session, users):
    login(client, "hanna")
    rows = _csv_rows(client.get("/reports/export/units.csv?unit=A&period=2026-Q1&sort=value"
                                "&dir=desc&lang=en"), ",")
    table = reports.unit_table(session, EVERYTHING, "A", "nps", "2026-Q1", "en", sort="value",
                               descending=True)
    assert [r[0] for r in rows[2:]] == [ref.code for ref, _ in table.rows]


def test_export_without_a_period_uses_the_page_default(client, users):
    login(client, "hanna")
    response = client.get("/reports/export/overview.csv?lang=en")
    default = reports.default_period(reports.default_as_of()).label
    assert default in response.headers["Content-Disposition"]

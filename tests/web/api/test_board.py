"""The board report: county indicators and service areas for a tertial, from the report service."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from survey_app.reports import pdf as pdf_module
from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.reports import board as board_service
from survey_app.services.reports.periods import default_report_period
from tests.web.api.helpers import login

EVERYTHING = Scope(everything=True)


def test_board_report_for_a_tertial_uses_the_report_service(session, county):
    report = board_service.board_report(session, "2026-T1", "en")
    overview = reports.overview(session, EVERYTHING, None, "2026-T1", "en")
    assert report.overview == overview
    nps = next(s.cell for s in report.overview.metrics if s.metric == "nps")
    assert (nps.period, nps.n) == ("2026-T1", 25)
    assert nps.change_previous.against == "2025-T3" and nps.change_year.against == "2025-T1"
    assert [s.period for s in report.overview.metrics[0].trend] == [
        "2025-T1", "2025-T2", "2025-T3", "2026-T1"]
    areas = report.areas["nps"]
    assert [ref.code for ref, _ in areas.rows] == ["A", "B"]
    assert report.areas["enps"].total.n == 10


def test_board_page_shows_the_three_metrics_areas_and_method(client, users):
    login(client, "hanna")
    response = client.get("/reports/board?period=2026-T1", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Resident NPS", "Staff eNPS", "Quality of working life (QWL)", "2026-T1",
                 "A en", "B en", "How to read the figures", "2025-T3", "2025-T1"):
        assert text in html, text
    assert html.count("<svg") == 6 and "<title" in html and "<desc" in html
    assert 'style="' not in html and "<script" not in html
    with client.get("/static/api.css") as css:
        assert "@media print" in css.get_data(as_text=True) and "size: A4" in css.get_data(
            as_text=True)


def test_board_page_hides_small_groups_like_the_pages(client, users):
    login(client, "hanna")
    html = client.get("/reports/board?period=2026-Q1",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    hidden = "Hidden so that a small group cannot be worked out"
    assert hidden in html
    row = re.search(r'<th scope="row">B en</th>(.*?)</tr>', html, re.S).group(1)
    assert not re.search(r"\d", row.replace(hidden, "")), row


def test_board_is_for_hr_and_admins_only(client, users):
    assert client.get("/reports/board").status_code == 302
    login(client, "maija")
    assert client.get("/reports/board").status_code == 403


@pytest.mark.parametrize("period", ["2026-T4", "x", "2026-13", "2000-T1", "2001"])
def test_board_bad_period_is_an_inline_error_on_the_board_page(client, users, period):
    login(client, "admin")
    response = client.get(f"/reports/board?period={period}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'class="field-error"' in html
    assert html.count('class="board-card"') == 3, "the default period's report is shown"


def test_board_default_period_is_the_last_complete_tertial(client, users):
    login(client, "admin")
    html = client.get("/reports/board").get_data(as_text=True)
    expected = default_report_period(reports.default_as_of())
    assert expected.granularity == "tertial"
    assert expected.end <= reports.default_as_of() + timedelta(days=1)
    assert f'<option value="{expected.label}" selected>' in html


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Every page's MediaBox width and height in points."""
    return [(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]


@pytest.mark.skipif(not pdf_module.Path(pdf_module.DEFAULT_CHROMIUM).is_file(),
                    reason="the board PDF needs Chromium at /usr/bin/chromium")
def test_board_pdf_is_made_by_chromium_on_a4(client, users):
    login(client, "hanna")
    response = client.get("/reports/board/pdf?period=2026-T1")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="board-2026-T1.pdf"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"%PDF-")
    sizes = _page_sizes(body)
    assert sizes, "no page in the PDF"
    # A4 is 210 × 297 mm = 595.3 × 841.9 pt.
    assert all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sizes), sizes


def test_board_pdf_without_chromium_is_a_translated_503_not_a_crash(client, users, tmp_path):
    client.application.config["CHROMIUM_PATH"] = str(tmp_path / "no-chromium")
    login(client, "hanna")
    response = client.get("/reports/board/pdf?period=2026-T1",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "<html" in html and "print command to save it as a PDF" in html


def test_board_pdf_link_and_way_back_are_on_the_page(client, users):
    login(client, "hanna")
    html = client.get("/reports/board?period=2026-T1").get_data(as_text=True)
    assert 'href="/reports/board/pdf?period=2026-T1"' in html
    assert 'href="/reports/?period=2026-T1"' in html
    assert 'action="/logout"' in html


def test_board_numbers_and_dates_are_formatted_by_babel(client, users, session):
    from flask_babel import force_locale

    from survey_app.reports.figures import day_text

    login(client, "hanna")
    client.post("/ui-language", data={"lang": "fi", "next": "/reports/"})
    html = client.get("/reports/board?period=2026-T1").get_data(as_text=True)
    with client.application.test_request_context(), force_locale("fi"):
        expected_day = day_text(reports.default_as_of())
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", expected_day)
    assert expected_day in html and reports.default_as_of().isoformat() not in html
    assert "T1 2026: tammikuu–huhtikuu" in html

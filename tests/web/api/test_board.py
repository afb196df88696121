"""The board report: county indicators and service areas for a tertial, from the report service."""

from __future__ import annotations

import re

import pytest

from survey_app.services import reports
from survey_app.services.access import Scope
from survey_app.services.api import board as board_service
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
def test_board_bad_period_is_a_400_page(client, users, period):
    login(client, "admin")
    assert client.get(f"/reports/board?period={period}").status_code == 400


def test_board_default_period_is_the_current_tertial(client, users):
    login(client, "admin")
    html = client.get("/reports/board").get_data(as_text=True)
    assert board_service.default_period().label in html

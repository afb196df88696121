"""Reports at a glance in a real browser: headline cards, the period chooser, a manager's own
units side by side and the board's A4 PDF; axe-core finds no violations on any of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from survey_app.db import get_session
from survey_app.models import OrgUnit, Survey, SurveyKind
from survey_app.periods import period_of
from survey_app.services.aggregates import AggregateBuffer
from survey_app.services.reports import default_as_of
from survey_app.services.reports.periods import default_report_period
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_reports_pages import PASSWORD, seeded  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser

#: Every chart text's rendered size in CSS pixels, and pairs of texts that overlap.
CHART_TEXT_CHECK = """() => {
  const sizes = [], overlaps = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const scale = svg.getScreenCTM().a;
    const boxes = [];
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      sizes.push(parseFloat(getComputedStyle(text).fontSize) * scale);
      const r = text.getBoundingClientRect();
      for (const [other, o] of boxes) {
        if (r.left < o.right - 0.5 && o.left < r.right - 0.5 &&
            r.top < o.bottom - 0.5 && o.top < r.bottom - 0.5) {
          overlaps.push([other, text.textContent]);
        }
      }
      boxes.push([text.textContent, r]);
    }
  }
  return {sizes, overlaps};
}"""


@pytest.fixture(scope="module")
def county(seeded):  # noqa: F811
    """The seeded county, a pulse round that closed in the default period, and a manager of
    three units."""
    with seeded.app.app_context():
        session = get_session()
        units = {u.code: u for u in session.scalars(select(OrgUnit))}
        last_day = default_report_period(default_as_of()).end - timedelta(days=1)
        closes = datetime.combine(last_day, time(9), tzinfo=UTC)
        pulse = Survey(code="pulse-default", kind=SurveyKind.PULSE, unit_id=units["KAINUU"].id,
                       instrument_key="staff-pulse", instrument_version=1,
                       opens_at=closes - timedelta(days=14), closes_at=closes)
        session.add(pulse)
        session.flush()
        buffer = AggregateBuffer()
        for code in ("NORTH-1", "NORTH-2", "SOUTH-1"):
            for person in range(9):
                buffer.add_staff(pulse.id, units[code].id, 5 + person % 6, {},
                                 {"qwl": 58.0 + person, "safety": 55.0, "belonging": 66.0,
                                  "goals": 60.0}, False)
        buffer.flush(session)
        session.commit()
        create_user(session, "boss-three", PASSWORD, "manager",
                    ["SOUTH-1", "NORTH-1", "NORTH-2"])
    return seeded


def _log_in(page, base: str, username: str = "hr-e2e") -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/reports/")


def test_overview_headline_cards_read_at_a_glance_with_readable_charts(county, page):
    _log_in(page, county.url)
    cards = page.locator(".headline-card")
    assert cards.count() == 3
    sentences = [cards.nth(i).locator(".headline-sentence").inner_text() for i in range(3)]
    assert re.match(r"NPS −?\d+ \(−?\d+ to −?\d+\)", sentences[0]), sentences[0]
    assert re.match(r"eNPS −?\d+ \(", sentences[1]), sentences
    assert re.match(r"QWL \d+\.\d \(", sentences[2]), sentences
    assert all(s.endswith(".") for s in sentences)
    checked = page.evaluate(CHART_TEXT_CHECK)
    assert checked["sizes"] and min(checked["sizes"]) >= 11.99, min(checked["sizes"])
    assert checked["overlaps"] == []
    assert_accessible(page)


def test_funnel_and_unit_table_charts_are_readable(county, page):
    _log_in(page, county.url)
    for path in ("/reports/funnel?unit=KAINUU", "/reports/funnel?unit=NORTH"):
        page.goto(f"{county.url}{path}")
        checked = page.evaluate(CHART_TEXT_CHECK)
        assert min(checked["sizes"]) >= 11.99 and checked["overlaps"] == [], path


def test_unit_page_has_headline_cards_and_passes_axe(county, page):
    _log_in(page, county.url)
    page.goto(f"{county.url}/reports/unit/NORTH-1")
    assert page.locator(".headline-card").count() == 3
    assert page.locator(".headline-card .headline-sentence").first.inner_text().startswith("NPS ")
    checked = page.evaluate(CHART_TEXT_CHECK)
    assert min(checked["sizes"]) >= 11.99 and checked["overlaps"] == []
    assert_accessible(page)


def test_period_chooser_groups_by_year_names_periods_and_marks_the_running_one(
        county, page_without_js):
    page = page_without_js
    _log_in(page, county.url)
    groups = page.locator("#choose-period optgroup")
    years = [groups.nth(i).get_attribute("label") for i in range(groups.count())]
    assert years == sorted(years, reverse=True) and all(re.fullmatch(r"\d{4}", y) for y in years)
    # Answers reach back 400 days: two or three calendar years, never the empty ones before.
    assert 2 <= len(years) <= 3
    selected = page.locator("#choose-period option:checked")
    assert re.fullmatch(r"T\d \d{4}: \w+–\w+", selected.inner_text()), selected.inner_text()
    running = period_of(default_as_of(), "month")
    option = page.locator(f'#choose-period option[value="{running.label}"]')
    complete = running.end.toordinal() <= default_as_of().toordinal() + 1
    assert option.inner_text().endswith("(incomplete)") is not complete
    page.select_option("#choose-period", running.label)
    page.click("form.chooser button[type=submit]")
    assert running.start.strftime("%B %Y") in page.locator("h1").inner_text()


def test_period_chooser_passes_axe(county, page):
    _log_in(page, county.url)
    assert page.locator("#choose-period optgroup").count() >= 2
    assert_accessible(page)


def test_a_bad_period_shows_an_inline_error_that_passes_axe(county, page):
    _log_in(page, county.url)
    response = page.goto(f"{county.url}/reports/units?period=2026-Q9")
    assert response.status == 400
    assert page.locator(".field-error").is_visible()
    assert page.locator("#choose-period").get_attribute("aria-invalid") == "true"
    assert page.locator("table.unit-table").count() == 1
    assert_accessible(page)


def test_manager_of_three_units_sees_them_side_by_side_then_drills_down(county, page):
    _log_in(page, county.url, "boss-three")
    assert page.locator("h1").inner_text().startswith("Your units")
    rows = page.locator("table.own-units tbody th[scope=row] > a:first-child")
    assert [rows.nth(i).inner_text() for i in range(rows.count())] == [
        "NORTH-1 en", "NORTH-2 en", "SOUTH-1 en"]
    headers = page.locator("table.own-units thead th")
    assert headers.count() == 4
    assert_accessible(page)
    rows.nth(2).click()
    page.wait_for_url(re.compile(r".*/reports/unit/SOUTH-1\?period=.*"))
    assert page.locator("h1").inner_text().startswith("SOUTH-1 en")
    assert page.locator(".headline-card").count() == 3
    page.goto(f"{county.url}/reports/units")
    assert page.locator("table.own-units tbody tr").count() == 3


def test_board_report_passes_axe_and_downloads_an_a4_pdf(county, page):
    _log_in(page, county.url)
    page.click("nav.report-nav >> text=Board report")
    page.wait_for_url(re.compile(r".*/reports/board\?period=.*"))
    assert page.locator(".board-card").count() == 3
    assert page.locator("nav.report-nav >> text=Back to the reports").count() == 1
    assert page.locator("form.logout button").count() == 1
    # Interval and change text stay on one line in the summary cards.
    heights = page.evaluate("""() => [...document.querySelectorAll('.board-card dd.nowrap')]
        .map(dd => dd.getClientRects().length)""")
    assert heights and all(lines == 1 for lines in heights)
    checked = page.evaluate(CHART_TEXT_CHECK)
    assert min(checked["sizes"]) >= 11.99 and checked["overlaps"] == []
    assert_accessible(page)
    with page.expect_download(timeout=90_000) as download_info:
        page.click("text=Download as PDF (A4)")
    body = Path(download_info.value.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    sizes = [(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", body)]
    assert sizes and all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sizes)

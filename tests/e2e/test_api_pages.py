"""The public area page and the board report in a real browser: axe-core, print layout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from survey_app.db import get_session
from survey_app.models import OrgUnit, Survey, SurveyKind, UnitKind
from survey_app.privacy import Thresholds
from survey_app.services import releases
from survey_app.services.aggregates import AggregateBuffer
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def _unit(session, code, parent=None):
    unit = OrgUnit(code=code, parent_id=parent.id if parent else None, name_fi=f"{code} alue",
                   name_sv=f"{code} område", name_en=f"{code} area", kind=UnitKind.BOTH,
                   path="/")
    session.add(unit)
    session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


@pytest.fixture(scope="module")
def seeded(live_server):
    """A county with two areas, answers in the public window, and an HR user."""
    with live_server.app.app_context():
        session = get_session()
        root = _unit(session, "KAINUU")
        area = _unit(session, "SOTE", root)
        units = [_unit(session, code, area) for code in ("SOTE-1", "SOTE-2")]
        small = _unit(session, "SMALL", _unit(session, "TEKN", root))
        survey = Survey(code="resident", kind=SurveyKind.RESIDENT, unit_id=root.id,
                        instrument_key="resident-feedback", instrument_version=1,
                        opens_at=datetime(2025, 1, 1, tzinfo=UTC), title="")
        session.add(survey)
        session.flush()
        last = date.today().replace(day=1) - timedelta(days=1)  # last day of last month
        buffer = AggregateBuffer()
        for i in range(30):
            buffer.add_resident(survey.id, units[i % 2].id, last, "qr", i % 11, {}, False)
        buffer.add_resident(survey.id, small.id, last, "qr", 10, {}, False)
        buffer.flush(session)
        session.commit()
        releases.publish(session, date.today(), Thresholds())
        create_user(session, "board-hr", PASSWORD, "hr")
    return live_server


@pytest.mark.parametrize("lang", ["fi", "sv", "en", "ar", "so"])
def test_public_area_page_passes_axe(seeded, page, lang):
    page.goto(f"{seeded.url}/{lang}/public/SOTE")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_public_index_and_a_suppressed_area_pass_axe(seeded, page):
    page.goto(f"{seeded.url}/fi/public/")
    assert_accessible(page)
    page.goto(f"{seeded.url}/en/public/TEKN")
    assert "Hidden so that a small group cannot be worked out" in page.content()
    assert_accessible(page)


def test_board_report_passes_axe_and_prints_on_a4(seeded, page, tmp_path):
    page.goto(f"{seeded.url}/login")
    page.fill("#username", "board-hr")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button.primary").click()
    page.goto(f"{seeded.url}/reports/board")
    # The board draws with the report charts (one chart module): three trends, three areas.
    assert page.locator("h1").count() == 1 and page.locator("figure.chart svg").count() == 6
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".board-period").is_visible()
    page.screenshot(path="/tmp/board.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=False)
    (tmp_path / "x").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2

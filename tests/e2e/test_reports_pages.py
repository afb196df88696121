"""Report pages in a real browser: log in through the form, axe-core finds no violations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from survey_app.db import get_session
from survey_app.models import OrgUnit, Response, Survey, SurveyKind, UnitKind
from survey_app.periods import period_of
from survey_app.privacy import Thresholds
from survey_app.services import releases
from survey_app.services.aggregates import AggregateBuffer
from survey_app.services.comments import publish_comment_batches
from survey_app.services.reports import default_as_of
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
COMMENT_DAY = date(2026, 1, 20)


@pytest.fixture(scope="module")
def seeded(live_server):
    """A county with resident answers (with comments) and a closed pulse round."""
    with live_server.app.app_context():
        session = get_session()
        units = {}
        for code, parent in (("KAINUU", None), ("NORTH", "KAINUU"), ("SOUTH", "KAINUU"),
                             ("NORTH-1", "NORTH"), ("NORTH-2", "NORTH"), ("SOUTH-1", "SOUTH")):
            unit = OrgUnit(code=code, parent_id=units[parent].id if parent else None, path="/",
                           name_fi=f"{code} fi", name_sv=f"{code} sv", name_en=f"{code} en",
                           kind=UnitKind.BOTH)
            session.add(unit)
            session.flush()
            unit.path = (units[parent].path if parent else "/") + f"{unit.id}/"
            units[code] = unit
        now = datetime.now(UTC)
        resident = Survey(code="resident", kind=SurveyKind.RESIDENT, unit_id=units["KAINUU"].id,
                          instrument_key="resident-feedback", instrument_version=1,
                          opens_at=now - timedelta(days=800))
        pulse = Survey(code="pulse", kind=SurveyKind.PULSE, unit_id=units["KAINUU"].id,
                       instrument_key="staff-pulse", instrument_version=1,
                       opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=3))
        session.add_all([resident, pulse])
        session.flush()
        buffer = AggregateBuffer()
        day = default_as_of()
        for index, code in enumerate(("NORTH-1", "NORTH-2", "SOUTH-1")):
            for back in range(0, 400, 7):
                for score in (10, 9, 9, 8, 7, 6, 3, 10)[: 5 + index]:
                    buffer.add_resident(resident.id, units[code].id, day - timedelta(days=back),
                                        "qr" if back % 2 else "sms", score,
                                        {"safety": 5, "useful": 4, "timely_access": 2}, False)
            for person in range(8):
                buffer.add_staff(pulse.id, units[code].id, 6 + person % 5, {},
                                 {"qwl": 60.0 + person, "safety": 55.0 + person,
                                  "belonging": 70.0, "goals": 65.0 - person}, False)
        for i in range(12):
            session.add(Response(survey_id=resident.id, unit_id=units["NORTH-1"].id,
                                 day=COMMENT_DAY, language="fi", channel="sms", score=9,
                                 answers={}, comment=f"Hyvä palvelu, kiitos {i}"))
            buffer.add_resident(resident.id, units["NORTH-1"].id, COMMENT_DAY, "sms", 9, {},
                                True)
        buffer.flush(session)
        session.commit()
        # Release the whole quarter that holds the answers (``releases publish --until``).
        releases.publish(session, period_of(day, "quarter").end, Thresholds())
        # Comments are shown only in released batches (issue 12 §4): release January's.
        publish_comment_batches(session, date(2026, 2, 1), today=date(2026, 2, 1))
        create_user(session, "hr-e2e", PASSWORD, "hr")
    return live_server


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "hr-e2e")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/reports/")


def test_login_page_passes_axe(seeded, page):
    page.goto(f"{seeded.url}/login")
    assert_accessible(page)


def test_overview_passes_axe_after_logging_in_through_the_form(seeded, page):
    _log_in(page, seeded.url)
    assert page.locator("h1").inner_text().startswith("Overview: KAINUU")
    assert page.locator("figure.trend svg title").count() == 3
    assert_accessible(page)


def test_unit_page_passes_axe_and_shows_comments(seeded, page):
    _log_in(page, seeded.url)
    page.goto(f"{seeded.url}/reports/unit/NORTH-1?period=2026-Q1")
    assert page.locator(".comment-list li").count() == 12
    assert page.locator("table.chart-data").count() >= 4
    assert_accessible(page)


def test_unit_table_and_funnel_pass_axe(seeded, page):
    _log_in(page, seeded.url)
    page.goto(f"{seeded.url}/reports/units?unit=KAINUU&sort=value&dir=desc")
    assert page.locator("table.unit-table tbody tr").count() == 2
    assert_accessible(page)
    page.goto(f"{seeded.url}/reports/funnel?unit=NORTH")
    assert_accessible(page)


def test_choosing_a_period_in_the_form_changes_the_page(seeded, page_without_js):
    _log_in(page_without_js, seeded.url)
    page_without_js.select_option("#choose-period", "2025")
    page_without_js.click("form.chooser button[type=submit]")
    assert ", 2025" in page_without_js.locator("h1").inner_text()

"""The comment workbench in a real browser: search, filter, paging; axe-core finds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey_app.db import get_session
from survey_app.models import OrgUnit, Response, Survey, SurveyKind, UnitKind
from survey_app.services.comments import publish_comment_batches
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
JANUARY = date(2026, 1, 12)
#: (unit, language, score, text, how many) released in January's batches.
COMMENTS = [("NORTH-1", "fi", 10, "Hyvä palvelu ja lyhyt jono", 40),
            ("NORTH-1", "fi-x-selko", 9, "Sain apua nopeasti", 12),
            ("SOUTH-1", "sv", 2, "Väntetiden var för lång", 15),
            ("SOUTH-1", "fi", 8, "Ihan hyvä käynti", 10)]


@pytest.fixture(scope="module")
def seeded(live_server):
    """Two units with released batches of comments in four languages and score groups."""
    with live_server.app.app_context():
        session = get_session()
        units = {}
        for code, parent in (("KAINUU", None), ("NORTH-1", "KAINUU"), ("SOUTH-1", "KAINUU")):
            unit = OrgUnit(code=code, parent_id=units[parent].id if parent else None, path="/",
                           name_fi=f"{code} fi", name_sv=f"{code} sv", name_en=f"{code} en",
                           kind=UnitKind.BOTH)
            session.add(unit)
            session.flush()
            unit.path = (units[parent].path if parent else "/") + f"{unit.id}/"
            units[code] = unit
        survey = Survey(code="resident", kind=SurveyKind.RESIDENT, unit_id=units["KAINUU"].id,
                        instrument_key="resident-feedback", instrument_version=1,
                        opens_at=datetime(2025, 1, 1, tzinfo=UTC))
        session.add(survey)
        session.flush()
        for code, language, score, text, count in COMMENTS:
            session.add_all([Response(survey_id=survey.id, unit_id=units[code].id, day=JANUARY,
                                      language=language, channel="web", score=score,
                                      answers={}, comment=f"{text} {i}")
                             for i in range(count)])
        session.commit()
        publish_comment_batches(session, date(2026, 2, 1), today=date(2026, 2, 1))
        create_user(session, "hr-comments", PASSWORD, "hr")
    return live_server


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "hr-comments")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/reports/")


def _texts(page) -> list[str]:
    return page.locator(".comment-list .comment-text").all_inner_texts()


def test_workbench_pages_through_released_comments_and_passes_axe(seeded, page):
    _log_in(page, seeded.url)
    page.click("nav.report-nav >> text=Comments")
    page.wait_for_url("**/reports/comments**")
    assert page.locator("h2#results-heading").inner_text() == "77 comments found"
    first = _texts(page)
    assert len(first) == 50
    assert_accessible(page)
    page.click("a[rel=next]")
    page.wait_for_url("**page=2**")
    second = _texts(page)
    assert len(second) == 27 and set(first).isdisjoint(second)
    assert_accessible(page)


def test_search_and_filters_through_the_form(seeded, page):
    _log_in(page, seeded.url)
    page.goto(f"{seeded.url}/reports/comments")
    page.fill("#filter-q", "jono")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**q=jono**")
    assert all("jono" in text for text in _texts(page)) and len(_texts(page)) == 40
    page.fill("#filter-q", "")
    page.select_option("#filter-lang", label="Plain Finnish (selkosuomi)")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**lang=fi-x-selko**")
    assert sorted(_texts(page)) == sorted(f"Sain apua nopeasti {i}" for i in range(12))
    page.select_option("#filter-lang", "")
    page.select_option("#filter-group", "detractor")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**group=detractor**")
    assert len(_texts(page)) == 15 and all(t.startswith("Väntetiden") for t in _texts(page))
    assert page.locator(".comment-meta").first.inner_text() == "Swedish · Detractors (0–6)"
    assert_accessible(page)


def test_a_bad_filter_shows_an_inline_error_and_passes_axe(seeded, page):
    _log_in(page, seeded.url)
    response = page.goto(f"{seeded.url}/reports/comments?group=grumpy")
    assert response.status == 400
    assert_accessible(page)


def test_filters_work_without_javascript(seeded, page_without_js):
    """(axe-core needs JavaScript, so this page is checked with it on, above.)"""
    page = page_without_js
    _log_in(page, seeded.url)
    response = page.goto(f"{seeded.url}/reports/comments?group=grumpy")
    assert response.status == 400
    assert page.locator(".error-summary").inner_text().endswith("Unknown score group.")
    page.select_option("#filter-group", "promoter")
    page.select_option("#filter-unit", "NORTH-1")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("h2#results-heading").inner_text() == "52 comments found"

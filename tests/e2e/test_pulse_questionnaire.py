"""A pulse round answered in Finnish with the keyboard only, and axe-core on every page."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from survey_app.db import get_session
from survey_app.models import OrgUnit, Survey, SurveyKind, UnitKind
from tests.e2e.conftest import assert_accessible
from tests.pulse_support import INSTRUMENT, issue_tokens

pytestmark = pytest.mark.browser

_numbers = itertools.count(1)


def _round_with_tokens(live_server, count=1) -> list[str]:
    """A fresh open round over a fresh team, with ``count`` invitations."""
    number = next(_numbers)
    with live_server.app.app_context():
        session = get_session()
        team = OrgUnit(code=f"E2E-{number}", path="/", name_fi="Kotihoito", name_sv="Hemvård",
                       name_en="Home care", kind=UnitKind.STAFF, active=True)
        session.add(team)
        session.flush()
        team.path = f"/{team.id}/"
        now = datetime.now(UTC)
        survey = Survey(code=f"e2e-{number}", kind=SurveyKind.PULSE, unit_id=team.id,
                        instrument_key="staff-pulse", instrument_version=1,
                        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7))
        session.add(survey)
        session.commit()
        return issue_tokens(session, survey, team, count)


def _tab_to(page, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element with this id has the focus."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_answering_in_finnish_with_the_keyboard_only(live_server, page):
    token, = _round_with_tokens(live_server)
    page.goto(f"{live_server.url}/fi/p/{token}")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert_accessible(page)
    _tab_to(page, "recommend-0")
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert page.locator("#recommend-8").is_checked()
    for item in INSTRUMENT.items:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == item.id
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert page.locator(f"#{item.id}-4").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "comment"
    page.keyboard.type("Hyvä tiimi, kiitos.")
    _tab_to(page, "submit", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/fi/p/thanks")
    assert "Kiitos vastauksestasi" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/fi/p/{token}")
    assert "Tällä kutsulla on jo vastattu" in page.content()
    assert_accessible(page)


def test_error_summary_and_anonymity_page_pass_axe(live_server, page):
    token, = _round_with_tokens(live_server)
    page.goto(f"{live_server.url}/fi/p/{token}")
    page.locator("#submit").click()
    page.wait_for_selector("#error-summary")
    assert "Valitse ensimmäiseen kysymykseen" in page.content()
    assert_accessible(page)
    page.locator("a[href='/fi/p/anonymity']").first.click()
    page.wait_for_url(f"{live_server.url}/fi/p/anonymity")
    assert "Mitä ei tallenneta" in page.content()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_questionnaire_in_other_languages_passes_axe(live_server, page, lang):
    token, = _round_with_tokens(live_server)
    page.goto(f"{live_server.url}/{lang}/p/{token}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)


def test_answering_works_without_javascript(live_server, page_without_js):
    token, = _round_with_tokens(live_server)
    page = page_without_js
    page.goto(f"{live_server.url}/fi/p/{token}")
    page.locator("#recommend-10").check()
    for item in INSTRUMENT.items:
        page.locator(f"#{item.id}-x").check()
    page.locator("#submit").click()
    page.wait_for_url(f"{live_server.url}/fi/p/thanks")

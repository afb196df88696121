"""Reach and pulse-operation pages in a real browser: axe-clean, and the SMS link answers once
without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from survey_app.db import get_session
from survey_app.models import OrgUnit, Survey, SurveyKind
from survey_app.services.reach import codes
from survey_app.services.units import import_units
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
UNITS = (b"code,parent_code,name_fi,name_sv,name_en,kind,sms\n"
         b"RKAI,,Kainuu,Kajanaland,Kainuu,both,no\n"
         b"RKAI-TK,RKAI,Terveysasema,H\xc3\xa4lsostation,Health centre,resident,yes\n"
         b"RKAI-T,RKAI,Tiimi,Team,Team,staff,\n")


@pytest.fixture(scope="module")
def reach_site(live_server):
    """An admin, units (one opted in to SMS), a resident survey, a round, and link codes."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        session = get_session()
        create_user(session, "reacher", PASSWORD, "admin")
        import_units(session, UNITS)
        units = {u.code: u for u in session.query(OrgUnit).all()}
        session.add(Survey(code="RS", kind=SurveyKind.RESIDENT, unit_id=units["RKAI"].id,
                           instrument_key="resident-feedback", instrument_version=1,
                           opens_at=now - timedelta(days=1), title=""))
        session.add(Survey(code="RR1", kind=SurveyKind.PULSE, unit_id=units["RKAI"].id,
                           instrument_key="staff-pulse", instrument_version=1,
                           opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9),
                           title=""))
        made = {}
        for name, lang, expires in (("ar", "ar", now + timedelta(days=7)),
                                    ("fi", "fi", now + timedelta(days=7)),
                                    ("old", "sv", now - timedelta(hours=1))):
            made[name] = codes.new_code()
            codes.add_code(session, made[name], units["RKAI-TK"].id, lang, expires)
        session.commit()
    live_server.codes = made
    return live_server


def _log_in(page, base):
    page.goto(f"{base}/login")
    page.fill("#username", "reacher")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/admin/")


@pytest.mark.parametrize("path", ["/admin/reach", "/admin/reach/mail", "/admin/invitations/bulk",
                                  "/admin/rounds/RR1", "/admin/rounds/RR1/close"])
def test_reach_and_pulse_operation_pages_are_accessible(reach_site, page, path):
    _log_in(page, reach_site.url)
    page.goto(reach_site.url + path)
    assert_accessible(page)


def test_an_sms_link_opens_in_arabic_right_to_left_and_is_accessible(reach_site, page):
    page.goto(f"{reach_site.url}/r/{reach_site.codes['ar']}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)


def test_an_expired_link_page_is_translated_and_accessible(reach_site, page):
    response = page.goto(f"{reach_site.url}/r/{reach_site.codes['old']}")
    assert response.status == 410
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Den här länken har gått ut" in page.content()
    assert_accessible(page)


def test_the_anonymity_page_in_somali_says_what_is_kept_about_message_recipients(reach_site,
                                                                               page):
    page.goto(f"{reach_site.url}/so/p/anonymity")
    assert page.locator("#sms").count() == 1 and page.locator("#e-mail").count() == 1
    assert_accessible(page)


def test_a_resident_reaches_the_anonymity_page_from_the_questionnaire_footer(reach_site, page):
    page.goto(f"{reach_site.url}/sv/s/RKAI-TK")
    page.locator("footer a[href='/sv/p/anonymity']").click()
    page.wait_for_url(f"{reach_site.url}/sv/p/anonymity")
    assert page.locator("h1").inner_text() == "Enkäternas anonymitet"
    assert page.locator("h2#residents").inner_text() == "Om du gav respons efter ett besök"
    threshold = int(reach_site.app.config["PRIVACY_MIN_RESIDENT"])
    assert f"minst {threshold} svar" in page.locator("main").inner_text()
    assert_accessible(page)

"""The admin pages in a real browser: log in, upload a bad unit file, read the audit log.

axe-core must find zero violations on the admin home, the upload page showing errors, the
audit log, and (for good measure) the forms of rounds, invitations and users.
"""

from __future__ import annotations

import pytest

from survey_app.db import get_session
from survey_app.services.units import import_units
from survey_app.services.users import create_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
UNITS = (b"code,parent_code,name_fi,name_sv,name_en,kind\n"
         b"KAI,,Kainuu,Kajanaland,Kainuu,both\nKAI-T,KAI,Tiimi,Team,Team,staff\n")
BAD_UNITS = (b"code,parent_code,name_fi,name_sv,name_en,kind\n"
             b"bad code,,Nimi,Namn,Name,staff\nKAI-Y,NOPE,,Namn,Name,both\n")


@pytest.fixture(scope="module")
def admin_site(live_server):
    """The live server with an admin and a small unit tree."""
    with live_server.app.app_context():
        session = get_session()
        create_user(session, "ada", PASSWORD, "admin")
        import_units(session, UNITS)
    return live_server


def log_in(page, base: str, lang: str = "fi") -> None:
    page.goto(f"{base}/login?next=/admin/")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/admin/")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_admin_home_is_accessible_in_each_language(admin_site, browser, lang):
    context = browser.new_context(locale=lang, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    try:
        log_in(page, admin_site.url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("nav.admin-nav a[aria-current=page]").count() == 1
        assert_accessible(page)
    finally:
        context.close()


def test_upload_with_errors_then_audit_log_are_accessible(admin_site, page, tmp_path):
    log_in(page, admin_site.url)
    page.goto(f"{admin_site.url}/admin/units/upload")
    assert_accessible(page)
    bad = tmp_path / "units.csv"
    bad.write_bytes(BAD_UNITS)
    page.set_input_files("#file", str(bad))
    page.click("button.primary")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("li").count() == 2
    assert "Line 2:" in summary.inner_text() and "Line 3:" in summary.inner_text()
    assert_accessible(page)
    page.goto(f"{admin_site.url}/admin/audit")
    assert page.locator("code", has_text="units.import.refused").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/admin/rounds", "/admin/invitations", "/admin/users/new",
                                  "/admin/surveys", "/admin/posters", "/admin/units",
                                  "/admin/users/ada", "/admin/tokens"])
def test_admin_forms_are_accessible(admin_site, page, path):
    log_in(page, admin_site.url)
    page.goto(admin_site.url + path)
    assert_accessible(page)


def test_a_single_invitee_warning_is_accessible_and_names_the_box_to_tick(admin_site, page):
    from datetime import UTC, datetime, timedelta

    from survey_app.services import pulse

    with admin_site.app.app_context():
        now = datetime.now(UTC)
        pulse.create_round(get_session(), "E2E-SOLO", "KAI", now - timedelta(days=1),
                           now + timedelta(days=10))
    log_in(page, admin_site.url)
    page.goto(f"{admin_site.url}/admin/invitations")
    page.select_option("#round", "E2E-SOLO")
    page.select_option("#unit", "KAI-T")
    page.fill("#count", "1")
    page.click("button.primary")
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "KAI-T" in summary.inner_text()
    assert page.locator("#single_invitee").is_visible()
    assert page.locator("#single_invitee").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

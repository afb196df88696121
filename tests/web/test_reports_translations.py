"""The reports domain is complete in fi, sv and en, and pages switch language per request."""

from __future__ import annotations

import pytest

from survey_app.cli.translations import problems
from tests.web.reports_helpers import login, seed


def test_reports_catalogs_are_complete():
    assert [p for p in problems() if "/reports.po" in p] == []


@pytest.fixture
def county(session, make_unit, make_survey):
    return seed(session, make_unit, make_survey)


def test_pages_follow_the_chosen_report_language_request_by_request(client, county):
    login(client, "hr", lang="fi")
    finnish = client.get("/reports/units?unit=A").get_data(as_text=True)
    assert "piilotettu pienemmän ryhmän suojaamiseksi" in finnish and '<html lang="fi"' in finnish
    client.post("/ui-language", data={"lang": "sv", "next": "/reports/"})
    swedish = client.get("/reports/units?unit=A").get_data(as_text=True)
    assert "dold för att skydda en mindre grupp" in swedish and '<html lang="sv"' in swedish
    assert "A sv" in swedish  # unit names follow the language too
    client.post("/ui-language", data={"lang": "en", "next": "/reports/"})
    english = client.get("/reports/?unit=ROOT").get_data(as_text=True)
    assert "Overview: ROOT en" in english


def test_numbers_use_the_locale_decimal_comma_and_minus_sign(client, county):
    login(client, "hr", lang="fi")
    html = client.get("/reports/units?unit=ROOT").get_data(as_text=True)
    assert "\u221225,0" in html  # B: NPS −25,0 with a real minus sign


def test_a_post_without_csrf_token_is_refused_when_csrf_is_on(make_app, session, make_unit,
                                                              make_survey):
    app = make_app(WTF_CSRF_ENABLED=True)
    seed(session, make_unit, make_survey)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "hr", "password": "correct horse battery",
                                           "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/reports/").status_code == 200
    assert client.post("/logout").status_code == 400
    assert client.post("/ui-language", data={"lang": "sv"}).status_code == 400
    assert client.get("/reports/").status_code == 200  # still logged in

"""Report pages for every role, including a manager trying other units by URL and parameter."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from survey_app.services.reports import default_as_of
from survey_app.services.reports.periods import default_report_period
from tests.integration.reports_fixtures import add_resident, add_round, republish
from tests.web.reports_helpers import login, released_until, seed

PAGES = ["/reports/", "/reports/units", "/reports/units?metric=enps", "/reports/units?metric=qwl",
         "/reports/unit/A1", "/reports/unit/ROOT", "/reports/funnel", "/reports/funnel?metric=qwl"]


@pytest.fixture
def county(session, make_unit, make_survey):
    return seed(session, make_unit, make_survey)


def _rows(html: str) -> list[str]:
    """Unit names of the unit table's rows, in order."""
    body = html.split("<tbody>", 1)[1]
    return re.findall(r'<th scope="row"><a href="/reports/unit/([^?"]+)', body)


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admin_see_every_page_with_charts(client, county, role):
    assert login(client, role).status_code == 302
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "<svg" in html and "<title" in html, path


def test_pages_need_login(client, county):
    response = client.get("/reports/units?metric=nps")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/reports/units?metric%3Dnps" or \
        response.headers["Location"].startswith("/login?next=/reports/units")


def test_front_page_sends_logged_in_users_to_the_reports(client, county):
    login(client, "hr")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/reports/"


def test_overview_shows_the_county_numbers(client, county):
    login(client, "hr")
    html = client.get("/reports/?unit=ROOT").get_data(as_text=True)
    # 27 resident answers: 11 promoters (8 + 3), 10 passives, 6 detractors → NPS 18,5
    assert "18.5" in html and ">27<" in html
    assert "eNPS" in html and "70.0" in html  # QWL of the six staff answers


def test_manager_sees_only_the_own_subtree(client, county):
    login(client, "boss-a")
    html = client.get("/reports/").get_data(as_text=True)
    assert "Overview: A en" in html
    options = re.findall(r'<option value="([^"]+)"', html.split('id="choose-unit"')[1]
                         .split("</select>")[0])
    assert options == ["A", "A1", "A2"]
    for path in ("/reports/unit/A1", "/reports/units?unit=A", "/reports/funnel?unit=A"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("path", [
    "/reports/?unit=ROOT", "/reports/?unit=B1", "/reports/units?unit=ROOT",
    "/reports/units?unit=B&metric=enps", "/reports/unit/ROOT", "/reports/unit/B1",
    "/reports/unit/S?period=2026", "/reports/funnel?unit=ROOT", "/reports/funnel?unit=B&metric=qwl",
])
def test_manager_is_refused_other_units_by_url_and_parameter(client, county, path):
    login(client, "boss-a")
    response = client.get(path)
    assert response.status_code == 403
    assert "B1 en" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "status"), [
    ("/reports/unit/NOPE", 404), ("/reports/?unit=NOPE", 404),
    ("/reports/?period=2026-Q5", 400), ("/reports/?period=yesterday", 400),
    ("/reports/units?metric=dropdb", 400), ("/reports/units?sort=secret", 400),
    ("/reports/units?dir=sideways", 400), ("/reports/funnel?metric=x", 400),
    ("/reports/unit/A1?period=1999", 400), ("/reports/?period=2000-01", 400),
    ("/reports/units?period=2001-T1", 400), ("/reports/?period=" + "9" * 500, 400),
])
def test_bad_parameters_get_a_translated_error_page_not_a_crash(client, county, path, status):
    login(client, "hr")
    response = client.get(path)
    assert response.status_code == status
    assert "<html" in response.get_data(as_text=True)


def test_unit_table_hides_small_units_and_their_sibling(client, county):
    login(client, "hr")
    html = client.get("/reports/units?unit=A").get_data(as_text=True)
    body = html.split("<tbody>", 1)[1]
    # One label for every hidden cell (issue 12: "fewer than 5" would reveal a bound).
    assert "hidden to protect a smaller group" in body and "fewer than 5" not in body
    # A1 alone has 12 answers with NPS 41,7: neither figure may appear for it.
    assert "41.7" not in body and ">12<" not in body


def test_unit_table_sorts_on_the_server(client, county):
    login(client, "hr")
    by_name = _rows(client.get("/reports/units?unit=ROOT").get_data(as_text=True))
    by_value = _rows(client.get("/reports/units?unit=ROOT&sort=value&dir=asc")
                     .get_data(as_text=True))
    by_value_desc = _rows(client.get("/reports/units?unit=ROOT&sort=value&dir=desc")
                          .get_data(as_text=True))
    assert by_name == ["A", "B"]
    assert by_value == ["B", "A"] and by_value_desc == ["A", "B"]
    html = client.get("/reports/units?unit=ROOT&sort=value&dir=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in html


def test_tertial_pages_compare_with_the_previous_tertial_and_the_year_before(
        client, session, county, make_survey):
    survey_unit = county["A1"]
    from sqlalchemy import select

    from survey_app.models import Survey
    survey = session.scalar(select(Survey).where(Survey.code == "resident-all"))
    add_resident(session, survey, survey_unit, date(2026, 4, 30), [10] * 20)
    add_resident(session, survey, survey_unit, date(2025, 12, 31), [0] * 20)
    add_resident(session, survey, survey_unit, date(2025, 1, 1), [8] * 20)
    republish(session, until=released_until())
    login(client, "hr")
    html = client.get("/reports/unit/A1?period=2026-T1").get_data(as_text=True)
    assert "Change from T3 2025" in html and "Change from T1 2025" in html
    assert "+200.0" in html and "+100.0" in html and "significant" in html
    assert "2025-T2" in html  # in the trend


def test_a_round_closing_after_helsinki_midnight_belongs_to_the_next_month(
        client, session, county, make_survey):
    people = [(10, 80.0, None)] * 7
    # 21:30 UTC on 30 April is 00:30 on 1 May in Helsinki.
    add_round(session, make_survey, county["ROOT"], "round-may",
              datetime(2026, 4, 30, 21, 30, tzinfo=UTC), {county["A1"]: people})
    republish(session, until=released_until())
    login(client, "hr")
    april = client.get("/reports/units?unit=A&metric=enps&period=2026-04").get_data(as_text=True)
    may = client.get("/reports/units?unit=A&metric=enps&period=2026-05").get_data(as_text=True)
    assert "Whole A en: no answers" in april
    assert "Whole A en: 100.0" in may


def test_comments_appear_only_in_released_batches_and_without_dates(client, session, county):
    """Issue 12 §4 changed this: comments come from released batches, not from raw rows."""
    from sqlalchemy import select

    from survey_app.models import Survey
    from survey_app.services.comments import publish_comment_batches
    from tests.comment_support import add_comments

    survey = session.scalar(select(Survey).where(Survey.code == "resident-all"))
    day = date(2026, 2, 10)
    add_comments(session, survey, county["B1"], day, 5, prefix="kommentti numero")
    add_comments(session, survey, county["B1"], day, 5, language="sv",
                 prefix="kommentti numero", start=5)
    add_comments(session, survey, county["A1"], day, 4, prefix="pieni")
    login(client, "hr")
    unreleased = client.get("/reports/unit/B1?period=2026-02").get_data(as_text=True)
    assert "kommentti numero" not in unreleased
    publish_comment_batches(session, date(2026, 3, 1), today=date(2026, 3, 1))
    html = client.get("/reports/unit/B1?period=2026-02").get_data(as_text=True)
    assert html.count("kommentti numero") == 10
    assert "2026-02-10" not in html and "10.02.2026" not in html and "B1 en, 2026-02" in html
    swedish = client.get("/reports/unit/B1?period=2026-02&clang=sv").get_data(as_text=True)
    assert swedish.count("kommentti numero") == 5
    b = client.get("/reports/unit/B?period=2026-Q1").get_data(as_text=True)
    assert b.count("kommentti numero") == 10
    few = client.get("/reports/unit/A1?period=2026-02").get_data(as_text=True)
    assert "pieni" not in few and "No released comment batch in this period." in few


def test_default_period_is_the_last_complete_tertial(client, county):
    login(client, "hr")
    html = client.get("/reports/").get_data(as_text=True)
    expected = default_report_period(default_as_of())
    assert expected.granularity == "tertial"
    assert expected.end <= default_as_of() + timedelta(days=1) < expected.shift(1).end
    assert f'<option value="{expected.label}" selected>' in html
    months = {1: "January–April", 2: "May–August", 3: "September–December"}[expected.index]
    assert f"<h1>Overview: ROOT en, T{expected.index} {expected.year}: {months}</h1>" in html


def test_report_pages_refuse_posts(client, county):
    login(client, "hr")
    assert client.post("/reports/").status_code == 405

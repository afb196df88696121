"""Public service-area pages: NPS of the latest released month, suppression, caching, languages."""

from __future__ import annotations

from datetime import date

import pytest

from survey_app.privacy import Thresholds
from survey_app.scoring import nps_interval
from survey_app.services.public import area as area_service
from tests.integration.reports_fixtures import add_resident, build_county, publish

AS_OF = date(2026, 11, 25)
#: Publishing before 1 November releases October 2026 as the latest month.
UNTIL = date(2026, 11, 1)


@pytest.fixture
def area_data(session, make_unit, make_survey):
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all")
    add_resident(session, survey, units["A1"], date(2026, 10, 31), [10] * 5 + [8, 3])
    add_resident(session, survey, units["A2"], date(2026, 10, 1), [9] * 4 + [1] * 2)
    add_resident(session, survey, units["B1"], date(2026, 10, 20), [10, 10])
    add_resident(session, survey, units["B"], date(2026, 10, 20), [9] * 4 + [7, 2])  # B's own
    # Outside the month on both sides: must not count.
    add_resident(session, survey, units["A1"], date(2026, 9, 30), [0] * 9)
    add_resident(session, survey, units["A1"], date(2026, 11, 1), [0] * 9)
    publish(session, until=UNTIL)
    return units


def test_the_page_shows_the_latest_released_calendar_month(session, area_data):
    result = area_service.public_area(session, "A", "fi", as_of=AS_OF)
    assert (result.first_day, result.last_day) == (date(2026, 10, 1), date(2026, 10, 31))
    # November answers exist but November is not released: the page does not move with them.
    publish(session, until=date(2026, 11, 30))
    again = area_service.public_area(session, "A", "fi", as_of=AS_OF)
    assert (again.first_day, again.area.n) == (date(2026, 10, 1), result.area.n)


def test_area_score_counts_only_the_month_with_the_scoring_interval(session, area_data):
    result = area_service.public_area(session, "A", "fi", as_of=AS_OF, thresholds=Thresholds())
    expected = nps_interval(3, 1, 9)
    assert result.area.n == 13
    assert result.area.value == pytest.approx(expected.value)
    assert (result.area.low, result.area.high) == (pytest.approx(expected.low),
                                                   pytest.approx(expected.high))
    assert {u.code: u.n for u in result.units} == {"A1": 7, "A2": 6}


def test_small_units_are_hidden_as_in_the_ledger(session, area_data):
    result = area_service.public_area(session, "B", "fi", as_of=AS_OF, thresholds=Thresholds())
    assert result.area.n == 8  # B − B1 is B's own six answers, which no one is shown
    assert [(u.code, u.suppressed, u.n) for u in result.units] == [("B1", "hidden", None)]


def test_before_any_release_nothing_is_shown(session, make_unit):
    units = build_county(make_unit)
    result = area_service.public_area(session, "A", "fi", as_of=AS_OF)
    assert result.area.suppressed == "not_released" and result.area.n is None
    assert units["A"].code == "A"


def test_only_service_areas_have_pages(session, area_data):
    from survey_app.errors import NotFound

    for code in ("ROOT", "A1", "NOPE"):
        with pytest.raises(NotFound):
            area_service.public_area(session, code, "fi", as_of=AS_OF)


@pytest.mark.parametrize("lang", ["fi", "sv", "en", "ru", "uk", "et", "ar", "so"])
def test_public_page_in_every_resident_language_is_cacheable_and_sets_no_cookie(
        client, area_data, lang):
    response = client.get(f"/{lang}/public/A")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert f'lang="{lang}"' in html and ("dir=\"rtl\"" in html) == (lang == "ar")
    assert "A1" in html and "<script" not in html and 'style="' not in html
    assert ("What do the numbers mean?" in html) == (lang == "en"), "translated"


def test_public_index_lists_the_service_areas(client, area_data):
    response = client.get("/en/public/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "/en/public/A" in html and "/en/public/B" in html
    assert "/en/public/ROOT" not in html


def test_unknown_area_or_language_is_404(client, area_data):
    assert client.get("/fi/public/A1").status_code == 404
    assert client.get("/de/public/A").status_code == 404

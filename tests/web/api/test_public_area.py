"""Public service-area pages: rolling 30-day NPS, suppression, caching, languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from survey_app.privacy import Thresholds
from survey_app.scoring import nps_interval
from survey_app.services.api import public_area as area_service
from tests.integration.reports_fixtures import add_resident, build_county

AS_OF = date(2026, 11, 25)  # a Wednesday: the window ends on Sunday 22 November


@pytest.fixture
def area_data(session, make_unit, make_survey):
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all")
    first, last = area_service.window(AS_OF)
    add_resident(session, survey, units["A1"], last, [10] * 5 + [8, 3])
    add_resident(session, survey, units["A2"], first, [9] * 4 + [1] * 2)
    add_resident(session, survey, units["B1"], last, [10, 10])
    # Outside the window on both sides: must not count.
    add_resident(session, survey, units["A1"], first - timedelta(days=1), [0] * 9)
    add_resident(session, survey, units["A1"], last + timedelta(days=1), [0] * 9)
    return units


def test_window_is_30_days_ending_on_the_last_sunday():
    assert area_service.window(AS_OF) == (date(2026, 10, 24), date(2026, 11, 22))
    assert area_service.window(date(2026, 11, 22)) == (date(2026, 10, 24), date(2026, 11, 22))
    first, last = area_service.window(date(2026, 11, 28))
    assert last.isoweekday() == 7 and (last - first).days == 29


def test_area_score_counts_only_the_window_with_the_scoring_interval(session, area_data):
    result = area_service.public_area(session, "A", "fi", as_of=AS_OF, thresholds=Thresholds())
    expected = nps_interval(3, 1, 9)
    assert result.area.n == 13
    assert result.area.value == pytest.approx(expected.value)
    assert (result.area.low, result.area.high) == (pytest.approx(expected.low),
                                                   pytest.approx(expected.high))
    assert {u.code: u.n for u in result.units} == {"A1": 7, "A2": 6}


def test_small_units_are_hidden_with_difference_protection(session, area_data):
    result = area_service.public_area(session, "B", "fi", as_of=AS_OF, thresholds=Thresholds())
    assert result.area.suppressed == "below_threshold" and result.area.n is None
    assert [u.suppressed for u in result.units] == ["below_threshold"]
    a = area_service.public_area(session, "A", "fi", as_of=AS_OF,
                                 thresholds=Thresholds(resident=7))
    # A2 has 6 < 7 answers; A1 (7) would reveal it as A − A1, so A1 is hidden too.
    assert {u.code: u.suppressed for u in a.units} == {"A1": "complementary",
                                                         "A2": "below_threshold"}
    assert a.area.n == 13


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

"""Report pages for every role, including a manager trying other units by URL and parameter."""

from __future__ import annotations

import pytest

from survey_app.services.reports import default_period
from tests.web.reports_helpers import login, seed, yesterday


@pytest.fixture
def county(session, make_unit, make_survey):
    return seed(session, make_unit, make_survey)


PAGES = ["/reports/", "/reports/units", "/reports/units?metric=enps", "/reports/units?metric=qwl",
         "/reports/unit/A1", "/reports/unit/ROOT", "/reports/funnel", "/reports/funnel?metric=qwl"]


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admin_see_every_page(client, county, role):
    assert login(client, role).status_code == 302
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"<svg" in response.data or path.startswith("/reports/units"), path


def test_pages_need_login(client, county):
    response = client.get("/reports/units?metric=nps")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/reports/units")

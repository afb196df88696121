"""Fixtures of the API, export, board and public-page tests: a small county with answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey_app.services.api import tokens as token_service
from tests.integration.reports_fixtures import add_resident, add_round, build_county, publish
from tests.web.api.helpers import PASSWORD, STAFF


@pytest.fixture
def county(session, make_unit, make_survey):
    """ROOT → A (A1, A2), B (B1), S; resident answers 2025–2026 and a closed pulse round.

    B1 has 3 answers in 2026-Q1 (below k = 5), so B1 is hidden and, by difference protection,
    so is a sibling or B itself.
    """
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all",
                         opens_at=datetime(2024, 12, 1, tzinfo=UTC))
    add_resident(session, survey, units["A1"], date(2026, 1, 5), [10] * 8 + [7] * 3 + [2] * 2)
    add_resident(session, survey, units["A2"], date(2026, 2, 9), [9] * 6 + [0] * 3)
    add_resident(session, survey, units["B1"], date(2026, 1, 3), [10, 6, 8])
    add_resident(session, survey, units["A1"], date(2025, 10, 7), [10] * 4 + [3] * 6)
    add_resident(session, survey, units["A1"], date(2025, 2, 7), [9] * 5 + [5] * 5)
    add_round(session, make_survey, units["ROOT"], "pulse-2026-03",
              datetime(2026, 3, 20, 12, tzinfo=UTC), {units["A1"]: STAFF, units["S"]: STAFF[:4]})
    publish(session)
    return units, survey


@pytest.fixture
def hr_token(session, county):
    """An HR token's secret."""
    return token_service.create_token(session, "bi-hr", "hr").secret


@pytest.fixture
def manager_token(session, county):
    """A manager token for the subtree of A."""
    return token_service.create_token(session, "bi-a", "manager", ["A"]).secret


@pytest.fixture
def users(session, county):
    """hanna (hr), maija (manager of A) and admin."""
    from survey_app.services.users import create_user

    create_user(session, "hanna", PASSWORD, "hr")
    create_user(session, "maija", PASSWORD, "manager", ["A"])
    create_user(session, "admin", PASSWORD, "admin")

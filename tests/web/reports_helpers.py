"""Helpers for the report page tests: users, login, a small county with answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from survey_app.services.users import create_user
from tests.integration.reports_fixtures import add_resident, add_round, build_county, publish

PASSWORD = "correct horse battery"


def login(client, username: str, lang: str = "en"):
    """Log in through the form and choose the report language; returns the login response."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    client.post("/ui-language", data={"lang": lang, "next": "/reports/"})
    return response


def yesterday() -> date:
    """Yesterday in Helsinki (the seeded answers' day)."""
    from survey_app.periods import helsinki_day

    return helsinki_day(datetime.now(UTC)) - timedelta(days=1)


def released_until() -> date:
    """The seed releases every month that is over, as tonight's ``releases publish`` would."""
    return (yesterday() + timedelta(days=1)).replace(day=1)


def report_day() -> date:
    """The last day of the period reports open on (the last complete tertial)."""
    from survey_app.services.reports.periods import default_report_period

    return default_report_period(yesterday()).end - timedelta(days=1)


def seed(session, make_unit, make_survey):
    """The county of the service tests with answers on the last day of the default period
    (the last complete tertial) and a user per role."""
    units = build_county(make_unit)
    survey = make_survey(units["ROOT"], code="resident-all")
    day = report_day()
    add_resident(session, survey, units["A1"], day, [10] * 8 + [6] * 3 + [7], channel="qr",
                 answers={"safety": 5, "useful": 4})
    add_resident(session, survey, units["A2"], day, [9] * 3)
    add_resident(session, survey, units["B1"], day, [7] * 9 + [0] * 3)
    closes = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    people = [(9, 70.0, {"safety": 65.0, "belonging": 72.0, "goals": 60.0})] * 6
    add_round(session, make_survey, units["ROOT"], "round-now", closes, {units["S"]: people})
    # Release every month that is over, so that the default period (the last complete
    # tertial, released with its last month) shows it.
    publish(session, until=released_until())
    create_user(session, "hr", PASSWORD, "hr")
    create_user(session, "admin", PASSWORD, "admin")
    create_user(session, "boss-a", PASSWORD, "manager", ["A"])
    return units

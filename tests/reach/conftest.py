"""Fixtures of the reach tests: a real Kannel, units that opted in, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.reach.kannel import Kannel, require_kannel


@pytest.fixture(scope="session")
def kannel(tmp_path_factory):
    """One Kannel for the session (messages are told apart by their numbers)."""
    require_kannel()
    server = Kannel(tmp_path_factory.mktemp("kannel")).start()
    yield server
    server.stop()


@pytest.fixture
def sms_unit(make_unit, session):
    """A resident unit that opted in to SMS asks, with an open survey."""
    def factory(code: str = "KAJ-TK", sms: bool = True, make_survey=None):
        unit = make_unit(code, kind="resident")
        unit.sms = sms
        session.commit()
        return unit

    return factory


@pytest.fixture
def noon():
    """A weekday noon in Helsinki (10:00 UTC in winter): outside quiet hours."""
    return datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def visit(unit="KAJ-TK", phone="040 123 4567", email="", language="fi",
          time: datetime | str = "", now: datetime | None = None) -> dict:
    """One visit as the API takes it (``time`` defaults to ten minutes before ``now``)."""
    if not time:
        time = (now or datetime.now(UTC)) - timedelta(minutes=10)
    if isinstance(time, datetime):
        time = time.isoformat()
    return {"unit_code": unit, "phone": phone, "email": email, "language": language,
            "visit_time": time}

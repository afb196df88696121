"""Seed data and keyboard helpers for the resident browser tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from survey_app.db import get_session
from survey_app.models import OrgUnit, Response, Survey, SurveyKind, UnitKind


def seed_unit(live_server, code: str) -> None:
    """A unit with open resident feedback on the live server's database (idempotent)."""
    with live_server.app.app_context():
        session = get_session()
        if session.scalar(select(OrgUnit).where(OrgUnit.code == code)):
            return
        unit = OrgUnit(code=code, path="/", name_fi="Kajaanin terveysasema",
                       name_sv="Kajana hälsostation", name_en="Kajaani health centre",
                       kind=UnitKind.BOTH, active=True)
        session.add(unit)
        session.flush()
        unit.path = f"/{unit.id}/"
        session.add(Survey(code=f"resident-{code}", kind=SurveyKind.RESIDENT, unit_id=unit.id,
                           instrument_key="resident-feedback", instrument_version=1,
                           opens_at=datetime.now(UTC) - timedelta(days=1), closes_at=None))
        session.commit()


def stored_responses(live_server, code: str) -> list[Response]:
    """The responses stored for a unit."""
    with live_server.app.app_context():
        session = get_session()
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        return list(session.scalars(select(Response).where(Response.unit_id == unit.id)))


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    focused = page.locator(f"{selector}:focus")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused.count():
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, steps: int) -> None:
    """In a focused radio group: select the first option, then move ``steps`` options on."""
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def wait_for(condition, deadline: float = 5.0) -> None:
    """Poll ``condition`` until it is true or the deadline passes."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.05)

"""PostgreSQL goes away during submissions: a translated 503, nothing partial, and recovery
without a restart. The shared server is never stopped: the app talks to it through a proxy
that the test cuts and restores."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select, text

from survey_app.db import make_engine
from survey_app.models import Invitation, ResidentDaily, ResidentItemDaily, Response, StaffRound
from survey_app.services.survey import store
from tests.pulse_support import answer_form, issue_tokens
from tests.web.resident_helpers import VALID

pytestmark = pytest.mark.postgres

UNAVAILABLE_FI = "Palvelu ei ole tilapäisesti käytettävissä. Mitään ei tallennettu."
#: Statements answered in VALID (a "cannot say" is counted too).
ITEMS = 5
UNAVAILABLE_AR = "الخدمة غير متاحة مؤقتًا"


def _count(session, model) -> int:
    session.expire_all()
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


def _resident_totals(session) -> tuple[int, int, int]:
    session.rollback()
    return (_count(session, Response),
            session.scalar(select(func.coalesce(func.sum(ResidentDaily.n), 0))),
            session.scalar(select(func.coalesce(func.sum(ResidentItemDaily.count), 0))))


@pytest.fixture
def through_proxy(proxy, make_app, session, make_unit, make_survey):
    """A unit with open resident feedback, and the app reaching the database via the proxy."""
    db_proxy, url = proxy
    make_survey(make_unit("KAI-DOWN"))
    return db_proxy, make_app(DATABASE_URL=url, DATABASE_POOL_SIZE=2)


def test_database_gone_gives_translated_503_and_the_service_recovers(through_proxy, session):
    db_proxy, app = through_proxy
    client = app.test_client()
    assert client.post("/fi/s/KAI-DOWN", data=VALID).status_code == 303
    assert client.get("/healthz").status_code == 200

    db_proxy.cut()
    for lang, message in (("fi", UNAVAILABLE_FI), ("ar", UNAVAILABLE_AR)):
        response = client.post(f"/{lang}/s/KAI-DOWN", data=VALID)
        assert response.status_code == 503
        assert response.mimetype == "text/html"
        assert message in response.get_data(as_text=True)
    page = client.get("/fi/s/KAI-DOWN")
    assert page.status_code == 503 and UNAVAILABLE_FI in page.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "degraded", "database": "unavailable"}
    api = client.get("/api/v1/units")
    assert api.mimetype == "application/json" and api.status_code in (401, 404, 503)
    assert _resident_totals(session)[0] == 1

    db_proxy.restore()
    assert client.get("/healthz").status_code == 200
    assert client.post("/fi/s/KAI-DOWN", data=VALID).status_code == 303
    assert _resident_totals(session) == (2, 2, 2 * ITEMS)


def test_connection_lost_at_the_write_leaves_nothing(through_proxy, session, monkeypatch):
    db_proxy, app = through_proxy
    client = app.test_client()
    original = store._postgresql_statement

    def cut_then_write():
        # The connection has been checked out (and pinged); it dies as the write goes out.
        db_proxy.cut()
        return original()

    monkeypatch.setattr(store, "_postgresql_statement", cut_then_write)
    response = client.post("/fi/s/KAI-DOWN", data=VALID)
    assert response.status_code == 503
    assert UNAVAILABLE_FI in response.get_data(as_text=True)
    assert _resident_totals(session) == (0, 0, 0)

    monkeypatch.setattr(store, "_postgresql_statement", original)
    db_proxy.restore()
    assert client.post("/fi/s/KAI-DOWN", data=VALID).status_code == 303
    assert _resident_totals(session) == (1, 1, ITEMS)


def test_pulse_answer_while_database_is_gone_keeps_the_invitation_unused(
        proxy, make_app, session, make_unit, make_survey):
    from datetime import UTC, datetime, timedelta

    db_proxy, url = proxy
    team = make_unit("KAI-PDOWN", kind="staff")
    survey = make_survey(team, kind="pulse", code="down",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    (token,) = issue_tokens(session, survey, team, 1)
    client = make_app(DATABASE_URL=url, DATABASE_POOL_SIZE=2).test_client()
    db_proxy.cut()
    response = client.post(f"/fi/p/{token}", data=answer_form())
    assert response.status_code == 503
    assert UNAVAILABLE_FI in response.get_data(as_text=True)
    assert _count(session, Response) == 0
    assert session.scalar(select(Invitation.used)) is False
    db_proxy.restore()
    assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303
    assert _count(session, Response) == 1 and session.scalars(select(StaffRound)).one().n == 1


def test_a_backend_terminated_by_the_server_is_replaced_at_checkout(postgres_url):
    # What a PostgreSQL restart does to every pooled connection, done to one of them: the
    # checkout sees the closed socket and connects afresh, so no request gets the dead one.
    engine = make_engine(postgres_url, pool_size=1)
    admin = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # Wait on another engine: the pool's one connection must not be checked out before
        # the backend has gone (until then its FATAL may not have reached the socket yet).
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                      {"pid": first}).scalar_one() is True
            deadline = time.monotonic() + 10
            while True:
                # pg_stat_activity is read once per transaction: a new one for every look.
                connection.rollback()
                alive = connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": first}).scalar_one()
                if not alive or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        assert not alive
        with engine.connect() as connection:
            second = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        admin.dispose()
        engine.dispose()

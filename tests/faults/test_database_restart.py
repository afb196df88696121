"""A real PostgreSQL server stopped and started again while residents answer: a translated
503 while it is away, never a half-stored answer, and the service carries on by itself when
the server is back (no restart of the app). The server is a private one of this test, so the
shared test server is never stopped."""

from __future__ import annotations

import shutil
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from survey_app.cli.database import upgrade
from survey_app.models import (
    OrgUnit,
    ResidentDaily,
    ResidentItemDaily,
    Response,
    Survey,
    SurveyKind,
    UnitKind,
)
from tests.conftest import REQUIRE_POSTGRES
from tests.faults.support import PrivateServer, server_binaries_available
from tests.web.resident_helpers import VALID

UNAVAILABLE = {"fi": "Palvelu ei ole tilapäisesti käytettävissä. Mitään ei tallennettu.",
               "ar": "الخدمة غير متاحة مؤقتًا"}
#: Statements answered in VALID (a "cannot say" counts as an answer to the statement).
ITEMS = 5


@pytest.fixture
def server(postgres_url):
    """A migrated private server with one unit under open resident feedback."""
    if not server_binaries_available():
        if REQUIRE_POSTGRES:
            pytest.fail("SURVEY_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries (initdb)")
        pytest.skip("needs PostgreSQL's server binaries (initdb, pg_ctl) on this machine")
    directory = Path(tempfile.mkdtemp(prefix="survey-pg-"))
    private = PrivateServer(directory).create()
    private.start()
    try:
        upgrade(private.url)
        _seed(private.url)
        yield private
    finally:
        try:
            private.stop("immediate")
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def _seed(url: str) -> None:
    from sqlalchemy.orm import Session

    engine = create_engine(url)
    with Session(engine) as session:
        unit = OrgUnit(code="KAI-RESTART", parent_id=None, path="/", name_fi="Sotkamo",
                       name_sv="Sotkamo", name_en="Sotkamo", kind=UnitKind.BOTH, active=True)
        session.add(unit)
        session.flush()
        unit.path = f"/{unit.id}/"
        session.add(Survey(code="restart", kind=SurveyKind.RESIDENT, unit_id=unit.id,
                           instrument_key="resident-feedback", instrument_version=1,
                           opens_at=datetime(2020, 1, 1, tzinfo=UTC), title=""))
        session.commit()
    engine.dispose()


def _totals(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        totals = connection.execute(select(
            select(func.count()).select_from(Response).scalar_subquery(),
            select(func.coalesce(func.sum(ResidentDaily.n), 0)).scalar_subquery(),
            select(func.coalesce(func.sum(ResidentItemDaily.count), 0)).scalar_subquery(),
        )).one()
    engine.dispose()
    return tuple(int(v) for v in totals)


def test_server_stopped_and_started_again(server, make_app):
    app = make_app(DATABASE_URL=server.url, DATABASE_POOL_SIZE=2)
    client = app.test_client()
    assert client.post("/fi/s/KAI-RESTART", data=VALID).status_code == 303

    server.stop()
    for lang, text in UNAVAILABLE.items():
        response = client.post(f"/{lang}/s/KAI-RESTART", data=VALID)
        assert response.status_code == 503
        assert text in response.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"

    server.start()
    # The pooled connections died with the old server: the first request after it is back
    # must already succeed, without restarting the app.
    assert client.post("/fi/s/KAI-RESTART", data=VALID).status_code == 303
    assert client.get("/healthz").status_code == 200
    assert _totals(server.url) == (2, 2, 2 * ITEMS)


def test_a_restart_while_nobody_answers_is_invisible_to_the_next_resident(server, make_app):
    # A nightly maintenance restart: the worker's pooled connection died with the old server
    # while idle. It is replaced when taken from the pool, so the next answer is stored.
    app = make_app(DATABASE_URL=server.url, DATABASE_POOL_SIZE=2)
    client = app.test_client()
    assert client.post("/fi/s/KAI-RESTART", data=VALID).status_code == 303
    server.stop()
    server.start()
    assert client.post("/fi/s/KAI-RESTART", data=VALID).status_code == 303
    assert _totals(server.url) == (2, 2, 2 * ITEMS)


def test_server_stopped_while_answers_keep_coming(server, make_app):
    app = make_app(DATABASE_URL=server.url, DATABASE_POOL_SIZE=2)
    statuses: list[int] = []
    done = threading.Event()

    def resident() -> None:
        client = app.test_client()
        while not done.is_set():
            statuses.append(client.post("/fi/s/KAI-RESTART", data=VALID).status_code)

    thread = threading.Thread(target=resident)
    thread.start()
    try:
        _wait_for(lambda: statuses.count(303) >= 20)
        server.stop()
        _wait_for(lambda: statuses.count(503) >= 5)
        server.start()
        acknowledged_before = statuses.count(303)
        _wait_for(lambda: statuses.count(303) >= acknowledged_before + 20)
    finally:
        done.set()
        thread.join(timeout=30)
    assert set(statuses) == {303, 503}
    stored, daily, items = _totals(server.url)
    # Never half an answer: every stored answer is in the aggregates, with its statements.
    assert stored == daily and items == ITEMS * stored
    # Every acknowledged answer is stored. An answer whose commit reached the server just as
    # it shut down may be stored although its client saw the 503: at most one, as this
    # resident sends one answer at a time.
    assert 0 <= stored - statuses.count(303) <= 1


def _wait_for(condition, timeout: float = 30.0) -> None:
    from tests.faults.support import wait_until

    wait_until(condition, timeout=timeout, interval=0.01)

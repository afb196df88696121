"""Fixtures: the app on SQLite and on PostgreSQL, clients, factories.

Every test that asks for ``app`` runs twice: on an SQLite file and on the PostgreSQL
server named by ``SURVEY_TEST_POSTGRES_URL`` (``.ci/run`` sets it; without it those runs
skip, unless ``SURVEY_REQUIRE_POSTGRES=1`` turns the skip into a failure).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from survey_app.app import create_app
from survey_app.cli.database import upgrade
from survey_app.db import Base, make_engine

POSTGRES_URL = os.environ.get("SURVEY_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("SURVEY_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgres"]


def pytest_configure(config):
    """Compile the message catalogs once (on the xdist controller), so tests see current text."""
    if not hasattr(config, "workerinput"):
        from survey_app.cli.translations import compile_all

        compile_all()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_database_url() -> str:
    """A database of this worker's own on the test server, created empty."""
    base = make_url(POSTGRES_URL)
    name = f"{base.database}_{_worker()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database per backend for the whole test session."""
    if request.param == "postgres":
        if not POSTGRES_URL:
            if REQUIRE_POSTGRES:
                pytest.fail("SURVEY_REQUIRE_POSTGRES=1 but SURVEY_TEST_POSTGRES_URL is not set")
            pytest.skip("PostgreSQL tests need SURVEY_TEST_POSTGRES_URL")
        url = _postgres_database_url()
        upgrade(url)
        yield url
        _drop_postgres_database(url)
    else:
        path = tmp_path_factory.mktemp("db") / "test.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url


def _empty_all_tables(url: str) -> None:
    """Delete every row, so each test starts from an empty, migrated database."""
    engine = make_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                    + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
    engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build apps on the test database with overrides; tables are emptied afterwards."""
    apps = []

    def factory(**overrides):
        overrides.setdefault("DATABASE_URL", database_url)
        app = create_app("config.TestConfig", **overrides)
        app.instance_path = str(tmp_path / "instance")
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["sqlalchemy_engine"].dispose()
    _empty_all_tables(database_url)


@pytest.fixture
def app(make_app):
    """The app in test configuration (CSRF and rate limits off), without a held context."""
    return make_app()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the ``survey-app`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session of the test's own, outside any app context.

    Holding an app context here would make the test client's requests share it (and
    its session), hiding bugs; services take the session as an argument instead.
    """
    session = app.extensions["sqlalchemy_sessionmaker"]()
    yield session
    session.close()


@pytest.fixture
def make_unit(session):
    """Create a unit (and its materialised path)."""
    from survey_app.models import OrgUnit, UnitKind

    def factory(code: str, parent=None, kind: str = "both", **names):
        unit = OrgUnit(code=code, parent_id=parent.id if parent else None, path="/",
                       name_fi=names.get("name_fi", f"{code} fi"),
                       name_sv=names.get("name_sv", f"{code} sv"),
                       name_en=names.get("name_en", f"{code} en"), kind=UnitKind(kind),
                       active=names.get("active", True))
        session.add(unit)
        session.flush()
        unit.path = (parent.path if parent else "/") + f"{unit.id}/"
        session.commit()
        return unit

    return factory


@pytest.fixture
def make_survey(session):
    """Create a resident survey or pulse round over a unit subtree."""
    from survey_app.models import Survey, SurveyKind

    def factory(unit, kind: str = "resident", code: str | None = None, opens_at=None,
                closes_at=None, instrument=None):
        key, version = instrument or (("resident-feedback", 1) if kind == "resident"
                                      else ("staff-pulse", 1))
        survey = Survey(code=code or f"{kind}-{unit.code}", kind=SurveyKind(kind),
                        unit_id=unit.id, instrument_key=key, instrument_version=version,
                        opens_at=opens_at or datetime.now(UTC) - timedelta(days=1),
                        closes_at=closes_at, title="")
        session.add(survey)
        session.commit()
        return survey

    return factory


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The shared reference vectors (../shared/reference beside the checkout)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (Path(os.environ.get("SURVEY_REFERENCE_DIR", "/nonexistent")),
                      here.parent / "shared" / "reference",
                      here.parent.parent / "shared" / "reference"):
        if candidate.is_dir():
            return candidate
    pytest.fail("../shared/reference not found; set SURVEY_REFERENCE_DIR")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Argon2id with tiny costs in tests; production keeps the library's defaults."""
    from argon2 import PasswordHasher

    from survey_app.services import users

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", cheap)
    monkeypatch.setattr(users, "_DUMMY_HASH", cheap.hash("not a real password"))

"""Fault tests run on PostgreSQL only (they cut its connections or kill server processes)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from tests.faults.support import DatabaseProxy, Gunicorn


@pytest.fixture
def postgres_url(database_url):
    """The PostgreSQL test database's URL; the SQLite run of a fault test is skipped."""
    if not database_url.startswith("postgresql"):
        pytest.skip("fault tests run on PostgreSQL only (this is the SQLite run)")
    return database_url


@pytest.fixture
def proxy(postgres_url):
    """A cuttable proxy in front of the test database; yields (proxy, URL through it)."""
    url = make_url(postgres_url)
    proxy = DatabaseProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
    proxy.close()


@pytest.fixture(scope="module")
def gunicorn_server(database_url):
    """The app under gunicorn (4 sync workers, the repository's config file) on the
    PostgreSQL test database, shared by a module's tests (each test's rows are emptied)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("fault tests run on PostgreSQL only (this is the SQLite run)")
    server = Gunicorn({"SURVEY_CONFIG": "config.TestConfig", "SURVEY_DATABASE_URL": database_url},
                      workers=4).start()
    yield server
    server.stop()

"""The production gunicorn settings: workers forked from a preloaded app never share a
database connection with the master or with each other."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import text

CONF = Path(__file__).resolve().parents[2] / "survey_app" / "deploy" / "gunicorn.conf.py"


def test_workers_are_forked_from_a_preloaded_app_without_its_connections(make_app):
    settings = runpy.run_path(str(CONF))
    assert settings["preload_app"] is True and settings["accesslog"] is None
    app = make_app()
    engine = app.extensions["sqlalchemy_engine"]
    with engine.connect() as connection:          # the master used a connection
        connection.execute(text("SELECT 1"))
        masters = connection.connection.driver_connection
    assert engine.pool.checkedin() == 1
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    settings["post_fork"](server, worker=None)
    assert engine.pool.checkedin() == 0            # the forked worker starts a pool of its own
    masters.close()                                # (the master's own business)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1


def test_post_fork_accepts_an_app_without_a_database():
    settings = runpy.run_path(str(CONF))
    bare = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: (lambda environ, start: [])))
    settings["post_fork"](bare, worker=None)

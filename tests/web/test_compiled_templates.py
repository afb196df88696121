"""The production entry point compiles every template before gunicorn forks its workers."""

from __future__ import annotations

import gc

from survey_app.app import compile_templates


def test_after_compiling_no_page_compiles_a_template(app, client, monkeypatch):
    count = compile_templates(app)
    assert count >= 40  # every template of every blueprint, not a handful

    def compile_again(*_args, **_kwargs):
        raise AssertionError("a template was compiled while serving a request")

    monkeypatch.setattr(app.jinja_env, "compile", compile_again)
    for path in ("/fi/", "/ar/", "/login", "/fi/accessibility"):
        assert client.get(path).status_code == 200, path


def test_without_compiling_the_first_page_compiles(app, client, monkeypatch):
    # The check above would pass vacuously if pages did not compile lazily.
    compiled = []
    original = app.jinja_env.compile

    def counting(source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(source, name, filename, *args, **kwargs)

    monkeypatch.setattr(app.jinja_env, "compile", counting)
    assert client.get("/login").status_code == 200
    assert "auth/login.html" in compiled or any(n and "login" in n for n in compiled)


def test_the_wsgi_module_compiles_at_import(monkeypatch, tmp_path):
    import importlib
    import sys

    monkeypatch.setenv("SURVEY_DATABASE_URL", f"sqlite:///{tmp_path}/wsgi.db")
    sys.modules.pop("wsgi", None)
    gc.unfreeze()
    module = importlib.import_module("wsgi")
    try:
        cached = {key[1] for key in module.app.jinja_env.cache.keys()}
        assert {"reports/overview.html", "reports/unit.html", "base.html"} <= cached
        assert gc.get_freeze_count() > 0  # the loaded app is out of the collector's sight
    finally:
        gc.unfreeze()
        sys.modules.pop("wsgi", None)

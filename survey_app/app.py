"""Application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.utils import import_string

from survey_app import db, errors, i18n, logs
from survey_app.extensions import csrf, limiter, login_manager


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def create_app(config_object: str | type | None = None, **overrides) -> Flask:
    """Build the app: config class, then ``SURVEY_*`` env variables, then overrides."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config_object, overrides)
    if int(app.config.get("PROXY_COUNT", 0)) > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def compile_templates(app: Flask) -> int:
    """Compile every template now; returns how many.

    The production entry point (``wsgi.py``) calls this, so gunicorn's master, which preloads
    the app, compiles the templates once before forking: no worker's first page (the page after
    login, for one) pays the ~200 ms that compiling the report templates takes. Compiled
    templates stay in Jinja's cache, as production does not auto-reload them.
    """
    names = app.jinja_env.list_templates(extensions=("html",))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def preload_locales() -> None:
    """Load Babel's locale data (numbers, dates, language names) of every shipped language now,
    so that the first page in each language does not read it from disk."""
    from datetime import date

    from babel import Locale
    from babel.dates import format_date
    from babel.numbers import format_decimal

    from survey_app.i18n import LANGUAGES

    for lang in LANGUAGES:
        locale = Locale.parse(lang)
        format_date(date(2026, 1, 1), locale=locale)
        format_decimal(1.5, locale=locale)
        locale.get_display_name(locale)


def warm_charts() -> None:
    """Import matplotlib and draw one small PNG with nothing in it, so that the first chart
    download does not pay for matplotlib's imports and font cache (about half a second)."""
    from survey_app.reports.charts import TrendPoint, trend_png

    trend_png([TrendPoint("2026", 1.0, 0.0, 2.0), TrendPoint("2027", 2.0, 1.0, 3.0)],
              (-100.0, 100.0), "warm-up")


def prepare_workers(app: Flask) -> None:
    """Everything a server should do once, before it forks its workers (``wsgi.py``, with
    gunicorn's ``preload_app``), so that no worker's first page pays for it.

    Code only, never data: templates compiled, Babel's locale data and matplotlib loaded, then
    everything loaded so far moved out of the garbage collector's sight (``gc.freeze``), so the
    first collections in a worker do not walk the whole app and its memory stays shared with
    the master. Report numbers are read per request as before.
    """
    import gc

    compile_templates(app)
    preload_locales()
    warm_charts()
    gc.collect()
    gc.freeze()


def load_config(app: Flask, config_object, overrides: dict) -> None:
    """Class defaults, then environment, then overrides; fail fast on unsafe production setups."""
    config_object = config_object or os.environ.get("SURVEY_CONFIG", "config.Config")
    if isinstance(config_object, str):
        config_object = import_string(config_object)
    app.config.from_object(config_object)
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("SURVEY")
    app.config.update(overrides)
    check_config(app, config_object)
    # SURVEY_LOG_LEVEL is shared with the gunicorn config, which writes it in lower case.
    logging.getLogger("survey_app").setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    logs.install()


def check_config(app: Flask, config_object) -> None:
    """Production must have its own secret key; thresholds may never go below 3."""
    from config import DEV_SECRET_KEY

    production = getattr(config_object, "__name__", "") == "ProductionConfig"
    if production and app.config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise ConfigurationError(
            "ProductionConfig needs SURVEY_SECRET_KEY set to a long random value; "
            "refusing to start with the development key."
        )
    token_key = app.config.get("TOKEN_KEY")
    if production and token_key is not None and (token_key == DEV_SECRET_KEY
                                                 or len(str(token_key)) < 32):
        raise ConfigurationError(
            "SURVEY_TOKEN_KEY must be a long random value (32 characters or more), not the "
            "development key; unset it to derive the token key from SURVEY_SECRET_KEY."
        )
    for key in ("PRIVACY_MIN_STAFF", "PRIVACY_MIN_RESIDENT", "PRIVACY_MIN_COMMENTS"):
        if int(app.config[key]) < 3:
            raise ConfigurationError(f"{key} must be at least 3, not {app.config[key]}.")


def register_extensions(app: Flask) -> None:
    """A flat list of init_app calls."""
    db.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from survey_app import auth, security

    auth.init_app(app)
    security.init_app(app)
    from survey_app.services.reach import mail

    mail.init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per audience."""
    from survey_app import admin, api, health, public, pulse, reach, reports, survey
    from survey_app.public import areas
    from survey_app.reports import board, exports

    for blueprint in (health.bp, public.bp, survey.bp, pulse.bp, reports.bp, admin.bp, api.bp,
                      exports.bp, board.bp, areas.bp, reach.bp):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    """Attach the CLI groups (they also run under ``flask --app``)."""
    from survey_app.cli import register

    register(app)

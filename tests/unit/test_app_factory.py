"""The factory and the configuration classes."""

import pytest

from config import DEV_SECRET_KEY
from survey_app.app import ConfigurationError, create_app


def test_default_config_uses_an_sqlite_file_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SURVEY_DATABASE_URL", raising=False)
    app = create_app("config.Config")
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/survey.db")


def test_overrides_win_over_environment_which_wins_over_the_class(monkeypatch):
    monkeypatch.setenv("SURVEY_PRIVACY_MIN_STAFF", "7")
    monkeypatch.setenv("SURVEY_RETENTION_DAYS", "100")
    app = create_app("config.TestConfig", RETENTION_DAYS=50, DATABASE_URL="sqlite://")
    assert app.config["PRIVACY_MIN_STAFF"] == 7
    assert app.config["RETENTION_DAYS"] == 50


def test_plain_database_url_environment_variable_is_honoured(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.invalid/survey")
    app = create_app("config.TestConfig")
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://someone@db.invalid/survey"


def test_production_refuses_to_start_with_the_development_key(monkeypatch):
    monkeypatch.setenv("SURVEY_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(ConfigurationError, match="SURVEY_SECRET_KEY"):
        create_app("config.ProductionConfig", DATABASE_URL="sqlite://")


def test_production_refuses_to_start_without_a_key(monkeypatch):
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app("config.ProductionConfig", DATABASE_URL="sqlite://")


def test_production_with_a_real_key_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("SURVEY_SECRET_KEY", "x" * 48)
    app = create_app("config.ProductionConfig", DATABASE_URL="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_anonymity_threshold_below_three_is_refused():
    with pytest.raises(ConfigurationError, match="PRIVACY_MIN_STAFF"):
        create_app("config.TestConfig", DATABASE_URL="sqlite://", PRIVACY_MIN_STAFF=2)


def test_config_object_can_be_chosen_by_environment(monkeypatch):
    monkeypatch.setenv("SURVEY_CONFIG", "config.TestConfig")
    app = create_app(DATABASE_URL="sqlite://")
    assert app.testing is True


def test_wsgi_module_exposes_an_app(monkeypatch):
    monkeypatch.setenv("SURVEY_CONFIG", "config.TestConfig")
    monkeypatch.setenv("SURVEY_DATABASE_URL", "sqlite://")
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "survey_app.app"


def test_production_refuses_the_development_key_or_a_short_one_as_token_key(monkeypatch):
    monkeypatch.setenv("SURVEY_SECRET_KEY", "x" * 48)
    for weak in (DEV_SECRET_KEY, "short"):
        monkeypatch.setenv("SURVEY_TOKEN_KEY", weak)
        with pytest.raises(ConfigurationError, match="SURVEY_TOKEN_KEY"):
            create_app("config.ProductionConfig", DATABASE_URL="sqlite://")
    monkeypatch.setenv("SURVEY_TOKEN_KEY", "t" * 40)
    assert create_app("config.ProductionConfig", DATABASE_URL="sqlite://")


def test_the_token_key_is_never_the_secret_key_and_follows_token_key_when_set():
    from survey_app.services.pulse.tokens import derive_token_key, token_hash

    derived = derive_token_key("s" * 48, None)
    given = derive_token_key("s" * 48, "t" * 40)
    assert len({derived, given, ("s" * 48).encode(), ("t" * 40).encode()}) == 4
    assert derive_token_key("other" * 10, "t" * 40) == given
    token = "A" * 43
    assert token_hash(token, derived) != token_hash(token, given)

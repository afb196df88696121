"""Alembic migrations run up and down on SQLite and PostgreSQL and match the models."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from survey_app.cli.database import alembic_config
from survey_app.db import Base


def test_database_at_head_matches_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_go_down_to_base_and_up_again(make_app):
    app = make_app()
    url = app.config["DATABASE_URL"]
    config = alembic_config(url)
    command.downgrade(config, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert "response" in inspect(engine).get_table_names()
    engine.dispose()


def test_db_upgrade_command_reports_head(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "head" in result.output
